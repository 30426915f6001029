// The first run of an empty install: the first admin creates the organization at /setup, is told
// every missing field at once, and lands signed in on the desk's queue (not on the login page).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../src/server/testing/harness.js';
import { accessibilityViolations, hasBrowser, openDesk, type Desk } from './desk.js';

for (const dialect of dialects()) {
  describe.skipIf(!hasBrowser)(`first run at /setup [${dialect}]`, () => {
    let desk: Desk | undefined;
    beforeAll(async () => {
      desk = await openDesk(dialect);
    });
    afterAll(() => desk?.close());

    it('creates the organization and its first admin, then opens the desk', async () => {
      const page = await (await desk!.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
      await page.goto(`${desk!.base}/setup`);
      await page.getByRole('heading', { name: 'Set up Servewell' }).waitFor();
      await page.getByRole('button', { name: 'Create organization' }).click();
      const summary = page.getByRole('alert');
      await summary.getByText('Please fix the following').waitFor();
      expect(await summary.getByRole('link').count()).toBeGreaterThanOrEqual(4);
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.getByLabel(/^Organization name/).fill('Lakeside Food Bank');
      await page.getByLabel(/^Your name/).fill('Ana Admin');
      await page.getByLabel(/^Email/).fill(`ana.${dialect}@lakeside.example`);
      await page.getByLabel(/^Password/).fill('a long enough password');
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.waitForURL(/\/queue\/open$/);
      await page.getByRole('searchbox', { name: 'Search cases and patrons' }).waitFor();
      // Still there a moment later: nothing sends the new admin on to the login page.
      await new Promise((r) => setTimeout(r, 500));
      expect(new URL(page.url()).pathname).toBe('/queue/open');
    });
  });
}
