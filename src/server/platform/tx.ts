// One use case, one transaction. The work gets a TxContext (no database handle); live events,
// after-commit hooks and the wake-up of job runners happen only once it has committed.
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { Platform, TxContext } from './context.js';
import type { BusEvent } from './events.js';
import type { Job, JobBatch } from './jobs/define.js';
import { jobEnqueuer } from './jobs/enqueue.js';
import { wakeRunners } from './jobs/runner.js';

/** Builds a transaction's context and, once committed, delivers what it collected. */
function contextFor(p: Platform, tx: Kysely<Database>) {
  const events: BusEvent[] = [];
  const hooks: Array<() => void> = [];
  let enqueued = false;
  const ctx: TxContext = {
    tx,
    dialect: p.dialect,
    clock: p.clock,
    search: p.search,
    publicUrl: p.publicUrl,
    lockRows: p.dialect === 'postgres',
    emit: (e) => events.push(e),
    afterCommit: (fn) => hooks.push(fn),
    jobs: jobEnqueuer(tx, p.clock, () => (enqueued = true)),
  };
  const committed = async () => {
    for (const event of events) {
      // This instance drops a revoked session at once, not when its own NOTIFY comes back.
      if (event.type === 'sessions.revoked') p.sessions.revoke(event);
    }
    // All of them in one NOTIFY statement. A lost live event only delays a browser's refresh;
    // the change itself is committed.
    if (events.length) await p.events.publishMany(events).catch(() => undefined);
    // PostgreSQL runners hear the enqueue's NOTIFY; this process's runners are woken directly.
    if (enqueued) wakeRunners(p.db);
    for (const hook of hooks) hook();
  };
  return { ctx, committed };
}

export async function inTransaction<T>(p: Platform, work: (ctx: TxContext) => Promise<T>): Promise<T> {
  let done: (() => Promise<void>) | undefined;
  // The one place a use case's transaction opens: domains call inTransaction (lint keeps it so).
  const result = await p.db.transaction().execute((tx) => {
    const { ctx, committed } = contextFor(p, tx);
    done = committed;
    return work(ctx);
  });
  await done?.();
  return result;
}

/**
 * A job handler's transaction, with the same context as a use case's: it also marks the job
 * done, and commits only while this worker still holds the job's lease, so a handler whose
 * effects are database writes runs exactly once (platform/jobs/define.ts).
 */
export async function inJobTransaction<T>(p: Platform, job: Job, work: (ctx: TxContext) => Promise<T>): Promise<T> {
  let done: (() => Promise<void>) | undefined;
  const result = await job.transaction((tx) => {
    const { ctx, committed } = contextFor(p, tx);
    done = committed;
    return work(ctx);
  });
  await done?.();
  return result;
}

/**
 * A batch of jobs' one transaction (platform/jobs/define.ts, JobBatch): the same context, and
 * it marks every job of the batch done; its events go out together once it has committed.
 */
export async function inBatchTransaction<T>(p: Platform, batch: JobBatch, work: (ctx: TxContext) => Promise<T>): Promise<T> {
  let done: (() => Promise<void>) | undefined;
  const result = await batch.transaction((tx) => {
    const { ctx, committed } = contextFor(p, tx);
    done = committed;
    return work(ctx);
  });
  await done?.();
  return result;
}

/**
 * A transaction whose commit is on disk when this resolves, even across a power loss: what an
 * SMTP 250 promises the sender. PostgreSQL's commit is that already. SQLite commits as always
 * (synchronous=NORMAL), then waits for a sync of the write-ahead log that began after the
 * commit, shared with every other commit waiting meanwhile and run off the event loop
 * (`platform/durable.ts`).
 */
export async function inDurableTransaction<T>(p: Platform, work: (ctx: TxContext) => Promise<T>): Promise<T> {
  const result = await inTransaction(p, work);
  await p.syncCommits();
  return result;
}
