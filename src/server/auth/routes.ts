// HTTP for signing in and out, the current session, CSRF tokens and first-time setup.
import type { FastifyReply } from 'fastify';
import { authApi } from '../../contracts/auth.js';
import type { RateLimits } from '../config.js';
import { ANY_STAFF, PUBLIC } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { SESSION_COOKIE, actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as service from './service.js';

export function authRoutes(app: App, p: Platform, opts: { secureCookies: boolean; rateLimits: RateLimits }): void {
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      path: '/',
      maxAge: service.SESSION_MAX_MS / 1000,
    });

  route(app, authApi.csrf, { roles: PUBLIC }, async (_req, reply) => ({ token: reply.generateCsrf() }));

  route(app, authApi.login, { roles: PUBLIC, rateLimit: opts.rateLimits.login }, async (req, reply) => {
    const { token, userId } = await service.login(p, { ...req.body, ip: req.ip });
    setSessionCookie(reply, token);
    return service.sessionView(p, userId);
  });

  route(app, authApi.logout, { roles: ANY_STAFF }, async (req, reply) => {
    await service.logout(p, req.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  route(app, authApi.session, { roles: ANY_STAFF }, async (req) => service.sessionView(p, actorOf(req).userId));

  route(app, authApi.changePassword, { roles: ANY_STAFF, rateLimit: opts.rateLimits.login }, async (req) => {
    await service.changePassword(p, actorOf(req), req.sessionId, req.body);
    return { ok: true as const };
  });

  route(app, authApi.setupStatus, { roles: PUBLIC }, async () => ({ needed: await service.setupNeeded(p) }));

  route(app, authApi.setup, { roles: PUBLIC, rateLimit: opts.rateLimits.login }, async (req, reply) => {
    const { token, userId } = await service.setup(p, { ...req.body, ip: req.ip });
    setSessionCookie(reply, token);
    return service.sessionView(p, userId);
  });
}
