// The mailer against a second smtp-server playing the organisation's relay on loopback.
import { type AddressInfo, createServer } from 'node:net';
import selfsigned from 'selfsigned';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClock } from '../clock.js';
import { CatchAllMailer } from './catch-all.js';
import { classifyDeliveryError, MailDeliveryError } from './mailer.js';
import { createSmtpMailer, type SmtpRelaySettings } from './smtp.js';

interface Relayed {
  from: string;
  to: string[];
  raw: Buffer;
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const smtpError = (code: number, text: string) =>
  Object.assign(new Error(text), { responseCode: code });

async function startRelay(options: Partial<SMTPServerOptions> = {}) {
  const relayed: Relayed[] = [];
  const relay = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        relayed.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback(null, 'Ok: queued as TEST1');
      });
    },
    ...options,
  });
  relay.on('error', () => {});
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => relay.close(() => r())));
  return { port: (relay.server.address() as AddressInfo).port, relayed };
}

function mailer(port: number, settings: Partial<SmtpRelaySettings> = {}) {
  const m = createSmtpMailer({
    host: '127.0.0.1',
    port,
    starttls: 'never',
    connectionTimeoutMs: 2000,
    greetingTimeoutMs: 2000,
    socketTimeoutMs: 5000,
    ...settings,
  });
  cleanups.push(() => m.close());
  return m;
}

const raw =
  'From: boxoffice@demo.servewell.org\r\nTo: zoe@example.org\r\nSubject: Your tickets [SW-1]\r\nMessage-ID: <sw-1.a@demo.servewell.org>\r\n\r\nSee you Saturday.\r\n';
const envelope = { from: 'boxoffice@demo.servewell.org', to: ['zoe@example.org'] };

async function failure(promise: Promise<unknown>): Promise<MailDeliveryError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailDeliveryError);
  return err as MailDeliveryError;
}

describe('the SMTP mailer', () => {
  it('hands the message to the relay byte for byte, with the envelope given', async () => {
    const { port, relayed } = await startRelay();
    const result = await mailer(port).send(envelope, raw);
    expect(result).toEqual({
      accepted: ['zoe@example.org'],
      rejected: [],
      rejections: [],
      response: '250 Ok: queued as TEST1',
    });
    expect(relayed).toEqual([{ from: envelope.from, to: envelope.to, raw: Buffer.from(raw) }]);
  });

  it('declares the size, so a relay with a smaller limit refuses for good before the upload', async () => {
    const { port, relayed } = await startRelay({ size: 100 });
    const err = await failure(mailer(port).send(envelope, raw));
    expect(err.kind).toBe('permanent');
    expect(err.details.code).toBe('EMESSAGE');
    expect(relayed).toHaveLength(0);
  });

  it('classifies 451 at DATA as temporary', async () => {
    const { port } = await startRelay({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError(451, '4.3.0 Try again later')));
      },
    });
    const err = await failure(mailer(port).send(envelope, raw));
    expect(err).toMatchObject({
      kind: 'temporary',
      details: { responseCode: 451, configuration: false },
    });
    expect(err.details.response).toContain('451 4.3.0 Try again later');
  });

  it('classifies a 421 greeting (relay busy or shutting down) as temporary', async () => {
    const { port } = await startRelay({
      onConnect: (_session, callback) =>
        callback(smtpError(421, '4.3.2 Too busy, come back later')),
    });
    const err = await failure(mailer(port).send(envelope, raw));
    expect(err).toMatchObject({ kind: 'temporary', details: { responseCode: 421 } });
  });

  it('classifies 550 for every recipient as permanent, naming each', async () => {
    const { port, relayed } = await startRelay({
      onRcptTo: (address, _session, callback) =>
        callback(smtpError(550, `5.1.1 <${address.address}>: User unknown`)),
    });
    const err = await failure(
      mailer(port).send({ ...envelope, to: ['gone@example.org', 'left@example.org'] }, raw),
    );
    expect(err.kind).toBe('permanent');
    expect(err.details.rejections).toEqual([
      expect.objectContaining({
        recipient: 'gone@example.org',
        kind: 'permanent',
        responseCode: 550,
      }),
      expect.objectContaining({
        recipient: 'left@example.org',
        kind: 'permanent',
        responseCode: 550,
      }),
    ]);
    expect(relayed).toHaveLength(0);
  });

  it('retries when one refusal of several was only temporary', async () => {
    const { port } = await startRelay({
      onRcptTo: (address, _session, callback) =>
        callback(
          address.address.startsWith('full')
            ? smtpError(452, '4.2.2 Mailbox full')
            : smtpError(550, '5.1.1 Unknown'),
        ),
    });
    const err = await failure(
      mailer(port).send({ ...envelope, to: ['gone@example.org', 'full@example.org'] }, raw),
    );
    expect(err.kind).toBe('temporary');
  });

  it('delivers to the accepted recipients and reports the refused one', async () => {
    const { port, relayed } = await startRelay({
      onRcptTo: (address, _session, callback) =>
        callback(
          address.address === 'gone@example.org' ? smtpError(550, '5.1.1 User unknown') : undefined,
        ),
    });
    const result = await mailer(port).send(
      { ...envelope, to: ['zoe@example.org', 'gone@example.org'] },
      raw,
    );
    expect(result.accepted).toEqual(['zoe@example.org']);
    expect(result.rejected).toEqual(['gone@example.org']);
    expect(result.rejections).toEqual([
      expect.objectContaining({
        recipient: 'gone@example.org',
        kind: 'permanent',
        responseCode: 550,
      }),
    ]);
    expect(relayed[0]!.to).toEqual(['zoe@example.org']);
  });

  it('classifies 552 (message refused for its content or size) at DATA as permanent', async () => {
    const { port } = await startRelay({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError(552, '5.3.4 Message too big for system')));
      },
    });
    expect((await failure(mailer(port).send(envelope, raw))).kind).toBe('permanent');
  });

  it('classifies a relay nobody answers on as temporary', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await failure(mailer(port).send(envelope, raw));
    expect(err.kind).toBe('temporary');
    expect(err.details.responseCode).toBeNull();
  });

  it('classifies a relay that never greets as temporary, after the greeting timeout', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => {
      silent.close();
    });
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    const err = await failure(mailer(port, { greetingTimeoutMs: 300 }).send(envelope, raw));
    expect(err).toMatchObject({ kind: 'temporary', details: { code: 'ETIMEDOUT' } });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('signs in to a relay that requires it, and calls wrong credentials a configuration problem', async () => {
    const { port, relayed } = await startRelay({
      disabledCommands: ['STARTTLS'],
      authOptional: false,
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) =>
        auth.username === 'desk' && auth.password === 'right'
          ? callback(null, { user: 'desk' })
          : callback(smtpError(535, '5.7.8 Authentication credentials invalid')),
    });
    const wrong = await failure(
      mailer(port, { auth: { user: 'desk', pass: 'wrong' } }).send(envelope, raw),
    );
    // Retrying helps once an admin fixes the password: not the patron's address's fault.
    expect(wrong).toMatchObject({
      kind: 'temporary',
      details: { code: 'EAUTH', configuration: true },
    });
    await expect(
      mailer(port, { auth: { user: 'desk', pass: 'wrong' } }).verify(),
    ).rejects.toMatchObject({
      details: { configuration: true },
    });

    const right = mailer(port, { auth: { user: 'desk', pass: 'right' } });
    await right.verify();
    await right.send(envelope, raw);
    expect(relayed).toHaveLength(1);
  });

  it('insists on STARTTLS when required, trusting a self-signed relay only when told to', async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'relay.test' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const { port, relayed } = await startRelay({
      disabledCommands: ['AUTH'],
      key: pems.private,
      cert: pems.cert,
    });
    const untrusted = await failure(mailer(port, { starttls: 'required' }).send(envelope, raw));
    expect(untrusted).toMatchObject({ kind: 'temporary', details: { configuration: true } });
    await mailer(port, { starttls: 'required', allowSelfSignedCertificate: true }).send(
      envelope,
      raw,
    );
    await mailer(port, { starttls: 'required', ca: pems.cert }).send(envelope, raw);
    expect(relayed).toHaveLength(2);

    const { port: plainPort } = await startRelay();
    const plain = await failure(mailer(plainPort, { starttls: 'required' }).send(envelope, raw));
    expect(plain.details.configuration).toBe(true);
  });

  it('reuses its connections when draining many messages', async () => {
    let connections = 0;
    const { port, relayed } = await startRelay({
      onConnect: (_s, callback) => {
        connections++;
        callback();
      },
    });
    const m = mailer(port, { maxConnections: 2 });
    await Promise.all(Array.from({ length: 40 }, () => m.send(envelope, raw)));
    expect(relayed).toHaveLength(40);
    expect(connections).toBeLessThanOrEqual(2);
  });
});

