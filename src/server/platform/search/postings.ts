// An inverted index of our own in four ordinary tables, one SQL text for both dialects:
//   search_terms    (org, scope, term) → id and df, the number of documents holding the term;
//   search_postings (term_id, doc_id)  B-tree key: a term's documents, newest first for free;
//   search_words    (org, kind, word)  → stem: what a typed prefix expands to;
//   search_docs     per document: its title stems in order and all its stems, space-padded
//                   (what a rewrite diffs against, and what a long phrase is checked against).
// A query knows each word's df before it reads a posting. It walks the rarest word's postings
// newest first, a window at a time, and keeps the window's documents that the other words'
// postings hold over the same id range, stopping when the page is full. So an absent word
// costs one index probe, a common one reads a page of postings, and nothing walks the cases.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/types.js';
import {
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
import { Changes, KIND, chunks } from './changes.js';
import { caseFilterSql } from './queries.js';
import { docText, storedSets, type ParsedQuery } from './text.js';

/** Words a typed prefix may expand to, read in word order, and how many of them (by df) count. */
export const EXPAND_SCAN = 256;
export const EXPAND_KEEP = 32;
const EXPAND_FLOOR = 1000;
/** Postings read per window grow from a page's worth to this, ×4 each time. */
export const MAX_WINDOW = 4096;
/**
 * At most this many postings of the rarest word are checked per tier. Only words that are each
 * common yet seldom meet (or a rare filter on a common word) reach it; their older matches are
 * then not found. It is what keeps such a query's cost from growing with the table. Windows of
 * 64, 256, 1,024 and 4,096 postings read 5,440, so the cap is reached in the fifth: a corpus
 * whose lists end within four windows (100k cases) and one whose lists run on (1M) then do about
 * the same work (at 16,384, seven windows against four: the query took 1.6–1.9 times as long).
 */
export const MAX_CHECKED = 8_192;
/** A checked group this many times more frequent than the driver is probed, not range-read. */
const DENSE = 8;

const NO_CURSOR = 2 ** 31 - 1; // ids are 32-bit integers: the highest there is

interface Term {
  id: number;
  term: string;
  df: number;
}

/** One query word (or adjacent pair) in one scope: the terms it may be, several for a prefix. */
type Group = Term[];

interface TierPlan {
  groups: Group[];
  /** For a phrase of three words or more: the whole phrase, checked against the stored title. */
  phrase: string[] | null;
}

interface KindPlan {
  kind: DocKind;
  tiers: Record<Tier, TierPlan | null>;
}

/**
 * A term's id and df, looked up inside a select list: one index probe per row, which neither
 * planner can turn into a scan of the vocabulary. Both come from one probe, as "id:df". With a
 * scope it probes (scope, w.stem); without, (v.column1, v.column2) of a VALUES list.
 */
function termProbe(orgId: number, scope?: string) {
  const where = scope === undefined ? sql`t.scope = v.column1 and t.term = v.column2` : sql`t.scope = ${scope} and t.term = w.stem`;
  return sql`(select cast(t.id as text) || ':' || cast(t.df as text) from search_terms t where t.org_id = ${orgId} and ${where})`;
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

  async documentIds(db: Kysely<Database>, kind: DocKind, word: string): Promise<number[]> {
    const terms = [...docText('', word).any];
    if (!terms.length) return [];
    const rows = await db
      .selectFrom('search_postings as p')
      .innerJoin('search_terms as t', 't.id', 'p.term_id')
      .select('p.doc_id')
      .where('t.scope', '=', KIND[kind])
      .where('t.term', 'in', terms)
      .orderBy('p.doc_id')
      .execute();
    return [...new Set(rows.map((r) => Number(r.doc_id)))];
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
    const keep = (rows: Array<{ scope: string; term: string; packed: string | null }>) => {
      for (const r of rows) {
        const [id, df] = (r.packed ?? '0:0').split(':').map(Number) as [number, number];
        if (df > 0) found.set(`${r.scope}\u0000${r.term}`, { id, term: r.term, df });
      }
    };
    // What the last word may be: its own stem and the stems of the words it begins, with df.
    const anyScope = k;
    keep(
      (
        await sql<{ scope: string; term: string; packed: string | null }>`
          select cast(${anyScope} as text) as scope, w.stem as term, ${termProbe(orgId, anyScope)} as packed
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
    const ranked = [...found.values()].sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    // Completions a thousand times rarer than the best one (e-mail words like "johnson1234"
    // after "johnson") find almost nothing and would cost a posting list each.
    const floor = (ranked[0]?.df ?? 0) / EXPAND_FLOOR;
    const last = ranked
      .filter((t) => t.df >= floor)
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
        await sql<{ scope: string; term: string; packed: string | null }>`
          select v.column1 as scope, v.column2 as term, ${termProbe(orgId)} as packed
          from (values ${sql.join(keys.map(([scope, term]) => sql`(${scope}, ${term})`))}) v`.execute(db)
      ).rows,
    );

    const wordGroups = (suffix: string): Group[] | null => {
      const groups: Group[] = [];
      for (const s of head) {
        const t = get(suffix, s);
        if (!t) return null;
        groups.push([t]);
      }
      const lastTerms = last.flatMap((s) => get(suffix, s) ?? []);
      if (!lastTerms.length) return null;
      groups.push(lastTerms);
      return groups;
    };
    const phrase = (): TierPlan | null => {
      if (lastHead === undefined) return null;
      const groups: Group[] = [];
      for (const p of pairs) {
        const t = get('.pair', p);
        if (!t) return null;
        groups.push([t]);
      }
      const lastTerms = last.flatMap((x) => get('.pair', `${lastHead} ${x}`) ?? []);
      if (!lastTerms.length) return null;
      groups.push(lastTerms);
      // Adjacent pairs are the phrase for two words; longer phrases are checked whole.
      const whole = head.length > 1 ? lastTerms.map((t) => `% ${head.slice(0, -1).join(' ')} ${t.term} %`) : null;
      return { groups, phrase: whole };
    };
    const any = wordGroups('');
    const title = wordGroups('.title');
    return {
      kind,
      tiers: {
        phrase: phrase(),
        title: title && { groups: title, phrase: null },
        anywhere: any && { groups: any, phrase: null },
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
    const size = (g: Group) => g.reduce((n, x) => n + x.df, 0);
    const rarest = (gs: Group[]) => gs.reduce((a, b) => (size(b) < size(a) ? b : a));
    // A single term drives unless a prefix's terms together are far rarer: a single term's
    // window is full, so the other words' postings over its id range are about as many.
    const singles = t.groups.filter((g) => g.length === 1);
    let driver = rarest(t.groups);
    if (driver.length > 1 && singles.length && size(rarest(singles)) <= DENSE * size(driver)) driver = rarest(singles);
    const others = t.groups.filter((g) => g !== driver);
    const ids = (g: Group) => sql.join(g.map((x) => x.id));
    const code = sql.lit(docKey(plan.kind, 0)); // the kind's part of a forward row's key
    const check: Check | null =
      others.length || t.phrase || filters
        ? (from, to) => {
            const where: RawBuilder<unknown>[] = [];
            for (const g of others) {
              // Behind a single-term driver, a group is read over the window's id range and
              // joined unless that reads far more postings than probing would: a probe costs one
              // index seek per term of the group (a prefix's completions are several terms) for
              // each of the window's documents, a range read one seek per term and then its
              // postings in the range, read in order. So a group is probed when its postings
              // outnumber the driver's DENSE times per term: a common word behind a rare one.
              // Behind a prefix's terms (whose window may span every id) every group is probed,
              // as a correlated IN that neither database turns into a join. Either way the work
              // is bounded by the window. A prefix's ranges are one `term_id in (…)` range
              // condition, not a union of ranges: PostgreSQL then probes it per surviving document
              // when few survive (as a union, it hashed the union and scanned it once per outer
              // row: 70 ms for "maria johnson garcia" at 30k patrons), and SQLite reads it once.
              where.push(
                driver.length === 1 && size(g) <= DENSE * g.length * size(driver)
                  ? g.length === 1
                    ? sql`p.doc_id in (${inRange(g.map((x) => x.id), from, to)})`
                    : sql`p.doc_id in (select doc_id from search_postings where term_id in (${ids(g)}) and doc_id between ${from} and ${to})`
                  : sql`p.doc_id in (select b.doc_id from search_postings b where b.term_id in (${ids(g)}) and b.doc_id = p.doc_id)`,
              );
            }
            // Row checks as scalar subqueries: never turned into a join over a whole table.
            if (t.phrase) {
              const likes = sql.join(t.phrase.map((x) => sql`d.title like ${x}`), sql` or `);
              where.push(sql`(select 1 from search_docs d where d.id = p.doc_id * 4 + ${code} and (${likes})) is not null`);
            }
            if (filters) where.push(sql`(select 1 from cases c where c.id = p.doc_id ${filters}) is not null`);
            return sql`and ${sql.join(where, sql` and `)}`;
          }
        : null;
    return walk(db, driver.map((x) => x.id), check, need);
  }
}

/** The conditions a driver's posting `p` must meet, for documents in [from, to]. */
type Check = (from: number, to: number) => RawBuilder<unknown>;

/** Each listed term's newest `n` postings up to `cursor`: one statement, one index range each. */
async function newestPostings(db: Kysely<Database>, termIds: number[], cursor: number, n: number) {
  const one = (id: number, i: number) =>
    sql`select * from (select term_id, doc_id from search_postings
      where term_id = ${id} and doc_id <= ${cursor} order by doc_id desc limit ${n}) ${sql.id(`p${i}`)}`;
  const rows = await sql<{ term_id: number; doc_id: number }>`${sql.join(termIds.map(one), sql` union all `)}`.execute(db);
  return rows.rows;
}

/**
 * The terms' postings over [from, to], one index range each (never a bitmap over several).
 * With `most`, each range is known to hold at most that many: saying so keeps PostgreSQL's
 * estimate (a rare term looks like an average one to it) low enough that it does not spend
 * hundreds of milliseconds JIT-compiling a statement that runs in one.
 */
function inRange(termIds: number[], from: number, to: number, most?: number) {
  return sql.join(
    termIds.map((id, i) =>
      most === undefined
        ? sql`select doc_id from search_postings where term_id = ${id} and doc_id between ${from} and ${to}`
        : sql`select * from (select doc_id from search_postings where term_id = ${id} and doc_id between ${from} and ${to}
            order by doc_id desc limit ${most}) ${sql.id(`r${i}`)}`,
    ),
    sql` union all `,
  );
}

/** The newest `n` distinct ids of several newest-first lists. */
function newestDistinct(ids: number[], n: number): number[] {
  return [...new Set(ids)].sort((a, b) => b - a).slice(0, n);
}

/**
 * The newest `need` documents in the union of the driver terms' postings that pass `check`.
 * Windows are read newest first. A window ends at its frontier: the highest of the driver
 * lists' `share`-th ids, so it holds at most `share` postings of each list and is complete
 * down to there; one statement finds the frontier, one returns the window's documents that
 * pass. Stops when the page is full, the lists end, or after MAX_CHECKED postings.
 */
export async function walk(db: Kysely<Database>, driver: number[], check: Check | null, need: number): Promise<number[]> {
  if (!check) return newestDistinct((await newestPostings(db, driver, NO_CURSOR, need)).map((r) => r.doc_id), need);
  const out: number[] = [];
  let cursor = NO_CURSOR;
  let window = Math.min(MAX_WINDOW, Math.max(2 * need, 64));
  let checked = 0;
  for (;;) {
    const share = Math.max(16, Math.ceil(window / driver.length));
    const nth = (id: number, i: number) =>
      sql`select * from (select doc_id from search_postings where term_id = ${id} and doc_id <= ${cursor}
        order by doc_id desc limit 1 offset ${share - 1}) ${sql.id(`f${i}`)}`;
    const ends = await sql<{ doc_id: number }>`${sql.join(driver.map(nth), sql` union all `)}`.execute(db);
    const frontier = Math.max(0, ...ends.rows.map((r) => r.doc_id));
    const rows = await sql<{ doc_id: number }>`
      select distinct p.doc_id as doc_id from (${inRange(driver, frontier, cursor, share)}) p
      where 1 = 1 ${check(frontier, cursor)}
      order by p.doc_id desc`.execute(db);
    out.push(...rows.rows.map((r) => r.doc_id));
    checked += share * driver.length;
    if (out.length >= need || frontier === 0 || checked >= MAX_CHECKED) break;
    cursor = frontier - 1;
    window = Math.min(MAX_WINDOW, window * 4);
  }
  return out.slice(0, need);
}
