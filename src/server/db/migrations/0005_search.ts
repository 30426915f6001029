// Search as an inverted index of our own in ordinary tables, the same on both dialects
// (issue 13), replacing FTS5 (SQLite) and tsvector + GIN (PostgreSQL). Existing cases, patrons
// and personal notes are re-indexed here, in batches, with a frozen copy of the text rules of
// the day (fold accents and case, Porter stems, phone digits): a migration never imports the
// application. A test checks that this copy and the application still index alike; when the
// rules change, a later migration re-indexes with its own copy.
import { sql, type Kysely } from 'kysely';
import { stemmer } from 'stemmer';
import { isPostgres } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  for (const table of pg ? ['cases_search', 'patrons_search'] : ['cases_fts', 'patrons_fts']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  // Terms and words compare by code point on both dialects, so that a prefix is a range.
  const bytewise = pg ? sql`text collate "C"` : sql`text`;
  const id = (t: ReturnType<Kysely<any>['schema']['createTable']>) =>
    pg
      ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn('id', 'integer', (c) => c.primaryKey());
  await id(db.schema.createTable('search_terms'))
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('term', bytewise, (c) => c.notNull())
    .addColumn('df', 'integer', (c) => c.notNull())
    .addUniqueConstraint('search_terms_key', ['org_id', 'scope', 'term'])
    .execute();
  // The postings are their own key: a term's documents in id order, read newest first.
  let postings = db.schema
    .createTable('search_postings')
    .addColumn('term_id', 'integer', (c) => c.notNull())
    .addColumn('doc_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_postings_pk', ['term_id', 'doc_id']);
  if (!pg) postings = postings.modifyEnd(sql`without rowid`);
  await postings.execute();
  let words = db.schema
    .createTable('search_words')
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('word', bytewise, (c) => c.notNull())
    .addColumn('stem', bytewise, (c) => c.notNull())
    .addPrimaryKeyConstraint('search_words_pk', ['org_id', 'kind', 'word']);
  if (!pg) words = words.modifyEnd(sql`without rowid`);
  await words.execute();
  await db.schema
    .createTable('search_docs')
    .addColumn('id', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    .execute();
  await reindex(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['search_docs', 'search_words', 'search_postings', 'search_terms']) {
    await db.schema.dropTable(t).execute();
  }
  // The old tables come back empty: going down loses the old search until its rows are written.
  if (isPostgres(db)) {
    for (const table of ['cases_search', 'patrons_search']) {
      await db.schema
        .createTable(table)
        .addColumn('id', 'bigint', (c) => c.primaryKey())
        .addColumn('org_id', 'integer', (c) => c.notNull())
        .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
        .execute();
      await sql`create index ${sql.id(`${table}_tsv`)} on ${sql.table(table)} using gin (tsv)`.execute(db);
    }
  } else {
    for (const table of ['cases_fts', 'patrons_fts']) {
      await sql`create virtual table ${sql.table(table)} using fts5(
        title, body, content='', contentless_delete=1,
        tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
    }
  }
}

// ---- The text rules of 2026-11 (a frozen copy of platform/search/text.ts) ----

const LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't', ŋ: 'n', ſ: 's',
};
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'gu');
const fold = (t: string) =>
  t.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '').replace(SPECIAL, (c) => LETTERS[c]!);
const stem = (w: string) => (/^[a-z]{3,}$/.test(w) ? stemmer(w) : w);

function tokens(text: string) {
  const out: Array<{ pieces: string[]; joined: string | null }> = [];
  for (const m of fold(text).matchAll(/[\p{L}\p{N}]+(?:['’‐-][\p{L}\p{N}]+)*/gu)) {
    const pieces = m[0].match(/[\p{L}\p{N}]+/gu)!.filter((p) => p.length <= 60);
    const joined = pieces.length > 1 ? pieces.join('') : null;
    out.push({ pieces, joined: joined && joined.length <= 60 ? joined : null });
  }
  return out;
}

function docText(title: string, body: string) {
  const words = new Map<string, string>();
  const add = (w: string) => {
    // Letters and digits run together are searchable whole but never a prefix's completion.
    if (!/^(?=.*\d)(?=.*\D)/.test(w) && !words.has(w)) words.set(w, stem(w));
    return stem(w);
  };
  const seq: string[] = [];
  const titleStems = new Set<string>();
  const joinedTitle: string[] = [];
  for (const t of tokens(title)) {
    for (const p of t.pieces) {
      seq.push(add(p));
      titleStems.add(seq.at(-1)!);
    }
    if (t.joined) {
      const s = add(t.joined);
      if (!titleStems.has(s)) joinedTitle.push(s);
      titleStems.add(s);
    }
  }
  const any = new Set(titleStems);
  for (const t of tokens(body.slice(0, 100_000))) {
    for (const p of t.pieces) any.add(add(p));
    if (t.joined) any.add(add(t.joined));
  }
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < seq.length; i++) pairs.add(`${seq[i]} ${seq[i + 1]}`);
  return {
    title: ` ${seq.join(' ')} ${joinedTitle.length ? `| ${joinedTitle.join(' ')} ` : ''}`,
    terms: ` ${[...any].join(' ')} `,
    sets: { '': any, '.title': titleStems, '.pair': pairs } as Record<string, Set<string>>,
    words,
  };
}

function contactText(...values: Array<string | null>): string {
  const parts: string[] = [];
  for (const v of values) {
    if (!v) continue;
    parts.push(v);
    const digits = v.replace(/\D/g, '');
    if (v.includes('@') || digits.length < 7) continue;
    parts.push(digits, digits.slice(-10), digits.slice(-7));
  }
  return parts.join(' ');
}

interface Doc {
  orgId: number;
  kind: 'case' | 'patron' | 'personal';
  refId: number;
  title: string;
  body: string;
}

/** Writes a batch of documents into empty search tables (the same rows the application writes). */
async function writeDocs(db: Kysely<any>, docs: Doc[]) {
  const df = new Map<string, { org_id: number; scope: string; term: string; df: number }>();
  const postings: Array<{ key: string; doc: number }> = [];
  const words = new Map<string, { org_id: number; kind: string; word: string; stem: string }>();
  const forward = [];
  for (const d of docs) {
    const t = docText(d.title, d.body);
    for (const [suffix, set] of Object.entries(t.sets)) {
      for (const term of set) {
        const key = `${d.orgId}\u0000${d.kind}${suffix}\u0000${term}`;
        const e = df.get(key) ?? { org_id: d.orgId, scope: d.kind + suffix, term, df: 0 };
        e.df++;
        df.set(key, e);
        postings.push({ key, doc: d.refId });
      }
    }
    for (const [word, s] of t.words) words.set(`${d.orgId}\u0000${d.kind}\u0000${word}`, { org_id: d.orgId, kind: d.kind, word, stem: s });
    const code = d.kind === 'case' ? 0 : d.kind === 'patron' ? 1 : 2;
    forward.push({ id: d.refId * 4 + code, org_id: d.orgId, title: t.title, terms: t.terms });
  }
  const ids = new Map<string, number>();
  const rows = [...df.values()];
  for (let i = 0; i < rows.length; i += 2000) {
    const got = await db
      .insertInto('search_terms')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['org_id', 'scope', 'term']).doUpdateSet((eb) => ({ df: eb('search_terms.df', '+', eb.ref('excluded.df')) })))
      .returning(['id', 'org_id', 'scope', 'term'])
      .execute();
    for (const r of got) ids.set(`${r.org_id}\u0000${r.scope}\u0000${r.term}`, r.id);
  }
  const p = postings.map((x) => ({ term_id: ids.get(x.key), doc_id: x.doc }));
  for (let i = 0; i < p.length; i += 5000) await db.insertInto('search_postings').values(p.slice(i, i + 5000)).execute();
  const w = [...words.values()];
  for (let i = 0; i < w.length; i += 2000) {
    await db
      .insertInto('search_words')
      .values(w.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['org_id', 'kind', 'word']).doNothing())
      .execute();
  }
  for (let i = 0; i < forward.length; i += 500) await db.insertInto('search_docs').values(forward.slice(i, i + 500)).execute();
}

/** Every case, patron and personal note, 500 at a time by id. */
export async function reindex(db: Kysely<any>): Promise<void> {
  const BATCH = 500;
  for (let after = 0; ; ) {
    const cases = await db.selectFrom('cases').select(['id', 'org_id', 'subject']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!cases.length) break;
    const entries = await db
      .selectFrom('case_entries')
      .select(['case_id', 'body'])
      .where('case_id', 'in', cases.map((c) => c.id))
      .where('kind', '!=', 'event')
      .orderBy('case_id')
      .orderBy('id')
      .execute();
    const bodies = new Map<number, string[]>();
    for (const e of entries) bodies.set(e.case_id, [...(bodies.get(e.case_id) ?? []), e.body]);
    await writeDocs(
      db,
      cases.map((c) => ({ orgId: c.org_id, kind: 'case', refId: c.id, title: c.subject, body: (bodies.get(c.id) ?? []).join('\n') })),
    );
    after = cases.at(-1)!.id;
  }
  for (let after = 0; ; ) {
    const patrons = await db
      .selectFrom('patrons')
      .select(['id', 'org_id', 'name', 'preferred_name', 'email', 'phone'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (!patrons.length) break;
    const notes = await db
      .selectFrom('patron_notes')
      .select(['patron_id', 'body'])
      .where('patron_id', 'in', patrons.map((p) => p.id))
      .where('kind', '=', 'personal')
      .orderBy('patron_id')
      .orderBy('id')
      .execute();
    const personal = new Map<number, string[]>();
    for (const n of notes) personal.set(n.patron_id, [...(personal.get(n.patron_id) ?? []), n.body]);
    const docs: Doc[] = [];
    for (const p of patrons) {
      const title = [p.name, p.preferred_name].filter(Boolean).join(' ');
      docs.push({ orgId: p.org_id, kind: 'patron', refId: p.id, title, body: contactText(p.email, p.phone) });
      const own = personal.get(p.id);
      if (own) docs.push({ orgId: p.org_id, kind: 'personal', refId: p.id, title: '', body: own.join('\n') });
    }
    await writeDocs(db, docs);
    after = patrons.at(-1)!.id;
  }
}
