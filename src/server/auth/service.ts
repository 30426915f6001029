// Signing in and out, sessions, password changes, and the first-admin setup.
import type { Kysely } from 'kysely';
import type { SessionView } from '../../contracts/auth.js';
import type { Database } from '../db/types.js';
import { createOrganization, insertUser, toOrgView } from '../admin/service.js';
import * as admin from '../admin/queries.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../platform/access.js';
import { audit } from '../platform/audit.js';
import { needsRowLocks, type Actor, type Platform } from '../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.js';
import {
  dummyPasswordHash,
  hashPassword,
  randomToken,
  sha256,
  verifyPassword,
} from '../platform/passwords.js';
import { inTransaction } from '../platform/tx.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

async function createSession(tx: Kysely<Database>, userId: number, now: number): Promise<string> {
  const token = randomToken(32);
  await tx
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: now + Math.min(SESSION_IDLE_MS, SESSION_MAX_MS),
    })
    .execute();
  return token;
}

/**
 * One answer for an unknown email, a wrong password, a locked or a deactivated account, after
 * the same password-hashing work, so that the answer does not tell whether an account exists.
 */
const badCredentials = () =>
  new AppError(
    401,
    'bad_credentials',
    `That email and password do not match an account. After ${MAX_FAILED_LOGINS} failed attempts an account is locked for ${LOCKOUT_MS / 60000} minutes; an admin can reset the password.`,
  );

export async function login(
  p: Platform,
  input: { email: string; password: string; ip: string },
): Promise<{ token: string; userId: number }> {
  const user = await admin.findUserByEmail(p.db, input.email);
  // Verify outside any transaction: argon2 is deliberately slow, and an open transaction would
  // hold SQLite's single writer for that long.
  const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
  const now = p.clock.now();

  const outcome = await inTransaction(p, async (tx) => {
    const base = { actorId: null, ip: input.ip, at: now, detail: { email: input.email } };
    if (!user) {
      await audit(tx, { ...base, orgId: null, action: 'login.failed' });
      return null;
    }
    const target = { ...base, orgId: user.org_id, targetType: 'user', targetId: user.id };
    // Re-read under the row lock: a parallel attempt may have counted a failure or locked it.
    const state = await tx
      .selectFrom('users')
      .select(['locked_until', 'deactivated_at'])
      .where('id', '=', user.id)
      .$if(needsRowLocks(p), (qb) => qb.forUpdate())
      .executeTakeFirstOrThrow();
    if (state.deactivated_at !== null) {
      await audit(tx, { ...target, action: 'login.failed', detail: { ...base.detail, reason: 'deactivated' } });
      return null;
    }
    if (state.locked_until !== null && state.locked_until > now) {
      await audit(tx, { ...target, action: 'login.refused_locked' });
      return null;
    }
    if (!ok) {
      // Counted in the database, not from a value read earlier: parallel guesses all count.
      const { failed_logins } = await tx
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      const locks = failed_logins >= MAX_FAILED_LOGINS;
      if (locks) {
        await tx
          .updateTable('users')
          .set({ failed_logins: 0, locked_until: now + LOCKOUT_MS })
          .where('id', '=', user.id)
          .execute();
      }
      await audit(tx, { ...target, action: locks ? 'login.locked' : 'login.failed' });
      return null;
    }
    await tx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    const token = await createSession(tx, user.id, now);
    await audit(tx, { ...target, actorId: user.id, action: 'login.succeeded', detail: undefined });
    return { token, userId: user.id };
  });
  // A failed attempt is committed (counted and audited) before the refusal goes out.
  if (!outcome) throw badCredentials();
  return outcome;
}

export async function logout(p: Platform, sessionId: string | null): Promise<void> {
  if (!sessionId) return;
  await inTransaction(p, async (tx, emit) => {
    await tx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    emit({ type: 'sessions.revoked', sessionId });
  });
}

/** What the web app needs to know about the signed-in user and their organization. */
export async function sessionView(p: Platform, userId: number): Promise<SessionView> {
  const user = await p.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  const org = user && (await admin.findOrg(p.db, user.org_id));
  if (!user || !org) throw notFound('User');
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, teamId: user.team_id },
    org: toOrgView(org),
  };
}

export async function changePassword(
  p: Platform,
  actor: Actor,
  sessionId: string | null,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await admin.findUser(p.db, actor.orgId, actor.userId);
  if (!user) throw notFound('User');
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw badRequest('is not your current password', 'currentPassword');
  }
  if (input.currentPassword === input.newPassword) {
    throw badRequest('must differ from the current password', 'newPassword');
  }
  const hash = await hashPassword(input.newPassword);
  await inTransaction(p, async (tx, emit) => {
    const now = p.clock.now();
    await tx
      .updateTable('users')
      .set({ password_hash: hash, password_changed_at: now })
      .where('id', '=', actor.userId)
      .execute();
    // Other sessions (another browser, a lost laptop) end; this one stays.
    let others = tx.deleteFrom('sessions').where('user_id', '=', actor.userId);
    if (sessionId) others = others.where('id', '!=', sessionId);
    await others.execute();
    emit({ type: 'sessions.revoked', userId: actor.userId });
    await audit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'password.changed',
      targetType: 'user',
      targetId: actor.userId,
      ip: actor.ip,
      at: now,
    });
  });
}

export const setupNeeded = async (p: Platform) => !(await admin.anyUser(p.db));

/** First start without the demo: create the organization and its first admin, once. */
export async function setup(
  p: Platform,
  input: {
    organizationName: string;
    name: string;
    email: string;
    password: string;
    timeZone?: string | undefined;
    locale?: string | undefined;
    ip: string;
  },
): Promise<{ token: string; userId: number }> {
  const hash = await hashPassword(input.password);
  return inTransaction(p, async (tx) => {
    if (await admin.anyUser(tx)) throw conflict('Servewell is already set up; sign in instead.');
    const now = p.clock.now();
    const org = await createOrganization(
      tx,
      { name: input.organizationName, timeZone: input.timeZone, locale: input.locale },
      now,
    );
    const user = await insertUser(
      tx,
      org.id,
      { email: input.email, name: input.name, role: 'admin', password: input.password },
      now,
      hash,
    );
    await audit(tx, {
      orgId: org.id,
      actorId: user.id,
      action: 'setup.completed',
      targetType: 'organization',
      targetId: org.id,
      ip: input.ip,
      at: now,
    });
    return { token: await createSession(tx, user.id, now), userId: user.id };
  });
}
