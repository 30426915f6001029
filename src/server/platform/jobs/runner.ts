// The job runner of one app instance: claims due jobs up to its concurrency, runs their
// handlers (kinds that allow it in batches: one transaction for many due jobs), renews the
// leases of long ones, retries failures with backoff, and on stop hands back what it still
// holds. Any number of instances may run one on PostgreSQL.
import crypto from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/index.js';
import type { Database } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { nextTick, retryDelay, tickKey, type AnyJobType, type Job, type JobBatch } from './define.js';
import { enqueueJob } from './enqueue.js';
import { JobsListener, type Logger } from './listener.js';
import * as q from './queries.js';

export interface RunnerOptions {
  db: Db;
  clock: Clock;
  /** Every kind this instance runs, recurring ones included. */
  types: readonly AnyJobType[];
  /**
   * Tasks run at once, and the first claim's size: a task is one job, or a batch of due jobs of
   * a kind that runs in batches (JobType.batch). Default 10.
   */
  concurrency?: number;
  /** How long a claim holds a job before another worker may take it. Default 60 s. */
  leaseMs?: number;
  /** The safety-net poll. Default 1 s on SQLite, 10 s on PostgreSQL (LISTEN does the rest). */
  pollMs?: number;
  log?: Logger;
}

/** Thrown by `job.transaction` when this worker no longer holds the job. */
export class LeaseLost extends Error {
  constructor(readonly jobId: number) {
    super(`Job ${jobId} is no longer held by this worker (its lease expired or it was released).`);
  }
}

const consoleLog: Logger = {
  warn: (obj, msg) => console.warn(msg ?? '', obj),
  error: (obj, msg) => console.error(msg ?? '', obj),
};

/** Runners by database handle, so code that commits an enqueue can wake this process's runners. */
const runners = new WeakMap<Kysely<Database>, Set<JobRunner>>();

/** Wakes this process's running runners on `db` (after a commit that enqueued; SQLite needs it). */
export function wakeRunners(db: Kysely<Database>): void {
  for (const r of runners.get(db) ?? []) r.wake();
}

// When something looks due but was not ours to claim (another instance holds its row lock).
const BUSY_RETRY_MS = 20;
const ENSURE_RECURRING_EVERY_MS = 5 * 60_000;
const ERROR_BACKOFF_MS = 1000;
const UNKNOWN_KIND = { backoffMs: 60_000 };
const STATISTICS_EVERY_MS = 60_000;

export class JobRunner {
  /** This runner's name on the leases it takes: host, process, and a random part per runner. */
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private readonly db: Kysely<Database>;
  private readonly types: Map<string, AnyJobType>;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly log: Logger;

  private status: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  /** Claimed and not yet settled in the table (a completion waiting for its batch counts). */
  private readonly held = new Map<number, q.Claimed>();
  /** Handlers running now: what the concurrency limits. */
  private running = 0;
  private readonly tasks = new Set<Promise<void>>();
  private doneBatch: q.Claimed[] = [];
  private flushing: Promise<void> | null = null;
  /** Set once stop() has given up waiting: whatever finishes later writes nothing. */
  private abandoned = false;
  private woken = false;
  private wakeLoop: (() => void) | null = null;
  private waitingForRoom = false;
  private loopDone: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private listener: JobsListener | null = null;
  private statisticsAt = -Infinity;

  constructor(private readonly opts: RunnerOptions) {
    this.db = opts.db.kysely;
    this.types = new Map();
    for (const t of opts.types) {
      if (this.types.has(t.kind)) throw new Error(`JobRunner: two job types are called "${t.kind}"`);
      this.types.set(t.kind, t);
    }
    this.concurrency = opts.concurrency ?? 10;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? (opts.db.dialect === 'postgres' ? 10_000 : 1000);
    this.log = opts.log ?? consoleLog;
  }

