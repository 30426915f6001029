// HTTP for organization settings, teams, users and the audit log. Admins only, except that
// every staff member may read the team list and the staff directory (pickers need them).
import { adminApi } from '../../contracts/admin.js';
import { ADMINS, ANY_STAFF } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as service from './service.js';

export function adminRoutes(app: App, p: Platform): void {
  route(app, adminApi.organization, { roles: ADMINS }, async (req) => service.getOrganization(p, actorOf(req)));
  route(app, adminApi.updateOrganization, { roles: ADMINS }, async (req) =>
    service.updateOrganization(p, actorOf(req), req.body),
  );
  route(app, adminApi.teams, { roles: ANY_STAFF }, async (req) => ({ items: await service.listTeams(p, actorOf(req)) }));
  route(app, adminApi.createTeam, { roles: ADMINS }, async (req) => service.createTeam(p, actorOf(req), req.body.name));
  route(app, adminApi.renameTeam, { roles: ADMINS }, async (req) =>
    service.renameTeam(p, actorOf(req), req.params.id, req.body.name),
  );
  route(app, adminApi.deleteTeam, { roles: ADMINS }, async (req) => {
    await service.deleteTeam(p, actorOf(req), req.params.id);
    return { ok: true as const };
  });
  route(app, adminApi.users, { roles: ANY_STAFF }, async (req) => ({ items: await service.staffDirectory(p, actorOf(req)) }));
  route(app, adminApi.adminUsers, { roles: ADMINS }, async (req) => ({ items: await service.listUsers(p, actorOf(req)) }));
  route(app, adminApi.createUser, { roles: ADMINS }, async (req) => service.createUser(p, actorOf(req), req.body));
  route(app, adminApi.updateUser, { roles: ADMINS }, async (req) =>
    service.updateUser(p, actorOf(req), req.params.id, req.body),
  );
  route(app, adminApi.audit, { roles: ADMINS }, async (req) => service.readAuditLog(p, actorOf(req), req.query));
}
