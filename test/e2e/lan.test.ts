// The desk as a back-office PC serves it: plain HTTP on the machine's LAN address. Chromium
// treats every 127.x address as a secure context, so only a non-loopback address shows what a
// colleague's browser does with the page (a blank screen, when the CSP upgrades requests).
import os from 'node:os';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEB_ROOT } from '../../src/server/app.js';
import { PASSWORD, makeOrg, type TestOrg } from '../../src/server/testing/factories.js';
import { dialects, makeHarness, type Harness } from '../../src/server/testing/harness.js';
import { CHROMIUM, hasBrowser, signInAs } from './desk.js';

const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

if (hasBrowser && !lanAddress) {
  console.error('\nNo non-loopback IPv4 address on this machine: the LAN journey is SKIPPED.\n');
}

for (const dialect of dialects()) {
  describe.skipIf(!hasBrowser || !lanAddress)(`the desk over plain HTTP on a LAN address [${dialect}]`, () => {
    let h: Harness;
    let browser: Browser;
    let org: TestOrg;
    let base: string;
    beforeAll(async () => {
      // Port 0 first, to learn a free port; the public address must name it.
      const probe = await makeHarness(dialect, { webRoot: DEFAULT_WEB_ROOT, realTime: true });
      await probe.app.listen({ port: 0, host: lanAddress });
      const { port } = probe.app.server.address() as { port: number };
      await probe.close();
      base = `http://${lanAddress}:${port}`;
      h = await makeHarness(dialect, { webRoot: DEFAULT_WEB_ROOT, publicUrl: base, realTime: true });
      await h.app.listen({ port, host: lanAddress });
      org = await makeOrg(h);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
      });
    });
    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    it('renders the help center and the desk, with no request sent to https', async () => {
      const page = await (await browser.newContext()).newPage();
      const failed: string[] = [];
      const secure: string[] = [];
      page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
      page.on('request', (r) => {
        if (r.url().startsWith('https:')) secure.push(r.url());
      });
      await page.goto(`${base}/help/${org.slug}`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Test Org');
      // Every request of the help center done before moving on: signing in navigates away, and
      // the browser aborts whatever is still in flight (the free slots), which is no failure.
      await page.waitForLoadState('networkidle');
      await signInAs(page, base, org.users.associate.email, PASSWORD);
      await page.getByRole('link', { name: /^My team/ }).waitFor();
      expect(secure).toEqual([]);
      expect(failed).toEqual([]);
    });
  });
}
