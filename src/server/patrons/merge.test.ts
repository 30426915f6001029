import { expect, it } from 'vitest';
import type { MergePreview, MergeResult, PatronDetail } from '../../contracts/patrons.js';
import { signIn, type Client } from '../testing/client.js';
import { PASSWORD, logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect, type Harness } from '../testing/harness.js';

const make = async (c: Client, body: Record<string, unknown>): Promise<PatronDetail> => {
  const res = await c.post('/api/patrons', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
};

/** Everything stored on two patrons, as rows: what undo must give back exactly. */
async function state(h: Harness, ids: number[]) {
  const db = h.db.kysely;
  const [patrons, contacts, needs, notes, values, cases] = await Promise.all([
    db.selectFrom('patrons').selectAll().where('id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('patron_contacts').selectAll().where('patron_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('patron_needs').select(['id', 'patron_id', 'title', 'status']).where('patron_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('patron_notes').select(['id', 'patron_id', 'kind', 'body']).where('patron_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('patron_value_records').select(['id', 'patron_id', 'amount_minor']).where('patron_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('cases').select(['id', 'patron_id', 'status_token']).where('patron_id', 'in', ids).orderBy('id').execute(),
  ]);
  return { patrons, contacts, needs, notes, values, cases };
}

describeEachDialect('patron merge', (h) => {
  it('merges losing nothing, redirects the old profile, and undoes exactly', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const a = await make(sup, { name: 'William Turner', preferredName: 'Will', email: 'w.turner@example.org', phone: '(312) 555-0150' });
    const b = await make(sup, {
      name: 'Bill Turner',
      preferredName: 'Billy',
      pronouns: 'he/him',
      email: 'bill@example.org',
      phone: '312.555.0150',
      contacts: [{ kind: 'email', value: 'turners@example.net', label: 'family' }],
    });
    await sup.post(`/api/patrons/${a.id}/notes`, { kind: 'general', body: 'Aisle seat.' });
    await sup.post(`/api/patrons/${b.id}/notes`, { kind: 'personal', body: 'Retired teacher.' });
    await sup.post(`/api/patrons/${a.id}/needs`, { title: 'Large print programme' });
    await sup.post(`/api/patrons/${b.id}/needs`, { title: 'Hearing loop' });
    await sup.post(`/api/patrons/${a.id}/value`, { occurredOn: '2026-01-05', kind: 'membership', amountMinor: 9000 });
    await sup.post(`/api/patrons/${b.id}/value`, { occurredOn: '2026-02-05', kind: 'donation', amountMinor: 2500 });
    await logCall(sup, { patron: undefined, patronId: a.id, subject: 'Renewal' });
    const bCase = await logCall(sup, { patron: undefined, patronId: b.id, subject: 'Parking' });
    const token = bCase.statusUrl.split('/').at(-1)!;

    const before = await state(h(), [a.id, b.id]);
    const profilesBefore = [(await sup.get(`/api/patrons/${a.id}`)).json(), (await sup.get(`/api/patrons/${b.id}`)).json()];
    const contactsBefore = new Set(before.contacts.map((c) => `${c.kind}:${c.value}`));

    const preview: MergePreview = (await sup.get(`/api/patrons/${a.id}/merge?otherId=${b.id}`)).json();
    const field = (f: string) => preview.fields.find((x) => x.field === f)!;
    expect(field('name')).toMatchObject({ state: 'conflict', survivor: 'William Turner', merged: 'Bill Turner' });
    expect(field('preferredName').state).toBe('conflict');
    expect(field('pronouns')).toMatchObject({ state: 'equal', survivor: null, merged: 'he/him' });
    expect(preview.additive).toEqual({ contacts: 3, needs: 1, notes: 1, values: 1, cases: 1 });

    const merged = await sup.post(`/api/patrons/${a.id}/merge`, { otherId: b.id, keep: { preferredName: 'merged' } });
    expect(merged.statusCode).toBe(200);
    const result: MergeResult = merged.json();
    const p = result.patron;
    expect(p).toMatchObject({ id: a.id, name: 'William Turner', preferredName: 'Billy', pronouns: 'he/him' });
    // 0 contact points lost.
    const after = new Set(p.contacts.map((c) => `${c.kind}:${c.value}`));
    expect([...contactsBefore].filter((x) => !after.has(x))).toEqual([]);
    expect(p.contacts.filter((c) => c.preferred).map((c) => c.value).sort()).toEqual(['+13125550150', 'w.turner@example.org']);
    expect(p.needs.map((n) => n.title).sort()).toEqual(['Hearing loop', 'Large print programme']);
    expect(p.notes.map((n) => n.body).sort()).toEqual(['Aisle seat.', 'Retired teacher.']);
    expect(p.value!.summary.records).toBe(2);
    expect((await sup.get(`/api/cases?queue=all&patronId=${a.id}`)).json().items).toHaveLength(2);
    // The old profile link answers with the survivor; the case's status link still works.
    expect((await sup.get(`/api/patrons/${b.id}`)).json().id).toBe(a.id);
    expect((await h().app.inject({ method: 'GET', url: `/api/public/status/${token}` })).statusCode).toBe(200);
    // Found by the merged patron's email; the merged one is out of search.
    expect((await sup.get('/api/patrons/lookup?q=bill%40example.org')).json().items.map((x: { id: number }) => x.id)).toEqual([a.id]);
    expect((await sup.get('/api/patrons/lookup?q=turner')).json().items.map((x: { id: number }) => x.id)).toEqual([a.id]);
    // Changing the merged patron is a 404; merging it again is refused.
    expect((await sup.patch(`/api/patrons/${b.id}`, { name: 'X' })).statusCode).toBe(404);
    expect((await sup.post(`/api/patrons/${a.id}/merge`, { otherId: b.id })).json().error.field).toBe('otherId');
    const listed = (await sup.get(`/api/patrons/${a.id}/merges`)).json().items;
    expect(listed).toMatchObject([{ id: result.mergeId, mergedId: b.id, mergedName: 'Bill Turner' }]);

    const undone = await sup.post(`/api/patrons/merges/${result.mergeId}/undo`, {});
    expect(undone.statusCode).toBe(200);
    const restored = await state(h(), [a.id, b.id]);
    expect(restored).toEqual(before);
    expect([(await sup.get(`/api/patrons/${a.id}`)).json(), (await sup.get(`/api/patrons/${b.id}`)).json()]).toEqual(profilesBefore);
    expect((await sup.get('/api/patrons/lookup?q=bill%40example.org')).json().items.map((x: { id: number }) => x.id)).toEqual([b.id]);
    expect((await sup.post(`/api/patrons/merges/${result.mergeId}/undo`, {})).statusCode).toBe(409);
    const audit = await h().db.kysely.selectFrom('audit_log').select(['action', 'actor_user_id']).where('org_id', '=', org.orgId).execute();
    expect(audit).toContainEqual({ action: 'patron.merged', actor_user_id: org.users.supervisor.id });
    expect(audit).toContainEqual({ action: 'patron.merge_undone', actor_user_id: org.users.supervisor.id });
  });

  it('can be undone for 30 days only, and not by a volunteer', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const a = await make(c, { name: 'Ada Park', email: 'ada@example.org' });
    const b = await make(c, { name: 'Ada Park', email: 'ada.park@example.org' });
    const vol = await org.as('volunteer');
    expect((await vol.post(`/api/patrons/${a.id}/merge`, { otherId: b.id })).statusCode).toBe(403);
    const { mergeId } = (await c.post(`/api/patrons/${a.id}/merge`, { otherId: b.id })).json() as MergeResult;
    expect((await c.post(`/api/patrons/${a.id}/merge`, { otherId: a.id })).json().error.field).toBe('otherId');
    const row = await h().db.kysely.selectFrom('patron_merges').select(['at', 'undo_until']).where('id', '=', mergeId).executeTakeFirstOrThrow();
    expect(row.undo_until - row.at).toBe(30 * 86_400_000);
    h().clock.advance(31 * 86_400_000);
    // Sessions end long before that: sign in again.
    const again = await signIn(h().app, org.users.associate.email, PASSWORD);
    expect((await again.get(`/api/patrons/${a.id}/merges`)).json().items).toEqual([]);
    const late = await again.post(`/api/patrons/merges/${mergeId}/undo`, {});
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('30 days');
  });
});
