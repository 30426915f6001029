// The web app's page shell: every app route gets it (revalidated on each load, so an upgrade
// reaches browsers at once), and a queue gets it with its first view inside (first-view.ts).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { SESSION_COOKIE } from '../platform/http/access.js';
import type { App } from '../platform/http/types.js';
import { queueFirstView, shellWithFirstView } from './first-view.js';

/** The bare shell: the web app decides what to show (a patron's status page is never cached). */
export function sendShell(req: FastifyRequest, reply: FastifyReply, webRoot: string) {
  const status = req.url.startsWith('/status/');
  return reply
    .header('cache-control', status ? 'no-store' : 'no-cache')
    .header('referrer-policy', 'no-referrer')
    .sendFile('index.html', webRoot, { cacheControl: false });
}

/** The shell's text, read again only when the build has changed it. */
function shellText(webRoot: string): () => string {
  const file = path.join(webRoot, 'index.html');
  let cached = { mtimeMs: -1, text: '' };
  return () => {
    const { mtimeMs } = fs.statSync(file);
    if (mtimeMs !== cached.mtimeMs) cached = { mtimeMs, text: fs.readFileSync(file, 'utf8') };
    return cached.text;
  };
}

/** Compressed as the browser accepts (a first view is tens of kB; a slow line feels each one). */
function encoded(req: FastifyRequest, html: string): { body: Buffer; encoding: string | null } {
  const accepts = String(req.headers['accept-encoding'] ?? '');
  const raw = Buffer.from(html);
  if (/\bbr\b/.test(accepts)) {
    return { body: zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }), encoding: 'br' };
  }
  if (/\bgzip\b/.test(accepts)) return { body: zlib.gzipSync(raw, { level: 6 }), encoding: 'gzip' };
  return { body: raw, encoding: null };
}

export function shellRoutes(app: App, p: Platform, webRoot: string): void {
  const shell = shellText(webRoot);
  app.get('/queue/:queue', { config: { roles: PUBLIC }, schema: { hide: true } }, async (req, reply) => {
    const { queue } = req.params as { queue: string };
    // A filtered queue is the web app's to draw: the first view is the queue as it opens.
    if (req.url.includes('?')) return sendShell(req, reply, webRoot);
    let view = null;
    try {
      view = await queueFirstView(p, req.cookies[SESSION_COOKIE], queue);
    } catch (err) {
      // The page still works without its first view: the web app asks for the queue itself.
      req.log.error({ err }, 'first view of a queue failed');
    }
    if (!view) return sendShell(req, reply, webRoot);
    const { body, encoding } = encoded(req, shellWithFirstView(shell(), view));
    if (encoding) reply.header('content-encoding', encoding);
    // The page holds this person's cases: never stored, and different for each session.
    return reply
      .header('cache-control', 'no-store')
      .header('vary', 'accept-encoding, cookie')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(body);
  });
}
