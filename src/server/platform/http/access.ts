// Who may call what. Every route declares `config: { roles }`; one onRequest hook resolves the
// session and checks the role before anything else runs. A route without a declaration is
// refused (fail closed), and a test snapshots every route with its rule.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PUBLIC, type Actor, type RoleRule } from '../actor.js';
import { forbidden, unauthorized } from '../errors.js';

export const SESSION_COOKIE = 'sw_session';

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

/** Finds the staff member behind a session cookie's token (the auth domain does). */
export type SessionResolver = (token: string) => Promise<{ actor: Actor; sessionId: string } | null>;

/** Routes added by plugins (docs UI, static files) that cannot carry our config. */
const PLUGIN_PUBLIC_PREFIXES = ['/api/docs', '/assets/'];

export function installAccessControl(app: FastifyInstance, resolve: SessionResolver): void {
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
    const token = request.cookies[SESSION_COOKIE];
    const found = token && token.length <= 100 ? await resolve(token) : null;
    if (!found) throw unauthorized();
    request.sessionId = found.sessionId;
    request.actor = { ...found.actor, ip: request.ip };
    if (!rule.includes(request.actor.role)) throw forbidden();
  });
}

/** The actor of a route that declared staff roles (the hook has already checked it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}
