// Patrons on the desk: the duplicate review screen in the side navigation (not for volunteers).
import { linkOptions } from '@tanstack/react-router';
import { defineFeature } from '../define.js';

export const feature = defineFeature({
  id: 'patrons',
  nav: [
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
