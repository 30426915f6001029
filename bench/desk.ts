// The desk benchmark (issue 4): the real server as a child process on the generated data,
// measured over HTTP:
//   - server time (the Server-Timing header) p50/p95 for the team queue's first page, a page
//     10,000 rows deep (keyset), opening a case with a 20-entry timeline, a two-word search,
//     and creating a case;
//   - the bare SQL time of the very statements each endpoint ran (captured through Kysely's
//     log, replayed directly on the driver) and the endpoint/SQL ratio;
//   - queue requests per second at 20 concurrent clients (autocannon);
//   - the server's peak resident memory.
import { groupSync, walSync } from '../src/server/platform/durable.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type autocannon from 'autocannon';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import SQLite from 'better-sqlite3';
import type { Database } from '../src/server/db/types.js';
import { QueueQuery } from '../src/contracts/cases.js';
import { SearchQuery } from '../src/contracts/search.js';
import { listQueue } from '../src/server/cases/queue.js';
import { createCase, deleteCase, getCase } from '../src/server/cases/service.js';
import { search } from '../src/server/search/service.js';
import { systemClock } from '../src/server/platform/clock.js';
import type { Actor } from '../src/server/platform/actor.js';
import type { Platform } from '../src/server/platform/context.js';
import { LocalEventBus } from '../src/server/platform/events.js';
import { SessionCache } from '../src/server/platform/sessions.js';
import { PostgresSearch } from '../src/server/platform/search/postgres.js';
import { SqliteSearch } from '../src/server/platform/search/sqlite.js';
import { docKey } from '../src/server/platform/search/index.js';
import type { BenchOptions } from './options.js';
import { Http, rss, startServer, stat, type Stat } from './server.js';

const SEARCHES = ['wheelchair seating', 'lost umbrella', 'hearing loop', 'drama camp', 'donation receipt', 'parking garage', 'group booking', 'gift certificate', 'service dog', 'refund cancelled'];

/**
 * Runs a service once with a logging Kysely to learn the exact statements it issues, then
 * replays them straight on the driver. A write is replayed in a transaction that commits (as
 * the endpoint's does: FTS5 flushes at commit), and is undone outside the timing so that it
 * can run again with the same values.
 */
interface Replayer {
  capture<T>(fn: (p: Platform) => Promise<T>, undo?: (p: Platform, result: T) => Promise<unknown>): Promise<CompiledQuery[]>;
  run(qs: CompiledQuery[], write: boolean): Promise<number>;
  close(): Promise<void>;
}

/**
 * A deferred SQLite transaction that reads and then writes fails with SQLITE_BUSY at once (no
 * busy wait) when the server beside it committed in between: try again.
 */
async function retryBusy<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** The id a replayed `insert into "cases" … returning` produced, to follow in later statements. */
const CASE_INSERT = /^insert into "cases"/i;

