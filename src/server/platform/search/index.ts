// Full-text search: one interface and one inverted index of our own in ordinary tables, run by
// the same SQL on SQLite and PostgreSQL (see postings.ts and the README's design notes).
// Documents are written in the caller's transaction, so the index never drifts from the rows
// it describes. Cases, patrons and patrons' personal notes are separate kinds: a search of one
// never walks the others' postings, and a volunteer's search never touches personal notes.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { ParsedQuery } from './text.js';

export { MAX_DOC_CHARS, contactText, fold, parseQuery, type ParsedQuery } from './text.js';

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

export const hasCaseFilters = (f: CaseFilters) =>
  !!(f.status || f.teamId || f.from !== undefined || f.to !== undefined);

export interface SearchQuery {
  orgId: number;
  query: ParsedQuery;
  limit: number;
  offset: number;
}

export interface SearchIndex {
  upsert(tx: Kysely<Database>, doc: SearchDoc): Promise<void>;
  /** Many documents in one go (set-based statements): imports, re-indexing, generated data. */
  upsertMany(tx: Kysely<Database>, docs: SearchDoc[]): Promise<void>;
  remove(tx: Kysely<Database>, kind: DocKind, refId: number): Promise<void>;
  /**
   * The documents of a kind holding a word, read from the index itself and joined to nothing:
   * for tests that must see an orphaned document (a rollback, an erasure).
   */
  documentIds(db: Kysely<Database>, kind: DocKind, word: string): Promise<number[]>;
  /** Case ids, best first. */
  searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<number[]>;
  /** Patron ids by name and contacts, and (when allowed) by their personal notes. */
  searchPatrons(db: Kysely<Database>, q: SearchQuery & { includePersonal: boolean }): Promise<number[]>;
}

/**
 * How results are ranked, on both dialects: the query as a phrase in the title (an exact
 * subject match), then every word in the title, then every word anywhere; newest first within
 * a tier. Each tier walks postings newest first and stops at the page's end, so the cost
 * follows the page, not the number of matches.
 */
export type Tier = 'phrase' | 'title' | 'anywhere';
export const tiersFor = (q: ParsedQuery): Tier[] =>
  q.words.length > 1 ? ['phrase', 'title', 'anywhere'] : ['title', 'anywhere'];

/** Merges the tiers' id lists into one ranked page; each tier is asked for just enough ids. */
export async function rankByTiers(
  q: ParsedQuery,
  offset: number,
  limit: number,
  fetch: (tier: Tier, n: number) => Promise<number[]>,
): Promise<number[]> {
  if (!q.words.length) return [];
  const want = offset + limit;
  const ranked: number[] = [];
  const seen = new Set<number>();
  for (const tier of tiersFor(q)) {
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

/** Where a document's forward row lives: one table for every kind, keyed by id and kind. */
export const docKey = (kind: DocKind, refId: number) =>
  refId * 4 + (kind === 'case' ? 0 : kind === 'patron' ? 1 : 2);
