// PostgreSQL: a tsvector per document (title weighted A, body B) under a GIN index, English
// stemming to match SQLite's porter tokenizer, one table for cases and one for patrons. The
// text itself is not stored twice. A tier restricts lexemes to weight A (the title) and uses
// <-> for the phrase.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/types.js';
import {
  MAX_DOC_CHARS,
  docId,
  rankByTiers,
  type CaseFilters,
  type DocKind,
  type SearchDoc,
  type SearchIndex,
  type SearchQuery,
  type Tier,
} from './index.js';

/** The to_tsquery text of a tier. Terms are letters and digits only (queryTerms): safe here. */
export function tsQuery(tier: Tier, terms: string[], prefix = false): string {
  const weight = tier === 'anywhere' ? '' : 'A';
  const words = terms.map((t, i) => {
    const star = prefix && i === terms.length - 1 ? '*' : '';
    return star || weight ? `${t}:${star}${weight}` : t;
  });
  return words.join(tier === 'phrase' ? ' <-> ' : ' & ');
}

const tableOf = (kind: DocKind) => sql.table(kind === 'case' ? 'cases_search' : 'patrons_search');

export class PostgresSearch implements SearchIndex {
  async upsert(tx: Kysely<Database>, doc: SearchDoc): Promise<void> {
    const body = doc.body.slice(0, MAX_DOC_CHARS);
    await sql`
      insert into ${tableOf(doc.kind)} (id, org_id, tsv)
      values (${docId(doc.kind, doc.refId)}, ${doc.orgId},
        setweight(to_tsvector('english', ${doc.title}), 'A') || setweight(to_tsvector('english', ${body}), 'B'))
      on conflict (id) do update set tsv = excluded.tsv`.execute(tx);
  }

  async remove(tx: Kysely<Database>, kind: DocKind, refId: number): Promise<void> {
    await sql`delete from ${tableOf(kind)} where id = ${docId(kind, refId)}`.execute(tx);
  }

  async searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<number[]> {
    const f = q.filters;
    const where: RawBuilder<unknown>[] = [];
    if (f.status) where.push(sql`and c.status = ${f.status}`);
    if (f.teamId) where.push(sql`and c.team_id = ${f.teamId}`);
    if (f.from !== undefined) where.push(sql`and c.created_at >= ${f.from}`);
    if (f.to !== undefined) where.push(sql`and c.created_at < ${f.to}`);
    return rankByTiers(q.terms, q.offset, q.limit, async (tier, n) => {
      const rows = await sql<{ id: number }>`
        select c.id
        from cases_search s join cases c on c.id = s.id
        where s.tsv @@ to_tsquery('english', ${tsQuery(tier, q.terms)})
          and s.org_id = ${q.orgId} ${sql.join(where, sql` `)}
        order by s.id desc
        limit ${n}`.execute(db);
      return rows.rows.map((r) => r.id);
    });
  }

  async searchPatrons(
    db: Kysely<Database>,
    q: SearchQuery & { includePersonal: boolean; prefix: boolean },
  ): Promise<number[]> {
    return rankByTiers(q.terms, q.offset, q.limit, async (tier, n) => {
      const rows = await sql<{ id: number }>`
        select s.id / 2 as id from patrons_search s
        where s.tsv @@ to_tsquery('english', ${tsQuery(tier, q.terms, q.prefix)})
          and s.org_id = ${q.orgId} ${q.includePersonal ? sql`` : sql`and s.id % 2 = 0`}
        order by s.id desc
        limit ${n}`.execute(db);
      return rows.rows.map((r) => Number(r.id));
    });
  }
}
