// PostgreSQL: a tsvector per document (title weighted A, body B) under a GIN index, English
// stemming to match SQLite's porter tokenizer. The text itself is not stored twice. A tier
// restricts lexemes to weight A (the title) and uses <-> for the phrase.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/types.js';
import {
  DOC_KINDS,
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
  const title = tier === 'anywhere' ? '' : 'A';
  const words = terms.map((t, i) => `${t}:${prefix && i === terms.length - 1 ? '*' : ''}${title}`.replace(/:$/, ''));
  return words.join(tier === 'phrase' ? ' <-> ' : ' & ');
}

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
        from search_docs d join cases c on c.id = d.ref_id
        where d.tsv @@ to_tsquery('english', ${tsQuery(tier, q.terms)})
          and d.org_id = ${q.orgId} and d.kind = ${DOC_KINDS.case} ${sql.join(where, sql` `)}
        order by d.id desc
        limit ${n}`.execute(db);
      return rows.rows.map((r) => r.id);
    });
  }

  async searchPatrons(
    db: Kysely<Database>,
    q: SearchQuery & { includePersonal: boolean; prefix: boolean },
  ): Promise<number[]> {
    const kinds = q.includePersonal ? [DOC_KINDS.patron, DOC_KINDS.patronPersonal] : [DOC_KINDS.patron];
    return rankByTiers(q.terms, q.offset, q.limit, async (tier, n) => {
      const rows = await sql<{ ref_id: number }>`
        select d.ref_id from search_docs d
        where d.tsv @@ to_tsquery('english', ${tsQuery(tier, q.terms, q.prefix)})
          and d.org_id = ${q.orgId} and d.kind in (${sql.join(kinds)})
        order by d.id desc
        limit ${n}`.execute(db);
      return rows.rows.map((r) => r.ref_id);
    });
  }
}
