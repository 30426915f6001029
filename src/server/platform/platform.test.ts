import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { ROLES } from '../../contracts/common.js';
import { ANY_STAFF } from './actor.js';
import { describeEachDialect } from '../testing/harness.js';
import { makeOrg } from '../testing/factories.js';
import { securityHeaders } from './http/security-headers.js';

describeEachDialect('the app', (h) => {
  it('declares a role rule on every registered route', () => {
    const rules = h().app.routeRules;
    expect(rules.length).toBeGreaterThan(30);
    const missing = rules.filter((r) => r.roles === undefined).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('matches the reviewed table of every route and the roles it lets in', async () => {
    // A widened role shows as a diff of this file in review. Update it with `vitest -u` only
    // on purpose. (HEAD routes mirror their GET and are left out.)
    const table = h()
      .app.routeRules.filter((r) => r.method !== 'HEAD')
      .map((r) => `${r.method.padEnd(6)} ${r.url.padEnd(44)} ${r.roles === 'public' ? 'public' : (r.roles ?? ['(none)']).join(', ')}`)
      .sort()
      .join('\n');
    await expect(`${table}\n`).toMatchFileSnapshot('./__snapshots__/routes.txt');
  });

  it('keeps every /api route except the public ones behind a sign-in', async () => {
    const open = h()
      .app.routeRules.filter((r) => r.url.startsWith('/api/') && r.roles === 'public' && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`);
    // A new public route must be added here on purpose.
    expect(open.filter((r) => !r.includes('/api/docs')).sort()).toEqual(
      [
        'GET /api/csrf',
        'GET /api/public/org',
        'GET /api/public/orgs/:org',
        'GET /api/public/status/:token',
        'GET /api/setup',
        'POST /api/auth/login',
        'POST /api/public/orgs/:org/cases',
        'POST /api/public/status/:token/messages',
        'POST /api/setup',
        'GET /api/public/orgs/:org/slots',
        'POST /api/public/orgs/:org/bookings',
      ].sort(),
    );
  });

  it('lets through exactly the roles each route declares', async () => {
    const org = await makeOrg(h());
    const routes = h().app.routeRules.filter((r) => Array.isArray(r.roles) && r.method !== 'HEAD' && r.url !== '/api/events');
    expect(routes.length).toBeGreaterThan(25);
    const url = (u: string) =>
      u.replace(':ref', 'SW-1001').replace(':noteId', '1').replace(':id', '1');
    let refused = 0;
    for (const role of ROLES) {
      const client = await org.as(role);
      for (const r of routes) {
        const allowed = (r.roles as readonly string[]).includes(role);
        // Never sign ourselves out or rename the org mid-test: a 403 check still runs first.
        if (allowed && (r.url === '/api/auth/logout' || r.method === 'DELETE' || r.method === 'PATCH' || r.method === 'POST')) continue;
        const res = await client.request(r.method as 'GET', url(r.url), r.method === 'GET' ? undefined : {});
        if (allowed) {
          expect([401, 403], `${role} ${r.method} ${r.url}`).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403);
          expect(res.json().error.code).toBe('forbidden');
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(20); // admin-only routes, each refused to three roles
  });

  it('answers 401 to every staff route without a session', async () => {
    const staffRoutes = h().app.routeRules.filter(
      (r) => Array.isArray(r.roles) && r.method === 'GET' && !r.url.includes(':'),
    );
    expect(staffRoutes.length).toBeGreaterThan(5);
    for (const r of staffRoutes) {
      const res = await h().app.inject({ method: 'GET', url: r.url });
      expect(res.statusCode, r.url).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('reports health with the database', async () => {
    const res = await h().app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const res = await h().app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const create = doc.paths['/api/cases'].post;
    expect(create.requestBody.content['application/json'].schema.properties.channel.enum).toContain('walk_in');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    const ui = await h().app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('turns bad JSON into a 400 with a message, not a crash', async () => {
    const org = await makeOrg(h());
    const client = await org.as('associate');
    const res = await h().app.inject({
      method: 'POST',
      url: '/api/cases',
      cookies: client.cookies,
      headers: { 'content-type': 'application/json', 'x-csrf-token': await client.csrfToken() },
      payload: '{"channel": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBeTruthy();
  });

  it('refuses a state change without a CSRF token', async () => {
    const org = await makeOrg(h());
    const client = await org.as('associate');
    const res = await client.request('POST', '/api/cases', { channel: 'phone' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf');
  });

  it('times every request in a Server-Timing header', async () => {
    const res = await h().app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['server-timing']).toMatch(/^app;dur=\d+\.\d{3}$/);
  });

  it('sends security headers', async () => {
    for (const url of ['/healthz', '/api/cases', '/api/no-such-route']) {
      const res = await h().app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(res.headers['content-security-policy'], url).toContain("style-src 'self' 'unsafe-inline'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      // HSTS and upgrade-insecure-requests follow the public address (http/http.test.ts).
    }
  });
});

describe('security headers', () => {
  it('are worked out once from helmet, and refuse a policy that needs the request', () => {
    const headers = securityHeaders({});
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(() =>
      securityHeaders({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", () => "'nonce-x'"] } } }),
    ).toThrow(/directive is a function/);
  });
});

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.smtpPort).toBe(2525);
    expect(c.database.sqliteFile).toMatch(/data\/servewell\.db$/);
    expect(c.seedDemo).toBeUndefined();
    expect(c.publicUrl).toBe('http://localhost:3000');
  });

  it('stops on a bad value and names it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
  });

  it('trusts a proxy by hop count or by address, never blindly', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,fd00::/8, loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['true', 'yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.org', '-1', '1.5']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/hop count|addresses/);
    // Every address, spelled as a range: refused at the start with the reason, never a crash later.
    for (const everyone of ['0.0.0.0/0', '::/0', '10.0.0.1, 0.0.0.0/00']) {
      expect(() => loadConfig({ TRUST_PROXY: everyone }), everyone).toThrow(/TRUST_PROXY.*any client/);
    }
  });

  it('reads PostgreSQL mode, the demo switch and secure cookies', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      SEED_DEMO: 'false',
      PUBLIC_URL: 'https://desk.example.org/',
    });
    expect(c.database.databaseUrl).toBe('postgres://u@h/db');
    expect(c.seedDemo).toBe(false);
    expect(c.publicUrl).toBe('https://desk.example.org');
    expect(c.secureCookies).toBe(true);
  });
});

describe('roles', () => {
  it('lists the four roles for staff routes', () => {
    expect([...ANY_STAFF].sort()).toEqual(['admin', 'associate', 'supervisor', 'volunteer']);
  });
});
