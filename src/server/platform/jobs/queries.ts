// SQL of the job table, both dialects. A job is claimable when `available_at` has passed and
// it is queued, or running with an expired lease; one partial index (jobs_due) serves that.
import { PostgresAdapter, sql, type Kysely, type QueryCreator } from 'kysely';
import type { Database, JobState } from '../../db/types.js';

// Literal, not bound, and the very text of the index's condition: SQLite uses a partial index
// only when the query's WHERE repeats its term.
const CLAIMABLE = sql.raw<boolean>(`state in ('queued', 'running')`);
const DONE = sql.raw<boolean>(`state = 'done'`);

export const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The NOTIFY channel of the schema the connection works in: instances on one schema share it,
 * tests (a schema per file) do not hear each other. Worked out by the database so that an
 * enqueue inside any transaction needs no configuration.
 */
export const CHANNEL = sql<string>`left('servewell_jobs_' || current_schema(), 63)`;

export interface NewJob {
  org_id: number | null;
  kind: string;
  payload: string;
  run_at: number;
  max_attempts: number;
  unique_key: string | null;
  now: number;
}

/** A new job's row: queued, available at its run time, no attempt yet. */
const jobRow = (job: NewJob) => ({
  org_id: job.org_id,
  kind: job.kind,
  payload: job.payload,
  state: 'queued' as const,
  run_at: job.run_at,
  available_at: job.run_at,
  attempts: 0,
  max_attempts: job.max_attempts,
  unique_key: job.unique_key,
  created_at: job.now,
  updated_at: job.now,
});

/** Inserts a job; null when its unique key already exists. On PostgreSQL also NOTIFYs (at commit). */
export async function insertJob(db: Kysely<Database>, job: NewJob): Promise<number | null> {
  const insert = (d: QueryCreator<Database>) =>
    d
      .insertInto('jobs')
      .values(jobRow(job))
      .onConflict((oc) => oc.doNothing())
      .returning('id');
  if (!isPostgres(db)) return (await insert(db).executeTakeFirst())?.id ?? null;
  // One round trip: the notification goes out only if a row went in.
  const row = await db
    .with('inserted', insert)
    .selectFrom('inserted')
    .select(['id', sql`pg_notify(${CHANNEL}, '')`.as('notified')])
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Inserts jobs in one statement (those whose unique key exists already are left out) and
 * returns how many went in. On PostgreSQL one NOTIFY for them all, only if any went in.
 */
export async function insertJobs(db: Kysely<Database>, jobs: readonly NewJob[]): Promise<number> {
  if (!jobs.length) return 0;
  const rows = await db
    .insertInto('jobs')
    .values(
      jobs.map(jobRow),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  if (rows.length) await notifyRunners(db);
  return rows.length;
}

/** Wakes the runners of every instance on this schema when the transaction commits. */
export async function notifyRunners(db: Kysely<Database>): Promise<void> {
  if (isPostgres(db)) await sql`select pg_notify(${CHANNEL}, '')`.execute(db);
}

export interface Claimed {
  id: number;
  kind: string;
  payload: string;
  org_id: number | null;
  run_at: number;
  attempts: number;
  max_attempts: number;
  unique_key: string | null;
}

/**
 * Takes up to `limit` due jobs (of one `kind` when given: a batch's top-up), oldest due first,
 * under a lease for `owner`; counts the attempt. PostgreSQL skips rows another instance is
 * claiming; SQLite has one writer.
 * (The builder is exported for the benchmark, which replays the very statement.)
 */
export function claimQuery(db: Kysely<Database>, c: { now: number; owner: string; leaseMs: number; limit: number; kind?: string }) {
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where(CLAIMABLE)
    .where('available_at', '<=', c.now)
    .$if(c.kind !== undefined, (qb) => qb.where('kind', '=', c.kind!))
    .orderBy('available_at')
    .orderBy('id')
    .limit(c.limit);
  if (isPostgres(db)) due = due.forUpdate().skipLocked();
  const leaseEnd = c.now + c.leaseMs;
  return db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      attempts: eb('attempts', '+', 1),
      lease_owner: c.owner,
      lease_expires_at: leaseEnd,
      available_at: leaseEnd,
      updated_at: c.now,
    }))
    .where('id', 'in', due)
    .returning(['id', 'kind', 'payload', 'org_id', 'run_at', 'attempts', 'max_attempts', 'unique_key']);
}

