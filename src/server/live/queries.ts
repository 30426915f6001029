// SQL for presence on a case (the collision warning).
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';

export const othersOn = (db: Kysely<Database>, caseId: number, exceptUserId: number, now: number) =>
  db
    .selectFrom('case_presence as cp')
    .innerJoin('users as u', 'u.id', 'cp.user_id')
    .select(['cp.user_id', 'u.name', 'cp.state', 'cp.since'])
    .where('cp.case_id', '=', caseId)
    .where('cp.user_id', '!=', exceptUserId)
    .where('cp.expires_at', '>', now)
    .orderBy('cp.since')
    .limit(20)
    .execute();

export const myPresence = (db: Kysely<Database>, caseId: number, userId: number) =>
  db
    .selectFrom('case_presence')
    .select(['state', 'since', 'expires_at'])
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export async function dropExpiredPresence(tx: Kysely<Database>, caseId: number, now: number): Promise<void> {
  await tx.deleteFrom('case_presence').where('case_id', '=', caseId).where('expires_at', '<=', now).execute();
}

export async function upsertPresence(
  tx: Kysely<Database>,
  row: { caseId: number; userId: number; orgId: number; state: 'viewing' | 'composing'; since: number; expiresAt: number },
): Promise<void> {
  await tx
    .insertInto('case_presence')
    .values({
      case_id: row.caseId,
      user_id: row.userId,
      org_id: row.orgId,
      state: row.state,
      since: row.since,
      expires_at: row.expiresAt,
    })
    .onConflict((oc) =>
      oc.columns(['case_id', 'user_id']).doUpdateSet({ state: row.state, since: row.since, expires_at: row.expiresAt }),
    )
    .execute();
}

export const deletePresence = async (tx: Kysely<Database>, caseId: number, userId: number) =>
  Number(
    (await tx.deleteFrom('case_presence').where('case_id', '=', caseId).where('user_id', '=', userId).executeTakeFirst())
      .numDeletedRows,
  );
