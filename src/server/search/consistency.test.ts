// The same answer on both dialects: the same generated cases and patrons on SQLite and on
// PostgreSQL, then a few hundred queries drawn from that data (words, pairs, phrases, prefixes,
// accents, phone numbers, absent words, junk), compared id for id, in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../demo/random.js';
import { fold, parseQuery } from '../platform/search/index.js';
import { TEST_DATABASE_URL, makeHarness, type Harness } from '../testing/harness.js';
import { bareOrg, generate, load, madeUp, type GenCase } from './testing/generated.js';

const words = (t: string) => t.match(/[\p{L}\p{N}]+/gu) ?? [];

/** Queries drawn from the data itself, so that nobody picks kind ones. */
function queries(data: ReturnType<typeof generate>): Array<{ kind: string; q: string }> {
  const r = prng(99);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const text = (c: GenCase) => `${c.subject} ${c.body}`;
  const out: Array<{ kind: string; q: string }> = [];
  const add = (kind: string, q: string) => q.trim() && out.push({ kind, q });
  for (let i = 0; i < 40; i++) add('word', pick(words(text(pick(data.cases)))));
  for (let i = 0; i < 40; i++) {
    const w = words(text(pick(data.cases)));
    const at = Math.floor(r() * Math.max(1, w.length - 1));
    add('pair', w.slice(at, at + 2).join(' '));
  }
  for (let i = 0; i < 30; i++) {
    const w = words(pick(data.cases).subject);
    const at = Math.floor(r() * Math.max(1, w.length - 2));
    add('phrase', w.slice(at, at + 3).join(' '));
  }
  for (let i = 0; i < 40; i++) {
    const w = pick(words(text(pick(data.cases))));
    add('prefix', w.slice(0, 1 + Math.floor(r() * 4)));
  }
  for (let i = 0; i < 30; i++) {
    const name = pick(data.patrons).name;
    const [first = '', last = ''] = name.split(' ');
    add('name prefix', `${first} ${last.slice(0, 1 + Math.floor(r() * 4))}`);
  }
  for (let i = 0; i < 30; i++) {
    const name = pick(data.patrons).name;
    add('accents', r() < 0.5 ? fold(name) : name.toUpperCase());
  }
  for (let i = 0; i < 20; i++) {
    const phone = pick(data.patrons.filter((p) => p.phone)).phone!;
    const d = phone.replace(/\D/g, '').slice(-10);
    add('phone', pick([d, `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, `(${d.slice(0, 3)}) ${d.slice(3, 6)} ${d.slice(6, 8)}`, d.slice(-7)]));
  }
  for (let i = 0; i < 20; i++) add('absent', `${madeUp(6000 + i)}x`);
  for (let i = 0; i < 20; i++) {
    const w = pick(words(text(pick(data.cases)))).toLowerCase();
    const at = Math.floor(r() * w.length);
    add('typo', w.slice(0, at) + pick(['x', 'q', '']) + w.slice(at + 1));
  }
  for (let i = 0; i < 20; i++) add('mixed', `${pick(words(pick(data.cases).subject))} ${pick(data.patrons).name.split(' ')[1]!.slice(0, 3)}`);
  for (const q of ['"', '*', 'NEAR(', '-', '%', '_', 'a AND b', 'x OR 1=1', "o'b", 'th', 'the a to']) add('junk', q);
  return out;
}

describe.runIf(TEST_DATABASE_URL)('search gives the same answer on SQLite and PostgreSQL', () => {
  const hs: Record<'sqlite' | 'postgres', { h: Harness; org: number } | undefined> = { sqlite: undefined, postgres: undefined };
  const data = generate(13, { cases: 3000, patrons: 900 });

  beforeAll(async () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const h = await makeHarness(dialect);
      const org = await bareOrg(h.p.db, 'same');
      await load(h.p, org, data);
      // Edits and deletions through the index's one-document path, as the services make them.
      await h.p.db.transaction().execute(async (tx) => {
        for (const c of data.cases.filter((x) => x.id % 37 === 0)) {
          await h.p.search.upsert(tx, { orgId: org, kind: 'case', refId: c.id, title: `${c.subject} café Gómez`, body: `${c.body}\nFollow-up: résumé attached.` });
        }
        for (const c of data.cases.filter((x) => x.id % 53 === 0)) await h.p.search.remove(tx, 'case', c.id);
        for (const p of data.patrons.filter((x) => x.id % 41 === 0)) await h.p.search.remove(tx, 'patron', p.id);
      });
      hs[dialect] = { h, org };
    }
  }, 300_000);

  afterAll(async () => {
    for (const x of Object.values(hs)) await x?.h.close();
  });

  it('returns the same ids in the same order for a few hundred generated queries', async () => {
    const qs = queries(data);
    expect(qs.length).toBeGreaterThan(300);
    const differences: string[] = [];
    let found = 0;
    for (const { kind, q } of qs) {
      const query = parseQuery(q);
      const answers = [];
      for (const dialect of ['sqlite', 'postgres'] as const) {
        const { h, org } = hs[dialect]!;
        const cases = await h.p.search.searchCases(h.p.db, { orgId: org, query, limit: 20, offset: 0, filters: {} });
        const page2 = await h.p.search.searchCases(h.p.db, { orgId: org, query, limit: 20, offset: 20, filters: {} });
        const open = await h.p.search.searchCases(h.p.db, { orgId: org, query, limit: 10, offset: 0, filters: { status: 'open' } });
        const patrons = await h.p.search.searchPatrons(h.p.db, { orgId: org, query, limit: 8, offset: 0, includePersonal: false });
        const personal = await h.p.search.searchPatrons(h.p.db, { orgId: org, query, limit: 8, offset: 0, includePersonal: true });
        answers.push({ cases, page2, open, patrons, personal });
      }
      if (JSON.stringify(answers[0]) !== JSON.stringify(answers[1])) {
        differences.push(`${kind} ${JSON.stringify(q)}: sqlite ${JSON.stringify(answers[0])} postgres ${JSON.stringify(answers[1])}`);
      }
      if (answers[0]!.cases.length || answers[0]!.patrons.length) found++;
    }
    expect(differences).toEqual([]);
    // The comparison means something only if most queries find something.
    expect(found / qs.length).toBeGreaterThan(0.6);
  }, 300_000);
});
