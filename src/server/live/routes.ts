// Live updates over Server-Sent Events, and presence on a case for the collision warning.
import type { FastifyReply } from 'fastify';
import { errorReplies } from '../../contracts/common.js';
import { liveApi } from '../../contracts/live.js';
import { ANY_STAFF } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { rateLimited } from '../platform/errors.js';
import type { BusEvent } from '../platform/events.js';
import { actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import { mayReceive } from './policy.js';
import * as service from './service.js';

const HEARTBEAT_MS = 20_000;
/** Streams end after this long; the browser reconnects, and its session is checked again. */
const STREAM_MAX_MS = 30 * 60_000;
export const MAX_STREAMS_PER_USER = 8;

export function liveRoutes(app: App, p: Platform): void {
  // Open streams per user on this instance: a runaway tab cannot hold unbounded connections.
  const streams = new Map<number, number>();
  // How to end each open stream: on close, so that a restart does not wait on open tabs (each
  // would hold the server for up to STREAM_MAX_MS). Browsers reconnect to the next instance.
  const enders = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of enders) end();
    done();
  });

  app.get('/api/events', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['live'],
      summary: 'Server-Sent Events: case changes and presence in my organization',
      response: { ...errorReplies },
    },
    handler: async (req, reply: FastifyReply) => {
      const actor = actorOf(req);
      // A HEAD asks what the stream would be: answer with its headers, and hold nothing open.
      if (req.method === 'HEAD') {
        return reply.status(200).header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send();
      }
      const open = streams.get(actor.userId) ?? 0;
      if (open >= MAX_STREAMS_PER_USER) {
        throw rateLimited('Too many live connections; close some tabs.');
      }
      streams.set(actor.userId, open + 1);
      reply.hijack();
      const res = reply.raw;
      // Everything set on the reply before the hijack (the security headers) carries over.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) res.setHeader(name, value);
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      const send = (event: BusEvent) => {
        if (event.type === 'sessions.revoked') {
          // Signed out, deactivated, changed: end the stream; the browser reconnects (or not).
          const mine =
            event.sessionId === req.sessionId || event.userId === actor.userId || event.orgId === actor.orgId;
          if (mine) res.end();
          return;
        }
        if (!mayReceive(actor, event)) return;
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      };
      const unsubscribe = p.events.subscribe(send);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const end = setTimeout(() => res.end(), STREAM_MAX_MS);
      // Ending the response leaves a keep-alive socket that close() would wait on: close it too.
      const endForClose = () => res.end(() => res.socket?.end());
      enders.add(endForClose);
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        enders.delete(endForClose);
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(end);
        const left = (streams.get(actor.userId) ?? 1) - 1;
        if (left > 0) streams.set(actor.userId, left);
        else streams.delete(actor.userId);
      };
      req.raw.on('close', stop);
      res.on('close', stop);
    },
  });

  route(app, liveApi.presence, { roles: ANY_STAFF }, async (req) => service.others(p, actorOf(req), req.params.ref));
  route(app, liveApi.announce, { roles: ANY_STAFF }, async (req) =>
    service.announce(p, actorOf(req), req.params.ref, req.body.state),
  );
  route(app, liveApi.leave, { roles: ANY_STAFF }, async (req) => {
    await service.leave(p, actorOf(req), req.params.ref);
    return { ok: true as const };
  });
}
