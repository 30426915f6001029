// PostgreSQL: a tsvector per document (title weighted A, body B) under a GIN index, English
// stemming to match SQLite's porter tokenizer, one table for cases and one for patrons. The
// text itself is not stored twice. A tier restricts lexemes to weight A (the title) and uses
// <-> for the phrase.
//
// GIN cannot return matches in id order, so for each tier the planner picks between walking
// ids newest first (fast when matches are dense) and collecting every match (fast when they
// are rare). For the title tiers its guess fails on common words that seldom meet, e.g. the
// phrase "refund cancelled" when subjects say "refund for cancelled": 400 ms at a million
// cases. Those tiers therefore run on a time budget and are skipped when they overrun; their
// cases still appear, newest first, in the words-anywhere tier.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import {
  MAX_DOC_CHARS,
  docId,
  type CaseFilters,
  rankByTiers,
  type DocKind,
  type SearchDoc,
  type SearchIndex,
  type SearchQuery,
  type Tier,
} from './index.js';
import { caseFilterSql } from './queries.js';

/** How long a title tier may take before it is skipped (see above). */
export const TITLE_TIER_BUDGET_MS = 60;

const QUERY_CANCELED = '57014';

/** Runs a tier within a time budget; undefined when it overran. */
async function withinBudget<T>(db: Kysely<Database>, tier: Tier, run: (db: Kysely<Database>) => Promise<T>) {
  if (tier === 'anywhere') return run(db);
  try {
    return await db.transaction().execute(async (tx) => {
      await sql`set local statement_timeout = ${sql.lit(TITLE_TIER_BUDGET_MS)}`.execute(tx);
      return run(tx);
    });
  } catch (err) {
    if ((err as { code?: string }).code === QUERY_CANCELED) return undefined;
    throw err;
  }
}

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

  async documentIds(db: Kysely<Database>, kind: DocKind, word: string): Promise<number[]> {
    const rows = await sql<{ id: number }>`
      select id from ${tableOf(kind)} where tsv @@ plainto_tsquery('english', ${word}) order by id`.execute(db);
    return rows.rows.map((r) => Number(r.id));
  }

  async searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<number[]> {
    const filters = caseFilterSql(q.filters);
    return rankByTiers(q.terms, q.offset, q.limit, async (tier, n) => {
      const rows = await withinBudget(db, tier, (conn) =>
        sql<{ id: number }>`
          select c.id
          from cases_search s join cases c on c.id = s.id
          where s.tsv @@ to_tsquery('english', ${tsQuery(tier, q.terms)})
            and s.org_id = ${q.orgId} ${filters}
          order by s.id desc
          limit ${n}`.execute(conn),
      );
      return rows?.rows.map((r) => r.id) ?? [];
    });
  }

  async searchPatrons(
    db: Kysely<Database>,
    q: SearchQuery & { includePersonal: boolean; prefix: boolean },
  ): Promise<number[]> {
    return rankByTiers(q.terms, q.offset, q.limit, async (tier, n) => {
      const rows = await withinBudget(db, tier, (conn) =>
        sql<{ id: number }>`
          select s.id / 2 as id from patrons_search s
          where s.tsv @@ to_tsquery('english', ${tsQuery(tier, q.terms, q.prefix)})
            and s.org_id = ${q.orgId} ${q.includePersonal ? sql`` : sql`and s.id % 2 = 0`}
          order by s.id desc
          limit ${n}`.execute(conn),
      );
      return rows?.rows.map((r) => Number(r.id)) ?? [];
    });
  }
}
