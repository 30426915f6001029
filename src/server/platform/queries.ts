// SQL of the platform kernel: audit rows, shared secrets, housekeeping.
import type { Insertable, Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../db/types.js';

export async function insertAuditRow(tx: Kysely<Database>, row: Insertable<AuditLogTable>): Promise<void> {
  await tx.insertInto('audit_log').values(row).execute();
}

/** A secret shared by every instance on one database, made by whichever instance comes first. */
export async function sharedSecretValue(db: Kysely<Database>, name: string, fresh: string): Promise<string> {
  await db
    .insertInto('app_secrets')
    .values({ name, value: fresh })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: number): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function deleteExpiredPresence(db: Kysely<Database>, now: number): Promise<number> {
  const res = await db.deleteFrom('case_presence').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes one session, or every session of a user except `keep`. */
export async function deleteSessions(
  tx: Kysely<Database>,
  which: { sessionId: string } | { userId: number; keep?: string | null | undefined },
): Promise<void> {
  if ('sessionId' in which) {
    await tx.deleteFrom('sessions').where('id', '=', which.sessionId).execute();
    return;
  }
  let q = tx.deleteFrom('sessions').where('user_id', '=', which.userId);
  if (which.keep) q = q.where('id', '!=', which.keep);
  await q.execute();
}

