import { expect, it } from 'vitest';
import type { QueuePage } from '../../contracts/cases.js';
import type { PatronDetail } from '../../contracts/patrons.js';
import { logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';

describeEachDialect('patrons', (h) => {
  it('finds a patron as you type: by name, email or phone', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await c.post('/api/patrons', { name: 'Jamal Johnson', email: 'jamal.j@example.org', phone: '(312) 555-0199' });
    await c.post('/api/patrons', { name: 'Janet Jackson', email: 'janet@example.org' });
    await c.post('/api/patrons', { name: 'Omar Novak', phone: '773-555-0101' });
    const names = async (q: string) =>
      (await c.get(`/api/patrons/lookup?q=${encodeURIComponent(q)}`)).json().items.map((p: { name: string }) => p.name).sort();
    expect(await names('ja')).toEqual(['Jamal Johnson', 'Janet Jackson']);
    expect(await names('jam')).toEqual(['Jamal Johnson']);
    expect(await names('jamal.j@example.org')).toEqual(['Jamal Johnson']);
    expect(await names('janet@')).toEqual(['Janet Jackson']);
    expect(await names('5550101')).toEqual(['Omar Novak']);
    expect(await names('555-019')).toEqual(['Jamal Johnson']);
    expect(await names('zzz')).toEqual([]);
    const empty = await c.get('/api/patrons/lookup?q=');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toBe('q');
  });

  it('never shows another organization’s patrons', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    const theirs = (await (await b.as('associate')).post('/api/patrons', { name: 'Secret Sam', email: 'sam@b.org' })).json();
    const c = await a.as('associate');
    expect((await c.get('/api/patrons/lookup?q=secret')).json().items).toEqual([]);
    expect((await c.get(`/api/patrons/${theirs.id}`)).statusCode).toBe(404);
    const cross = await c.post('/api/cases', { channel: 'phone', patronId: theirs.id, subject: 's', body: 'b' });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.field).toBe('patronId');
  });

  it('keeps personal notes from volunteers: not shown, not addable, not deletable', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const patron: PatronDetail = (await sup.post('/api/patrons', { name: 'Nora Novak' })).json();
    await sup.post(`/api/patrons/${patron.id}/notes`, { kind: 'general', body: 'Prefers aisle seats.' });
    const withPersonal: PatronDetail = (
      await sup.post(`/api/patrons/${patron.id}/notes`, { kind: 'personal', body: 'Husband passed away in May.' })
    ).json();
    const personalId = withPersonal.notes.find((n) => n.kind === 'personal')!.id;
    expect(withPersonal.notes.map((n) => n.kind).sort()).toEqual(['general', 'personal']);

    const vol = await org.as('volunteer');
    const seen = await vol.get(`/api/patrons/${patron.id}`);
    expect(seen.json().notes.map((n: { body: string }) => n.body)).toEqual(['Prefers aisle seats.']);
    expect(seen.body).not.toContain('Husband');
    const add = await vol.post(`/api/patrons/${patron.id}/notes`, { kind: 'personal', body: 'x' });
    expect(add.statusCode).toBe(403);
    expect((await vol.delete(`/api/patrons/${patron.id}/notes/${personalId}`)).statusCode).toBe(404);

    const removed = await sup.delete(`/api/patrons/${patron.id}/notes/${personalId}`);
    expect(removed.json().notes.map((n: { kind: string }) => n.kind)).toEqual(['general']);
    const audit = await h().db.kysely.selectFrom('audit_log').select('action').where('org_id', '=', org.orgId).execute();
    expect(audit.map((a) => a.action)).toContain('patron.personal_note_deleted');
  });

  it('lets a volunteer delete only the general notes they wrote; other staff delete any', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const vol = await org.as('volunteer');
    const patron: PatronDetail = (await sup.post('/api/patrons', { name: 'Otto Olsen' })).json();
    const noteId = (d: PatronDetail, body: string) => d.notes.find((n) => n.body === body)!.id;
    const colleagues = noteId((await sup.post(`/api/patrons/${patron.id}/notes`, { kind: 'general', body: 'Season subscriber since 2009.' })).json(), 'Season subscriber since 2009.');
    const own = noteId((await vol.post(`/api/patrons/${patron.id}/notes`, { kind: 'general', body: 'Asked about parking.' })).json(), 'Asked about parking.');

    const refused = await vol.delete(`/api/patrons/${patron.id}/notes/${colleagues}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect((await vol.get(`/api/patrons/${patron.id}`)).json().notes.map((n: { id: number }) => n.id)).toContain(colleagues);
    expect((await vol.delete(`/api/patrons/${patron.id}/notes/${own}`)).statusCode).toBe(200);

    const mine = noteId((await vol.post(`/api/patrons/${patron.id}/notes`, { kind: 'general', body: 'Needs large print.' })).json(), 'Needs large print.');
    expect((await (await org.as('associate')).delete(`/api/patrons/${patron.id}/notes/${mine}`)).statusCode).toBe(200);
    expect((await sup.delete(`/api/patrons/${patron.id}/notes/${colleagues}`)).statusCode).toBe(200);
  });

  it('refuses a second patron with the same email and names the field', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const first = (await c.post('/api/patrons', { name: 'Uma Singh', email: 'uma@example.org' })).json();
    const dup = await c.post('/api/patrons', { name: 'U. Singh', email: 'UMA@example.org' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('email');
    const other = (await c.post('/api/patrons', { name: 'Tara T' })).json();
    const clash = await c.patch(`/api/patrons/${other.id}`, { email: 'uma@example.org' });
    expect(clash.statusCode).toBe(409);
    const bad = await c.patch(`/api/patrons/${first.id}`, { preferredName: 'Umi', phone: '555 0100' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('phone');
    const ok = await c.patch(`/api/patrons/${first.id}`, { preferredName: 'Umi', phone: '(312) 555-0100' });
    expect(ok.json()).toMatchObject({ preferredName: 'Umi', phone: '(312) 555-0100', email: 'uma@example.org' });
    expect((await c.get('/api/patrons/lookup?q=umi')).json().items[0].id).toBe(first.id);
  });

  it('lists a patron’s cases, newest activity first', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const p = (await c.post('/api/patrons', { name: 'Keiko Larsen' })).json();
    await logCall(c, { patron: undefined, patronId: p.id, subject: 'First' });
    h().clock.advance(1000);
    await logCall(c, { patron: undefined, patronId: p.id, subject: 'Second', channel: 'walk_in' });
    const detail: PatronDetail = (await c.get(`/api/patrons/${p.id}`)).json();
    const history: QueuePage = (await c.get(`/api/cases?queue=all&patronId=${p.id}`)).json();
    expect(history.items.map((x) => x.subject)).toEqual(['Second', 'First']);
    expect(detail.firstContactAt).toBeLessThan(detail.lastContactAt!);
  });
});
