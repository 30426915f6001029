// Email as a newcomer meets it: a patron writes over real SMTP (with an attachment and quoted
// history), the case appears, an associate reads who wrote from which address, unfolds the
// history, sees the file and its size, replies, and watches the reply's delivery state turn to
// "Sent" as a loopback relay takes it. The admin adds a team address, sends a test message, and
// sets up fetching an address's mail by IMAP (a failed test and a failing poll, each explained).
// An HTML email shows formatted in a sandboxed frame (its script never runs), with plain text a
// click away and its remote image loaded only once asked for.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createInboundDoor, createMailListener, createMailRuntime, addTeamAddressIn, setRelayIn, type MailListener, type MailRuntime } from '../../src/server/mail/api.js';
import { startRelay, type LoopbackRelay } from '../../src/server/mail/testing/relay.js';
import { JobRunner } from '../../src/server/platform/jobs/index.js';
import { quietLog, until } from '../../src/server/platform/jobs/testing/kit.js';
import { inTransaction } from '../../src/server/platform/tx.js';
import { PASSWORD } from '../../src/server/testing/factories.js';
import { accessibilityViolations, describeOnDesk, signInAs } from './desk.js';

const HTML_EMAIL = readFileSync(new URL('../../src/server/mail/fixtures/html-remote-image.eml', import.meta.url));
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describeOnDesk('email in and out', (on) => {
  let relay: LoopbackRelay;
  let rt: MailRuntime;
  let runner: JobRunner;
  let listener: MailListener;
  let port: number;
  let box: string;
  beforeAll(async () => {
    const { desk, org } = on();
    const { h } = desk;
    relay = await startRelay();
    rt = createMailRuntime(h.p, { log: quietLog() });
    runner = new JobRunner({ db: h.db, clock: h.p.clock, types: rt.jobTypes, log: quietLog(), pollMs: 200 });
    listener = createMailListener({ ...createInboundDoor(h.p), hostname: 'mx.e2e.test', log: { info: () => {}, warn: () => {}, error: () => {} } });
    port = (await listener.listen(0, '127.0.0.1')).port;
    box = `boxoffice-${org.slug}@e2e.servewell.test`;
    await inTransaction(h.p, async (ctx) => {
      await addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, box);
      await setRelayIn(ctx, org.orgId, { mode: 'smtp', host: '127.0.0.1', port: relay.port, security: 'none', username: null, allowSelfSigned: false });
    });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop({ timeoutMs: 5000 });
    await listener?.close();
    await rt?.close();
    await relay?.close();
  });

  /** The reference of the email case with this subject, once the message has become one. */
  async function caseOf(subject: string): Promise<string> {
    const { desk, org } = on();
    let ref = '';
    await until(async () => {
      const row = await desk.h.db.kysely.selectFrom('cases').select('number').where('org_id', '=', org.orgId).where('channel', '=', 'email').where('subject', '=', subject).executeTakeFirst();
      if (row) ref = `${org.prefix}-${row.number}`;
      return Boolean(row);
    }, 'the email to become a case', 20_000);
    return ref;
  }

  it('turns a patron’s email into a case, shows its parts, and shows the reply’s delivery', async () => {
    const { desk, org } = on();
    const { base, browser } = desk;
    const pdf = Buffer.alloc(3 * 1024, 1);
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await t.sendMail({
      from: 'Zoë Abbott <zoe@patron.example>',
      to: box,
      subject: 'Receipt for my donation',
      text: 'Could you send the receipt again?\n\nOn Mon, 30 Nov 2026, Box office wrote:\n> Thank you for your gift.\n> We will send a receipt.',
      attachments: [{ filename: 'old-receipt.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    t.close();
    const ref = await caseOf('Receipt for my donation');

    const page = await (await browser.newContext()).newPage();
    await signInAs(page, base, org.users.associate.email, PASSWORD);
    await page.goto(`${base}/cases/${ref}`);
    await page.getByText('Could you send the receipt again?').waitFor();
    await page.getByText('Zoë Abbott <zoe@patron.example>').waitFor();
    // The quoted history is folded until asked for.
    const quoted = page.getByText('> Thank you for your gift.', { exact: false });
    expect(await quoted.isVisible()).toBe(false);
    await page.getByText('Show the quoted history').click();
    await quoted.waitFor({ state: 'visible' });
    // The attachment, with its size, downloads as a file.
    const link = page.getByRole('link', { name: 'old-receipt.pdf' });
    await page.getByText('(3 KB, application/pdf)').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('old-receipt.pdf');
    // The acknowledgement went out by itself.
    await page.getByText('Acknowledgement emailed automatically').waitFor();

    await page.getByLabel('Message').fill('Here it is again, attached to our records.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText(`Sent through smtp://127.0.0.1:${relay.port}`).first().waitFor({ timeout: 20_000 });
    await until(() => relay.relayed.some((m) => m.raw.toString().includes('Here it is again')), 'the relay to receive the reply');

    // The admin's screen: add an address, send a test message through the relay.
    const admin = await (await browser.newContext()).newPage();
    await signInAs(admin, base, org.users.admin.email, PASSWORD);
    await admin.goto(`${base}/admin`);
    await admin.getByRole('tab', { name: 'Email' }).click();
    await admin.getByRole('cell', { name: box, exact: true }).waitFor();
    await admin.getByLabel('New address', { exact: true }).fill(`tickets-${org.slug}@e2e.servewell.test`);
    await admin.getByRole('button', { name: 'Add address' }).click();
    await admin.getByRole('cell', { name: `tickets-${org.slug}@e2e.servewell.test`, exact: true }).waitFor();
    await admin.getByText(`Mail goes out through smtp://127.0.0.1:${relay.port}`).waitFor();
    await admin.getByLabel('Send to', { exact: true }).fill('me@admin.example');
    await admin.getByRole('button', { name: 'Send test message' }).click();
    await admin.getByText(`Test message: Sent through smtp://127.0.0.1:${relay.port}`).waitFor({ timeout: 20_000 });

    // Fetching an address's mail by IMAP: a failed connection test says why; once saved, the
    // mailbox is polled and the status table shows the failure (nothing answers on port 1).
    await admin.getByLabel('Address to fetch mail for').selectOption({ label: box });
    await admin.getByLabel('IMAP server', { exact: true }).fill('127.0.0.1');
    await admin.getByLabel('IMAP security', { exact: true }).selectOption('none');
    await admin.getByLabel('IMAP port', { exact: true }).fill('1');
    await admin.getByLabel('IMAP user name', { exact: true }).fill('desk');
    await admin.getByLabel('IMAP password', { exact: true }).fill('not-a-real-password');
    await admin.getByRole('button', { name: 'Test connection' }).click();
    await admin.getByRole('status').getByText('Nothing answers at 127.0.0.1:1 (connection refused).').waitFor();
    await admin.getByRole('button', { name: 'Save IMAP settings' }).click();
    await admin.getByRole('cell', { name: 'INBOX on 127.0.0.1:1' }).waitFor();
    await admin.getByRole('cell', { name: /Failing \(1 try\): Nothing answers at 127\.0\.0\.1:1/ }).waitFor({ timeout: 30_000 });
  }, 120_000);

  it('shows an HTML email formatted in a sandboxed frame, as plain text on request, remote images only when asked', async () => {
    const { desk, org } = on();
    const { base, browser } = desk;
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await t.sendMail({ envelope: { from: 'priya@patron.example', to: [box] }, raw: HTML_EMAIL });
    t.close();
    const ref = await caseOf('Re: Our table plan for the gala');

    const context = await browser.newContext();
    // The outside world, played here: the remote image and the page a link leads to.
    const remote: string[] = [];
    await context.route('https://images.patron.example/**', (route) => {
      remote.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
    });
    await context.route('https://patron.example/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Gala</title><p>The gala</p>' }));
    const page = await context.newPage();
    await signInAs(page, base, org.users.associate.email, PASSWORD);
    await page.goto(`${base}/cases/${ref}`);

    // Formatted by default: the email's own HTML inside a frame named for its sender.
    const frameElement = page.locator('iframe[title="Email from Priya Natarajan"]');
    const frame = page.frameLocator('iframe[title="Email from Priya Natarajan"]');
    await frame.getByText('for the gala.').waitFor();
    expect(await frame.locator('b').first().textContent()).toBe('table plan');
    await frame.getByRole('cell', { name: 'A step-free route' }).waitFor();
    // A sandbox with no scripts and no access to the desk; the email's script never ran.
    const sandbox = (await frameElement.getAttribute('sandbox')) ?? 'missing';
    expect(sandbox.split(/\s+/).sort()).toEqual(['allow-popups', 'allow-popups-to-escape-sandbox']);
    expect(await frameElement.getAttribute('srcdoc')).toContain("default-src 'none'; img-src data:;");
    expect(await frame.locator('html').getAttribute('data-script-ran')).toBeNull();
    expect(await page.evaluate(() => document.documentElement.dataset.scriptRan)).toBeUndefined();
    expect(await page.title()).not.toBe('script ran');
    // The inline logo shows (the desk hands it over); the remote image waits, its alt text in its place.
    await expect.poll(() => frame.locator('img[alt="Our logo"]').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await frame.getByText('[Seating plan]').waitFor();
    expect(remote).toEqual([]);
    // The history stays folded; unfolded, it shows in a frame of its own.
    const quotedFrame = 'iframe[title="Quoted history of the email from Priya Natarajan"]';
    expect(await page.locator(quotedFrame).count()).toBe(0);
    await page.getByText('Show the quoted history').click();
    await page.frameLocator(quotedFrame).getByText('Could you send us your').waitFor();
    expect(await frame.getByText('Could you send us your').count()).toBe(0);
    // A link opens in a new tab, outside the sandbox.
    const [tab] = await Promise.all([context.waitForEvent('page'), frame.getByRole('link', { name: 'Our gala page' }).click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe('https://patron.example/gala');
    await tab.close();

    expect(await accessibilityViolations(page)).toEqual([]);

    // "Show images": the remote image is fetched, and the count says so.
    await page.getByText('1 remote image blocked', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Show images' }).click();
    await page.getByText('1 remote image shown').waitFor();
    await expect.poll(() => frame.locator('img[alt="Seating plan"]').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(remote).toEqual(['https://images.patron.example/plan.png']);
    expect(await page.getByRole('button', { name: 'Show images' }).count()).toBe(0);

    // Plain text, by keyboard: the text part, no frame; and back.
    await page.getByRole('radio', { name: 'Formatted' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: 'Plain text' }).isChecked()).toBe(true);
    await page.getByText('Table 4 needs a step-free route.').waitFor();
    expect(await frameElement.count()).toBe(0);
    await page.keyboard.press('ArrowLeft');
    await frame.getByRole('cell', { name: 'A step-free route' }).waitFor();
    await context.close();
  }, 120_000);
});
