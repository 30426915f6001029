// The queues in the side navigation, with their open-case counts, and the user's saved views;
// any case change refreshes the lists and counts on screen.
import { linkOptions } from '@tanstack/react-router';
import { QUEUES, QUEUE_LABELS, type Queue } from '../../../contracts/cases.js';
import { keys, useCounts } from '../../api/queries.js';
import { defineFeature, type NavItem } from '../define.js';
import { SavedViewsNav } from './SavedViewsNav.js';

/** The count beside a queue's name ("All cases" has none: it is not a work list). */
const countOf = (queue: Exclude<Queue, 'all'>) =>
  function useQueueCount() {
    return useCounts()?.[queue];
  };

const queues: NavItem[] = QUEUES.map((queue, i) => ({
  id: `queue.${queue}`,
  order: 100 + i,
  group: 'Queues',
  label: QUEUE_LABELS[queue],
  link: linkOptions({ to: '/queue/$queue', params: { queue } }),
  ...(queue === 'all' ? {} : { useBadge: countOf(queue) }),
}));

export const feature = defineFeature({
  id: 'queue',
  nav: [...queues, { id: 'queue.views', order: 200, component: SavedViewsNav }],
  live: {
    // Queue pages, filter counts, queue counts and a patron's case list all start with this key.
    'case.changed': () => [keys.cases],
  },
});