  /** Starts claiming: listens (PostgreSQL), schedules recurring ticks, then loops. */
  async start(): Promise<void> {
    if (this.status !== 'idle') throw new Error(`JobRunner: cannot start a runner that is ${this.status}`);
    this.status = 'running';
    const pool = this.opts.db.pool;
    if (pool) {
      const { connectionString, options } = pool.options as { connectionString?: string; options?: string };
      this.listener = new JobsListener({ connectionString, ...(options ? { options } : {}) }, () => this.wake(), this.log);
      await this.listener.start();
    }
    let set = runners.get(this.db);
    if (!set) runners.set(this.db, (set = new Set()));
    set.add(this);
    await this.ensureRecurring();
    this.timers.push(
      setInterval(() => void this.renewLeases(), Math.max(1000, this.leaseMs / 3)).unref(),
      setInterval(() => void this.ensureRecurring(), ENSURE_RECURRING_EVERY_MS).unref(),
    );
    this.loopDone = this.loop();
  }

  /** Look for due work now (after a commit that enqueued; PostgreSQL's NOTIFY calls it too). */
  wake(): void {
    this.woken = true;
    this.wakeLoop?.();
  }

  /**
   * Graceful stop: claims nothing more, waits up to `timeoutMs` for the jobs in hand, then
   * releases those still running back to queued (their attempt not counted) for another
   * instance or the next start. Resolves with how many were released.
   */
  async stop({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<number> {
    if (this.status !== 'running') return 0;
    this.status = 'stopping';
    this.wakeLoop?.();
    await this.loopDone;
    for (const t of this.timers) clearInterval(t);
    await this.listener?.close();
    runners.get(this.db)?.delete(this);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.tasks]),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    this.abandoned = true;
    await this.flushing;
    let released = 0;
    if (this.held.size) {
      released = await q.releaseHeld(this.db, [...this.held.keys()], this.owner, this.opts.clock.now());
      this.held.clear();
    }
    this.status = 'stopped';
    return released;
  }

  /**
   * For tests and scripts, on a runner that is not started: claims and runs everything due at
   * the clock's now, again until nothing is due, and resolves with how many jobs it ran.
   */
  async runDue(): Promise<number> {
    if (this.status !== 'idle') throw new Error('JobRunner.runDue is for a runner that is not started');
    await this.ensureRecurring();
    let ran = 0;
    for (;;) {
      const claimed = await this.claim(this.concurrency);
      if (!claimed.length) return ran;
      ran += claimed.length;
      await Promise.allSettled([...this.tasks]);
      await this.flushing;
    }
  }

  // ---- the loop ----------------------------------------------------------------------------

