// The benchmark: `npm run bench` (after `npm run gen -- --cases 1000000`). Each section
// measures one capability and prints a table beside the limit it is measured against (the
// bare SQL, the bare durable insert), measured in the same run. It reports numbers; it never
// fails on them. `-- --only desk,jobs` runs some sections; `-- --write` records the tables in
// bench/RESULTS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchDesk } from './desk.js';
import { benchJobs, jobsTable } from './jobs.js';
import { benchSearch, searchTables, type Dataset } from './search.js';
import { benchMail, mailTable } from './mail.js';
import { benchPromises, promisesTable } from './promises.js';
import { benchForecastTable, benchStaffing, staffingTable } from './staffing.js';
import { benchPatrons } from './patrons.js';
import { benchWeb, webTable } from './web.js';
import type { BenchOptions, Dialect } from './options.js';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    iterations: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '300' },
    'data-dir': { type: 'string', default: '.bench-data' },
    'small-data-dir': { type: 'string' },
    only: { type: 'string' },
    write: { type: 'boolean', default: false },
  },
  strict: false,
});

/** Every section, in the order they run; each runs once per dialect. */
const SECTIONS: Record<string, (o: BenchOptions) => Promise<string>> = {
  desk: benchDesk,
  // No-op jobs/s through the runner, beside the bare claim-and-complete loop (issue 8). Its
  // own database in the data folder (SQLite) or a fresh schema (PostgreSQL).
  jobs: async (o) =>
    `**Durable jobs, ${o.dialect}** (no-op jobs, concurrency 10, median of 3 rounds)\n\n` +
    jobsTable(
      await benchJobs({ dataDir: path.join(o.dataDir, 'jobs'), databaseUrl: o.databaseUrl, dialects: [o.dialect] }),
    ),
  // Search's worst cases drawn from the corpus, per class, beside the bare SQL, with the growth
  // from the small data set to the large one when both are given (issue 13).
  search: async (o) => {
    const location = (dir: string | undefined, url: string | undefined) =>
      o.dialect === 'sqlite' ? (dir ? path.resolve(dir) : undefined) : url;
    const large = location(o.dataDir, o.databaseUrl);
    const small = location(o.smallDataDir, o.smallDatabaseUrl);
    const datasets: Dataset[] = [
      ...(large ? [{ label: '1M', dialect: o.dialect, location: large }] : []),
      ...(small ? [{ label: '100k', dialect: o.dialect, location: small }] : []),
    ];
    return searchTables(await benchSearch({ datasets, repeat: 5 }));
  },
  // Promises (issue 11): the lists beside their bare SQL, reminders of 10,000 promises due in
  // one minute (two instances on PostgreSQL), the plans. Its own database, filled with
  // BENCH_PROMISES promises (default 400,000: 100,000 open) among BENCH_PROMISE_CASES cases
  // (default 1,000,000), the sizes.
  promises: async (o) =>
    promisesTable(
      await benchPromises({
        dialect: o.dialect,
        dataDir: o.dataDir,
        databaseUrl: o.databaseUrl,
        promises: Number(process.env.BENCH_PROMISES ?? 400_000),
        cases: Number(process.env.BENCH_PROMISE_CASES ?? 1_000_000),
        iterations: o.iterations,
      }),
    ),
  // Patron memory (issue 14): matching precision and recall on the labelled set, then profile,
  // candidates and review times beside their bare SQL.
  patrons: benchPatrons,
  // The planner's arithmetic (issue 12): no database, so it runs once, on the first dialect.
  staffing: async (o) =>
    (o.dialect === 'sqlite' || !dialects.includes('sqlite')
      ? `**Staffing planner arithmetic**\n\n${staffingTable(benchStaffing())}\n\n`
      : '') +
    // The forecast read from the pre-aggregated arrivals of the generated data (issue 12).
    `**Staffing forecast, ${o.dialect}**\n\n${staffingTable(
      await benchForecastTable(
        o.dialect === 'sqlite' ? { sqliteFile: path.join(o.dataDir, 'servewell.db') } : o.databaseUrl ? { databaseUrl: o.databaseUrl } : {},
      ),
    )}`,
  // Email in and out (issue 10): SMTP intake with group commit beside the bare durable insert,
  // threading, and the outbox drained to a loopback relay. Its own database (file or schema).
  mail: async (o) => mailTable(await benchMail({ dialect: o.dialect, dataDir: o.dataDir, databaseUrl: o.databaseUrl })),
  // The web app's first loads in a throttled Chromium (issue 9): its own small organization on
  // SQLite, so it runs once, on the first dialect.
  web: async (o) =>
    o.dialect === 'sqlite' || !dialects.includes('sqlite') ? webTable(await benchWeb({ rounds: 3, log: console.log })) : '',
};

const only = args.only ? String(args.only).split(',') : Object.keys(SECTIONS);
const unknown = only.filter((s) => !SECTIONS[s]);
if (unknown.length) {
  console.error(`Unknown section(s): ${unknown.join(', ')}. Sections: ${Object.keys(SECTIONS).join(', ')}.`);
  process.exit(2);
}
const databaseUrl = process.env.BENCH_DATABASE_URL;
const dialects: Dialect[] =
  args.dialect === 'both' ? (databaseUrl ? ['sqlite', 'postgres'] : ['sqlite']) : [String(args.dialect) as Dialect];

const tables: string[] = [];
for (const name of only) {
  for (const dialect of dialects) {
    console.log(`\n== ${name}, ${dialect} ==`);
    const t = await SECTIONS[name]!({
      dialect,
      dataDir: String(args['data-dir']),
      databaseUrl,
      smallDataDir: args['small-data-dir'] === undefined ? undefined : String(args['small-data-dir']),
      smallDatabaseUrl: process.env.BENCH_SMALL_DATABASE_URL,
      iterations: Number(args.iterations),
      warmup: Number(args.warmup),
    });
    if (!t) continue;
    console.log(`\n${t}\n`);
    tables.push(t);
  }
}
if (!databaseUrl && args.dialect === 'both') {
  console.log('PostgreSQL skipped: set BENCH_DATABASE_URL (and generate into it) to measure it too.');
}
if (args.write) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    `## Run of ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}\`, ${args.iterations} sequential requests per measure after ${args.warmup} warm-up requests.`,
    `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}.`,
    '',
    '',
  ].join('\n');
  const out = path.resolve('bench/RESULTS.md');
  const previous = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '# Benchmark results\n';
  const [title, ...rest] = previous.split('\n## ');
  fs.writeFileSync(out, `${title!.trimEnd()}\n\n${header}${tables.join('\n\n')}\n${rest.length ? '\n## ' + rest.join('\n## ') : ''}`);
  console.log(`Recorded in ${out}`);
}
