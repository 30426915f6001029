// HTTP for search from anywhere.
import { searchApi } from '../../contracts/search.js';
import { ANY_STAFF } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import { search } from './service.js';

export function searchRoutes(app: App, p: Platform): void {
  route(app, searchApi.search, { roles: ANY_STAFF }, async (req) => search(p, actorOf(req), req.query));
}
