// In-app notifications: the bell's list and unread count (reused by every capability that
// tells a person something: promise reminders and escalations first).
import { z } from 'zod';
import { Count, Id, RefId } from './common.js';
import { endpoint } from './endpoint.js';

export const NotificationView = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.number(),
  read: z.boolean(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const UnreadCount = z.object({ unread: z.number(), unreadCapped: z.boolean() });
export type UnreadCount = z.infer<typeof UnreadCount>;

export const NotificationList = UnreadCount.extend({
  items: z.array(NotificationView),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.number().nullable(),
});
export type NotificationList = z.infer<typeof NotificationList>;

export const NotificationsQuery = z.object({ before: Id.optional(), limit: Count(1, 50, 20) });
export type NotificationsQuery = z.infer<typeof NotificationsQuery>;

export const MarkReadBody = z
  .object({ id: RefId.optional(), upTo: RefId.optional() })
  .refine((b) => !(b.id !== undefined && b.upTo !== undefined), { message: 'give one notification or upTo, not both', path: ['id'] });
export type MarkReadBody = z.infer<typeof MarkReadBody>;

export const notificationsApi = {
  list: endpoint({
    method: 'GET',
    path: '/api/notifications',
    tags: ['notifications'],
    summary: 'My notifications, newest first, with the unread count',
    query: NotificationsQuery,
    replies: { 200: NotificationList },
  }),
  unread: endpoint({ method: 'GET', path: '/api/notifications/unread', tags: ['notifications'], replies: { 200: UnreadCount } }),
  markRead: endpoint({
    method: 'POST',
    path: '/api/notifications/read',
    tags: ['notifications'],
    summary: 'Mark one notification read, or all up to an id, or all (empty body)',
    body: MarkReadBody,
    replies: { 200: UnreadCount },
  }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type NotificationViewInput = z.input<typeof NotificationView>;
export type UnreadCountInput = z.input<typeof UnreadCount>;
export type NotificationListInput = z.input<typeof NotificationList>;
export type NotificationsQueryInput = z.input<typeof NotificationsQuery>;
export type MarkReadBodyInput = z.input<typeof MarkReadBody>;
