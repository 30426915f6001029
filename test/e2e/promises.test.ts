// An associate promises a patron an answer from the case composer ("Promise…", tomorrow
// morning), sees it in My promises, replies and marks it kept; a second promise falls due a few
// seconds later: the bell lights up live with the reminder, and the supervisor's team list,
// bell and the patron's record show it broken and escalated.
import { expect, it } from 'vitest';
import { JobRunner } from '../../src/server/platform/jobs/index.js';
import { quietLog } from '../../src/server/platform/jobs/testing/kit.js';
import { promiseJobTypes } from '../../src/server/promises/api.js';
import { PASSWORD, logCall } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk, signInAs } from './desk.js';


describeOnDesk('promises on the desk', (on) => {
  it('makes, keeps, reminds and escalates a promise, live in the browser', async () => {
    const { desk, org } = on();
    const { base, browser, h } = desk;
    const runner = new JobRunner({ db: h.db, clock: h.p.clock, types: promiseJobTypes(h.p), pollMs: 100, log: quietLog() });
    await runner.start();
    try {
      const api = await org.as('associate');
      const kase = await logCall(api, { patron: { name: 'Dora Diaz', email: 'dora@example.org' }, subject: 'Refund for the cancelled matinee' });

      const page = await (await browser.newContext()).newPage();
      await signInAs(page, base, org.users.associate.email, PASSWORD);
      await page.goto(`${base}/cases/${kase.ref}`);
      await page.getByRole('heading', { name: new RegExp(kase.ref) }).waitFor();

      // The composer's "Promise…": tomorrow morning, by phone, permission asked.
      await page.getByRole('button', { name: 'Promise…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('What you promised').fill('Call back with the refund decision');
      await dialog.getByLabel(/^Tomorrow morning/).check();
      await dialog.getByLabel('Patron’s answer').fill('Tomorrow is fine');
      await dialog.getByRole('button', { name: 'Make the promise' }).click();
      await dialog.waitFor({ state: 'detached' });
      const promises = page.getByRole('region', { name: 'Promises' });
      await promises.getByText('Call back with the refund decision').waitFor();
      await expect.poll(() => page.getByLabel('Status', { exact: true }).inputValue()).toBe('promised');

      // My promises lists it (due tomorrow: "Later").
      await page.getByRole('link', { name: /^My promises/ }).click();
      const later = page.getByRole('region', { name: 'Later' });
      await later.getByText('Call back with the refund decision').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);

      // Back on the case: log the call back, then mark the promise kept.
      await later.getByRole('link', { name: kase.ref }).click();
      await page.getByLabel('Message').fill('Called Dora: the refund is approved.');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.getByText('the refund is approved').first().waitFor();
      await promises.getByRole('button', { name: 'Mark kept' }).click();
      await promises.getByText('Kept', { exact: true }).first().waitFor();
      await expect.poll(() => page.getByLabel('Status', { exact: true }).inputValue()).toBe('open');

      // A second promise, due in a few seconds: the reminder arrives live on the bell.
      const bell = page.getByTestId('notification-bell');
      expect(await bell.getAttribute('aria-label')).toBe('Notifications: none unread');
      const second = await api.post(`/api/cases/${kase.ref}/promises`, {
        what: 'Email the new tickets',
        how: 'email',
        dueAt: Date.now() + 6000,
        permissionAsked: true,
      });
      expect(second.statusCode, second.body).toBe(201);
      await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 15_000 }).toBe('Notifications: 1 unread');
      await bell.click();
      await page.getByRole('menuitem', { name: /Promise due/ }).waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications: none unread');

      // It falls due unkept: the supervisor hears of it, live, and sees it on the team's list.
      const sup = await (await browser.newContext()).newPage();
      await signInAs(sup, base, org.users.supervisor.email, PASSWORD);
      const supBell = sup.getByTestId('notification-bell');
      await expect.poll(() => supBell.getAttribute('aria-label'), { timeout: 20_000 }).toBe('Notifications: 1 unread');
      await supBell.click();
      await sup.getByRole('menuitem', { name: /Overdue promise/ }).click();
      await sup.waitForURL(new RegExp(`/cases/${kase.ref}$`));
      await sup.getByRole('region', { name: 'Promises' }).getByText('Supervisors told', { exact: false }).waitFor();
      await sup.getByRole('link', { name: /^Team promises/ }).click();
      await sup.getByRole('table', { name: 'Promises still to keep' }).getByText('Email the new tickets').waitFor();
      await sup.getByRole('region', { name: 'The team’s promises kept' }).waitFor();
      expect(await accessibilityViolations(sup)).toEqual([]);

      // The team's reminder times, set by its supervisor: bad input named field by field, then saved.
      const settings = sup.getByRole('region', { name: /^Reminders for / });
      const lead = settings.getByLabel(/^Remind the owner/);
      const after = settings.getByLabel(/^Tell the supervisors/);
      await lead.fill('');
      await after.fill('soon');
      await settings.getByRole('button', { name: 'Save reminder settings' }).click();
      await settings.getByText('Please fix the following').waitFor();
      await settings.getByRole('link', { name: 'Remind the owner (minutes before due) is required' }).waitFor();
      await settings.getByRole('link', { name: 'Tell the supervisors (minutes after due) must be a whole number of minutes' }).waitFor();
      expect(await accessibilityViolations(sup)).toEqual([]);
      await lead.fill('30');
      await after.fill('15');
      await after.press('Enter');
      await expect
        .poll(async () => (await sup.request.get(`${base}/api/teams/${org.teams.boxOffice}/promise-settings`)).json())
        .toMatchObject({ reminderLeadMinutes: 30, escalateAfterMinutes: 15 });

      // The patron's record: one kept, one broken.
      await sup.goto(`${base}/patrons/${(await api.get(`/api/cases/${kase.ref}`)).json().patron.id}`);
      const record = sup.getByRole('region', { name: 'Promises kept and broken' });
      await record.getByText('Email the new tickets').waitFor();
      await record.getByText('Broken', { exact: true }).waitFor();
      await record.getByText('Kept', { exact: true }).waitFor();
    } finally {
      await runner.stop();
    }
  }, 120_000);
});
