// The HTTP edge as a real office meets it: headers over plain HTTP and over https, what browsers
// may cache, bodies built to hurt, and one error shape for every refusal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../contracts/common.js';
import { Client } from '../../testing/client.js';
import { logCall, makeOrg } from '../../testing/factories.js';
import { describeEachDialect, dialects, makeHarness, type Harness } from '../../testing/harness.js';

/** A built web app in miniature: the shell, a hashed asset, the favicon. */
function fakeWebRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Servewell</title><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

for (const dialect of dialects()) {
  describe(`security headers follow the public address [${dialect}]`, () => {
    let plain: Harness;
    let secure: Harness;
    beforeAll(async () => {
      plain = await makeHarness(dialect, { publicUrl: 'http://192.0.2.2:3000' });
      secure = await makeHarness(dialect, { publicUrl: 'https://desk.example.org' });
    });
    afterAll(async () => {
      await plain?.close();
      await secure?.close();
    });

    it('sends neither upgrade-insecure-requests nor HSTS when served over plain http', async () => {
      for (const url of ['/healthz', '/api/cases', '/api/no-such-route']) {
        const res = await plain.app.inject({ method: 'GET', url });
        expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
        expect(res.headers['content-security-policy'], url).not.toContain('upgrade-insecure-requests');
        expect(res.headers['strict-transport-security'], url).toBeUndefined();
      }
    });

    it('sends both when the public address is https', async () => {
      const res = await secure.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    });
  });

  describe(`what browsers may cache [${dialect}]`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(dialect, { webRoot: fakeWebRoot() });
    });
    afterAll(() => h?.close());

    it('sends the page shell of every app route as no-cache, never immutable', async () => {
      for (const url of ['/', '/queue/open', '/cases/SW-1001', '/admin', '/help/some-org']) {
        const res = await h.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toMatch(/^text\/html/);
        expect(res.headers['cache-control'], url).toBe('no-cache');
      }
    });

    it('keeps only hashed assets for a year', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const icon = await h.app.inject({ method: 'GET', url: '/favicon.svg' });
      expect(icon.statusCode).toBe(200);
      expect(icon.headers['cache-control']).not.toMatch(/immutable/);
    });

    it('answers a missing asset with a 404, never the page shell', async () => {
      for (const url of ['/assets/index-Old00000.js', '/assets/index-Old00000.css', '/assets/']) {
        const res = await h.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-type'], url).toMatch(/^application\/json/);
        expect(ErrorBody.parse(res.json()).error.code, url).toBe('not_found');
        expect(res.headers['cache-control'] ?? '', url).not.toMatch(/immutable/);
      }
    });

    it('keeps a patron status page out of caches and out of Referer headers', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/status/abcdefghijklmnopqrstuvwxyz012345' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });
  });
}

/** A raw body sent as a signed-in (or anonymous) browser would, CSRF token included. */
async function sendRaw(h: Harness, client: Client, method: string, url: string, payload: string, contentType = 'application/json') {
  return h.app.inject({
    method: method as 'POST',
    url,
    cookies: client.cookies,
    headers: { 'content-type': contentType, 'x-csrf-token': await client.csrfToken() },
    payload,
  });
}

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describeEachDialect('the HTTP edge', (h) => {
  it('refuses a deeply nested JSON body with a 400 on every body route, anonymous ones included', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const anonymous = new Client(h().app);
    const bodyRoutes = h().app.routeRules.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
    expect(bodyRoutes.length).toBeGreaterThan(10);
    const fill = (url: string) =>
      url
        .replace(':ref', 'SW-1001')
        .replace(':org', org.slug)
        .replace(':token', 'abcdefghijklmnopqrstuvwxyz012345')
        .replace(/:[a-zA-Z]+/g, '1');
    for (const r of bodyRoutes) {
      const client = r.roles === 'public' ? anonymous : admin;
      for (const body of [nested(5000), `{"name":${nested(5000, '{"a":', '}').replace(/\}+$/, (m) => '1' + m)}}`]) {
        const res = await sendRaw(h(), client, r.method, fill(r.url), body);
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
        const error = ErrorBody.parse(res.json()).error;
        expect(error.code).toBe('invalid');
        expect(error.message).toMatch(/nested/);
      }
    }
  });

  it('refuses nesting past the bound cheaply, and lets ordinary nesting through to validation', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const started = process.hrtime.bigint();
    const huge = await sendRaw(h(), associate, 'POST', '/api/cases', nested(500_000));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(huge.statusCode).toBe(400);
    expect(ms).toBeLessThan(1000);
    // Nesting that a real request could hold reaches the schema, which names the field.
    const fine = await sendRaw(h(), associate, 'POST', '/api/cases', JSON.stringify({ channel: 'phone', tags: [[[['x']]]] }));
    expect(fine.statusCode).toBe(400);
    expect(fine.json().error.field).not.toBeUndefined();
    // Brackets inside strings are text, not nesting.
    const text = await sendRaw(h(), associate, 'POST', '/api/cases', JSON.stringify({ channel: 'phone', subject: '['.repeat(150), body: 'x', patron: { name: 'A' } }));
    expect(text.statusCode).toBe(201);
  });

  it('refuses an empty change on every PATCH route, and changes nothing', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const { ref } = await logCall(admin);
    const patronId = (await admin.get(`/api/cases/${ref}`)).json().patron.id;
    const urls: Record<string, string> = {
      '/api/admin/organization': '/api/admin/organization',
      '/api/admin/teams/:id': `/api/admin/teams/${org.teams.development}`,
      '/api/admin/users/:id': `/api/admin/users/${org.users.associate.id}`,
      '/api/cases/:ref': `/api/cases/${ref}`,
      '/api/patrons/:id': `/api/patrons/${patronId}`,
    };
    const patches = h().app.routeRules.filter((r) => r.method === 'PATCH').map((r) => r.url);
    expect(patches.sort()).toEqual(Object.keys(urls).sort());
    const auditRows = async () =>
      (await h().db.kysely.selectFrom('audit_log').select('id').where('org_id', '=', org.orgId).execute()).length;
    const before = await auditRows();
    for (const url of Object.values(urls)) {
      for (const body of [{}, { nmae: 'typo', colour: 'blue' }]) {
        const res = await admin.patch(url, body);
        expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
        const error = ErrorBody.parse(res.json()).error;
        expect(error.code).toBe('invalid');
        // A team's one field is required, so its refusal names it instead.
        if (url.includes('/teams/')) expect(error.field).toBe('name');
        else expect(error.message, url).toMatch(/^Invalid body: Nothing to change; send at least one of /);
      }
    }
    expect(await auditRows()).toBe(before);
  });
});

