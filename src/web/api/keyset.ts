// A keyset-paged list read page by page: each page names the cursor of the next one (`after`,
// `before`), never an offset. The shape <DataTable> takes.
import { useCallback, useMemo } from 'react';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

export interface KeysetList<T> {
  items: T[];
  /** The first page has not come yet. */
  isPending: boolean;
  error: unknown;
  hasMore: boolean;
  isLoadingMore: boolean;
  loadMore: () => void;
}

interface Options<P, T, C> {
  queryKey: QueryKey;
  /** Reads one page; `cursor` is undefined for the first. */
  page: (cursor: C | undefined) => Promise<P>;
  /** Pass a function defined once (module level): the list is rebuilt when it changes. */
  items: (page: P) => T[];
  /** The next page's cursor, or null at the end. */
  next: (page: P) => C | null;
  enabled?: boolean;
}

export function useKeysetList<P, T, C>({ queryKey, page, items, next, enabled = true }: Options<P, T, C>): KeysetList<T> {
  const q = useInfiniteQuery({
    queryKey,
    // The page parameter is what getNextPageParam returned (or the initial undefined).
    queryFn: ({ pageParam }) => page(pageParam as C | undefined),
    initialPageParam: undefined as C | undefined,
    getNextPageParam: (last) => next(last) ?? undefined,
    enabled,
  });
  const { fetchNextPage } = q;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const all = useMemo(() => q.data?.pages.flatMap(items) ?? [], [q.data, items]);
  return {
    items: all,
    isPending: q.isPending && enabled,
    error: q.error,
    hasMore: q.hasNextPage,
    isLoadingMore: q.isFetchingNextPage,
    loadMore,
  };
}
