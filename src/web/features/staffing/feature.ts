// The staffing planner in the side navigation (supervisors and admins), and the live warning:
// when arrivals outrun the staff on shift, the team queue's banner refetches.
import { linkOptions } from '@tanstack/react-router';
import { defineFeature } from '../define.js';
import { staffingKeys } from './keys.js';

export const feature = defineFeature({
  id: 'staffing',
  nav: [
    {
      id: 'staffing.planner',
      order: 300,
      group: 'Planning',
      label: 'Staffing planner',
      link: linkOptions({ to: '/staffing' }),
      roles: ['admin', 'supervisor'],
    },
  ],
  live: {
    'staffing.warning': (event) => [staffingKeys.warnings(event.teamId)],
  },
});
