// A supervisor opens the dashboard from the side navigation by keyboard and reads how the
// organization and each team kept the promises that fell due: made days ago through the API
// with the server's clock stepped back, kept on time, kept late and broken by the due-time job.
// Switching the period changes the figures; a reversed custom range is refused in words, with
// no request; the teams stay in name order whatever their rates.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { JobRunner } from '../../src/server/platform/jobs/index.js';
import { quietLog } from '../../src/server/platform/jobs/testing/kit.js';
import { promiseJobTypes } from '../../src/server/promises/api.js';
import { PASSWORD } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk, signInAs } from './desk.js';
import { madePromises } from './promise-history.js';


/** A scope's figures as one line of text, e.g. "33% kept on time 67% kept at all 1 on time, …". */
const figures = (page: Page, name: string) =>
  page
    .getByRole('region', { name, exact: true })
    .innerText()
    .then((t) => t.replace(/\s+/g, ' ').trim());

describeOnDesk('the dashboard', (on) => {
  it('shows the organization’s and each team’s promises kept over a period, never ranked', async () => {
    const { desk, org } = on();
    const { base, browser, h, clock } = desk;
    const runner = new JobRunner({ db: h.db, clock, types: promiseJobTypes(h.p), log: quietLog() });
    const made = await madePromises({ api: await org.as('associate'), clock, runner, teams: org.teams });
    const orgName = (await (await org.as('supervisor')).get('/api/session')).json().org.name as string;

    const page = await (await browser.newContext()).newPage();
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/promises/kept-rate') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    await signInAs(page, base, org.users.supervisor.email, PASSWORD);

    // By keyboard: Tab along until the side navigation's Dashboard link has the focus, Enter.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Dashboard')) break;
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dashboard$/);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByText('not a ranking of teams or of people').waitFor();

    // The last 30 days (the default): all five promises.
    expect(await page.getByRole('radio', { name: 'Last 30 days' }).isChecked()).toBe(true);
    await expect.poll(() => figures(page, orgName)).toContain('60% kept on time 80% kept at all');
    expect(await figures(page, orgName)).toContain('3 on time, 1 late, 1 not kept (of 5 that fell due)');
    await expect.poll(() => figures(page, 'Box office')).toContain('50% kept on time 75% kept at all 2 on time, 1 late, 1 not kept');
    await expect.poll(() => figures(page, 'Development')).toContain('100% kept on time 100% kept at all 1 on time, 0 late, 0 not kept');
    // In name order, though Development kept more of its word.
    const teams = page.getByRole('region', { name: 'Teams' });
    expect(await teams.getByRole('heading', { level: 4 }).allInnerTexts()).toEqual(['Box office', 'Development']);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The last 7 days, by keyboard (arrows move along the radio group): the three of two days ago.
    await page.getByRole('radio', { name: 'Last 30 days' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('radio', { name: 'Last 7 days' }).isChecked()).toBe(true);
    await expect.poll(() => figures(page, orgName)).toContain('33% kept on time 67% kept at all 1 on time, 1 late, 1 not kept');
    await expect.poll(() => figures(page, 'Box office')).toContain('1 on time, 1 late, 1 not kept');
    await expect.poll(() => figures(page, 'Development')).toContain('No promises fell due in this period.');
    expect(await figures(page, 'Development')).not.toContain('%');

    // Custom dates: the day of the old promises alone, then a range ending before it starts.
    await page.getByRole('radio', { name: 'Custom dates' }).check();
    const from = page.getByLabel('From', { exact: true });
    const to = page.getByLabel('To', { exact: true });
    await from.fill(made.oldDay);
    await to.fill(made.oldDay);
    await expect.poll(() => figures(page, orgName)).toContain('100% kept on time 100% kept at all 2 on time, 0 late, 0 not kept');
    await expect.poll(() => figures(page, 'Box office')).toContain('1 on time, 0 late, 0 not kept');
    await to.fill(made.dayBeforeOldDay);
    await page.getByText('To must be on or after the From date').waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Fix the dates above to see the figures.').waitFor();
    expect(await page.getByRole('region', { name: orgName, exact: true }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(refused).toEqual([]);

    // On a phone the same figures, and the page still passes.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('radio', { name: 'Last 30 days' }).check();
    await expect.poll(() => figures(page, orgName)).toContain('3 on time, 1 late, 1 not kept');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The associate who made them sees the same on their own page, over the period they choose.
    const mine = await (await browser.newContext()).newPage();
    await signInAs(mine, base, org.users.associate.email, PASSWORD);
    await mine.goto(`${base}/promises`);
    const card = mine.getByRole('region', { name: 'My promises kept' });
    await expect.poll(() => card.innerText()).toContain('60% kept on time');
    expect(await card.innerText()).toContain('3 on time, 1 late, 1 not kept');
    await mine.getByRole('radio', { name: 'Last 7 days' }).check();
    await expect.poll(() => card.innerText()).toContain('1 on time, 1 late, 1 not kept');
    await mine.getByRole('radio', { name: 'Custom dates' }).check();
    await mine.getByLabel('To', { exact: true }).fill(made.dayBeforeOldDay);
    await mine.getByLabel('From', { exact: true }).fill(made.oldDay);
    await mine.getByText('To must be on or after the From date').waitFor();
    expect(await card.count()).toBe(0);
    expect(await accessibilityViolations(mine)).toEqual([]);
    expect(refused).toEqual([]);
  }, 150_000);

  it('is not in a volunteer’s navigation, and shows them only what their role allows', async () => {
    const { desk, org } = on();
    const page = await (await desk.browser.newContext()).newPage();
    await signInAs(page, desk.base, org.users.volunteer.email, PASSWORD);
    expect(await page.getByRole('link', { name: 'Dashboard' }).count()).toBe(0);
    await page.goto(`${desk.base}/dashboard`);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByText('Your own promises kept are on').waitFor();
    expect(await page.getByRole('region', { name: 'Teams' }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
