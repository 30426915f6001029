// Large-data generator for the benchmark: `npm run gen -- --cases 1000000`.
// Writes one organization with ~0.3 patrons per case, ~3 messages per case, three years of
// history, into its own database (default .bench-data/servewell.db; --data-dir; --database-url
// for PostgreSQL). Patrons have names from many languages (accents, apostrophes, hyphens, a
// few very common ones) and phone numbers written every which way, so search's worst cases
// exist. It bypasses the services for speed but writes exactly what they would: the same rows,
// the same search index rows (the index's own text and scope helpers), and matching counters.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type pg from 'pg';
import { migrateToLatest, openDb, type Db } from '../src/server/db/index.js';
import { e164, nameKey, nationalPhone } from '../src/server/patrons/normalize.js';
import { hashPassword, randomToken } from '../src/server/platform/passwords.js';
import { contactText, docKey, type DocKind } from '../src/server/platform/search/index.js';
import { scopesOf, wordsKind } from '../src/server/platform/search/changes.js';
import { docText } from '../src/server/platform/search/text.js';
import { localTime } from '../src/server/staffing/calendar.js';
import { BENCH_LOGIN, FIRST, LAST, PREFERRED, TOPICS, emailFor, filler, phoneFor, prng, zipf } from './corpus.js';

const BENCH_ORG_SLUG = 'bench-theater';
const LONG_THREAD_ENTRIES = 20;

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    patrons: { type: 'string' },
    file: { type: 'string' },
    'data-dir': { type: 'string', default: '.bench-data' },
    'database-url': { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});

const CASES = Number(args.cases);
const PATRONS = Number(args.patrons ?? Math.round(CASES * 0.3));
if (!Number.isInteger(CASES) || CASES < 100) throw new Error('--cases must be an integer of at least 100');
if (!Number.isInteger(PATRONS) || PATRONS < 10) throw new Error('--patrons must be an integer of at least 10');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const START = NOW - 3 * 365 * DAY;
const BATCH = 10_000;

const TEAMS = ['Box office', 'Development', 'Education', 'Facilities', 'Membership', 'Volunteers'];
const TEAM_WEIGHTS = [0.4, 0.15, 0.15, 0.1, 0.12, 0.08];
const CHANNELS = ['email', 'web', 'phone', 'walk_in', 'internal'] as const;
const CHANNEL_WEIGHTS = [0.35, 0.25, 0.25, 0.1, 0.05];
const OPEN = ['new', 'open', 'waiting', 'promised'] as const;
const ROADS = ['learn', 'care', 'teach', 'redirect', null, null] as const;

const weighted = <T>(r: () => number, xs: readonly T[], ws: number[]): T => {
  let x = r();
  for (let i = 0; i < xs.length; i++) {
    x -= ws[i]!;
    if (x <= 0) return xs[i]!;
  }
  return xs[xs.length - 1]!;
};

type Row = unknown[];
interface Writer {
  insert(table: string, columns: string[], rows: Row[]): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  finish(): Promise<void>;
}

