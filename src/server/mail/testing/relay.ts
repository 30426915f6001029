// A second smtp-server on loopback playing the organization's relay: keeps what it is handed,
// and can be told to refuse (a 451 now, a 550 for an address) or to hold its answer.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Relayed {
  from: string;
  to: string[];
  raw: Buffer;
  messageId: string | null;
}

export interface LoopbackRelay {
  port: number;
  relayed: Relayed[];
  /** The next DATA answers this (e.g. 451); cleared after it is used `times` times. */
  failData(code: number, text: string, times?: number): void;
  /** RCPT TO for these addresses answers 550. */
  refuse(address: string): void;
  /** Called with each message before the answer; the answer waits for it to resolve. */
  onMessage: ((m: Relayed) => Promise<void> | void) | null;
  close(): Promise<void>;
}

export async function startRelay(options: Partial<SMTPServerOptions> = {}): Promise<LoopbackRelay> {
  const relayed: Relayed[] = [];
  const refused = new Set<string>();
  let failure: { code: number; text: string; times: number } | null = null;
  const state: LoopbackRelay = {
    port: 0,
    relayed,
    failData: (code, text, times = 1) => (failure = { code, text, times }),
    refuse: (address) => refused.add(address.toLowerCase()),
    onMessage: null,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 200,
    size: 50 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address.toLowerCase())) {
        return callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failure && failure.times > 0) {
          const f = failure;
          f.times--;
          if (f.times === 0) failure = null;
          return callback(Object.assign(new Error(f.text), { responseCode: f.code }));
        }
        const raw = Buffer.concat(chunks);
        const id = /^message-id:\s*<([^>]+)>/im.exec(raw.toString('latin1').split(/\r?\n\r?\n/)[0] ?? '');
        const m: Relayed = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          messageId: id ? id[1]! : null,
        };
        relayed.push(m);
        Promise.resolve(state.onMessage?.(m)).then(
          () => callback(null, 'Ok: queued'),
          (err: Error) => callback(err),
        );
      });
    },
    ...options,
  });
  server.on('error', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.port = (server.server.address() as AddressInfo).port;
  return state;
}
