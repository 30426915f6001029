// Several app instances on one PostgreSQL (each its own connection pool and runner): a job is
// run by exactly one of them. Runs only where it can fail, on PostgreSQL; SQLite has one
// claiming process by design.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDb } from '../../db/index.js';
import { TestClock } from '../clock.js';
import { TEST_DATABASE_URL, createSchema, dropSchema } from '../../testing/harness.js';
import { enqueueJob, JobRunner } from './index.js';
import { createEffectsTable, effectCounts, effectJob } from './testing/effects.js';
import { quietLog, until } from './testing/kit.js';

describe.runIf(TEST_DATABASE_URL)('two instances on one PostgreSQL schema', () => {
  it('runs each of 2,000 jobs due at once exactly once, and both instances do work', async () => {
    const schema = await createSchema();
    const clock = new TestClock();
    const [one, two] = [1, 2].map(() => openDb({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, poolSize: 5 }));
    try {
      await migrateToLatest(one!);
      await createEffectsTable(one!.kysely);
      // Started and idle before the work arrives: the commit's NOTIFY wakes both at once.
      const runners = [new JobRunner({ db: one!, clock, types: [effectJob('one')], pollMs: 60_000, log: quietLog() }),
        new JobRunner({ db: two!, clock, types: [effectJob('two')], pollMs: 60_000, log: quietLog() })];
      for (const r of runners) await r.start();
      const type = effectJob('enqueuer');
      await one!.kysely.transaction().execute(async (tx) => {
        for (let n = 1; n <= 2000; n++) await enqueueJob(tx, type, { n }, { now: clock.now() });
      });
      await until(async () => (await effectCounts(one!.kysely)).rows >= 2000, '2,000 effects', 60_000);
      await until(async () => (await one!.kysely.selectFrom('jobs').select('id').limit(1).execute()).length === 0, 'an empty queue');
      for (const r of runners) await r.stop();

      const effects = await effectCounts(one!.kysely);
      expect(effects.rows).toBe(2000);
      expect(effects.jobs).toBe(2000);
      expect(effects.workers.get('one')).toBeGreaterThan(0);
      expect(effects.workers.get('two')).toBeGreaterThan(0);
      expect((effects.workers.get('one') ?? 0) + (effects.workers.get('two') ?? 0)).toBe(2000);
    } finally {
      await one!.close();
      await two!.close();
      await dropSchema(schema);
    }
  });

  it('listens again after its connection is cut, and a commit still wakes it', async () => {
    const schema = await createSchema();
    const clock = new TestClock();
    const db = openDb({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, poolSize: 3 });
    const log = quietLog();
    const runner = new JobRunner({ db, clock, types: [effectJob('listener')], pollMs: 60_000, log });
    try {
      await migrateToLatest(db);
      await createEffectsTable(db.kysely);
      await runner.start();
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      const listening = `LISTEN "servewell_jobs_${schema}"`;
      const cut = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where query = $1', [listening]);
      expect(cut.rowCount).toBe(1);
      await until(async () => (await admin.query('select 1 from pg_stat_activity where query = $1', [listening])).rowCount === 1, 'a new LISTEN');
      await admin.end();
      expect(log.lines).toContain('warn: job listener connection lost; reconnecting');

      const t0 = Date.now();
      await db.kysely.transaction().execute((tx) => enqueueJob(tx, effectJob('x'), { n: 1 }, { now: clock.now() }));
      await until(async () => (await effectCounts(db.kysely)).rows === 1, 'the job to run', 5000);
      expect(Date.now() - t0).toBeLessThan(2000); // the NOTIFY, not the one-minute poll
    } finally {
      await runner.stop();
      await db.close();
      await dropSchema(schema);
    }
  });
});
