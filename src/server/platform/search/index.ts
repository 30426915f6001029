// Full-text search: one interface, an FTS5 implementation for SQLite and a tsvector + GIN one
// for PostgreSQL. Documents are written in the caller's transaction, so the index never drifts
// from the rows it describes. A document id packs (ref id, kind): id = refId * 4 + kind.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';

export const DOC_KINDS = { case: 0, patron: 1, patronPersonal: 2 } as const;
export type DocKind = keyof typeof DOC_KINDS;

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

export interface Hit {
  refId: number;
  score: number;
}

export interface SearchIndex {
  upsert(tx: Kysely<Database>, doc: SearchDoc): Promise<void>;
  remove(tx: Kysely<Database>, kind: DocKind, refId: number): Promise<void>;
  searchCases(db: Kysely<Database>, q: SearchQuery & { filters: CaseFilters }): Promise<Hit[]>;
  /** Patrons by name/contacts, and (when allowed) by their personal notes. */
  searchPatrons(
    db: Kysely<Database>,
    q: SearchQuery & { includePersonal: boolean },
  ): Promise<Hit[]>;
}

export const docId = (kind: DocKind, refId: number) => refId * 4 + DOC_KINDS[kind];

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
