// An inverted index of our own in four ordinary tables, one SQL text for both dialects:
//   search_terms    (org, scope, term) → id and df, the number of documents holding the term;
//   search_postings (term_id, doc_id)  B-tree key: a term's documents, newest first for free;
//   search_words    (org, kind, word)  → stem: what a typed prefix expands to;
//   search_docs     per document: its title stems in order and all its stems, space-padded.
// A query knows each word's df before it reads a posting. It walks the rarest word's postings
// newest first, a window at a time, and checks the other words against the forward row
// (`terms like '% refund %'`), stopping when the page is full. So an absent word costs one
// index probe, a common one reads a page of postings, and nothing walks the cases table.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/types.js';
import {
  caseFilterSql,
  docKey,
  hasCaseFilters,
  rankByTiers,
  type CaseFilters,
  type DocKind,
  type SearchDoc,
  type SearchIndex,
  type SearchQuery,
  type Tier,
} from './index.js';
import { docText, storedSets, type DocText, type ParsedQuery } from './text.js';

/** Words a typed prefix may expand to, read in word order, and how many of them (by df) count. */
export const EXPAND_SCAN = 256;
export const EXPAND_KEEP = 32;
/** Postings read per window grow from a page's worth to this, ×4 each time. */
export const MAX_WINDOW = 4096;
/**
 * At most this many documents of the rarest word are checked per tier. Only words that are
 * each common yet seldom meet (or a rare filter on a common word) reach it; their older
 * matches are then not found. It is what keeps such a query's cost from growing with the table.
 */
export const MAX_CHECKED = 16_384;

const NO_CURSOR = 2 ** 31 - 1; // ids are 32-bit integers: the highest there is

const KIND: Record<DocKind, string> = { case: 'case', patron: 'patron', patronPersonal: 'personal' };
const SCOPES = ['', '.title', '.pair'] as const;
type Part = 'any' | 'titleStems' | 'pairs';
const PART: Record<(typeof SCOPES)[number], Part> = { '': 'any', '.title': 'titleStems', '.pair': 'pairs' };

/** The scopes a document of this kind writes, each with the terms it holds there. */
export function scopesOf(kind: DocKind, t: Pick<DocText, Part>): Array<[string, Set<string>]> {
  return SCOPES.map((suffix) => [KIND[kind] + suffix, t[PART[suffix]]]);
}

/** Which vocabulary a document's words join (personal notes have their own). */
export const wordsKind = (kind: DocKind) => KIND[kind];

