// SQL for sessions and sign-in state.
import type { Kysely } from 'kysely';
import { prepared, type Params } from '../db/prepared.js';
import type { Database } from '../db/types.js';

/** A live session with its user and organization (the access hook, once per request at most). */
export const sessionWithUser = prepared((db, param: Params<{ id: string; now: number }>) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organizations as o', 'o.id', 'u.org_id')
    .select([
      'o.case_prefix',
      'o.time_zone',
      's.last_seen_at',
      's.created_at as session_created_at',
      's.expires_at',
      'u.id',
      'u.org_id',
      'u.role',
      'u.name',
      'u.email',
      'u.team_id',
    ])
    .where('s.id', '=', param('id'))
    .where('s.expires_at', '>', param('now'))
    .where('u.deactivated_at', 'is', null),
);

export async function touchSession(db: Kysely<Database>, id: string, now: number, expiresAt: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function insertSession(
  tx: Kysely<Database>,
  row: { id: string; userId: number; now: number; expiresAt: number },
): Promise<void> {
  await tx
    .insertInto('sessions')
    .values({ id: row.id, user_id: row.userId, created_at: row.now, last_seen_at: row.now, expires_at: row.expiresAt })
    .execute();
}

/** Lock and deactivation state, under the row lock when asked (parallel sign-in attempts). */
export const signInState = (tx: Kysely<Database>, userId: number, lock: boolean) =>
  tx
    .selectFrom('users')
    .select(['locked_until', 'deactivated_at'])
    .where('id', '=', userId)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirstOrThrow();

/** Counts a failure in the database, not from a value read earlier: parallel guesses all count. */
export const countFailedLogin = async (tx: Kysely<Database>, userId: number) =>
  (
    await tx
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', userId)
      .returning('failed_logins')
      .executeTakeFirstOrThrow()
  ).failed_logins;

export async function lockUser(tx: Kysely<Database>, userId: number, until: number): Promise<void> {
  await tx.updateTable('users').set({ failed_logins: 0, locked_until: until }).where('id', '=', userId).execute();
}

export async function clearFailedLogins(tx: Kysely<Database>, userId: number): Promise<void> {
  await tx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

/**
 * Claims the first-time setup (the one row of setup_claims). Parallel setups queue on the key;
 * the first to commit wins, the others insert nothing and learn it here.
 */
export const claimSetup = async (tx: Kysely<Database>, now: number) =>
  !!(await tx
    .insertInto('setup_claims')
    .values({ id: 1, claimed_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst());

export async function setPassword(tx: Kysely<Database>, userId: number, hash: string, now: number): Promise<void> {
  await tx.updateTable('users').set({ password_hash: hash, password_changed_at: now }).where('id', '=', userId).execute();
}
