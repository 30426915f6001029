// PostgreSQL: a tsvector per document (title weighted A, body B) under a GIN index, English
// stemming to match SQLite's porter tokenizer. The text itself is not stored twice.
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

/** Terms are letters and digits only (see queryTerms), so they are safe inside to_tsquery. */
export function tsQuery(terms: string[]): string {
  return terms.map((t, i) => (i === terms.length - 1 ? `${t}:*` : t)).join(' & ');
}

// Weights {D, C, B, A}: a subject (A) match counts ten times a body (B) match.
const WEIGHTS = sql.raw(`'{0.0, 0.0, 0.1, 1.0}'`);

export class PostgresSearch implements SearchIndex {
  async upsert(tx: Kysely<Database>, doc: SearchDoc): Promise<void> {
    const body = doc.body.slice(0, MAX_DOC_CHARS);
    await sql`
      insert into search_docs (id, org_id, kind, ref_id, tsv)
      values (${docId(doc.kind, doc.refId)}, ${doc.orgId}, ${DOC_KINDS[doc.kind]}, ${doc.refId},
        setweight(to_tsvector('english', ${doc.title}), 'A') || setweight(to_tsvector('english', ${body}), 'B'))
      on conflict (id) do update set tsv = excluded.tsv`.execute(tx);
  }

  async remove(tx: Kysely<Database>, kind: DocKind, refId: number): Promise<void> {
    await sql`delete from search_docs where id = ${docId(kind, refId)}`.execute(tx);
  }

  async searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<Hit[]> {
    if (!q.terms.length) return [];
    const f = q.filters;
    const rows = await sql<{ id: number; score: number }>`
      select c.id, ts_rank(${WEIGHTS}, d.tsv, query) as score
      from search_docs d
        cross join to_tsquery('english', ${tsQuery(q.terms)}) query
        join cases c on c.id = d.ref_id
      where d.tsv @@ query and d.org_id = ${q.orgId} and d.kind = ${DOC_KINDS.case}
        ${f.status ? sql`and c.status = ${f.status}` : sql``}
        ${f.teamId ? sql`and c.team_id = ${f.teamId}` : sql``}
        ${f.from !== undefined ? sql`and c.created_at >= ${f.from}` : sql``}
        ${f.to !== undefined ? sql`and c.created_at < ${f.to}` : sql``}
      order by score desc, c.id desc
      limit ${q.limit} offset ${q.offset}`.execute(db);
    return rows.rows.map((r) => ({ refId: r.id, score: r.score }));
  }

  async searchPatrons(
    db: Kysely<Database>,
    q: SearchQuery & { includePersonal: boolean },
  ): Promise<Hit[]> {
    if (!q.terms.length) return [];
    const kinds = q.includePersonal
      ? [DOC_KINDS.patron, DOC_KINDS.patronPersonal]
      : [DOC_KINDS.patron];
    const rows = await sql<{ ref_id: number; score: number }>`
      select d.ref_id, max(ts_rank(${WEIGHTS}, d.tsv, query)) as score
      from search_docs d cross join to_tsquery('english', ${tsQuery(q.terms)}) query
      where d.tsv @@ query and d.org_id = ${q.orgId} and d.kind in (${sql.join(kinds)})
      group by d.ref_id
      order by score desc, d.ref_id desc
      limit ${q.limit} offset ${q.offset}`.execute(db);
    return rows.rows.map((r) => ({ refId: r.ref_id, score: r.score }));
  }
}
