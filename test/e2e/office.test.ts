// A box-office team's first day: the audit log in words, two associates answering the same
// patron, the small things (where one lands, taking a case by replying, replacing a status link,
// choosing an organization at sign-in, what volunteers may delete), search as you type that a
// slow answer cannot overwrite, and the desk on a phone.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { logCall, PASSWORD } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk, signInAs } from './desk.js';

const SHOTS = process.env.SCREENSHOTS_DIR;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

describeOnDesk('a box office’s first day', (on, dialect) => {
  it('shows the audit log in words, filtered by kind, sign-ins only when asked', async () => {
    const { desk, org } = on();
    const admin = await org.as('admin');
    expect((await admin.patch(`/api/admin/users/${org.users.volunteer.id}`, { teamId: org.teams.development })).statusCode).toBe(200);
    const page = await (await desk.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(page, desk.base, org.users.admin.email, PASSWORD);
    await page.goto(`${desk.base}/admin`);
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const log = page.getByRole('table', { name: 'Audit log' });
    await log.getByText('Changed a user’s name or team').waitFor();
    const text = (await log.textContent()) ?? '';
    expect(text).toContain(`User ${org.users.volunteer.actor.name}`);
    expect(text).not.toContain('user.updated');
    expect(text).not.toContain('Signed in');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, `audit-1280-${dialect}`);

    await page.getByLabel('Include sign-ins').check();
    await log.getByText('Signed in').first().waitFor();
    await page.getByLabel('Show').selectOption({ label: 'Users' });
    await expect.poll(async () => (await log.textContent()) ?? '').not.toContain('Signed in');
    expect(await log.textContent()).toContain('Changed a user’s name or team');
    await page.getByLabel('Show').selectOption({ label: 'Sign-ins' });
    await expect.poll(async () => (await log.textContent()) ?? '').not.toContain('Changed a user');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('says when a colleague replied while you were writing, and asks before sending', async () => {
    const { desk, org } = on();
    const { ref } = await logCall(await org.as('associate'), { subject: `Refund for a cancelled show ${dialect}` });
    const sam = await (await desk.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(sam, desk.base, org.users.associate.email, PASSWORD);
    await sam.goto(`${desk.base}/cases/${ref}`);
    await sam.getByLabel('Message').fill('Hello Ana, about your refund…');

    // Jordan answers first, from another desk.
    const jordan = org.users.supervisor.actor.name;
    const res = await (await org.as('supervisor')).post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'Refund sent today.' });
    expect(res.statusCode).toBe(201);
    const notice = sam.getByRole('status').getByText(new RegExp(`${jordan} replied \\d+ s ago`));
    await notice.waitFor({ timeout: 10_000 });
    await sam.getByText('Refund sent today.').waitFor();
    await shot(sam, `collision-1280-${dialect}`);

    // Sending asks first; "Read theirs first" sends nothing.
    await sam.getByRole('button', { name: 'Send reply' }).click();
    const ask = sam.getByRole('dialog', { name: 'A colleague has replied' });
    await ask.getByText(`${jordan} replied`).waitFor();
    await ask.getByRole('button', { name: 'Read theirs first' }).click();
    await ask.waitFor({ state: 'detached' });
    const replies = async () =>
      ((await (await org.as('associate')).get(`/api/cases/${ref}`)).json().entries as Array<{ kind: string }>).filter(
        (e) => e.kind === 'message_out',
      ).length;
    expect(await replies()).toBe(1);
    await sam.getByRole('button', { name: 'Send reply' }).click();
    await ask.getByRole('button', { name: 'Send my reply too' }).click();
    await expect.poll(replies).toBe(2);
    await expect.poll(() => notice.count()).toBe(0);
  });

  it('gets the small things right', async () => {
    const { desk, org } = on();
    const browser = desk.browser;
    // Associates land on their own cases; supervisors on the whole desk.
    const assoc = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(assoc, desk.base, org.users.associate.email, PASSWORD);
    expect(new URL(assoc.url()).pathname).toBe('/queue/mine');
    const sup = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(sup, desk.base, org.users.supervisor.email, PASSWORD);
    expect(new URL(sup.url()).pathname).toBe('/queue/open');

    // Replying to an unassigned case takes it.
    const api = await org.as('associate');
    const { ref, statusUrl } = await logCall(api, { subject: `Lost umbrella ${dialect}`, assigneeId: null, patron: { name: 'Pia Quinn', email: `pia.${dialect}@example.org`, phone: '(312) 555-0199' } });
    await assoc.goto(`${desk.base}/cases/${ref}`);
    await assoc.getByLabel('Message').fill('We found it at the coat check.');
    expect(await assoc.getByLabel('Assign this case to me').isChecked()).toBe(true);
    await assoc.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(async () => (await api.get(`/api/cases/${ref}`)).json().assignee?.id).toBe(org.users.associate.id);

    // Staff may replace the status link; the old one stops working.
    await sup.goto(`${desk.base}/cases/${ref}`);
    await sup.getByRole('button', { name: 'Replace link' }).click();
    await sup.getByRole('dialog', { name: 'Replace the status link' }).getByRole('button', { name: 'Replace link' }).click();
    await expect.poll(() => sup.getByLabel('Link for the patron').inputValue()).not.toBe(statusUrl);
    // Volunteers see neither the link nor the button.
    const vol = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(vol, desk.base, org.users.volunteer.email, PASSWORD);
    await vol.goto(`${desk.base}/cases/${ref}`);
    await vol.getByRole('heading', { name: new RegExp(ref) }).waitFor();
    expect(await vol.getByRole('button', { name: 'Replace link' }).count()).toBe(0);
    expect(await vol.getByLabel('Link for the patron').count()).toBe(0);

    // Volunteers delete their own notes only.
    const patronId = (await api.get(`/api/cases/${ref}`)).json().patron.id as number;
    await (await org.as('supervisor')).post(`/api/patrons/${patronId}/notes`, { kind: 'general', body: 'Prefers email.' });
    await (await org.as('volunteer')).post(`/api/patrons/${patronId}/notes`, { kind: 'general', body: 'Came by on Tuesday.' });
    await vol.goto(`${desk.base}/patrons/${patronId}`);
    await vol.getByText('Prefers email.').waitFor();
    await vol.getByText('Came by on Tuesday.').waitFor();
    expect(await vol.getByRole('button', { name: /^Delete general note from Supervisor/ }).count()).toBe(0);
    expect(await vol.getByRole('button', { name: /^Delete general note from Volunteer/ }).count()).toBe(1);

    // A patron found by search shows the email and the phone once.
    await assoc.goto(`${desk.base}/search?q=Pia`);
    const hit = assoc.getByRole('region', { name: 'Patrons' }).getByRole('listitem').first();
    await hit.getByText('Pia Quinn').waitFor();
    const hitText = (await hit.textContent()) ?? '';
    expect(hitText.split(`pia.${dialect}@example.org`).length - 1).toBe(1);
    expect(hitText.split('555-0199').length - 1).toBe(1);

    // One email and password in two organizations: the sign-in asks which. (The supervisor's:
    // the tests after this one sign in as the associate.)
    const other = await (await import('../../src/server/testing/factories.js')).makeOrg(desk.h);
    const made = await (await other.as('admin')).post('/api/admin/users', {
      name: 'Supervisor Twin',
      email: org.users.supervisor.email,
      role: 'associate',
      teamId: null,
      password: PASSWORD,
    });
    expect(made.statusCode).toBe(201);
    const login = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await login.goto(`${desk.base}/login`);
    await login.getByLabel('Email').fill(org.users.supervisor.email);
    await login.getByLabel('Password').fill(PASSWORD);
    await login.getByRole('button', { name: 'Sign in' }).click();
    const choose = login.getByLabel('Organization');
    await choose.waitFor();
    expect(await accessibilityViolations(login)).toEqual([]);
    await shot(login, `login-organization-390-${dialect}`);
    await choose.selectOption({ value: other.slug });
    await login.getByRole('button', { name: 'Sign in' }).click();
    await login.waitForURL(/\/queue\/mine/);
    await login.getByRole('heading', { level: 1 }).waitFor();
    const session = await login.evaluate(() => fetch('/api/session').then((r) => r.json()));
    expect(session.org.slug).toBe(other.slug);
  });

  it('searches as you type, and a slow older answer never replaces a newer one', async () => {
    const { desk, org } = on();
    const api = await org.as('associate');
    await logCall(api, { subject: `Abbey tour for seniors ${dialect}`, patron: { name: 'Victor Abbott' } });
    await logCall(api, { subject: `Abacus workshop ${dialect}`, patron: { name: 'Victoria Abel' } });
    const page = await (await desk.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(page, desk.base, org.users.associate.email, PASSWORD);

    const asked: string[] = [];
    // The first answer for "ab" is held back 1.5 s: it arrives after the answer for "abb".
    await page.route(/\/api\/search\?/, async (route) => {
      const q = new URL(route.request().url()).searchParams.get('q') ?? '';
      asked.push(q);
      if (q === 'ab') await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto(`${desk.base}/search`);
    const box = page.getByLabel('Search for');
    await box.pressSequentially('ab', { delay: 40 });
    await expect.poll(() => asked.length).toBe(1); // typed quickly: one request, not one per key
    await box.pressSequentially('b', { delay: 40 });
    const results = page.getByRole('region', { name: 'Cases' });
    await results.getByText(`Abbey tour for seniors ${dialect}`).waitFor();
    await new Promise((r) => setTimeout(r, 2000)); // the slow "ab" answer has come and gone
    expect(await results.getByText(`Abacus workshop ${dialect}`).count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Search results for “abb”');
    expect(asked).toEqual(['ab', 'abb']);
    // The box kept the focus all along.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('abb');

    // The quick log's patron picker, the same way.
    const looked: string[] = [];
    await page.route(/\/api\/patrons\/lookup\?/, async (route) => {
      const q = new URL(route.request().url()).searchParams.get('q') ?? '';
      looked.push(q);
      if (q === 'Vic') await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Log a call or visit' }).click();
    const picker = page.getByRole('dialog').getByLabel(/^Patron( \*)?$/);
    await picker.pressSequentially('Vic', { delay: 40 });
    await expect.poll(() => looked.length).toBe(1);
    await picker.pressSequentially('toria', { delay: 40 });
    await page.getByRole('option', { name: /Victoria Abel/ }).waitFor();
    await new Promise((r) => setTimeout(r, 2000));
    expect(await page.getByRole('option', { name: /Victor Abbott/ }).count()).toBe(0);
    expect(looked).toEqual(['Vic', 'Victoria']);
  });

  it('fits a phone: cards, filters in a sheet, a case that reflows at 320 px', async () => {
    const { desk, org } = on();
    const api = await org.as('associate');
    const { ref } = await logCall(api, { subject: `Wheelchair seating for the Saturday matinee ${dialect}` });
    for (let i = 0; i < 3; i++) await logCall(api, { subject: `Phone row ${i} ${dialect}` });
    const ctx = await desk.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await ctx.newPage();
    await signInAs(page, desk.base, org.users.associate.email, PASSWORD);
    await page.goto(`${desk.base}/queue/open`);
    await page.getByRole('link', { name: `Phone row 2 ${dialect}` }).waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Cards, not a 960 px table; status and assignee on each card.
    expect(await page.getByRole('table').count()).toBe(0);
    const card = page.getByRole('list', { name: 'Cases' }).getByRole('listitem').first();
    expect(await card.textContent()).toMatch(/Status.*Assignee/s);
    // The seven filters fold behind one button.
    expect(await page.getByLabel('Channel').count()).toBe(0);
    await shot(page, `queue-390-${dialect}`);
    await page.getByRole('button', { name: /^Filters/ }).click();
    const sheet = page.getByRole('dialog', { name: 'Filters' });
    await sheet.getByLabel('Priority').waitFor();
    // The sheet's close button says what it closes (axe: button-name).
    expect(await accessibilityViolations(page)).toEqual([]);
    await sheet.getByLabel('Priority').selectOption('urgent');
    await sheet.getByRole('button', { name: 'Show cases' }).click();
    await page.getByRole('button', { name: 'Filters (1 on)' }).waitFor();
    await page.getByText('No cases match these filters.').waitFor();

    for (const width of [390, 320]) {
      await page.setViewportSize({ width, height: 844 });
      await page.goto(`${desk.base}/cases/${ref}`);
      const resolve = page.getByRole('button', { name: 'Resolve' });
      await resolve.waitFor();
      expect(await overflow(), `${width}`).toBeLessThanOrEqual(0);
      // "Resolve" whole, not "Res".
      expect(await resolve.evaluate((b) => b.scrollWidth <= b.clientWidth + 1)).toBe(true);
      const box = await resolve.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      // Status and assignee above the reply box.
      const top = async (label: string) => (await page.getByRole(label === 'Message' ? 'textbox' : 'combobox', { name: label, exact: true }).boundingBox())!.y;
      expect(await top('Status')).toBeLessThan(await top('Message'));
      expect(await top('Assignee')).toBeLessThan(await top('Message'));
      // The patron's last contacts (three other cases) are links big enough to hit (target-size).
      await page.getByText('Last contacts').waitFor();
      expect(await accessibilityViolations(page), `${width}`).toEqual([]);
      await shot(page, `case-${width}-${dialect}`);
    }
  });
});
