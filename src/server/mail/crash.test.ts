// Nothing lost, nothing twice: a real listener process killed (SIGKILL) after its 250, or
// after its commit but before the 250, or before the commit; the sender retries as mail
// servers do; after a restart the message is there exactly once and makes exactly one case.
// Then bad input: each gets the right SMTP reply or is stored (flagged when unreadable), and
// the listener keeps answering.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTeam, createOrganization } from '../admin/api.js';
import { migrateToLatest, openDb, type Db } from '../db/index.js';
import type { Platform } from '../platform/context.js';
import { createPlatform } from '../platform/index.js';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog, until } from '../platform/jobs/testing/kit.js';
import { inTransaction } from '../platform/tx.js';
import { makeOrg, type TestOrg } from '../testing/factories.js';
import { TEST_DATABASE_URL, createSchema, describeEachDialect, dialects, dropSchema } from '../testing/harness.js';
import { storeReceived } from './inbound.js';
import { addTeamAddressIn, createInboundDoor, createMailListener, createMailRuntime, type MailListener, type MailRuntime } from './api.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, 'fixtures', name));

async function sendRaw(port: number, raw: string | Buffer, to: string[], from = 'ana@patron.example') {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, socketTimeout: 60_000 });
  try {
    return await t.sendMail({ envelope: { from, to }, raw });
  } finally {
    t.close();
  }
}

for (const dialect of dialects()) {
  describe(`a listener process killed around its 250 [${dialect}]`, () => {
    let dir: string;
    let schema: string | undefined;
    let env: Record<string, string>;
    let db: Db;
    let p: Platform;
    let rt: MailRuntime;
    const address = 'boxoffice@crash.servewell.test';

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-mail-crash-'));
      schema = dialect === 'postgres' ? await createSchema() : undefined;
      env = dialect === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL!, PG_SCHEMA: schema! } : { SQLITE_FILE: path.join(dir, 'servewell.db') };
      db = dialect === 'postgres' ? openDb({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, poolSize: 4 }) : openDb({ sqliteFile: env.SQLITE_FILE });
      await migrateToLatest(db);
      p = await createPlatform(db, { publicUrl: 'http://desk.test' });
      await inTransaction(p, async (ctx) => {
        const org = await createOrganization(ctx, { name: 'Crash Theater', slug: 'crash', timeZone: 'UTC', casePrefix: 'SW', firstCaseNumber: 1 });
        const team = await addTeam(ctx, org.id, 'Box office');
        await addTeamAddressIn(ctx, org.id, team.id, address);
      });
      rt = createMailRuntime(p, { log: quietLog() });
    }, 60_000);
    afterAll(async () => {
      await rt?.close();
      await p?.events.close();
      await db?.close();
      if (schema) await dropSchema(schema);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function startServer(crash?: 'before-commit' | 'after-commit') {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing/listener-process.ts')], {
        env: { ...process.env, ...env, ...(crash ? { CRASH: crash } : {}) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await until(() => /port (\d+)/.test(out), 'the listener process to start', 30_000);
      return { child, exited, port: Number(/port (\d+)/.exec(out)![1]) };
    }
    const kill = async (s: { child: ChildProcess; exited: Promise<NodeJS.Signals | null> }) => {
      s.child.kill('SIGKILL');
      return s.exited;
    };
    const stored = (messageId: string) => db.kysely.selectFrom('mail_inbound').select(['id', 'case_id']).where('message_id', '=', messageId).execute();
    const casesWith = async (messageId: string) => {
      const runner = new JobRunner({ db, clock: p.clock, types: rt.jobTypes, log: quietLog() });
      await runner.runDue();
      const rows = await stored(messageId);
      return new Set(rows.map((r) => r.case_id)).size === 1 && rows[0]!.case_id !== null ? rows.length : -rows.length;
    };
    const message = (id: string) =>
      `From: Ana <ana@patron.example>\r\nTo: ${address}\r\nSubject: Crash ${id}\r\nMessage-ID: <${id}>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nPlease keep this.\r\n`;

    it('keeps a message exactly once when the server is killed right after its 250', async () => {
      const s = await startServer();
      const info = await sendRaw(s.port, message('after-250@patron.example'), [address]);
      expect(info.response).toMatch(/^250 /);
      expect(await kill(s)).toBe('SIGKILL');
      const again = await startServer();
      try {
        expect(await stored('after-250@patron.example')).toHaveLength(1);
        // A sender that did not trust the 250 and sends again: still one message, one case.
        await sendRaw(again.port, message('after-250@patron.example'), [address]);
        expect(await casesWith('after-250@patron.example')).toBe(1);
      } finally {
        await kill(again);
      }
    }, 90_000);

    for (const when of ['after-commit', 'before-commit'] as const) {
      it(`makes one case when the server is killed ${when === 'after-commit' ? 'after its commit but' : 'before its commit, so'} before the 250, and the sender retries`, async () => {
        const id = `${when}@patron.example`;
        const s = await startServer(when);
        const err = await sendRaw(s.port, message(id), [address]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Error); // no 250: the sender keeps the message and retries
        expect(await s.exited).toBe('SIGKILL');
        expect(await stored(id)).toHaveLength(when === 'after-commit' ? 1 : 0);
        const again = await startServer();
        try {
          const info = await sendRaw(again.port, message(id), [address]);
          expect(info.response).toMatch(/^250 /);
          expect(await casesWith(id)).toBe(1);
        } finally {
          await kill(again);
        }
      }, 90_000);
    }
  });
}

