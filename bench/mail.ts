// Inbound and outbound mail (issue 10). Inbound: N messages of ~10 KB (a fifth with a 200 KB
// attachment) from C concurrent SMTP clients (nodemailer, pooled) over loopback against the
// real listener and durable store, with the job runner threading them as they come; reported:
// messages/s accepted, p50/p95 from end of DATA to the 250 (timed around the store, which is
// what the 250 waits for), and time from the last 250 until all are threaded into cases.
// Beside it, in the same run and database, the limit: the bare durable insert of the same raw
// messages, one commit each, with the same synchronous setting (SQLite: FULL). Outbound: M
// replies queued on cases, then drained by the runner to a loopback relay: replies/s.
//
// Alone: `npx tsx bench/mail.ts [--dialect sqlite|postgres] [--messages 5000] [--clients 10]`
// (PostgreSQL from BENCH_DATABASE_URL; its own schema, dropped afterwards). Figures only.
// MAIL_BENCH_RUNNER_AFTER=1 starts the threading runner only after the last 250 (diagnosis).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { addTeam, createOrganization } from '../src/server/admin/api.js';
import { migrateToLatest, openDb, type Db } from '../src/server/db/index.js';
import { addTeamAddressIn, createInboundDoor, createMailListener, createMailRuntime, queueMail, setRelayIn, setTeamWritingIn } from '../src/server/mail/api.js';
import { startRelay } from '../src/server/mail/testing/relay.js';
import { createPlatform } from '../src/server/platform/index.js';
import { JobRunner } from '../src/server/platform/jobs/index.js';
import { inTransaction } from '../src/server/platform/tx.js';

export interface MailBenchOptions {
  dialect: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl?: string | undefined;
  messages?: number;
  clients?: number;
  /** Messages for the bare insert (one commit each: slow by design). */
  bareMessages?: number;
  replies?: number;
  log?: (line: string) => void;
}

