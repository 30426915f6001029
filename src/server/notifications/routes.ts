// HTTP for notifications: my list, my unread count, mark read.
import { notificationsApi } from '../../contracts/notifications.js';
import { ANY_STAFF } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as service from './service.js';

export function notificationRoutes(app: App, p: Platform): void {
  route(app, notificationsApi.list, { roles: ANY_STAFF }, async (req) =>
    service.listNotifications(p, actorOf(req), req.query.before, req.query.limit),
  );
  route(app, notificationsApi.unread, { roles: ANY_STAFF }, async (req) => service.unread(p, actorOf(req)));
  route(app, notificationsApi.markRead, { roles: ANY_STAFF }, async (req) => service.markRead(p, actorOf(req), req.body));
}
