// Signing in and out, sessions, password changes, and the first-admin setup.
import type { SessionView } from '../../contracts/auth.js';
import { createOrganization, findOrg, findUser, findUserById, anyUser, insertUser, toOrgView, usersWithEmail } from '../admin/api.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform, TxContext } from '../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.js';
import { dummyPasswordHash, hashPassword, randomToken, sha256, verifyPassword } from '../platform/passwords.js';
import { endSessions } from '../platform/sessions.js';
import { inTransaction } from '../platform/tx.js';
import * as q from './queries.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** Sliding expiry is written at most this often per session. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

async function createSession(ctx: TxContext, userId: number): Promise<string> {
  const token = randomToken(32);
  const now = ctx.clock.now();
  await q.insertSession(ctx.tx, {
    id: sha256(token),
    userId,
    now,
    expiresAt: now + Math.min(SESSION_IDLE_MS, SESSION_MAX_MS),
  });
  return token;
}

/**
 * The staff member behind a session cookie's token, from the instance's cache when it can
 * (see platform/sessions.ts), with the sliding expiry written every few minutes.
 */
export async function resolveSession(p: Platform, token: string): Promise<{ actor: Actor; sessionId: string } | null> {
  const id = sha256(token);
  const now = p.clock.now();
  let session = p.sessions.get(id, now);
  if (!session) {
    const row = await q.sessionWithUser.first(p.db, { id, now });
    if (!row) return null;
    session = {
      actor: {
        userId: row.id,
        orgId: row.org_id,
        role: row.role,
        name: row.name,
        email: row.email,
        teamId: row.team_id,
        casePrefix: row.case_prefix,
        timeZone: row.time_zone,
      },
      lastSeenAt: row.last_seen_at,
      createdAt: row.session_created_at,
      expiresAt: row.expires_at,
      cachedAt: now,
    };
    p.sessions.set(id, session);
  }
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
    const expiresAt = Math.min(now + SESSION_IDLE_MS, session.createdAt + SESSION_MAX_MS);
    await q.touchSession(p.db, id, now, expiresAt);
    session.lastSeenAt = now;
    session.expiresAt = expiresAt;
  }
  return { actor: session.actor, sessionId: id };
}

/**
 * One answer for an unknown email, a wrong password, a locked or a deactivated account, after
 * the same password-hashing work, so that the answer does not tell whether an account exists.
 */
const badCredentials = () =>
  new AppError(
    'bad_credentials',
    `That email and password do not match an account. After ${MAX_FAILED_LOGINS} failed attempts an account is locked for ${LOCKOUT_MS / 60000} minutes; an admin can reset the password.`,
  );

/**
 * Signs in. An email is unique within an organization, not across them: the accounts with
 * this email (a handful at most) are each checked, and the one the password opens is signed
 * in. If it opens several, the answer names the organizations (to whoever knows the
 * password) and asks for one. Each account's failures count against that account alone,
 * and an unknown email costs the same hashing work as a known one.
 */
