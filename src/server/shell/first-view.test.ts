// The queue's first view, sent with the page: what it shows is what the API would answer the
// same person, nothing when there is no session, and nothing a case's words could break out of.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logCall, makeOrg, type TestOrg } from '../testing/factories.js';
import { dialects, makeHarness, type Harness } from '../testing/harness.js';
import type { Client } from '../testing/client.js';
import { BOOT_ID, shellWithFirstView, type FirstView } from './first-view.js';
import { filesOf } from './routes.js';

/** A built shell in miniature, shaped as Vite writes it: scripts and a stylesheet in the head. */
function fakeWebRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-fv-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><title>Servewell</title>' +
      '<script type="module" crossorigin src="/assets/index-Ab12.js"></script>' +
      '<link rel="stylesheet" crossorigin href="/assets/index-Cd34.css">' +
      '</head><body><div id="root"></div></body></html>',
  );
  return dir;
}

const HOSTILE = `</script><script>alert(1)</script> <img src=x onerror=alert(2)> $& $' "quoted" & more`;

/** The JSON the page carries for the web app. */
function bootOf(html: string): unknown {
  const m = new RegExp(`<script type="application/json" id="${BOOT_ID}">(.*?)</script>`, 's').exec(html);
  return m ? JSON.parse(m[1]!) : null;
}

const rowsOf = (html: string) => [...html.matchAll(/<tr class="data-row">.*?<span class="sw-fv-ref">([^<]+)<\/span>/g)].map((m) => m[1]);

