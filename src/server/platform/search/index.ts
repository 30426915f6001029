// Full-text search: one interface, an FTS5 implementation for SQLite and a tsvector + GIN one
// for PostgreSQL. Documents are written in the caller's transaction, so the index never drifts
// from the rows it describes. Cases and patrons have separate indexes, so that a search of one
// never walks the other's matches. A patron has two documents: name and contacts (everyone),
// personal notes (not volunteers); their id packs (patron id, part): id = patron id * 2 + part.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';

export type DocKind = 'case' | 'patron' | 'patronPersonal';

export interface SearchDoc {
  orgId: number;
  kind: DocKind;
  refId: number;
  /** Weighted high: a case subject, a patron's name. */
  title: string;
  body: string;
}

export interface CaseFilters {
  status?: string | undefined;
  teamId?: number | undefined;
  /** Created at or after / before (epoch ms). */
  from?: number | undefined;
  to?: number | undefined;
}

export interface SearchQuery {
  orgId: number;
  terms: string[];
  limit: number;
  offset: number;
}

export interface SearchIndex {
  upsert(tx: Kysely<Database>, doc: SearchDoc): Promise<void>;
  remove(tx: Kysely<Database>, kind: DocKind, refId: number): Promise<void>;
  /**
   * The documents of a kind holding a word, read from the index itself and joined to nothing:
   * for tests that must see an orphaned document (a rollback, an erasure).
   */
  documentIds(db: Kysely<Database>, kind: DocKind, word: string): Promise<number[]>;
  /** Case ids, best first. */
  searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<number[]>;
  /** Patron ids by name and contacts, and (when allowed) by their personal notes. */
  searchPatrons(
    db: Kysely<Database>,
    q: SearchQuery & { includePersonal: boolean; prefix: boolean },
  ): Promise<number[]>;
}

/**
 * How results are ranked, on both dialects: the query as a phrase in the title (an exact
 * subject match), then every word in the title, then every word anywhere; newest first within
 * a tier. Each tier is an index scan in id order that stops at the page's end, so the cost
 * follows the page, not the number of matches (bm25 over 40,000 matches takes 60 ms on a
 * million cases; see the design notes).
 */
export type Tier = 'phrase' | 'title' | 'anywhere';
export const tiersFor = (terms: string[]): Tier[] =>
  terms.length > 1 ? ['phrase', 'title', 'anywhere'] : ['title', 'anywhere'];

/** Merges the tiers' id lists into one ranked page; each tier is asked for just enough ids. */
export async function rankByTiers(
  terms: string[],
  offset: number,
  limit: number,
  fetch: (tier: Tier, n: number) => Promise<number[]>,
): Promise<number[]> {
  if (!terms.length) return [];
  const want = offset + limit;
  const ranked: number[] = [];
  const seen = new Set<number>();
  for (const tier of tiersFor(terms)) {
    // Ids already ranked higher come back from lower tiers too: ask for enough to skip them.
    for (const id of await fetch(tier, want + seen.size)) {
      if (!seen.has(id)) {
        seen.add(id);
        ranked.push(id);
      }
    }
    if (ranked.length >= want) break;
  }
  return ranked.slice(offset, want);
}

/** The document's id inside its index (cases_fts / patrons_fts, or their PostgreSQL tables). */
export const docId = (kind: DocKind, refId: number) =>
  kind === 'case' ? refId : refId * 2 + (kind === 'patronPersonal' ? 1 : 0);

/** Words of a query, as the index sees them: letters and digits, lower-cased, at most 8. */
export function queryTerms(q: string): string[] {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].filter((w) => w.length <= 60).slice(0, 8);
}

/** Text of a contact point in a form that matches its parts ("jane.doe@x.org" → jane doe x org). */
export function contactText(...values: Array<string | null | undefined>): string {
  const parts: string[] = [];
  for (const v of values) {
    if (!v) continue;
    parts.push(v);
    const words = v.match(/[\p{L}\p{N}]+/gu);
    if (words) parts.push(words.join(' '));
    const digits = v.replace(/\D/g, '');
    if (digits.length >= 4) parts.push(digits);
    // People type a local number without its area code: index the last seven digits too.
    if (digits.length > 7) parts.push(digits.slice(-7));
  }
  return parts.join(' ');
}

/** Documents longer than this are cut: a million-word thread is not searched word by word. */
export const MAX_DOC_CHARS = 100_000;
