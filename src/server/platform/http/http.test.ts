// The HTTP edge as a real office meets it: headers over plain HTTP and over https, what browsers
// may cache, bodies built to hurt, and one error shape for every refusal.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../contracts/common.js';
import { Client } from '../../testing/client.js';
import { logCall, makeOrg } from '../../testing/factories.js';
import { loadConfig } from '../../config.js';
import { describeEachDialect, dialects, makeHarness, type Harness } from '../../testing/harness.js';

/** A built web app in miniature: the shell, a hashed asset, the favicon. */
function fakeWebRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Servewell</title><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'help.html'), '<!doctype html><title>Help center</title><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log(1)');
  // The build's precompressed copies (vite.config.ts), told apart by their content here.
  fs.writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js.br'), 'BROTLI');
  fs.writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js.gz'), 'GZIP');
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
      // An email's remote images, once a person asks for them, load over either scheme.
      expect((await plain.app.inject({ method: 'GET', url: '/healthz' })).headers['content-security-policy']).toContain("img-src 'self' data: https: http:;");
    });

    it('sends both when the public address is https', async () => {
      const res = await secure.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(res.headers['content-security-policy']).toContain("img-src 'self' data: https:;");
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

    it('sends the precompressed asset the browser accepts', async () => {
      const asset = (encoding?: string) =>
        h.app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers: encoding ? { 'accept-encoding': encoding } : {} });
      const br = await asset('gzip, deflate, br');
      expect([br.statusCode, br.headers['content-encoding'], br.body]).toEqual([200, 'br', 'BROTLI']);
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const gz = await asset('gzip');
      expect([gz.headers['content-encoding'], gz.body]).toEqual(['gzip', 'GZIP']);
      const plain = await asset();
      expect([plain.headers['content-encoding'], plain.body]).toEqual([undefined, 'console.log(1)']);
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
      expect(res.body).toContain('<title>Help center</title>');
    });

    it('sends the public pages their own shell, and the desk its own', async () => {
      const shell = async (url: string) => {
        const res = await h.app.inject({ method: 'GET', url });
        expect([res.statusCode, res.headers['cache-control'], res.headers['referrer-policy']], url).toEqual([
          200,
          url.startsWith('/status/') ? 'no-store' : 'no-cache',
          'no-referrer',
        ]);
        return /<title>(.*)<\/title>/.exec(res.body)?.[1];
      };
      for (const url of ['/help', '/help/', '/help?x=1', '/help/some-org', '/help/some-org/contact', '/help/some-org/book', '/status/abc']) {
        expect(await shell(url), url).toBe('Help center');
      }
      for (const url of ['/', '/helpers', '/queue/open', '/login', '/statuses']) {
        expect(await shell(url), url).toBe('Servewell');
      }
    });
  });
}