const chunks = <T>(xs: T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/** An IN list padded to a power of two (repeating its last id): fewer distinct SQL texts to prepare. */
const padded = (ids: number[]) => {
  let n = 8;
  while (n < ids.length) n *= 2;
  return [...ids, ...Array<number>(n - ids.length).fill(ids.at(-1)!)];
};

const keyOf = (org: number, scope: string, term: string) => `${org}\u0000${scope}\u0000${term}`;

interface Term {
  id: number;
  term: string;
  df: number;
}

/** One query word in one scope: the terms it may be (several for a prefix) and its LIKE patterns. */
interface Group {
  terms: Term[];
  patterns: string[];
}

interface TierPlan {
  groups: Group[];
  /** The column the patterns are checked against. */
  column: 'terms' | 'title';
  /** For a phrase of three words or more: the whole phrase, checked against the title. */
  phrase: string[] | null;
}

interface KindPlan {
  kind: DocKind;
  tiers: Record<Tier, TierPlan | null>;
}

/**
 * A term's id or df looked up inside a select list, one index probe per row. With a scope it
 * probes (scope, w.stem); without, (v.column1, v.column2) of a VALUES list.
 */
function termColumn(column: 'id' | 'df', orgId: number, scope?: string) {
  const where = scope === undefined ? sql`t.scope = v.column1 and t.term = v.column2` : sql`t.scope = ${scope} and t.term = w.stem`;
  return sql`(select ${sql.ref(`t.${column}`)} from search_terms t where t.org_id = ${orgId} and ${where})`;
}

/** The smallest string greater than every string that starts with `prefix` (code point order). */
function prefixEnd(prefix: string): string {
  const cps = [...prefix];
  let next = cps.pop()!.codePointAt(0)! + 1;
  if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // surrogates are not characters
  return cps.join('') + String.fromCodePoint(Math.min(next, 0x10ffff));
}

export class PostingsSearch implements SearchIndex {
  /**
   * @param lockDocs Lock a document's forward row while rewriting it, so that two writers of
   * one document (PostgreSQL runs them in parallel) diff against what the other committed.
   */
  constructor(private readonly lockDocs = false) {}

  async upsert(tx: Kysely<Database>, doc: SearchDoc): Promise<void> {
    await this.upsertMany(tx, [doc]);
  }

  async upsertMany(tx: Kysely<Database>, docs: SearchDoc[]): Promise<void> {
    const byKey = new Map<number, SearchDoc>();
    for (const d of docs) byKey.set(docKey(d.kind, d.refId), d);
    if (!byKey.size) return;
    const old = await this.readDocs(tx, [...byKey.keys()]);
    const changes = new Changes();
    const forward: Database['search_docs'][] = [];
    for (const [key, d] of byKey) {
      const next = docText(d.title, d.body);
      const prev = old.get(key);
      changes.add(d, next, prev ? storedSets(prev.title, prev.terms) : null);
      forward.push({ id: key, org_id: d.orgId, title: next.title, terms: next.terms });
    }
    await changes.write(tx);
    for (const rows of chunks(forward, 500)) {
      await tx
        .insertInto('search_docs')
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({ title: eb.ref('excluded.title'), terms: eb.ref('excluded.terms') })),
        )
        .execute();
    }
  }

  async remove(tx: Kysely<Database>, kind: DocKind, refId: number): Promise<void> {
    const key = docKey(kind, refId);
    const prev = (await this.readDocs(tx, [key])).get(key);
    if (!prev) return;
    const changes = new Changes();
    changes.add({ kind, refId, orgId: prev.org_id }, null, storedSets(prev.title, prev.terms));
    await changes.write(tx);
    await tx.deleteFrom('search_docs').where('id', '=', key).execute();
  }

  private async readDocs(db: Kysely<Database>, keys: number[]) {
    const out = new Map<number, { org_id: number; title: string; terms: string }>();
    for (const part of chunks(keys, 1000)) {
      const rows = await db
        .selectFrom('search_docs')
        .select(['id', 'org_id', 'title', 'terms'])
        .where('id', 'in', part)
        .$if(this.lockDocs, (qb) => qb.forUpdate())
        .execute();
      for (const r of rows) out.set(Number(r.id), r);
    }
    return out;
  }

  async searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<number[]> {
    if (!q.query.words.length) return [];
    const plan = await this.plan(db, q.orgId, 'case', q.query);
    const filters = hasCaseFilters(q.filters) ? caseFilterSql(q.filters) : null;
    return rankByTiers(q.query, q.offset, q.limit, (tier, n) => this.walkTier(db, plan, tier, n, filters));
  }

  async searchPatrons(db: Kysely<Database>, q: SearchQuery & { includePersonal: boolean }): Promise<number[]> {
    if (!q.query.words.length) return [];
    const plans = [await this.plan(db, q.orgId, 'patron', q.query)];
    if (q.includePersonal) plans.push(await this.plan(db, q.orgId, 'patronPersonal', q.query));
    return rankByTiers(q.query, q.offset, q.limit, async (tier, n) => {
      const lists: number[][] = [];
      for (const plan of plans) lists.push(await this.walkTier(db, plan, tier, n, null));
      return newestDistinct(lists.flat(), n);
    });
  }

  /** Looks up every term the query may use, with its df, and lays out each tier. */
  private async plan(db: Kysely<Database>, orgId: number, kind: DocKind, q: ParsedQuery): Promise<KindPlan> {
    const k = KIND[kind];
    const head = q.stems;
    const found = new Map<string, Term>();
    const get = (suffix: string, term: string) => found.get(`${k}${suffix}\u0000${term}`);
    const keep = (rows: Array<{ scope: string; term: string; id: number | null; df: number | null }>) => {
      for (const r of rows) if (r.id !== null && r.df) found.set(`${r.scope}\u0000${r.term}`, { id: r.id, term: r.term, df: r.df });
    };
    // What the last word may be: its own stem and the stems of the words it begins, with df.
    const anyScope = k;
    keep(
      (
        await sql<{ scope: string; term: string; id: number | null; df: number | null }>`
          select cast(${anyScope} as text) as scope, w.stem as term, ${termColumn('id', orgId, anyScope)} as id, ${termColumn('df', orgId, anyScope)} as df
          from (select distinct stem from (
            select cast(${q.last!.stem} as text) as stem
            union all
            select * from (select stem from search_words
              where org_id = ${orgId} and kind = ${k} and word >= ${q.last!.prefix} and word < ${prefixEnd(q.last!.prefix)}
              order by word limit ${EXPAND_SCAN}) x
          ) y) w`.execute(db)
      ).rows,
    );
    // The last word's stems: the most frequent few (anywhere) of what its prefix expands to.
    const last = [...found.values()]
      .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
      .slice(0, EXPAND_KEEP)
      .map((t) => t.term);
    if (!last.length) return { kind, tiers: { phrase: null, title: null, anywhere: null } };
    const lastHead = head.at(-1);
    const pairs = head.slice(1).map((s, i) => `${head[i]} ${s}`);
    const keys: Array<[string, string]> = [
      ...head.flatMap((s): Array<[string, string]> => [[k, s], [`${k}.title`, s]]),
      ...last.map((s): [string, string] => [`${k}.title`, s]),
      ...pairs.map((s): [string, string] => [`${k}.pair`, s]),
      ...(lastHead === undefined ? [] : last.map((x): [string, string] => [`${k}.pair`, `${lastHead} ${x}`])),
    ];
    // One index probe per key, as a correlated lookup: the planner cannot turn a long list
    // into a scan of the whole vocabulary.
    keep(
      (
        await sql<{ scope: string; term: string; id: number | null; df: number | null }>`
          select v.column1 as scope, v.column2 as term, ${termColumn('id', orgId)} as id, ${termColumn('df', orgId)} as df
          from (values ${sql.join(keys.map(([scope, term]) => sql`(${scope}, ${term})`))}) v`.execute(db)
      ).rows,
    );

    const wordGroups = (suffix: string): Group[] | null => {
      const groups: Group[] = [];
      for (const s of head) {
        const t = get(suffix, s);
        if (!t) return null;
        groups.push({ terms: [t], patterns: [`% ${s} %`] });
      }
      const lastTerms = last.flatMap((s) => get(suffix, s) ?? []);
      if (!lastTerms.length) return null;
      groups.push({ terms: lastTerms, patterns: lastTerms.map((t) => `% ${t.term} %`) });
      return groups;
    };
    const phrase = (): TierPlan | null => {
      if (lastHead === undefined) return null;
      const groups: Group[] = [];
      for (const p of pairs) {
        const t = get('.pair', p);
        if (!t) return null;
        groups.push({ terms: [t], patterns: [] });
      }
      const lastTerms = last.flatMap((x) => get('.pair', `${lastHead} ${x}`) ?? []);
      if (!lastTerms.length) return null;
      groups.push({ terms: lastTerms, patterns: [] });
      // Adjacent pairs are the phrase for two words; longer phrases are checked whole.
      const whole = head.length > 1 ? lastTerms.map((t) => `% ${head.slice(0, -1).join(' ')} ${t.term} %`) : null;
      return { groups, column: 'title', phrase: whole };
    };
    const any = wordGroups('');
    const title = wordGroups('.title');
    return {
      kind,
      tiers: {
        phrase: phrase(),
        title: title && { groups: title, column: 'title', phrase: null },
        anywhere: any && { groups: any, column: 'terms', phrase: null },
      },
    };
  }

  /** The newest `need` documents of one tier: the rarest group drives, the others are checked. */
  private async walkTier(
    db: Kysely<Database>,
    plan: KindPlan,
    tier: Tier,
    need: number,
    filters: RawBuilder<unknown> | null,
  ): Promise<number[]> {
    const t = plan.tiers[tier];
    if (!t) return [];
    const size = (g: Group) => g.terms.reduce((n, x) => n + x.df, 0);
    const driver = t.groups.reduce((a, b) => (size(b) < size(a) ? b : a));
    const checks: RawBuilder<unknown>[] = [];
    const col = sql.ref(`d.${t.column}`);
    if (t.phrase) {
      checks.push(sql`(${sql.join(t.phrase.map((p) => sql`${col} like ${p}`), sql` or `)})`);
    } else {
      for (const g of t.groups) {
        if (g === driver || !g.patterns.length) continue;
        checks.push(sql`(${sql.join(g.patterns.map((p) => sql`${col} like ${p}`), sql` or `)})`);
      }
    }
    const check = checks.length || filters ? this.checker(plan.kind, checks, filters) : null;
    return walk(db, driver.terms.map((x) => x.id), check, need);
  }

  /**
   * A statement that keeps those of a window's documents that pass every check. Each document
   * is looked up by key inside the select list, one index probe each, whatever the planner
   * thinks of the tables' sizes.
   */
  private checker(kind: DocKind, checks: RawBuilder<unknown>[], filters: RawBuilder<unknown> | null) {
    const where = checks.length ? sql`and ${sql.join(checks, sql` and `)}` : sql``;
    const probe = filters
      ? checks.length
        ? sql`(select 1 from cases c join search_docs d on d.id = v.column2 where c.id = v.column1 ${filters} ${where})`
        : sql`(select 1 from cases c where c.id = v.column1 ${filters})`
      : sql`(select 1 from search_docs d where d.id = v.column2 ${where})`;
    return async (db: Kysely<Database>, ids: number[]): Promise<Set<number>> => {
      const rows = sql.join(padded(ids).map((id) => sql`(cast(${id} as integer), cast(${docKey(kind, id)} as bigint))`));
      const res = await sql<{ id: number }>`
        select x.id as id from (select v.column1 as id, ${probe} as ok from (values ${rows}) v) x
        where x.ok = 1`.execute(db);
      return new Set(res.rows.map((r) => Number(r.id)));
    };
  }
}

