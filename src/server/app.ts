// Builds the Fastify app: security plugins, the zod type provider, access control, every
// domain's routes, the OpenAPI document, and the web app's files. Used by main.ts and tests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { adminRoutes } from './admin/routes.js';
import { resolveSession } from './auth/api.js';
import { authRoutes } from './auth/routes.js';
import { caseRoutes } from './cases/routes.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './config.js';
import { helpcenterRoutes } from './helpcenter/routes.js';
import { jobsRoutes } from './jobs/routes.js';
import { slotRoutes, staffingRoutes } from './staffing/routes.js';
import { liveRoutes } from './live/routes.js';
import { mailRoutes } from './mail/routes.js';
import type { SmtpRelaySettings } from './platform/mailer/index.js';
import { patronRoutes } from './patrons/routes.js';
import { PUBLIC } from './platform/actor.js';
import type { Platform } from './platform/context.js';
import { rateLimited } from './platform/errors.js';
import { installAccessControl } from './platform/http/access.js';
import { installJsonBodyParser } from './platform/http/body.js';
import {
  clientErrorHandler,
  frameworkErrors,
  installErrorHandler,
  installNotFound,
  refuseNulCharacters,
  sendNotFound,
} from './platform/http/errors.js';
import { securityHeaders } from './platform/http/security-headers.js';
import type { App } from './platform/http/types.js';
import { sharedSecret } from './platform/index.js';
import { searchRoutes } from './search/routes.js';
import { sendShell, shellRoutes } from './shell/routes.js';
import { promiseRoutes } from './promises/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { healthRoutes } from './health.js';

export interface AppOptions {
  platform: Platform;
  secureCookies?: boolean;
  rateLimits?: Partial<RateLimits>;
  logger?: FastifyServerOptions['logger'];
  /** How many proxies are in front, or their addresses; never `true` (config.ts). */
  trustProxy?: false | number | string[];
  /** Folder of the built web app; null to serve the API only. */
  webRoot?: string | null;
  /** The install-wide relay (SMTP_RELAY_URL), shown on the admin's mail screen. */
  installRelay?: SmtpRelaySettings | null;
}

/** One access-log line per response, instead of Fastify's two lines per request. */
class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request failed');
    else reply.log.info(line, 'request');
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_ROOT = path.resolve(here, '../../dist/web');

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const trustHops = (n: number) => (_address: string, hop: number) => hop < n;

export async function buildApp(opts: AppOptions): Promise<App> {
  const p = opts.platform;
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits };
  const app = Fastify({
    logger: opts.logger ?? false,
    logController: new AccessLog(),
    // A hop count: trust the n nearest hops, take the address just beyond them (proxy-addr's
    // reading). Fastify 5.12 reads a number as "trust none", since a client that reaches the
    // app directly could forge the header; the README says to prefer addresses for that.
    trustProxy: typeof opts.trustProxy === 'number' ? trustHops(opts.trustProxy) : (opts.trustProxy ?? false),
    bodyLimit: 1024 * 1024,
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installJsonBodyParser(app);
  refuseNulCharacters(app);

  // Served over plain HTTP (a back-office PC on the LAN), `upgrade-insecure-requests` would
  // send the browser to https for every script, and HSTS would pin a scheme the server does not
  // speak: both only when the public address is https.
  const https = p.publicUrl.startsWith('https://');
  const security = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        // Mantine writes style attributes and style tags at run time.
        'style-src': ["'self'", "'unsafe-inline'"],
        // A message's HTML is shown in a sandboxed srcdoc frame, which inherits this policy; its
        // own policy (web/features/mail/MailFrame.tsx) admits remote images only once a person
        // asks for them, so the desk's must not stand in the way then. Over https, http images
        // are upgraded (upgrade-insecure-requests), so https: alone is enough.
        'img-src': ["'self'", 'data:', 'https:', ...(https ? [] : ['http:'])],
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    strictTransportSecurity: https,
  });
  // Security headers on every reply, and Server-Timing: what the server spent on a request
  // (read by the benchmark and by browsers). Callback hooks: no promise per request.
  app.addHook('onRequest', (req, reply, done) => {
    (req as { startedAt?: bigint }).startedAt = process.hrtime.bigint();
    reply.headers(security);
    done();
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    const t = (req as { startedAt?: bigint }).startedAt;
    if (t !== undefined) {
      reply.header('server-timing', `app;dur=${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(3)}`);
    }
    done(null, payload);
  });

  await app.register(cookie, { secret: await sharedSecret(p, 'cookie') });
  await app.register(csrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: !!opts.secureCookies },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => rateLimited(`Too many requests; try again in ${ctx.after}.`),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Servewell API',
        description:
          'The customer-service desk for nonprofits. Every state change needs the `x-csrf-token` header (GET /api/csrf).',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // Access control and CSRF hooks go in before any route exists, plugin routes included.
  installAccessControl(app, (token) => resolveSession(p, token));
  // CSRF on every state change, public forms included (after the role check, before the body).
  app.addHook('onRequest', (req, reply, done) => {
    if (!UNSAFE.has(req.method) || req.is404) return done();
    app.csrfProtection(req, reply, done);
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  healthRoutes(app, p);
  authRoutes(app, p, { secureCookies: !!opts.secureCookies, rateLimits });
  adminRoutes(app, p);
  caseRoutes(app, p);
  patronRoutes(app, p);
  helpcenterRoutes(app, p, { rateLimits });
  searchRoutes(app, p);
  liveRoutes(app, p);
  jobsRoutes(app, p);
  promiseRoutes(app, p);
  notificationRoutes(app, p);
  staffingRoutes(app, p);
  slotRoutes(app, p, { rateLimits });
  mailRoutes(app, p, { installRelay: opts.installRelay ?? null });

  const webRoot = opts.webRoot === undefined ? DEFAULT_WEB_ROOT : opts.webRoot;
  if (webRoot && fs.existsSync(path.join(webRoot, 'index.html'))) serveWebApp(app, p, webRoot);
  else installNotFound(app);
  return app;
}

/**
 * The built React app. Only the hashed assets are cached for good; the page shell (every app
 * route) is revalidated on each load, so an upgrade reaches browsers at once; a missing asset
 * is a 404, never the shell (a stale tab would run HTML as a script). The public pages get their
 * own shell (help.html, shell/routes.ts `sendShell`), which loads neither the desk nor its router.
 */
function serveWebApp(app: App, p: Platform, webRoot: string): void {
  app.register(fastifyStatic, {
    root: path.join(webRoot, 'assets'),
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    // The build writes each asset compressed beside itself (.br, .gz; vite.config.ts): sent as
    // the browser accepts, with Vary: Accept-Encoding, and never compressed per request.
    preCompressed: true,
  });
  app.get('/favicon.svg', { config: { roles: PUBLIC }, schema: { hide: true } }, (_req, reply) =>
    reply.sendFile('favicon.svg', webRoot, { immutable: false, maxAge: '1d' }),
  );
  shellRoutes(app, p, webRoot);
  installNotFound(app, (req, reply) => {
    if (req.url.startsWith('/assets/')) return sendNotFound(req, reply);
    return sendShell(req, reply, webRoot);
  });
}
