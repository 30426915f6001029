// Live reactions for cases: a colleague's change refetches the case (and says so when it is on
// screen); presence changes refetch who else is on it. Our own changes are already shown.
import { notifications } from '@mantine/notifications';
import { keys } from '../../api/queries.js';
import { defineFeature } from '../define.js';

export const feature = defineFeature({
  id: 'cases',
  live: {
    'case.changed': (e, { me, queryClient }) => {
      if (e.byUserId === me.id) return;
      const key = keys.case(e.ref);
      // A case is on screen when something watches its query.
      const onScreen = (queryClient.getQueryCache().find({ queryKey: key, exact: true })?.getObserversCount() ?? 0) > 0;
      if (onScreen) notifications.show({ id: `changed-${key[1]}`, message: `${key[1]} was just updated by a colleague.` });
      return [key];
    },
    presence: (e) => [keys.presence(e.ref)],
  },
});
