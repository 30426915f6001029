// Job runner throughput: no-op jobs per second through JobRunner on SQLite (a file, one
// instance) and on PostgreSQL (one and two instances, each its own pool), beside the bare
// claim-and-complete loop: the very statements the runner sends (the claim, and the batched
// completion of jobs without a key), compiled once and replayed on the driver in a tight loop
// (on PostgreSQL overlapping a claim with the last completion, as the runner does), in the same
// process and run. The ratio runner/bare says what the runner itself costs.
//
// Alone: `npx tsx bench/jobs.ts [--dialect sqlite|postgres|both] [--jobs 20000] [--rounds 3]`
// (PostgreSQL from BENCH_DATABASE_URL or --database-url; its own schema, dropped afterwards).
// bench/run.ts calls `benchJobs()` and prints `jobsTable()`. Figures, never a pass or fail.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import { migrateToLatest, openDb, type Db } from '../src/server/db/index.js';
import { systemClock } from '../src/server/platform/clock.js';
import { defineJob, JobRunner } from '../src/server/platform/jobs/index.js';
import { claimQuery, completePlainQuery } from '../src/server/platform/jobs/queries.js';

export interface JobsBenchOptions {
  /** SQLite file's folder. */
  dataDir: string;
  /** PostgreSQL database (a fresh schema is made in it); unset: SQLite only. */
  databaseUrl?: string | undefined;
  dialects?: Array<'sqlite' | 'postgres'>;
  jobs?: number;
  rounds?: number;
  /** The runner's concurrency, which is also its largest claim (the runner's default: 10). */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface JobsBenchRow {
  setup: string;
  jobs: number;
  /** Jobs per second, the median of the rounds. */
  runner: number;
  bare: number;
  ratio: number;
  rounds: { runner: number[]; bare: number[] };
}

const noop = defineJob({ kind: 'bench.noop', payload: z.object({}), maxAttempts: 1, run: async () => undefined });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** N due no-op jobs, written in large statements (not measured). */
async function fill(db: Db, n: number): Promise<void> {
  const now = Date.now() - 1;
  for (let i = 0; i < n; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - i) }, () => ({
      org_id: null,
      kind: noop.kind,
      payload: '{}',
      state: 'queued' as const,
      run_at: now,
      available_at: now,
      attempts: 0,
      max_attempts: 1,
      unique_key: null,
      created_at: now,
      updated_at: now,
    }));
    await db.kysely.insertInto('jobs').values(rows).execute();
  }
  // Each round leaves 3 dead row versions per job. Autovacuum clears them in a normal
  // deployment; this machine's server runs with autovacuum off, so clear them here, unmeasured.
  if (db.dialect === 'postgres') await db.pool!.query('vacuum analyze jobs');
}

/** Runners (one per database handle, as app instances) until all `n` jobs are done. */
async function throughRunners(dbs: Db[], n: number, concurrency: number): Promise<number> {
  let ran = 0;
  let finish!: () => void;
  const allRan = new Promise<void>((resolve) => (finish = resolve));
  const type = defineJob({
    kind: noop.kind,
    payload: z.object({}),
    maxAttempts: 1,
    run: async () => {
      if (++ran === n) finish();
    },
  });
  const quiet = { warn: () => undefined, error: (obj: unknown, msg?: string) => console.error(msg, obj) };
  const runners = dbs.map((db) => new JobRunner({ db, clock: systemClock, types: [type], concurrency, log: quiet }));
  const t0 = performance.now();
  await Promise.all(runners.map((r) => r.start()));
  await allRan;
  await Promise.all(runners.map((r) => r.stop())); // includes writing the last completions
  const seconds = (performance.now() - t0) / 1000;
  const left = await dbs[0]!.kysely.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(left.n) !== 0) throw new Error(`runner left ${left.n} jobs`);
  return n / seconds;
}

/** The runner's two statements, compiled once, replayed on the driver: claim a batch, complete it. */
async function bareLoop(db: Db, batch: number): Promise<number> {
  const owner = `bare-${crypto.randomBytes(3).toString('hex')}`;
  const claim = claimQuery(db.kysely, { now: 0, owner, leaseMs: 60_000, limit: batch }).compile();
  // The completion's id list is as long as the claim returned: one statement per length.
  const completeSql = new Map<number, string>();
  const completion = (ids: number[]) => {
    let text = completeSql.get(ids.length);
    if (!text) completeSql.set(ids.length, (text = completePlainQuery(db.kysely, ids, owner).compile().sql));
    return text;
  };
  // Parameters in the compiled order: set values, then the claim's now and limit.
  const claimParams = (now: number) =>
    claim.parameters.map((v, i) => (i === 3 || i === 4 ? now + 60_000 : i === 5 || i === 6 ? now : v));
  let done = 0;
  if (db.dialect === 'sqlite') {
    const raw = db.sqlite!;
    const claimStmt = raw.prepare(claim.sql);
    const t0 = performance.now();
    for (;;) {
      const rows = claimStmt.all(...claimParams(Date.now())) as Array<{ id: number }>;
      if (!rows.length) break;
      const ids = rows.map((r) => r.id);
      raw.prepare(completion(ids)).run(...ids, owner, 'running');
      done += ids.length;
    }
    return done / ((performance.now() - t0) / 1000);
  }
  // As the runner does on PostgreSQL: the next claim goes out while the last batch's
  // completion is being written, on a second connection.
  const [claimer, completer] = [await db.pool!.connect(), await db.pool!.connect()];
  try {
    const t0 = performance.now();
    let writing: Promise<unknown> = Promise.resolve();
    for (;;) {
      const { rows } = await claimer.query<{ id: number }>(claim.sql, claimParams(Date.now()));
      if (!rows.length) break;
      const ids = rows.map((r) => r.id);
      await writing;
      writing = completer.query(completion(ids), [...ids, owner, 'running']);
      done += ids.length;
    }
    await writing;
    return done / ((performance.now() - t0) / 1000);
  } finally {
    claimer.release();
    completer.release();
  }
}

