// A patron's memory as a supervisor keeps it: find a patron on the Patrons screen as you type,
// add an ongoing need and a personal note, merge the duplicate the desk points out (a nickname
// and a shared phone), and export the list, which holds the survivor once and no note.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import type { PatronDetail } from '../../src/contracts/patrons.js';
import { PASSWORD } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk, signInAs } from './desk.js';

describeOnDesk('a patron’s memory', (on, dialect) => {
  it('finds a patron, adds a need and a personal note, merges a duplicate, and exports the list', async () => {
    const { desk, org } = on();
    const sup = await org.as('supervisor');
    const family = `Oyelaran${dialect === 'postgres' ? 'pg' : 'sq'}`;
    const margaret: PatronDetail = (
      await sup.post('/api/patrons', { name: `Margaret ${family}`, email: `margaret.${family.toLowerCase()}@example.org`, phone: '(312) 555-0142' })
    ).json();
    const peggy: PatronDetail = (await sup.post('/api/patrons', { name: `Peggy ${family}`, phone: '312.555.0142' })).json();
    expect(peggy.id).not.toBe(margaret.id);

    const page = await (await desk.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAs(page, desk.base, org.users.supervisor.email, PASSWORD);
    await page.goto(`${desk.base}/patrons`);
    await page.getByRole('heading', { name: 'Patrons', level: 1 }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // Find as you type: a prefix of the family name finds both.
    await page.getByLabel('Find').fill(family.slice(0, 6));
    const table = page.getByRole('table');
    await table.getByRole('link', { name: `Margaret ${family}` }).waitFor();
    await table.getByRole('link', { name: `Peggy ${family}` }).waitFor();
    await table.getByRole('link', { name: `Margaret ${family}` }).click();
    await page.waitForURL(new RegExp(`/patrons/${margaret.id}$`));

    // An ongoing need and a personal note.
    await page.getByLabel('New need').fill('Wheelchair seating near an aisle');
    await page.getByRole('button', { name: 'Add need' }).click();
    await page.getByText('Wheelchair seating near an aisle').first().waitFor();
    await page.getByLabel('New note').fill('Her grandson sings in the youth choir');
    await page.locator('form', { has: page.getByLabel('New note') }).getByLabel('Kind').selectOption('personal');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Her grandson sings in the youth choir').waitFor();

    // The desk points out the duplicate (Peggy is Margaret, same phone); compare and merge.
    const same = page.getByRole('region', { name: 'Same person?' });
    await same.getByText(`Likely the same person as Peggy ${family}`).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await same.getByRole('button', { name: 'Compare and merge' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Merge', exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await same.getByText(`Peggy ${family} was merged in`).waitFor();
    await same.getByRole('button', { name: 'Undo merge' }).waitFor();

    // The export holds the survivor once, the merged patron not at all, and no note.
    await page.goto(`${desk.base}/patrons`);
    await page.getByLabel('Find').fill(family.slice(0, 6));
    await page.getByRole('table').getByRole('link', { name: `Margaret ${family}` }).waitFor();
    await expect.poll(async () => page.getByRole('table').getByRole('link', { name: `Peggy ${family}` }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^patrons-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n').filter((line) => line.includes(family))).toHaveLength(1);
    expect(csv).toContain(`Margaret ${family}`);
    expect(csv).not.toContain('grandson');
  }, 120_000);
});
