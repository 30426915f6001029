// Threading whatever order the parse jobs run in: an original and its reply stored in one burst
// get parse jobs that may run reply first, or both at once (PostgreSQL, several workers). The
// reply must still join the original's case, never open a second one; and an original that
// cannot be parsed must not hold the reply up.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { defineJob, JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { inDurableTransaction, inTransaction } from '../platform/tx.js';
import { makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { addTeamAddressIn, createInboundDoor, createMailListener, createMailRuntime, setRelayIn, type MailListener, type MailRuntime } from './api.js';
import { storeReceived } from './inbound.js';
import { PARSE } from './jobs.js';
import { lockOrgThreading } from './queries.js';
import { inlineParse } from './parse-pool.js';
import { threadInbound } from './thread.js';

describeEachDialect('threading in any order', (h) => {
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
      maxMessageBytes: 200_000,
      clock: h().clock,
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    port = (await listener.listen(0, '127.0.0.1')).port;
    rt = createMailRuntime(h().p, { log: quietLog(), parseWorkers: false });
    runner = new JobRunner({ db: h().db, clock: h().clock, types: rt.jobTypes, log: quietLog(), concurrency: 10 });
  });
  afterAll(async () => {
    await listener.close();
    await rt.close();
  });
  beforeEach(async () => {
    org = await makeOrg(h());
    box = `boxoffice-${org.slug}@in.servewell.test`;
    await inTransaction(h().p, async (ctx) => {
      await addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, box);
      await setRelayIn(ctx, org.orgId, { mode: 'catch_all' });
    });
  });

  const mime = (o: { id: string; subject: string; body: string; inReplyTo?: string; references?: string[] }) =>
    `From: Zoë Abbott <zoe@patron.example>\r\nTo: ${box}\r\nSubject: ${o.subject}\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n` +
    `Message-ID: <${o.id}>\r\n${o.inReplyTo ? `In-Reply-To: <${o.inReplyTo}>\r\n` : ''}` +
    `${o.references ? `References: ${o.references.map((r) => `<${r}>`).join(' ')}\r\n` : ''}` +
    `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${o.body}\r\n`;
  const message = (raw: string | Buffer) => ({
    raw: Buffer.from(raw),
    envelope: { mailFrom: 'zoe@patron.example', rcptTo: [box] },
    remoteAddress: '127.0.0.1',
    helo: 'client',
    secure: false,
    authenticatedAs: null,
    receivedAt: h().clock.now(),
  });
  /** Stores messages as one burst does: one durable commit, a parse job each. */
  const storeBurst = (raws: (string | Buffer)[]) =>
    inDurableTransaction(h().p, async (ctx) => {
      const ids: number[] = [];
      for (const raw of raws) ids.push(...(await storeReceived(ctx, message(raw))));
      return ids;
    });
  async function send(raw: string) {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false });
    try {
      return await t.sendMail({ envelope: { from: 'zoe@patron.example', to: [box] }, raw });
    } finally {
      t.close();
    }
  }
  const inbound = () => h().db.kysely.selectFrom('mail_inbound').selectAll().where('org_id', '=', org.orgId).orderBy('id').execute();
  const cases = () => h().db.kysely.selectFrom('cases').selectAll().where('org_id', '=', org.orgId).orderBy('id').execute();
  const parseJob = (inboundId: number) =>
    h().db.kysely.selectFrom('jobs').select(['id', 'state', 'attempts', 'last_error']).where('unique_key', '=', `mail.parse:${inboundId}`).executeTakeFirstOrThrow();
  /** Keeps a message's parse job from running (not due for a day); `release` makes it due again. */
  const hold = (inboundId: number) =>
    h().db.kysely.updateTable('jobs').set({ available_at: h().clock.now() + 86_400_000 }).where('unique_key', '=', `mail.parse:${inboundId}`).execute();
  const release = (inboundId: number) =>
    h().db.kysely.updateTable('jobs').set({ available_at: h().clock.now() }).where('unique_key', '=', `mail.parse:${inboundId}`).execute();

  it('threads a reply whose job runs before its original’s onto the original’s case', async () => {
    const originalId = `first-${org.slug}@patron.example`;
    await send(mime({ id: originalId, subject: 'Wheelchair seats', body: 'Do you have wheelchair spaces on Friday?' }));
    await send(mime({ id: `second-${org.slug}@patron.example`, subject: 'Re: Wheelchair seats', body: 'And one companion seat.', inReplyTo: originalId, references: [originalId] }));
    const [original, reply] = await inbound();
    await hold(original!.id);
    await runner.runDue();
    // The reply's job threaded the original first, then the reply onto its case.
    const all = await cases();
    expect(all).toHaveLength(1);
    expect(all[0]!.subject).toBe('Wheelchair seats');
    const [o, r] = await inbound();
    expect(o).toMatchObject({ state: 'threaded', case_id: all[0]!.id });
    expect(r).toMatchObject({ state: 'threaded', case_id: all[0]!.id });
    expect((await parseJob(reply!.id)).state).toBe('done');
    // The original's own job finds it threaded and is done, changing nothing.
    await release(original!.id);
    await runner.runDue();
    expect((await parseJob(original!.id)).state).toBe('done');
    expect(await cases()).toHaveLength(1);
    const entries = await h().db.kysely.selectFrom('case_entries').select(['kind', 'body']).where('case_id', '=', all[0]!.id).where('kind', '=', 'message_in').orderBy('id').execute();
    expect(entries.map((e) => e.body)).toEqual(['Do you have wheelchair spaces on Friday?', 'And one companion seat.']);
    const acks = await h().db.kysely.selectFrom('mail_outbox').select('id').where('org_id', '=', org.orgId).where('kind', '=', 'acknowledgement').execute();
    expect(acks).toHaveLength(1);
  });

  it('threads a chain stored in one burst, newest job first, onto one case', async () => {
    const ids = [0, 1, 2, 3].map((i) => `chain${i}-${org.slug}@patron.example`);
    const stored = await storeBurst(
      ids.map((id, i) => mime({ id, subject: i ? 'Re: Chain' : 'Chain', body: `Part ${i}`, ...(i ? { inReplyTo: ids[i - 1]!, references: ids.slice(0, i) } : {}) })),
    );
    for (const id of stored.slice(0, 3)) await hold(id);
    await runner.runDue();
    const all = await cases();
    expect(all).toHaveLength(1);
    expect((await inbound()).map((m) => [m.state, m.case_id])).toEqual(stored.map(() => ['threaded', all[0]!.id]));
  });

  it('opens one case per thread when an original’s and its reply’s jobs run at the same time', async () => {
    const pairs = 20;
    for (let i = 0; i < pairs; i++) {
      const originalId = `pair${i}-${org.slug}@patron.example`;
      await storeBurst([
        mime({ id: originalId, subject: `Pair ${i}`, body: `Question ${i}` }),
        mime({ id: `pair${i}-re-${org.slug}@patron.example`, subject: `Re: Pair ${i}`, body: `Follow-up ${i}`, inReplyTo: originalId, references: [originalId] }),
      ]);
      // Both jobs due: the runner claims them together and runs them concurrently.
      await runner.runDue();
    }
    const all = await cases();
    const rows = await inbound();
    expect(rows.every((m) => m.state === 'threaded')).toBe(true);
    for (let i = 0; i < pairs; i++) expect(rows[2 * i + 1]!.case_id, `pair ${i}`).toBe(rows[2 * i]!.case_id);
    expect(all).toHaveLength(pairs);
  }, 60_000);

  it('threads one organization’s mail one transaction at a time on PostgreSQL', async () => {
    if (h().dialect !== 'postgres') return; // SQLite has one writer
    const [id] = await storeBurst([mime({ id: `locked-${org.slug}@patron.example`, subject: 'Locked', body: 'Waits its turn.' })]);
    const state = async () => (await h().db.kysely.selectFrom('mail_inbound').select('state').where('id', '=', id!).executeTakeFirstOrThrow()).state;
    let ran: Promise<number> | undefined;
    await h().db.kysely.transaction().execute(async (tx) => {
      // Another threading transaction of this organization, still open.
      await lockOrgThreading(tx, org.orgId, true);
      ran = runner.runDue();
      await new Promise((r) => setTimeout(r, 300));
      expect(await state()).toBe('stored');
    });
    await ran;
    expect(await state()).toBe('threaded');
  });

  it('threads a reply whose original cannot be read', async () => {
    const originalId = `junk-${org.slug}@patron.example`;
    const [junk, reply] = await storeBurst([
      Buffer.from('no header fields here, only words\r\n'),
      mime({ id: `junk-re-${org.slug}@patron.example`, subject: 'Re: ?', body: 'Did you get my message?', inReplyTo: originalId, references: [originalId] }),
    ]);
    // Its Message-ID as a relay's peek found it, though the rest cannot be read.
    await h().db.kysely.updateTable('mail_inbound').set({ message_id: originalId }).where('id', '=', junk!).execute();
    await hold(junk!);
    await runner.runDue();
    expect((await parseJob(reply!)).state).toBe('done');
    const [j, r] = await inbound();
    expect(r!.state).toBe('threaded');
    expect(r!.case_id).not.toBeNull();
    // Threaded first, flagged, on the case the reply joined.
    expect(j).toMatchObject({ state: 'threaded', case_id: r!.case_id, unparseable: 'The message has no header fields.' });
    expect(await cases()).toHaveLength(1);
  });

  it('threads a reply on its own when its original’s parse keeps failing, and the job finishes', async () => {
    const originalId = `stuck-${org.slug}@patron.example`;
    // A parser that dies on the original (a worker that crashes on it every time).
    const parse: typeof inlineParse = (r) => (r.raw.includes('Stuck original') ? Promise.reject(new Error('the parse worker stopped (1)')) : inlineParse(r));
    const stuckRunner = new JobRunner({
      db: h().db,
      clock: h().clock,
      types: [defineJob({ ...PARSE, run: (payload, job) => threadInbound({ p: h().p, parse }, payload.inboundId, job) })],
      log: quietLog(),
    });
    const [original, reply] = await storeBurst([
      mime({ id: originalId, subject: 'Stuck', body: 'Stuck original' }),
      mime({ id: `stuck-re-${org.slug}@patron.example`, subject: 'Re: Stuck', body: 'The reply.', inReplyTo: originalId, references: [originalId] }),
    ]);
    await stuckRunner.runDue();
    expect((await parseJob(reply!)).state).toBe('done');
    const rows = await inbound();
    expect(rows[1]).toMatchObject({ state: 'threaded' });
    expect(rows[1]!.case_id).not.toBeNull();
    // The original's job failed on its own and waits for its retry, still stored.
    expect(rows[0]!.state).toBe('stored');
    expect(await parseJob(original!)).toMatchObject({ state: 'queued', attempts: 1 });
  });
});
