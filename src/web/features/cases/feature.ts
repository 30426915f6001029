// Live reactions for cases: a colleague's change refetches the case and is said beside it on
// the case's page (no toast over the patron panel); presence changes refetch who else is on it.
// Our own changes are already shown.
import { keys } from '../../api/queries.js';
import { defineFeature } from '../define.js';

export const feature = defineFeature({
  id: 'cases',
  live: {
    'case.changed': (e, { me, queryClient }) => {
      if (e.byUserId === me.id) return;
      const key = keys.case(e.ref);
      // Read by the case's page ("Jordan changed this case 10 s ago").
      queryClient.setQueryData(keys.caseChangedBy(e.ref), { byUserId: e.byUserId, at: Date.now() });
      return [key];
    },
    presence: (e) => [keys.presence(e.ref)],
  },
});
