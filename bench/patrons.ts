// The patrons benchmark (issue 14): `npx tsx bench/patrons.ts`, or the `patrons` section of
// bench/run.ts. (1) Matching quality: the labelled set (bench/patrons-labelled.csv, ≥ 5,000
// patrons with known duplicates) is created through the application in a fresh database, and
// the candidate pairs it keeps are compared with the labels: precision and recall at each
// threshold. (2) Times, in process, p50/p95 of a profile with its history, the duplicate
// candidates of one patron and the review screen's first page, each beside the bare SQL of its
// main statements in the same run; on the generated data (`npm run gen`) when it is there,
// else on the labelled set's database. It reports; it never fails on a figure.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { createOrganization } from '../src/server/admin/api.js';
import { migrateToLatest, openDb, type Db } from '../src/server/db/index.js';
import type { Database } from '../src/server/db/types.js';
import { findCandidates, reviewDuplicates } from '../src/server/patrons/duplicates.js';
import { LIKELY, POSSIBLE } from '../src/server/patrons/match.js';
import { getPatron } from '../src/server/patrons/profile.js';
import { createPatronIn } from '../src/server/patrons/service.js';
import type { Actor } from '../src/server/platform/actor.js';
import { systemClock } from '../src/server/platform/clock.js';
import type { Platform } from '../src/server/platform/context.js';
import { createPlatform } from '../src/server/platform/index.js';
import { inTransaction } from '../src/server/platform/tx.js';
import type { BenchOptions } from './options.js';
import { LABELLED_CSV, labelledSet, type LabelledRow } from './patrons-labelled.js';

interface Stat {
  p50: number;
  p95: number;
}
const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95) };
};
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

function readLabelled(): LabelledRow[] {
  if (!fs.existsSync(LABELLED_CSV)) return labelledSet();
  return parse(fs.readFileSync(LABELLED_CSV), { columns: true, skip_empty_lines: true }) as LabelledRow[];
}

export interface QualityRow {
  level: string;
  threshold: number;
  pairs: number;
  truePairs: number;
  precision: number;
  recall: number;
}

/** Creates the labelled patrons through the application and scores the pairs it keeps. */
async function quality(p: Platform, orgId: number, rows: LabelledRow[]) {
  const personOf = new Map<number, string>();
  const started = Date.now();
  for (const row of rows) {
    const patron = await inTransaction(p, (ctx) =>
      createPatronIn(ctx, orgId, {
        name: row.name,
        contacts: [
          ...row.emails.split('|').filter(Boolean).map((v) => ({ kind: 'email' as const, value: v, preferred: true })),
          ...row.phones.split('|').filter(Boolean).map((v) => ({ kind: 'phone' as const, value: v, preferred: true })),
        ],
      }),
    );
    personOf.set(patron.id, row.person);
  }
  const loadSecs = (Date.now() - started) / 1000;
  const pairs = await p.db.selectFrom('patron_duplicates').select(['patron_a', 'patron_b', 'score']).where('org_id', '=', orgId).execute();
  const byPerson = new Map<string, number>();
  for (const person of personOf.values()) byPerson.set(person, (byPerson.get(person) ?? 0) + 1);
  const truePairs = [...byPerson.values()].reduce((n, k) => n + (k * (k - 1)) / 2, 0);
  const table: QualityRow[] = [];
  for (const [level, threshold] of [
    ['likely', LIKELY],
    ['possible', POSSIBLE],
  ] as const) {
    const found = pairs.filter((x) => x.score >= threshold);
    const right = found.filter((x) => personOf.get(x.patron_a) === personOf.get(x.patron_b)).length;
    table.push({ level, threshold, pairs: found.length, truePairs, precision: found.length ? right / found.length : 1, recall: truePairs ? right / truePairs : 1 });
  }
  // What each kind of duplicate scored, to see where recall is lost.
  const kinds = new Map<string, { n: number; likely: number; possible: number }>();
  const rowOf = new Map<number, LabelledRow>();
  [...personOf.keys()].forEach((id, i) => rowOf.set(id, rows[i]!));
  const best = new Map<number, number>();
  for (const x of pairs) {
    if (personOf.get(x.patron_a) !== personOf.get(x.patron_b)) continue;
    for (const id of [x.patron_a, x.patron_b]) best.set(id, Math.max(best.get(id) ?? 0, x.score));
  }
  for (const [id, row] of rowOf) {
    if (row.kind === 'original' || row.kind.startsWith('family')) continue;
    const k = kinds.get(row.kind) ?? { n: 0, likely: 0, possible: 0 };
    k.n++;
    if ((best.get(id) ?? 0) >= LIKELY) k.likely++;
    if ((best.get(id) ?? 0) >= POSSIBLE) k.possible++;
    kinds.set(row.kind, k);
  }
  return { table, kinds, loadSecs, patrons: rows.length };
}