export const claimDue = (db: Kysely<Database>, c: Parameters<typeof claimQuery>[1]): Promise<Claimed[]> =>
  claimQuery(db, c).execute();

/**
 * PostgreSQL: fresh planner statistics for the job table. A burst (10,000 jobs due at once, or
 * made within a minute) turns the table over faster than autovacuum looks at it; planned on
 * statistics from before it, the claim sorted every due job instead of reading the first few
 * in index order (40 ms a claim instead of 1). Skipped when another ANALYZE runs.
 */
export async function refreshJobStatistics(db: Kysely<Database>): Promise<void> {
  if (isPostgres(db)) await sql`analyze (skip_locked) jobs`.execute(db);
}

/** When the next job becomes claimable (a queued job's run_at or a lease's expiry), if any. */
export async function nextAvailableAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('jobs')
    .select('available_at')
    .where(CLAIMABLE)
    .orderBy('available_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.available_at ?? null;
}

export interface Held {
  id: number;
  attempts: number;
  unique_key: string | null;
}

/**
 * Marks one job done if this claim (owner and attempt) still holds it: keyed jobs stay as
 * `done` (so the key keeps refusing duplicates until the retention purge), others go.
 */
export async function completeOne(db: Kysely<Database>, job: Held, owner: string, now: number): Promise<boolean> {
  const result = job.unique_key
    ? await db
        .updateTable('jobs')
        .set({ state: 'done', finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null })
        .where('id', '=', job.id)
        .where('lease_owner', '=', owner)
        .where('attempts', '=', job.attempts)
        .where('state', '=', 'running')
        .executeTakeFirst()
    : await db
        .deleteFrom('jobs')
        .where('id', '=', job.id)
        .where('lease_owner', '=', owner)
        .where('attempts', '=', job.attempts)
        .where('state', '=', 'running')
        .executeTakeFirst();
  const n = 'numUpdatedRows' in result ? result.numUpdatedRows : result.numDeletedRows;
  return n === 1n;
}

/**
 * Marks a batch of jobs done in at most two statements. Only jobs still leased to `owner`
 * count; the attempt is not checked here, because the one way one owner holds another claim
 * of the same job is its own stale duplicate, and these handlers are at-least-once anyway.
 */
export async function completeMany(db: Kysely<Database>, jobs: Held[], owner: string, now: number): Promise<void> {
  const keyed = jobs.filter((j) => j.unique_key !== null).map((j) => j.id);
  const plain = jobs.filter((j) => j.unique_key === null).map((j) => j.id);
  if (plain.length) await completePlainQuery(db, plain, owner).execute();
  if (keyed.length) {
    await db
      .updateTable('jobs')
      .set({ state: 'done', finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null })
      .where('id', 'in', keyed)
      .where('lease_owner', '=', owner)
      .where('state', '=', 'running')
      .execute();
  }
}

/**
 * Marks a whole batch done in the caller's transaction, if this claim (owner and attempt)
 * still holds every job of it; false otherwise (the caller rolls back). The rows are read and,
 * on PostgreSQL, locked in id order first, so that a lease renewal on the same jobs waits
 * instead of deadlocking; then written by primary key alone (a condition on state or owner
 * lets the planner, on statistics older than a burst, scan every due job instead).
 */
