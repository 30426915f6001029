// A queue shows before the desk's scripts arrive (the server sends its first view with the
// page), is usable by keyboard and by link while they load, and the desk then takes it over
// without a blank moment and without asking the server again for what the page brought.
import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { logCall } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk } from './desk.js';

/** Notes, from the page's first moment, whether its rows ever all went away after showing. */
const WATCH_ROWS = `(() => {
  window.__rows = { shown: false, dropped: false };
  new MutationObserver(() => {
    const n = document.querySelectorAll('.data-row').length;
    if (n > 0) window.__rows.shown = true;
    else if (window.__rows.shown) window.__rows.dropped = true;
  }).observe(document, { childList: true, subtree: true });
})();`;

describeOnDesk('a queue before and after the scripts', (on) => {
  const refs: string[] = [];

  /** A signed-in associate's browser, with the desk's scripts or without any. */
  async function signedIn(opts: { scripts: boolean }): Promise<{ context: BrowserContext; page: Page }> {
    const { desk, org } = on();
    const api = await org.as('associate');
    if (!refs.length) {
      for (let i = 0; i < 3; i++) refs.unshift((await logCall(api, { subject: `Matinee seats, group ${i}` })).ref);
    }
    const context = await desk.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies(Object.entries(api.cookies).map(([name, value]) => ({ name, value, url: desk.base })));
    if (opts.scripts) await context.addInitScript(WATCH_ROWS);
    else await context.route('**/assets/*.js', (route) => route.abort());
    return { context, page: await context.newPage() };
  }

  /** The rows never all went away once shown (WATCH_ROWS). */
  const rowsStayed = async (page: Page) =>
    expect(await page.evaluate(() => (window as unknown as { __rows: unknown }).__rows)).toEqual({ shown: true, dropped: false });

  it('shows the queue with no script at all, by keyboard and with working links', async () => {
    const { desk } = on();
    const { context, page } = await signedIn({ scripts: false });
    await page.goto(`${desk.base}/queue/open`);
    await expect.poll(() => page.locator('.data-row').count()).toBe(3);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('All open');
    expect(await page.locator('.data-row .sw-fv-ref').allTextContents()).toEqual(refs);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The skip link first, then the queues, then the cases, each a real link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (document.activeElement as HTMLAnchorElement | null)?.getAttribute('href'));
    expect(focused).toBe(`/cases/${refs[0]}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/cases/${refs[0]}`);
    await context.close();
  });

  it('on a phone, shows each case as a card with its status and assignee in view', async () => {
    const { desk } = on();
    const { context, page } = await signedIn({ scripts: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${desk.base}/queue/open`);
    const row = page.locator('.data-row').first();
    await row.waitFor();
    const box = (await row.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const status = (await row.locator('td[data-label="Status"]').boundingBox())!;
    expect(status.x + status.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('is taken over by the desk without a blank moment, and without asking again for the session', async () => {
    const { desk } = on();
    const { context, page } = await signedIn({ scripts: true });
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) asked.push(new URL(r.url()).pathname);
    });
    await page.goto(`${desk.base}/queue/open`);
    // The desk's own queue: its "Save view" button is not in the first view.
    await page.getByRole('button', { name: 'Save view' }).waitFor();
    expect(await page.locator('.sw-fv').count()).toBe(0);
    expect(await page.locator('.data-row').count()).toBe(3);
    await rowsStayed(page);
    expect(asked).not.toContain('/api/session');
    // The desk's own colours, not Mantine's paler defaults: the stylesheets the server sent after
    // the first view must not come after the theme.
    expect(await accessibilityViolations(page)).toEqual([]);
    // And it is the desk: j moves to the first case, o opens it.
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await page.waitForURL(`**/cases/${refs[0]}`);
    await context.close();
  });

  it("opens the front door on the person's own queue, then shows its address", async () => {
    const { desk } = on();
    const { context, page } = await signedIn({ scripts: true });
    await page.goto(`${desk.base}/`);
    await page.getByRole('button', { name: 'Save view' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/queue/mine');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My cases');
    expect(await page.locator('.data-row').count()).toBe(3);
    await rowsStayed(page);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