function replayer(dialect: 'sqlite' | 'postgres', file: string, url: string | undefined): Replayer {
  let captured: CompiledQuery[] = [];
  let undoLast: (() => Promise<unknown>) | undefined;
  /** The case id the captured creation got; replays swap it for the id their insert gets. */
  let capturedCaseId: number | undefined;
  const log = (e: { level: string; query: CompiledQuery }) => {
    if (e.level === 'query') captured.push(e.query);
  };
  const control = (q: CompiledQuery) => /^(begin|commit|rollback)$/i.test(q.sql);
  let p: Platform;
  let kysely: Kysely<Database>;
  let execute: (q: CompiledQuery, params: unknown[]) => Promise<unknown[]> | unknown[];
  let tx: (sqlText: string) => Promise<void> | void;
  let closeRaw: () => Promise<void> | void;
  if (dialect === 'sqlite') {
    const raw = new SQLite(file);
    raw.pragma('foreign_keys = ON');
    raw.pragma('cache_size = -65536');
    raw.pragma('synchronous = NORMAL');
    // The server beside it writes too (its job runner): wait for its write lock, as it does.
    raw.pragma('busy_timeout = 5000');
    const app = new SQLite(file);
    app.pragma('foreign_keys = ON');
    app.pragma('busy_timeout = 5000');
    kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: app }), log });
    p = { db: kysely, dialect, clock: systemClock, events: new LocalEventBus(), search: new SqliteSearch(), sessions: new SessionCache(), publicUrl: 'http://bench', syncCommits: groupSync(walSync(file)) };
    const prepared = new Map<string, SQLite.Statement>();
    execute = (q, params) => {
      let st = prepared.get(q.sql);
      if (!st) prepared.set(q.sql, (st = raw.prepare(q.sql)));
      if (st.reader) return st.all(...params);
      st.run(...params);
      return [];
    };
    tx = (sqlText) => {
      raw.exec(sqlText);
    };
    closeRaw = () => {
      raw.close();
    };
  } else {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    p = { db: kysely, dialect, clock: systemClock, events: new LocalEventBus(), search: new PostgresSearch(), sessions: new SessionCache(), publicUrl: 'http://bench', syncCommits: () => Promise.resolve() };
    const client = new pg.Client({ connectionString: url });
    const connected = client.connect();
    execute = async (q, params) => {
      await connected;
      return (await client.query(q.sql, params)).rows;
    };
    tx = async (sqlText) => {
      await connected;
      await client.query(sqlText);
    };
    closeRaw = () => client.end();
  }
  return {
    async capture(fn, undo) {
      captured = [];
      const result = await retryBusy(() => {
        captured = [];
        return fn(p);
      });
      const statements = captured.filter((q) => !control(q));
      capturedCaseId = (result as { id?: number } | undefined)?.id;
      if (undo) {
        undoLast = () => retryBusy(() => undo(p, result));
        await undoLast();
      }
      return statements;
    },
    async run(qs, write) {
      const t = process.hrtime.bigint();
      if (write) await tx('begin');
      let newId: number | undefined;
      for (const q of qs) {
        let params = q.parameters as unknown[];
        if (newId !== undefined && capturedCaseId !== undefined) {
          // The id itself, and the case's search document key (docKey: id·4).
          params = params.map((v) => (v === capturedCaseId ? newId : v === docKey('case', capturedCaseId!) ? docKey('case', newId!) : v));
        }
        const rows = await execute(q, params);
        if (write && CASE_INSERT.test(q.sql)) newId = (rows[0] as { id: number } | undefined)?.id;
      }
      if (write) await tx('commit');
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (write) await undoLast?.();
      return ms;
    },
    async close() {
      await closeRaw();
      await kysely.destroy();
    },
  };
}

interface Row {
  name: string;
  server: Stat;
  client: Stat;
  /** The endpoint's statements replayed right after each request (same conditions). */
  sql: Stat;
  /** The same statements replayed back to back (hot caches). */
  hot: Stat;
}