for (const dialect of dialects()) {
  describe(`behind a reverse proxy [${dialect}]`, () => {
    let oneHop: Harness;
    let listed: Harness;
    const limits = { login: { max: 3, timeWindow: '1 minute' }, publicForm: { max: 2, timeWindow: '1 minute' } };
    beforeAll(async () => {
      // As configured from the environment: one proxy in front, or the proxies' addresses.
      oneHop = await makeHarness(dialect, { trustProxy: loadConfig({ TRUST_PROXY: '1' }).trustProxy, rateLimits: limits });
      listed = await makeHarness(dialect, { trustProxy: loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.7' }).trustProxy, rateLimits: limits });
    });
    afterAll(async () => {
      await oneHop?.close();
      await listed?.close();
    });

    /** A client 198.51.100.7 behind the proxy 10.0.0.1, forging a different left-most address each time. */
    const viaProxy = (h: Harness, i: number) =>
      h.app.inject({
        method: 'GET',
        url: '/api/csrf',
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-for': `203.0.113.${i}, 198.51.100.7` },
      });

    it('counts sign-in attempts per real client, whatever X-Forwarded-For claims, and audits the real address', async () => {
      for (const h of [oneHop, listed]) {
        const org = await makeOrg(h);
        const codes: number[] = [];
        for (let i = 0; i < 5; i++) {
          const csrf = await viaProxy(h, i);
          const res = await h.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            remoteAddress: '10.0.0.1',
            headers: { 'x-forwarded-for': `203.0.113.${i + 50}, 198.51.100.7`, 'x-csrf-token': csrf.json().token },
            cookies: Object.fromEntries(csrf.cookies.map((c) => [c.name, c.value])),
            payload: { email: org.users.associate.email, password: `wrong guess ${i}` },
          });
          codes.push(res.statusCode);
          if (res.statusCode === 429) expect(ErrorBody.strict().safeParse(res.json()).success).toBe(true);
        }
        expect(codes).toEqual([401, 401, 401, 429, 429]);
        const ips = await h.db.kysely.selectFrom('audit_log').select('ip').where('org_id', '=', org.orgId).execute();
        expect(ips.length).toBeGreaterThan(0);
        expect(new Set(ips.map((r) => r.ip))).toEqual(new Set(['198.51.100.7']));
      }
    });

    it('counts web forms per real client', async () => {
      const org = await makeOrg(oneHop);
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const csrf = await viaProxy(oneHop, i);
        const res = await oneHop.app.inject({
          method: 'POST',
          url: `/api/public/orgs/${org.slug}/cases`,
          remoteAddress: '10.0.0.1',
          headers: { 'x-forwarded-for': `203.0.113.${i + 80}, 198.51.100.9`, 'x-csrf-token': csrf.json().token },
          cookies: Object.fromEntries(csrf.cookies.map((c) => [c.name, c.value])),
          payload: { name: 'Bo', email: `bo${i}@example.org`, subject: 'Hello', message: 'Hi there' },
        });
        codes.push(res.statusCode);
      }
      expect(codes).toEqual([201, 201, 429, 429]);
    });

    it('ignores X-Forwarded-For from an address that is not a listed proxy', async () => {
      const res = await listed.app.inject({
        method: 'GET',
        url: '/api/csrf',
        remoteAddress: '203.0.113.200',
        headers: { 'x-forwarded-for': '198.51.100.1' },
      });
      expect(res.statusCode).toBe(200);
      // The address a failed sign-in is audited under is the socket's, not the header's.
      const org = await makeOrg(listed);
      const sign = await listed.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '203.0.113.200',
        headers: { 'x-forwarded-for': '198.51.100.1', 'x-csrf-token': res.json().token },
        cookies: Object.fromEntries(res.cookies.map((c) => [c.name, c.value])),
        payload: { email: org.users.admin.email, password: 'not the password' },
      });
      expect(sign.statusCode).toBe(401);
      const row = await listed.db.kysely.selectFrom('audit_log').select('ip').where('org_id', '=', org.orgId).executeTakeFirstOrThrow();
      expect(row.ip).toBe('203.0.113.200');
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
    const withContact = await admin.post(`/api/patrons/${patronId}/contacts`, { kind: 'email', value: 'empty.patch@example.org' });
    expect(withContact.statusCode).toBe(201);
    const contactId = (withContact.json().contacts as Array<{ id: number; value: string }>).find((c) => c.value === 'empty.patch@example.org')!.id;
    const withNeed = await admin.post(`/api/patrons/${patronId}/needs`, { title: 'Large-print programmes' });
    expect(withNeed.statusCode).toBe(201);
    const needId = (withNeed.json().needs as Array<{ id: number }>)[0]!.id;
    const urls: Record<string, string> = {
      '/api/admin/organization': '/api/admin/organization',
      '/api/admin/teams/:id': `/api/admin/teams/${org.teams.development}`,
      '/api/admin/users/:id': `/api/admin/users/${org.users.associate.id}`,
      '/api/cases/:ref': `/api/cases/${ref}`,
      '/api/patrons/:id': `/api/patrons/${patronId}`,
      '/api/patrons/:id/contacts/:contactId': `/api/patrons/${patronId}/contacts/${contactId}`,
      '/api/patrons/:id/needs/:needId': `/api/patrons/${patronId}/needs/${needId}`,
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

  it('parses ids strictly: digits only, in a path, a query or a body', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    for (const id of ['+1', '1e3', '0x10', '01', '1.0', '-1', '%201', '1%20', '2147483648', '99999999999', 'true']) {
      const res = await admin.get(`/api/patrons/${id}`);
      expect(res.statusCode, id).toBe(400);
      expect(res.json().error.field, id).toBe('id');
    }
    for (const q of ['teamId=1e3', 'teamId=%2B1', 'patronId=0x10', 'assigneeId=1.5', 'limit=%2B5', 'limit=1e1', 'limit=']) {
      const res = await admin.get(`/api/cases?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.field, q).toBe(q.split('=')[0]);
    }
    expect((await admin.get(`/api/cases?teamId=${org.teams.boxOffice}&limit=5`)).statusCode).toBe(200);
    expect((await admin.get('/api/patrons/2147483647')).statusCode).toBe(404);
  });

  it('takes a boolean only as a boolean, and never stores one as an id', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    // A saved view holds a queue's query, so an id there may come as digits in a string.
    for (const teamId of [true, false, '+1', 1.5, '0x10']) {
      const res = await associate.post('/api/views', { name: `View ${String(teamId)}`, filters: { teamId } });
      expect(res.statusCode, String(teamId)).toBe(400);
      expect(res.json().error.field).toBe('filters.teamId');
    }
    expect((await associate.get('/api/views')).json().items).toEqual([]);
    const admin = await org.as('admin');
    for (const active of [1, 'true', 'false', 0]) {
      const res = await admin.patch(`/api/admin/users/${org.users.volunteer.id}`, { active });
      expect(res.statusCode, String(active)).toBe(400);
      expect(res.json().error.field).toBe('active');
    }
  });

  it('answers every refusal in one shape, the framework’s own included', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const anonymous = new Client(h().app);
    const refusals: Array<[string, Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>, number]> = [
      ['malformed URL', h().app.inject({ method: 'GET', url: '/api/cases/%E0%A4%A' }), 400],
      ['malformed URL outside the API', h().app.inject({ method: 'GET', url: '/help/%E0%A4%A' }), 400],
      ['unknown route', h().app.inject({ method: 'GET', url: '/api/nothing-here' }), 404],
      ['unknown method', h().app.inject({ method: 'PUT', url: '/api/cases' }), 404],
      ['bad JSON', sendRaw(h(), associate, 'POST', '/api/cases', '{"channel": '), 400],
      ['empty JSON', sendRaw(h(), associate, 'POST', '/api/cases', ''), 400],
      ['too large', sendRaw(h(), associate, 'POST', '/api/cases', JSON.stringify({ body: 'x'.repeat(1_100_000) })), 413],
      ['unsupported type', sendRaw(h(), associate, 'POST', '/api/cases', '<case/>', 'application/xml'), 415],
      ['form encoding', sendRaw(h(), associate, 'POST', '/api/cases', 'channel=phone', 'application/x-www-form-urlencoded'), 415],
      ['no content type', h().app.inject({ method: 'POST', url: '/api/cases', cookies: associate.cookies, headers: { 'x-csrf-token': await associate.csrfToken() }, payload: 'x' }), 415],
      ['no CSRF token', h().app.inject({ method: 'POST', url: '/api/auth/login', payload: {} }), 403],
      ['forged CSRF token', h().app.inject({ method: 'POST', url: '/api/cases', cookies: associate.cookies, headers: { 'x-csrf-token': 'forged' }, payload: {} }), 403],
      ['no session', anonymous.get('/api/cases'), 401],
      ['wrong role', associate.get('/api/admin/audit'), 403],
      ['bad id', associate.get('/api/patrons/0x10'), 400],
    ];
    for (const [what, pending, status] of refusals) {
      const res = await pending;
      expect(res.statusCode, what).toBe(status);
      expect(res.headers['content-type'], what).toMatch(/^application\/json/);
      const body = JSON.parse(res.body) as unknown;
      expect(ErrorBody.strict().safeParse(body).success, `${what}: ${res.body}`).toBe(true);
    }
    // A request Node cannot even parse is answered on the socket, in the same shape.
    if (!h().app.server.listening) await h().app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h().app.server.address() as net.AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n'));
      let got = '';
      socket.on('data', (c) => (got += c.toString()));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(ErrorBody.strict().safeParse(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).success, raw).toBe(true);
  });
});

