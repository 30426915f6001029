// HTTP for promises: make, keep, renegotiate; mine, team, on a case, on a patron; kept rate;
// a team's reminder settings.
import { promisesApi } from '../../contracts/promises.js';
import { ANY_STAFF, MANAGERS, STAFF_BUT_VOLUNTEERS } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as service from './service.js';

export function promiseRoutes(app: App, p: Platform): void {
  route(app, promisesApi.make, { roles: ANY_STAFF }, async (req) => service.makeOnCase(p, actorOf(req), req.params.ref, req.body));
  route(app, promisesApi.onCase, { roles: ANY_STAFF }, async (req) => service.onCase(p, actorOf(req), req.params.ref));
  route(app, promisesApi.onPatron, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    service.onPatron(p, actorOf(req), req.params.id, req.query.after),
  );
  route(app, promisesApi.mine, { roles: ANY_STAFF }, async (req) => service.mine(p, actorOf(req), req.query.userId));
  route(app, promisesApi.mineLater, { roles: ANY_STAFF }, async (req) =>
    service.mineLater(p, actorOf(req), req.query.userId, req.query.after),
  );
  route(app, promisesApi.team, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    service.team(p, actorOf(req), req.query.teamId, req.query.after),
  );
  route(app, promisesApi.keptRate, { roles: ANY_STAFF }, async (req) => service.keptRate(p, actorOf(req), req.query));
  route(app, promisesApi.get, { roles: ANY_STAFF }, async (req) => service.getPromise(p, actorOf(req), req.params.id));
  route(app, promisesApi.keep, { roles: ANY_STAFF }, async (req) =>
    service.keepPromise(p, actorOf(req), req.params.id, req.body.entryId),
  );
  route(app, promisesApi.renegotiate, { roles: ANY_STAFF }, async (req) =>
    service.renegotiate(p, actorOf(req), req.params.id, req.body),
  );
  route(app, promisesApi.settings, { roles: ANY_STAFF }, async (req) => service.settings(p, actorOf(req), req.params.teamId));
  route(app, promisesApi.saveSettings, { roles: MANAGERS }, async (req) =>
    service.saveSettings(p, actorOf(req), req.params.teamId, req.body),
  );
}
