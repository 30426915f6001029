// Erasing a patron reaches their email: what they sent keeps its dates and case but loses its
// bytes, sender, subject and attachments (the bytes too, unless another patron sent the same
// file); mail sent on their cases loses its bytes and recipients, and unsent mail is never sent.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { CaseMail } from '../../contracts/mail.js';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { inTransaction } from '../platform/tx.js';
import { makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { addTeamAddressIn, createInboundDoor, createMailListener, createMailRuntime, type MailListener, type MailRuntime } from './api.js';

describeEachDialect('erasing a patron’s email', (h) => {
  let listener: MailListener;
  let port: number;
  let rt: MailRuntime;
  let runner: JobRunner;
  let org: TestOrg;
  let box: string;

  beforeAll(async () => {
    listener = createMailListener({
      ...createInboundDoor(h().p),
      hostname: 'mx.desk.test',
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
    // No relay: replies stay held in the outbox, unsent.
    await inTransaction(h().p, (ctx) => addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, box));
  });

  const send = async (from: string, subject: string, files: { filename: string; content: Buffer }[]) => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await t.sendMail({ from, to: box, subject, text: `${subject}: please see the attached.`, attachments: files });
    t.close();
    await runner.runDue();
  };
  const refOf = async (subject: string) => {
    const c = await h().db.kysely.selectFrom('cases').select(['id', 'number', 'patron_id']).where('org_id', '=', org.orgId).where('subject', '=', subject).executeTakeFirstOrThrow();
    return { id: c.id, ref: `${org.prefix}-${c.number}`, patronId: c.patron_id! };
  };

  it('blanks what the patron sent, drops their attachments and unshared bytes, and never sends what is queued', async () => {
    const shared = Buffer.from('%PDF-1.4 the season brochure, the same file from two people');
    const own = Buffer.from('%PDF-1.4 Olga’s medical letter, hers alone');
    await send('Olga Petrova <olga@patron.example>', 'Wheelchair access', [
      { filename: 'brochure.pdf', content: shared },
      { filename: 'medical-letter.pdf', content: own },
    ]);
    await send('Ivan Ruiz <ivan@patron.example>', 'Brochure question', [{ filename: 'brochure.pdf', content: shared }]);
    const olga = await refOf('Wheelchair access');
    const ivan = await refOf('Brochure question');

    const sup = await org.as('supervisor');
    expect((await sup.post(`/api/cases/${olga.ref}/entries`, { kind: 'reply', body: 'We have a ramp at the side door.' })).statusCode).toBe(201);
    const before: CaseMail = (await sup.get(`/api/cases/${olga.ref}/mail`)).json();
    const letter = before.inbound[0]!.attachments.find((a) => a.filename === 'medical-letter.pdf')!;
    expect((await sup.get(letter.url)).statusCode).toBe(200);
    // The acknowledgement and the reply, neither sent (no relay).
    expect(before.outbound).toHaveLength(2);
    expect(before.outbound.every((o) => o.state !== 'sent' && o.state !== 'failed')).toBe(true);

    expect((await sup.post(`/api/patrons/${olga.patronId}/erase`, { confirm: true })).statusCode).toBe(200);

    const inbound = await h().db.kysely.selectFrom('mail_inbound').selectAll().where('case_id', '=', olga.id).execute();
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ size: 0, from_address: null, from_name: null, subject: null, details: null, mail_from: '' });
    expect(Buffer.from(inbound[0]!.raw).length).toBe(0);
    expect(inbound[0]!.received_at).toBeGreaterThan(0);
    // Her attachments are gone, and the bytes only she sent; the brochure Ivan sent too stays his.
    expect((await sup.get(letter.url)).statusCode).toBe(404);
    const blobs = await h().db.kysely.selectFrom('mail_blobs').select('size').where('org_id', '=', org.orgId).execute();
    expect(blobs.map((b) => b.size)).toEqual([shared.length]);
    const ivanMail: CaseMail = (await sup.get(`/api/cases/${ivan.ref}/mail`)).json();
    const brochure = ivanMail.inbound[0]!.attachments[0]!;
    const download = await sup.get(brochure.url);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(shared)).toBe(true);

    // The case's mail shows no sender, no file and no words of hers; the held reply will never go.
    const after: CaseMail = (await sup.get(`/api/cases/${olga.ref}/mail`)).json();
    const text = JSON.stringify(after);
    for (const personal of ['olga@patron.example', 'Olga', 'medical-letter', 'please see the attached']) expect(text).not.toContain(personal);
    expect(after.outbound.map((o) => o.state)).toEqual(['failed', 'failed']);
    const outbox = await h().db.kysely.selectFrom('mail_outbox').select(['case_id', 'raw', 'envelope_to']).where('org_id', '=', org.orgId).execute();
    const hers = outbox.filter((o) => o.case_id === olga.id);
    expect(hers).toHaveLength(2);
    expect(hers.every((o) => Buffer.from(o.raw).length === 0 && o.envelope_to === '[]')).toBe(true);
    // Ivan's acknowledgement is untouched.
    expect(outbox.filter((o) => o.case_id === ivan.id).every((o) => Buffer.from(o.raw).length > 0 && o.envelope_to.includes('ivan@patron.example'))).toBe(true);
    // Nothing left to deliver: a run of the jobs sends nothing.
    await runner.runDue();
    expect(((await sup.get(`/api/cases/${olga.ref}/mail`)).json() as CaseMail).outbound.map((o) => o.state)).toEqual(['failed', 'failed']);
  });
});
