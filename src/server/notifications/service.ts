// In-app notifications: written in the transaction of the change that causes them (a job's, a
// use case's), announced live to their one recipient once committed; read and marked read.
import type { NotificationList } from '../../contracts/notifications.js';
import type { Actor } from '../platform/actor.js';
import type { Platform, TxContext } from '../platform/context.js';
import { inTransaction } from '../platform/tx.js';
import * as q from './queries.js';

export interface NewNotification {
  orgId: number;
  userId: number;
  /** What it is about, for filtering and icons: 'promise.reminder', 'promise.escalation', … */
  kind: string;
  title: string;
  body: string;
  /** A path inside the app (`/cases/SW-1042`). */
  link?: string | null;
  /** Once per person and key: a second call with the same key does nothing. */
  key?: string;
}

/** A new notification's row, its title and body cut to what the bell shows. */
const notificationRow = (n: NewNotification, now: number) => ({
  org_id: n.orgId,
  user_id: n.userId,
  kind: n.kind,
  title: n.title.slice(0, 200),
  body: n.body.slice(0, 2000),
  link: n.link ?? null,
  dedupe_key: n.key ?? null,
  created_at: now,
  read_at: null,
});

/** Returns the notification's id, or null when the key had already been used for this person. */
export async function notify(ctx: TxContext, n: NewNotification): Promise<number | null> {
  const id = await q.insertNotification(ctx.tx, notificationRow(n, ctx.clock.now()));
  if (id !== null) ctx.emit({ type: 'notification', orgId: n.orgId, userId: n.userId, audience: { userIds: [n.userId] } });
  return id;
}

/** Many at once (a batch of reminders): one statement; returns how many were new. */
export async function notifyMany(ctx: TxContext, list: readonly NewNotification[]): Promise<number> {
  const now = ctx.clock.now();
  const added = await q.insertNotifications(
    ctx.tx,
    list.map((n) => notificationRow(n, now)),
  );
  for (const r of added) ctx.emit({ type: 'notification', orgId: r.org_id, userId: r.user_id, audience: { userIds: [r.user_id] } });
  return added.length;
}

export const UNREAD_CAP = 100;

export async function listNotifications(p: Platform, actor: Actor, before: number | undefined, limit: number): Promise<NotificationList> {
  const [rows, unread] = await Promise.all([
    q.notificationsPage(p.db, actor.userId, before, limit + 1),
    q.unreadCount(p.db, actor.userId, UNREAD_CAP),
  ]);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, createdAt: r.created_at, read: r.read_at !== null })),
    unread,
    unreadCapped: unread >= UNREAD_CAP,
    nextBefore: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

export async function unread(p: Platform, actor: Actor) {
  const n = await q.unreadCount(p.db, actor.userId, UNREAD_CAP);
  return { unread: n, unreadCapped: n >= UNREAD_CAP };
}

/** Marks one, or every one up to an id (the newest the person saw), as read. */
export async function markRead(p: Platform, actor: Actor, input: { id?: number | undefined; upTo?: number | undefined }) {
  await inTransaction(p, async (ctx) => {
    const now = ctx.clock.now();
    if (input.id !== undefined) await q.markOneRead(ctx.tx, actor.userId, input.id, now);
    else await q.markRead(ctx.tx, actor.userId, input.upTo ?? null, now);
    ctx.emit({ type: 'notification', orgId: actor.orgId, userId: actor.userId, audience: { userIds: [actor.userId] } });
  });
  return unread(p, actor);
}