/** Accumulates a batch's index changes: df deltas, postings to add and remove, new words. */
class Changes {
  private deltas = new Map<string, { org: number; scope: string; term: string; delta: number }>();
  private adds: Array<{ key: string; doc: number }> = [];
  private removes: Array<{ key: string; doc: number }> = [];
  private words = new Map<string, Database['search_words']>();

  add(d: Pick<SearchDoc, 'orgId' | 'kind' | 'refId'>, next: DocText | null, prev: Pick<DocText, Part> | null) {
    const k = KIND[d.kind];
    const none = new Set<string>();
    const now = new Map(next ? scopesOf(d.kind, next) : []);
    for (const [scope, before] of prev ? scopesOf(d.kind, prev) : []) {
      for (const term of before) if (!now.get(scope)?.has(term)) this.change(d, scope, term, -1);
    }
    const before = new Map(prev ? scopesOf(d.kind, prev) : []);
    for (const [scope, terms] of now) {
      for (const term of terms) if (!(before.get(scope) ?? none).has(term)) this.change(d, scope, term, 1);
    }
    for (const [word, stem] of next?.words ?? []) {
      this.words.set(`${d.orgId}\u0000${k}\u0000${word}`, { org_id: d.orgId, kind: k, word, stem });
    }
  }

  private change(d: Pick<SearchDoc, 'orgId' | 'refId'>, scope: string, term: string, delta: number) {
    const key = keyOf(d.orgId, scope, term);
    const entry = this.deltas.get(key) ?? { org: d.orgId, scope, term, delta: 0 };
    entry.delta += delta;
    this.deltas.set(key, entry);
    (delta > 0 ? this.adds : this.removes).push({ key, doc: d.refId });
  }

