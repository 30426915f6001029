// Email as a newcomer meets it: a patron writes over real SMTP (with an attachment and quoted
// history), the case appears, an associate reads who wrote from which address, unfolds the
// history, sees the file and its size, replies, and watches the reply's delivery state turn to
// "Sent" as a loopback relay takes it. The admin adds a team address, sends a test message, and
// sets up fetching an address's mail by IMAP (a failed test and a failing poll, each explained).
import nodemailer from 'nodemailer';
import { expect, it } from 'vitest';
import { createInboundDoor, createMailListener, createMailRuntime, addTeamAddressIn, setRelayIn } from '../../src/server/mail/api.js';
import { startRelay } from '../../src/server/mail/testing/relay.js';
import { JobRunner } from '../../src/server/platform/jobs/index.js';
import { quietLog, until } from '../../src/server/platform/jobs/testing/kit.js';
import { inTransaction } from '../../src/server/platform/tx.js';
import { PASSWORD } from '../../src/server/testing/factories.js';
import { describeOnDesk, signInAs } from './desk.js';

describeOnDesk('email in and out', (on) => {
  it('turns a patron’s email into a case, shows its parts, and shows the reply’s delivery', async () => {
    const { desk, org } = on();
    const { base, browser, h } = desk;
    const relay = await startRelay();
    const rt = createMailRuntime(h.p, { log: quietLog() });
    const runner = new JobRunner({ db: h.db, clock: h.p.clock, types: rt.jobTypes, log: quietLog(), pollMs: 200 });
    const listener = createMailListener({ ...createInboundDoor(h.p), hostname: 'mx.e2e.test', log: { info: () => {}, warn: () => {}, error: () => {} } });
    const { port } = await listener.listen(0, '127.0.0.1');
    const box = `boxoffice-${org.slug}@e2e.servewell.test`;
    try {
      await inTransaction(h.p, async (ctx) => {
        await addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, box);
        await setRelayIn(ctx, org.orgId, { mode: 'smtp', host: '127.0.0.1', port: relay.port, security: 'none', username: null, allowSelfSigned: false });
      });
      await runner.start();

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
      let ref = '';
      await until(async () => {
        const row = await h.db.kysely.selectFrom('cases').select('number').where('org_id', '=', org.orgId).where('channel', '=', 'email').executeTakeFirst();
        if (row) ref = `${org.prefix}-${row.number}`;
        return Boolean(row);
      }, 'the email to become a case', 20_000);

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
    } finally {
      await runner.stop({ timeoutMs: 5000 });
      await listener.close();
      await rt.close();
      await relay.close();
    }
  }, 120_000);
});
