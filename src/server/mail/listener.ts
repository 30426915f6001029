// The SMTP door for inbound mail. It knows nothing of the database: the app injects who may
// receive (checked at RCPT) and where a message goes (`store`), and the 250 that tells the
// sender "it's ours now" is sent only once `store` has resolved. Bad input never crashes it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AddressInfo, BlockList, isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { type Clock, systemClock } from '../platform/clock.js';

export interface InboundEnvelope {
  /** MAIL FROM, '' for the null sender (bounces, auto-replies). */
  mailFrom: string;
  /** The recipients accepted at RCPT, lower-cased. */
  rcptTo: string[];
}

export interface ReceivedMessage {
  /** The message as received, with our Return-Path and Received trace fields on top. */
  raw: Buffer;
  envelope: InboundEnvelope;
  remoteAddress: string;
  /** The name the client gave in HELO/EHLO. */
  helo: string;
  /** The session ran over TLS. */
  secure: boolean;
  /** The user that signed in with AUTH, if any. */
  authenticatedAs: string | null;
  receivedAt: number;
}

/** pino's signature, so the app can pass Fastify's logger. */
export interface ListenerLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export type TlsFiles =
  { key: string | Buffer; cert: string | Buffer } | { keyPath: string; certPath: string };

export interface MailListenerOptions {
  /** Whether mail for this address is taken (a team address). Unknown ones get 550 at RCPT. */
  isKnownRecipient(address: string): Promise<boolean>;
  /** Durably keeps the message. The sender hears 250 only after this resolves, 451 if it rejects. */
  store(message: ReceivedMessage): Promise<void>;
  /** Our name in the greeting and the Received field. */
  hostname?: string;
  /** Largest message accepted, announced with SIZE. Default 25 MiB. */
  maxMessageBytes?: number;
  /** Recipients per message; more get 452 (the sender retries them in another transaction). Default 100. */
  maxRecipients?: number;
  /** A certificate enables STARTTLS; without one STARTTLS is not offered at all. */
  tls?: TlsFiles | null;
  /** Require AUTH (PLAIN or LOGIN) with one of these accounts, e.g. for the organisation's relay. */
  auth?: { users: { username: string; password: string }[]; allowWithoutTls?: boolean } | null;
  /** Only these networks (CIDR, or single addresses) may connect; everyone when unset. */
  allowedNetworks?: string[] | null;
  /** Idle time before a connection is dropped. Default 60 s. */
  socketTimeoutMs?: number;
  /** How long `store` may take before the sender is told 451 to try later. Default 60 s. */
  storeTimeoutMs?: number;
  /** On close, how long open sessions may finish. Default 10 s. */
  closeTimeoutMs?: number;
  maxClients?: number;
  log?: ListenerLog;
  clock?: Clock;
}

export interface MailListener {
  listen(port: number, host?: string): Promise<{ port: number; host: string }>;
  /** Stops accepting, lets messages being stored finish, then closes every session. */
  close(): Promise<void>;
}

const consoleLog: ListenerLog = {
  info: () => {},
  warn: (details, message) => console.warn(`[smtp] ${message}`, details),
  error: (details, message) => console.error(`[smtp] ${message}`, details),
};

