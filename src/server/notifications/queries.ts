// SQL for in-app notifications: insert once per key, a person's newest first, the unread count.
import type { Insertable, Kysely } from 'kysely';
import type { Database, NotificationsTable } from '../db/types.js';

/** Inserts, or does nothing when the person already has a notification with this key. */
export async function insertNotification(tx: Kysely<Database>, row: Insertable<NotificationsTable>): Promise<number | null> {
  const out = await tx
    .insertInto('notifications')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return out?.id ?? null;
}

/** Inserts many in one statement, leaving out those whose person already has the key; returns the new ones. */
export async function insertNotifications(tx: Kysely<Database>, rows: ReadonlyArray<Insertable<NotificationsTable>>) {
  if (!rows.length) return [];
  return tx
    .insertInto('notifications')
    .values([...rows])
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning(['id', 'org_id', 'user_id'])
    .execute();
}

export const notificationsPage = (db: Kysely<Database>, userId: number, before: number | undefined, limit: number) =>
  db
    .selectFrom('notifications')
    .select(['id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .$if(before !== undefined, (qb) => qb.where('id', '<', before!))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

/** Unread, capped: the bell shows "99+" past that, and the count never reads more rows. */
export async function unreadCount(db: Kysely<Database>, userId: number, cap: number): Promise<number> {
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .limit(cap)
    .execute();
  return rows.length;
}

export async function markRead(tx: Kysely<Database>, userId: number, upTo: number | null, now: number): Promise<void> {
  await tx
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .$if(upTo !== null, (qb) => qb.where('id', '<=', upTo!))
    .execute();
}

export async function markOneRead(tx: Kysely<Database>, userId: number, id: number, now: number): Promise<boolean> {
  const r = await tx
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
