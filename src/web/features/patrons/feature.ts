// Patrons on the desk: the patron list (everyone) and the duplicate review screen (not for
// volunteers) in the side navigation.
import { linkOptions } from '@tanstack/react-router';
import { defineFeature } from '../define.js';

export const feature = defineFeature({
  id: 'patrons',
  nav: [
    {
      id: 'patron-list',
      order: 690,
      group: '',
      label: 'Patrons',
      link: linkOptions({ to: '/patrons' }),
      roles: ['admin', 'supervisor', 'associate', 'volunteer'],
    },
    {
      id: 'patron-duplicates',
      order: 700,
      group: '',
      label: 'Duplicate patrons',
      link: linkOptions({ to: '/patrons/duplicates' }),
      roles: ['admin', 'supervisor', 'associate'],
    },
  ],
});
