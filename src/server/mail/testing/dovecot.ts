// A real IMAP server for the tests: Debian's Dovecot, started in the foreground as an
// unprivileged user with a configuration of its own in a temporary directory, on 127.0.0.1 and
// a free port, plain passwords from a passwd-file, maildir storage, no TLS. Nothing outside the
// temporary directory is read or written; close() stops it and removes the directory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DOVECOT = '/usr/sbin/dovecot';

/** Whether a run must have Dovecot (CI), as REQUIRE_BROWSER=1 requires Chromium. */
export const imapRequired = () => process.env.REQUIRE_IMAP === '1' || process.env.REQUIRE_BROWSER === '1' || process.env.CI === 'true';

/** Why the IMAP tests cannot run here, or null when they can. */
export function dovecotMissing(): string | null {
  return fs.existsSync(DOVECOT) ? null : `no Dovecot at ${DOVECOT} (install it with: apt-get install -y dovecot-imapd)`;
}

export interface Dovecot {
  host: string;
  port: number;
  /** Accounts made at start: name → password. */
  users: Map<string, string>;
  close(): Promise<void>;
}

const NOBODY = 65534;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function groupName(gid: number): string {
  const line = fs
    .readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? 'nogroup';
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts Dovecot with `count` accounts (user1…userN, each with its own password). */
export async function startDovecot(count = 40): Promise<Dovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servewell-dovecot-'));
  // As root, Dovecot runs as nobody; otherwise as whoever runs the tests.
  const root = process.getuid?.() === 0;
  const uid = root ? NOBODY : process.getuid!();
  const gid = root ? NOBODY : process.getgid!();
  const user = root ? 'nobody' : os.userInfo().username;
  const port = await freePort();
  const users = new Map<string, string>();
  for (let i = 1; i <= count; i++) users.set(`user${i}`, `secret-${i}-${Math.random().toString(36).slice(2, 8)}`);
  fs.writeFileSync(path.join(dir, 'passwd'), [...users].map(([u, pw]) => `${u}:{PLAIN}${pw}\n`).join(''));
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub));
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
auth_mechanisms = plain login
disable_plaintext_auth = no
# Refused passwords answer at once (the default waits 2 s).
auth_failure_delay = 0
default_internal_user = ${user}
default_internal_group = ${groupName(gid)}
default_login_user = ${user}
first_valid_uid = ${uid}
first_valid_gid = ${gid}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  if (root) {
    for (const f of [dir, ...fs.readdirSync(dir).map((f) => path.join(dir, f))]) fs.chownSync(f, uid, gid);
  }
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(root ? { uid, gid } : {}),
  });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  let exited: number | null = null;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code ?? -1;
      resolve();
    }),
  );
  const log = () => {
    try {
      return fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const end = Date.now() + 15_000;
  while (!(await answers(port))) {
    if (exited !== null || Date.now() > end) {
      if (exited === null) child.kill('SIGKILL');
      const why = `${output}\n${log()}`.trim();
      remove();
      throw new Error(`Dovecot did not start on 127.0.0.1:${port}${why ? `:\n${why}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    users,
    close: async () => {
      if (exited === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      remove();
    },
  };
}
