// Inbound mail through the real path: nodemailer as the sending client over loopback against
// the listener wired to the database door, then the parse-and-thread job. The 250 comes only
// after the raw message is committed; a retry is not a second message; threading finds the
// case by In-Reply-To/References, then [SW-n], else opens one for the address's team.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { inDurableTransaction, inTransaction } from '../platform/tx.js';
import { makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { storeReceived } from './inbound.js';
import { addTeamAddressIn, createInboundDoor, createMailListener, createMailRuntime, setRelayIn, setTeamWritingIn, type MailListener, type MailRuntime } from './api.js';

describeEachDialect('inbound mail', (h) => {
  let listener: MailListener;
  let port: number;
  let rt: MailRuntime;
  let runner: JobRunner;
  let org: TestOrg;
  let box: string;
  let dev: string;
  let seq = 0;

  beforeAll(async () => {
    listener = createMailListener({
      ...createInboundDoor(h().p),
      hostname: 'mx.desk.test',
      maxMessageBytes: 200_000,
      clock: h().clock,
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    port = (await listener.listen(0, '127.0.0.1')).port;
    rt = createMailRuntime(h().p, { log: quietLog() });
    runner = new JobRunner({ db: h().db, clock: h().clock, types: rt.jobTypes, log: quietLog() });
  });
  afterAll(async () => {
    await listener.close();
    await rt.close();
  });
  beforeEach(async () => {
    org = await makeOrg(h());
    box = `boxoffice-${org.slug}@in.servewell.test`;
    dev = `giving-${org.slug}@in.servewell.test`;
    await inTransaction(h().p, async (ctx) => {
      await addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, box);
      await addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, `tickets-${org.slug}@in.servewell.test`);
      await addTeamAddressIn(ctx, org.orgId, org.teams.development, dev);
      await setRelayIn(ctx, org.orgId, { mode: 'catch_all' });
    });
  });

  const client = () => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false });
  function mime(o: { from?: string; to: string; cc?: string; subject: string; body: string; id?: string | null; inReplyTo?: string; headers?: string }) {
    const id = o.id === null ? '' : `Message-ID: <${o.id ?? `m${++seq}.${Date.now()}@patron.example`}>\r\n`;
    return (
      `From: ${o.from ?? 'Zoë Abbott <zoe@patron.example>'}\r\nTo: ${o.to}\r\n${o.cc ? `Cc: ${o.cc}\r\n` : ''}Subject: ${o.subject}\r\n` +
      `Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n${id}${o.inReplyTo ? `In-Reply-To: <${o.inReplyTo}>\r\nReferences: <${o.inReplyTo}>\r\n` : ''}` +
      `${o.headers ?? ''}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${o.body}\r\n`
    );
  }
  async function send(raw: string | Buffer, to: string[], from = 'zoe@patron.example') {
    const t = client();
    try {
      return await t.sendMail({ envelope: { from, to }, raw });
    } finally {
      t.close();
    }
  }
  const inbound = () =>
    h().db.kysely.selectFrom('mail_inbound').selectAll().where('org_id', '=', org.orgId).orderBy('id').execute();
  const cases = () =>
    h().db.kysely.selectFrom('cases').selectAll().where('org_id', '=', org.orgId).orderBy('id').execute();
  const outbox = () => h().db.kysely.selectFrom('mail_outbox').selectAll().where('org_id', '=', org.orgId).orderBy('id').execute();

  it('answers 250 only once the raw message and its parse job are committed', async () => {
    const raw = mime({ to: box, subject: 'Seats for Saturday', body: 'Are there two seats left?' });
    const info = await send(raw, [box]);
    expect(info.response).toMatch(/^250 /);
    const [row] = await inbound();
    expect(row).toMatchObject({ state: 'stored', mail_from: 'zoe@patron.example', team_id: org.teams.boxOffice, source: 'smtp', message_id_derived_at: null });
    expect(JSON.parse(row!.rcpt_to)).toEqual([box]);
    // The stored bytes are the message with our trace fields on top.
    expect(Buffer.from(row!.raw).toString()).toMatch(/^Return-Path: <zoe@patron\.example>\r\nReceived: from /);
    expect(Buffer.from(row!.raw).toString()).toContain('Are there two seats left?');
    const jobs = await h().db.kysely.selectFrom('jobs').select(['kind', 'unique_key']).where('kind', '=', 'mail.parse').where('org_id', '=', org.orgId).execute();
    expect(jobs).toEqual([{ kind: 'mail.parse', unique_key: `mail.parse:${row!.id}` }]);
  });

  it('refuses an unknown recipient at RCPT with 550 and stores nothing', async () => {
    const err = await send(mime({ to: `nobody-${org.slug}@in.servewell.test`, subject: 'x', body: 'x' }), [`nobody-${org.slug}@in.servewell.test`]).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(await inbound()).toEqual([]);
  });

  it('refuses an oversize message with 552 and stores nothing', async () => {
    const err = await send(mime({ to: box, subject: 'Big', body: 'x'.repeat(76).concat('\r\n').repeat(3000) }), [box]).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 552 });
    expect(await inbound()).toEqual([]);
  });

  it('accepts a retry of a stored Message-ID with 250 and keeps one copy', async () => {
    const raw = mime({ to: box, subject: 'Twice', body: 'Sent twice', id: `retry-${org.slug}@patron.example` });
    await send(raw, [box]);
    const again = await send(raw, [box]);
    expect(again.response).toMatch(/^250 /);
    expect(await inbound()).toHaveLength(1);
  });

  it('derives a stable Message-ID for a message without one, so a retry is recognised', async () => {
    const raw = mime({ to: box, subject: 'No id', body: `Sent without an id ${org.slug}`, id: null });
    await send(raw, [box]);
    await send(raw, [box]);
    const rows = await inbound();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.message_id_derived_at).not.toBeNull();
    expect(rows[0]!.message_id).toMatch(/@/);
  });

  it('resolves a durable transaction only once a sync that began after its commit has finished', async () => {
    const syncs: (() => void)[] = [];
    let committedWhenAsked: number | null = null;
    const stored = () =>
      h().db.kysely.selectFrom('mail_inbound').select((eb) => eb.fn.countAll<number>().as('n')).where('message_id', '=', 'durable-probe@patron.example').executeTakeFirstOrThrow();
    const p = {
      ...h().p,
      syncCommits: async () => {
        // The sync is asked for after the commit: the row is there to see.
        committedWhenAsked = Number((await stored()).n);
        await new Promise<void>((resolve) => syncs.push(resolve));
      },
    };
    let resolved = false;
    const raw = Buffer.from(mime({ to: box, subject: 'Durable', body: 'Kept', id: 'durable-probe@patron.example' }));
    const message = { raw, envelope: { mailFrom: 'zoe@patron.example', rcptTo: [box] }, remoteAddress: '127.0.0.1', helo: 'client', secure: false, authenticatedAs: null, receivedAt: Date.now() };
    const done = inDurableTransaction(p, (ctx) => storeReceived(ctx, message)).then(() => (resolved = true));
    while (!syncs.length) await new Promise((r) => setTimeout(r, 5));
    expect(committedWhenAsked).toBe(1);
    expect(resolved).toBe(false);
    syncs[0]!();
    await done;
    expect(resolved).toBe(true);
  });

  it('opens one case for the team of the address, finds or creates the patron, and acknowledges it', async () => {
    await send(mime({ to: dev, subject: 'A gift in memory of my mother', body: 'I would like to give in her name.' }), [dev]);
    await runner.runDue();
    const [c] = await cases();
    expect(c).toMatchObject({ channel: 'email', status: 'new', team_id: org.teams.development, subject: 'A gift in memory of my mother' });
    const patron = await h().db.kysely.selectFrom('patrons').select(['id', 'email', 'name']).where('id', '=', c!.patron_id!).executeTakeFirstOrThrow();
    expect(patron).toMatchObject({ email: 'zoe@patron.example', name: 'Zoë Abbott' });
    const [row] = await inbound();
    expect(row).toMatchObject({ state: 'threaded', case_id: c!.id, from_address: 'zoe@patron.example', automatic: null });
    const entry = await h().db.kysely.selectFrom('case_entries').select(['kind', 'channel', 'body']).where('id', '=', row!.entry_id!).executeTakeFirstOrThrow();
    expect(entry).toEqual({ kind: 'message_in', channel: 'email', body: 'I would like to give in her name.' });
    // The acknowledgement: reference and the private status link, to the patron only.
    const [ack] = await outbox();
    expect(ack).toMatchObject({ kind: 'acknowledgement', case_id: c!.id, from_address: dev });
    expect(JSON.parse(ack!.envelope_to)).toEqual(['zoe@patron.example']);
    const text = Buffer.from(ack!.raw).toString();
    expect(text).toContain(`[${org.prefix}-${c!.number}]`);
    expect(text).toContain(`http://desk.test/status/${c!.status_token}`);
    expect(text).toMatch(/Auto-Submitted: auto-replied/i);
    // Running the job again threads nothing twice.
    await runner.runDue();
    expect(await cases()).toHaveLength(1);
  });

  it('threads a reply by In-Reply-To to our acknowledgement, and it reopens a resolved case', async () => {
    await send(mime({ to: box, subject: 'Lost scarf', body: 'I left a red scarf in row F.' }), [box]);
    await runner.runDue();
    const [c] = await cases();
    const [ack] = await outbox();
    await h().db.kysely.updateTable('cases').set({ status: 'resolved', resolved_at: h().clock.now() }).where('id', '=', c!.id).execute();
    await send(mime({ to: box, subject: 'Re: Lost scarf', body: 'Also a glove.\r\n\r\nOn Tue, the box office wrote:\r\n> We have your message', inReplyTo: ack!.message_id }), [box]);
    await runner.runDue();
    const all = await cases();
    expect(all).toHaveLength(1);
    expect(all[0]!.status).toBe('open');
    const [, second] = await inbound();
    expect(second!.case_id).toBe(c!.id);
    const entry = await h().db.kysely.selectFrom('case_entries').select('body').where('id', '=', second!.entry_id!).executeTakeFirstOrThrow();
    expect(entry.body).toBe('Also a glove.');
    // A reply is not acknowledged again.
    expect((await outbox()).filter((o) => o.kind === 'acknowledgement')).toHaveLength(1);
  });

  it('threads by the [SW-n] reference in the subject when the headers name nothing known', async () => {
    await send(mime({ to: box, subject: 'Parking', body: 'Is there parking?' }), [box]);
    await runner.runDue();
    const [c] = await cases();
    await send(mime({ from: 'Zoë <zoe.other@patron.example>', to: box, subject: `About [${org.prefix}-${c!.number}] again`, body: 'From my other address.' }), [box]);
    await runner.runDue();
    expect(await cases()).toHaveLength(1);
    expect((await inbound())[1]!.case_id).toBe(c!.id);
  });

  it('makes one case of one message to two team addresses, and copies the Cc on replies', async () => {
    const raw = mime({ to: `${box}, Ann Lee <ann@patron.example>`, cc: `${dev}, bo@patron.example`, subject: 'Group booking', body: 'Twelve seats please.' });
    await send(raw, [box, dev]);
    await runner.runDue();
    const all = await cases();
    expect(all).toHaveLength(1);
    expect(all[0]!.team_id).toBe(org.teams.boxOffice);
    expect(await inbound()).toHaveLength(1);
    const people = await h().db.kysely.selectFrom('case_participants').select(['address', 'name', 'removed_at']).where('case_id', '=', all[0]!.id).orderBy('id').execute();
    expect(people).toEqual([
      { address: 'ann@patron.example', name: 'Ann Lee', removed_at: null },
      { address: 'bo@patron.example', name: '', removed_at: null },
    ]);
    const associate = await org.as('associate');
    const res = await associate.post(`/api/cases/${org.prefix}-${all[0]!.number}/entries`, { kind: 'reply', body: 'Twelve seats are held for you.' });
    expect(res.statusCode).toBe(201);
    const reply = (await outbox()).find((o) => o.kind === 'reply')!;
    expect(JSON.parse(reply.recipients)).toEqual({
      to: [{ address: 'zoe@patron.example', name: 'Zoë Abbott' }],
      cc: [{ address: 'ann@patron.example', name: 'Ann Lee' }, { address: 'bo@patron.example', name: '' }],
    });
    // Removed from the case: no longer copied, and a later Cc of them does not add them back.
    const ref = `${org.prefix}-${all[0]!.number}`;
    const bo = (await associate.get(`/api/cases/${ref}/mail`)).json().participants.find((x: { address: string }) => x.address === 'bo@patron.example');
    expect((await associate.delete(`/api/cases/${ref}/participants/${bo.id}`)).statusCode).toBe(200);
    await associate.post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'And a second note.' });
    const second = (await outbox()).filter((o) => o.kind === 'reply')[1]!;
    expect(JSON.parse(second.recipients).cc).toEqual([{ address: 'ann@patron.example', name: 'Ann Lee' }]);
  });

  it('stores an auto-reply on its case without reopening it or answering it', async () => {
    await send(mime({ to: box, subject: 'Refund', body: 'Please refund my ticket.' }), [box]);
    await runner.runDue();
    const [c] = await cases();
    await h().db.kysely.updateTable('cases').set({ status: 'resolved' }).where('id', '=', c!.id).execute();
    const [ack] = await outbox();
    await send(
      mime({ to: box, subject: `Out of office: [${org.prefix}-${c!.number}]`, body: 'I am away until Monday.', inReplyTo: ack!.message_id, headers: 'Auto-Submitted: auto-replied\r\n' }),
      [box],
      '',
    );
    await runner.runDue();
    expect((await cases())[0]!.status).toBe('resolved');
    expect((await inbound())[1]).toMatchObject({ case_id: c!.id, automatic: 'auto_reply' });
    // A new auto-submitted message opens a case but hears nothing back.
    await send(mime({ to: dev, subject: 'Newsletter', body: 'Our news.', headers: 'Precedence: bulk\r\nList-Id: <news.example>\r\n' }), [dev]);
    await runner.runDue();
    expect(await cases()).toHaveLength(2);
    expect((await outbox()).filter((o) => o.kind === 'acknowledgement')).toHaveLength(1);
  });

  it('marks the patron’s email failing on a bounce and threads the bounce to the case', async () => {
    await send(mime({ to: box, subject: 'Tickets', body: 'Two for Friday.' }), [box]);
    await runner.runDue();
    const [c] = await cases();
    const [ack] = await outbox();
    const bounce =
      `From: Mail Delivery System <MAILER-DAEMON@patron.example>\r\nTo: ${box}\r\nSubject: Undelivered Mail Returned to Sender\r\n` +
      `Message-ID: <bounce-${org.slug}@patron.example>\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n` +
      `--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n` +
      `--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.patron.example\r\n\r\nFinal-Recipient: rfc822; zoe@patron.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n` +
      `--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <${ack!.message_id}>\r\nSubject: x\r\n\r\n--b--\r\n`;
    await send(bounce, [box], '');
    await runner.runDue();
    const patron = await h().db.kysely.selectFrom('patrons').select(['email_failing_at']).where('id', '=', c!.patron_id!).executeTakeFirstOrThrow();
    expect(patron.email_failing_at).not.toBeNull();
    expect((await inbound())[1]).toMatchObject({ case_id: c!.id, automatic: 'bounce' });
    expect(await cases()).toHaveLength(1);
  });

  it('sends no acknowledgement when the team turned it off', async () => {
    await inTransaction(h().p, (ctx) => setTeamWritingIn(ctx, org.orgId, org.teams.development, { fromAddress: null, signature: null, acknowledge: false }));
    await send(mime({ to: dev, subject: 'Quiet', body: 'No ack please.' }), [dev]);
    await runner.runDue();
    expect(await cases()).toHaveLength(1);
    expect(await outbox()).toEqual([]);
  });

  it('stores attachments content-addressed once, lists them with sizes, and serves them only as files', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 7)]);
    const html = '<html><script>alert(1)</script></html>';
    const message = (n: number) =>
      `From: Zoë Abbott <zoe@patron.example>\r\nTo: ${box}\r\nSubject: Receipts ${n}\r\nMessage-ID: <att${n}-${org.slug}@patron.example>\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n` +
      `--x\r\nContent-Type: text/plain\r\n\r\nMy receipts.\r\n` +
      `--x\r\nContent-Type: application/pdf; name="reçu 1.pdf"\r\nContent-Disposition: attachment; filename*=UTF-8''re%C3%A7u%201.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdf.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n` +
      `--x\r\nContent-Type: text/html; name="page.html"\r\nContent-Disposition: attachment; filename="page.html"\r\n\r\n${html}\r\n--x--\r\n`;
    await send(message(1), [box]);
    await send(message(2), [box]);
    await runner.runDue();
    const blobs = await h().db.kysely.selectFrom('mail_blobs').select(['sha256', 'size']).where('org_id', '=', org.orgId).execute();
    expect(blobs).toHaveLength(2); // the same two files in two messages: stored once each
    const associate = await org.as('associate');
    const c = (await cases())[0]!;
    const mail = (await associate.get(`/api/cases/${org.prefix}-${c.number}/mail`)).json();
    const files = mail.inbound[0].attachments;
    expect(files.map((f: { filename: string; size: number; contentType: string }) => [f.filename, f.size, f.contentType])).toEqual([
      ['reçu 1.pdf', pdf.length, 'application/pdf'],
      ['page.html', Buffer.byteLength(html), 'text/html'],
    ]);
    const res = await associate.get(files[0].url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="re_u 1.pdf"; filename*=UTF-8''re%C3%A7u%201.pdf`);
    expect(Number(res.headers['content-length'])).toBe(pdf.length);
    expect(res.rawPayload.equals(pdf)).toBe(true);
    const page = await associate.get(files[1].url);
    expect(page.headers['content-disposition']).toMatch(/^attachment;/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toContain('sandbox');
    // Another organization's staff cannot fetch it.
    const other = await makeOrg(h());
    expect((await (await other.as('admin')).get(files[0].url)).statusCode).toBe(404);
  });

  it('shows a case’s mail: new text first, the quoted history apart, and each reply’s delivery state', async () => {
    await send(mime({ to: box, subject: 'Coat check', body: 'Thanks, see you then.\r\n\r\nOn Mon, Box office wrote:\r\n> We open at 6.' }), [box]);
    await runner.runDue();
    const c = (await cases())[0]!;
    const associate = await org.as('associate');
    await associate.post(`/api/cases/${org.prefix}-${c.number}/entries`, { kind: 'reply', body: 'See you!' });
    const mail = (await associate.get(`/api/cases/${org.prefix}-${c.number}/mail`)).json();
    expect(mail.inbound[0]).toMatchObject({ from: { address: 'zoe@patron.example', name: 'Zoë Abbott' }, newText: 'Thanks, see you then.' });
    expect(mail.inbound[0].quotedText).toContain('> We open at 6.');
    expect(mail.outbound.map((o: { kind: string; state: string }) => [o.kind, o.state])).toEqual([
      ['acknowledgement', 'sent'],
      ['reply', 'queued'],
    ]);
    await runner.runDue();
    const after = (await associate.get(`/api/cases/${org.prefix}-${c.number}/mail`)).json();
    expect(after.outbound[1]).toMatchObject({ state: 'sent', stateText: 'Kept in the demo catch-all (not sent to a real address)' });
  });
});
