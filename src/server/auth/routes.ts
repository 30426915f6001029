// HTTP for signing in and out, the current session, CSRF tokens and first-time setup.
import type { FastifyReply } from 'fastify';
import {
  ChangePasswordBody,
  CsrfView,
  LoginBody,
  SessionView,
  SetupBody,
  SetupStatus,
} from '../../contracts/auth.js';
import { Ok, errorReplies } from '../../contracts/common.js';
import { ANY_STAFF, PUBLIC, SESSION_COOKIE, SESSION_MAX_MS, actorOf } from '../platform/access.js';
import type { Platform } from '../platform/context.js';
import type { App } from '../platform/http.js';
import type { RateLimits } from '../app.js';
import * as service from './service.js';

export function authRoutes(
  app: App,
  p: Platform,
  opts: { secureCookies: boolean; rateLimits: RateLimits },
): void {
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      path: '/',
      maxAge: SESSION_MAX_MS / 1000,
    });

  app.get('/api/csrf', {
    config: { roles: PUBLIC },
    schema: { tags: ['auth'], summary: 'A CSRF token to send as x-csrf-token', response: { 200: CsrfView } },
    handler: async (_req, reply) => ({ token: reply.generateCsrf() }),
  });

  app.post('/api/auth/login', {
    config: { roles: PUBLIC, rateLimit: opts.rateLimits.login },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password',
      body: LoginBody,
      response: { 200: SessionView, ...errorReplies },
    },
    handler: async (req, reply) => {
      const { token, userId } = await service.login(p, { ...req.body, ip: req.ip });
      setSessionCookie(reply, token);
      return service.sessionView(p, userId);
    },
  });

  app.post('/api/auth/logout', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['auth'], summary: 'Sign out', response: { 200: Ok, ...errorReplies } },
    handler: async (req, reply) => {
      await service.logout(p, req.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  app.get('/api/session', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: SessionView, ...errorReplies } },
    handler: async (req) => service.sessionView(p, actorOf(req).userId),
  });

  app.post('/api/auth/password', {
    config: { roles: ANY_STAFF, rateLimit: opts.rateLimits.login },
    schema: {
      tags: ['auth'],
      summary: 'Change my password (ends my other sessions)',
      body: ChangePasswordBody,
      response: { 200: Ok, ...errorReplies },
    },
    handler: async (req) => {
      await service.changePassword(p, actorOf(req), req.sessionId, req.body);
      return { ok: true as const };
    },
  });

  app.get('/api/setup', {
    config: { roles: PUBLIC },
    schema: { tags: ['auth'], summary: 'Whether the first admin still has to be created', response: { 200: SetupStatus } },
    handler: async () => ({ needed: await service.setupNeeded(p) }),
  });

  app.post('/api/setup', {
    config: { roles: PUBLIC, rateLimit: opts.rateLimits.login },
    schema: {
      tags: ['auth'],
      summary: 'Create the organization and its first admin (only on an empty install)',
      body: SetupBody,
      response: { 200: SessionView, ...errorReplies },
    },
    handler: async (req, reply) => {
      const { token, userId } = await service.setup(p, { ...req.body, ip: req.ip });
      setSessionCookie(reply, token);
      return service.sessionView(p, userId);
    },
  });
}
