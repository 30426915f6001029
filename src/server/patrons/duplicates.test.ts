import { expect, it } from 'vitest';
import type { DuplicateCandidate, DuplicateReviewPage, PatronDetail } from '../../contracts/patrons.js';
import type { Client } from '../testing/client.js';
import { makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { matchPatrons, nameLikeness } from './match.js';
import { nameKey } from './normalize.js';

const make = async (c: Client, body: Record<string, unknown>): Promise<PatronDetail> => {
  const res = await c.post('/api/patrons', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
};
const likely = async (c: Client, id: number): Promise<DuplicateCandidate[]> => (await c.get(`/api/patrons/${id}/duplicates`)).json().items;
const review = async (c: Client, q = ''): Promise<DuplicateReviewPage> => (await c.get(`/api/patrons/duplicates?${q}`)).json();

it('normalizes names: accents, case, nicknames and order', () => {
  expect(nameKey('Bill  Smith')).toBe(nameKey('smith, William'));
  expect(nameKey('Peggy Álvarez')).toBe(nameKey('Margaret Alvarez'));
  expect(nameLikeness('Jonh Smtih', 'John Smith').first).toBeGreaterThan(0.9);
  const base = { emails: ['ruiz@example.org'], phones: [], householdId: null };
  expect(matchPatrons({ id: 1, name: 'Ana Ruiz', ...base }, { id: 2, name: 'Luis Ruiz', ...base }).score).toBeLessThan(50);
  expect(matchPatrons({ id: 1, name: 'Ana Ruiz', ...base }, { id: 2, name: 'Ana Ruiz', ...base, householdId: null }).score).toBeGreaterThanOrEqual(85);
});

describeEachDialect('patron duplicates', (h) => {
  it('shows a likely duplicate beside the patron, with its score and why', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const william = await make(c, { name: 'William Turner', phone: '(312) 555-0150' });
    const bill = await make(c, { name: 'Bill Turner', phone: '312.555.0150', email: 'bill@example.org' });
    const [candidate] = await likely(c, william.id);
    expect(candidate).toMatchObject({ patron: { id: bill.id }, level: 'likely' });
    expect(candidate!.score).toBeGreaterThanOrEqual(85);
    expect(candidate!.reasons).toEqual(expect.arrayContaining(['same phone']));
    expect((await likely(c, bill.id)).map((x) => x.patron.id)).toEqual([william.id]);
    // A typo and swapped names with a shared email.
    const jose = await make(c, { name: 'José Gómez', email: 'jgomez@example.org' });
    const swapped = await make(c, { name: 'Gomez Jose', contacts: [{ kind: 'email', value: 'JGomez@example.org' }] });
    expect((await likely(c, jose.id)).map((x) => x.patron.id)).toEqual([swapped.id]);
    const typo = await make(c, { name: 'Jonathan Marsh', email: 'jmarsh@example.org' });
    const typo2 = await make(c, { name: 'Jonathon Marsh', contacts: [{ kind: 'email', value: 'jmarsh@example.org' }] });
    expect((await likely(c, typo.id)).map((x) => x.patron.id)).toEqual([typo2.id]);
  });

  it('does not flag a family sharing an email, and keeps a same-name stranger for the review screen only', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const ana = await make(c, { name: 'Ana Ruiz', email: 'ana@example.org', contacts: [{ kind: 'email', value: 'ruiz.family@example.org' }] });
    const luis = await make(c, { name: 'Luis Ruiz', contacts: [{ kind: 'email', value: 'ruiz.family@example.org' }] });
    expect(await likely(c, ana.id)).toEqual([]);
    expect((await review(c)).items.filter((x) => [x.a.id, x.b.id].includes(luis.id))).toEqual([]);
    // Same name, nothing else shared: possible, on the review screen only.
    const m1 = await make(c, { name: 'Maria Lopez', email: 'maria1@example.org' });
    const m2 = await make(c, { name: 'María López', email: 'maria2@example.org' });
    expect(await likely(c, m1.id)).toEqual([]);
    const pairs = (await review(c)).items;
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ level: 'possible', a: { id: m1.id }, b: { id: m2.id } });
    expect((await review(c, 'level=likely')).items).toEqual([]);
    expect((await (await org.as('volunteer')).get('/api/patrons/duplicates')).statusCode).toBe(403);
  });

  it('remembers "not the same person", and never flags members of one household', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const a = await make(c, { name: 'Sam Lee', email: 'sam.lee@example.org' });
    const b = await make(c, { name: 'Samuel Lee', contacts: [{ kind: 'email', value: 'sam.lee@example.org' }] });
    expect((await likely(c, a.id)).map((x) => x.patron.id)).toEqual([b.id]);
    const said = await c.post(`/api/patrons/${a.id}/not-duplicate`, { otherId: b.id });
    expect(said.statusCode).toBe(200);
    expect(await likely(c, a.id)).toEqual([]);
    // Editing either one does not bring the pair back.
    await c.patch(`/api/patrons/${b.id}`, { name: 'Sam Lee' });
    await c.post(`/api/patrons/${a.id}/contacts`, { kind: 'phone', value: '(312) 555-0160' });
    expect(await likely(c, a.id)).toEqual([]);
    expect(await likely(c, b.id)).toEqual([]);
    const audit = await h().db.kysely.selectFrom('audit_log').select('action').where('org_id', '=', org.orgId).execute();
    expect(audit.map((x) => x.action)).toContain('patron.marked_distinct');

    const x = await make(c, { name: 'Kim Park', email: 'parks@example.org' });
    const y = await make(c, { name: 'Kim Park', contacts: [{ kind: 'email', value: 'parks@example.org' }] });
    expect((await likely(c, x.id)).map((d) => d.patron.id)).toEqual([y.id]);
    expect((await c.post(`/api/patrons/${x.id}/household`, { otherId: y.id })).statusCode).toBe(200);
    expect(await likely(c, x.id)).toEqual([]);
    expect((await review(c)).items).toEqual([]);
    const self = await c.post(`/api/patrons/${x.id}/household`, { otherId: x.id });
    expect(self.json().error.field).toBe('otherId');
  });

  it('pages the review screen best first with a cursor', async () => {
    const org = await makeOrg(h());
    const c = await org.as('supervisor');
    for (let i = 0; i < 5; i++) {
      await make(c, { name: `Pat Quinn${'abcde'[i]}`, email: `q${i}@example.org` });
      await make(c, { name: `Pat Quinn${'abcde'[i]}`, contacts: [{ kind: 'email', value: `q${i}@example.org` }] });
      await make(c, { name: `Lee Moss${'abcde'[i]}`, email: `m${i}a@example.org` });
      await make(c, { name: `Lee Moss${'abcde'[i]}`, email: `m${i}b@example.org` });
    }
    const first = await review(c, 'limit=4');
    expect(first.items).toHaveLength(4);
    const second = await review(c, `limit=10&after=${first.nextCursor}`);
    const all = [...first.items, ...second.items];
    expect(all).toHaveLength(10);
    expect(second.nextCursor).toBeNull();
    const scores = all.map((x) => x.score);
    expect(scores).toEqual([...scores].sort((p, q) => q - p));
    expect(all.slice(0, 5).every((x) => x.level === 'likely')).toBe(true);
    expect((await c.get('/api/patrons/duplicates?after=bogus!')).statusCode).toBe(400);
  });
});
