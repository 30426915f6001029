import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
const server = new SMTPServer({ disabledCommands: ['STARTTLS','AUTH'], authOptional: true, logger: false, disableReverseLookup: true, maxClients: 50,
  onData(stream, _s, cb) { stream.on('data', () => {}); stream.on('end', () => cb(null, 'ok')); } });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.server.address() as any).port;
const raw = Buffer.from('From: a@b.c\r\nTo: x@y.z\r\nSubject: s\r\n\r\n' + ('y'.repeat(100) + '\r\n').repeat(100));
const C = Number(process.env.C ?? 10), N = 200;
const t0 = performance.now(); const cpu0 = process.cpuUsage();
await Promise.all(Array.from({ length: C }, async () => {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
  for (let i = 0; i < N; i++) await t.sendMail({ envelope: { from: 'a@b.c', to: ['x@y.z'] }, raw });
  t.close();
}));
const total = performance.now() - t0; const cpu = process.cpuUsage(cpu0);
console.log('C', C, 'msgs/s', (C * N / total * 1000).toFixed(0), 'cpu ms', ((cpu.user + cpu.system) / 1000).toFixed(0), 'wall', total.toFixed(0));
server.close();
