// The staffing journey: a supervisor lets the box office take the time (callbacks), adds a
// morning of callback slots and reads the planner's trade-off; a patron on a phone books a
// callback from the help center (axe clean); an associate books a slot from a case screen.
import { expect, it } from 'vitest';
import { logCall, PASSWORD } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk, signInAs } from './desk.js';

/** Tomorrow in the test organization's calendar (America/Chicago), as YYYY-MM-DD. */
const tomorrow = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(Date.now() + 86_400_000);

describeOnDesk('service modes and the staffing planner', (on) => {
  it('takes the time: slots set up by a supervisor, booked by a patron on a phone and by an associate', async () => {
    const { desk, org } = on();
    const { base, browser } = desk;
    const sup = await (await browser.newContext()).newPage();
    await signInAs(sup, base, org.users.supervisor.email, PASSWORD);
    await sup.getByRole('link', { name: 'Staffing planner' }).click();
    await sup.getByRole('heading', { name: 'Staffing planner' }).waitFor();

    // The week plan draws the trade-off for one hour, even with no history yet.
    await sup.getByRole('heading', { name: 'One hour: people against waiting' }).waitFor();

    // Phone: take the time.
    await sup.getByRole('tab', { name: 'Mode and hours' }).click();
    await sup.getByText('Take the time (slots)').click();
    await sup.getByRole('button', { name: 'Save mode' }).click();
    await sup.getByText('Saved the phone mode.').waitFor();

    // A morning of 15-minute callback slots, two places each.
    await sup.getByRole('tab', { name: 'Slots' }).click();
    await sup.getByLabel('Day').fill(tomorrow());
    await sup.getByLabel(/^From\b(?! hour)/).fill('10:00');
    await sup.getByLabel(/^To\b(?! hour)/).fill('11:00');
    await sup.getByLabel('Places per slot').fill('2');
    await sup.getByRole('button', { name: 'Add slots' }).click();
    await expect.poll(() => sup.getByText('0 of 2').count(), { timeout: 10_000 }).toBe(4);

    // A patron on a phone books a callback from the help center.
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    await phone.goto(`${base}/help/${org.slug}`);
    await phone.getByRole('link', { name: 'Book a callback' }).click();
    await phone.getByRole('heading', { name: 'Book a callback' }).waitFor();
    expect(await accessibilityViolations(phone)).toEqual([]);
    // Sent empty: every problem listed, axe still clean.
    await phone.getByRole('button', { name: 'Book this time' }).click();
    await phone.getByText('Please fix the following').waitFor();
    expect(await accessibilityViolations(phone)).toEqual([]);
    await phone.getByRole('radio').first().check();
    await phone.getByLabel('Your name').fill('Carla Chen');
    await phone.getByLabel('Email').fill('carla@example.org');
    await phone.getByLabel(/^Phone/).fill('(312) 555-0142');
    await phone.getByLabel('What it is about').fill('Wheelchair seating for Friday.');
    await phone.getByRole('button', { name: 'Book this time' }).click();
    await phone.getByRole('heading', { name: 'Booked — we will call you' }).waitFor();
    expect(await phone.getByText(/Your reference is/).textContent()).toMatch(/SW-\d+/);
    expect(await accessibilityViolations(phone)).toEqual([]);
    const scrolls = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(scrolls).toBe(false);

    // An associate books a callback from a case screen, by keyboard.
    const { ref } = await logCall(await org.as('associate'), { subject: 'Seat exchange question' });
    const assoc = await (await browser.newContext()).newPage();
    await signInAs(assoc, base, org.users.associate.email, PASSWORD);
    await assoc.goto(`${base}/cases/${ref}`);
    await assoc.getByRole('heading', { name: 'Callback or appointment' }).waitFor();
    const slotField = assoc.getByLabel('Free slot');
    await slotField.focus();
    await assoc.keyboard.press('ArrowDown');
    await expect.poll(() => slotField.inputValue()).not.toBe('');
    await assoc.getByLabel('Note (optional)').fill('Call after the matinee');
    await assoc.getByRole('button', { name: 'Book slot' }).focus();
    await assoc.keyboard.press('Enter');
    await assoc.getByRole('button', { name: /^Cancel the booking of/ }).waitFor();
    await assoc.getByText(/Booked a callback: .*Call after the matinee/).waitFor();
    // The booking is a promise on the case, with its owner and due time.
    await assoc.getByRole('group', { name: /^Promise: Call back .*\(Call after the matinee\)$/ }).waitFor();

    // The supervisor's calendar shows both bookings.
    await sup.reload();
    await sup.getByRole('tab', { name: 'Slots' }).click();
    await expect.poll(async () => (await sup.getByText(/^1 of 2$|^2 of 2$/).count()) > 0, { timeout: 10_000 }).toBe(true);

    // A gala hour set by hand in this week's forecast: the planner opens on it, with the staff
    // counts near the target and the one that meets it marked.
    const planner = await org.as('supervisor');
    const plan = (await planner.get(`/api/staffing/teams/${org.teams.boxOffice}/plan?channel=phone`)).json() as { week: string };
    const gala = { channel: 'phone', kind: 'set', day: plan.week, fromHour: 10, toHour: 11, value: 60, note: 'Gala' };
    expect((await planner.post(`/api/staffing/teams/${org.teams.boxOffice}/forecast-edits`, gala)).statusCode).toBe(201);

    // The planner on a phone: the week table scrolls inside its frame, the page does not; the
    // tabs are reached by keyboard (arrow keys move between them).
    await sup.setViewportSize({ width: 390, height: 844 });
    await sup.reload();
    await sup.getByRole('heading', { name: 'One hour: people against waiting' }).waitFor();
    expect(await sup.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await sup.getByText('meets target').first().waitFor();
    expect(await accessibilityViolations(sup)).toEqual([]);
    await sup.getByRole('tab', { name: 'Week plan' }).focus();
    await sup.keyboard.press('ArrowRight');
    await sup.keyboard.press('Enter');
    await sup.getByRole('heading', { name: /answer now, or take the time\?/ }).waitFor();
  });
});
