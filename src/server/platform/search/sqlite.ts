// SQLite: a contentless FTS5 table (no second copy of the text) with porter stemming. The
// `scope` column carries "o<org> k<kind>" so that one MATCH narrows to an organization and
// kind inside the index itself.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import {
  DOC_KINDS,
  MAX_DOC_CHARS,
  docId,
  type CaseFilters,
  type DocKind,
  type Hit,
  type SearchDoc,
  type SearchIndex,
  type SearchQuery,
} from './index.js';

const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;

/** All terms must match in title or body; the last one as a prefix (search as you type). */
export function ftsMatch(orgId: number, terms: string[], kinds: DocKind[]): string {
  const words = terms.map((t, i) => (i === terms.length - 1 ? `${quote(t)}*` : quote(t)));
  const kindExpr = kinds.map((k) => quote(`k${DOC_KINDS[k]}`)).join(' OR ');
  return `{title body} : (${words.join(' AND ')}) AND scope : ${quote(`o${orgId}`)} AND scope : (${kindExpr})`;
}

export class SqliteSearch implements SearchIndex {
  async upsert(tx: Kysely<Database>, doc: SearchDoc): Promise<void> {
    await sql`insert or replace into search_fts (rowid, title, body, scope) values (${docId(doc.kind, doc.refId)}, ${doc.title}, ${doc.body.slice(0, MAX_DOC_CHARS)}, ${`o${doc.orgId} k${DOC_KINDS[doc.kind]}`})`.execute(
      tx,
    );
  }

  async remove(tx: Kysely<Database>, kind: DocKind, refId: number): Promise<void> {
    await sql`delete from search_fts where rowid = ${docId(kind, refId)}`.execute(tx);
  }

  async searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<Hit[]> {
    if (!q.terms.length) return [];
    const f = q.filters;
    const rows = await sql<{ id: number; score: number }>`
      select c.id as id, bm25(search_fts, 10.0, 1.0, 0.0) as score
      from search_fts join cases c on c.id = search_fts.rowid / 4
      where search_fts match ${ftsMatch(q.orgId, q.terms, ['case'])}
        ${f.status ? sql`and c.status = ${f.status}` : sql``}
        ${f.teamId ? sql`and c.team_id = ${f.teamId}` : sql``}
        ${f.from !== undefined ? sql`and c.created_at >= ${f.from}` : sql``}
        ${f.to !== undefined ? sql`and c.created_at < ${f.to}` : sql``}
      order by score, c.id desc
      limit ${q.limit} offset ${q.offset}`.execute(db);
    // bm25 is lower-is-better and negative; flip it so that higher is better everywhere.
    return rows.rows.map((r) => ({ refId: r.id, score: -r.score }));
  }

  async searchPatrons(
    db: Kysely<Database>,
    q: SearchQuery & { includePersonal: boolean },
  ): Promise<Hit[]> {
    if (!q.terms.length) return [];
    const kinds: DocKind[] = q.includePersonal ? ['patron', 'patronPersonal'] : ['patron'];
    // bm25() cannot run inside an aggregate: rank the matches first, then keep each patron's best.
    const rows = await sql<{ ref_id: number; score: number }>`
      with m as materialized (
        select rowid / 4 as ref_id, bm25(search_fts, 10.0, 1.0, 0.0) as score
        from search_fts
        where search_fts match ${ftsMatch(q.orgId, q.terms, kinds)}
      )
      select ref_id, min(score) as score from m
      group by ref_id
      order by score, ref_id desc
      limit ${q.limit} offset ${q.offset}`.execute(db);
    return rows.rows.map((r) => ({ refId: r.ref_id, score: -r.score }));
  }
}
