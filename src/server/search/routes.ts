// HTTP for search from anywhere.
import { errorReplies } from '../../contracts/common.js';
import { SearchQuery, SearchResult } from '../../contracts/search.js';
import { ANY_STAFF, actorOf } from '../platform/access.js';
import type { Platform } from '../platform/context.js';
import type { App } from '../platform/http.js';
import { search } from './service.js';

export function searchRoutes(app: App, p: Platform): void {
  app.get('/api/search', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['search'],
      summary: 'Ranked full-text search over cases and patrons; a reference or email jumps',
      querystring: SearchQuery,
      response: { 200: SearchResult, ...errorReplies },
    },
    handler: async (req) => search(p, actorOf(req), req.query),
  });
}