interface TimeRow {
  what: string;
  data: string;
  service: Stat;
  sql: Stat;
}

/** Profile, candidates and the review's first page, beside their main statements. */
async function times(p: Platform, actor: Actor, data: string, n: number): Promise<TimeRow[]> {
  const db: Kysely<Database> = p.db;
  const ids = (
    await db.selectFrom('patrons').select('id').where('org_id', '=', actor.orgId).where('merged_into_id', 'is', null).orderBy('id', 'desc').limit(5000).execute()
  ).map((r) => r.id);
  const sample = Array.from({ length: n }, (_, i) => ids[(i * 7919) % ids.length]!);
  const rows = await db.selectFrom('patrons').selectAll().where('id', 'in', sample.slice(0, 500)).execute();
  const rowOf = new Map(rows.map((r) => [r.id, r]));
  const sampleRows = sample.map((id) => rowOf.get(id) ?? rows[0]!);
  // Warm both paths.
  for (const id of sample.slice(0, 20)) await getPatron(p, actor, id);

  const profile = await timed(n, (i) => getPatron(p, actor, sample[i]!));
  const profileSql = await timed(n, async (i) => {
    const id = sample[i]!;
    await db.selectFrom('patrons').selectAll().where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
    await db.selectFrom('patron_contacts').selectAll().where('patron_id', '=', id).execute();
    await db
      .selectFrom('cases')
      .select(['id', 'number', 'subject', 'channel', 'last_activity_at'])
      .where('org_id', '=', actor.orgId)
      .where('patron_id', '=', id)
      .orderBy('last_activity_at', 'desc')
      .orderBy('id', 'desc')
      .limit(3)
      .execute();
  });
  const candidates = await timed(n, (i) => findCandidates(db, sampleRows[i]!));
  const candidatesSql = await timed(n, async (i) => {
    const row = sampleRows[i]!;
    const contacts = await db.selectFrom('patron_contacts').select(['kind', 'value']).where('patron_id', '=', row.id).execute();
    if (contacts.length) {
      await db
        .selectFrom('patron_contacts')
        .select('patron_id')
        .where('org_id', '=', row.org_id)
        .where((eb) => eb.or(contacts.map((c) => eb.and([eb('kind', '=', c.kind), eb('value', '=', c.value)]))))
        .limit(100)
        .execute();
    }
    await db.selectFrom('patrons').select('id').where('org_id', '=', row.org_id).where('name_key', '=', row.name_key ?? '').limit(100).execute();
  });
  const review = await timed(Math.min(n, 100), () => reviewDuplicates(p, actor, { level: 'possible', limit: 25 }));
  const reviewSql = await timed(Math.min(n, 100), () =>
    db
      .selectFrom('patron_duplicates')
      .selectAll()
      .where('org_id', '=', actor.orgId)
      .where('score', '>=', POSSIBLE)
      .orderBy('score', 'desc')
      .orderBy('patron_a', 'desc')
      .orderBy('patron_b', 'desc')
      .limit(26)
      .execute(),
  );
  return [
    { what: 'profile with history', data, service: stat(profile), sql: stat(profileSql) },
    { what: 'duplicate candidates of one patron', data, service: stat(candidates), sql: stat(candidatesSql) },
    { what: 'duplicate review, first page', data, service: stat(review), sql: stat(reviewSql) },
  ];
}

async function openLabelled(o: Pick<BenchOptions, 'dialect' | 'databaseUrl'>): Promise<{ db: Db; close: () => Promise<void> }> {
  if (o.dialect === 'sqlite') {
    const db = openDb({ sqliteFile: ':memory:' });
    return { db, close: () => db.close() };
  }
  const schema = `bench_patrons_${crypto.randomBytes(4).toString('hex')}`;
  const url = o.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = openDb({ databaseUrl: url, poolSize: 1 });
  await admin.pool!.query(`create schema ${schema}`);
  const db = openDb({ databaseUrl: url, pgSchema: schema, poolSize: 4 });
  return {
    db,
    close: async () => {
      await db.close();
      await admin.pool!.query(`drop schema ${schema} cascade`);
      await admin.close();
    },
  };
}

