// What the search page keeps in its address (read by the router before the page's chunk loads).
import type { z } from 'zod';
import { SearchQuery } from '../../../contracts/search.js';
import { parseEach } from '../../lib/search-params.js';

/** The contract's query, less the paging. */
const SearchParams = SearchQuery.pick({ q: true, status: true, teamId: true, from: true, to: true });
export type SearchSearch = Partial<z.output<typeof SearchParams>>;

export function validateSearchSearch(raw: Record<string, unknown>): SearchSearch {
  return parseEach(SearchParams, raw);
}