  private async loop(): Promise<void> {
    let errors = 0;
    while (this.status === 'running') {
      if (this.running >= this.concurrency) {
        this.waitingForRoom = true;
        await this.pause(this.pollMs);
        this.waitingForRoom = false;
        // Let the handlers that finished in the same turn free their room too: one claim for all.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const room = this.concurrency - this.running;
      this.woken = false;
      let wait = this.pollMs;
      try {
        const claimed = await this.claim(room);
        errors = 0;
        if (claimed.length >= room || this.woken) continue; // more may be due
        const next = await q.nextAvailableAt(this.db);
        if (next !== null) wait = Math.min(wait, Math.max(next - this.opts.clock.now(), BUSY_RETRY_MS));
      } catch (err) {
        errors++;
        this.log.error({ err }, 'job runner could not claim; retrying');
        wait = Math.min(ERROR_BACKOFF_MS * 2 ** Math.min(errors, 5), Math.max(this.pollMs, ERROR_BACKOFF_MS));
      }
      if (this.status === 'running' && !this.woken) await this.pause(wait);
    }
  }

  /** Waits `ms`, or less if woken (wake, stop, or room freed while waiting for room). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeLoop = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakeLoop = done;
    });
  }

  /**
   * Claims up to `limit` due jobs. When that was a full claim and some are of a kind that runs
   * in batches, tops each such kind up to its batch size with a claim of that kind alone, and
   * runs each batch as one task (one slot of the concurrency, one transaction).
   */
  private async claim(limit: number): Promise<q.Claimed[]> {
    const c = { now: this.opts.clock.now(), owner: this.owner, leaseMs: this.leaseMs };
    const claimed = await q.claimDue(this.db, { ...c, limit });
    for (const job of claimed) this.held.set(job.id, job);
    const batches = new Map<AnyJobType, q.Claimed[]>();
    const singles: q.Claimed[] = [];
    for (const job of claimed) {
      const type = this.types.get(job.kind);
      if (type?.batch) batches.set(type, [...(batches.get(type) ?? []), job]);
      else singles.push(job);
    }
    for (const [type, jobs] of batches) {
      const more = type.batch!.max - jobs.length;
      if (claimed.length < limit || more <= 0) continue; // nothing more was due a moment ago
      try {
        const extra = await q.claimDue(this.db, { ...c, limit: more, kind: type.kind });
        if (extra.length === more) this.burst();
        for (const job of extra) this.held.set(job.id, job);
        jobs.push(...extra);
        claimed.push(...extra);
      } catch (err) {
        this.log.warn({ err, kind: type.kind }, 'could not claim more jobs for a batch; running the batch as it is');
      }
    }
    for (const job of singles) this.spawn([job], () => this.execute(job));
    for (const [type, jobs] of batches) {
      for (let i = 0; i < jobs.length; i += type.batch!.max) {
        const part = jobs.slice(i, i + type.batch!.max);
        this.spawn(part, () => (part.length === 1 ? this.execute(part[0]!) : this.executeBatch(type, part)));
      }
    }
    return claimed;
  }

  /**
   * A full batch was due: a burst, which turns the job table over faster than autovacuum
   * refreshes its statistics. Refreshes them (PostgreSQL), at most once a minute per runner.
   */
  private burst(): void {
    const now = Date.now();
    if (this.opts.db.dialect !== 'postgres' || now - this.statisticsAt < STATISTICS_EVERY_MS) return;
    this.statisticsAt = now;
    void q.refreshJobStatistics(this.db).catch((err: unknown) => this.log.warn({ err }, 'could not refresh the job table statistics'));
  }

  /** Runs one task (a job or a batch) in a slot of the concurrency. */
  private spawn(jobs: q.Claimed[], run: () => Promise<void>): void {
    this.running++;
    const task = run()
      .catch((err: unknown) => {
        // Only a failing database gets here; the lease runs out and the jobs are tried again.
        this.log.error({ err, jobIds: jobs.map((j) => j.id), kind: jobs[0]!.kind }, 'could not record the outcome of a job');
        this.free(...jobs.map((j) => j.id));
      })
      .finally(() => {
        // Room for the next claim as soon as the handler is through, while its completion
        // may still wait for its batch: claiming and completing overlap.
        this.running--;
        if (this.waitingForRoom) this.wakeLoop?.();
      });
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private free(...ids: number[]): void {
    for (const id of ids) this.held.delete(id);
  }

  // ---- one job -----------------------------------------------------------------------------

  private async execute(claimed: q.Claimed): Promise<void> {
    const type = this.types.get(claimed.kind);
    if (!type) {
      return this.fail(claimed, UNKNOWN_KIND, `No handler for job kind "${claimed.kind}" on this instance.`);
    }
    if (claimed.attempts > claimed.max_attempts) {
      // Claimed again after its last attempt's lease ran out: that attempt never reported.
      return this.fail(claimed, type, 'The last attempt ended without a result (its worker stopped or lost the lease).', true);
    }
    let payload: unknown;
    try {
      payload = type.payload.parse(JSON.parse(claimed.payload));
    } catch (err) {
      // Retrying cannot fix a payload: dead at once, with the reason.
      return this.fail(claimed, type, `The payload does not fit job kind "${type.kind}": ${describe(err)}`, true);
    }
    const job = runningJob(this, type, claimed, this.opts.clock.now());
    try {
      await type.run(payload, job);
      if (!job.completed && !type.everyMs) return this.completeLater(claimed);
      // A recurring tick completes in a transaction that also schedules the next one.
      if (!job.completed) await job.transaction(async () => undefined);
      this.free(claimed.id);
    } catch (err) {
      if (job.completed) {
        this.log.warn({ err, jobId: claimed.id, kind: claimed.kind }, 'job handler failed after its transaction committed; the job stays done');
        this.free(claimed.id);
      } else if (err instanceof LeaseLost) {
        this.log.warn({ jobId: claimed.id, kind: claimed.kind }, err.message);
        this.free(claimed.id);
      } else {
        await this.fail(claimed, type, describe(err));
      }
    }
  }

  /**
   * A batch: the kind's batch handler with one transaction for all. Jobs that cannot join it
   * (a payload that does not parse, an attempt past the last) take their own way to dead; when
   * the batch fails, its jobs run one by one, each with its own outcome and retries.
   */
  private async executeBatch(type: AnyJobType, claimed: q.Claimed[]): Promise<void> {
    const items: Array<{ claimed: q.Claimed; payload: unknown }> = [];
    for (const c of claimed) {
      let payload: unknown;
      try {
        if (c.attempts > c.max_attempts) throw new Error('past its last attempt');
        payload = type.payload.parse(JSON.parse(c.payload));
      } catch {
        await this.execute(c);
        continue;
      }
      items.push({ claimed: c, payload });
    }
    if (!items.length) return;
    const now = this.opts.clock.now();
    let completed = false;
    const batch: JobBatch = {
      now,
      transaction: async (work) => {
        if (completed) throw new Error('batch.transaction was already called');
        const result = await this.completeBatchWith(items.map((i) => i.claimed), work);
        completed = true;
        return result;
      },
    };
    try {
      await type.batch!.run(
        items.map((i) => ({ payload: i.payload, job: batchedJob(type, i.claimed, now) })),
        batch,
      );
      if (!completed) for (const i of items) this.completeLater(i.claimed);
      else this.free(...items.map((i) => i.claimed.id));
    } catch (err) {
      if (completed) {
        this.log.warn({ err, jobIds: items.map((i) => i.claimed.id), kind: type.kind }, 'batch handler failed after its transaction committed; the jobs stay done');
        this.free(...items.map((i) => i.claimed.id));
        return;
      }
      // Stopping and past its wait: stop() hands the jobs back; nothing is written for them here.
      if (this.abandoned) return;
      this.log.warn({ err: describe(err), jobs: items.length, kind: type.kind }, 'job batch failed; running its jobs one by one');
      for (const i of items) {
        await this.execute(i.claimed).catch((e: unknown) => {
          this.log.error({ err: e, jobId: i.claimed.id, kind: type.kind }, 'could not record the outcome of a job');
          this.free(i.claimed.id);
        });
      }
    }
  }

  /** `batch.transaction`: completes every job of the batch with `work`, if this claim still holds them all. */
  private async completeBatchWith<T>(claimed: q.Claimed[], work: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.abandoned) throw new LeaseLost(claimed[0]!.id);
    return this.db.transaction().execute(async (tx) => {
      if (!(await q.completeBatch(tx, claimed, this.owner, this.opts.clock.now()))) throw new LeaseLost(claimed[0]!.id);
      return work(tx);
    });
  }

  /** `job.transaction`: completes the job with `work`, if this claim still holds it. */
  async completeWith<T>(
    type: AnyJobType,
    claimed: q.Claimed,
    work: (tx: Kysely<Database>) => Promise<T>,
  ): Promise<T> {
    if (this.abandoned) throw new LeaseLost(claimed.id);
    return this.db.transaction().execute(async (tx) => {
      const now = this.opts.clock.now();
      if (!(await q.completeOne(tx, claimed, this.owner, now))) throw new LeaseLost(claimed.id);
      if (type.everyMs) await scheduleTick(tx, type, now);
      return work(tx);
    });
  }

  /** Plain completions are written in batches: one statement for all that finished meanwhile. */
  private completeLater(claimed: q.Claimed): void {
    if (this.abandoned) return;
    this.doneBatch.push(claimed);
    this.flushing ??= this.flushDone();
  }

  private async flushDone(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // let this turn's completions join
    while (this.doneBatch.length) {
      const batch = this.doneBatch.splice(0, 500);
      try {
        await q.completeMany(this.db, batch, this.owner, this.opts.clock.now());
      } catch (err) {
        this.log.error({ err, jobs: batch.length }, 'could not mark jobs done; they will run again');
      }
      this.free(...batch.map((job) => job.id));
    }
    this.flushing = null;
  }

  private async fail(claimed: q.Claimed, type: Pick<AnyJobType, 'backoffMs' | 'everyMs'>, error: string, dead = false) {
    if (this.abandoned) return;
    const now = this.opts.clock.now();
    const last = dead || claimed.attempts >= claimed.max_attempts;
    const retryAt = last ? null : now + retryDelay(type, claimed.attempts);
    const outcome = { now, error: error.slice(0, 2000), retryAt };
    const recorded =
      last && type.everyMs
        ? await this.db.transaction().execute(async (tx) => {
            const ok = await q.failOne(tx, claimed, this.owner, outcome);
            if (ok) await scheduleTick(tx, type as AnyJobType, now); // a dead tick does not end the series
            return ok;
          })
        : await q.failOne(this.db, claimed, this.owner, outcome);
    const about = { jobId: claimed.id, kind: claimed.kind, attempt: claimed.attempts, error };
    if (!recorded) this.log.warn(about, 'job failed after its lease was lost');
    else if (last) this.log.error(about, 'job is dead');
    else this.log.warn({ ...about, retryAt }, 'job failed; will retry');
    this.free(claimed.id);
  }

  // ---- upkeep ------------------------------------------------------------------------------

  private async renewLeases(): Promise<void> {
    const ids = [...this.held.keys()];
    if (!ids.length) return;
    try {
      const now = this.opts.clock.now();
      const kept = await this.db.transaction().execute((tx) => q.renewLeases(tx, ids, this.owner, now + this.leaseMs, now));
      const lost = ids.filter((id) => !kept.has(id) && this.held.has(id));
      if (lost.length) this.log.warn({ jobIds: lost }, 'lost the lease of running jobs; their results will be refused');
    } catch (err) {
      this.log.warn({ err }, 'could not renew job leases');
    }
  }

  /** Each instance makes sure the next tick of every recurring kind exists (one row for all). */
  private async ensureRecurring(): Promise<void> {
    try {
      const now = this.opts.clock.now();
      for (const type of this.types.values()) if (type.everyMs) await scheduleTick(this.db, type, now);
    } catch (err) {
      this.log.warn({ err }, 'could not schedule recurring jobs');
    }
  }
}

/** What a handler may know of its claimed job, with or without a transaction of its own. */
const jobFacts = (c: q.Claimed, now: number) => ({
  id: c.id,
  kind: c.kind,
  attempt: c.attempts,
  maxAttempts: c.max_attempts,
  orgId: c.org_id,
  runAt: c.run_at,
  uniqueKey: c.unique_key,
  now,
});

/** The `job` object handed to a handler; `completed` once its transaction has committed. */
function runningJob(runner: JobRunner, type: AnyJobType, c: q.Claimed, now: number): Job & { completed: boolean } {
  return {
    ...jobFacts(c, now),
    completed: false,
    async transaction(work) {
      if (this.completed) throw new Error(`job.transaction was already called for job ${c.id}`);
      const result = await runner.completeWith(type, c, work);
      this.completed = true;
      return result;
    },
  };
}

/** A job as a batch handler sees it: all but its own transaction (the batch has one). */
function batchedJob(type: AnyJobType, c: q.Claimed, now: number): Job {
  return {
    ...jobFacts(c, now),
    transaction() {
      throw new Error(`job ${c.id} of kind "${type.kind}" runs in a batch: use the batch's transaction`);
    },
  };
}

function scheduleTick(db: Kysely<Database>, type: AnyJobType, now: number) {
  const tick = nextTick(type.everyMs!, now);
  return enqueueJob(db, type, { tick }, { now, runAt: tick, uniqueKey: tickKey(type.kind, tick) });
}

/** An error in one line for `last_error` and the log. */
function describe(err: unknown): string {
  if (err instanceof z.ZodError) {
    return err.issues.map((i) => `${i.path.length ? i.path.join('.') : 'payload'} ${i.message}`).join('; ');
  }
  if (err instanceof Error) return err.message ? `${err.name}: ${err.message}` : err.name;
  return String(err);
}