describe('classifying delivery errors', () => {
  it.each([
    [{ responseCode: 421 }, 'temporary'],
    [{ responseCode: 450 }, 'temporary'],
    [{ responseCode: 503 }, 'temporary'],
    [{ responseCode: 550 }, 'permanent'],
    [{ responseCode: 554 }, 'permanent'],
    [{ code: 'ECONNECTION' }, 'temporary'],
    [{ code: 'ETIMEDOUT' }, 'temporary'],
    [{ code: 'EAUTH', responseCode: 535 }, 'temporary'],
    [new Error('something odd'), 'temporary'],
  ] as const)('%o is %s', (err, kind) => {
    expect(classifyDeliveryError(err).kind).toBe(kind);
  });
});

describe('the catch-all mailer', () => {
  it('keeps what would have been sent, newest first, in pages, up to its limit', async () => {
    const clock = new TestClock();
    const catchAll = new CatchAllMailer({ limit: 3, clock });
    for (let i = 1; i <= 5; i++) {
      clock.advance(1000);
      const result = await catchAll.send(
        { from: 'a@demo.servewell.org', to: [`p${i}@example.org`] },
        `Subject: ${i}\r\n\r\nx`,
      );
      expect(result).toEqual({
        accepted: [`p${i}@example.org`],
        rejected: [],
        rejections: [],
        response: `250 Caught as #${i}`,
      });
    }
    expect(catchAll.list().map((m) => m.id)).toEqual([5, 4, 3]);
    expect(catchAll.list({ limit: 2 }).map((m) => m.id)).toEqual([5, 4]);
    expect(catchAll.list({ before: 4 }).map((m) => m.id)).toEqual([3]);
    expect(catchAll.get(1)).toBeNull();
    expect(catchAll.get(5)).toMatchObject({
      envelope: { to: ['p5@example.org'] },
      caughtAt: clock.now(),
    });
    expect(catchAll.get(5)!.raw.toString()).toBe('Subject: 5\r\n\r\nx');
  });
});