async function benchDialect(o: BenchOptions) {
  const { dialect } = o;
  const N = o.iterations;
  const WARMUP = o.warmup;
  const dataDir = path.resolve(o.dataDir);
  const file = path.join(dataDir, 'servewell.db');
  const url = o.databaseUrl;
  if (dialect === 'sqlite' && !fs.existsSync(file)) throw new Error(`${file} missing: run npm run gen first`);
  if (dialect === 'postgres' && !url) throw new Error('BENCH_DATABASE_URL is not set');

  const { child, base, stop } = await startServer(dialect === 'postgres' ? { dialect, databaseUrl: url! } : { dialect, dataDir });
  const http = new Http(base);
  const sql = replayer(dialect, file, url);
  const rows: Row[] = [];
  try {
    await http.signIn();
    const me = (await http.req('GET', '/api/session')).json as { user: { id: number; teamId: number; name: string; email: string; role: 'associate' }; org: { id: number; casePrefix: string } };
    const actor: Actor = { userId: me.user.id, orgId: me.org.id, role: me.user.role, name: me.user.name, email: me.user.email, teamId: me.user.teamId, casePrefix: me.org.casePrefix };

    const measure = async (
      name: string,
      urls: () => { method?: string; url: string; body?: unknown },
      serviceCall: (p: Platform, i: number) => Promise<unknown>,
      write = false,
      undo?: (p: Platform, result: unknown) => Promise<unknown>,
    ) => {
      const server: number[] = [];
      const clientMs: number[] = [];
      const sqlMs: number[] = [];
      const statements = await sql.capture((p) => serviceCall(p, 0), undo);
      // Warm up until V8 has optimized the hot paths, as on a server that has been running.
      for (let i = 0; i < WARMUP; i++) {
        const u = urls();
        await http.req(u.method ?? 'GET', u.url, u.body);
        await sql.run(statements, write);
      }
      // Interleaved: each request is followed by one replay of its SQL, so that both are
      // measured under the same conditions (caches, CPU frequency, other load).
      for (let i = 0; i < N; i++) {
        const u = urls();
        const t = performance.now();
        const res = await http.req(u.method ?? 'GET', u.url, u.body);
        clientMs.push(performance.now() - t);
        server.push(res.serverMs);
        sqlMs.push(await sql.run(statements, write));
      }
      // And the same SQL back to back, with hot caches: the best case no request gets.
      const hotMs: number[] = [];
      for (let i = 0; i < N; i++) hotMs.push(await sql.run(statements, write));
      rows.push({ name, server: stat(server), client: stat(clientMs), sql: stat(sqlMs), hot: stat(hotMs) });
      console.log(`  ${name}: server p50 ${stat(server).p50.toFixed(2)} ms, p95 ${stat(server).p95.toFixed(2)} ms; SQL p50 ${stat(sqlMs).p50.toFixed(2)} ms (${statements.length} statements)`);
    };

    const teamQuery = 'queue=team&limit=50';
    await measure('Team queue, first page', () => ({ url: `/api/cases?${teamQuery}` }), (p) => listQueue(p, actor, QueueQuery.parse({ queue: 'team', limit: 50 })));

    // Walk 10,000 rows deep through the keyset (less on a small dataset), then measure that page.
    const counts = (await http.req('GET', '/api/cases/counts')).json as { team: number };
    const target = Math.min(10_000, Math.floor((counts.team * 0.8) / 100) * 100);
    let after: string | null = null;
    for (let depth = 0; depth < target; depth += 100) {
      const page = (await http.req('GET', `/api/cases?queue=team&limit=100${after ? `&after=${after}` : ''}`)).json as { nextCursor: string | null };
      after = page.nextCursor;
      if (!after) throw new Error(`team queue ends at ${depth} rows`);
    }
    const deep = after;
    await measure(`Team queue, page ${target.toLocaleString('en-US')} rows deep`, () => ({ url: `/api/cases?${teamQuery}${deep ? `&after=${deep}` : ''}` }), (p) => listQueue(p, actor, QueueQuery.parse({ queue: 'team', limit: 50, ...(deep ? { after: deep } : {}) })));

    // Case id k·997 has a 20-entry timeline (scripts/generate.ts); its number is 1000 + id.
    const longThreads: string[] = [];
    for (let i = 1; i <= 50; i++) {
      const ref = `${me.org.casePrefix}-${1000 + 997 * i}`;
      const found = await http.req('GET', `/api/cases/${ref}`).then(() => true, () => false);
      if (!found) break; // a small data set has fewer of them
      longThreads.push(ref);
    }
    let k = 0;
    await measure('Open a case (20-entry timeline)', () => ({ url: `/api/cases/${longThreads[k++ % longThreads.length]}` }), (p) => getCase(p, actor, longThreads[0]!));

    let s = 0;
    await measure('Two-word full-text search', () => ({ url: `/api/search?q=${encodeURIComponent(SEARCHES[s++ % SEARCHES.length]!)}` }), (p) => search(p, actor, SearchQuery.parse({ q: SEARCHES[0] })));

    let c = 0;
    const body = () => ({ channel: 'phone', patronId: 1 + (c++ % 1000), subject: 'Bench call: exchange tickets', body: 'Caller asked to move Saturday tickets to Sunday.', teamId: me.user.teamId });
    // Capturing a creation commits a case: remove it again so the replay can reuse its number.
    await measure(
      'Create a case',
      () => ({ method: 'POST', url: '/api/cases', body: body() }),
      (p) => createCase(p, actor, { ...body(), direction: 'in', priority: 'normal', tags: [] } as Parameters<typeof createCase>[2]),
      true,
      (p, made) => deleteCase(p, actor, (made as { ref: string }).ref),
    );

    // The load comes from its own process (autocannon's CLI), so that this process's heap and
    // garbage collection do not slow the load generator; three rounds, the median reported.
    const rounds: LoadRound[] = [];
    for (let i = 0; i < 3; i++) rounds.push(await loadRound(`${base}/api/cases?${teamQuery}`, http.cookie));
    rounds.sort((a, b) => a.rps - b.rps);
    const memory = rss(child.pid!);
    return { rows, load: rounds[1]!, spread: [rounds[0]!.rps, rounds[2]!.rps] as const, memory };
  } finally {
    await sql.close();
    stop();
  }
}