export async function login(
  p: Platform,
  input: { email: string; password: string; organization?: string | undefined; ip: string },
): Promise<{ token: string; userId: number }> {
  const accounts = await usersWithEmail(p.db, input.email, input.organization);
  // Verify outside any transaction: argon2 is deliberately slow, and an open transaction would
  // hold SQLite's single writer for that long.
  const opened: boolean[] = [];
  for (const user of accounts) opened.push(await verifyPassword(user.password_hash, input.password));
  if (!accounts.length) await verifyPassword(await dummyPasswordHash(), input.password);
  const opens = accounts.filter((_, i) => opened[i]);
  // A deactivated or locked account among them is not a choice to offer.
  const now = p.clock.now();
  const usable = opens.filter((u) => u.deactivated_at === null && !(u.locked_until !== null && u.locked_until > now));
  if (usable.length > 1) {
    const names = usable.map((u) => `${u.org_name} (${u.org_slug})`).join(', ');
    throw badRequest(`is needed: this email and password open accounts in ${names}`, 'organization');
  }
  const matches = usable.length === 1 ? usable : opens;
  const outcome = await inTransaction(p, async (ctx) => {
    const base = { actorId: null, ip: input.ip, detail: { email: input.email } };
    if (!accounts.length) {
      await audit(ctx, { ...base, orgId: null, action: 'login.failed' });
      return null;
    }
    // Either the one account the password opens, or a failure against every candidate.
    let signedIn: { token: string; userId: number } | null = null;
    for (const user of matches.length ? matches : accounts) {
      const target = { ...base, orgId: user.org_id, targetType: 'user', targetId: user.id };
      // Re-read under the row lock: a parallel attempt may have counted a failure or locked it.
      const state = await q.signInState(ctx.tx, user.id, ctx.lockRows);
      const now = ctx.clock.now();
      if (state.deactivated_at !== null) {
        await audit(ctx, { ...target, action: 'login.failed', detail: { ...base.detail, reason: 'deactivated' } });
      } else if (state.locked_until !== null && state.locked_until > now) {
        await audit(ctx, { ...target, action: 'login.refused_locked' });
      } else if (!matches.length) {
        const failed = await q.countFailedLogin(ctx.tx, user.id);
        const locks = failed >= MAX_FAILED_LOGINS;
        if (locks) await q.lockUser(ctx.tx, user.id, now + LOCKOUT_MS);
        await audit(ctx, { ...target, action: locks ? 'login.locked' : 'login.failed' });
      } else if (!signedIn) {
        await q.clearFailedLogins(ctx.tx, user.id);
        const token = await createSession(ctx, user.id);
        await audit(ctx, { ...target, actorId: user.id, action: 'login.succeeded', detail: undefined });
        signedIn = { token, userId: user.id };
      }
    }
    return signedIn;
  });
  // A failed attempt is committed (counted and audited) before the refusal goes out.
  if (!outcome) throw badCredentials();
  return outcome;
}

export async function logout(p: Platform, sessionId: string | null): Promise<void> {
  if (!sessionId) return;
  await inTransaction(p, (ctx) => endSessions(ctx, { sessionId }));
}

/** What the web app needs to know about the signed-in user and their organization. */
export async function sessionView(p: Platform, userId: number): Promise<SessionView> {
  const user = await findUserById(p.db, userId);
  const org = user && (await findOrg(p.db, user.org_id));
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
  const user = await findUser(p.db, actor.orgId, actor.userId);
  if (!user) throw notFound('User');
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw badRequest('is not your current password', 'currentPassword');
  }
  if (input.currentPassword === input.newPassword) {
    throw badRequest('must differ from the current password', 'newPassword');
  }
  const hash = await hashPassword(input.newPassword);
  await inTransaction(p, async (ctx) => {
    await q.setPassword(ctx.tx, actor.userId, hash, ctx.clock.now());
    // Other sessions (another browser, a lost laptop) end; this one stays.
    await endSessions(ctx, { userId: actor.userId, keep: sessionId });
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'password.changed',
      targetType: 'user',
      targetId: actor.userId,
      ip: actor.ip,
    });
  });
}

export const setupNeeded = async (p: Platform) => !(await anyUser(p.db));

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
  return inTransaction(p, async (ctx) => {
    const already = () => conflict('Servewell is already set up; sign in instead.');
    if (!(await q.claimSetup(ctx.tx, ctx.clock.now()))) throw already();
    // An install set up before the claim existed (or seeded with the demo) has users already.
    if (await anyUser(ctx.tx)) throw already();
    const org = await createOrganization(ctx, {
      name: input.organizationName,
      timeZone: input.timeZone,
      locale: input.locale,
    });
    const user = await insertUser(
      ctx,
      org.id,
      { email: input.email, name: input.name, role: 'admin', password: input.password },
      hash,
    );
    await audit(ctx, {
      orgId: org.id,
      actorId: user.id,
      action: 'setup.completed',
      targetType: 'organization',
      targetId: org.id,
      ip: input.ip,
    });
    return { token: await createSession(ctx, user.id), userId: user.id };
  });
}
