// Promises (issue 11), on a database of their own (a SQLite file in the data folder, or a fresh
// PostgreSQL schema), filled in large statements (not measured):
//   - "my promises today" and "my team's promises" through their services, p50/p95, each beside
//     its bare SQL (the very statements, compiled once, run on the same handle), and the ratio;
//   - 10,000 promises whose reminders fall due in the same minute: the time from the end of
//     that minute until every reminder is in the app, and until every reminder email is in the
//     outbox, on SQLite (one instance) and on PostgreSQL (two instances, each its own pool);
//   - the query plans of the lists and of the due work.
//
// Alone: `npx tsx bench/promises.ts [--dialect sqlite|postgres|both] [--promises 100000]
// [--cases 1000000] [--due 10000] [--iterations 300]` (PostgreSQL from BENCH_DATABASE_URL). Figures, never a pass
// or fail.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dayBounds } from '../src/contracts/promise-times.js';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDb, type Db } from '../src/server/db/index.js';
import type { Database } from '../src/server/db/types.js';
import { createMailRuntime } from '../src/server/mail/api.js';
import type { Actor } from '../src/server/platform/actor.js';
import { TestClock } from '../src/server/platform/clock.js';
import type { Platform } from '../src/server/platform/context.js';
import { createPlatform } from '../src/server/platform/index.js';
import { enqueueJob, JobRunner } from '../src/server/platform/jobs/index.js';
import { claimQuery } from '../src/server/platform/jobs/queries.js';
import { promiseJobTypes } from '../src/server/promises/api.js';
import { jobKey, remindKind } from '../src/server/promises/kinds.js';
import * as q from '../src/server/promises/queries.js';
import { mine, mineLater, team, TODAY_LIMIT } from '../src/server/promises/service.js';

export interface PromisesBenchOptions {
  dialect: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Promises in the data set (a third of them still to keep). */
  promises?: number;
  /** Cases in all (default: one per promise); those beyond the promises' are old and resolved. */
  cases?: number;
  /** Promises whose reminders fall due in one minute. */
  due?: number;
  iterations?: number;
  /** Leave the data in place afterwards (to look at plans by hand). */
  keep?: boolean;
  log?: (line: string) => void;
}

