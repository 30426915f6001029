// The listener over real loopback SMTP: nodemailer as the sending client, and a raw socket
// where a well-behaved client cannot say the wrong thing.
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import selfsigned from 'selfsigned';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer, MailDeliveryError } from '../platform/mailer/index.js';
import { composeReply } from './compose.js';
import { createMailListener, type MailListenerOptions, type ReceivedMessage } from './listener.js';
import { parseMessage } from './parse.js';

const TEAM = 'boxoffice@demo.servewell.org';
const message = (subject = 'Tickets', body = 'Two for Saturday, please.') =>
  `From: Zoe <zoe@example.org>\r\nTo: ${TEAM}\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@example.org>\r\n\r\n${body}\r\n`;

interface Logged {
  level: 'info' | 'warn' | 'error';
  message: string;
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startListener(overrides: Partial<MailListenerOptions> = {}) {
  const stored: ReceivedMessage[] = [];
  const logged: Logged[] = [];
  const listener = createMailListener({
    hostname: 'mx.test.servewell',
    isKnownRecipient: async (address) =>
      address === TEAM || address.endsWith('@many.servewell.test'),
    store: async (m) => {
      stored.push(m);
    },
    closeTimeoutMs: 300,
    log: {
      info: (_d, m) => logged.push({ level: 'info', message: m }),
      warn: (_d, m) => logged.push({ level: 'warn', message: m }),
      error: (_d, m) => logged.push({ level: 'error', message: m }),
    },
    ...overrides,
  });
  const { port } = await listener.listen(0, '127.0.0.1');
  cleanups.push(() => listener.close());
  return { port, stored, logged, listener };
}

function client(port: number, options: Record<string, unknown> = {}) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    logger: false,
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 10_000,
    ...options,
  });
  cleanups.push(() => transport.close());
  return transport;
}

/** A bare SMTP session: send a line, read the complete (possibly multi-line) reply. */
class RawSession {
  private buffer = '';
  private replies: string[] = [];
  private waiting: ((reply: string) => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.buffer += data.toString('latin1');
      let end: RegExpExecArray | null;
      // A reply is complete at a line "NNN text" (a space, not a dash, after the code).
      while ((end = /^\d{3}(?: [^\r\n]*)?\r?\n/m.exec(this.buffer))) {
        const reply = this.buffer.slice(0, end.index + end[0].length).trimEnd();
        this.buffer = this.buffer.slice(end.index + end[0].length);
        const waiter = this.waiting.shift();
        if (waiter) waiter(reply);
        else this.replies.push(reply);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w('(closed)');
    });
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<{ session: RawSession; greeting: string }> {
    const socket = connect(port, '127.0.0.1');
    const session = new RawSession(socket);
    cleanups.push(() => void socket.destroy());
    return { session, greeting: await session.reply() };
  }

  reply(timeoutMs = 5000): Promise<string> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.closed) return Promise.resolve('(closed)');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        resolve('(no reply)');
      }, timeoutMs);
      const done = (r: string) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.waiting.push(done);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  send(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }
}

