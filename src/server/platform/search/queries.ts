// SQL shared by both search implementations.
import { sql, type RawBuilder } from 'kysely';
import type { CaseFilters } from './index.js';

/** The case filters as SQL on the joined `cases c`, the same on both dialects. */
export function caseFilterSql(f: CaseFilters): RawBuilder<unknown> {
  const where: RawBuilder<unknown>[] = [];
  if (f.status) where.push(sql`and c.status = ${f.status}`);
  if (f.teamId) where.push(sql`and c.team_id = ${f.teamId}`);
  if (f.from !== undefined) where.push(sql`and c.created_at >= ${f.from}`);
  if (f.to !== undefined) where.push(sql`and c.created_at < ${f.to}`);
  return sql.join(where, sql` `);
}

