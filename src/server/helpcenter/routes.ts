// Public HTTP: the organization's help center data, the web form, the status page. No login;
// the web form and status replies are rate-limited per IP.
import { errorReplies } from '../../contracts/common.js';
import {
  OrgSlugParams,
  PublicOrgView,
  StatusReplyBody,
  StatusToken,
  StatusView,
  WebFormBody,
  WebFormResult,
} from '../../contracts/helpcenter.js';
import type { RateLimits } from '../app.js';
import { PUBLIC } from '../platform/access.js';
import type { Platform } from '../platform/context.js';
import type { App } from '../platform/http.js';
import * as service from './service.js';

export function helpcenterRoutes(app: App, p: Platform, opts: { rateLimits: RateLimits }): void {
  app.get('/api/public/org', {
    config: { roles: PUBLIC },
    schema: {
      tags: ['public'],
      summary: 'The organization this desk serves (the first one)',
      response: { 200: PublicOrgView, ...errorReplies },
    },
    handler: async () => service.publicOrg(p, undefined),
  });

  app.get('/api/public/orgs/:org', {
    config: { roles: PUBLIC },
    schema: { tags: ['public'], params: OrgSlugParams, response: { 200: PublicOrgView, ...errorReplies } },
    handler: async (req) => service.publicOrg(p, req.params.org),
  });

  app.post('/api/public/orgs/:org/cases', {
    config: { roles: PUBLIC, rateLimit: opts.rateLimits.publicForm },
    schema: {
      tags: ['public'],
      summary: 'The public web form: opens a case and answers with its reference and status link',
      params: OrgSlugParams,
      body: WebFormBody,
      response: { 201: WebFormResult, 202: WebFormResult, ...errorReplies },
    },
    handler: async (req, reply) => {
      const outcome = await service.submitWebForm(p, req.params.org, req.body);
      if (outcome.kind === 'discarded') {
        req.log.info({ ip: req.ip }, 'web form honeypot filled; discarded');
        return reply.status(202).send({ reference: null, statusUrl: null });
      }
      return reply.status(201).send({ reference: outcome.reference, statusUrl: outcome.statusUrl });
    },
  });

  app.get('/api/public/status/:token', {
    config: { roles: PUBLIC },
    schema: {
      tags: ['public'],
      summary: "A patron's own case: the conversation, never internal notes",
      params: StatusToken,
      response: { 200: StatusView, ...errorReplies },
    },
    handler: async (req) => service.caseStatus(p, req.params.token),
  });

  app.post('/api/public/status/:token/messages', {
    config: { roles: PUBLIC, rateLimit: opts.rateLimits.publicForm },
    schema: {
      tags: ['public'],
      summary: 'The patron replies on their status page',
      params: StatusToken,
      body: StatusReplyBody,
      response: { 201: StatusView, ...errorReplies },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await service.replyOnStatusPage(p, req.params.token, req.body.message)),
  });
}
