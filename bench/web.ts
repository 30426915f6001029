// What the web app costs a first visit, in Debian's Chromium with the network and the CPU held
// back as DevTools' "Slow 4G" (562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up) and a 4×
// slower CPU: the compressed JavaScript each first load transfers (each public page, the desk's
// queue), the time from asking for the queue to seeing its first row, and to the app being ready
// to use (it takes over the first view the server sends). Cold cache each
// round; the median of the rounds. A small organization of its own (30 cases) on SQLite: the
// server's share of the time is a few milliseconds, the rest is the browser's.
//
// Alone: `npx tsx bench/web.ts [--rounds 3]`. bench/run.ts calls `benchWeb()` and prints
// `webTable()`. Figures, never a pass or fail.
import fs from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { buildWebIfStale } from '../scripts/build-web.js';
import { DEFAULT_WEB_ROOT } from '../src/server/app.js';
import { logCall, makeOrg } from '../src/server/testing/factories.js';
import { makeHarness } from '../src/server/testing/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** DevTools' "Slow 4G" preset. */
export const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.44 * 1_000_000) / 8,
  uploadThroughput: (675 * 1000) / 8,
};
export const CPU_SLOWDOWN = 4;

export interface WebLoad {
  page: string;
  /** Compressed bytes of JavaScript transferred (bodies and headers), median of the rounds. */
  jsBytes: number;
  /** The same scripts as brotli (what a browser on https gets: Chromium asks for br only there). */
  brBytes: number;
  /** How many scripts. */
  scripts: number;
  /** Milliseconds until the page's content shows, median. */
  visibleMs: number;
  /**
   * Milliseconds until the web app has drawn the page itself and can be used in full, median.
   * The same as `visibleMs` where the page's content is the app's; later where the server sent
   * a first view (a queue) that the app then takes over.
   */
  readyMs: number;
  /**
   * Where the server sends the content with the page (a queue's first view): the time until it
   * shows with every script refused, the same round, median. The limit `visibleMs` can reach:
   * what is left is the browser's own work on the page, on this machine at this moment.
   */
  floorMs: number | null;
  rounds: number[];
}