export async function completeBatch(tx: Kysely<Database>, jobs: readonly Held[], owner: string, now: number): Promise<boolean> {
  const ids = jobs.map((j) => j.id);
  const rows = await lockInOrder(tx, ids).select(['lease_owner', 'state', 'attempts']).execute();
  const found = new Map(rows.map((r) => [r.id, r]));
  const held = jobs.every((j) => {
    const r = found.get(j.id);
    return r !== undefined && r.lease_owner === owner && r.state === 'running' && r.attempts === j.attempts;
  });
  if (!held) return false;
  const keyed = jobs.filter((j) => j.unique_key !== null).map((j) => j.id);
  const plain = jobs.filter((j) => j.unique_key === null).map((j) => j.id);
  if (keyed.length) {
    await tx
      .updateTable('jobs')
      .set({ state: 'done', finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null })
      .where('id', 'in', keyed)
      .execute();
  }
  if (plain.length) await tx.deleteFrom('jobs').where('id', 'in', plain).execute();
  return true;
}

/** Job rows by id, locked in id order on PostgreSQL (SQLite has one writer). */
const lockInOrder = (tx: Kysely<Database>, ids: number[]) =>
  tx
    .selectFrom('jobs')
    .select('id')
    .where('id', 'in', ids)
    .orderBy('id')
    .$if(isPostgres(tx), (qb) => qb.forUpdate());

/** Done jobs without a key leave the table. */
export const completePlainQuery = (db: Kysely<Database>, ids: number[], owner: string) =>
  db.deleteFrom('jobs').where('id', 'in', ids).where('lease_owner', '=', owner).where('state', '=', 'running');

/** After a failed attempt: back to queued for `retryAt`, or dead when `retryAt` is null. */
export async function failOne(
  db: Kysely<Database>,
  job: Held,
  owner: string,
  f: { now: number; error: string; retryAt: number | null },
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set(
      f.retryAt === null
        ? { state: 'dead', finished_at: f.now }
        : { state: 'queued', run_at: f.retryAt, available_at: f.retryAt },
    )
    .set({ last_error: f.error, lease_owner: null, lease_expires_at: null, updated_at: f.now })
    .where('id', '=', job.id)
    .where('lease_owner', '=', owner)
    .where('attempts', '=', job.attempts)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Extends the leases still held; returns the ids that were (the rest are lost). Run it in a
 * transaction: the rows are locked in id order first, as a batch's completion locks them.
 */
export async function renewLeases(
  tx: Kysely<Database>,
  ids: number[],
  owner: string,
  leaseEnd: number,
  now: number,
): Promise<Set<number>> {
  const mine = (await lockInOrder(tx, ids).select(['lease_owner', 'state']).execute())
    .filter((r) => r.lease_owner === owner && r.state === 'running')
    .map((r) => r.id);
  if (mine.length) {
    await tx.updateTable('jobs').set({ lease_expires_at: leaseEnd, available_at: leaseEnd, updated_at: now }).where('id', 'in', mine).execute();
  }
  return new Set(mine);
}

/** Graceful stop: jobs still held go back to queued, due at once, the attempt not counted. */
export async function releaseHeld(db: Kysely<Database>, ids: number[], owner: string, now: number): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'queued',
      attempts: eb('attempts', '-', 1),
      available_at: eb.ref('run_at'),
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    }))
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes up to `limit` done rows finished before `before`; returns how many. */
export async function purgeDone(db: Kysely<Database>, before: number, limit: number): Promise<number> {
  const old = db
    .selectFrom('jobs')
    .select('id')
    .where(DONE)
    .where('finished_at', '<', before)
    .orderBy('finished_at')
    .limit(limit);
  const result = await db.deleteFrom('jobs').where('id', 'in', old).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- the admin's two moves ---------------------------------------------------------------

/** A dead job runs again from its first attempt, now (false if it is not dead). */
export async function retryDeadJob(db: Kysely<Database>, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: now, available_at: now, finished_at: null, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'dead')
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) return false;
  await notifyRunners(db);
  return true;
}

/** Removes a job that no worker holds: queued or dead (false otherwise). */
export async function discardJob(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('jobs')
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'dead'] satisfies JobState[])
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}
