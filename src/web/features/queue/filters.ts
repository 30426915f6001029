// Queue filters live in the URL: read with the contract's QueueFilters schema, turned into API
// queries and into the shape a saved view stores.
import type { z } from 'zod';
import { QUEUES, QueueFilters, type Queue, type QueueFiltersInput } from '../../../contracts/cases.js';
import { parseEach } from '../../lib/search-params.js';
import { keys } from '../../api/queries.js';

/** What a queue page keeps in its address: the queue is in the path, and "activity" is the default sort. */
const SearchFilters = QueueFilters.omit({ queue: true, patronId: true });
export type QueueSearch = Partial<z.output<typeof SearchFilters>>;

export function validateQueueSearch(raw: Record<string, unknown>): QueueSearch {
  const { sort, ...rest } = parseEach(SearchFilters, raw);
  return sort === 'age' ? { ...rest, sort } : rest;
}

export const isQueue = (v: string): v is Queue => (QUEUES as readonly string[]).includes(v);

export const toApiQuery = (queue: Queue, s: QueueSearch): QueueFiltersInput => ({ queue, ...s });

/** The cache key of a queue's pages (QueuePage reads them; the page's first view seeds them). */
export const queueListKey = (queue: Queue, s: QueueSearch) => [...keys.cases, 'list', toApiQuery(queue, s)] as const;

export const toSavedFilters = (queue: Queue, s: QueueSearch): QueueFilters => ({ queue, ...s, sort: s.sort ?? 'activity' });

export function fromSavedFilters(f: QueueFilters): { queue: Queue; search: QueueSearch } {
  const { queue, ...rest } = f;
  return { queue, search: validateQueueSearch(rest) };
}
