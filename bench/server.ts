// What every benchmark section that measures over HTTP shares: the real server as a child
// process on a generated database, a signed-in client that reads the Server-Timing header,
// and the child's memory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { BENCH_LOGIN } from '../scripts/corpus.js';
import type { Actor } from '../src/server/platform/actor.js';

export interface Stat {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? NaN, n: s.length };
};

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Where the server's data is: a SQLite data directory or a PostgreSQL URL. */
export type DataLocation = { dialect: 'sqlite'; dataDir: string } | { dialect: 'postgres'; databaseUrl: string };

export interface BenchServer {
  child: ChildProcess;
  base: string;
  stop(): void;
}

/**
 * Starts `src/server/main.ts` on the data, with default logging written to /dev/null (what a
 * deployment pays), and waits for /healthz.
 */
export async function startServer(data: DataLocation, env: Record<string, string> = {}, timeoutMs = 180_000): Promise<BenchServer> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port), SEED_DEMO: 'false' };
  if (data.dialect === 'postgres') childEnv.DATABASE_URL = data.databaseUrl;
  else {
    childEnv.DATA_DIR = data.dataDir;
    delete childEnv.DATABASE_URL;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  };
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    const started = Date.now();
    const poll = async () => {
      try {
        if ((await fetch(`${base}/healthz`)).ok) return resolve();
      } catch {
        // not listening yet
      }
      if (Date.now() - started > timeoutMs) return reject(new Error('server did not start'));
      setTimeout(poll, 250);
    };
    void poll();
  });
  return { child, base, stop };
}

/** The child's resident memory now and at its peak, in MB. */
export function rss(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** A browser-like client: keeps cookies, sends the CSRF token, reads Server-Timing. */
export class Http {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  async req(method: string, url: string, body?: unknown) {
    const res = await fetch(this.base + url, {
      method,
      headers: {
        cookie: this.cookie,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name] = pair!.split('=');
      this.cookie = [...this.cookie.split('; ').filter((x) => x && !x.startsWith(`${name}=`)), pair].join('; ');
    }
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
    const timing = Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]);
    return { json: JSON.parse(text) as Record<string, unknown>, serverMs: timing };
  }

  /** GET, answering the server time (ms) alone. */
  async get(url: string): Promise<number> {
    return (await this.req('GET', url)).serverMs;
  }

  /** Signs in as the benchmark's associate and answers who that is. */
  async signIn(login: { email: string; password: string } = BENCH_LOGIN): Promise<Actor> {
    this.csrf = ((await this.req('GET', '/api/csrf')).json.token as string) ?? '';
    await this.req('POST', '/api/auth/login', login);
    const me = (await this.req('GET', '/api/session')).json as {
      user: { id: number; teamId: number; name: string; email: string; role: Actor['role'] };
      org: { id: number; casePrefix: string };
    };
    return { userId: me.user.id, orgId: me.org.id, role: me.user.role, name: me.user.name, email: me.user.email, teamId: me.user.teamId, casePrefix: me.org.casePrefix };
  }
}
