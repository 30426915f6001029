// Figures for the mail modules alone, before any database: how fast the listener answers 250
// with a store that does nothing, how fast messages parse, and how fast replies compose and go
// out to a loopback relay. The ceiling the durable versions in bench/ can be compared with.
// Run under the shared lock: flock /tmp/servewell-bench.lock npx tsx src/server/mail/measure.ts
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createSmtpMailer } from '../platform/mailer/index.js';
import { composeReply } from './compose.js';
import { createMailListener } from './listener.js';
import { parseMessage } from './parse.js';

const MESSAGES = Number(process.env.MESSAGES ?? 5000);
const CLIENTS = 10;
const TEAM = 'boxoffice@demo.servewell.org';

function sampleMessage(i: number): Buffer {
  const body = `Hello,\r\n\r\n${'I would like to change my tickets for the evening show. '.repeat(170)}\r\n`;
  const head =
    `From: Patron ${i} <patron${i}@example.org>\r\nTo: ${TEAM}\r\nSubject: Tickets ${i}\r\n` +
    `Message-ID: <m${i}.${randomBytes(6).toString('hex')}@example.org>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n`;
  if (i % 5 !== 0)
    return Buffer.from(`${head}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}`);
  const attachment = randomBytes(150 * 1024)
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `${head}Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${body}\r\n` +
      `--b\r\nContent-Type: application/pdf; name="r.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b--\r\n`,
  );
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)]!;

/** The sending side runs in its own process, as a real sender would, so it does not eat the listener's CPU. */
async function sendAll(port: number, count: number): Promise<number[]> {
  const messages = Array.from({ length: count }, (_, i) => sampleMessage(i));
  process.send!('ready');
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const transport = nodemailer.createTransport({
        pool: true,
        maxConnections: 1,
        host: '127.0.0.1',
        port,
        ignoreTLS: true,
      });
      while (next < messages.length) {
        const raw = messages[next++]!;
        const info = await transport.sendMail({
          envelope: { from: 'p@example.org', to: [TEAM] },
          raw,
        });
        // From DATA to the final reply: streaming the message plus waiting for the 250.
        times.push(info.messageTime);
      }
      transport.close();
    }),
  );
  return times;
}

async function inbound(count: number) {
  let stored = 0;
  const listener = createMailListener({
    isKnownRecipient: async () => true,
    store: async () => void stored++,
  });
  const { port } = await listener.listen(0, '127.0.0.1');
  const child = fork(new URL(import.meta.url), ['send', String(port), String(count)], {
    execArgv: ['--import', 'tsx'],
  });
  let started = 0;
  let cpu = process.cpuUsage();
  const times = await new Promise<number[]>((resolve, reject) => {
    child.on('message', (m) => {
      if (m === 'ready') {
        started = performance.now();
        cpu = process.cpuUsage();
      } else resolve(m as number[]);
    });
    child.once('error', reject);
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await listener.close();
  return {
    accepted: stored,
    // Load-independent: the listener's own CPU per message (the machine is shared).
    cpuMsPerMessage: (used.user + used.system) / 1000 / stored,
    perSecond: stored / seconds,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
  };
}

async function parsing(messages: Buffer[]) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const raw of messages) await parseMessage(raw);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const megabytes = messages.reduce((n, m) => n + m.length, 0) / 1e6;
  return {
    perSecond: messages.length / seconds,
    megabytesPerSecond: megabytes / seconds,
    cpuMsPerMessage: (used.user + used.system) / 1000 / messages.length,
  };
}

async function outbound(count: number) {
  let relayed = 0;
  const relay = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    disableReverseLookup: true,
    onData(stream, _s, callback) {
      stream.resume();
      stream.on('end', () => {
        relayed++;
        callback();
      });
    },
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
  const cpu = process.cpuUsage();
  const mailer = createSmtpMailer({
    host: '127.0.0.1',
    port: (relay.server.address() as AddressInfo).port,
    starttls: 'never',
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      while (next < count) {
        const i = next++;
        const composed = await composeReply({
          from: { address: TEAM, name: 'Box Office' },
          to: [{ address: `patron${i}@example.org` }],
          messageId: `sw-${i}.${i}@demo.servewell.org`,
          date: Date.now(),
          subject: `Tickets ${i}`,
          caseReference: `SW-${i}`,
          inReplyTo: `m${i}@example.org`,
          text: 'We moved your tickets to the evening show.\n\nSee you on Saturday.',
          signature: 'Box Office',
        });
        await mailer.send(composed.envelope, composed.raw);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await mailer.close();
  await new Promise<void>((r) => relay.close(() => r()));
  // The relay runs in this process too: its CPU is counted in.
  return {
    relayed,
    perSecond: relayed / seconds,
    cpuMsPerReply: (used.user + used.system) / 1000 / relayed,
  };
}

if (process.argv[2] === 'send') {
  const times = await sendAll(Number(process.argv[3]), Number(process.argv[4]));
  process.send!(times, () => process.exit(0));
} else {
  const messages = Array.from({ length: MESSAGES }, (_, i) => sampleMessage(i));
  const mean = messages.reduce((n, m) => n + m.length, 0) / messages.length;
  console.log(
    `${MESSAGES} messages, mean ${(mean / 1024).toFixed(1)} KiB, a fifth with a 200 KiB attachment`,
  );
  const a = await inbound(MESSAGES);
  console.log(
    `listener (store does nothing), ${CLIENTS} clients in another process: ${a.perSecond.toFixed(0)} messages/s, ` +
      `DATA→250 p50 ${a.p50} ms, p95 ${a.p95} ms, listener CPU ${a.cpuMsPerMessage.toFixed(2)} ms/message`,
  );
  if (process.env.ONLY === 'inbound') process.exit(0);
  const p = await parsing(messages);
  console.log(
    `parseMessage, one at a time: ${p.perSecond.toFixed(0)} messages/s, ${p.megabytesPerSecond.toFixed(1)} MB/s, CPU ${p.cpuMsPerMessage.toFixed(2)} ms/message`,
  );
  const o = await outbound(Math.min(MESSAGES, 3000));
  console.log(
    `composeReply + SMTP mailer to a loopback relay, 5 at once: ${o.perSecond.toFixed(0)} replies/s (${o.relayed} relayed), CPU ${o.cpuMsPerReply.toFixed(2)} ms/reply with the relay`,
  );
}
