// Admin in the side navigation, for admins only.
import { linkOptions } from '@tanstack/react-router';
import { defineFeature } from '../define.js';

export const feature = defineFeature({
  id: 'admin',
  nav: [{ id: 'admin', order: 900, group: '', label: 'Admin', link: linkOptions({ to: '/admin' }), roles: ['admin'] }],
});
