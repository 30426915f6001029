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
import { PUBLIC_PAGE } from '../../contracts/routes.js';
import { queueFirstView, shellWithFirstView } from './first-view.js';

/** The bare shell: the web app decides what to show (a patron's status page is never cached). */
export function sendShell(req: FastifyRequest, reply: FastifyReply, webRoot: string) {
  const status = req.url.startsWith('/status/');
  return reply
    .header('cache-control', status ? 'no-store' : 'no-cache')
    .header('referrer-policy', 'no-referrer')
    // The public pages have a shell of their own, without the desk (web/help.html, issue 9).
    .sendFile(PUBLIC_PAGE.test(req.url) ? 'help.html' : 'index.html', webRoot, { cacheControl: false });
}

/** A file of the build, read again only when the build has changed it (null where absent). */
function builtFile<T>(file: string, read: (text: string) => T): () => T | null {
  let cached: { mtimeMs: number; value: T | null } = { mtimeMs: -1, value: null };
  return () => {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      return null;
    }
    if (mtimeMs !== cached.mtimeMs) cached = { mtimeMs, value: read(fs.readFileSync(file, 'utf8')) };
    return cached.value;
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

/** Vite's build manifest: for each source module, its file and the chunks it imports. */
type Manifest = Record<string, { file: string; imports?: string[]; css?: string[]; isEntry?: boolean }>;

/** What the desk draws a queue with: its frame and the queue screen (src/web/router.tsx). */
const QUEUE_SCREEN = ['components/AppLayout.tsx', 'features/queue/QueuePage.tsx'];

/**
 * Every script and stylesheet the given screens load, beyond what the page's entry already
 * names: the entry's scripts are in the shell, and the rest would otherwise be found one round
 * trip after another (the entry runs, the router asks for the screen, the screen for its parts).
 */
export function filesOf(manifest: Manifest, screens: string[]): { scripts: string[]; styles: string[] } {
  const entry = new Set<string>();
  const walk = (key: string, into: Set<string>) => {
    if (into.has(key) || !manifest[key]) return;
    into.add(key);
    for (const k of manifest[key].imports ?? []) walk(k, into);
  };
  // The desk's entry only: the public pages' (help.html) is never in the same page.
  walk('index.html', entry);
  const needed = new Set<string>();
  for (const screen of screens) walk(screen, needed);
  const keys = [...needed].filter((k) => !entry.has(k));
  return {
    scripts: keys.map((k) => `/${manifest[k]!.file}`),
    styles: [...new Set(keys.flatMap((k) => manifest[k]!.css ?? []))].map((f) => `/${f}`),
  };
}

export function shellRoutes(app: App, p: Platform, webRoot: string): void {
  const shell = builtFile(path.join(webRoot, 'index.html'), (t) => t);
  // The build's record of which files each screen needs (vite.config.ts: build.manifest).
  const queueFiles = builtFile(path.join(webRoot, '.vite', 'manifest.json'), (t) =>
    filesOf(JSON.parse(t) as Manifest, QUEUE_SCREEN),
  );
  const firstView = async (req: FastifyRequest, reply: FastifyReply, queue: string | null) => {
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
    const html = shell();
    if (html === null) return sendShell(req, reply, webRoot);
    const { body, encoding } = encoded(req, shellWithFirstView(html, view, queueFiles() ?? undefined));
    if (encoding) reply.header('content-encoding', encoding);
    // The page holds this person's cases: never stored, and different for each session.
    return reply
      .header('cache-control', 'no-store')
      .header('vary', 'accept-encoding, cookie')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(body);
  };
  const page = { config: { roles: PUBLIC }, schema: { hide: true } };
  app.get('/queue/:queue', page, (req, reply) => firstView(req, reply, (req.params as { queue: string }).queue));
  // The desk's front door opens on the person's own first queue (the web app then shows its address).
  app.get('/', page, (req, reply) => firstView(req, reply, null));
}