describe('the SMTP listener', () => {
  it('stores a message for a team address, trace fields on top, and answers 250', async () => {
    const { port, stored } = await startListener();
    const raw = message('Tickets for Saturday');
    const info = await client(port).sendMail({
      envelope: { from: 'zoe@example.org', to: [TEAM] },
      raw,
    });
    expect(info.response).toMatch(/^250 /);
    expect(stored).toHaveLength(1);
    const [m] = stored;
    expect(m!.envelope).toEqual({ mailFrom: 'zoe@example.org', rcptTo: [TEAM] });
    expect(m!.remoteAddress).toBe('127.0.0.1');
    expect(m!.secure).toBe(false);
    const text = m!.raw.toString();
    expect(text).toMatch(
      /^Return-Path: <zoe@example\.org>\r\nReceived: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby mx\.test\.servewell \(Servewell\) with ESMTP id /,
    );
    expect(text).toContain(`\tfor <${TEAM}>;`);
    expect(text.endsWith(raw)).toBe(true);
    const parsed = await parseMessage(m!.raw);
    expect(parsed.subject).toBe('Tickets for Saturday');
    expect(parsed.flags.nullSender).toBe(false);
  });

  it('receives a reply composed by the desk and sent by its mailer, threading intact', async () => {
    const { port, stored } = await startListener();
    const composed = await composeReply({
      from: { address: 'members@demo.servewell.org', name: 'Membership' },
      to: [{ address: TEAM, name: 'Box Office' }],
      messageId: 'sw-9.roundtrip@demo.servewell.org',
      date: Date.UTC(2026, 11, 1, 12),
      subject: 'Re: Season pass [SW-9]',
      caseReference: 'SW-9',
      inReplyTo: 'patron.1@example.org',
      references: ['root.0@example.org'],
      text: 'Your pass is renewed.',
      signature: 'Membership team',
    });
    const mailer = createSmtpMailer({ host: '127.0.0.1', port, starttls: 'never' });
    cleanups.push(() => mailer.close());
    await mailer.send(composed.envelope, composed.raw);
    const parsed = await parseMessage(stored[0]!.raw, {
      envelopeFrom: stored[0]!.envelope.mailFrom,
    });
    expect(parsed).toMatchObject({
      messageId: 'sw-9.roundtrip@demo.servewell.org',
      inReplyTo: ['patron.1@example.org'],
      references: ['root.0@example.org', 'patron.1@example.org'],
      subject: 'Re: Season pass [SW-9]',
      caseReferences: ['SW-9'],
      from: { address: 'members@demo.servewell.org', name: 'Membership' },
    });
    expect(parsed.textParts).toMatchObject({
      newPart: 'Your pass is renewed.',
      signature: 'Membership team',
    });
    // The bytes that arrive are the bytes that were composed.
    expect(
      stored[0]!.raw.subarray(stored[0]!.raw.length - composed.raw.length).equals(composed.raw),
    ).toBe(true);
  });

  it('keeps the null sender of a bounce, so the parser can tell', async () => {
    const { port, stored } = await startListener();
    await client(port).sendMail({
      envelope: { from: '', to: [TEAM] },
      raw: message('Undelivered Mail'),
    });
    expect(stored[0]!.envelope.mailFrom).toBe('');
    expect(stored[0]!.raw.toString()).toMatch(/^Return-Path: <>\r\n/);
    expect((await parseMessage(stored[0]!.raw)).flags).toMatchObject({
      nullSender: true,
      bounce: true,
    });
  });

  it('refuses an unknown recipient with 550 at RCPT and delivers to the known one', async () => {
    const { port, stored } = await startListener();
    const transport = client(port);
    const err = await transport
      .sendMail({
        envelope: { from: 'zoe@example.org', to: ['nobody@demo.servewell.org'] },
        raw: message(),
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EENVELOPE' });
    expect(
      (err as { rejectedErrors: { responseCode: number }[] }).rejectedErrors[0]!.responseCode,
    ).toBe(550);
    expect(stored).toHaveLength(0);

    const info = await transport.sendMail({
      envelope: { from: 'zoe@example.org', to: ['nobody@demo.servewell.org', TEAM] },
      raw: message(),
    });
    expect(info.accepted).toEqual([TEAM]);
    expect(info.rejected).toEqual(['nobody@demo.servewell.org']);
    expect(stored.map((m) => m.envelope.rcptTo)).toEqual([[TEAM]]);
  });

  it('answers 451 at RCPT when the recipient check itself fails, so the sender retries', async () => {
    const { port, logged } = await startListener({
      isKnownRecipient: async () => {
        throw new Error('database is down');
      },
    });
    const { session } = await RawSession.open(port);
    await session.send('EHLO client.example');
    await session.send('MAIL FROM:<zoe@example.org>');
    expect(await session.send(`RCPT TO:<${TEAM}>`)).toMatch(/^451 4\.3\.0 /);
    expect(
      logged.some((l) => l.level === 'error' && l.message === 'could not check a recipient'),
    ).toBe(true);
  });

  it('announces SIZE and refuses a larger declared size with 552 at MAIL FROM', async () => {
    const { port } = await startListener({ maxMessageBytes: 10_000 });
    const { session } = await RawSession.open(port);
    expect(await session.send('EHLO client.example')).toMatch(/^250[- ]SIZE 10000$/m);
    expect(await session.send('MAIL FROM:<zoe@example.org> SIZE=20000')).toMatch(/^552 /);
    expect(await session.send('MAIL FROM:<zoe@example.org> SIZE=5000')).toMatch(/^250 /);
  });

  it('refuses a message that grows past the limit as it streams with 552, and stores nothing', async () => {
    const { port, stored } = await startListener({ maxMessageBytes: 10_000 });
    const { session } = await RawSession.open(port);
    await session.send('EHLO client.example');
    await session.send('MAIL FROM:<zoe@example.org>');
    await session.send(`RCPT TO:<${TEAM}>`);
    expect(await session.send('DATA')).toMatch(/^354 /);
    const line = `${'x'.repeat(998)}\r\n`;
    for (let i = 0; i < 50; i++) session.write(line);
    expect(await session.send('.')).toMatch(/^552 /);
    expect(stored).toHaveLength(0);
    // The session goes on: the next message is taken.
    await session.send('MAIL FROM:<zoe@example.org>');
    await session.send(`RCPT TO:<${TEAM}>`);
    await session.send('DATA');
    expect(await session.send(`${message()}.`)).toMatch(/^250 /);
    expect(stored).toHaveLength(1);
  });

  it('refuses an oversize message from nodemailer with 552, declared or streamed', async () => {
    const { port, stored } = await startListener({ maxMessageBytes: 50_000 });
    const big = message('Big', 'y'.repeat(76).concat('\r\n').repeat(2000));
    const envelope = { from: 'zoe@example.org', to: [TEAM] };
    // Told the size, nodemailer reads the announced SIZE and does not even try (the raw
    // session above shows the 552 a client that declares too much gets)...
    const declared = await client(port)
      .sendMail({ envelope: { ...envelope, size: big.length }, raw: Buffer.from(big) })
      .catch((e: unknown) => e);
    expect(declared).toMatchObject({
      code: 'EMESSAGE',
      command: 'MAIL FROM',
      message: 'Message size larger than allowed 50000',
    });
    // ...a stream's is not, so the limit is found while it streams.
    const streamed = await client(port)
      .sendMail({ envelope, raw: Readable.from([Buffer.from(big)]) })
      .catch((e: unknown) => e);
    expect(streamed).toMatchObject({ responseCode: 552, command: 'DATA' });
    expect(stored).toHaveLength(0);
  });

  it('takes 100 of 1,000 recipients and answers 452 to the rest, politely', async () => {
    const { port, stored } = await startListener();
    const to = Array.from({ length: 1000 }, (_, i) => `team${i}@many.servewell.test`);
    const info = await client(port).sendMail({
      envelope: { from: 'zoe@example.org', to },
      raw: message(),
    });
    expect(info.accepted).toHaveLength(100);
    expect(info.rejected).toHaveLength(900);
    expect(new Set(info.rejectedErrors?.map((e) => e.responseCode))).toEqual(new Set([452]));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.envelope.rcptTo).toEqual(to.slice(0, 100));
    // Several recipients: none is named in the Received field (Bcc stays private).
    expect(stored[0]!.raw.toString()).not.toContain('for <');
  });

  it('sends 250 only after store has resolved', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let storeStarted!: () => void;
    const started = new Promise<void>((r) => (storeStarted = r));
    const events: string[] = [];
    const { port } = await startListener({
      store: async () => {
        events.push('store started');
        storeStarted();
        await gate;
        events.push('store resolved');
      },
    });
    const { session } = await RawSession.open(port);
    await session.send('EHLO client.example');
    await session.send('MAIL FROM:<zoe@example.org>');
    await session.send(`RCPT TO:<${TEAM}>`);
    await session.send('DATA');
    session.write(`${message()}.\r\n`);
    await started;
    // While store is busy, the sender hears nothing.
    expect(await session.reply(400)).toBe('(no reply)');
    expect(events).toEqual(['store started']);
    const replied = session.reply().then((r) => {
      events.push(`client got ${r.slice(0, 3)}`);
      return r;
    });
    release();
    expect(await replied).toMatch(/^250 /);
    expect(events).toEqual(['store started', 'store resolved', 'client got 250']);
  });

  it('answers 451 when store fails, and the retrying sender gets its message stored once', async () => {
    let calls = 0;
    const kept: ReceivedMessage[] = [];
    const { port, logged } = await startListener({
      store: async (m) => {
        calls++;
        if (calls === 1) throw new Error('disk full');
        kept.push(m);
      },
    });
    const mailer = createSmtpMailer({
      host: '127.0.0.1',
      port,
      starttls: 'never',
      maxConnections: 1,
    });
    cleanups.push(() => mailer.close());
    const envelope = { from: 'zoe@example.org', to: [TEAM] };
    const raw = message('Retry me');
    const first = await mailer.send(envelope, raw).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(MailDeliveryError);
    expect(first).toMatchObject({ kind: 'temporary', details: { responseCode: 451 } });
    // What a sending MTA does with a 4xx: try again later.
    const second = await mailer.send(envelope, raw);
    expect(second.accepted).toEqual([TEAM]);
    expect(calls).toBe(2);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.raw.toString()).toContain('Subject: Retry me');
    expect(
      logged.some((l) => l.level === 'error' && l.message === 'could not store a message'),
    ).toBe(true);
  });

  it('finishes storing a message whose sender hung up before the 250, without crashing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let storeStarted!: () => void;
    const started = new Promise<void>((r) => (storeStarted = r));
    let storeDone!: () => void;
    const finished = new Promise<void>((r) => (storeDone = r));
    const { port, logged } = await startListener({
      store: async () => {
        storeStarted();
        await gate;
        storeDone();
      },
    });
    const { session } = await RawSession.open(port);
    await session.send('EHLO client.example');
    await session.send('MAIL FROM:<zoe@example.org>');
    await session.send(`RCPT TO:<${TEAM}>`);
    await session.send('DATA');
    session.write(`${message()}.\r\n`);
    await started;
    session.socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    release();
    // Kept: the sender will retry, and the retry is recognised by its Message-ID downstream.
    await finished;
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
    await client(port).sendMail({
      envelope: { from: 'zoe@example.org', to: [TEAM] },
      raw: message(),
    });
  });

  it('answers 451 when store takes longer than its timeout', async () => {
    const { port } = await startListener({
      storeTimeoutMs: 200,
      store: () => new Promise(() => {}),
    });
    const err = await client(port)
      .sendMail({ envelope: { from: 'zoe@example.org', to: [TEAM] }, raw: message() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 451 });
  });

  it('survives junk on the socket and goes on taking mail', async () => {
    const { port, stored } = await startListener({ socketTimeoutMs: 2000 });
    const junk: (string | Buffer)[] = [
      Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a]),
      'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
      `${'A'.repeat(100_000)}\r\n`,
      'DATA\r\n',
      'RCPT TO:<<<>>>\r\nMAIL FROM:<not an address\r\nMAIL FROM:<a@b>\r\nRCPT TO:<\u0000@demo.servewell.org>\r\n',
      // A TLS ClientHello to a plaintext port.
      Buffer.from('16030100a5010000a10303', 'hex'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    ];
    for (const j of junk) {
      const { session } = await RawSession.open(port);
      session.write(j);
      await session.reply(300);
      session.socket.destroy();
    }
    // A client that leaves in the middle of DATA.
    const { session } = await RawSession.open(port);
    await session.send('EHLO client.example');
    await session.send('MAIL FROM:<zoe@example.org>');
    await session.send(`RCPT TO:<${TEAM}>`);
    await session.send('DATA');
    session.write('Subject: half a message\r\n\r\nand then');
    session.socket.destroy();
    await new Promise((r) => setTimeout(r, 100));

    // 8-bit junk and an empty body are the parser's business: the listener stores them.
    const transport = client(port);
    await transport.sendMail({
      envelope: { from: 'a@example.org', to: [TEAM] },
      raw: Buffer.from([0x53, 0x75, 0x62, 0x3a, 0xff, 0x0d, 0x0a, 0x0d, 0x0a]),
    });
    await transport.sendMail({
      envelope: { from: 'a@example.org', to: [TEAM] },
      raw: message('after the junk'),
    });
    expect(stored).toHaveLength(2);
    expect(stored[1]!.raw.toString()).toContain('Subject: after the junk');
  });

  it('offers no STARTTLS without a certificate of our own', async () => {
    const { port } = await startListener();
    const { session } = await RawSession.open(port);
    expect(await session.send('EHLO client.example')).not.toContain('STARTTLS');
    expect(await session.send('STARTTLS')).toMatch(/^5\d\d /);
  });

  it('refuses a connection from outside the allowed networks with 554', async () => {
    const { port, stored } = await startListener({
      allowedNetworks: ['192.0.2.0/24', '2001:db8::/32'],
    });
    const { greeting } = await RawSession.open(port);
    expect(greeting).toMatch(/^554 5\.7\.1 /);
    const err = await client(port)
      .sendMail({ envelope: { from: 'zoe@example.org', to: [TEAM] }, raw: message() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 554 });
    expect(stored).toHaveLength(0);
  });

  it('lets the allowed network in', async () => {
    const { port, stored } = await startListener({ allowedNetworks: ['127.0.0.0/8'] });
    await client(port).sendMail({
      envelope: { from: 'zoe@example.org', to: [TEAM] },
      raw: message(),
    });
    expect(stored).toHaveLength(1);
  });

  it('refuses a malformed network at start-up, naming it', () => {
    expect(() =>
      createMailListener({
        isKnownRecipient: async () => true,
        store: async () => {},
        allowedNetworks: ['10.0.0.0/33'],
      }),
    ).toThrow(/10\.0\.0\.0\/33/);
    expect(() =>
      createMailListener({
        isKnownRecipient: async () => true,
        store: async () => {},
        allowedNetworks: ['relay.example'],
      }),
    ).toThrow(/relay\.example/);
  });

  it('closes gracefully: the message being stored still gets its 250', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let storeStarted!: () => void;
    const started = new Promise<void>((r) => (storeStarted = r));
    const { port, listener } = await startListener({
      store: async () => {
        storeStarted();
        await gate;
      },
    });
    const sending = client(port).sendMail({
      envelope: { from: 'zoe@example.org', to: [TEAM] },
      raw: message(),
    });
    await started;
    const closing = listener.close();
    setTimeout(release, 100);
    expect((await sending).response).toMatch(/^250 /);
    await closing;
    // Closed for good.
    const err = await client(port, { connectionTimeout: 500 })
      .sendMail({ envelope: { from: 'zoe@example.org', to: [TEAM] }, raw: message() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ESOCKET' });
  });
});

