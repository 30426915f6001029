// Live reactions for the open case: a colleague's change refetches it (and says so when it
// is on screen); presence changes refetch who else is on it. Our own changes are already shown.
import { notifications } from '@mantine/notifications';
import { keys } from '../../api/queries.js';
import { defineFeature } from '../define.js';

/** The case on screen, if any, from the address (/cases/SW-1042). */
const openCase = () => /^\/cases\/([^/]+)$/.exec(window.location.pathname)?.[1]?.toUpperCase();

export const feature = defineFeature({
  id: 'cases',
  live: {
    'case.changed': (e, { me }) => {
      if (e.byUserId === me.id) return;
      const ref = e.ref.toUpperCase();
      if (ref === openCase()) {
        notifications.show({ id: `changed-${ref}`, message: `${ref} was just updated by a colleague.` });
      }
      return [keys.case(ref)];
    },
    presence: (e) => [keys.presence(e.ref)],
  },
});
