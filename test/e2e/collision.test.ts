// Two associates on one case: each sees the other, the warning says who is writing, and a
// change made by one shows up on the other's screen without a reload. Search by keyboard
// jumps straight to a reference.
import { expect, it } from 'vitest';
import { logCall, PASSWORD } from '../../src/server/testing/factories.js';
import { describeOnDesk, signInAs } from './desk.js';

describeOnDesk('two associates on one case', (on) => {
  it('warns of the colleague, says who is writing, and carries changes live', async () => {
    const { desk, org } = on();
    const { base, browser } = desk;
    const { ref } = await logCall(await org.as('associate'), { subject: 'Group booking for a school' });
    const jordan = await (await browser.newContext()).newPage();
    const sam = await (await browser.newContext()).newPage();
    await signInAs(jordan, base, org.users.associate.email, PASSWORD);
    await signInAs(sam, base, org.users.supervisor.email, PASSWORD);

    // Search from anywhere by keyboard: "/" then a reference goes straight to the case.
    await jordan.keyboard.press('/');
    await jordan.keyboard.type(ref);
    await jordan.keyboard.press('Enter');
    await jordan.waitForURL(new RegExp(`/cases/${ref}$`));
    await sam.goto(`${base}/cases/${ref}`);

    const assocName = org.users.associate.actor.name;
    const supName = org.users.supervisor.actor.name;
    await sam.getByRole('status').getByText(`${assocName} is also viewing this case`).waitFor();
    await jordan.getByRole('status').getByText(`${supName} is also viewing this case`).waitFor();

    await jordan.getByLabel('Message').fill('Drafting an answer about the group rate…');
    await sam.getByRole('status').getByText(`${assocName} is writing a reply`).waitFor();

    // A change on one screen appears on the other without a reload.
    await jordan.getByLabel('Priority').selectOption('urgent');
    await expect.poll(() => sam.getByLabel('Priority').inputValue(), { timeout: 10_000 }).toBe('urgent');

    // Leaving the case clears the warning for the colleague.
    await jordan.goto(`${base}/queue/open`);
    // (The case also says for a minute who changed it: only the presence words must go.)
    await expect
      .poll(() => sam.getByText(new RegExp(`${assocName} is (also viewing this case|writing a reply)`)).count(), { timeout: 10_000 })
      .toBe(0);
  });
});
