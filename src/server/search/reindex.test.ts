// Migration 0005 re-indexes existing rows with a frozen copy of the text rules. This checks that
// the copy still writes exactly what the application writes: when it fails, the rules changed,
// and existing databases need a new migration that re-indexes with the new rules.
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { reindex } from '../db/migrations/0005_search.js';
import type { Database } from '../db/types.js';
import { reindexPatronsBatch } from '../patrons/api.js';
import { logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';

async function snapshot(db: Kysely<Database>) {
  const terms = await sql<{ s: string }>`select t.org_id || '|' || t.scope || '|' || t.term || '|' || t.df as s from search_terms t where t.df > 0`.execute(db);
  const postings = await sql<{ s: string }>`
    select t.scope || '|' || t.term || '|' || p.doc_id as s from search_postings p join search_terms t on t.id = p.term_id`.execute(db);
  const words = await sql<{ s: string }>`select org_id || '|' || kind || '|' || word || '|' || stem as s from search_words`.execute(db);
  const docs = await db.selectFrom('search_docs').select(['id', 'org_id', 'title', 'terms']).execute();
  return {
    terms: terms.rows.map((r) => r.s).sort(),
    postings: postings.rows.map((r) => r.s).sort(),
    words: words.rows.map((r) => r.s).sort(),
    // The order of a document's distinct terms is not part of what it means.
    docs: docs.map((d) => `${d.id}|${d.org_id}|${d.title}|${d.terms.split(' ').sort().join(' ')}`).sort(),
  };
}

describeEachDialect('re-indexing in migration 0005', (h) => {
  it('writes the same index as the application', async () => {
    const org = await makeOrg(h());
    const c = await org.as('supervisor');
    const { ref } = await logCall(c, { subject: 'Réfund for “Hamlet” — O’Brien', patron: { name: 'Søren O’Brien', phone: '+1 (312) 555-0142', email: 'soren@example.org' } });
    await c.post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'Straße, café, naïve résumé; SW-1042 and 2024-11-23.' });
    await c.post(`/api/cases/${ref}/entries`, { kind: 'note', body: 'Refunded 100% via the box-office.' });
    await logCall(c, { subject: 'Wheelchair seating', body: 'Row A, please.', patron: { name: 'Zoë Müller', email: 'zoe@example.org' } });
    const patron = (await c.post('/api/patrons', { name: 'Nguyễn Thị Lan', preferredName: 'Lan' })).json();
    await c.post(`/api/patrons/${patron.id}/notes`, { kind: 'personal', body: 'Daughter in hospital; prefers mornings.' });
    await c.post(`/api/patrons/${patron.id}/notes`, { kind: 'personal', body: 'Speaks Vietnamese.' });
    await c.patch(`/api/patrons/${patron.id}`, { phone: '773.555.0199' });

    const db = h().p.db;
    const written = await snapshot(db);
    expect(written.docs.length).toBeGreaterThanOrEqual(6);
    for (const t of ['search_postings', 'search_terms', 'search_words', 'search_docs'] as const) await db.deleteFrom(t).execute();
    await reindex(db);
    // Migration 0009 then rewrites patrons' documents through the application (contact points).
    for (let after: number | null = 0; after !== null; ) after = await reindexPatronsBatch(h().p, after, db);
    expect(await snapshot(db)).toEqual(written);
  });
});
