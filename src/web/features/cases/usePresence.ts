// Presence on a case for the collision warning: announce "viewing" or "composing" every 15 s
// and at once when it changes, leave when the page closes, and read who else is here.
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { PresenceView } from '../../../contracts/live.js';
import { del, get, put, sendOnUnload } from '../../api/client.js';
import { keys } from '../../api/queries.js';

const RENEW_MS = 15_000;

export function usePresence(ref: string, composing: boolean): PresenceView['others'] {
  const queryClient = useQueryClient();
  const state = composing ? 'composing' : 'viewing';
  const path = `/api/cases/${encodeURIComponent(ref)}/presence`;

  useEffect(() => {
    const announce = () =>
      put<PresenceView>(path, { state })
        .then((view) => queryClient.setQueryData(keys.presence(ref), view))
        .catch(() => undefined); // presence is a courtesy: never bother the user about it
    void announce();
    const timer = setInterval(() => void announce(), RENEW_MS);
    return () => clearInterval(timer);
  }, [path, ref, state, queryClient]);

  useEffect(() => {
    // Leaving within the app unmounts this; closing or reloading the tab does not, so say
    // goodbye from pagehide too, with a request that survives the unload.
    const onHide = () => sendOnUnload('DELETE', path);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      void del(path).catch(() => undefined);
    };
  }, [path]);

  const others = useQuery({
    queryKey: keys.presence(ref),
    queryFn: () => get<PresenceView>(path),
    refetchInterval: 30_000,
  });
  return others.data?.others ?? [];
}
