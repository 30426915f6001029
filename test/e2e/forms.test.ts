// An associate logs a call by keyboard and gets every mistake pointed out at once, in the same
// words the server uses; a patron's long history pages in; a note is deleted only once the
// associate confirms. The shared form, table and dialog pieces, the way staff meet them.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { logCall, PASSWORD } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk, signInAs } from './desk.js';

const focusedRole = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('role') ?? document.activeElement?.tagName);

/** The error message Mantine ties to a field through aria-describedby. */
async function describedError(page: Page, label: string): Promise<string | null> {
  const field = page.getByRole('dialog').getByRole('textbox', { name: label, exact: true });
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  const ids = (await field.getAttribute('aria-describedby')) ?? '';
  const errorId = ids.split(' ').find((id) => id.endsWith('-error'));
  return errorId ? page.locator(`[id="${errorId}"]`).textContent() : null;
}

describeOnDesk('forms, lists and confirmations on the desk', (on, dialect) => {
  it('lists every problem of a quick log at once, worded as the server words them', async () => {
    const { desk, org } = on();
    const page = await (await desk.browser.newContext()).newPage();
    await signInAs(page, desk.base, org.users.associate.email, PASSWORD);

    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'Log a call or visit' });
    await dialog.getByRole('button', { name: 'Log it' }).click();
    const summary = dialog.getByRole('alert');
    await summary.getByText('Please fix the following').waitFor();
    // All at once, the patron's too (a rule of the server's, checked before sending as well).
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'Patron is required: pick a patron or add a new one',
      'Subject must not be empty',
      'What happened must not be empty',
    ]);
    // The summary is a live region; every required field says so.
    expect(await summary.getAttribute('role')).toBe('alert');
    for (const label of ['Patron', 'Subject', 'What happened']) {
      const field = dialog.getByLabel(new RegExp(`^${label}( \\*)?$`));
      expect(await field.evaluate((el) => (el as HTMLInputElement).required || el.getAttribute('aria-required') === 'true'), label).toBe(true);
    }
    // Announced: the summary takes the focus; each field says what is wrong with it.
    expect(await focusedRole(page)).toBe('alert');
    expect(await describedError(page, 'Subject')).toBe('Subject must not be empty');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A link in the summary leads to its field.
    await summary.getByRole('link', { name: 'What happened must not be empty' }).click();
    await dialog.getByLabel('What happened').fill('Asked about seats for a school group.');
    await dialog.getByLabel('Subject').fill(`School group seats ${dialect}`);
    // Still no patron: still said, on the patron field.
    await dialog.getByRole('button', { name: 'Log it' }).click();
    await summary.getByRole('link', { name: 'Patron is required: pick a patron or add a new one' }).waitFor();

    // A new patron, picked by keyboard, with a mistyped email.
    await dialog.getByLabel(/^Patron( \*)?$/).fill('Dana Brooks');
    await dialog.getByRole('option', { name: /New patron/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await dialog.getByLabel('Email', { exact: true }).fill('dana.brooks@');
    await dialog.getByRole('button', { name: 'Log it' }).click();
    await summary.getByRole('link', { name: 'Email must be a valid email address' }).waitFor();
    expect(await describedError(page, 'Email')).toBe('Email must be a valid email address');

    await dialog.getByLabel('Email', { exact: true }).fill('dana.brooks@example.org');
    await dialog.getByRole('button', { name: 'Log it' }).click();
    await page.waitForURL(/\/cases\/SW-\d+$/);
    await page.getByRole('heading', { name: new RegExp(`School group seats ${dialect}`) }).waitFor();
  });

  it('pages through a patron’s history and asks before deleting a note', async () => {
    const { desk, org } = on();
    const associate = await org.as('associate');
    const first = await logCall(associate, { patron: { name: 'Evan Long', phone: '(312) 555-0199' }, subject: 'Call 1' });
    const patronId = (await associate.get(`/api/cases/${first.ref}`)).json().patron.id as number;
    for (let i = 2; i <= 21; i++) await logCall(associate, { patron: undefined, patronId, subject: `Call ${i}` });
    await associate.post(`/api/patrons/${patronId}/notes`, { kind: 'general', body: 'Prefers the aisle.' });

    const page = await (await desk.browser.newContext()).newPage();
    await signInAs(page, desk.base, org.users.associate.email, PASSWORD);
    await page.goto(`${desk.base}/patrons/${patronId}`);
    const history = page.getByRole('table', { name: 'Cases of Evan Long' });
    await history.waitFor();
    await expect.poll(() => history.locator('tbody tr').count()).toBe(20);
    await page.getByRole('heading', { name: 'Cases (20+)' }).waitFor();
    // Load more by keyboard: the focus moves on to the first case that came in.
    await page.getByRole('button', { name: 'Load more' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => history.locator('tbody tr').count()).toBe(21);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Call 1');
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    // Deleting a note asks first: Esc keeps the note, Enter confirms.
    const del = page.getByRole('button', { name: /^Delete general note/ });
    await del.focus();
    await page.keyboard.press('Enter');
    const ask = page.getByRole('dialog', { name: 'Delete note' });
    await ask.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    expect(await page.getByText('Prefers the aisle.').count()).toBe(1);
    await del.focus();
    await page.keyboard.press('Enter');
    await ask.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Delete note');
    await page.keyboard.press('Enter');
    await page.getByText('No notes yet.').waitFor();
    const notes = (await associate.get(`/api/patrons/${patronId}`)).json().notes;
    expect(notes).toEqual([]);
  });
  it('adds a user and saves the organization, every mistake named by its field', async () => {
    const { desk, org } = on();
    const page = await (await desk.browser.newContext()).newPage();
    await signInAs(page, desk.base, org.users.admin.email, PASSWORD);
    await page.goto(`${desk.base}/admin`);

    // A user with a bad email and a short password: both named; then right, and added.
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel(/^Name/).fill(`Robin Hale ${dialect}`);
    await dialog.getByLabel(/^Email/).fill('robin@');
    await dialog.getByLabel(/^Password/).fill('short');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const summary = dialog.getByRole('alert');
    await summary.getByText('Please fix the following').waitFor();
    expect(await summary.getByRole('link').count()).toBe(2);
    await dialog.getByLabel(/^Email/).fill(`robin.${dialect}@example.org`);
    await dialog.getByLabel(/^Password/).fill('a long enough password');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await page.getByText(`Added Robin Hale ${dialect}.`).waitFor();

    // The organization's name, emptied then changed.
    await page.getByRole('tab', { name: 'Organization' }).click();
    const name = page.getByLabel(/^Name/);
    await name.fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').getByText('Please fix the following').waitFor();
    await name.fill(`Riverside Players ${dialect}`);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Organization settings saved.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
