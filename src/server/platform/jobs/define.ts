// What a kind of job is: its name, the zod schema of its payload, how often it may be tried,
// and the handler that runs it. Recurring work is a job kind that schedules its own next tick.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/types.js';

/**
 * The job a handler is running.
 *
 * Two ways to write a handler, and which one to pick:
 * - **Effects in the database** (change a case, write a reminder row): do them inside
 *   `job.transaction(tx => …)`. That transaction also marks the job done, and commits only
 *   if this worker still holds the job's lease, so the effect happens exactly once even when
 *   a worker crashes or stalls and another takes the job over.
 * - **An effect outside the database** (send an email, call a web hook): it cannot share a
 *   transaction, so the job is done *at least once*: a worker killed after the send and
 *   before the completion commits sends again on the retry. Give the outside system an
 *   idempotency key derived from the job (`job.id`, or the payload's own key: a Message-ID
 *   for mail) so a repeat is recognised there; record what was sent with `job.transaction`
 *   afterwards if later work needs to know.
 * A handler that returns without calling `job.transaction` has its job marked done after it
 * returns (completions are written in batches). A handler that throws is retried later with
 * a growing delay, until its last attempt; then the job is dead and shown to admins.
 */
export interface Job {
  readonly id: number;
  readonly kind: string;
  /** 1 on the first try. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly orgId: number | null;
  /** When the job was due. */
  readonly runAt: number;
  /** The clock's time when this attempt started. */
  readonly now: number;
  readonly uniqueKey: string | null;
  /**
   * Runs `work` in a transaction that also marks this job done. Throws `LeaseLost` (and rolls
   * back) if another worker has taken the job over in the meantime. Call it at most once.
   */
  transaction<T>(work: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
}

/**
 * Several due jobs of one kind, run together: their effects and their completions are one
 * transaction, so a burst (10,000 reminders in one minute) costs a few hundred transactions,
 * not 10,000, and each job's effect still happens exactly once.
 */
export interface JobBatch {
  /** The clock's time when the batch started. */
  readonly now: number;
  /**
   * Runs `work` in one transaction that also marks every job of the batch done. Throws
   * `LeaseLost` (and rolls back) if this worker no longer holds any one of them; the runner
   * then runs them one by one. Call it at most once.
   */
  transaction<T>(work: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
}

export interface BatchItem<P> {
  readonly payload: P;
  /** The job (its `transaction` is not for use in a batch: use the batch's). */
  readonly job: Job;
}

export interface JobType<P> {
  readonly kind: string;
  readonly payload: z.ZodType<unknown, P>;
  readonly maxAttempts: number;
  /** The first retry's delay; each later one doubles (with up to 50% jitter), capped. */
  readonly backoffMs: number;
  readonly run: (payload: unknown, job: Job) => Promise<void>;
  /**
   * Set for kinds whose due jobs may run together, up to `max` in one call of `run`, which
   * must do what the single `run` does for each, in `batch.transaction`. When it throws, the
   * runner runs the batch's jobs one by one through the single `run` (so one bad job fails
   * alone, with its own retries).
   */
  readonly batch?: { readonly max: number; readonly run: (items: Array<BatchItem<unknown>>, batch: JobBatch) => Promise<void> };
  /** Set for recurring kinds: the period of its ticks. */
  readonly everyMs?: number;
}

/** Any job type, its payload type forgotten (what a runner holds). */
export type AnyJobType = JobType<unknown>;

const KIND = /^[a-z][a-z0-9_.:-]{0,63}$/;

export function defineJob<S extends z.ZodType>(def: {
  kind: string;
  payload: S;
  maxAttempts?: number;
  backoffMs?: number;
  run: (payload: z.output<S>, job: Job) => Promise<void>;
  /** Due jobs of this kind run together, up to `max` (default 100) at once (JobType.batch). */
  batch?: { max?: number; run: (items: Array<BatchItem<z.output<S>>>, batch: JobBatch) => Promise<void> };
}): JobType<z.input<S>> {
  if (!KIND.test(def.kind)) throw new Error(`defineJob: "${def.kind}" is not a valid job kind`);
  const maxAttempts = def.maxAttempts ?? 8;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('defineJob: maxAttempts must be ≥ 1');
  const batch = def.batch;
  const max = batch?.max ?? DEFAULT_BATCH;
  if (batch && (!Number.isInteger(max) || max < 2)) throw new Error('defineJob: batch.max must be ≥ 2');
  return {
    kind: def.kind,
    payload: def.payload as z.ZodType<unknown, z.input<S>>,
    maxAttempts,
    backoffMs: def.backoffMs ?? 10_000,
    run: (payload, job) => def.run(payload as z.output<S>, job),
    ...(batch ? { batch: { max, run: (items, b) => batch.run(items as Array<BatchItem<z.output<S>>>, b) } } : {}),
  };
}

/** Jobs in one batch unless the kind says otherwise: a few hundred transactions per 10,000. */
export const DEFAULT_BATCH = 100;

/** How long before attempt `attempt + 1`, after attempt `attempt` failed. */
export function retryDelay(type: Pick<AnyJobType, 'backoffMs'>, attempt: number, random = Math.random): number {
  const base = type.backoffMs * 2 ** Math.min(attempt - 1, 30);
  // Jitter within [1, 1.5): instances failing together spread out, yet each delay still
  // exceeds the one before it.
  return Math.round(Math.min(base * (1 + random() / 2), MAX_BACKOFF_MS));
}
export const MAX_BACKOFF_MS = 6 * 3600_000;

// ---- recurring work ----------------------------------------------------------------------

const Tick = z.object({ tick: z.number().int().nonnegative() });

/** The first tick strictly after `now`; ticks sit on multiples of the period. */
export const nextTick = (everyMs: number, now: number) => (Math.floor(now / everyMs) + 1) * everyMs;

/** The key that makes one row per tick however many instances schedule it. */
export const tickKey = (kind: string, tick: number) => `${kind}@${tick}`;

/**
 * Work that repeats every `everyMs` (housekeeping, digests). Each tick is a job row with a
 * unique key made from its time, so every instance may schedule the next tick and one row
 * results; completing a tick (or its going dead) enqueues the next in the same transaction.
 * Ticks are aligned to multiples of the period; a tick missed while no instance ran is run
 * once, late, not once per missed period.
 */
export function defineRecurring(def: {
  kind: string;
  everyMs: number;
  maxAttempts?: number;
  backoffMs?: number;
  run: (job: Job) => Promise<void>;
}): JobType<{ tick: number }> {
  if (!Number.isInteger(def.everyMs) || def.everyMs < 1000) throw new Error('defineRecurring: everyMs must be ≥ 1000');
  const type = defineJob({
    kind: def.kind,
    payload: Tick,
    maxAttempts: def.maxAttempts ?? 3,
    backoffMs: def.backoffMs ?? Math.min(60_000, def.everyMs / 10),
    run: (_payload, job) => def.run(job),
  });
  return { ...type, everyMs: def.everyMs };
}