describe('the SMTP listener with STARTTLS and AUTH', () => {
  let pems: { private: string; cert: string };
  beforeAll(async () => {
    // A throw-away certificate for this run; node:crypto cannot make one.
    pems = await selfsigned.generate([{ name: 'commonName', value: 'mx.test.servewell' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 86_400_000),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
  });

  it('upgrades to TLS with STARTTLS and records it', async () => {
    const { port, stored } = await startListener({ tls: { key: pems.private, cert: pems.cert } });
    const { session } = await RawSession.open(port);
    expect(await session.send('EHLO client.example')).toMatch(/^250[- ]STARTTLS$/m);
    const transport = client(port, { ignoreTLS: false, requireTLS: true, tls: { ca: pems.cert } });
    await transport.sendMail({ envelope: { from: 'zoe@example.org', to: [TEAM] }, raw: message() });
    expect(stored[0]!.secure).toBe(true);
    expect(stored[0]!.raw.toString()).toMatch(/with ESMTPS id/);
  });

  it('requires AUTH when accounts are configured, and refuses a wrong password', async () => {
    const { port, stored } = await startListener({
      tls: { key: pems.private, cert: pems.cert },
      auth: { users: [{ username: 'relay', password: 'correct horse' }] },
    });
    const tls = { ignoreTLS: false, requireTLS: true, tls: { ca: pems.cert } };
    const envelope = { from: 'zoe@example.org', to: [TEAM] };

    const anonymous = await client(port, tls)
      .sendMail({ envelope, raw: message() })
      .catch((e: unknown) => e);
    expect(anonymous).toMatchObject({ responseCode: 530 });

    const wrong = await client(port, { ...tls, auth: { user: 'relay', pass: 'battery staple' } })
      .sendMail({ envelope, raw: message() })
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect(stored).toHaveLength(0);

    for (const method of ['PLAIN', 'LOGIN']) {
      await client(port, {
        ...tls,
        authMethod: method,
        auth: { user: 'relay', pass: 'correct horse' },
      }).sendMail({
        envelope,
        raw: message(),
      });
    }
    expect(stored.map((m) => m.authenticatedAs)).toEqual(['relay', 'relay']);
    expect(stored[0]!.raw.toString()).toMatch(/with ESMTPSA id/);
  });

  it('never takes a password in clear text before STARTTLS', async () => {
    const { port } = await startListener({
      tls: { key: pems.private, cert: pems.cert },
      auth: { users: [{ username: 'relay', password: 'secret' }] },
    });
    const { session } = await RawSession.open(port);
    await session.send('EHLO client.example');
    const reply = await session.send(
      `AUTH PLAIN ${Buffer.from('\0relay\0secret').toString('base64')}`,
    );
    expect(reply).toMatch(/^5\d\d /);
  });

  it('refuses AUTH without TLS unless told the network is trusted', () => {
    const hooks = { isKnownRecipient: async () => true, store: async () => {} };
    expect(() =>
      createMailListener({ ...hooks, auth: { users: [{ username: 'a', password: 'b' }] } }),
    ).toThrow(/TLS/);
    expect(() =>
      createMailListener({
        ...hooks,
        auth: { users: [{ username: 'a', password: 'b' }], allowWithoutTls: true },
      }),
    ).not.toThrow();
  });
});
