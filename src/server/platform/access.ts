// Who may call what. Every route declares `config: { roles }`; one onRequest hook resolves the
// session and checks the role before anything else runs. A route without a declaration is
// refused (fail closed), and a test lists every route to make sure none is missing one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROLES } from '../../contracts/common.js';
import type { Role } from '../db/types.js';
import { AppError, forbidden, unauthorized } from './errors.js';
import type { Actor, Platform } from './context.js';
import { sha256 } from './passwords.js';

export type RoleRule = readonly Role[] | 'public';

export const ANY_STAFF: readonly Role[] = ROLES;
export const ADMINS: readonly Role[] = ['admin'];
export const PUBLIC = 'public' as const;

export const SESSION_COOKIE = 'sw_session';
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 5 * 60 * 1000;

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: RoleRule;
  }
  interface FastifyInstance {
    /** Every route and its role rule, as registered (the route-audit test reads it). */
    routeRules: Array<{ method: string; url: string; roles: RoleRule | undefined }>;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
}

/** Routes added by plugins (docs UI, static files) that cannot carry our config. */
const PLUGIN_PUBLIC_PREFIXES = ['/api/docs', '/assets/'];

export function installAccessControl(app: FastifyInstance, platform: Platform): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  const rules: FastifyInstance['routeRules'] = [];
  app.decorate('routeRules', rules);

  // Must run before any plugin adds routes, so that every route passes through here.
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { roles?: RoleRule };
    if (config.roles === undefined && PLUGIN_PUBLIC_PREFIXES.some((p) => route.url.startsWith(p))) {
      route.config = { ...config, roles: PUBLIC };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      rules.push({ method, url: route.url, roles: (route.config as { roles?: RoleRule } | undefined)?.roles });
    }
  });

  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const rule = request.routeOptions.config.roles;
    if (rule === undefined) {
      request.log.error({ url: request.routeOptions.url }, 'route has no role declaration');
      throw forbidden('This route has no access rule.');
    }
    if (rule === PUBLIC) return;
    const actor = await resolveSession(platform, request);
    if (!actor) throw unauthorized();
    if (!rule.includes(actor.role)) throw forbidden();
  });
}

async function resolveSession(platform: Platform, request: FastifyRequest): Promise<Actor | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || token.length > 100) return null;
  const id = sha256(token);
  const now = platform.clock.now();
  let session = platform.sessions.get(id, now);
  if (!session) {
    const row = await platform.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('organizations as o', 'o.id', 'u.org_id')
      .select([
        'o.case_prefix',
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
      .where('s.id', '=', id)
      .where('s.expires_at', '>', now)
      .where('u.deactivated_at', 'is', null)
      .executeTakeFirst();
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
      },
      lastSeenAt: row.last_seen_at,
      createdAt: row.session_created_at,
      expiresAt: row.expires_at,
      cachedAt: now,
    };
    platform.sessions.set(id, session);
  }
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
    // Sliding expiry, written at most every few minutes per session.
    const expiresAt = Math.min(now + SESSION_IDLE_MS, session.createdAt + SESSION_MAX_MS);
    await platform.db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: expiresAt })
      .where('id', '=', id)
      .execute();
    session.lastSeenAt = now;
    session.expiresAt = expiresAt;
  }
  request.sessionId = id;
  request.actor = { ...session.actor, ip: request.ip };
  return request.actor;
}

/** The actor of a route that declared staff roles (the hook has already checked it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError(401, 'unauthorized', 'Please sign in.');
  return request.actor;
}
