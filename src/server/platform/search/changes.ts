// Writing the index: what a document puts in each scope, and one batch's changes (df deltas,
// postings to add and remove, new words) written as a few set-based statements.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { DocKind, SearchDoc } from './index.js';
import type { DocText } from './text.js';

export const KIND: Record<DocKind, string> = { case: 'case', patron: 'patron', patronPersonal: 'personal' };
export const SCOPES = ['', '.title', '.pair'] as const;
type Part = 'any' | 'titleStems' | 'pairs';
const PART: Record<(typeof SCOPES)[number], Part> = { '': 'any', '.title': 'titleStems', '.pair': 'pairs' };

/** The scopes a document of this kind writes, each with the terms it holds there. */
export function scopesOf(kind: DocKind, t: Pick<DocText, Part>): Array<[string, Set<string>]> {
  return SCOPES.map((suffix) => [KIND[kind] + suffix, t[PART[suffix]]]);
}

/** Which vocabulary a document's words join (personal notes have their own). */
export const wordsKind = (kind: DocKind) => KIND[kind];

export const chunks = <T>(xs: T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

const keyOf = (org: number, scope: string, term: string) => `${org}\u0000${scope}\u0000${term}`;

/** Accumulates a batch's index changes: df deltas, postings to add and remove, new words. */
export class Changes {
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
