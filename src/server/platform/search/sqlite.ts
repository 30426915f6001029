// SQLite: contentless FTS5 tables (no second copy of the text) with porter stemming, one for
// cases (rowid = case id) and one for patrons (rowid = patron id * 2 + part). Organization
// and filters come from joining the owning row.
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

const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;

/** The FTS5 MATCH expression of a tier. Terms are letters and digits only (queryTerms). */
export function ftsMatch(tier: Tier, terms: string[], prefix = false): string {
  const words = terms.map((t, i) => (prefix && i === terms.length - 1 ? `${quote(t)}*` : quote(t)));
  if (tier === 'phrase') return `{title} : ${quote(terms.join(' '))}`;
  if (tier === 'title') return `{title} : (${words.join(' AND ')})`;
  return `{title body} : (${words.join(' AND ')})`;
}

const tableOf = (kind: DocKind) => sql.table(kind === 'case' ? 'cases_fts' : 'patrons_fts');

export class SqliteSearch implements SearchIndex {
  async upsert(tx: Kysely<Database>, doc: SearchDoc): Promise<void> {
    await sql`insert or replace into ${tableOf(doc.kind)} (rowid, title, body) values (${docId(doc.kind, doc.refId)}, ${doc.title}, ${doc.body.slice(0, MAX_DOC_CHARS)})`.execute(
      tx,
    );
  }

  async remove(tx: Kysely<Database>, kind: DocKind, refId: number): Promise<void> {
    await sql`delete from ${tableOf(kind)} where rowid = ${docId(kind, refId)}`.execute(tx);
  }

  async documentIds(db: Kysely<Database>, kind: DocKind, word: string): Promise<number[]> {
    const rows = await sql<{ id: number }>`
      select rowid as id from ${tableOf(kind)} where ${tableOf(kind)} match ${quote(word.toLowerCase())}
      order by rowid`.execute(db);
    return rows.rows.map((r) => Number(r.id));
  }

  async searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<number[]> {
    const filters = caseFilterSql(q.filters);
    return rankByTiers(q.terms, q.offset, q.limit, async (tier, n) => {
      const rows = await sql<{ id: number }>`
        select c.id as id
        from cases_fts f join cases c on c.id = f.rowid
        where cases_fts match ${ftsMatch(tier, q.terms)} and c.org_id = ${q.orgId} ${filters}
        order by f.rowid desc
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
        select p.id as id
        from patrons_fts f join patrons p on p.id = f.rowid / 2
        where patrons_fts match ${ftsMatch(tier, q.terms, q.prefix)} and p.org_id = ${q.orgId}
          ${q.includePersonal ? sql`` : sql`and f.rowid % 2 = 0`}
        order by f.rowid desc
        limit ${n}`.execute(db);
      return rows.rows.map((r) => r.id);
    });
  }
}