  async write(tx: Kysely<Database>) {
    // Sorted, so that concurrent writers lock shared term rows in one order and never deadlock.
    const sorted = [...this.deltas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const ids = new Map<string, number>();
    for (const part of chunks(sorted, 2000)) {
      const rows = await tx
        .insertInto('search_terms')
        .values(part.map(([, e]) => ({ org_id: e.org, scope: e.scope, term: e.term, df: e.delta })))
        .onConflict((oc) =>
          oc.columns(['org_id', 'scope', 'term']).doUpdateSet((eb) => ({
            df: eb('search_terms.df', '+', eb.ref('excluded.df')),
          })),
        )
        .returning(['id', 'org_id', 'scope', 'term'])
        .execute();
      for (const r of rows) ids.set(keyOf(r.org_id, r.scope, r.term), r.id);
    }
    const removesByDoc = new Map<number, number[]>();
    for (const r of this.removes) {
      const list = removesByDoc.get(r.doc) ?? [];
      list.push(ids.get(r.key)!);
      removesByDoc.set(r.doc, list);
    }
    for (const [doc, termIds] of removesByDoc) {
      for (const part of chunks(termIds, 1000)) {
        await tx.deleteFrom('search_postings').where('doc_id', '=', doc).where('term_id', 'in', part).execute();
      }
    }
    const postings = this.adds.map((a) => ({ term_id: ids.get(a.key)!, doc_id: a.doc }));
    for (const part of chunks(postings, 5000)) await tx.insertInto('search_postings').values(part).execute();
    for (const part of chunks([...this.words.values()], 2000)) {
      await tx
        .insertInto('search_words')
        .values(part)
        .onConflict((oc) => oc.columns(['org_id', 'kind', 'word']).doNothing())
        .execute();
    }
  }
}

type Check = (db: Kysely<Database>, ids: number[]) => Promise<Set<number>>;

/** Each listed term's newest `n` postings up to `cursor`: one statement, one index range each. */
async function newestPostings(db: Kysely<Database>, termIds: number[], cursor: number, n: number) {
  const one = (id: number, i: number) =>
    sql`select * from (select term_id, doc_id from search_postings
      where term_id = ${id} and doc_id <= ${cursor} order by doc_id desc limit ${n}) ${sql.id(`p${i}`)}`;
  const rows = await sql<{ term_id: number; doc_id: number }>`${sql.join(termIds.map(one), sql` union all `)}`.execute(db);
  return rows.rows;
}

/** The newest `n` distinct ids of several newest-first lists. */
function newestDistinct(ids: number[], n: number): number[] {
  return [...new Set(ids)].sort((a, b) => b - a).slice(0, n);
}

/**
 * The newest `need` documents in the union of the driver terms' postings that pass `check`.
 * Windows of postings are read newest first; a window is complete down to its frontier (the
 * highest of the lists' last ids among lists that filled their share), so documents are
 * checked in exact newest-first order. Stops when the page is full, the lists end, or after
 * MAX_CHECKED documents. A window is at most MAX_WINDOW postings, shared among the terms.
 */
export async function walk(db: Kysely<Database>, driver: number[], check: Check | null, need: number): Promise<number[]> {
  if (!check) return newestDistinct((await newestPostings(db, driver, NO_CURSOR, need)).map((r) => r.doc_id), need);
  const out: number[] = [];
  let cursor = NO_CURSOR;
  let window = Math.min(MAX_WINDOW, Math.max(2 * need, 64));
  let checked = 0;
  for (;;) {
    const share = Math.max(16, Math.ceil(window / driver.length));
    const rows = await newestPostings(db, driver, cursor, share);
    const counts = new Map<number, { n: number; min: number }>();
    for (const r of rows) {
      const c = counts.get(r.term_id) ?? { n: 0, min: r.doc_id };
      c.n++;
      c.min = Math.min(c.min, r.doc_id);
      counts.set(r.term_id, c);
    }
    let frontier = 0;
    for (const c of counts.values()) if (c.n === share) frontier = Math.max(frontier, c.min);
    const candidates = newestDistinct(
      rows.filter((r) => r.doc_id >= frontier).map((r) => r.doc_id),
      Number.MAX_SAFE_INTEGER,
    );
    if (candidates.length) {
      const passed = await check(db, candidates);
      for (const id of candidates) if (passed.has(id)) out.push(id);
    }
    checked += candidates.length;
    if (out.length >= need || frontier === 0 || checked >= MAX_CHECKED) break;
    cursor = frontier - 1;
    window = Math.min(MAX_WINDOW, window * 4);
  }
  return out.slice(0, need);
}
