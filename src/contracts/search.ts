// Search from anywhere: ranked cases and patrons, with the matching words marked.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { Count, Day as day, Id } from './common.js';
import { CaseSummary, Status } from './cases.js';
import { PatronSummary } from './patrons.js';

/** Text cut into pieces, the matching words marked: rendered without any HTML. */
export const Highlighted = z.array(z.object({ text: z.string(), hit: z.boolean() }));
export type Highlighted = z.infer<typeof Highlighted>;

export const SearchQuery = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(200),
  status: Status.optional(),
  teamId: Id.optional(),
  /** Cases created on or after this day (organization's time zone). */
  from: day.optional(),
  /** Cases created on or before this day. */
  to: day.optional(),
  /** Search results are ranked, so paging is by position; bounded to keep it cheap. */
  offset: Count(0, 500, 0),
  limit: Count(1, 50, 20),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const CaseHit = z.object({ case: CaseSummary, subject: Highlighted, snippet: Highlighted });
export const PatronHit = z.object({
  patron: PatronSummary,
  name: Highlighted,
  /** Email and phone, once, with the matching words marked. */
  contact: Highlighted,
  /** Where a personal note matched (never for volunteers); empty otherwise. */
  snippet: Highlighted,
  /** The match came from a personal note (never for volunteers). */
  fromPersonalNote: z.boolean(),
});

export const SearchResult = z
  .object({
    /** A reference or an email that names exactly one thing: go straight there. */
    direct: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('case'), ref: z.string() }),
        z.object({ kind: z.literal('patron'), id: z.number() }),
      ])
      .nullable(),
    terms: z.array(z.string()),
    cases: z.array(CaseHit),
    patrons: z.array(PatronHit),
    nextOffset: z.number().nullable(),
  })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof SearchResult>;

export type SearchQueryInput = z.input<typeof SearchQuery>;
export type CaseHit = z.output<typeof CaseHit>;
export type PatronHit = z.output<typeof PatronHit>;

export const searchApi = {
  search: endpoint({
    method: 'GET',
    path: '/api/search',
    tags: ['search'],
    summary: 'Ranked full-text search over cases and patrons; a reference or email jumps',
    query: SearchQuery,
    replies: { 200: SearchResult },
  }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type CaseHitInput = z.input<typeof CaseHit>;
export type HighlightedInput = z.input<typeof Highlighted>;
export type PatronHitInput = z.input<typeof PatronHit>;
export type SearchResultInput = z.input<typeof SearchResult>;
