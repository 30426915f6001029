// Enqueueing: a job row written with the caller's transaction handle, so the job exists if and
// only if the change that needs it commits.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Clock } from '../clock.js';
import type { JobType } from './define.js';
import { insertJob, insertJobs, type NewJob } from './queries.js';

export interface EnqueueOptions {
  /** Not before this instant (epoch ms); default now. */
  runAt?: number;
  /**
   * Makes the enqueue idempotent: a second job with the same key is not created while the
   * first is queued, running, dead, or done within the retention period (30 days).
   */
  uniqueKey?: string;
  /** The organization the job works for; admins of that organization see it. Null: system. */
  orgId?: number | null;
  /** Overrides the kind's maxAttempts. */
  maxAttempts?: number;
}

/**
 * Enqueues `payload` (validated by the kind's schema: a bad payload throws here, at the
 * caller) inside `tx`. Returns the job id, or null when `uniqueKey` already exists. On
 * PostgreSQL the same transaction NOTIFYs the runners of every instance (delivered at commit);
 * on SQLite call `JobRunner.wake()` (or `wakeRunners(db)`) after the commit for a prompt start.
 */
export async function enqueueJob<P>(
  tx: Kysely<Database>,
  type: JobType<P>,
  payload: P,
  opts: EnqueueOptions & { now: number },
): Promise<number | null> {
  type.payload.parse(payload);
  if (opts.uniqueKey !== undefined && (opts.uniqueKey.length === 0 || opts.uniqueKey.length > 200)) {
    throw new Error(`enqueueJob(${type.kind}): uniqueKey must be 1 to 200 characters`);
  }
  return insertJob(tx, {
    org_id: opts.orgId ?? null,
    kind: type.kind,
    payload: JSON.stringify(payload),
    run_at: opts.runAt ?? opts.now,
    max_attempts: opts.maxAttempts ?? type.maxAttempts,
    unique_key: opts.uniqueKey ?? null,
    now: opts.now,
  });
}

/**
 * Enqueues many jobs of one kind in one statement (and, on PostgreSQL, one NOTIFY), as
 * `enqueueJob` does each: validated, keys idempotent. Returns how many were new.
 */
export async function enqueueJobs<P>(
  tx: Kysely<Database>,
  type: JobType<P>,
  items: ReadonlyArray<EnqueueOptions & { payload: P }>,
  now: number,
): Promise<number> {
  const rows: NewJob[] = items.map((item) => {
    type.payload.parse(item.payload);
    if (item.uniqueKey !== undefined && (item.uniqueKey.length === 0 || item.uniqueKey.length > 200)) {
      throw new Error(`enqueueJobs(${type.kind}): uniqueKey must be 1 to 200 characters`);
    }
    return {
      org_id: item.orgId ?? null,
      kind: type.kind,
      payload: JSON.stringify(item.payload),
      run_at: item.runAt ?? now,
      max_attempts: item.maxAttempts ?? type.maxAttempts,
      unique_key: item.uniqueKey ?? null,
      now,
    };
  });
  let added = 0;
  // Well under either dialect's limit of bound parameters per statement.
  for (let i = 0; i < rows.length; i += 500) added += await insertJobs(tx, rows.slice(i, i + 500));
  return added;
}

/** What a transaction context carries as `jobs`: `ctx.jobs.enqueue(type, payload, opts)`. */
export interface JobEnqueuer {
  enqueue<P>(type: JobType<P>, payload: P, opts?: EnqueueOptions): Promise<number | null>;
  /** Many of one kind in one statement; resolves with how many were new. */
  enqueueMany<P>(type: JobType<P>, items: ReadonlyArray<EnqueueOptions & { payload: P }>): Promise<number>;
}

/**
 * An enqueuer bound to one transaction and clock. `onEnqueued` is called after each new job,
 * so the transaction's owner knows to wake the runners once it has committed.
 */
export function jobEnqueuer(tx: Kysely<Database>, clock: Clock, onEnqueued?: () => void): JobEnqueuer {
  return {
    async enqueue(type, payload, opts = {}) {
      const id = await enqueueJob(tx, type, payload, { ...opts, now: clock.now() });
      if (id !== null) onEnqueued?.();
      return id;
    },
    async enqueueMany(type, items) {
      const added = await enqueueJobs(tx, type, items, clock.now());
      if (added) onEnqueued?.();
      return added;
    },
  };
}