export interface WebBench {
  loads: WebLoad[];
  totalAssets: { jsRaw: number; jsBrotli: number };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Counts the JavaScript a page transfers until the app is ready (every script of the first
 * load, also those that arrive after the page shows), and times `visible` and `ready`.
 */
async function measured(
  cdp: CDPSession,
  visible: () => Promise<number>,
  ready: () => Promise<void>,
): Promise<{ bytes: number; brBytes: number; scripts: number; ms: number; readyMs: number }> {
  const scripts = new Set<string>();
  let bytes = 0;
  let brBytes = 0;
  const onResponse = (e: { requestId: string; type?: string; response: { mimeType: string; url: string } }) => {
    if (!(e.type === 'Script' || /javascript/.test(e.response.mimeType))) return;
    scripts.add(e.requestId);
    const file = `${DEFAULT_WEB_ROOT}/assets/${new URL(e.response.url).pathname.replace(/^\/assets\//, '')}`;
    brBytes += fs.existsSync(`${file}.br`) ? fs.statSync(`${file}.br`).size : fs.existsSync(file) ? fs.statSync(file).size : 0;
  };
  const onFinished = (e: { requestId: string; encodedDataLength: number }) => {
    if (scripts.has(e.requestId)) bytes += e.encodedDataLength;
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  const t0 = Date.now();
  const ms = (await visible()) - t0;
  await ready();
  const readyMs = Date.now() - t0;
  // Let late scripts (preloaded chunks) finish counting.
  await new Promise((r) => setTimeout(r, 500));
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  return { bytes, brBytes, scripts: scripts.size, ms, readyMs };
}

/**
 * Runs in the page before its own scripts: notes the moment of the frame that first draws an
 * element matching `selector`. Playwright's own wait polls from the page's main thread, which
 * the page's scripts keep busy under a 4× slower CPU: it sees the element up to a second after
 * it was drawn, and later on pages whose scripts run longer, so it cannot compare them.
 */
// A string, not a function: tsx would wrap a function's inner names in a helper that the page
// does not have.
const watchFor = (selector: string) => `(() => {
  const selector = ${JSON.stringify(selector)};
  const seen = () => {
    if (!document.querySelector(selector)) return false;
    // The frame after the one that draws it: by then that one has been painted.
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__drawnAt ??= performance.timeOrigin + performance.now(); }));
    return true;
  };
  const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** When the page drew the element `watchFor` waited for (wall clock, ms since 1970). */
async function drawnAt(page: Page): Promise<number> {
  await page.waitForFunction(() => (window as unknown as { __drawnAt?: number }).__drawnAt !== undefined);
  return page.evaluate(() => (window as unknown as { __drawnAt: number }).__drawnAt);
}

/** The time until `selector` shows with every script refused (the server's page alone). */
async function withoutScripts(browser: Browser, url: string, selector: string, cookies: Parameters<BrowserContext['addCookies']>[0]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(watchFor(selector));
  await context.addCookies(cookies);
  await context.route('**/assets/*.js', (route) => route.abort());
  const { page } = await throttled(context);
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  const ms = (await drawnAt(page)) - t0;
  await context.close();
  return ms;
}

async function throttled(context: BrowserContext) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { page, cdp };
}

export async function benchWeb(opts: { rounds?: number; log?: (s: string) => void } = {}): Promise<WebBench> {
  const rounds = opts.rounds ?? 3;
  const log = opts.log ?? (() => undefined);
  buildWebIfStale();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const h = await makeHarness('sqlite', { webRoot: DEFAULT_WEB_ROOT, publicUrl: base, realTime: true });
  await h.app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const org = await makeOrg(h);
    const api = await org.as('associate');
    let statusUrl = '';
    for (let i = 0; i < 30; i++) ({ statusUrl } = await logCall(api, { subject: `Seats for the matinee, group ${i}` }));
    const cookies = Object.entries(api.cookies).map(([name, value]) => ({ name, value, url: base }));

    // `ready`: what only the web app draws (the queue's first view is the server's, and has no
    // "Save view" button).
    const pages: Array<{ page: string; url: string; visible: string; ready?: string; signedIn: boolean; firstView?: boolean }> = [
      { page: 'Public: help center', url: `${base}/help/${org.slug}`, visible: 'h1', signedIn: false },
      { page: 'Public: contact form', url: `${base}/help/${org.slug}/contact`, visible: 'form button[type=submit]', signedIn: false },
      { page: 'Public: booking', url: `${base}/help/${org.slug}/book`, visible: 'h1', signedIn: false },
      { page: 'Public: status page', url: `${base}${new URL(statusUrl, base).pathname}`, visible: 'h1', signedIn: false },
      {
        page: 'Desk: queue (visible first row)',
        url: `${base}/queue/open`,
        visible: '.data-row',
        ready: 'main button:has-text("Save view")',
        signedIn: true,
        firstView: true,
      },
    ];
    const loads: WebLoad[] = [];
    for (const p of pages) {
      const byRound: Array<{ bytes: number; brBytes: number; scripts: number; ms: number; readyMs: number }> = [];
      const floors: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addInitScript(watchFor(p.visible));
        if (p.signedIn) await context.addCookies(cookies);
        const { page, cdp } = await throttled(context);
        byRound.push(
          await measured(
            cdp,
            async () => {
              await page.goto(p.url, { waitUntil: 'commit' });
              await page.locator(p.visible).first().waitFor({ state: 'visible', timeout: 60_000 });
              return drawnAt(page);
            },
            async () => {
              if (p.ready) await page.locator(p.ready).first().waitFor({ state: 'visible', timeout: 60_000 });
            },
          ),
        );
        await context.close();
        if (p.firstView) floors.push(await withoutScripts(browser, p.url, p.visible, p.signedIn ? cookies : []));
        log(`${p.page}: round ${r + 1} ${Math.round(byRound.at(-1)!.ms)} ms, ${byRound.at(-1)!.bytes} B of JS`);
      }
      loads.push({
        page: p.page,
        jsBytes: median(byRound.map((x) => x.bytes)),
        brBytes: median(byRound.map((x) => x.brBytes)),
        scripts: median(byRound.map((x) => x.scripts)),
        visibleMs: median(byRound.map((x) => x.ms)),
        readyMs: median(byRound.map((x) => x.readyMs)),
        floorMs: floors.length ? median(floors) : null,
        rounds: byRound.map((x) => Math.round(x.ms)),
      });
    }
    const assets = fs.readdirSync(`${DEFAULT_WEB_ROOT}/assets`);
    const size = (f: string) => fs.statSync(`${DEFAULT_WEB_ROOT}/assets/${f}`).size;
    return {
      loads,
      totalAssets: {
        jsRaw: assets.filter((f) => f.endsWith('.js')).reduce((n, f) => n + size(f), 0),
        jsBrotli: assets.filter((f) => f.endsWith('.js.br')).reduce((n, f) => n + size(f), 0),
      },
    };
  } finally {
    await browser.close();
    await h.close();
  }
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

export function webTable(b: WebBench): string {
  const bar = (page: string) => (page.startsWith('Public') ? 100_000 : 250_000);
  const rows = b.loads.map((l) => {
    const timeBar = l.page.startsWith('Desk') ? ` (bar 2.5 s: ${l.visibleMs <= 2500 ? 'met' : 'missed'})` : '';
    const met = l.brBytes <= bar(l.page) ? 'met' : 'missed';
    return `| ${l.page} | ${kB(l.brBytes)} (bar ${kB(bar(l.page))}: ${met}) | ${kB(l.jsBytes)} | ${l.scripts} | ${(l.visibleMs / 1000).toFixed(2)} s${timeBar} | ${l.floorMs === null ? '—' : `${(l.floorMs / 1000).toFixed(2)} s (${(l.visibleMs / l.floorMs).toFixed(2)})`} | ${(l.readyMs / 1000).toFixed(2)} s | ${l.rounds.join(', ')} ms |`;
  });
  return [
    `**Web app, first load** (Chromium, DevTools' Slow 4G: ${SLOW_4G.latency} ms per request, ${(SLOW_4G.downloadThroughput * 8) / 1e6} Mbit/s; CPU ${CPU_SLOWDOWN}× slower; cold cache; median of ${b.loads[0]?.rounds.length ?? 0}). Over plain http Chromium takes gzip, over https brotli: both are given.`,
    '',
    '| First load | JavaScript, brotli | JavaScript as transferred here (gzip) | Files | Until visible | Limit: the page with no script (ratio) | Until the app is ready | Rounds (visible) |',
    '|---|---|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
    `All JavaScript of the build: ${kB(b.totalAssets.jsRaw)} raw, ${kB(b.totalAssets.jsBrotli)} brotli.`,
  ].join('\n');
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
  console.log(webTable(await benchWeb({ rounds: Number(values.rounds), log: console.log })));
  process.exit(0);
}
