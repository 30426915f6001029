// A patron writes in through the public form; an associate finds the case in the team queue,
// replies, adds an internal note and resolves it; the patron's status link shows the reply and
// never the note. Every public page passes axe's WCAG 2.2 AA rules on the way.
import { expect, it } from 'vitest';
import { PASSWORD } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk, signInAs } from './desk.js';

describeOnDesk('a web-form case, end to end', (on, dialect) => {
  it('goes from the public form to a resolved case the patron can follow', async () => {
    const { desk, org } = on();
    const { base, browser } = desk;
    const patron = await (await browser.newContext()).newPage();
    const subject = `Wheelchair seating on Friday ${dialect}`;

    // The help center and the contact form, accessible before and after a failed submit.
    await patron.goto(`${base}/help/${org.slug}`);
    await expect.poll(() => patron.getByRole('heading', { level: 1 }).textContent()).toContain(`Test Org`);
    expect(await accessibilityViolations(patron)).toEqual([]);
    await patron.getByRole('link', { name: 'Contact us' }).click();
    await patron.getByRole('button', { name: 'Send message' }).waitFor();
    expect(await accessibilityViolations(patron)).toEqual([]);

    await patron.getByRole('button', { name: 'Send message' }).click();
    const summary = patron.getByRole('alert').filter({ hasText: 'Please fix the following' });
    await summary.waitFor();
    expect(await summary.getByRole('link').count()).toBeGreaterThanOrEqual(3);
    await patron.getByLabel('Email').fill('not an email');
    expect(await accessibilityViolations(patron)).toEqual([]);

    await patron.getByLabel('Your name').fill('Carla Chen');
    await patron.getByLabel('Email').fill('carla.chen@example.org');
    await patron.getByLabel('Subject').fill(subject);
    await patron.getByLabel('How can we help?').fill('My father uses a wheelchair. Is there room on Friday evening?');
    await patron.getByRole('button', { name: 'Send message' }).click();
    const thanks = patron.getByRole('heading', { name: /Thank you — we have your message/ });
    await thanks.waitFor();
    const confirmation = (await patron.locator('main').textContent()) ?? '';
    const reference = /SW-\d+/.exec(confirmation)?.[0];
    expect(reference).toBeDefined();
    const statusPath = await patron.getByRole('link', { name: 'Follow your case' }).getAttribute('href');
    expect(statusPath).toMatch(/^\/status\/[A-Za-z0-9_-]{32}$/);
    expect(await accessibilityViolations(patron)).toEqual([]);

    // The associate finds it in the team queue and works it.
    const desk1 = await (await browser.newContext()).newPage();
    await signInAs(desk1, base, org.users.associate.email, PASSWORD);
    await desk1.getByRole('link', { name: /^My team/ }).click();
    await desk1.getByRole('link', { name: subject }).click();
    await desk1.getByRole('heading', { name: new RegExp(reference!) }).waitFor();

    await desk1.getByLabel('Message').fill('Yes: row A has a wheelchair space with a companion seat on Friday.');
    await desk1.getByRole('button', { name: 'Send reply' }).click();
    await desk1.getByText('row A has a wheelchair space').waitFor();

    await desk1.getByText('Internal note', { exact: true }).click();
    await desk1.getByLabel('Message').fill('INTERNAL: her father is on the board; seat them near the aisle.');
    await desk1.getByRole('button', { name: 'Add note' }).click();
    await desk1.getByText('her father is on the board').waitFor();

    await desk1.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => desk1.getByLabel('Status', { exact: true }).inputValue()).toBe('resolved');

    // The patron's private link shows the reply and the resolution, never the note.
    await patron.goto(`${base}${statusPath}`);
    await patron.getByText('row A has a wheelchair space').waitFor();
    const page = (await patron.locator('main').textContent()) ?? '';
    expect(page).toContain(reference!);
    expect(page).toMatch(/Resolved/);
    expect(page).not.toContain('INTERNAL');
    expect(page).not.toContain('on the board');
    expect(await accessibilityViolations(patron)).toEqual([]);

    // And the patron can answer, which brings the case back to the desk.
    await patron.getByLabel('Your reply').fill('Thank you! Can we also park nearby?');
    await patron.getByRole('button', { name: 'Send reply' }).click();
    await patron.getByText('Can we also park nearby?').waitFor();
    const back = await org.as('associate');
    expect((await back.get(`/api/cases/${reference}`)).json().status).toBe('open');
  });

  it('does not show a stranger another patron’s case', async () => {
    const { desk } = on();
    const page = await (await desk.browser.newContext()).newPage();
    await page.goto(`${desk.base}/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    await page.getByText('We could not find this case').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