interface Stat {
  p50: number;
  p95: number;
}
const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (x: number) => s[Math.min(s.length - 1, Math.floor(x * s.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
};

const USERS = 300;
const TEAMS = 10;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

async function openFresh(o: PromisesBenchOptions): Promise<{ db: Db; drop: () => Promise<void>; schema?: string }> {
  if (o.dialect === 'sqlite') {
    const dir = path.resolve(o.dataDir, 'promises');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'promises.db');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    return { db: openDb({ sqliteFile: file }), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  if (!o.databaseUrl) throw new Error('BENCH_DATABASE_URL is not set');
  const schema = `bench_promises_${process.pid}`;
  const admin = new pg.Client({ connectionString: o.databaseUrl });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
  await admin.end();
  return {
    db: openDb({ databaseUrl: o.databaseUrl, pgSchema: schema, poolSize: 5 }),
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: o.databaseUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/** One organization, its teams and staff, `n` promises on as many cases and `cases − n` cases more, in large statements. */
async function fill(k: Kysely<Database>, n: number, cases: number, now: number) {
  const org = await k
    .insertInto('organizations')
    .values({ slug: 'bench', name: 'Bench', locale: 'en-US', time_zone: 'America/Chicago', currency: 'USD', case_prefix: 'SW', case_seq: 0, default_team_id: null, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const teams = await k
    .insertInto('teams')
    .values(Array.from({ length: TEAMS }, (_, i) => ({ org_id: org.id, name: `Team ${i}`, created_at: now })))
    .returning('id')
    .execute();
  const users = await k
    .insertInto('users')
    .values(
      Array.from({ length: USERS }, (_, i) => ({
        org_id: org.id,
        email: `u${i}@bench.test`,
        name: `User ${i}`,
        role: i % 30 === 0 ? ('supervisor' as const) : ('associate' as const),
        team_id: teams[i % TEAMS]!.id,
        password_hash: 'x',
        password_changed_at: now,
        created_at: now,
      })),
    )
    .returning(['id', 'team_id'])
    .execute();
  const BATCH = 500;
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    const patrons = await k
      .insertInto('patrons')
      .values(Array.from({ length: size }, (_, j) => ({ org_id: org.id, name: `Patron ${start + j}`, email: `p${start + j}@bench.test`, created_at: now, updated_at: now })))
      .returning('id')
      .execute();
    const cases = await k
      .insertInto('cases')
      .values(
        patrons.map((p, j) => {
          // Twelve consecutive promises to an owner: each owner gets every kind below (an owner
          // index of (start + j) % USERS would tie each owner to one kind, 300 being a multiple of 12).
          const owner = users[Math.floor((start + j) / 12) % USERS]!;
          return {
            org_id: org.id,
            number: start + j + 1,
            patron_id: p.id,
            channel: 'phone' as const,
            subject: `Question ${start + j}`,
            status: 'promised' as const,
            priority: 'normal' as const,
            team_id: owner.team_id,
            assignee_id: owner.id,
            status_token: `t${start + j}`.padEnd(32, 'x'),
            created_by: owner.id,
            created_at: now - 40 * DAY,
            updated_at: now,
            last_activity_at: now,
          };
        }),
      )
      .returning(['id', 'patron_id', 'team_id', 'assignee_id'])
      .execute();
    await k
      .insertInto('promises')
      .values(
        cases.map((c, j) => {
          const i = start + j;
          // A third still to keep (due over the next week, a few overdue), the rest settled over
          // the past month: kept, kept late, broken.
          const r = i % 12;
          const pending = r < 4;
          const state = pending ? (r === 0 ? 'broken' : 'open') : r < 10 ? 'kept' : r < 11 ? 'kept_late' : 'broken';
          const due = pending ? (r === 0 ? now - ((i * 7919) % DAY) : now + ((i * 7919) % (7 * DAY))) : now - ((i * 7919) % (30 * DAY));
          return {
            org_id: org.id,
            case_id: c.id,
            patron_id: c.patron_id,
            to_user_id: null,
            owner_user_id: c.assignee_id!,
            team_id: c.team_id,
            what: `Call back about question ${i}`,
            how: 'call' as const,
            window_start: null,
            due_at: due,
            permission_asked: 1,
            patron_answer: null,
            state: state as 'open' | 'kept' | 'kept_late' | 'broken',
            version: 1,
            reminded_at: null,
            broken_at: state === 'broken' || state === 'kept_late' ? due : null,
            escalated_at: null,
            kept_at: state === 'kept' ? due - 3600_000 : state === 'kept_late' ? due + 3600_000 : null,
            kept_entry_id: null,
            kept_by: null,
            made_by: c.assignee_id,
            created_at: due - 2 * DAY,
            updated_at: now,
          };
        }),
      )
      .execute();
  }
  // Cases beyond those with a promise: older, resolved, no patron (the lists never read them, so
  // this is the table the issue names, "among 1M cases", not work for the measures).
  for (let start = n; start < cases; start += 1000) {
    const size = Math.min(1000, cases - start);
    await k
      .insertInto('cases')
      .values(
        Array.from({ length: size }, (_, j) => {
          const owner = users[(start + j) % USERS]!;
          return {
            org_id: org.id,
            number: start + j + 1,
            patron_id: null,
            channel: 'email' as const,
            subject: `Earlier question ${start + j}`,
            status: 'resolved' as const,
            priority: 'normal' as const,
            team_id: owner.team_id,
            assignee_id: owner.id,
            status_token: `t${start + j}`.padEnd(32, 'x'),
            created_by: owner.id,
            created_at: now - 400 * DAY,
            updated_at: now - 300 * DAY,
            last_activity_at: now - 300 * DAY,
            resolved_at: now - 300 * DAY,
          };
        }),
      )
      .execute();
  }
  await k.updateTable('organizations').set({ case_seq: Math.max(n, cases) }).where('id', '=', org.id).execute();
  return { orgId: org.id, users, teams };
}

/** Runs the compiled statements on the handle, as the service's own SQL without the service. */
const runCompiled = async (k: Kysely<Database>, qs: CompiledQuery[]) => {
  for (const c of qs) await k.executeQuery(c);
};

async function plan(db: Db, c: CompiledQuery): Promise<string> {
  if (db.dialect === 'sqlite') {
    const rows = await db.kysely.executeQuery<{ detail: string }>({ ...c, sql: `explain query plan ${c.sql}` } as CompiledQuery<{ detail: string }>);
    return rows.rows.map((r) => r.detail).join('; ');
  }
  const rows = await db.kysely.executeQuery<{ 'QUERY PLAN': string }>({ ...c, sql: `explain ${c.sql}` } as CompiledQuery<{ 'QUERY PLAN': string }>);
  return rows.rows.map((r) => r['QUERY PLAN'].trim()).join(' · ');
}

export interface PromisesBenchResult {
  dialect: string;
  promises: number;
  cases: number;
  lists: Array<{ name: string; service: Stat; bare: Stat }>;
  due: { n: number; instances: number; remindedMs: number; mailedMs: number };
  plans: Array<{ name: string; plan: string }>;
}

export async function benchPromises(o: PromisesBenchOptions): Promise<PromisesBenchResult> {
  const log = o.log ?? console.log;
  const n = o.promises ?? 100_000;
  const dueN = o.due ?? 10_000;
  const iterations = o.iterations ?? 300;
  const { db, drop, schema } = await openFresh(o);
  const extra: Db[] = [];
  const platforms: Platform[] = [];
  try {
    await migrateToLatest(db);
    const clock = new TestClock(Date.UTC(2026, 10, 23, 16, 0, 0));
    const now = clock.now();
    const t = Date.now();
    const data = await fill(db.kysely, n, Math.max(n, o.cases ?? n), now);
    if (db.dialect === 'postgres') await db.pool!.query('vacuum analyze');
    else await sql`analyze`.execute(db.kysely);
    log(`  filled ${n.toLocaleString('en-US')} promises among ${Math.max(n, o.cases ?? n).toLocaleString('en-US')} cases in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const p = await createPlatform(db, { clock, publicUrl: 'http://bench.test' });
    platforms.push(p);
    const day = dayBounds(now, 'America/Chicago');
    // The worst owner the data holds: the one with the most promises to keep today.
    const busiest = await db.kysely
      .selectFrom('promises')
      .select(['owner_user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where(sql<boolean>`state in ('open', 'broken')`)
      .where('due_at', '<', day.end)
      .groupBy('owner_user_id')
      .orderBy('n', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const owner = data.users.find((u) => u.id === busiest.owner_user_id)!;
    log(`  the busiest owner has ${Number(busiest.n)} promises to keep today`);
    const actor: Actor = { userId: owner.id, orgId: data.orgId, role: 'associate', name: 'User 1', email: 'u1@bench.test', teamId: owner.team_id, casePrefix: 'SW', timeZone: 'America/Chicago' };

    // ---- the lists, beside their bare SQL --------------------------------------------------
    const k = db.kysely;
    // The service's own list statements, compiled once: what the service adds is the rest.
    const compiledMine = [q.ownerTodayQuery(k, { ownerId: owner.id, dayStart: day.start, dayEnd: day.end, pendingLimit: TODAY_LIMIT + 1, keptLimit: TODAY_LIMIT }).compile()];
    const compiledLater = [q.ownerPendingQuery(k, owner.id, [day.end, 0], 51).compile()];
    const compiledTeam = [q.teamPendingQuery(k, owner.team_id!, null, 51).compile()];
    const lists: PromisesBenchResult['lists'] = [];
    const measure = async (name: string, service: () => Promise<unknown>, bare: CompiledQuery[]) => {
      for (let i = 0; i < 100; i++) {
        await service();
        await runCompiled(k, bare);
      }
      const s: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < iterations; i++) {
        let t0 = performance.now();
        await service();
        s.push(performance.now() - t0);
        t0 = performance.now();
        await runCompiled(k, bare);
        b.push(performance.now() - t0);
      }
      lists.push({ name, service: stat(s), bare: stat(b) });
      log(`  ${name}: service p95 ${stat(s).p95.toFixed(2)} ms, bare SQL p95 ${stat(b).p95.toFixed(2)} ms`);
    };
    await measure('My promises today', () => mine(p, actor), compiledMine);
    await measure('My promises after today (first page)', () => mineLater(p, actor, undefined, undefined), compiledLater);
    await measure('My team’s promises (first page)', () => team(p, actor, owner.team_id!, undefined), compiledTeam);

    // ---- plans -------------------------------------------------------------------------------
    const plans: PromisesBenchResult['plans'] = [];
    const some = await k.selectFrom('promises').select('id').limit(1).executeTakeFirstOrThrow();
    for (const [name, c] of [
      ['my promises today (due today and kept today)', compiledMine[0]!],
      ['my promises (after today)', compiledLater[0]!],
      ['team promises', compiledTeam[0]!],
      ['kept rate, team, 30 days', k.selectFrom('promises as p').select(['p.state', (eb) => eb.fn.countAll<number>().as('n')]).where('p.team_id', '=', owner.team_id!).where('p.due_at', '>=', now - 30 * DAY).where('p.due_at', '<', now).where(sql<boolean>`p.state in ('kept', 'kept_late', 'broken')`).groupBy('p.state').compile()],
      ['due work: the promise, locked', (db.dialect === 'postgres' ? k.selectFrom('promises').selectAll().where('id', '=', some.id).forUpdate() : k.selectFrom('promises').selectAll().where('id', '=', some.id)).compile()],
      ['due work: what a reminder says', q.dueContextQuery(k, some.id).compile()],
      ['due work: the job claim', claimQuery(k, { now, owner: 'bench', leaseMs: 60_000, limit: 10 }).compile()],
    ] as Array<[string, CompiledQuery]>) {
      plans.push({ name, plan: await plan(db, c) });
    }

    // ---- 10,000 reminders due in one minute -------------------------------------------------
    const minute = now + 2 * 3600_000;
    const ids = await k
      .selectFrom('promises')
      .select(['id', 'org_id'])
      .where(sql<boolean>`state in ('open', 'broken')`)
      .where('state', '=', 'open')
      .orderBy('id')
      .limit(dueN)
      .execute();
    await k.transaction().execute(async (tx) => {
      for (const [i, r] of ids.entries()) {
        const payload = { promiseId: r.id, version: 1 };
        await enqueueJob(tx, remindKind, payload, { now, runAt: minute + Math.floor((i * MIN) / ids.length), orgId: r.org_id, uniqueKey: jobKey('remind', payload) });
      }
    });
    const instances = db.dialect === 'postgres' ? 2 : 1;
    const dbs = [db];
    for (let i = 1; i < instances; i++) {
      const other = openDb({ databaseUrl: o.databaseUrl, pgSchema: schema, poolSize: 5 });
      extra.push(other);
      dbs.push(other);
    }
    const runners: JobRunner[] = [];
    for (const d of dbs) {
      const pp = d === db ? p : await createPlatform(d, { clock, publicUrl: 'http://bench.test' });
      if (d !== db) platforms.push(pp);
      const mail = createMailRuntime(pp, { log: { warn: () => undefined, error: () => undefined } });
      runners.push(new JobRunner({ db: d, clock, types: [...promiseJobTypes(pp), ...mail.jobTypes], pollMs: 50, log: { warn: () => undefined, error: (e) => console.error(e) } }));
    }
    for (const r of runners) await r.start();
    clock.set(minute + MIN);
    const t0 = Date.now();
    const count = async (table: 'notifications' | 'mail_outbox') =>
      Number((await k.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    let remindedMs = 0;
    for (;;) {
      const c = await count('notifications');
      if (c >= ids.length) break;
      if (Date.now() - t0 > 600_000) throw new Error(`only ${c} reminders after 10 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
    remindedMs = Date.now() - t0;
    for (;;) {
      if ((await count('mail_outbox')) >= ids.length) break;
      if (Date.now() - t0 > 900_000) throw new Error('reminder emails still not queued after 15 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    const mailedMs = Date.now() - t0;
    for (const r of runners) await r.stop();
    log(`  ${ids.length.toLocaleString('en-US')} reminders due in one minute: all in the app after ${(remindedMs / 1000).toFixed(1)} s, their emails queued after ${(mailedMs / 1000).toFixed(1)} s (${instances} instance${instances > 1 ? 's' : ''})`);
    return { dialect: db.dialect, promises: n, cases: Math.max(n, o.cases ?? n), lists, due: { n: ids.length, instances, remindedMs, mailedMs }, plans };
  } finally {
    for (const pp of platforms) await pp.events.close();
    for (const d of extra) await d.close();
    await db.close();
    if (o.keep) log(`  kept the data${schema ? ` in schema ${schema}` : ''} (--keep)`);
    else await drop();
  }
}

export function promisesTable(r: PromisesBenchResult): string {
  const f = (x: number) => x.toFixed(2);
  const lines = [
    `**Promises, ${r.dialect}** (${r.promises.toLocaleString('en-US')} promises among ${r.cases.toLocaleString('en-US')} cases, a third still to keep, ${USERS} staff in ${TEAMS} teams)`,
    '',
    '| Measure | Service p50 (ms) | Service p95 (ms) | Bare SQL p50 (ms) | Bare SQL p95 (ms) | p95 ratio |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.lists.map((l) => `| ${l.name} | ${f(l.service.p50)} | ${f(l.service.p95)} | ${f(l.bare.p50)} | ${f(l.bare.p95)} | ${(l.service.p95 / l.bare.p95).toFixed(2)} |`),
    '',
    `${r.due.n.toLocaleString('en-US')} reminders due in one minute, ${r.due.instances} instance${r.due.instances > 1 ? 's' : ''}: every one in the app ${(r.due.remindedMs / 1000).toFixed(1)} s after the minute ended; every reminder email in the outbox after ${(r.due.mailedMs / 1000).toFixed(1)} s.`,
    '',
    'Query plans:',
    '',
    ...r.plans.map((x) => `- ${x.name}: \`${x.plan}\``),
  ];
  return lines.join('\n');
}

// Alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      dialect: { type: 'string', default: 'sqlite' },
      promises: { type: 'string', default: '100000' },
      cases: { type: 'string' },
      due: { type: 'string', default: '10000' },
      iterations: { type: 'string', default: '300' },
      'data-dir': { type: 'string', default: '.bench-data' },
      keep: { type: 'boolean', default: false },
    },
  });
  const dialects = values.dialect === 'both' ? (['sqlite', 'postgres'] as const) : [values.dialect as 'sqlite' | 'postgres'];
  for (const dialect of dialects) {
    const r = await benchPromises({
      dialect,
      dataDir: values['data-dir']!,
      databaseUrl: process.env.BENCH_DATABASE_URL,
      promises: Number(values.promises),
      ...(values.cases ? { cases: Number(values.cases) } : {}),
      due: Number(values.due),
      iterations: Number(values.iterations),
      keep: values.keep!,
    });
    console.log(`\n${promisesTable(r)}\n`);
  }
}
