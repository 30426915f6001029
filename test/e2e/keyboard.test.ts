// The desk by keyboard alone, at a box-office pace: the selects on a case and the admin's role
// select save only on Enter and keep the focus; focus follows the content after opening a case,
// a search, a jump to a reference, a quick log, a saved profile and a wrong password; back in
// the queue it returns to the row left; a row reached with k never hides under the header.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { logCall, PASSWORD } from '../../src/server/testing/factories.js';
import { describeOnDesk, signInAs } from './desk.js';

/** What has the focus: its tag, role, accessible-ish name and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const labelled = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      role: el?.getAttribute('role') ?? '',
      name: (el?.getAttribute('aria-label') ?? labelled ?? '').replace(/\s*\*$/, ''),
      text: (el?.textContent ?? '').trim().slice(0, 200),
    };
  });

describeOnDesk('the desk by keyboard', (on, dialect) => {
  it('saves a case select only on Enter and keeps the focus on it', async () => {
    const { desk, org } = on();
    const api = await org.as('associate');
    const { ref } = await logCall(api, { subject: `Keyboard select ${dialect}` });
    const page = await (await desk.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(page, desk.base, org.users.associate.email, PASSWORD);
    await page.goto(`${desk.base}/cases/${ref}`);
    const priority = page.getByLabel('Priority', { exact: true });
    await priority.focus();
    const saved = async () => (await api.get(`/api/cases/${ref}`)).json() as Promise<{ priority: string; assignee: { id: number } | null; status: string }>;

    // An arrow moves a highlight: nothing is saved, the focus stays.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await priority.inputValue()).toBe('urgent');
    await page.getByText('Not saved yet: Enter saves, Esc puts it back').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    expect((await saved()).priority).toBe('normal');
    expect(await focused(page)).toMatchObject({ tag: 'select', name: 'Priority' });

    // Enter saves what is highlighted; the focus is still there, the next key still works.
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await saved()).priority).toBe('urgent');
    expect(await focused(page)).toMatchObject({ tag: 'select', name: 'Priority' });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await saved()).priority).toBe('high');
    expect(await focused(page)).toMatchObject({ tag: 'select', name: 'Priority' });

    // Esc puts the saved value back: one stray ArrowDown reassigns nobody.
    const assignee = page.getByLabel('Assignee', { exact: true });
    await assignee.focus();
    const before = await assignee.inputValue();
    await page.keyboard.press('ArrowDown');
    expect(await assignee.inputValue()).not.toBe(before);
    await page.keyboard.press('Escape');
    expect(await assignee.inputValue()).toBe(before);
    // Leaving the field does the same.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Tab');
    expect(await assignee.inputValue()).toBe(before);
    expect((await saved()).assignee?.id).toBe(org.users.associate.id);

    // Status too; a pick with the mouse (the opened list) still saves at once.
    const status = page.getByLabel('Status', { exact: true });
    await status.focus();
    await page.keyboard.press('ArrowDown');
    await new Promise((r) => setTimeout(r, 300));
    expect((await saved()).status).toBe('open');
    await page.keyboard.press('Escape');
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Development' });
    await expect.poll(async () => (await api.get(`/api/cases/${ref}`)).json().team?.name).toBe('Development');
  });

  it('changes a role only on Enter and after a confirmation, keeping the focus', async () => {
    const { desk, org } = on();
    const page = await (await desk.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(page, desk.base, org.users.admin.email, PASSWORD);
    await page.goto(`${desk.base}/admin`);
    const name = org.users.volunteer.actor.name;
    const role = page.getByLabel(`Role for ${name}`);
    await role.focus();
    const roleOf = async () =>
      ((await (await org.as('admin')).get('/api/admin/users')).json().items as Array<{ id: number; role: string }>).find(
        (u) => u.id === org.users.volunteer.id,
      )?.role;

    await page.keyboard.press('ArrowUp');
    await new Promise((r) => setTimeout(r, 300));
    expect(await roleOf()).toBe('volunteer');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Enter asks first; cancelling leaves the role and puts the focus back.
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Change role' });
    await dialog.getByText(`from Volunteer to Associate`).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await roleOf()).toBe('volunteer');
    expect(await role.inputValue()).toBe('volunteer');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'select', name: `Role for ${name}` });

    // Confirmed: saved, and the focus is back on the select.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Make associate' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(roleOf).toBe('associate');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'select', name: `Role for ${name}` });
  });

  it('moves the focus to what is new, and back to the row left', async () => {
    const { desk, org } = on();
    const api = await org.as('associate');
    const refs: string[] = [];
    for (let i = 0; i < 30; i++) refs.push((await logCall(api, { subject: `Row ${i} focus ${dialect}` })).ref);
    const page = await (await desk.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(page, desk.base, org.users.associate.email, PASSWORD);
    await page.goto(`${desk.base}/queue/open`);
    await page.getByRole('link', { name: `Row 29 focus ${dialect}` }).waitFor();

    // Down the queue with j, back up with k: the focused row is never under the fixed header.
    const headerBottom = await page.locator('header').evaluate((h) => h.getBoundingClientRect().bottom);
    const rowTop = () =>
      page.evaluate(() => document.activeElement?.closest('.data-row')?.getBoundingClientRect().top ?? -1);
    for (let i = 0; i < 29; i++) await page.keyboard.press('j');
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('k');
      expect(await rowTop()).toBeGreaterThanOrEqual(headerBottom);
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await rowTop()).toBeGreaterThanOrEqual(headerBottom);
    }
    const row = await focused(page);
    expect(row.tag).toBe('a');

    // Enter opens the case: its heading has the focus.
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/cases\//);
    await expect.poll(async () => (await focused(page)).tag).toBe('h1');
    expect((await focused(page)).text).toContain(row.text);

    // Back to the queue: the row left has the focus again.
    await page.goBack();
    await page.waitForURL(/\/queue\/open/);
    await expect.poll(async () => (await focused(page)).text).toBe(row.text);

    // A search: the results' heading.
    await page.keyboard.press('/');
    await page.keyboard.type('focus');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search/);
    await expect.poll(async () => (await focused(page)).text).toBe('Search results for “focus”');

    // A jump to a reference: the case's heading.
    await page.keyboard.press('/');
    await page.keyboard.type(refs[3]!);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/cases/${refs[3]}$`));
    await expect.poll(async () => (await focused(page)).text).toContain(`Row 3 focus ${dialect}`);

    // A quick log: the new case's heading, not the button that opened the dialog.
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'Log a call or visit' });
    await dialog.getByLabel(/^Patron( \*)?$/).fill('Focus Patron');
    await dialog.getByRole('option', { name: /New patron/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await dialog.getByLabel('Subject').fill(`Logged by keyboard ${dialect}`);
    await dialog.getByLabel('What happened').fill('Asked about parking.');
    await dialog.getByRole('button', { name: 'Log it' }).press('Enter');
    await page.waitForURL(/\/cases\/SW-\d+$/);
    await expect.poll(async () => (await focused(page)).text, { timeout: 5000 }).toContain(`Logged by keyboard ${dialect}`);
    await new Promise((r) => setTimeout(r, 500)); // the dialog's closing must not take it back
    expect((await focused(page)).tag).toBe('h1');

    // A saved profile: the profile's heading.
    await page.getByRole('link', { name: 'Focus Patron' }).press('Enter');
    await page.getByRole('button', { name: 'Edit profile' }).press('Enter');
    await page.getByLabel('Preferred name').fill('Foc');
    await page.getByRole('button', { name: 'Save profile' }).press('Enter');
    await expect.poll(async () => (await focused(page)).text).toBe('Profile');

    // A wrong password: the summary of what went wrong, announced.
    const other = await (await desk.browser.newContext()).newPage();
    await other.goto(`${desk.base}/login`);
    await other.getByLabel('Email').fill(org.users.associate.email);
    await other.getByLabel('Password').fill('not the password');
    await other.getByLabel('Password').press('Enter');
    await other.getByText('Could not sign in').waitFor();
    await expect.poll(async () => (await focused(other)).role).toBe('alert');
  });
});
