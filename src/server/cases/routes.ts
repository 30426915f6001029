// HTTP for cases: queues, counts, saved views, a case and its timeline.
import { casesApi } from '../../contracts/cases.js';
import { ADMINS, ANY_STAFF, STAFF_BUT_VOLUNTEERS } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as queue from './queue.js';
import * as service from './service.js';
import { toEntryView } from './views.js';

export function caseRoutes(app: App, p: Platform): void {
  route(app, casesApi.queue, { roles: ANY_STAFF }, async (req) => queue.listQueue(p, actorOf(req), req.query));
  route(app, casesApi.counts, { roles: ANY_STAFF }, async (req) => queue.queueCounts(p, actorOf(req)));
  route(app, casesApi.count, { roles: ANY_STAFF }, async (req) => queue.filterCount(p, actorOf(req), req.query));
  route(app, casesApi.create, { roles: ANY_STAFF }, async (req) => service.createCase(p, actorOf(req), req.body));
  route(app, casesApi.get, { roles: ANY_STAFF }, async (req) => service.getCase(p, actorOf(req), req.params.ref));
  route(app, casesApi.earlierEntries, { roles: ANY_STAFF }, async (req) => {
    const page = await service.earlierEntries(p, actorOf(req), req.params.ref, req.query.before, req.query.limit);
    return { entries: page.rows.map(toEntryView), earlierEntries: page.earlier };
  });
  route(app, casesApi.update, { roles: ANY_STAFF }, async (req) =>
    service.updateCase(p, actorOf(req), req.params.ref, req.body),
  );
  route(app, casesApi.addEntry, { roles: ANY_STAFF }, async (req) =>
    service.addEntry(p, actorOf(req), req.params.ref, req.body),
  );
  route(app, casesApi.rotateStatusLink, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    service.rotateStatusLink(p, actorOf(req), req.params.ref),
  );
  route(app, casesApi.delete, { roles: ADMINS }, async (req) => {
    await service.deleteCase(p, actorOf(req), req.params.ref);
    return { ok: true as const };
  });
  route(app, casesApi.views, { roles: ANY_STAFF }, async (req) => ({ items: await queue.listViews(p, actorOf(req)) }));
  route(app, casesApi.saveView, { roles: ANY_STAFF }, async (req) => queue.saveView(p, actorOf(req), req.body));
  route(app, casesApi.deleteView, { roles: ANY_STAFF }, async (req) => {
    await queue.deleteView(p, actorOf(req), req.params.id);
    return { ok: true as const };
  });
}
