// HTTP for organization settings, teams, users and the audit log. Admins only, except that
// every staff member may read the team list (queues and case screens need it).
import { z } from 'zod';
import {
  AuditPage,
  AuditQuery,
  OrgUpdateBody,
  TeamBody,
  TeamList,
  TeamView,
  UserCreateBody,
  UserList,
  UserUpdateBody,
  UserView,
} from '../../contracts/admin.js';
import { OrgView } from '../../contracts/auth.js';
import { Id, Ok, errorReplies } from '../../contracts/common.js';
import { ADMINS, ANY_STAFF, actorOf } from '../platform/access.js';
import type { Platform } from '../platform/context.js';
import type { App } from '../platform/http.js';
import * as service from './service.js';

const IdParams = z.object({ id: Id });

export function adminRoutes(app: App, p: Platform): void {
  app.get('/api/admin/organization', {
    config: { roles: ADMINS },
    schema: { tags: ['admin'], response: { 200: OrgView, ...errorReplies } },
    handler: async (req) => service.getOrganization(p, actorOf(req)),
  });

  app.patch('/api/admin/organization', {
    config: { roles: ADMINS },
    schema: {
      tags: ['admin'],
      summary: 'Rename the organization, set its locale, time zone and default team',
      body: OrgUpdateBody,
      response: { 200: OrgView, ...errorReplies },
    },
    handler: async (req) => service.updateOrganization(p, actorOf(req), req.body),
  });

  app.get('/api/teams', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['admin'], response: { 200: TeamList, ...errorReplies } },
    handler: async (req) => ({ items: await service.listTeams(p, actorOf(req)) }),
  });

  app.post('/api/admin/teams', {
    config: { roles: ADMINS },
    schema: { tags: ['admin'], body: TeamBody, response: { 201: TeamView, ...errorReplies } },
    handler: async (req, reply) => reply.status(201).send(await service.createTeam(p, actorOf(req), req.body.name)),
  });

  app.patch('/api/admin/teams/:id', {
    config: { roles: ADMINS },
    schema: { tags: ['admin'], params: IdParams, body: TeamBody, response: { 200: TeamView, ...errorReplies } },
    handler: async (req) => service.renameTeam(p, actorOf(req), req.params.id, req.body.name),
  });

  app.delete('/api/admin/teams/:id', {
    config: { roles: ADMINS },
    schema: { tags: ['admin'], params: IdParams, response: { 200: Ok, ...errorReplies } },
    handler: async (req) => {
      await service.deleteTeam(p, actorOf(req), req.params.id);
      return { ok: true as const };
    },
  });

  // Staff directory for assignment pickers: every staff member may read names and roles.
  app.get('/api/users', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['admin'], response: { 200: UserList, ...errorReplies } },
    handler: async (req) => ({ items: await service.listUsers(p, actorOf(req)) }),
  });

  app.post('/api/admin/users', {
    config: { roles: ADMINS },
    schema: { tags: ['admin'], body: UserCreateBody, response: { 201: UserView, ...errorReplies } },
    handler: async (req, reply) => reply.status(201).send(await service.createUser(p, actorOf(req), req.body)),
  });

  app.patch('/api/admin/users/:id', {
    config: { roles: ADMINS },
    schema: {
      tags: ['admin'],
      summary: 'Change a user: name, role, team, active, or reset the password',
      params: IdParams,
      body: UserUpdateBody,
      response: { 200: UserView, ...errorReplies },
    },
    handler: async (req) => service.updateUser(p, actorOf(req), req.params.id, req.body),
  });

  app.get('/api/admin/audit', {
    config: { roles: ADMINS },
    schema: { tags: ['admin'], querystring: AuditQuery, response: { 200: AuditPage, ...errorReplies } },
    handler: async (req) => service.readAuditLog(p, actorOf(req), req.query),
  });
}
