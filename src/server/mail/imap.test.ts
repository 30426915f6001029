// IMAP polling against a real IMAP server (Dovecot, started by the test on loopback): new
// messages become cases for the mailbox's team address exactly once, then are flagged or
// moved; a second poll adds nothing; a poll stopped between its commit and the flag finishes
// the job next time without storing twice; a renumbered mailbox (new UIDVALIDITY) is read
// again without duplicates; a refused password is recorded and shown, and nothing crashes.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { inTransaction } from '../platform/tx.js';
import { makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect, type Harness } from '../testing/harness.js';
import { addTeamAddressIn, createMailRuntime, type MailRuntime } from './api.js';
import { STORED_KEYWORD } from './imap.js';
import { pollMailbox, returnPathOf } from './imap-poll.js';
import { dovecotMissing, imapRequired, startDovecot, type Dovecot } from './testing/dovecot.js';

const missing = dovecotMissing();
let dovecot: Dovecot | undefined;
let nextUser = 0;

if (missing && imapRequired()) {
  describe('IMAP polling against Dovecot', () => {
    it('needs Dovecot (required: REQUIRE_IMAP=1, REQUIRE_BROWSER=1 or CI=true)', () => {
      throw new Error(`The IMAP tests cannot run: ${missing}. CI requires them.`);
    });
  });
} else if (missing) {
  console.warn(`\n${'!'.repeat(72)}\n  IMAP polling tests SKIPPED: ${missing}.\n${'!'.repeat(72)}\n`);
  describe.skip(`IMAP polling against Dovecot (skipped: ${missing})`, () => {
    it('stores new messages once', () => undefined);
  });
} else {
  beforeAll(async () => {
    dovecot = await startDovecot();
  }, 30_000);
  afterAll(async () => {
    await dovecot?.close();
  });
  describeEachDialect('IMAP polling against Dovecot', pollingSuite);
}

