// SQL for the admin's job screen: one organization's jobs and the system's, newest first.
import type { Kysely } from 'kysely';
import type { ListedJobState } from '../../contracts/jobs.js';
import type { Database } from '../db/types.js';

const COLUMNS = [
  'id',
  'org_id',
  'kind',
  'payload',
  'state',
  'run_at',
  'attempts',
  'max_attempts',
  'lease_expires_at',
  'last_error',
  'unique_key',
  'created_at',
  'updated_at',
  'finished_at',
] as const;

/**
 * A keyset page of jobs in `state` that belong to the organization or to no one: two index
 * range scans (jobs_org_state), merged, rather than one OR that cannot stop at the limit.
 */
export async function jobsPage(
  db: Kysely<Database>,
  orgId: number,
  state: ListedJobState,
  before: number | undefined,
  limit: number,
) {
  const page = (owned: boolean) => {
    let q = db
      .selectFrom('jobs')
      .select(COLUMNS)
      .where((eb) => (owned ? eb('org_id', '=', orgId) : eb('org_id', 'is', null)))
      .where('state', '=', state);
    if (before !== undefined) q = q.where('id', '<', before);
    return q.orderBy('id', 'desc').limit(limit).execute();
  };
  const [own, system] = [await page(true), await page(false)];
  return [...own, ...system].sort((a, b) => b.id - a.id).slice(0, limit);
}

/** A job the organization's admin may see (its own or a system job). */
export const findJob = (db: Kysely<Database>, orgId: number, id: number) =>
  db
    .selectFrom('jobs')
    .select(COLUMNS)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('org_id', '=', orgId), eb('org_id', 'is', null)]))
    .executeTakeFirst();

export type JobListRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;
