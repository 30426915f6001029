// An app instance's job worker in its own process, for the crash test: runs the promise and
// mail jobs on real time until it is killed.
// Usage: node --import tsx worker.ts, with SQLITE_FILE, or DATABASE_URL and PG_SCHEMA.
import { openDb } from '../../db/index.js';
import { createMailRuntime } from '../../mail/api.js';
import { systemClock } from '../../platform/clock.js';
import { createPlatform } from '../../platform/index.js';
import { JobRunner } from '../../platform/jobs/index.js';
import { quietLog } from '../../platform/jobs/testing/kit.js';
import { promiseJobTypes } from '../api.js';

const db = process.env.SQLITE_FILE
  ? openDb({ sqliteFile: process.env.SQLITE_FILE })
  : openDb({ databaseUrl: process.env.DATABASE_URL, pgSchema: process.env.PG_SCHEMA, poolSize: 4 });
// CLOCK_OFFSET_MS: the test moves this instance's time ahead, to the moment work falls due.
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
const clock = offset ? { now: () => Date.now() + offset } : systemClock;
const p = await createPlatform(db, { clock, publicUrl: 'http://desk.test' });
const mail = createMailRuntime(p, { log: quietLog() });
const runner = new JobRunner({
  db,
  clock,
  types: [...promiseJobTypes(p), ...mail.jobTypes],
  concurrency: 8,
  leaseMs: Number(process.env.LEASE_MS ?? 2000),
  pollMs: 50,
  log: process.env.WORKER_DEBUG ? { warn: (o: unknown, m?: string) => console.error('warn', m, o), error: (o: unknown, m?: string) => console.error('error', m, o) } : quietLog(),
});
await runner.start();
process.stdout.write(`owner ${runner.owner}\n`);
// The runner's timers do not hold the process open (in the app the HTTP server does, and on
// PostgreSQL the pool's sockets would); on SQLite nothing else would, and the worker would exit
// quietly at its first idle pause. It runs until the test kills it.
setInterval(() => undefined, 60_000);
