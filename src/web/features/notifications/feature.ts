// In-app notifications: a new one (or one read on another tab) refetches the bell.
import { defineFeature } from '../define.js';
import { notificationKeys } from '../promises/keys.js';

export const feature = defineFeature({
  id: 'notifications',
  live: {
    notification: () => [notificationKeys.all],
  },
});
