// Promises on the desk: "My promises" (with the count of those overdue or due soon) and "Team
// promises" in the side navigation; any promise change refetches the promise lists on screen.
import { useQuery } from '@tanstack/react-query';
import { linkOptions } from '@tanstack/react-router';
import { promisesApi } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { defineFeature } from '../define.js';
import { promiseKeys } from './keys.js';

/** Who sees the team's promises and kept rates (the server refuses volunteers the team lists). */
export const TEAM_PROMISE_ROLES = ['admin', 'supervisor', 'associate'] as const;

function useDueCount() {
  const q = useQuery({ queryKey: promiseKeys.mine, queryFn: () => call(promisesApi.mine, { query: {} }), staleTime: 30_000 });
  if (!q.data) return undefined;
  const n = q.data.overdue.length + q.data.dueSoon.length;
  return n || undefined;
}

export const feature = defineFeature({
  id: 'promises',
  nav: [
    { id: 'promises.mine', order: 150, group: 'Promises', label: 'My promises', link: linkOptions({ to: '/promises' }), useBadge: useDueCount },
    {
      id: 'promises.team',
      order: 151,
      group: 'Promises',
      label: 'Team promises',
      link: linkOptions({ to: '/promises/team' }),
      roles: TEAM_PROMISE_ROLES,
    },
  ],
  live: {
    'promise.changed': () => [promiseKeys.all],
  },
});
