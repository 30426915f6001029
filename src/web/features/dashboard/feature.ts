// The dashboard (C12, successes and failures), first in the side navigation for the staff who
// see the team's promises; for now it holds the promise-kept rate. Its figures are promise
// reads (['promises', 'rate', …]), which the promises feature refetches on any promise change.
import { linkOptions } from '@tanstack/react-router';
import { defineFeature } from '../define.js';
import { TEAM_PROMISE_ROLES } from '../promises/feature.js';

export const feature = defineFeature({
  id: 'dashboard',
  nav: [{ id: 'dashboard', order: 50, group: '', label: 'Dashboard', link: linkOptions({ to: '/dashboard' }), roles: TEAM_PROMISE_ROLES }],
});