/** An account of its own for each test: user, password, and an imapflow client to it. */
function account() {
  const name = `user${++nextUser}`;
  const password = dovecot!.users.get(name)!;
  const connect = async () => {
    const c = new ImapFlow({ host: dovecot!.host, port: dovecot!.port, secure: false, doSTARTTLS: false, auth: { user: name, pass: password }, logger: false, disableAutoIdle: true });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  return { name, password, connect };
}

function mime(o: { id: string; subject: string; body: string; from?: string; inReplyTo?: string; returnPath?: string }) {
  return (
    `${o.returnPath !== undefined ? `Return-Path: <${o.returnPath}>\r\n` : ''}From: ${o.from ?? 'Zoë Abbott <zoe@patron.example>'}\r\nTo: desk@example.org\r\n` +
    `Subject: ${o.subject}\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <${o.id}>\r\n` +
    `${o.inReplyTo ? `In-Reply-To: <${o.inReplyTo}>\r\nReferences: <${o.inReplyTo}>\r\n` : ''}` +
    `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${o.body}\r\n`
  );
}

function pollingSuite(h: () => Harness) {
  let rt: MailRuntime;
  let runner: JobRunner;
  const log = quietLog();
  beforeAll(() => {
    rt = createMailRuntime(h().p, { log, parseWorkers: false });
    runner = new JobRunner({ db: h().db, clock: h().clock, types: rt.jobTypes, log });
  });
  afterAll(async () => {
    await rt.close();
  });

  /** An organization with a Development address whose mailbox is polled (via the admin API). */
  async function setUp(o: { mailbox?: string; afterStore?: 'flag' | 'move'; password?: string } = {}) {
    const org = await makeOrg(h());
    const acct = account();
    const address = `giving-${org.slug}@in.servewell.test`;
    const row = await inTransaction(h().p, (ctx) => addTeamAddressIn(ctx, org.orgId, org.teams.development, address));
    const admin = await org.as('admin');
    const settings = {
      host: dovecot!.host,
      port: dovecot!.port,
      security: 'none',
      username: acct.name,
      password: o.password ?? acct.password,
      allowSelfSigned: false,
      mailbox: o.mailbox ?? 'INBOX',
      afterStore: o.afterStore ?? 'flag',
    };
    return { org, acct, address, addressId: row.id, admin, settings, configure: (s = settings) => admin.put(`/api/admin/mail/addresses/${row.id}/imap`, s) };
  }

  const inbound = (org: TestOrg) => h().db.kysely.selectFrom('mail_inbound').selectAll().where('org_id', '=', org.orgId).orderBy('id').execute();
  const cases = (org: TestOrg) => h().db.kysely.selectFrom('cases').select(['id', 'number', 'team_id', 'subject']).where('org_id', '=', org.orgId).orderBy('id').execute();
  const mailboxRow = (addressId: number) => h().db.kysely.selectFrom('mail_imap').selectAll().where('address_id', '=', addressId).executeTakeFirstOrThrow();
  const deps = (extra: Partial<Parameters<typeof pollMailbox>[0]> = {}) => ({ p: h().p, log, ...extra });

  async function flagsOf(c: ImapFlow, mailbox = 'INBOX') {
    const lock = await c.getMailboxLock(mailbox);
    try {
      const all = await c.fetchAll('1:*', { uid: true, flags: true, envelope: true }, { uid: true });
      return all.map((m) => ({ id: m.envelope?.messageId, flags: [...(m.flags ?? [])].sort() }));
    } finally {
      lock.release();
    }
  }

  it('stores new messages once, as cases of the address’s team, then flags them; a reply joins its case; a poll with nothing new adds nothing', async () => {
    const t = await setUp();
    const c = await t.acct.connect();
    try {
      const first = `first-${t.org.slug}@patron.example`;
      await c.append('INBOX', mime({ id: first, subject: 'Gift aid form', body: 'Where do I send the form?', returnPath: 'zoe@patron.example' }));
      await c.append('INBOX', mime({ id: `second-${t.org.slug}@patron.example`, subject: 'Matching gift', body: 'Does my employer match?' }));

      const set = await t.configure();
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject({ address: t.address, hasPassword: true, afterStore: 'flag', lastPolledAt: null });
      await runner.runDue(); // the poll the save queued, then the parse jobs

      const rows = await inbound(t.org);
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        expect(r).toMatchObject({ source: 'imap', team_id: t.org.teams.development, state: 'threaded' });
        expect(JSON.parse(r.rcpt_to)).toEqual([t.address]);
      }
      expect(rows[0]!.mail_from).toBe('zoe@patron.example');
      // The Development address's team, not the organization's default team (threaded in
      // parallel on PostgreSQL: in either order).
      const opened = await cases(t.org);
      expect(opened.map((x) => [x.subject, x.team_id]).sort()).toEqual([
        ['Gift aid form', t.org.teams.development],
        ['Matching gift', t.org.teams.development],
      ]);
      // Flagged on the server only now that they are stored.
      for (const m of await flagsOf(c)) expect(m.flags).toEqual([STORED_KEYWORD, '\\Seen']);

      // The next tick: the patron's reply is threaded into its case, as if it came by SMTP.
      await c.append('INBOX', mime({ id: `reply-${t.org.slug}@patron.example`, subject: 'Re: Gift aid form', body: 'Found it, thanks.', inReplyTo: first }));
      h().clock.advance(60_000);
      await runner.runDue(); // the sweep's tick, the poll it queues, the parse job
      const three = await inbound(t.org);
      expect(three).toHaveLength(3);
      expect(three[2]!.case_id).toBe(opened.find((x) => x.subject === 'Gift aid form')!.id);
      expect(await cases(t.org)).toHaveLength(2);

      h().clock.advance(60_000);
      await runner.runDue();
      expect(await inbound(t.org)).toHaveLength(3);
      const view = (await t.admin.get('/api/admin/mail')).json().imap;
      expect(view).toEqual([expect.objectContaining({ address: t.address, storedCount: 3, lastPolledAt: h().clock.now(), lastError: null, failures: 0 })]);
      expect(JSON.stringify(view)).not.toContain(t.acct.password);
      const polls = await h().db.kysely.selectFrom('jobs').select('id').where('kind', '=', 'mail.imap-poll').where('org_id', '=', t.org.orgId).execute();
      expect(polls).toHaveLength(3);
    } finally {
      await c.logout();
    }
  });

  it('a poll stopped between its commit and the flag: the next stores nothing and flags', async () => {
    const t = await setUp();
    const c = await t.acct.connect();
    try {
      await c.append('INBOX', mime({ id: `crash-a-${t.org.slug}@patron.example`, subject: 'Crash A', body: 'a' }));
      await c.append('INBOX', mime({ id: `crash-b-${t.org.slug}@patron.example`, subject: 'Crash B', body: 'b' }));
      await t.configure();
      const { id } = await mailboxRow(t.addressId);
      const crashed = await pollMailbox(deps({ afterCommit: () => Promise.reject(new Error('simulated crash after the commit')) }), id);
      expect(crashed).toMatchObject({ state: 'failed', error: expect.stringContaining('simulated crash') });
      expect(await inbound(t.org)).toHaveLength(2);
      expect(await mailboxRow(t.addressId)).toMatchObject({ last_uid: 2, stored_count: 2, failures: 1 });
      for (const m of await flagsOf(c)) expect(m.flags).toEqual([]);

      // A worker that died mid-poll leaves its hold behind: nobody polls until it runs out.
      const now = h().clock.now();
      await h().db.kysely.updateTable('mail_imap').set({ polling_until: now + 60_000 }).where('id', '=', id).execute();
      expect(await pollMailbox(deps(), id)).toEqual({ state: 'skipped' });
      h().clock.advance(60_001);

      expect(await pollMailbox(deps(), id)).toEqual({ state: 'ok', stored: 0, more: false });
      expect(await inbound(t.org)).toHaveLength(2);
      for (const m of await flagsOf(c)) expect(m.flags).toEqual([STORED_KEYWORD, '\\Seen']);
      expect(await mailboxRow(t.addressId)).toMatchObject({ failures: 0, last_error: null, stored_count: 2 });
      await runner.runDue();
      expect(await cases(t.org)).toHaveLength(2);
      const parses = await h().db.kysely.selectFrom('jobs').select('id').where('kind', '=', 'mail.parse').where('org_id', '=', t.org.orgId).execute();
      expect(parses).toHaveLength(2);
    } finally {
      await c.logout();
    }
  });

  it('moves stored messages to a folder, finishing a move a stopped poll left undone', async () => {
    const t = await setUp({ afterStore: 'move' });
    const c = await t.acct.connect();
    try {
      await c.append('INBOX', mime({ id: `move-a-${t.org.slug}@patron.example`, subject: 'Move A', body: 'a' }));
      await t.configure();
      const { id } = await mailboxRow(t.addressId);
      await pollMailbox(deps({ afterCommit: () => Promise.reject(new Error('simulated crash')) }), id);
      const count = async (path: string | string[]) => {
        const status = await c.status(path, { messages: true });
        return status ? status.messages : null;
      };
      expect(await count('INBOX')).toBe(1);
      await c.append('INBOX', mime({ id: `move-b-${t.org.slug}@patron.example`, subject: 'Move B', body: 'b' }));
      expect(await pollMailbox(deps(), id)).toEqual({ state: 'ok', stored: 1, more: false });
      expect(await count('INBOX')).toBe(0);
      // Dovecot's maildir separates levels with "."; the admin wrote "Servewell/Processed".
      expect(await count(['Servewell', 'Processed'])).toBe(2);
      expect(await inbound(t.org)).toHaveLength(2);
    } finally {
      await c.logout();
    }
  });

  it('reads a renumbered mailbox (new UIDVALIDITY) again without storing anything twice', async () => {
    const t = await setUp({ mailbox: 'Desk' });
    const c = await t.acct.connect();
    try {
      await c.mailboxCreate('Desk');
      const ids = ['a', 'b', 'c'].map((x) => `renumber-${x}-${t.org.slug}@patron.example`);
      for (const id of ids) await c.append('Desk', mime({ id, subject: `Renumber ${id}`, body: id }));
      await t.configure();
      await runner.runDue();
      const before = await mailboxRow(t.addressId);
      expect(before).toMatchObject({ last_uid: 3, stored_count: 3 });

      // The server loses its UID list (a restore, a migration): same messages, new numbers.
      await c.mailboxDelete('Desk');
      await c.mailboxCreate('Desk');
      const fresh = `renumber-d-${t.org.slug}@patron.example`;
      await c.append('Desk', mime({ id: fresh, subject: 'Renumber new', body: 'new' }));
      await c.append('Desk', mime({ id: ids[0]!, subject: `Renumber ${ids[0]}`, body: ids[0]! }));
      const { id } = before;
      expect(await pollMailbox(deps(), id)).toEqual({ state: 'ok', stored: 1, more: false });
      const after = await mailboxRow(t.addressId);
      expect(after.uid_validity).not.toBe(before.uid_validity);
      expect(after).toMatchObject({ last_uid: 2, stored_count: 4 });
      expect((await inbound(t.org)).map((r) => r.message_id).sort()).toEqual([...ids, fresh].sort());
      for (const m of await flagsOf(c, 'Desk')) expect(m.flags).toEqual([STORED_KEYWORD, '\\Seen']);
    } finally {
      await c.logout();
    }
  });

  it('fetches in bounded batches and queues the next poll when one stops at its limit', async () => {
    const t = await setUp();
    const c = await t.acct.connect();
    try {
      for (let i = 1; i <= 5; i++) await c.append('INBOX', mime({ id: `batch-${i}-${t.org.slug}@patron.example`, subject: `Batch ${i}`, body: `${i}` }));
      await t.configure();
      const { id } = await mailboxRow(t.addressId);
      const small = deps({ limits: { batchMessages: 2, batchesPerPoll: 2 } });
      expect(await pollMailbox(small, id, `mail.imap-poll:${id}:test-more`)).toEqual({ state: 'ok', stored: 4, more: true });
      expect(await mailboxRow(t.addressId)).toMatchObject({ last_uid: 4, stored_count: 4 });
      const next = await h().db.kysely.selectFrom('jobs').select('kind').where('unique_key', '=', `mail.imap-poll:${id}:test-more`).execute();
      expect(next).toEqual([{ kind: 'mail.imap-poll' }]);
      await runner.runDue();
      expect(await inbound(t.org)).toHaveLength(5);
      expect(await cases(t.org)).toHaveLength(5);
    } finally {
      await c.logout();
    }
  });

  it('records a refused password and a host that does not answer on the admin screen, backs off, and never crashes', async () => {
    const t = await setUp({ password: 'wrong password' });
    await t.configure();
    await runner.runDue();
    const failed = (await t.admin.get('/api/admin/mail')).json().imap[0];
    expect(failed).toMatchObject({ lastPolledAt: null, failures: 1, lastErrorAt: h().clock.now(), nextPollAt: h().clock.now() + 60_000 });
    expect(failed.lastError).toMatch(/refused the user name or password/);
    // The job itself went through: the failure belongs to the mailbox, not to the job runner.
    expect(await h().db.kysely.selectFrom('jobs').select('state').where('kind', '=', 'mail.imap-poll').where('org_id', '=', t.org.orgId).execute()).toEqual([{ state: 'done' }]);

    h().clock.advance(60_000);
    await runner.runDue();
    expect((await t.admin.get('/api/admin/mail')).json().imap[0]).toMatchObject({ failures: 2, nextPollAt: h().clock.now() + 120_000 });
    h().clock.advance(60_000);
    await runner.runDue(); // still backing off: no poll
    expect((await mailboxRow(t.addressId)).failures).toBe(2);

    const test = (body: object) => t.admin.post(`/api/admin/mail/addresses/${t.addressId}/imap/test`, { ...t.settings, ...body });
    expect((await test({})).json()).toMatchObject({ ok: false, message: expect.stringMatching(/refused the user name or password/) });
    expect((await test({ port: 1 })).json()).toMatchObject({ ok: false, message: 'Nothing answers at 127.0.0.1:1 (connection refused).' });
    expect((await test({ password: t.acct.password })).json()).toMatchObject({ ok: true, messages: 0 });

    // The right password: polling resumes at once and the error is gone.
    expect((await t.configure({ ...t.settings, password: t.acct.password })).statusCode).toBe(200);
    await runner.runDue();
    expect((await t.admin.get('/api/admin/mail')).json().imap[0]).toMatchObject({ failures: 0, lastError: null, lastPolledAt: h().clock.now() });
  });
}

