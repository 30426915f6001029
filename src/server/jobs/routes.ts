// HTTP for the admin's job screen: list by state, retry a dead job, discard one. Admins only.
import { z } from 'zod';
import { Id, Ok, errorReplies } from '../../contracts/common.js';
import { JobPage, JobQuery, JobView } from '../../contracts/jobs.js';
import { ADMINS, actorOf } from '../platform/access.js';
import type { Platform } from '../platform/context.js';
import type { App } from '../platform/http.js';
import * as service from './service.js';

const IdParams = z.object({ id: Id });

export function jobsRoutes(app: App, p: Platform): void {
  app.get('/api/admin/jobs', {
    config: { roles: ADMINS },
    schema: {
      tags: ['admin'],
      summary: "The organization's and the system's jobs in one state, newest first",
      querystring: JobQuery,
      response: { 200: JobPage, ...errorReplies },
    },
    handler: async (req) => service.listJobs(p, actorOf(req), req.query),
  });

  app.post('/api/admin/jobs/:id/retry', {
    config: { roles: ADMINS },
    schema: {
      tags: ['admin'],
      summary: 'Run a dead job again, from its first attempt',
      params: IdParams,
      response: { 200: JobView, ...errorReplies },
    },
    handler: async (req) => service.retryJob(p, actorOf(req), req.params.id),
  });

  app.delete('/api/admin/jobs/:id', {
    config: { roles: ADMINS },
    schema: {
      tags: ['admin'],
      summary: 'Discard a queued or dead job',
      params: IdParams,
      response: { 200: Ok, ...errorReplies },
    },
    handler: async (req) => {
      await service.discardJobOf(p, actorOf(req), req.params.id);
      return { ok: true as const };
    },
  });
}