/** Several bare loops at once, one per database handle (two instances' limit). */
async function bareLoops(dbs: Db[], n: number, batch: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(dbs.map((db) => bareLoop(db, batch)));
  return n / ((performance.now() - t0) / 1000);
}

function checkClaimShape(db: Db): void {
  // The replay swaps values by position; fail loudly if the statement's parameters moved.
  const c = claimQuery(db.kysely, { now: 111, owner: 'o', leaseMs: 1, limit: 7 }).compile().parameters;
  const expected = ['running', 1, 'o', 112, 112, 111, 111, 7];
  if (JSON.stringify(c) !== JSON.stringify(expected)) throw new Error(`claim parameters moved: ${JSON.stringify(c)}`);
}

export async function benchJobs(opts: JobsBenchOptions): Promise<JobsBenchRow[]> {
  const n = opts.jobs ?? 20_000;
  const roundsN = opts.rounds ?? 3;
  const concurrency = opts.concurrency ?? 10;
  const log = opts.log ?? ((line: string) => console.log(line));
  const dialects = opts.dialects ?? (opts.databaseUrl ? ['sqlite', 'postgres'] : ['sqlite']);
  const rows: JobsBenchRow[] = [];

  async function measure(setup: string, dbs: Db[]) {
    checkClaimShape(dbs[0]!);
    const rounds = { runner: [] as number[], bare: [] as number[] };
    for (let r = 0; r < roundsN; r++) {
      await fill(dbs[0]!, n);
      rounds.bare.push(dbs.length === 1 ? await bareLoop(dbs[0]!, concurrency) : await bareLoops(dbs, n, concurrency));
      await fill(dbs[0]!, n);
      rounds.runner.push(await throughRunners(dbs, n, concurrency));
      log(`  ${setup} round ${r + 1}: runner ${Math.round(rounds.runner.at(-1)!)} jobs/s, bare ${Math.round(rounds.bare.at(-1)!)} jobs/s`);
    }
    const runner = median(rounds.runner);
    const bare = median(rounds.bare);
    rows.push({ setup, jobs: n, runner, bare, ratio: bare / runner, rounds });
  }

  if (dialects.includes('sqlite')) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const file = path.join(opts.dataDir, 'jobs-bench.db');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    const db = openDb({ sqliteFile: file });
    try {
      await migrateToLatest(db);
      await measure('SQLite, 1 instance', [db]);
    } finally {
      await db.close();
    }
  }

  if (dialects.includes('postgres')) {
    if (!opts.databaseUrl) throw new Error('PostgreSQL needs a database URL');
    const schema = `jobs_bench_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: opts.databaseUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const open = () => openDb({ databaseUrl: opts.databaseUrl, pgSchema: schema, poolSize: 10 });
    const [one, two] = [open(), open()];
    try {
      await migrateToLatest(one);
      await measure('PostgreSQL, 1 instance', [one]);
      await measure('PostgreSQL, 2 instances', [one, two]);
    } finally {
      await one.close();
      await two.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
  return rows;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

export function jobsTable(rows: JobsBenchRow[]): string {
  const lines = [
    '| Setup | Jobs | Runner jobs/s | Bare loop jobs/s | Bare/runner | Runner rounds |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.setup} | ${fmt(r.jobs)} | ${fmt(r.runner)} | ${fmt(r.bare)} | ${r.ratio.toFixed(2)} | ${r.rounds.runner.map(fmt).join(', ')} |`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values: args } = parseArgs({
    options: {
      dialect: { type: 'string', default: 'both' },
      jobs: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '10' },
      'data-dir': { type: 'string', default: '.bench-data/jobs' },
      'database-url': { type: 'string' },
    },
  });
  const databaseUrl = args['database-url'] ?? process.env.BENCH_DATABASE_URL;
  const dialects: Array<'sqlite' | 'postgres'> =
    args.dialect === 'both' ? (databaseUrl ? ['sqlite', 'postgres'] : ['sqlite']) : [args.dialect as 'sqlite' | 'postgres'];
  const rows = await benchJobs({
    dataDir: args['data-dir']!,
    databaseUrl,
    dialects,
    jobs: Number(args.jobs),
    rounds: Number(args.rounds),
    concurrency: Number(args.concurrency),
  });
  console.log(`\nNo-op jobs, concurrency ${args.concurrency} (the median of ${args.rounds} rounds):\n\n${jobsTable(rows)}\n`);
  if (!databaseUrl) console.log('PostgreSQL skipped: set BENCH_DATABASE_URL to measure it too.');
}