export async function benchPatrons(o: Pick<BenchOptions, 'dialect' | 'databaseUrl' | 'dataDir' | 'iterations'>): Promise<string> {
  const { db, close } = await openLabelled(o.dialect === 'postgres' ? { dialect: 'postgres', databaseUrl: process.env.BENCH_PATRONS_DATABASE_URL } : o);
  const out: string[] = [];
  try {
    await migrateToLatest(db);
    const p = await createPlatform(db, { clock: systemClock, publicUrl: 'http://bench.test' });
    const org = await inTransaction(p, (ctx) => createOrganization(ctx, { name: 'Labelled set', casePrefix: 'LB' }));
    const q = await quality(p, org.id, readLabelled());
    out.push(
      `**Patron duplicates, ${o.dialect}**: the labelled set (${q.patrons.toLocaleString('en-US')} patrons, created through the application in ${q.loadSecs.toFixed(0)} s)\n`,
      '| Threshold | Score ≥ | Pairs flagged | True pairs | Precision | Recall | Bar |',
      '|---|--:|--:|--:|--:|--:|---|',
      ...q.table.map(
        (r) =>
          `| ${r.level} | ${r.threshold} | ${r.pairs} | ${r.truePairs} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.level === 'likely' ? `precision ≥ 0.99: ${r.precision >= 0.99 ? 'met' : 'NOT met'}` : `recall ≥ 0.95: ${r.recall >= 0.95 ? 'met' : 'NOT met'}`} |`,
      ),
      '',
      '| Kind of duplicate | Rows | Found as likely | Found as possible |',
      '|---|--:|--:|--:|',
      ...[...q.kinds].map(([kind, k]) => `| ${kind} | ${k.n} | ${k.likely} | ${k.possible} |`),
      '',
    );
    const actor: Actor = { userId: 0, orgId: org.id, role: 'supervisor', name: 'Bench', email: 'bench@servewell.test', teamId: null, casePrefix: 'LB' };
    const rows = await times(p, actor, `labelled set (${q.patrons.toLocaleString('en-US')} patrons)`, Math.min(o.iterations, 500));
    await p.events.close();
    // The generated data, when there.
    const big = o.dialect === 'sqlite' ? path.join(o.dataDir, 'servewell.db') : o.databaseUrl;
    if (big && (o.dialect === 'postgres' || fs.existsSync(big))) {
      const bigDb = o.dialect === 'sqlite' ? openDb({ sqliteFile: big }) : openDb({ databaseUrl: big, poolSize: 4 });
      try {
        await migrateToLatest(bigDb);
        const bp = await createPlatform(bigDb, { clock: systemClock, publicUrl: 'http://bench.test' });
        const bigOrg = await bigDb.kysely.selectFrom('organizations').select(['id', 'case_prefix']).orderBy('id').executeTakeFirstOrThrow();
        const n = await bigDb.kysely.selectFrom('patrons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        rows.push(
          ...(await times(bp, { ...actor, orgId: bigOrg.id, casePrefix: bigOrg.case_prefix }, `generated (${Number(n.n).toLocaleString('en-US')} patrons)`, Math.min(o.iterations, 500))),
        );
        await bp.events.close();
      } finally {
        await bigDb.close();
      }
    }
    out.push(
      `**Patron memory times, ${o.dialect}** (in process, ms)\n`,
      '| Measure | Data | p50 | p95 | Bare SQL p50 | Bare SQL p95 |',
      '|---|---|--:|--:|--:|--:|',
      ...rows.map((r) => `| ${r.what} | ${r.data} | ${ms(r.service.p50)} | ${ms(r.service.p95)} | ${ms(r.sql.p50)} | ${ms(r.sql.p95)} |`),
      '',
    );
  } finally {
    await close();
  }
  return out.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dialect = (process.argv.includes('--postgres') ? 'postgres' : 'sqlite') as 'sqlite' | 'postgres';
  console.log(await benchPatrons({ dialect, databaseUrl: process.env.BENCH_DATABASE_URL, dataDir: '.bench-data', iterations: 300 }));
}
