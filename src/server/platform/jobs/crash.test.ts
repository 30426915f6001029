// kill -9 of a real worker process that holds leases, then a restart: every job is done
// exactly once. Side effects are counted in a table with no unique constraint, so a job run
// twice would show as two rows.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDb, type Db } from '../../db/index.js';
import { systemClock } from '../clock.js';
import { TEST_DATABASE_URL, createSchema, dialects, dropSchema } from '../../testing/harness.js';
import { enqueueJob, JobRunner } from './index.js';
import { createEffectsTable, effectCounts, effectJob } from './testing/effects.js';
import { quietLog, until } from './testing/kit.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const JOBS = 200;
const LEASE_MS = 2000;

for (const dialect of dialects()) {
  describe(`a worker killed while it holds leases [${dialect}]`, () => {
    it('loses no job and runs none twice once another runner starts', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-crash-'));
      const schema = dialect === 'postgres' ? await createSchema() : undefined;
      const env: Record<string, string> =
        dialect === 'postgres'
          ? { DATABASE_URL: TEST_DATABASE_URL!, PG_SCHEMA: schema! }
          : { SQLITE_FILE: path.join(dir, 'servewell.db') };
      const db: Db =
        dialect === 'postgres'
          ? openDb({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, poolSize: 4 })
          : openDb({ sqliteFile: env.SQLITE_FILE });
      try {
        await migrateToLatest(db);
        await createEffectsTable(db.kysely);
        const type = effectJob('anyone');
        await db.kysely.transaction().execute(async (tx) => {
          for (let n = 1; n <= JOBS; n++) {
            await enqueueJob(tx, type, { n }, { now: Date.now(), uniqueKey: `crash:${n}` });
          }
        });

        const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing/crash-worker.ts')], {
          env: { ...process.env, ...env, LEASE_MS: String(LEASE_MS) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        await until(() => /owner (\S+)/.test(out), 'the worker to start', 20_000);
        const owner = /owner (\S+)/.exec(out)![1]!;
        const heldByChild = async () =>
          (await db.kysely.selectFrom('jobs').select('id').where('state', '=', 'running').where('lease_owner', '=', owner).execute()).length;
        await until(async () => (await effectCounts(db.kysely)).rows >= 30 && (await heldByChild()) > 0, 'the worker to be busy', 20_000);
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');

        const held = await db.kysely.selectFrom('jobs').select('id').where('state', '=', 'running').where('lease_owner', '=', owner).execute();
        const doneBefore = (await effectCounts(db.kysely)).rows;
        expect(held.length).toBeGreaterThan(0); // it died holding leases
        expect(doneBefore).toBeLessThan(JOBS); // and with work left

        // The restart: a fresh runner takes the queued jobs at once and the dead worker's
        // jobs when their leases run out.
        const restarted = new JobRunner({ db, clock: systemClock, types: [effectJob('restart')], pollMs: 50, log: quietLog() });
        await restarted.start();
        await until(
          async () => (await db.kysely.selectFrom('jobs').select('id').where('state', '!=', 'done').execute()).length === 0,
          'every job to be done',
          20_000,
        );
        await restarted.stop();

        const effects = await effectCounts(db.kysely);
        expect(effects.rows).toBe(JOBS);
        expect(effects.jobs).toBe(JOBS);
        const retaken = await db.kysely
          .selectFrom('jobs')
          .select(['id', 'attempts', 'state'])
          .where('id', 'in', held.map((j) => j.id))
          .execute();
        expect(retaken.every((j) => j.state === 'done' && j.attempts === 2)).toBe(true);
      } finally {
        await db.close();
        if (schema) await dropSchema(schema);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