describeEachDialect('IMAP settings (admin API)', (h) => {
  it('sets, tests and clears a mailbox for an address: admins only, validated, audited without the password', async () => {
    const org = await makeOrg(h());
    const address = `box-${org.slug}@in.servewell.test`;
    const { id } = await inTransaction(h().p, (ctx) => addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, address));
    const admin = await org.as('admin');
    const url = `/api/admin/mail/addresses/${id}/imap`;
    const body = { host: 'imap.example.org', port: 993, security: 'tls', username: 'desk', password: 'hunter22', allowSelfSigned: false, afterStore: 'move' };

    expect((await (await org.as('supervisor')).put(url, body)).statusCode).toBe(403);
    const clear = await admin.put(url, { ...body, security: 'none' });
    expect(clear.statusCode).toBe(400);
    expect(clear.json().error.field).toBe('security');
    const noPassword = await admin.put(url, { ...body, password: undefined });
    expect(noPassword.statusCode).toBe(400);
    expect(noPassword.json().error.field).toBe('password');
    expect((await admin.put(`/api/admin/mail/addresses/999999/imap`, body)).statusCode).toBe(404);
    const other = await makeOrg(h());
    expect((await (await other.as('admin')).put(url, body)).statusCode).toBe(404);

    const saved = await admin.put(url, body);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ address, mailbox: 'INBOX', afterStore: 'move', moveTo: 'Servewell/Processed', hasPassword: true });
    expect(saved.body).not.toContain('hunter22');
    // Saved again without a password: the stored one stays.
    expect((await admin.put(url, { ...body, password: undefined, afterStore: 'flag' })).json()).toMatchObject({ afterStore: 'flag', moveTo: null });
    expect((await h().db.kysely.selectFrom('mail_imap').select('password').where('address_id', '=', id).executeTakeFirstOrThrow()).password).toBe('hunter22');
    const polls = await h().db.kysely.selectFrom('jobs').select('kind').where('kind', '=', 'mail.imap-poll').where('org_id', '=', org.orgId).execute();
    expect(polls).toHaveLength(2);

    expect((await admin.delete(url)).statusCode).toBe(200);
    expect((await admin.delete(url)).statusCode).toBe(404);
    expect((await admin.get('/api/admin/mail')).json().imap).toEqual([]);
    // Removing the address removes its mailbox too.
    await admin.put(url, body);
    expect((await admin.delete(`/api/admin/mail/addresses/${id}`)).statusCode).toBe(200);
    expect(await h().db.kysely.selectFrom('mail_imap').select('id').where('org_id', '=', org.orgId).execute()).toEqual([]);

    const audit = await h().db.kysely.selectFrom('audit_log').select(['action', 'detail']).where('org_id', '=', org.orgId).where('action', 'like', 'mail.imap%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['mail.imap_set', 'mail.imap_set', 'mail.imap_cleared', 'mail.imap_set']);
    expect(JSON.stringify(audit)).not.toContain('hunter22');
  });

  it('reads the Return-Path of a fetched message for the record', () => {
    expect(returnPathOf(Buffer.from('Return-Path: <Zoe@Patron.Example>\r\nFrom: x\r\n\r\nReturn-Path: <no@body>\r\n'))).toBe('zoe@patron.example');
    expect(returnPathOf(Buffer.from('Return-Path: <>\r\nFrom: x\r\n\r\n'))).toBe('');
    expect(returnPathOf(Buffer.from('From: x\r\n\r\nReturn-Path: <no@body>\r\n'))).toBe('');
  });
});
