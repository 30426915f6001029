import { sql } from 'kysely';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobRow } from '../../db/types.js';
import { describeEachDialect } from '../../testing/harness.js';
import { defineJob, defineRecurring, enqueueJob, JobRunner, purgeFinishedJobs, wakeRunners, type AnyJobType, type JobBatch, type JobType } from './index.js';
import { insertJob } from './queries.js';
import { createEffectsTable, effectCounts, effectJob } from './testing/effects.js';
import { gate, quietLog, until } from './testing/kit.js';

describeEachDialect('job runner', (h) => {
  const db = () => h().db.kysely;
  const runner = (types: AnyJobType[], opts: { leaseMs?: number; pollMs?: number; concurrency?: number } = {}) =>
    new JobRunner({ db: h().db, clock: h().clock, types, log: quietLog(), ...opts });
  const enqueue = <P>(type: JobType<P>, payload: P, opts: { runAt?: number; uniqueKey?: string } = {}) =>
    db()
      .transaction()
      .execute((tx) => enqueueJob(tx, type, payload, { now: h().clock.now(), ...opts }));
  const jobRow = (id: number | null) => db().selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirst();
  const jobsOf = (kind: string) => db().selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('id').execute();

  const seen: number[] = [];
  const ping = defineJob({
    kind: 'test.ping',
    payload: z.object({ n: z.number().int() }),
    run: async ({ n }) => void seen.push(n),
  });

  beforeAll(async () => createEffectsTable(db()));
  beforeEach(async () => {
    // One database per file: each test starts with no jobs, so no runner meets another's.
    await db().deleteFrom('jobs').execute();
    await sql`delete from job_effects`.execute(db());
    seen.length = 0;
  });

  it('runs a job when the clock reaches its time, not a millisecond before', async () => {
    const r = runner([ping]);
    const t0 = h().clock.now();
    await enqueue(ping, { n: 1 }, { runAt: t0 + 60_000 });
    await enqueue(ping, { n: 2 }, { runAt: t0 + 120_000 });
    expect(await r.runDue()).toBe(0);
    h().clock.advance(59_999);
    expect(await r.runDue()).toBe(0);
    expect(seen).toEqual([]);
    h().clock.advance(1);
    expect(await r.runDue()).toBe(1);
    expect(seen).toEqual([1]);
    h().clock.advance(59_999);
    expect(await r.runDue()).toBe(0);
    h().clock.advance(1);
    expect(await r.runDue()).toBe(1);
    expect(seen).toEqual([1, 2]);
    expect(await jobsOf('test.ping')).toEqual([]); // done without a key: nothing kept
  });

  it('runs due jobs of a batch kind together in one transaction, and one by one when a batch fails', async () => {
    const batches: number[][] = [];
    const alone: number[] = [];
    const effect = (tx: Parameters<Parameters<JobBatch['transaction']>[0]>[0], id: number, n: number, how: string) =>
      sql`insert into job_effects (job_id, n, worker) values (${id}, ${n}, ${how})`.execute(tx);
    const batched = defineJob({
      kind: 'test.batched',
      payload: z.object({ n: z.number().int() }),
      run: async ({ n }, job) => {
        alone.push(n);
        if (n === 13) throw new Error('thirteen');
        await job.transaction((tx) => effect(tx, job.id, n, 'alone'));
      },
      batch: {
        max: 5,
        run: async (items, batch) => {
          batches.push(items.map((i) => i.payload.n));
          await batch.transaction(async (tx) => {
            for (const i of items) await effect(tx, i.job.id, i.payload.n, 'batch');
            // Written, then refused: none of this batch's effects may stay.
            if (items.some((i) => i.payload.n === 13)) throw new Error('a bad one in the batch');
          });
        },
      },
    });
    for (let n = 1; n <= 13; n++) await enqueue(batched, { n });
    const r = runner([batched], { concurrency: 2 });
    expect(await r.runDue()).toBe(13);
    // Oldest due first, in batches of up to 5 (in no particular order inside a batch).
    expect(batches.map((b) => [...b].sort((x, y) => x - y))).toEqual([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13]]);
    expect([...alone].sort((x, y) => x - y)).toEqual([11, 12, 13]);
    const { rows } = await sql<{ n: number; worker: string }>`select n, worker from job_effects order by n, worker`.execute(db());
    expect(rows.map((e) => `${e.n}:${e.worker}`)).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `${n}:batch`),
      '11:alone',
      '12:alone',
    ]);
    // Only the bad job is left, waiting for its retry with its own error.
    const left = await jobsOf('test.batched');
    expect(left.map((j) => [JSON.parse(j.payload).n, j.state, j.attempts, j.last_error])).toEqual([[13, 'queued', 1, 'Error: thirteen']]);
  });

  it('refuses a batch whose job another worker has taken over, and runs the others alone', async () => {
    const ran: string[] = [];
    const batched = defineJob({
      kind: 'test.batched-lease',
      payload: z.object({ n: z.number().int() }),
      run: async ({ n }, job) => job.transaction(async () => void ran.push(`alone ${n}`)),
      batch: { run: async (items, batch) => batch.transaction(async () => void ran.push(`batch ${items.length}`)) },
    });
    const ids: Array<number | null> = [];
    for (let n = 1; n <= 3; n++) ids.push(await enqueue(batched, { n }));
    const gateOpen = gate();
    // The batch handler waits; meanwhile job 2's lease is handed to someone else.
    const slow = { ...batched, batch: { ...batched.batch!, run: async (items: Parameters<NonNullable<typeof batched.batch>['run']>[0], b: JobBatch) => (await gateOpen.wait, batched.batch!.run(items, b)) } };
    const r = runner([slow], { concurrency: 1 });
    const running = r.runDue();
    await until(async () => (await jobsOf('test.batched-lease')).every((j) => j.state === 'running'), 'the batch to be claimed');
    await db().updateTable('jobs').set({ lease_owner: 'someone-else' }).where('id', '=', ids[1]!).execute();
    gateOpen.open();
    await running;
    expect([...ran].sort()).toEqual(['alone 1', 'alone 3']);
    expect((await jobsOf('test.batched-lease')).map((j) => j.lease_owner)).toEqual(['someone-else']);
  });

  it('retries a failing handler with growing delays, then marks it dead with its last error', async () => {
    let calls = 0;
    const flaky = defineJob({
      kind: 'test.flaky',
      payload: z.object({}),
      maxAttempts: 4,
      backoffMs: 1000,
      run: async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
    });
    const r = runner([flaky]);
    const id = await enqueue(flaky, {});
    let previous = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await r.runDue()).toBe(1);
      const row = (await jobRow(id))!;
      expect(row).toMatchObject({ state: 'queued', attempts: attempt, last_error: `Error: boom ${attempt}`, lease_owner: null });
      const delay = row.run_at - h().clock.now();
      expect(row.available_at).toBe(row.run_at);
      expect(delay).toBeGreaterThanOrEqual(1000 * 2 ** (attempt - 1));
      expect(delay).toBeLessThan(1500 * 2 ** (attempt - 1));
      expect(delay).toBeGreaterThan(previous);
      previous = delay;
      h().clock.advance(delay - 1);
      expect(await r.runDue()).toBe(0);
      h().clock.advance(1);
    }
    expect(await r.runDue()).toBe(1);
    expect(await jobRow(id)).toMatchObject({
      state: 'dead',
      attempts: 4,
      last_error: 'Error: boom 4',
      finished_at: h().clock.now(),
      lease_owner: null,
    });
    h().clock.advance(365 * 86_400_000);
    expect(await r.runDue()).toBe(0);
    expect(calls).toBe(4);
  });

  it('enqueues once per unique key, also after the first run completed', async () => {
    const r = runner([ping]);
    const first = await enqueue(ping, { n: 1 }, { uniqueKey: 'reminder:1' });
    expect(first).toBeGreaterThan(0);
    expect(await enqueue(ping, { n: 2 }, { uniqueKey: 'reminder:1' })).toBeNull();
    const both = await db()
      .transaction()
      .execute(async (tx) => [
        await enqueueJob(tx, ping, { n: 3 }, { now: h().clock.now(), uniqueKey: 'reminder:2' }),
        await enqueueJob(tx, ping, { n: 4 }, { now: h().clock.now(), uniqueKey: 'reminder:2' }),
      ]);
    expect(both[0]).toBeGreaterThan(0);
    expect(both[1]).toBeNull();
    expect(await r.runDue()).toBe(2);
    expect(seen.sort()).toEqual([1, 3]);
    // The trigger runs again after the work was done: still no second job.
    expect(await enqueue(ping, { n: 5 }, { uniqueKey: 'reminder:1' })).toBeNull();
    expect(await r.runDue()).toBe(0);
    expect(seen).toHaveLength(2);
    expect(await jobRow(first)).toMatchObject({ state: 'done', finished_at: h().clock.now() });
    // After the retention period the done row is purged and the key is free again.
    h().clock.advance(31 * 86_400_000);
    expect(await purgeFinishedJobs(db(), h().clock.now())).toBe(2);
    expect(await enqueue(ping, { n: 6 }, { uniqueKey: 'reminder:1' })).toBeGreaterThan(0);
  });

  it('refuses a bad payload at enqueue, and a job enqueued in a rolled-back transaction never exists', async () => {
    await expect(enqueue(ping, { n: 'one' } as unknown as { n: number })).rejects.toThrow(/expected number/);
    await expect(
      db()
        .transaction()
        .execute(async (tx) => {
          await enqueueJob(tx, ping, { n: 1 }, { now: h().clock.now() });
          throw new Error('the change failed');
        }),
    ).rejects.toThrow('the change failed');
    expect(await jobsOf('test.ping')).toEqual([]);
  });

  it('makes a job whose stored payload no longer fits dead at once, with the reason, and runs the rest', async () => {
    const now = h().clock.now();
    const row = { org_id: null, run_at: now, max_attempts: 5, unique_key: null, now };
    const bad = await insertJob(db(), { ...row, kind: 'test.ping', payload: '{"n":"seven"}' });
    const garbled = await insertJob(db(), { ...row, kind: 'test.ping', payload: '{"n":' });
    const stranger = await insertJob(db(), { ...row, kind: 'test.nobody', payload: '{}' });
    await enqueue(ping, { n: 7 });
    const r = runner([ping]);
    expect(await r.runDue()).toBe(4);
    expect(seen).toEqual([7]);
    expect(await jobRow(bad)).toMatchObject({ state: 'dead', attempts: 1 });
    expect((await jobRow(bad))!.last_error).toMatch(/^The payload does not fit job kind "test.ping": n .*expected number/);
    expect(await jobRow(garbled)).toMatchObject({ state: 'dead' });
    expect((await jobRow(garbled))!.last_error).toMatch(/^The payload does not fit job kind "test.ping": SyntaxError/);
    // A kind this instance does not know may be known to another version: retried, not dead.
    expect(await jobRow(stranger)).toMatchObject({ state: 'queued', attempts: 1, last_error: 'No handler for job kind "test.nobody" on this instance.' });
    expect(await r.runDue()).toBe(0);
  });

  it('lets another runner take a job whose lease expired, and refuses the first runner its result', async () => {
    await enqueue(effectJob('A'), { n: 1 });
    const held = gate();
    const a = runner([effectJob('A', { gate: held.wait })], { leaseMs: 30_000 });
    const b = runner([effectJob('B')]);
    const aRun = a.runDue();
    await until(async () => (await jobsOf('test.effect'))[0]?.state === 'running', 'runner A to claim');
    h().clock.advance(29_999);
    expect(await b.runDue()).toBe(0); // still A's
    h().clock.advance(1);
    expect(await b.runDue()).toBe(1);
    held.open();
    await aRun;
    const effects = await effectCounts(db());
    expect(effects.rows).toBe(1);
    expect([...effects.workers.keys()]).toEqual(['B']);
    expect(await jobsOf('test.effect')).toEqual([]);
  });

  it('renews the lease of a long job so that no one else takes it', async () => {
    const id = await enqueue(effectJob('A'), { n: 1 });
    const held = gate();
    const a = runner([effectJob('A', { gate: held.wait })], { leaseMs: 3000, pollMs: 50 }); // renews every second
    const b = runner([effectJob('B')]);
    const t0 = h().clock.now();
    await a.start();
    await until(async () => (await jobRow(id))?.state === 'running', 'runner A to claim');
    expect((await jobRow(id))!.lease_expires_at).toBe(t0 + 3000);
    h().clock.advance(2000);
    await until(async () => (await jobRow(id))!.lease_expires_at === t0 + 5000, 'the lease to be renewed', 5000);
    h().clock.advance(1500); // past the first lease, inside the renewed one
    expect(await b.runDue()).toBe(0);
    held.open();
    await until(async () => !(await jobRow(id)), 'the job to finish');
    await a.stop();
    expect((await effectCounts(db())).rows).toBe(1);
  });

  it('on a graceful stop finishes the jobs that end in time and releases the rest without counting the attempt', async () => {
    // All three are queued before the runner starts, so its first claim takes them together:
    // started first, a poll between two enqueues could claim one and stop before the others.
    for (let n = 1; n <= 3; n++) await enqueue(effectJob('quick'), { n });
    const quick = runner([effectJob('quick', { delayMs: 50 })], { pollMs: 20 });
    await quick.start();
    wakeRunners(db());
    await until(async () => (await effectCounts(db())).rows > 0 || (await jobsOf('test.effect')).some((j) => j.state === 'running'), 'work to start');
    expect(await quick.stop({ timeoutMs: 5000 })).toBe(0);
    expect((await effectCounts(db())).rows).toBe(3);
    expect(await jobsOf('test.effect')).toEqual([]);

    const held = gate();
    const slow = runner([effectJob('stuck', { gate: held.wait })], { pollMs: 20 });
    await slow.start();
    for (let n = 4; n <= 6; n++) await enqueue(effectJob('x'), { n });
    slow.wake();
    await until(async () => (await jobsOf('test.effect')).filter((j) => j.state === 'running').length === 3, 'three jobs to run');
    expect(await slow.stop({ timeoutMs: 50 })).toBe(3);
    const released: JobRow[] = await jobsOf('test.effect');
    expect(released.map((j) => [j.state, j.attempts, j.lease_owner])).toEqual([
      ['queued', 0, null],
      ['queued', 0, null],
      ['queued', 0, null],
    ]);
    held.open(); // the abandoned handlers go on, and their transactions are refused
    await new Promise((r) => setTimeout(r, 50));
    expect(await runner([effectJob('next')]).runDue()).toBe(3);
    const effects = await effectCounts(db());
    expect(effects.rows).toBe(6);
    expect(effects.workers.get('stuck')).toBeUndefined();
    expect(effects.workers.get('next')).toBe(3);
  });

  it('wakes an idle started runner when a job is committed', async () => {
    const r = runner([ping], { pollMs: 60_000 });
    await r.start();
    await new Promise((res) => setTimeout(res, 50)); // idle, sleeping for the whole poll
    const started = Date.now();
    await enqueue(ping, { n: 9 });
    // PostgreSQL: the NOTIFY sent at commit. SQLite: the committer wakes its own process.
    if (h().dialect === 'sqlite') wakeRunners(db());
    await until(() => seen.length === 1, 'the job to run', 3000);
    expect(Date.now() - started).toBeLessThan(2000);
    await r.stop();
  });

  it('schedules a recurring job once however many runners ensure it, and each tick schedules the next', async () => {
    const ticks: number[] = [];
    const tidy = defineRecurring({ kind: 'test.tidy', everyMs: 60_000, run: async (job) => void ticks.push(job.runAt) });
    const [r1, r2] = [runner([tidy]), runner([tidy])];
    await Promise.all([r1.runDue(), r2.runDue()]);
    const first = await jobsOf('test.tidy');
    expect(first).toHaveLength(1);
    const t1 = first[0]!.run_at;
    expect(t1 % 60_000).toBe(0);
    expect(t1).toBeGreaterThan(h().clock.now());
    h().clock.set(t1);
    expect(await r1.runDue()).toBe(1);
    expect(await r2.runDue()).toBe(0);
    expect(ticks).toEqual([t1]);
    expect((await jobsOf('test.tidy')).map((j) => [j.state, j.run_at])).toEqual([
      ['done', t1],
      ['queued', t1 + 60_000],
    ]);
    // Down for ten minutes: the missed tick runs once, late, and the next lands on the grid.
    h().clock.set(t1 + 10 * 60_000 + 5);
    expect(await r2.runDue()).toBe(1);
    expect(ticks).toEqual([t1, t1 + 60_000]);
    expect((await jobsOf('test.tidy')).filter((j) => j.state === 'queued').map((j) => j.run_at)).toEqual([t1 + 11 * 60_000]);
  });

  it('keeps a recurring series going when a tick dies', async () => {
    const failing = defineRecurring({
      kind: 'test.broken',
      everyMs: 60_000,
      maxAttempts: 1,
      run: async () => {
        throw new Error('cannot tidy');
      },
    });
    const r = runner([failing]);
    await r.runDue();
    const [tick] = await jobsOf('test.broken');
    h().clock.set(tick!.run_at);
    expect(await r.runDue()).toBe(1);
    expect((await jobsOf('test.broken')).map((j) => [j.state, j.run_at, j.last_error])).toEqual([
      ['dead', tick!.run_at, 'Error: cannot tidy'],
      ['queued', tick!.run_at + 60_000, null],
    ]);
  });
});
