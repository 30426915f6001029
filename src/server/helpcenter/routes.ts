// Public HTTP: the organization's help center data, the web form, the status page. No login;
// the web form and status replies are rate-limited per IP.
import { helpcenterApi } from '../../contracts/helpcenter.js';
import type { RateLimits } from '../config.js';
import { PUBLIC } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import type { FastifyReply } from 'fastify';
import { route, withStatus } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as service from './service.js';

/** A status page holds its token in the URL: never cached, never sent on as a Referer. */
const privateReply = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');

export function helpcenterRoutes(app: App, p: Platform, opts: { rateLimits: RateLimits }): void {
  route(app, helpcenterApi.org, { roles: PUBLIC }, async () => service.publicOrg(p, undefined));
  route(app, helpcenterApi.orgBySlug, { roles: PUBLIC }, async (req) => service.publicOrg(p, req.params.org));
  route(app, helpcenterApi.submitForm, { roles: PUBLIC, rateLimit: opts.rateLimits.publicForm }, async (req) => {
    const outcome = await service.submitWebForm(p, req.params.org, req.body);
    if (outcome.kind === 'discarded') {
      req.log.info({ ip: req.ip }, 'web form honeypot filled; discarded');
      return withStatus(202, { reference: null, statusUrl: null });
    }
    return { reference: outcome.reference, statusUrl: outcome.statusUrl };
  });
  route(app, helpcenterApi.status, { roles: PUBLIC }, async (req, reply) => {
    privateReply(reply);
    return service.caseStatus(p, req.params.token);
  });
  route(app, helpcenterApi.statusReply, { roles: PUBLIC, rateLimit: opts.rateLimits.publicForm }, async (req, reply) => {
    privateReply(reply);
    return service.replyOnStatusPage(p, req.params.token, req.body.message);
  });
}