describeEachDialect('bad input at the SMTP door', (h) => {
  let listener: MailListener;
  let port: number;
  let org: TestOrg;
  let box: string;
  let rt: MailRuntime;
  let runner: JobRunner;

  beforeAll(async () => {
    listener = createMailListener({ ...createInboundDoor(h().p), hostname: 'mx.desk.test', clock: h().clock, log: { info: () => {}, warn: () => {}, error: () => {} } });
    port = (await listener.listen(0, '127.0.0.1')).port;
    org = await makeOrg(h());
    box = `boxoffice-${org.slug}@in.servewell.test`;
    await inTransaction(h().p, (ctx) => addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, box));
    rt = createMailRuntime(h().p, { log: quietLog() });
    runner = new JobRunner({ db: h().db, clock: h().clock, types: rt.jobTypes, log: quietLog() });
  });
  afterAll(async () => {
    await listener.close();
    await rt.close();
  });

  const byId = (id: string) => h().db.kysely.selectFrom('mail_inbound').selectAll().where('org_id', '=', org.orgId).where('message_id', '=', id).executeTakeFirst();
  async function stillAnswers() {
    const info = await sendRaw(port, `From: a@patron.example\r\nTo: ${box}\r\nSubject: ping\r\nMessage-ID: <ping-${Math.random()}@x>\r\n\r\nping\r\n`, [box]);
    expect(info.response).toMatch(/^250 /);
  }

  it('stores malformed MIME and 8-bit junk headers, threads them, and keeps answering', async () => {
    for (const [file] of [
      ['malformed-mime.eml', 'malformed@example.com'],
      ['junk-8bit-headers.eml', 'junk-8bit@example.de'],
      ['empty-body.eml', 'empty-body@example.com'],
    ] as const) {
      const info = await sendRaw(port, fixture(file), [box]);
      expect(info.response).toMatch(/^250 /);
    }
    await runner.runDue();
    for (const id of ['malformed@example.com', 'junk-8bit@example.de', 'empty-body@example.com']) {
      const row = await byId(id);
      expect(row).toMatchObject({ state: 'threaded' });
      expect(row!.case_id).not.toBeNull();
    }
    expect((await byId('junk-8bit@example.de'))!.subject).toBe('Grüße Ã( aus Köln bitte');
    await stillAnswers();
  });

  it('stores a 0-byte message, and flags a stored message it cannot read as unparseable', async () => {
    const info = await sendRaw(port, '', [box]);
    expect(info.response).toMatch(/^250 /);
    // Bytes with nothing readable in them (as an IMAP mailbox can hold): kept, flagged, on a case.
    const [bare] = await inTransaction(h().p, (ctx) =>
      storeReceived(ctx, { raw: Buffer.alloc(0), envelope: { mailFrom: '', rcptTo: [box] }, remoteAddress: '127.0.0.1', helo: 'x', secure: false, authenticatedAs: null, receivedAt: h().clock.now() }),
    );
    await runner.runDue();
    const rows = await h().db.kysely.selectFrom('mail_inbound').select(['id', 'size', 'unparseable', 'state', 'case_id', 'message_id_derived_at']).where('org_id', '=', org.orgId).orderBy('id', 'desc').limit(2).execute();
    expect(rows[0]).toMatchObject({ id: bare, size: 0, unparseable: 'The message is empty.', state: 'threaded' });
    // The empty DATA (nodemailer adds its minimal headers): stored, threaded, on a case of its own.
    expect(rows[1]).toMatchObject({ unparseable: null, state: 'threaded' });
    expect(rows[1]!.case_id).not.toBeNull();
    await stillAnswers();
  });

  it('refuses a 30 MB attachment with 552 and stores nothing of it', async () => {
    const big = Buffer.alloc(30 * 1024 * 1024, 65).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = `From: a@patron.example\r\nTo: ${box}\r\nSubject: big\r\nMessage-ID: <big@patron.example>\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n`;
    const err = await sendRaw(port, raw, [box]).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 552 });
    expect(await byId('big@patron.example')).toBeUndefined();
    await stillAnswers();
  }, 60_000);

  it('answers 1,000 recipients one by one (550 for each unknown one) and stores the message once', async () => {
    const to = [box, ...Array.from({ length: 999 }, (_, i) => `r${i}-${org.slug}@in.servewell.test`)];
    const info = await sendRaw(port, `From: a@patron.example\r\nTo: ${box}\r\nSubject: many\r\nMessage-ID: <many@patron.example>\r\n\r\nhi\r\n`, to);
    expect(info.accepted).toEqual([box]);
    expect(info.rejected).toHaveLength(999);
    expect(await byId('many@patron.example')).toBeDefined();
    await stillAnswers();
  }, 60_000);
});
