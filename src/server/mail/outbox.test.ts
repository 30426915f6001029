// The outbox through the real path: a reply written on a case becomes an outbox row and a
// delivery job in the same transaction; the job hands the stored bytes to a loopback relay
// (a second smtp-server), records each try, retries temporary failures with backoff, gives up
// on permanent ones, and holds mail when there is no relay.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { inTransaction } from '../platform/tx.js';
import { logCall, makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { addTeamAddressIn, createMailRuntime, queueMail, setRelayIn, setTeamWritingIn, type MailRuntime } from './api.js';
import { CLAIM_MS, MAX_TRIES, NO_RELAY, RETRY_DELAYS_MS } from './deliver.js';
import { startRelay, type LoopbackRelay } from './testing/relay.js';

describeEachDialect('the outbox', (h) => {
  let relay: LoopbackRelay;
  let rt: MailRuntime;
  let runner: JobRunner;
  let org: TestOrg;
  let team: string;

  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    await rt?.close();
    await relay.close();
  });
  beforeEach(async () => {
    await rt?.close();
    rt = createMailRuntime(h().p, { log: quietLog() });
    runner = new JobRunner({ db: h().db, clock: h().clock, types: rt.jobTypes, log: quietLog() });
    relay.relayed.length = 0;
    org = await makeOrg(h());
    team = `boxoffice-${org.slug}@test.servewell.org`;
    await inTransaction(h().p, async (ctx) => {
      await addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, team);
      await setTeamWritingIn(ctx, org.orgId, org.teams.boxOffice, { fromAddress: null, signature: 'Box office\nTest Theater', acknowledge: true });
    });
  });

  const useRelay = () =>
    inTransaction(h().p, (ctx) =>
      setRelayIn(ctx, org.orgId, { mode: 'smtp', host: '127.0.0.1', port: relay.port, security: 'none', username: null, allowSelfSigned: false }),
    );
  const outbox = (caseId?: number) =>
    h()
      .db.kysely.selectFrom('mail_outbox')
      .selectAll()
      .where('org_id', '=', org.orgId)
      .$if(caseId !== undefined, (qb) => qb.where('case_id', '=', caseId!))
      .orderBy('id')
      .execute();
  const attempts = (outboxId: number) =>
    h().db.kysely.selectFrom('mail_attempts').selectAll().where('outbox_id', '=', outboxId).orderBy('id').execute();
  const deliverJobs = (outboxId: number) =>
    h()
      .db.kysely.selectFrom('jobs')
      .select(['state', 'run_at', 'unique_key'])
      .where('kind', '=', 'mail.deliver')
      .where('payload', '=', JSON.stringify({ outboxId }))
      .orderBy('id')
      .execute();
  async function replyOnNewCase(body = 'Your two tickets are now for Sunday.') {
    const associate = await org.as('associate');
    const kase = await logCall(associate, { patron: { name: 'Zoë Abbott', email: 'zoe@example.org' } });
    const res = await associate.post(`/api/cases/${kase.ref}/entries`, { kind: 'reply', body });
    expect(res.statusCode).toBe(201);
    return kase;
  }

  it('writes a reply to the outbox with its Message-ID and a delivery job, then sends those very bytes', async () => {
    await useRelay();
    const kase = await replyOnNewCase();
    const [row] = await outbox(kase.id);
    expect(row).toMatchObject({ kind: 'reply', state: 'queued', attempts: 0, from_address: team, envelope_from: team });
    expect(JSON.parse(row!.envelope_to)).toEqual(['zoe@example.org']);
    expect(row!.message_id).toMatch(new RegExp(`^${kase.ref.toLowerCase()}\\..+@test\\.servewell\\.org$`));
    expect(await deliverJobs(row!.id)).toEqual([expect.objectContaining({ state: 'queued' })]);
    // The entry the reply carries says how it goes.
    const entry = await h().db.kysely.selectFrom('case_entries').select(['channel', 'kind']).where('id', '=', row!.entry_id!).executeTakeFirstOrThrow();
    expect(entry).toEqual({ channel: 'email', kind: 'message_out' });

    expect(await runner.runDue()).toBeGreaterThanOrEqual(1);
    expect(relay.relayed).toHaveLength(1);
    const sent = relay.relayed[0]!;
    expect(sent.messageId).toBe(row!.message_id);
    expect(sent.raw.equals(row!.raw)).toBe(true);
    expect(sent.to).toEqual(['zoe@example.org']);
    const mail = await simpleParser(sent.raw);
    expect(mail.subject).toBe(`Exchange tickets for Saturday [${kase.ref}]`);
    expect(mail.from?.value[0]?.address).toBe(team);
    expect(mail.text).toContain('Your two tickets are now for Sunday.');
    expect(mail.text).toContain('-- \nBox office\nTest Theater');

    const [after] = await outbox(kase.id);
    expect(after).toMatchObject({ state: 'sent', attempts: 1, last_error: null, relay: `smtp://127.0.0.1:${relay.port}` });
    expect(after!.sent_at).toBe(h().clock.now());
    expect(await attempts(row!.id)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'sent', response: expect.stringContaining('250') })]);
    // Done means done: running again sends nothing more.
    await runner.runDue();
    expect(relay.relayed).toHaveLength(1);
  });

  it('writes nothing at all when the transaction that queues the mail rolls back', async () => {
    await useRelay();
    const before = (await outbox()).length;
    await expect(
      inTransaction(h().p, async (ctx) => {
        await queueMail(ctx, { orgId: org.orgId, kind: 'notification', to: [{ address: 'ana@example.org' }], subject: 'Reminder', text: 'Call Ana back.' });
        throw new Error('the use case failed after queueing');
      }),
    ).rejects.toThrow('the use case failed');
    expect(await outbox()).toHaveLength(before);
    expect(await h().db.kysely.selectFrom('jobs').select('id').where('kind', '=', 'mail.deliver').where('org_id', '=', org.orgId).execute()).toEqual([]);
  });

  it('holds mail when there is no relay, says so, and sends it once a relay is set', async () => {
    const kase = await replyOnNewCase();
    await runner.runDue();
    const [held] = await outbox(kase.id);
    expect(held).toMatchObject({ state: 'held', attempts: 0, last_error: NO_RELAY });
    expect(relay.relayed).toHaveLength(0);
    expect(await attempts(held!.id)).toEqual([]);

    await useRelay();
    await runner.runDue();
    const [sent] = await outbox(kase.id);
    expect(sent).toMatchObject({ state: 'sent', attempts: 1, message_id: held!.message_id });
    expect(relay.relayed.map((m) => m.messageId)).toEqual([held!.message_id]);
  });

  it('retries a temporary failure later, with the same Message-ID, and records each try', async () => {
    await useRelay();
    const kase = await replyOnNewCase();
    relay.failData(451, '4.3.0 Mailbox temporarily unavailable', 2);
    await runner.runDue();
    let [row] = await outbox(kase.id);
    expect(row).toMatchObject({ state: 'retrying', attempts: 1, next_attempt_at: h().clock.now() + RETRY_DELAYS_MS[0]! });
    expect(row!.last_error).toContain('451 4.3.0 Mailbox temporarily unavailable');
    // Not before its time.
    await runner.runDue();
    expect((await outbox(kase.id))[0]!.attempts).toBe(1);

    h().clock.advance(RETRY_DELAYS_MS[0]!);
    await runner.runDue();
    [row] = await outbox(kase.id);
    expect(row).toMatchObject({ state: 'retrying', attempts: 2, next_attempt_at: h().clock.now() + RETRY_DELAYS_MS[1]! });

    h().clock.advance(RETRY_DELAYS_MS[1]!);
    await runner.runDue();
    [row] = await outbox(kase.id);
    expect(row).toMatchObject({ state: 'sent', attempts: 3, last_error: null });
    expect((await attempts(row!.id)).map((a) => a.outcome)).toEqual(['temporary', 'temporary', 'sent']);
    expect(relay.relayed.map((m) => m.messageId)).toEqual([row!.message_id]);
  });

  it('gives up after the last try of a relay that keeps failing', async () => {
    await useRelay();
    const kase = await replyOnNewCase();
    relay.failData(421, '4.7.0 Try again later', MAX_TRIES);
    await runner.runDue();
    for (const delay of RETRY_DELAYS_MS) {
      h().clock.advance(delay);
      await runner.runDue();
    }
    const [row] = await outbox(kase.id);
    expect(row).toMatchObject({ state: 'failed', attempts: MAX_TRIES });
    expect(row!.last_error).toMatch(new RegExp(`^Gave up after ${MAX_TRIES} tries`));
    expect(await attempts(row!.id)).toHaveLength(MAX_TRIES);
    expect(relay.relayed).toHaveLength(0);
  });

  it('gives up at once on a permanent refusal and marks the address failing', async () => {
    await useRelay();
    relay.refuse('gone@example.org');
    const associate = await org.as('associate');
    const kase = await logCall(associate, { patron: { name: 'Gone Patron', email: 'gone@example.org' } });
    await associate.post(`/api/cases/${kase.ref}/entries`, { kind: 'reply', body: 'Hello?' });
    await runner.runDue();
    const [row] = await outbox(kase.id);
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row!.last_error).toContain('gone@example.org');
    expect(row!.last_error).toContain('User unknown');
    expect((await attempts(row!.id)).map((a) => a.outcome)).toEqual(['permanent']);
    const patron = await h().db.kysely.selectFrom('patrons').selectAll().where('org_id', '=', org.orgId).where('email', '=', 'gone@example.org').executeTakeFirstOrThrow();
    expect(patron.email_failing_at).toBe(h().clock.now());
    expect(patron.email_failing_reason).toContain('User unknown');
  });

  it('records a try cut short by a crash, then sends the same message again under the same Message-ID', async () => {
    await useRelay();
    const kase = await replyOnNewCase();
    const [row] = await outbox(kase.id);
    // What a worker killed after handing the message over leaves: the claim, and no outcome.
    await h().db.kysely.updateTable('mail_outbox').set({ state: 'sending', attempts: 1, claimed_until: h().clock.now() + CLAIM_MS, relay: 'smtp://gone' }).where('id', '=', row!.id).execute();
    // Its job is taken again while the claim still stands: it waits for it.
    const claimed = await runner.runDue();
    expect(claimed).toBeGreaterThanOrEqual(1);
    expect(relay.relayed).toHaveLength(0);
    expect((await outbox(kase.id))[0]!.state).toBe('sending');

    h().clock.advance(CLAIM_MS + 60_000);
    await runner.runDue();
    const [after] = await outbox(kase.id);
    expect(after).toMatchObject({ state: 'sent', attempts: 2, message_id: row!.message_id });
    expect((await attempts(row!.id)).map((a) => a.outcome)).toEqual(['interrupted', 'sent']);
    expect(relay.relayed.map((m) => m.messageId)).toEqual([row!.message_id]);
  });

  it('queues a reply to a phone case only when the patron has an email, and never to our own address', async () => {
    await useRelay();
    const associate = await org.as('associate');
    const noEmail = await logCall(associate, { patron: { name: 'Phone Only', phone: '(312) 555-0100' } });
    const res = await associate.post(`/api/cases/${noEmail.ref}/entries`, { kind: 'reply', body: 'Called back, all set.' });
    expect(res.statusCode).toBe(201);
    expect(await outbox(noEmail.id)).toEqual([]);
    const entry = res.json().entries.at(-1);
    expect(entry).toMatchObject({ kind: 'message_out', channel: 'phone' });

    const queued = await inTransaction(h().p, (ctx) =>
      queueMail(ctx, { orgId: org.orgId, kind: 'notification', to: [{ address: team.toUpperCase() }], subject: 'Loop?', text: 'x' }),
    );
    expect(queued).toBeNull();
  });

  it('returns the first message for a repeated key and queues nothing more', async () => {
    const send = () =>
      inTransaction(h().p, (ctx) =>
        queueMail(ctx, { orgId: org.orgId, kind: 'notification', to: [{ address: 'sam@example.org', name: 'Sam' }], subject: 'Promise due', text: 'Call Ana back today.', key: 'promise:7:due' }),
      );
    const first = await send();
    const second = await send();
    expect(first).not.toBeNull();
    expect(second).toEqual(first);
    const rows = await outbox();
    expect(rows.filter((r) => r.dedupe_key === 'promise:7:due')).toHaveLength(1);
    const mail = await simpleParser(rows.find((r) => r.id === first!.id)!.raw);
    expect(mail.subject).toBe('Promise due');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  });
});
