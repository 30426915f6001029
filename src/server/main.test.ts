// The real server process, as `npm start` runs it: a restart (SIGTERM) must not wait on the
// live streams every open tab holds, nor on a client that stalls mid-request.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, createSchema, dialects, dropSchema } from './testing/harness.js';

const EXIT_WITHIN_MS = 5000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function request(
  port: number,
  method: string,
  url: string,
  opts: { cookies?: string[]; headers?: Record<string, string>; body?: unknown } = {},
) {
  return new Promise<{ status: number; body: string; cookies: string[] }>((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        headers: {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(opts.cookies?.length ? { cookie: opts.cookies.join('; ') } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Starts `node --import tsx src/server/main.ts` and resolves once it serves. */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('Servewell is serving')) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${output}`));
    });
  });
  return { child, output: () => output };
}

describe('the server process', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  for (const dialect of dialects()) {
    it(`exits promptly on SIGTERM with a live stream and two stalled requests open [${dialect}]`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-main-'));
      const port = await freePort();
      const env: Record<string, string> = {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        SEED_DEMO: 'false',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
      };
      if (dialect === 'postgres') {
        const schema = await createSchema();
        cleanups.push(() => dropSchema(schema));
        env.DATABASE_URL = `${TEST_DATABASE_URL}${TEST_DATABASE_URL!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      }
      const { child, output } = await startServer(env);
      cleanups.push(async () => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });

      // The first admin, then a live stream as a browser tab holds it.
      const csrf = await request(port, 'GET', '/api/csrf');
      const setup = await request(port, 'POST', '/api/setup', {
        cookies: csrf.cookies,
        headers: { 'x-csrf-token': (JSON.parse(csrf.body) as { token: string }).token },
        body: { organizationName: 'Food Bank', name: 'Ada', email: 'ada@fb.org', password: 'long enough pw' },
      });
      expect(setup.status, setup.body).toBe(200);
      const stream = http.get({
        host: '127.0.0.1',
        port,
        path: '/api/events',
        headers: { cookie: setup.cookies.join('; ') },
      });
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        stream.on('response', resolve);
        stream.on('error', reject);
      });
      expect(res.statusCode).toBe(200);
      res.resume();
      const streamEnded = new Promise<void>((resolve) => res.on('end', resolve));
      // Two clients that stall mid-request: half the headers, and part of a declared body.
      const stalled = [
        'GET /api/session HTTP/1.1\r\nHost: x\r\n',
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email"',
      ].map(
        (start) =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(port, '127.0.0.1', () => socket.write(start, () => resolve(socket)));
            socket.on('error', () => undefined);
            cleanups.push(async () => void socket.destroy());
          }),
      );
      await Promise.all(stalled);

      const sent = Date.now();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`still running ${EXIT_WITHIN_MS} ms after SIGTERM:\n${output()}`)),
          EXIT_WITHIN_MS,
        );
        child.once('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code).toBe(0);
      expect(Date.now() - sent).toBeLessThan(EXIT_WITHIN_MS);
      await streamEnded;
      expect(output()).toContain('SIGTERM: shutting down');
    }, 90_000);
  }
});
