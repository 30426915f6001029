// GET /healthz: 200 when the database answers, 503 when it does not.
import { z } from 'zod';
import { ping } from './admin/api.js';
import { PUBLIC } from './platform/actor.js';
import type { Platform } from './platform/context.js';
import type { App } from './platform/http/types.js';

const Health = z.object({ status: z.enum(['ok', 'degraded']), db: z.enum(['ok', 'down']) });

export function healthRoutes(app: App, p: Platform): void {
  app.get('/healthz', {
    config: { roles: PUBLIC },
    schema: { tags: ['health'], response: { 200: Health, 503: Health } },
    handler: async (_req, reply) => {
      try {
        await ping(p.db);
        return { status: 'ok' as const, db: 'ok' as const };
      } catch {
        return reply.status(503).send({ status: 'degraded', db: 'down' });
      }
    },
  });
}
