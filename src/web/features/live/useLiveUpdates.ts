// Live updates over Server-Sent Events. Each event goes to the handlers features registered
// for its type (features/registry.ts); the query keys they name are refetched together, at
// most every half second, so a burst of changes costs one refetch per list on screen.
import { useEffect } from 'react';
import { hashKey, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { Me } from '../../../contracts/auth.js';
import { LiveEvent } from '../../../contracts/live.js';
import { LIVE_EVENTS_PATH } from '../../api/client.js';
import type { LiveContext, LiveEventType } from '../define.js';
import { liveEventTypes, liveHandlersFor } from '../registry.js';

const DEBOUNCE_MS = 500;

export function useLiveUpdates(me: Me): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(LIVE_EVENTS_PATH);
    const ctx: LiveContext = { me, queryClient };
    const pending = new Map<string, QueryKey>();
    let timer: ReturnType<typeof setTimeout> | null = null;

    const flush = () => {
      timer = null;
      for (const queryKey of pending.values()) void queryClient.invalidateQueries({ queryKey });
      pending.clear();
    };

    const dispatch = (type: LiveEventType, raw: string) => {
      let parsed: ReturnType<typeof LiveEvent.safeParse>;
      try {
        parsed = LiveEvent.safeParse(JSON.parse(raw));
      } catch {
        return; // not JSON: nothing a handler could use
      }
      if (!parsed.success || parsed.data.type !== type) return;
      const event = parsed.data;
      for (const handle of liveHandlersFor(type)) {
        // The handler for this type receives the event of this type (checked just above).
        const keys = (handle as (e: LiveEvent, c: LiveContext) => readonly QueryKey[] | void)(event, ctx);
        for (const key of keys ?? []) pending.set(hashKey(key), key);
      }
      if (pending.size) timer ??= setTimeout(flush, DEBOUNCE_MS);
    };

    for (const type of liveEventTypes) {
      source.addEventListener(type, (ev) => dispatch(type, (ev as MessageEvent<string>).data));
    }
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient, me]);
}
