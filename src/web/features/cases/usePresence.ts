// Presence on a case for the collision warning: announce "viewing" or "composing" every 15 s
// and at once when it changes, leave when the page closes, and read who else is here.
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { liveApi, type PresenceView } from '../../../contracts/live.js';
import { call, sendOnUnload } from '../../api/client.js';
import { keys } from '../../api/queries.js';

const RENEW_MS = 15_000;

export function usePresence(ref: string, composing: boolean): PresenceView['others'] {
  const queryClient = useQueryClient();
  const state = composing ? 'composing' : 'viewing';

  useEffect(() => {
    const announce = () =>
      call(liveApi.announce, { params: { ref }, body: { state } })
        .then((view) => queryClient.setQueryData(keys.presence(ref), view))
        .catch(() => undefined); // presence is a courtesy: never bother the user about it
    void announce();
    const timer = setInterval(() => void announce(), RENEW_MS);
    return () => clearInterval(timer);
  }, [ref, state, queryClient]);

  useEffect(() => {
    // Leaving within the app unmounts this; closing or reloading the tab does not, so say
    // goodbye from pagehide too, with a request that survives the unload.
    const onHide = () => sendOnUnload(liveApi.leave, { params: { ref } });
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      void call(liveApi.leave, { params: { ref } }).catch(() => undefined);
    };
  }, [ref]);

  const others = useQuery({
    queryKey: keys.presence(ref),
    queryFn: () => call(liveApi.presence, { params: { ref } }),
    refetchInterval: 30_000,
  });
  return others.data?.others ?? [];
}