interface LoadRound {
  rps: number;
  errors: number;
  p50: number;
  p99: number;
}

/** One 10 s round of 20 concurrent keep-alive clients, from a separate autocannon process. */
function loadRound(url: string, cookie: string): Promise<LoadRound> {
  return new Promise((resolve, reject) => {
    const cli = spawn(
      process.execPath,
      [path.resolve('node_modules/autocannon/autocannon.js'), '-c', '20', '-d', '10', '-j', '-H', `cookie: ${cookie}`, url],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.on('error', reject);
    cli.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const r = JSON.parse(out) as autocannon.Result;
      resolve({ rps: r.requests.average, errors: r.non2xx + r.errors, p50: r.latency.p50, p99: r.latency.p99 });
    });
  });
}

function table(dialect: string, r: Awaited<ReturnType<typeof benchDialect>>) {
  const f = (x: number) => x.toFixed(2);
  const lines = [
    `**${dialect}**`,
    '',
    '| Measure | Server p50 (ms) | Server p95 (ms) | Client p95 (ms) | SQL p50, interleaved (ms) | Endpoint/SQL | SQL p50, back to back (ms) | Endpoint/SQL, back to back |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map(
      (x) =>
        `| ${x.name} | ${f(x.server.p50)} | ${f(x.server.p95)} | ${f(x.client.p95)} | ${f(x.sql.p50)} | ${(x.server.p50 / x.sql.p50).toFixed(2)} | ${f(x.hot.p50)} | ${(x.server.p50 / x.hot.p50).toFixed(2)} |`,
    ),
    '',
    `| Throughput and memory | Value |`,
    '|---|---:|',
    `| Team queue requests/s, 20 concurrent clients (median of 3 × 10 s) | ${Math.round(r.load.rps).toLocaleString('en-US')} (rounds ${r.spread.map((x) => Math.round(x).toLocaleString('en-US')).join('–')}; non-2xx/errors ${r.load.errors}; latency p50 ${r.load.p50} ms, p99 ${r.load.p99} ms) |`,
    `| Server RSS peak / at end (MB) | ${r.memory.peak.toFixed(0)} / ${r.memory.now.toFixed(0)} |`,
  ];
  return lines.join('\n');
}


/** The desk section: one table per dialect. */
export async function benchDesk(o: BenchOptions): Promise<string> {
  const r = await benchDialect(o);
  return table(`Desk, ${o.dialect}`, r);
}

/** A free TCP port on loopback (servers the benchmarks start). */