/** An SMTP reply: smtp-server sends `responseCode` and the message. */
function reply(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export function createMailListener(options: MailListenerOptions): MailListener {
  const log = options.log ?? consoleLog;
  const clock = options.clock ?? systemClock;
  const hostname = options.hostname ?? osHostname();
  const maxBytes = options.maxMessageBytes ?? 25 * 1024 * 1024;
  const storeTimeout = options.storeTimeoutMs ?? 60_000;
  const allowed = options.allowedNetworks?.length ? networkList(options.allowedNetworks) : null;
  const tls = options.tls ? readTls(options.tls) : null;
  const auth = options.auth?.users.length ? options.auth : null;
  if (auth && !tls && !auth.allowWithoutTls) {
    throw new Error(
      'SMTP AUTH needs a TLS certificate (or allowWithoutTls for a trusted network).',
    );
  }
  const inFlight = new Set<Promise<unknown>>();

  const serverOptions: SMTPServerOptions = {
    name: hostname,
    banner: 'Servewell ESMTP',
    size: maxBytes,
    rejectOversized: true,
    maxRecipients: options.maxRecipients ?? 100,
    // Without our own certificate smtp-server would offer STARTTLS with its published test key.
    disabledCommands: [...(tls ? [] : ['STARTTLS']), ...(auth ? [] : ['AUTH'])],
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !auth,
    allowInsecureAuth: Boolean(auth?.allowWithoutTls),
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    closeTimeout: options.closeTimeoutMs ?? 10_000,
    // Each session may hold up to maxMessageBytes in memory while its message is stored.
    maxClients: options.maxClients ?? 100,
    logger: false,

    onConnect(session, callback) {
      if (allowed && !isAllowed(allowed, session.remoteAddress)) {
        log.warn(
          { remoteAddress: session.remoteAddress },
          'refused a connection from outside the allowed networks',
        );
        return callback(reply(554, '5.7.1 Your address may not send mail here'));
      }
      callback();
    },

    onAuth(credentials, session, callback) {
      const ok =
        (credentials.method === 'PLAIN' || credentials.method === 'LOGIN') &&
        auth?.users.some(
          (u) =>
            sameSecret(u.username, credentials.username ?? '') &&
            sameSecret(u.password, credentials.password ?? ''),
        );
      if (!ok) {
        log.warn(
          { remoteAddress: session.remoteAddress, username: credentials.username },
          'failed SMTP sign-in',
        );
        return callback(reply(535, '5.7.8 Authentication credentials invalid'));
      }
      callback(null, { user: credentials.username });
    },

    onRcptTo(address, session, callback) {
      const recipient = address.address.toLowerCase();
      options.isKnownRecipient(recipient).then(
        (known) => callback(known ? undefined : reply(550, '5.1.1 No such recipient here')),
        (err: unknown) => {
          log.error({ err, recipient }, 'could not check a recipient');
          callback(reply(451, '4.3.0 Temporary failure, please try again later'));
        },
      );
    },

    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is only drained; smtp-server answers 552.
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', (err) => {
        log.warn({ err, remoteAddress: session.remoteAddress }, 'the message stream failed');
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(reply(552, `5.3.4 Message exceeds the limit of ${maxBytes} bytes`));
        }
        const receivedAt = clock.now();
        const envelope: InboundEnvelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        };
        const message: ReceivedMessage = {
          raw: Buffer.concat([traceFields(session, envelope, hostname, receivedAt), ...chunks]),
          envelope,
          remoteAddress: session.remoteAddress,
          helo: session.hostNameAppearsAs || '',
          secure: session.secure,
          authenticatedAs: typeof session.user === 'string' ? session.user : null,
          receivedAt,
        };
        const storing = withTimeout(options.store(message), storeTimeout).then(
          () => callback(null, '2.0.0 Message accepted'),
          (err: unknown) => {
            log.error(
              { err, remoteAddress: session.remoteAddress, rcptTo: envelope.rcptTo },
              'could not store a message',
            );
            callback(reply(451, '4.3.0 Message not stored, please try again later'));
          },
        );
        inFlight.add(storing);
        void storing.finally(() => inFlight.delete(storing));
      });
    },
  };

  const server = new SMTPServer(serverOptions);
  // A failing connection (reset, TLS garbage, a parser error) is that client's problem only.
  server.on('error', (err) => log.warn({ err }, 'SMTP connection error'));

  return {
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.server.once('error', onError);
        server.listen(port, host, () => {
          server.server.off('error', onError);
          const address = server.server.address() as AddressInfo;
          resolve({ port: address.port, host: address.address });
        });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Messages being stored get their 250 (or 451) before their sessions are closed.
      await Promise.allSettled([...inFlight]);
      await closed;
    },
  };
}

function readTls(files: TlsFiles): { key: string | Buffer; cert: string | Buffer } {
  return 'keyPath' in files
    ? { key: readFileSync(files.keyPath), cert: readFileSync(files.certPath) }
    : files;
}

/** Compares without leaking, through timing, how much of a secret was right. */
function sameSecret(expected: string, given: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`store took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address; a bad entry is a startup error. */
export function networkList(networks: string[]): BlockList {
  const list = new BlockList();
  for (const entry of networks) {
    const [address = '', prefixText] = entry.trim().split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Error(`Not a network: ${JSON.stringify(entry)} (expected e.g. 192.0.2.0/24)`);
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

function isAllowed(list: BlockList, remoteAddress: string): boolean {
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  const address = mapped ? mapped[1]! : remoteAddress;
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The two trace fields an MTA that delivers a message adds on top (RFC 5321 4.4). */
function traceFields(
  session: SMTPServerSession,
  envelope: InboundEnvelope,
  hostname: string,
  at: number,
): Buffer {
  const printable = (s: string) => s.replace(/[^\x21-\x7e]/g, '').slice(0, 255) || 'unknown';
  const date = new Date(at).toUTCString().replace(/GMT$/, '+0000');
  // Naming the recipient only when there is one keeps Bcc recipients private.
  const forClause =
    envelope.rcptTo.length === 1 ? `\r\n\tfor <${printable(envelope.rcptTo[0]!)}>` : '';
  const fields =
    `Return-Path: <${envelope.mailFrom ? printable(envelope.mailFrom) : ''}>\r\n` +
    `Received: from ${printable(session.hostNameAppearsAs || 'unknown')} ([${printable(session.remoteAddress)}])\r\n` +
    `\tby ${printable(hostname)} (Servewell) with ${printable(session.transmissionType || 'SMTP')} id ${printable(session.id)}` +
    `${forClause};\r\n\t${date}\r\n`;
  return Buffer.from(fields, 'latin1');
}
