// Live updates over Server-Sent Events: when a case changes, refresh queues, counts and the
// open case (debounced); when presence changes, refresh who else is on that case.
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import type { LiveEvent } from '../../../contracts/live.js';
import { keys } from '../../api/queries.js';

type CaseChanged = Extract<LiveEvent, { type: 'case.changed' }>;
type Presence = Extract<LiveEvent, { type: 'presence' }>;

const DEBOUNCE_MS = 500;

export function useLiveUpdates(myUserId: number): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    let timer: ReturnType<typeof setTimeout> | null = null;
    const changedByOthers = new Set<string>();

    const flush = () => {
      timer = null;
      void queryClient.invalidateQueries({ queryKey: keys.cases });
      const open = /^\/cases\/([^/]+)$/.exec(window.location.pathname)?.[1]?.toUpperCase();
      for (const ref of changedByOthers) {
        void queryClient.invalidateQueries({ queryKey: keys.case(ref) });
        // Someone else's change to the case on screen is news; our own is not.
        if (ref === open) {
          notifications.show({ id: `changed-${ref}`, message: `${ref} was just updated by a colleague.` });
        }
      }
      changedByOthers.clear();
    };

    source.addEventListener('case.changed', (ev) => {
      const data = JSON.parse((ev as MessageEvent<string>).data) as CaseChanged;
      if (data.byUserId !== myUserId) changedByOthers.add(data.ref.toUpperCase());
      timer ??= setTimeout(flush, DEBOUNCE_MS);
    });
    source.addEventListener('presence', (ev) => {
      const data = JSON.parse((ev as MessageEvent<string>).data) as Presence;
      void queryClient.invalidateQueries({ queryKey: keys.presence(data.ref) });
    });

    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient, myUserId]);
}
