// HTTP for the admin's job screen: list by state, retry a dead job, discard one. Admins only.
import { jobsApi } from '../../contracts/jobs.js';
import { ADMINS } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as service from './service.js';

export function jobsRoutes(app: App, p: Platform): void {
  route(app, jobsApi.list, { roles: ADMINS }, async (req) => service.listJobs(p, actorOf(req), req.query));
  route(app, jobsApi.retry, { roles: ADMINS }, async (req) => service.retryJob(p, actorOf(req), req.params.id));
  route(app, jobsApi.discard, { roles: ADMINS }, async (req) => {
    await service.discardJobOf(p, actorOf(req), req.params.id);
    return { ok: true as const };
  });
}
