// A job worker in its own process, for the crash test: runs effect jobs until it is killed.
// Usage: node --import tsx crash-worker.ts, with SQLITE_FILE, or DATABASE_URL and PG_SCHEMA.
import { openDb } from '../../../db/index.js';
import { systemClock } from '../../clock.js';
import { JobRunner } from '../runner.js';
import { effectJob } from './effects.js';
import { quietLog } from './kit.js';

const db = process.env.SQLITE_FILE
  ? openDb({ sqliteFile: process.env.SQLITE_FILE })
  : openDb({ databaseUrl: process.env.DATABASE_URL, pgSchema: process.env.PG_SCHEMA, poolSize: 4 });
const runner = new JobRunner({
  db,
  clock: systemClock,
  types: [effectJob('doomed', { delayMs: Number(process.env.DELAY_MS ?? 30) })],
  concurrency: 8,
  leaseMs: Number(process.env.LEASE_MS ?? 2000),
  pollMs: 50,
  log: quietLog(),
});
await runner.start();
process.stdout.write(`owner ${runner.owner}\n`);