for (const dialect of dialects()) {
  describe(`a queue's first view [${dialect}]`, () => {
    let h: Harness;
    let org: TestOrg;
    let other: TestOrg;
    let associate: Client;
    beforeAll(async () => {
      h = await makeHarness(dialect, { webRoot: fakeWebRoot() });
      org = await makeOrg(h);
      other = await makeOrg(h, { prefix: 'OT' });
      associate = await org.as('associate');
      for (let i = 0; i < 3; i++) await logCall(associate, { subject: `Matinee seats, group ${i}` });
      await logCall(associate, { subject: HOSTILE });
      await logCall(await other.as('associate'), { subject: 'Another organization’s case' });
    });
    afterAll(() => h?.close());

    const page = (client: Client | null, url: string, headers: Record<string, string> = {}) =>
      h.app.inject({ method: 'GET', url, cookies: client?.cookies ?? {}, headers });

    it('shows the first page of the queue the API would give the same person, in its order', async () => {
      for (const role of ['associate', 'volunteer', 'supervisor'] as const) {
        const client = await org.as(role);
        for (const queue of ['open', 'mine', 'unassigned']) {
          const res = await page(client, `/queue/${queue}`);
          expect(res.statusCode).toBe(200);
          const api = (await client.get(`/api/cases?queue=${queue}&limit=50`)).json() as { items: Array<{ ref: string }> };
          expect(rowsOf(res.body), `${role} ${queue}`).toEqual(api.items.map((c) => c.ref));
          // The web app starts from the same answers it would have asked for.
          const boot = bootOf(res.body) as { session: unknown; queue: string; page: unknown };
          expect(boot.queue).toBe(queue);
          expect(boot.page).toEqual(api);
          expect(boot.session).toEqual((await client.get('/api/session')).json());
        }
      }
      const open = await page(associate, '/queue/open');
      expect(rowsOf(open.body)).toHaveLength(4);
      expect(open.body).not.toContain('Another organization');
      expect(open.body).toContain('<h1>All open</h1>');
    });

    it("opens the desk's front door on each person's own first queue", async () => {
      for (const [role, queue] of [['associate', 'mine'], ['volunteer', 'mine'], ['supervisor', 'open'], ['admin', 'open']] as const) {
        const client = await org.as(role);
        const res = await page(client, '/');
        const api = (await client.get(`/api/cases?queue=${queue}&limit=50`)).json() as { items: Array<{ ref: string }> };
        expect((bootOf(res.body) as { queue: string }).queue, role).toBe(queue);
        expect(rowsOf(res.body), role).toEqual(api.items.map((c) => c.ref));
      }
      expect((await page(null, '/')).headers['cache-control']).toBe('no-cache');
    });

    it('is never stored by a cache, and differs by session', async () => {
      const res = await page(associate, '/queue/open');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.vary).toMatch(/cookie/i);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    });

    it('is the bare shell without a valid session, for an unknown queue, and for a filtered one', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{}, '/queue/open'],
        [{ sw_session: 'not-a-session' }, '/queue/open'],
        [{ sw_session: 'x'.repeat(500) }, '/queue/open'],
        [associate.cookies, '/queue/nonsense'],
        [associate.cookies, '/queue/open?status=new'],
      ];
      for (const [cookies, url] of cases) {
        const res = await h.app.inject({ method: 'GET', url, cookies });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['cache-control'], url).toBe('no-cache');
        expect(res.body, url).toContain('<div id="root"></div>');
        expect(res.body, url).not.toContain('data-row');
        expect(bootOf(res.body), url).toBeNull();
      }
    });

    it('ends with the session: a signed-out cookie gets the bare shell', async () => {
      const client = await (await makeOrg(h)).as('associate');
      const cookies = { ...client.cookies };
      expect((await h.app.inject({ method: 'GET', url: '/queue/mine', cookies })).headers['cache-control']).toBe('no-store');
      expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
      const after = await h.app.inject({ method: 'GET', url: '/queue/mine', cookies });
      expect(after.body).not.toContain('data-row');
    });

    it("keeps a case's words as text: nothing in them ends the data or adds markup", async () => {
      const res = await page(associate, '/queue/open');
      expect(res.body).not.toContain('<script>alert(1)');
      expect(res.body).not.toContain('<img');
      // One script element of our own (the data), besides the shell's module script.
      expect(res.body.match(/<script/g)).toHaveLength(2);
      expect(res.body).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; $&amp; $&#39;');
      const boot = bootOf(res.body) as { page: { items: Array<{ subject: string }> } };
      expect(boot.page.items.map((c) => c.subject)).toContain(HOSTILE);
    });

    it('shows before the stylesheet arrives: the stylesheet follows the first view, the scripts stay', async () => {
      const res = await page(associate, '/queue/open');
      const head = res.body.slice(0, res.body.indexOf('</head>'));
      expect(head).not.toContain('rel="stylesheet"');
      expect(head).toContain('<style>');
      expect(head).toContain('src="/assets/index-Ab12.js"');
      const view = res.body.indexOf('class="sw-fv"');
      const sheet = res.body.indexOf('<link rel="stylesheet" crossorigin href="/assets/index-Cd34.css">');
      expect(view).toBeGreaterThan(0);
      expect(sheet).toBeGreaterThan(view);
    });

    it('is compressed as the browser accepts', async () => {
      const plain = await page(associate, '/queue/open');
      const br = await page(associate, '/queue/open', { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      const unpacked = zlib.brotliDecompressSync(br.rawPayload).toString();
      expect(rowsOf(unpacked)).toEqual(rowsOf(plain.body));
      const gz = await page(associate, '/queue/open', { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(rowsOf(zlib.gunzipSync(gz.rawPayload).toString())).toEqual(rowsOf(plain.body));
      expect(plain.headers['content-encoding']).toBeUndefined();
    });
  });
}

describe("the queue screen's files, from the build manifest", () => {
  it('names every script the screen imports, however deep, and none the entry already loads', () => {
    const manifest = {
      'index.html': { file: 'assets/index-1.js', isEntry: true, imports: ['_react-1.js', '_shared-1.js'] },
      '_react-1.js': { file: 'assets/react-1.js' },
      '_shared-1.js': { file: 'assets/shared-1.js', imports: ['_react-1.js'] },
      'components/AppLayout.tsx': { file: 'assets/AppLayout-1.js', imports: ['_react-1.js', '_menu-1.js'], css: ['assets/AppLayout-1.css'] },
      '_menu-1.js': { file: 'assets/menu-1.js', imports: ['_deep-1.js', '_shared-1.js'] },
      '_deep-1.js': { file: 'assets/deep-1.js', imports: ['_menu-1.js'] },
      'features/queue/QueuePage.tsx': { file: 'assets/QueuePage-1.js', imports: ['_menu-1.js', 'index.html'] },
      'features/cases/CasePage.tsx': { file: 'assets/CasePage-1.js', imports: ['_react-1.js'] },
    };
    const files = filesOf(manifest, ['components/AppLayout.tsx', 'features/queue/QueuePage.tsx']);
    expect(files.scripts.sort()).toEqual(
      ['/assets/AppLayout-1.js', '/assets/QueuePage-1.js', '/assets/deep-1.js', '/assets/menu-1.js'].sort(),
    );
    expect(files.styles).toEqual(['/assets/AppLayout-1.css']);
  });

  it('puts them in the page: scripts preloaded in the head, stylesheets after the first view', () => {
    const shell = '<html><head><link rel="stylesheet" crossorigin href="/assets/index.css"></head><body><div id="root"></div></body></html>';
    // Only the organization's name, locale and zone are read to draw an empty queue.
    const org = { name: 'Org', locale: 'en-US', timeZone: 'UTC' } as FirstView['session']['org'];
    const view: FirstView = {
      session: { user: { id: 1, email: 'a@b.org', name: 'A', role: 'associate', teamId: null }, org },
      queue: 'open',
      page: { items: [], nextCursor: null },
    };
    const html = shellWithFirstView(shell, view, { scripts: ['/assets/q.js'], styles: ['/assets/q.css'] });
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain('<link rel="modulepreload" fetchpriority="low" crossorigin href="/assets/q.js">');
    expect(html.indexOf('href="/assets/q.css"')).toBeGreaterThan(html.indexOf('class="sw-fv"'));
    expect(html.indexOf('href="/assets/index.css"')).toBeGreaterThan(html.indexOf('class="sw-fv"'));
  });
});