export interface MailBenchResult {
  dialect: string;
  messages: number;
  clients: number;
  acceptedPerSec: number;
  p50Ms: number;
  p95Ms: number;
  threadedAfterLastMs: number;
  bareMessages: number;
  barePerSec: number;
  ratio: number;
  replies: number;
  repliesPerSec: number;
  cases: number;
  /** CPU time of the server process while accepting (threading included), per message. */
  serverCpuMsPerMessage: number;
  /** The machine's 1-minute load average at the end: figures from a busy machine say so. */
  loadAverage: number;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

/** A ~10 KB message, every fifth with a 200 KB attachment of its own bytes. */
function message(i: number, to: string): Buffer {
  const paragraph = `Line ${i}: we would like to change our seats for the Saturday matinee, if there is room near the aisle. `;
  const body = Array.from({ length: 90 }, () => paragraph).join('\r\n');
  const head =
    `From: Patron ${i % 1000} <patron${i % 1000}@bench.example>\r\nTo: ${to}\r\nSubject: Seats question ${i}\r\n` +
    `Message-ID: <bench-${i}-${crypto.randomBytes(4).toString('hex')}@bench.example>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n`;
  if (i % 5 !== 0) return Buffer.from(`${head}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
  const file = crypto.randomBytes(200 * 1024).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `${head}Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n` +
      `--b${i}\r\nContent-Type: application/pdf; name="tickets-${i}.pdf"\r\nContent-Disposition: attachment; filename="tickets-${i}.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${file}\r\n--b${i}--\r\n`,
  );
}

async function open(o: MailBenchOptions): Promise<{ db: Db; cleanup: () => Promise<void>; bare: (raws: Buffer[]) => Promise<number> }> {
  if (o.dialect === 'sqlite') {
    const dir = path.join(o.dataDir, 'mail');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const db = openDb({ sqliteFile: path.join(dir, 'servewell.db') });
    return {
      db,
      cleanup: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
      // The same raw bytes, one transaction and one commit each, synchronous=FULL as the store.
      bare: async (raws) => {
        const s = db.sqlite!;
        s.exec('create table bench_raw (id integer primary key, message_id text not null unique, raw blob not null, received_at integer not null)');
        const insert = s.prepare('insert into bench_raw (message_id, raw, received_at) values (?, ?, ?)');
        s.pragma('synchronous = FULL');
        const t0 = performance.now();
        raws.forEach((raw, i) => {
          s.exec('begin');
          insert.run(`bare-${i}`, raw, Date.now());
          s.exec('commit');
        });
        const ms = performance.now() - t0;
        s.pragma('synchronous = NORMAL');
        return ms;
      },
    };
  }
  const schema = `mail_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: o.databaseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const db = openDb({ databaseUrl: o.databaseUrl, pgSchema: schema, poolSize: 10 });
  return {
    db,
    cleanup: async () => {
      await db.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
    bare: async (raws) => {
      await admin.query(`create table ${schema}.bench_raw (id serial primary key, message_id text not null unique, raw bytea not null, received_at bigint not null)`);
      const t0 = performance.now();
      for (let i = 0; i < raws.length; i++) {
        await admin.query(`insert into ${schema}.bench_raw (message_id, raw, received_at) values ($1, $2, $3)`, [`bare-${i}`, raws[i], Date.now()]);
      }
      return performance.now() - t0;
    },
  };
}

export async function benchMail(o: MailBenchOptions): Promise<MailBenchResult> {
  const log = o.log ?? ((line: string) => console.log(line));
  const n = o.messages ?? 5000;
  const clients = o.clients ?? 10;
  const { db, cleanup, bare } = await open(o);
  const relay = await startRelay();
  try {
    await migrateToLatest(db);
    const p = await createPlatform(db, { publicUrl: 'http://bench.test' });
    const address = 'boxoffice@bench.servewell.test';
    const orgId = await inTransaction(p, async (ctx) => {
      const org = await createOrganization(ctx, { name: 'Bench Theater', slug: 'bench', timeZone: 'UTC', casePrefix: 'SW', firstCaseNumber: 1 });
      const team = await addTeam(ctx, org.id, 'Box office');
      await addTeamAddressIn(ctx, org.id, team.id, address);
      // Inbound is measured alone: acknowledgements are the outbound part's business.
      await setTeamWritingIn(ctx, org.id, team.id, { fromAddress: null, signature: null, acknowledge: false });
      await setRelayIn(ctx, org.id, { mode: 'smtp', host: '127.0.0.1', port: relay.port, security: 'none', username: null, allowSelfSigned: false });
      return org.id;
    });
    const rt = createMailRuntime(p, { log: { warn: () => {}, error: (obj, msg) => console.error(msg, obj) } });
    const runner = new JobRunner({ db, clock: p.clock, types: rt.jobTypes, log: { warn: () => {}, error: (obj, msg) => console.error(msg, obj) }, concurrency: 10 });

    // ---- inbound ----
    const door = createInboundDoor(p);
    const waits: number[] = [];
    let last250 = 0;
    const listener = createMailListener({
      isKnownRecipient: door.isKnownRecipient,
      async store(m) {
        const t0 = performance.now();
        await door.store(m);
        const t1 = performance.now();
        waits.push(t1 - t0);
        last250 = t1;
      },
      hostname: 'mx.bench.test',
      maxClients: clients * 2,
      log: { info: () => {}, warn: () => {}, error: (d, m) => console.error(m, d) },
    });
    const { port } = await listener.listen(0, '127.0.0.1');
    if (process.env.MAIL_BENCH_RUNNER_AFTER !== '1') await runner.start();
    log(`mail: sending ${n} messages from ${clients} clients (in a process of their own, as other machines would be)…`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const clientTimes = await new Promise<number[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        env: { ...process.env, MAIL_BENCH_CLIENTS: JSON.stringify({ port, n, clients, address }) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`the SMTP clients exited with ${code}`))));
    });
    const acceptMs = last250 - t0;
    const cpu = process.cpuUsage(cpu0);
    const serverCpuMsPerMessage = (cpu.user + cpu.system) / 1000 / n;
    log(`mail: ${door.stats.commits} durable commits for ${door.stats.messages} messages`);
    log(`mail: server CPU ${serverCpuMsPerMessage.toFixed(2)} ms per message accepted (threading included)`);
    log(`mail: client p50 ${pct(clientTimes, 50).toFixed(1)} ms p95 ${pct(clientTimes, 95).toFixed(1)} ms; store p50 ${pct(waits, 50).toFixed(1)}`);
    log(`mail: ${n} accepted in ${(acceptMs / 1000).toFixed(1)} s; waiting for threading…`);
    if (process.env.MAIL_BENCH_RUNNER_AFTER === '1') await runner.start();
    const threaded = async () =>
      Number((await db.kysely.selectFrom('mail_inbound').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'threaded').executeTakeFirstOrThrow()).n);
    while ((await threaded()) < n) await new Promise((r) => setTimeout(r, 100));
    const threadedAfterLastMs = performance.now() - last250;
    const cases = Number((await db.kysely.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await listener.close();

    // ---- the bare durable insert of the same raw messages ----
    const bareN = Math.min(o.bareMessages ?? 2000, n);
    const raws = Array.from({ length: bareN }, (_, i) => message(i, address));
    const bareMs = await bare(raws);

    // ---- outbound: replies on the cases just made, drained to the loopback relay ----
    const m = o.replies ?? 2000;
    await runner.stop({ timeoutMs: 10_000 });
    const caseIds = (await db.kysely.selectFrom('cases').select('id').orderBy('id').limit(m).execute()).map((r) => r.id);
    for (let i = 0; i < caseIds.length; i += 100) {
      await inTransaction(p, async (ctx) => {
        for (const caseId of caseIds.slice(i, i + 100)) await queueMail(ctx, { orgId, kind: 'reply', caseId, text: 'Your seats are changed: row G, seats 4 and 5.' });
      });
    }
    relay.relayed.length = 0;
    const runner2 = new JobRunner({ db, clock: p.clock, types: rt.jobTypes, log: { warn: () => {}, error: (obj, msg) => console.error(msg, obj) }, concurrency: 10 });
    const o0 = performance.now();
    await runner2.start();
    const sent = async () =>
      Number((await db.kysely.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'sent').executeTakeFirstOrThrow()).n);
    while ((await sent()) < caseIds.length) await new Promise((r) => setTimeout(r, 50));
    const outMs = performance.now() - o0;
    await runner2.stop({ timeoutMs: 10_000 });
    await rt.close();
    await p.events.close();

    const acceptedPerSec = n / (acceptMs / 1000);
    const barePerSec = bareN / (bareMs / 1000);
    return {
      dialect: o.dialect,
      messages: n,
      clients,
      acceptedPerSec,
      p50Ms: pct(waits, 50),
      p95Ms: pct(waits, 95),
      threadedAfterLastMs,
      bareMessages: bareN,
      barePerSec,
      ratio: barePerSec / acceptedPerSec,
      replies: caseIds.length,
      repliesPerSec: caseIds.length / (outMs / 1000),
      cases,
      serverCpuMsPerMessage,
      loadAverage: os.loadavg()[0]!,
    };
  } finally {
    await relay.close();
    await cleanup();
  }
}

const f1 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const f0 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

export function mailTable(r: MailBenchResult): string {
  const sqlite = r.dialect === 'sqlite';
  const bar = (ok: boolean) => (sqlite ? (ok ? 'met' : 'missed') : '(no bar)');
  return [
    `**Email, ${r.dialect}** (${f0(r.messages)} messages of ~10 KB, a fifth with a 200 KB attachment, from ${r.clients} SMTP clients over loopback; threading runs meanwhile)`,
    '',
    '| Measure | Figure | Bar (SQLite) | |',
    '|---|---:|---|---|',
    `| Accepted | ${f0(r.acceptedPerSec)} messages/s | ≥ 500/s | ${bar(r.acceptedPerSec >= 500)} |`,
    `| End of DATA → 250, p50 / p95 | ${f1(r.p50Ms)} / ${f1(r.p95Ms)} ms | p95 ≤ 50 ms | ${bar(r.p95Ms <= 50)} |`,
    `| All threaded after the last 250 | ${f1(r.threadedAfterLastMs / 1000)} s (${f0(r.cases)} cases) | ≤ 20 s | ${bar(r.threadedAfterLastMs <= 20_000)} |`,
    `| Bare durable insert, one commit each (${f0(r.bareMessages)} of the same messages) | ${f0(r.barePerSec)} messages/s | | |`,
    `| Bare insert / accepted | ${r.ratio.toFixed(2)} | ≤ 4 | ${bar(r.ratio <= 4)} |`,
    `| Server CPU while accepting (threading included) | ${r.serverCpuMsPerMessage.toFixed(2)} ms per message | | |`,
    `| Machine load average (1 min) at the end | ${r.loadAverage.toFixed(1)} on ${os.cpus().length} cores | | |`,
    `| Replies drained from the outbox to a loopback relay (${f0(r.replies)}) | ${f0(r.repliesPerSec)} replies/s | ≥ 300/s | ${bar(r.repliesPerSec >= 300)} |`,
  ].join('\n');
}

/** The SMTP clients, in their own process: C pooled connections sending N messages between them. */
async function sendAll(d: { port: number; n: number; clients: number; address: string }): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: d.clients }, async () => {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: d.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
      for (let i = next++; i < d.n; i = next++) {
        const raw = message(i, d.address);
        const c0 = performance.now();
        await t.sendMail({ envelope: { from: `patron${i % 1000}@bench.example`, to: [d.address] }, raw });
        times.push(performance.now() - c0);
      }
      t.close();
    }),
  );
  return times;
}

if (process.env.MAIL_BENCH_CLIENTS) {
  process.stdout.write(JSON.stringify(await sendAll(JSON.parse(process.env.MAIL_BENCH_CLIENTS) as { port: number; n: number; clients: number; address: string })));
  process.exit(0);
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      dialect: { type: 'string', default: 'sqlite' },
      messages: { type: 'string', default: '5000' },
      clients: { type: 'string', default: '10' },
      replies: { type: 'string', default: '2000' },
      'data-dir': { type: 'string', default: '.bench-data' },
    },
  });
  const r = await benchMail({
    dialect: values.dialect as 'sqlite' | 'postgres',
    dataDir: values['data-dir']!,
    databaseUrl: process.env.BENCH_DATABASE_URL,
    messages: Number(values.messages),
    clients: Number(values.clients),
    replies: Number(values.replies),
  });
  console.log(`\n${mailTable(r)}\n`);
  process.exit(0);
}
