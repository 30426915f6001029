import { expect, it } from 'vitest';
import type { PatronDetail } from '../../contracts/patrons.js';
import { logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { erasedHash } from './erase.js';

describeEachDialect('patron erasure', (h) => {
  it('exports everything held on one patron as one download, for supervisors and admins', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const p: PatronDetail = (await sup.post('/api/patrons', { name: 'Olga Petrova', email: 'olga@example.org' })).json();
    await sup.post(`/api/patrons/${p.id}/notes`, { kind: 'personal', body: 'Daughter lives in Riga' });
    await sup.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-05-05', kind: 'ticket', amountMinor: 3500 });
    const added = (await sup.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-05-06', kind: 'ticket', amountMinor: 100 })).json() as PatronDetail;
    await sup.delete(`/api/patrons/${p.id}/value/${added.value!.records[0]!.id}`);
    const { ref } = await logCall(sup, { patron: undefined, patronId: p.id, subject: 'Box seats', body: 'Can I have box B?' });
    expect((await (await org.as('associate')).get(`/api/patrons/${p.id}/export`)).statusCode).toBe(403);
    const res = await sup.get(`/api/patrons/${p.id}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="patron-${p.id}.json"`);
    const out = res.json();
    expect(out.patron.notes.map((n: { body: string }) => n.body)).toContain('Daughter lives in Riga');
    expect(out.allValueRecords.map((r: { amountMinor: number }) => r.amountMinor)).toEqual([3500]);
    expect(out.cases).toMatchObject([{ ref, subject: 'Box seats', messages: [{ body: 'Can I have box B?' }] }]);
    expect(out.audit.map((a: { action: string }) => a.action)).toContain('patron.value_deleted');
    // The export itself is audited: who took the copy, of whom.
    const exported = await h().db.kysely.selectFrom('audit_log').select(['actor_user_id', 'target_id', 'detail']).where('org_id', '=', org.orgId).where('action', '=', 'patron.exported').execute();
    expect(exported.map((a) => ({ by: a.actor_user_id, patron: Number(a.target_id), ...(JSON.parse(a.detail!) as object) }))).toEqual([
      { by: org.users.supervisor.id, patron: p.id, cases: 1, valueRecords: 1 },
    ]);
  });

  it('erases every personal value from every route and search, and keeps the numbers', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const p: PatronDetail = (
      await sup.post('/api/patrons', { name: 'Quentin Zabriskie', preferredName: 'Quin', pronouns: 'they/them', email: 'quentin.z@example.org', phone: '(312) 555-0190' })
    ).json();
    await sup.post(`/api/patrons/${p.id}/notes`, { kind: 'personal', body: 'Xylophonist in the city orchestra' });
    await sup.post(`/api/patrons/${p.id}/needs`, { title: 'Braille tickets' });
    await sup.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-04-01', kind: 'donation', amountMinor: 4200 });
    const c1 = await logCall(sup, { patron: undefined, patronId: p.id, subject: 'Seat question', body: 'Zabriskie asks about the flugelhorn recital', status: 'resolved' });
    await logCall(sup, { patron: undefined, patronId: p.id, subject: 'Second call', body: 'Called again from 312 555 0190' });
    const countsBefore = (await sup.get('/api/cases/counts')).json();
    const valueSum = async () =>
      Number((await h().db.kysely.selectFrom('patron_value_records').select((eb) => eb.fn.sum<number>('amount_minor').as('s')).where('org_id', '=', org.orgId).executeTakeFirstOrThrow()).s);
    const sumBefore = await valueSum();

    expect((await (await org.as('associate')).post(`/api/patrons/${p.id}/erase`, { confirm: true })).statusCode).toBe(403);
    const unconfirmed = await sup.post(`/api/patrons/${p.id}/erase`, {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().error.field).toBe('confirm');
    expect((await sup.post(`/api/patrons/${p.id}/erase`, { confirm: true })).statusCode).toBe(200);

    const personal = /quentin|zabriskie|quin\b|they\/them|555-?0190|5550190|xylophon|braille|flugelhorn/i;
    const answers = [
      await sup.get(`/api/patrons/${p.id}`),
      await sup.get(`/api/cases/${c1.ref}`),
      await sup.get(`/api/cases?queue=all&patronId=${p.id}`),
      await sup.get('/api/patrons/lookup?q=zabriskie'),
      await sup.get('/api/patrons/lookup?q=quentin.z%40example.org'),
      await sup.get('/api/patrons/lookup?q=3125550190'),
      await sup.get('/api/search?q=zabriskie'),
      await sup.get('/api/search?q=xylophonist'),
      await sup.get('/api/search?q=flugelhorn'),
      await sup.get('/api/search?q=quentin.z%40example.org'),
      await sup.get(`/api/patrons/duplicates`),
      await (await org.as('admin')).get('/api/admin/audit'),
    ];
    for (const a of answers) {
      expect(a.statusCode, a.body).toBeLessThan(300);
      expect(JSON.stringify({ ...a.json(), terms: undefined }), a.body).not.toMatch(personal);
    }
    const erased: PatronDetail = answers[0]!.json();
    expect(erased).toMatchObject({ name: 'Erased patron', contacts: [], needs: [], notes: [] });
    expect(await h().p.search.documentIds(h().db.kysely, 'patron', 'zabriskie')).toEqual([]);
    expect(await h().p.search.documentIds(h().db.kysely, 'case', 'flugelhorn')).toEqual([]);
    // The numbers stay.
    expect((await sup.get('/api/cases/counts')).json()).toEqual(countsBefore);
    expect(await valueSum()).toBe(sumBefore);
    expect((await sup.get(`/api/cases?queue=all&patronId=${p.id}`)).json().items).toHaveLength(2);
    // A one-way hash is kept; the person writing in again starts fresh.
    const hashes = await h().db.kysely.selectFrom('patron_erased_hashes').select('hash').where('org_id', '=', org.orgId).execute();
    expect(hashes.map((x) => x.hash)).toContain(erasedHash(org.orgId, 'email', 'quentin.z@example.org'));
    const again = await logCall(sup, { patron: { name: 'Quentin Z', email: 'quentin.z@example.org' }, subject: 'Hello again' });
    const fresh = (await sup.get(`/api/cases/${again.ref}`)).json().patron;
    expect(fresh.id).not.toBe(p.id);
    const audit = await h().db.kysely.selectFrom('audit_log').select('action').where('org_id', '=', org.orgId).execute();
    expect(audit.map((x) => x.action)).toContain('patron.erased');
  });
});
