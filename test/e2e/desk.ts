// A desk for browser journeys: the real app on a real port, serving the built web app, on a
// fresh database (SQLite, or a fresh PostgreSQL schema), driven by Debian's Chromium.
import fs from 'node:fs';
import net from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { DEFAULT_WEB_ROOT } from '../../src/server/app.js';
import type { DialectName } from '../../src/server/db/index.js';
import { ShiftedClock } from '../../src/server/platform/clock.js';
import { makeOrg, type TestOrg } from '../../src/server/testing/factories.js';
import { dialects, makeHarness, type Harness } from '../../src/server/testing/harness.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasBrowser = fs.existsSync(CHROMIUM);

export interface Desk {
  h: Harness;
  base: string;
  browser: Browser;
  /** The server's clock: real time unless a test shifts it (and shifts it back). */
  clock: ShiftedClock;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function openDesk(dialect: DialectName): Promise<Desk> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Browsers keep real time (presence renewals, relative dates).
  const clock = new ShiftedClock();
  const h = await makeHarness(dialect, { webRoot: DEFAULT_WEB_ROOT, publicUrl: base, realClock: clock });
  await h.app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  return {
    h,
    base,
    browser,
    clock,
    close: async () => {
      await browser.close();
      await h.close();
    },
  };
}

/**
 * Runs `suite` once per dialect on a served desk with a browser and one organization (skipped,
 * and said so, when there is no browser).
 */
export function describeOnDesk(
  title: string,
  suite: (on: () => { desk: Desk; org: TestOrg }, dialect: DialectName) => void,
): void {
  for (const dialect of dialects()) {
    describe.skipIf(!hasBrowser)(`${title} [${dialect}]`, () => {
      let ctx: { desk: Desk; org: TestOrg } | undefined;
      beforeAll(async () => {
        const desk = await openDesk(dialect);
        ctx = { desk, org: await makeOrg(desk.h) };
      });
      afterAll(() => ctx?.desk.close());
      suite(() => {
        if (!ctx) throw new Error('the desk did not open');
        return ctx;
      }, dialect);
    });
  }
}

export async function signInAs(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/queue\//);
  // The desk is loaded (its screens are loaded by route) once its header's search box shows.
  await page.getByRole('searchbox', { name: 'Search cases and patrons' }).waitFor();
}

/** WCAG 2.2 AA violations on the page as it is now, as readable lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  // A frame sandboxed without scripts (an email's HTML) cannot run axe: its timers never fire,
  // and axe would wait on it for ever. Its content is the sender's; the frame element itself
  // (its title) is still checked, from the page, with frames left out.
  if (await page.locator('iframe[sandbox]:not([sandbox~="allow-scripts"])').count()) {
    builder.setLegacyMode().options({ iframes: false });
  }
  const result = await builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}