function sqliteWriter(db: Db): Writer {
  const s = db.sqlite!;
  s.pragma('synchronous = OFF');
  const stmts = new Map<string, ReturnType<typeof s.prepare>>();
  const stmt = (table: string, columns: string[]) => {
    const key = `${table}:${columns.join(',')}`;
    let st = stmts.get(key);
    if (!st) {
      st = s.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      stmts.set(key, st);
    }
    return st;
  };
  return {
    async insert(table, columns, rows) {
      const st = stmt(table, columns);
      for (const r of rows) (st.run as (...params: unknown[]) => unknown)(...r);
    },
    async begin() {
      s.exec('begin');
    },
    async commit() {
      s.exec('commit');
    },
    async finish() {
      s.exec('analyze');
      s.pragma('optimize');
      s.pragma('synchronous = NORMAL');
      s.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
}

const PG_TYPES: Record<string, string> = {
  id: 'int', org_id: 'int', number: 'int', patron_id: 'int', team_id: 'int', assignee_id: 'int', created_by: 'int',
  term_id: 'int', doc_id: 'int', df: 'int',
  case_id: 'int', author_user_id: 'int', author_patron_id: 'int', n: 'int', failed_logins: 'int', case_seq: 'int',
  created_at: 'bigint', updated_at: 'bigint', last_activity_at: 'bigint', first_response_at: 'bigint',
  first_response_ms: 'bigint', resolved_at: 'bigint', resolution_ms: 'bigint', closed_at: 'bigint',
  first_contact_at: 'bigint', last_contact_at: 'bigint', password_changed_at: 'bigint', locked_until: 'bigint',
  deactivated_at: 'bigint', day: 'int', hour: 'int', count: 'int', preferred: 'int',
};

function postgresWriter(db: Db): Writer {
  let client: pg.PoolClient | undefined;
  return {
    async insert(table, columns, rows) {
      if (!rows.length) return;
      const arrays = columns.map((_, i) => rows.map((r) => r[i]));
      const casts = columns.map((c, i) => `$${i + 1}::${PG_TYPES[c] ?? 'text'}[]`);
      await client!.query(`insert into ${table} (${columns.join(', ')}) select * from unnest(${casts.join(', ')})`, arrays);
    },
    async begin() {
      client ??= await db.pool!.connect();
      await client.query('begin');
    },
    async commit() {
      await client!.query('commit');
    },
    async finish() {
      // The postings' key is built once, sorted, instead of row by row while loading; vacuum
      // sets the visibility map, so that reading postings is an index-only scan.
      await client!.query('alter table search_postings add constraint search_postings_pk primary key (term_id, doc_id)');
      await client!.query('vacuum analyze');
      client!.release();
    },
  };
}

/** The search index of the generated documents, built in memory as PostingsSearch writes it. */
class IndexBuilder {
  private terms = new Map<string, { id: number; org: number; scope: string; term: string; df: number }>();
  private words = new Map<string, Row>();
  // Postings as term id × 2^32 + doc id, in chunks: sorted once at the end and written in key
  // order, so the postings' B-tree is filled from left to right instead of at random.
  private chunks: Float64Array[] = [];
  private current = new Float64Array(1 << 20);
  private used = 0;
  docs: Row[] = [];

  add(kind: DocKind, orgId: number, refId: number, title: string, body: string) {
    const t = docText(title, body);
    for (const [scope, set] of scopesOf(kind, t)) {
      for (const term of set) {
        const key = `${orgId}\u0000${scope}\u0000${term}`;
        let e = this.terms.get(key);
        if (!e) this.terms.set(key, (e = { id: this.terms.size + 1, org: orgId, scope, term, df: 0 }));
        e.df++;
        if (this.used === this.current.length) {
          this.chunks.push(this.current);
          this.current = new Float64Array(1 << 20);
          this.used = 0;
        }
        this.current[this.used++] = e.id * 2 ** 32 + refId;
      }
    }
    const k = wordsKind(kind);
    for (const [word, stem] of t.words) {
      const key = `${orgId}\u0000${k}\u0000${word}`;
      if (!this.words.has(key)) this.words.set(key, [orgId, k, word, stem]);
    }
    this.docs.push([docKey(kind, refId), orgId, t.title, t.terms]);
  }

  /** Writes and forgets the documents' forward rows added so far. */
  async flush(w: Writer) {
    await w.insert('search_docs', ['id', 'org_id', 'title', 'terms'], this.docs);
    this.docs = [];
  }

  /** Terms (with their final df), words and postings, once every document is in. */
  async finish(w: Writer, log: (msg: string) => void) {
    const terms = [...this.terms.values()].map((e) => [e.id, e.org, e.scope, e.term, e.df]);
    for (let i = 0; i < terms.length; i += 100_000) {
      await w.insert('search_terms', ['id', 'org_id', 'scope', 'term', 'df'], terms.slice(i, i + 100_000));
    }
    const words = [...this.words.values()];
    for (let i = 0; i < words.length; i += 100_000) {
      await w.insert('search_words', ['org_id', 'kind', 'word', 'stem'], words.slice(i, i + 100_000));
    }
    const all = new Float64Array(this.chunks.length * this.current.length + this.used);
    this.chunks.forEach((c, i) => all.set(c, i * c.length));
    all.set(this.current.subarray(0, this.used), this.chunks.length * this.current.length);
    this.chunks = [];
    all.sort();
    log(`${all.length.toLocaleString('en-US')} postings sorted`);
    for (let i = 0; i < all.length; i += 100_000) {
      const rows: Row[] = [];
      for (const key of all.subarray(i, i + 100_000)) rows.push([Math.floor(key / 2 ** 32), key % 2 ** 32]);
      await w.insert('search_postings', ['term_id', 'doc_id'], rows);
    }
  }
}

async function main() {
  const url = args['database-url'];
  let db: Db;
  if (url) {
    db = openDb({ databaseUrl: url, poolSize: 2 });
    const existing = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema() and table_name = 'cases'`.execute(db.kysely);
    if (existing.rows[0]!.n > 0) {
      if (!args.force) throw new Error(`${url} already has Servewell tables; pass --force to drop them first`);
      await sql`drop schema public cascade; create schema public`.execute(db.kysely);
    }
  } else {
    const file = path.resolve(args.file ?? path.join(args['data-dir']!, 'servewell.db'));
    if (fs.existsSync(file)) {
      if (!args.force) throw new Error(`${file} exists; pass --force to replace it`);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
    db = openDb({ sqliteFile: file });
  }
  await migrateToLatest(db);
  if (db.dialect === 'postgres') await sql`alter table search_postings drop constraint search_postings_pk`.execute(db.kysely);
  const w = db.dialect === 'postgres' ? postgresWriter(db) : sqliteWriter(db);
  const index = new IndexBuilder();
  const r = prng(20261123);
  const started = Date.now();
  const log = (msg: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${msg}`);

  // Organization, teams, staff.
  await w.begin();
  await w.insert('organizations', ['id', 'slug', 'name', 'locale', 'time_zone', 'currency', 'case_prefix', 'case_seq', 'created_at'], [[1, BENCH_ORG_SLUG, 'Bench Theater', 'en-US', 'America/Chicago', 'USD', 'SW', 1000 + CASES, START]]);
  await w.insert('teams', ['id', 'org_id', 'name', 'created_at'], TEAMS.map((t, i) => [i + 1, 1, t, START]));
  const hash = await hashPassword(BENCH_LOGIN.password);
  const users: Row[] = [];
  const staffByTeam: number[][] = TEAMS.map(() => []);
  for (let i = 1; i <= 40; i++) {
    const role = i === 1 ? 'admin' : i <= 4 ? 'supervisor' : i <= 34 ? 'associate' : 'volunteer';
    const team = i === 1 ? null : ((i - 2) % TEAMS.length) + 1;
    const email = i === 8 ? BENCH_LOGIN.email : `staff${i}@servewell.test`; // 8: an associate in Box office
    users.push([i, 1, email, `Staff Member ${i}`, role, team, hash, 0, null, null, START, START]);
    if (team) staffByTeam[team - 1]!.push(i);
  }
  await w.insert('users', ['id', 'org_id', 'email', 'name', 'role', 'team_id', 'password_hash', 'failed_logins', 'locked_until', 'deactivated_at', 'password_changed_at', 'created_at'], users);
  await w.commit();

  // Patrons.
  const names: string[] = [''];
  let contactId = 0;
  for (let start = 1; start <= PATRONS; start += BATCH) {
    const rows: Row[] = [];
    const contacts: Row[] = [];
    for (let id = start; id < Math.min(start + BATCH, PATRONS + 1); id++) {
      const first = FIRST[zipf(r, FIRST.length)]!;
      let last = LAST[zipf(r, LAST.length)]!;
      const x = r();
      if (x < 0.04) last = `${last}-${LAST[zipf(r, LAST.length)]!}`;
      else if (x < 0.07) last = `${last} ${LAST[zipf(r, LAST.length)]!}`;
      const name = `${first} ${last}`;
      names.push(name);
      const preferred = r() < 0.05 ? PREFERRED[Math.floor(r() * PREFERRED.length)]! : null;
      const email = r() < 0.85 ? emailFor(r, first, last, id) : null;
      const phone = r() < 0.5 ? phoneFor(r, id) : null;
      const created = START + Math.floor(r() * (NOW - START));
      // Contact points as the application writes them (issue 14): phones in E.164.
      const e = phone ? e164(phone, 'US') : null;
      if (email) contacts.push([++contactId, 1, id, 'email', email, 1, created]);
      if (e) contacts.push([++contactId, 1, id, 'phone', e, 1, created]);
      rows.push([id, 1, name, preferred, email, phone, phone ? phone.replace(/\D/g, '') : null, null, null, null, created, created, nameKey(name)]);
      index.add('patron', 1, id, [name, preferred].filter(Boolean).join(' '), contactText(email, ...(e ? [e, nationalPhone(e)] : [])));
    }
    await w.begin();
    await w.insert('patrons', ['id', 'org_id', 'name', 'preferred_name', 'email', 'phone', 'phone_digits', 'language', 'first_contact_at', 'last_contact_at', 'created_at', 'updated_at', 'name_key'], rows);
    await w.insert('patron_contacts', ['id', 'org_id', 'patron_id', 'kind', 'value', 'preferred', 'created_at'], contacts);
    await index.flush(w);
    await w.commit();
  }
  log(`${PATRONS.toLocaleString('en-US')} patrons`);

  // Cases, their timelines, tags, search documents; counters are summed as we go.
  const counters = new Map<string, number>();
  // Arrivals per team, channel and local hour, as openCase counts them (staffing/arrivals.ts).
  const arrivals = new Map<string, number>();
  const localHours = new Map<number, string>();
  let entryId = 0;
  let messages = 0;
  for (let start = 1; start <= CASES; start += BATCH) {
    const cases: Row[] = [];
    const entries: Row[] = [];
    const tags: Row[] = [];
    for (let id = start; id < Math.min(start + BATCH, CASES + 1); id++) {
      // Creation times rise with the id, as on a real desk.
      const created = START + Math.floor(((id - 1 + r()) / CASES) * (NOW - START - HOUR));
      const recent = NOW - created < 60 * DAY;
      const topic = TOPICS[Math.floor(r() * TOPICS.length)]!;
      const channel = weighted(r, CHANNELS, CHANNEL_WEIGHTS);
      const team = TEAMS.indexOf(weighted(r, TEAMS, TEAM_WEIGHTS)) + 1;
      const staff = staffByTeam[team - 1]!;
      const openCase = r() < (recent ? 0.5 : 0.03);
      const status = openCase ? OPEN[Math.floor(r() * OPEN.length)]! : r() < 0.4 ? 'resolved' : 'closed';
      const assignee = status === 'new' || r() < 0.08 ? null : staff[Math.floor(r() * staff.length)]!;
      const patron = channel === 'internal' ? null : 1 + Math.floor(r() * PATRONS);
      const long = id % 997 === 0; // about a thousand long threads: the 20-entry timelines
      const subject = topic.subject(r);
      const bodies: string[] = [];
      let t = created;
      const push = (kind: string, body: string, author: number | null, patronAuthor: number | null, road: string | null, eventType: string | null = null, eventData: string | null = null) => {
        entries.push([++entryId, 1, id, kind, kind === 'note' || kind === 'event' ? (eventType === 'created' ? channel : null) : channel, body, road, author, patronAuthor, eventType, eventData, t]);
        if (kind !== 'event') bodies.push(body);
        if (kind === 'message_in' || kind === 'message_out') messages++;
      };
      push('event', '', channel === 'phone' || channel === 'walk_in' ? assignee : null, patron, null, 'created', JSON.stringify({ channel, status: 'new' }));
      // Patrons often sign their first message, so their names are in cases' text too.
      const signature = patron !== null && r() < 0.4 ? `\n${names[patron]}` : '';
      push('message_in', topic.body(r) + filler(r) + signature, null, patron, channel === 'phone' ? ROADS[Math.floor(r() * ROADS.length)]! : null);
      let firstResponse: number | null = channel === 'phone' || channel === 'walk_in' ? created : null;
      const replies = status === 'new' ? 0 : long ? (LONG_THREAD_ENTRIES - 2) / 2 : r() < 0.7 ? 2 : 1;
      for (let k = 0; k < replies; k++) {
        t += Math.floor((0.5 + r() * 30) * HOUR);
        if (patron === null) push('note', `${topic.note} ${topic.reply}`, assignee, null, null);
        else push('message_out', topic.reply + filler(r), assignee ?? staff[0]!, null, ROADS[Math.floor(r() * ROADS.length)]!);
        firstResponse ??= t;
        if (k < replies - 1 || long) {
          t += Math.floor((1 + r() * 48) * HOUR);
          if (long || r() < 0.5) push('message_in', `Thank you. One more question about ${subject.toLowerCase()}.${filler(r)}`, null, patron, null);
          else push('note', topic.note, assignee, null, null);
        }
      }
      const resolvedAt = status === 'resolved' || status === 'closed' ? t + Math.floor(r() * 4 * HOUR) : null;
      const closedAt = status === 'closed' && resolvedAt ? resolvedAt + Math.floor((1 + r() * 72) * HOUR) : null;
      const last = Math.min(NOW, Math.max(t, closedAt ?? resolvedAt ?? t));
      cases.push([id, 1, 1000 + id, patron, channel, subject, status, r() < 0.05 ? 'high' : r() < 0.01 ? 'urgent' : 'normal', team, assignee, randomToken(24), channel === 'phone' || channel === 'walk_in' ? assignee : null, created, last, last, firstResponse, firstResponse === null ? null : firstResponse - created, resolvedAt, resolvedAt === null ? null : resolvedAt - created, closedAt]);
      if (r() < 0.15) tags.push([id, 1, ['accessibility', 'vip', 'refund', 'group', 'complaint'][Math.floor(r() * 5)]!]);
      index.add('case', 1, id, subject, bodies.join('\n'));
      const key = `${team}|${assignee ?? 0}|${status}`;
      counters.set(key, (counters.get(key) ?? 0) + 1);
      if (channel !== 'internal') {
        const bucket = Math.floor(created / HOUR); // Chicago's offsets are whole hours
        let local = localHours.get(bucket);
        if (local === undefined) {
          const lt = localTime('America/Chicago', created);
          localHours.set(bucket, (local = `${lt.day}|${lt.hour}`));
        }
        const a = `${team}|${channel}|${local}`;
        arrivals.set(a, (arrivals.get(a) ?? 0) + 1);
      }
    }
    await w.begin();
    await w.insert('cases', ['id', 'org_id', 'number', 'patron_id', 'channel', 'subject', 'status', 'priority', 'team_id', 'assignee_id', 'status_token', 'created_by', 'created_at', 'updated_at', 'last_activity_at', 'first_response_at', 'first_response_ms', 'resolved_at', 'resolution_ms', 'closed_at'], cases);
    await w.insert('case_entries', ['id', 'org_id', 'case_id', 'kind', 'channel', 'body', 'road', 'author_user_id', 'author_patron_id', 'event_type', 'event_data', 'created_at'], entries);
    await w.insert('case_tags', ['case_id', 'org_id', 'tag'], tags);
    await index.flush(w);
    await w.commit();
    if ((start - 1) % 100_000 === 0 || start + BATCH > CASES) log(`${Math.min(start + BATCH - 1, CASES).toLocaleString('en-US')} cases`);
  }
  await w.begin();
  await index.finish(w, log);
  await w.insert('case_counters', ['org_id', 'team_id', 'assignee_id', 'status', 'n'], [...counters].map(([k, n]) => {
    const [team, assignee, status] = k.split('|');
    return [1, Number(team), Number(assignee), status, n];
  }));
  const arrivalRows = [...arrivals].map(([k, n]) => {
    const [team, channel, day, hour] = k.split('|');
    return [1, Number(team), channel, Number(day), Number(hour), n];
  });
  for (let i = 0; i < arrivalRows.length; i += BATCH) {
    await w.insert('arrival_counts', ['org_id', 'team_id', 'channel', 'day', 'hour', 'count'], arrivalRows.slice(i, i + BATCH));
  }
  await w.commit();
  if (db.dialect === 'postgres') {
    // Identity columns continue after the explicit ids written above (read once committed:
    // this is another connection than the writer's).
    for (const t of ['organizations', 'teams', 'users', 'patrons', 'patron_contacts', 'cases', 'case_entries', 'search_terms']) {
      await sql`select setval(pg_get_serial_sequence(${t}, 'id'), (select max(id) from ${sql.table(t)}))`.execute(db.kysely);
    }
  }
  log('analyze');
  await w.finish();
  const secs = (Date.now() - started) / 1000;
  console.log(
    `Generated ${CASES.toLocaleString('en-US')} cases, ${messages.toLocaleString('en-US')} messages (${(messages / CASES).toFixed(2)} per case), ${entryId.toLocaleString('en-US')} timeline entries, ${PATRONS.toLocaleString('en-US')} patrons on ${db.dialect} in ${secs.toFixed(0)} s.`,
  );
  console.log(`Sign in as ${BENCH_LOGIN.email} / ${BENCH_LOGIN.password}`);
  await db.close();
}

await main();
