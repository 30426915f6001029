// The IMAP side of polling, without the database: a connection (imapflow) from a mailbox's
// settings, what went wrong in words an admin can act on, the admin's "test connection", and
// what is done on the server once a message is stored (flag it, or move it away).
import { ImapFlow } from 'imapflow';
import type { ImapSecurity } from '../db/types.js';

export interface ImapSettings {
  host: string;
  port: number;
  security: ImapSecurity;
  username: string;
  password: string;
  allowSelfSigned: boolean;
  /** The mailbox polled, as the admin writes it ("INBOX", "Help desk/Incoming"). */
  mailbox: string;
  /** Null: stored messages get \Seen and STORED_KEYWORD and stay; else they are moved there. */
  moveTo: string | null;
}

/** Set (with \Seen) on every message stored, when messages stay where they are. */
export const STORED_KEYWORD = '$ServewellStored';

/** The listener's size limit: a larger message is left in the mailbox, not stored. */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 120_000 };

/**
 * A mailbox name as levels ("Servewell/Processed" → ["Servewell", "Processed"]): imapflow joins
 * them with the server's own delimiter, "/" on some servers, "." on others (Dovecot's maildir).
 */
export const mailboxPath = (name: string): string[] =>
  name
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean);

export function imapClient(s: ImapSettings): ImapFlow {
  const client = new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    // STARTTLS required (never a silent fall back to cleartext), or never tried.
    ...(s.security === 'tls' ? {} : { doSTARTTLS: s.security === 'starttls' }),
    auth: { user: s.username, pass: s.password },
    tls: { rejectUnauthorized: !s.allowSelfSigned },
    logger: false,
    disableAutoIdle: true,
    clientInfo: { name: 'Servewell' },
    ...TIMEOUTS,
  });
  // An 'error' event without a listener would end the process; the command that was waiting
  // for the connection rejects with the same error, and that is where it is handled.
  client.on('error', () => undefined);
  return client;
}

/** Logs out if it still can, then drops the connection; never throws. */
export async function closeImap(client: ImapFlow): Promise<void> {
  if (client.usable) await client.logout().catch(() => undefined);
  client.close();
}

const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** An error of imapflow or of the connection, in words for the admin screen (never the password). */
export function describeImapError(err: unknown, s: Pick<ImapSettings, 'host' | 'port'>): string {
  const e = (err ?? {}) as { authenticationFailed?: boolean; code?: unknown; responseText?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const said = typeof e.responseText === 'string' && e.responseText ? e.responseText : '';
  if (e.authenticationFailed) return `The server refused the user name or password${said ? ` (“${said}”)` : ''}.`;
  if (code === 'ECONNREFUSED') return `Nothing answers at ${s.host}:${s.port} (connection refused).`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host ${s.host} was not found.`;
  if (/TIMEOUT|ETIMEDOUT/.test(code)) return `${s.host}:${s.port} did not answer in time.`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'NoConnection') return `${s.host}:${s.port} closed the connection.`;
  if (CERTIFICATE.test(code)) return `The server’s certificate was not accepted (${code}).`;
  const message = typeof e.message === 'string' ? e.message : String(err);
  return `${message}${said ? `: ${said}` : ''}`.slice(0, 500);
}

export interface ImapTestResult {
  ok: boolean;
  message: string;
  /** Messages in the mailbox when it could be opened. */
  messages: number | null;
}

/** Signs in and opens the mailbox read-only: the admin's "Test connection". Changes nothing. */
export async function testImapConnection(s: ImapSettings): Promise<ImapTestResult> {
  const client = imapClient(s);
  try {
    await client.connect();
    const box = await client.mailboxOpen(mailboxPath(s.mailbox), { readOnly: true });
    let after = ` Stored messages will be marked as read and tagged ${STORED_KEYWORD}.`;
    if (s.moveTo) {
      const exists = await folderExists(client, mailboxPath(s.moveTo));
      after = exists ? ` Stored messages will be moved to “${s.moveTo}”.` : ` The folder “${s.moveTo}” will be created on the first poll.`;
    }
    const count = box.exists === 1 ? '1 message' : `${box.exists} messages`;
    return { ok: true, message: `Signed in. “${s.mailbox}” holds ${count}.${after}`, messages: box.exists };
  } catch (err) {
    return { ok: false, message: describeImapError(err, s), messages: null };
  } finally {
    await closeImap(client);
  }
}

/** What is done on the server with stored messages, for the mailbox open on `client`. */
export interface AfterStore {
  moveTo: string | null;
  /** The mailbox takes keywords of our own (PERMANENTFLAGS has \* or the keyword). */
  keyword: boolean;
}

export function afterStoreOf(client: ImapFlow, moveTo: string | null): AfterStore {
  const flags = client.mailbox ? client.mailbox.permanentFlags : undefined;
  return { moveTo, keyword: !flags || flags.has('\\*') || flags.has(STORED_KEYWORD) };
}

/** Flags or moves these messages (UIDs); each step is harmless to repeat. */
export async function applyAfterStore(client: ImapFlow, a: AfterStore, uids: number[]): Promise<void> {
  if (!uids.length) return;
  if (a.moveTo) {
    const target = mailboxPath(a.moveTo);
    await ensureFolder(client, target);
    const moved = await client.messageMove(uids, target, { uid: true });
    if (moved === false) throw new Error(`The server did not move the stored messages to “${a.moveTo}”.`);
    return;
  }
  const ok = await client.messageFlagsAdd(uids, a.keyword ? ['\\Seen', STORED_KEYWORD] : ['\\Seen'], { uid: true });
  if (!ok) throw new Error('The server did not flag the stored messages.');
}

async function ensureFolder(client: ImapFlow, path: string[]): Promise<void> {
  try {
    await client.mailboxCreate(path);
  } catch (err) {
    // Servers that answer "already exists" without the ALREADYEXISTS code: fine if it is there.
    if (!(await folderExists(client, path))) throw err;
  }
}

const folderExists = (client: ImapFlow, path: string[]) =>
  client.status(path, { messages: true }).then(
    (status) => status !== false,
    () => false,
  );

/**
 * Stored (UID ≤ lastUid) but still waiting for the after-store step: a poll stopped between
 * the commit and the flag or move. Moved messages are gone from here, flagged ones carry the
 * keyword (or \Seen, where keywords are refused). Messages too large to store are left out.
 */
export async function awaitingAfterStore(client: ImapFlow, a: AfterStore, lastUid: number): Promise<{ uids: number[]; tooLarge: number[] }> {
  const range = `1:${lastUid}`;
  const query = a.moveTo ? { uid: range } : a.keyword ? { uid: range, unKeyword: STORED_KEYWORD } : { uid: range, seen: false };
  const found = await searchUids(client, query);
  const within = found.filter((u) => u <= lastUid);
  if (!within.length) return { uids: [], tooLarge: [] };
  const sizes = await sizesOf(client, within);
  const uids = within.filter((u) => (sizes.get(u) ?? 0) <= MAX_MESSAGE_BYTES && sizes.has(u));
  const tooLarge = within.filter((u) => (sizes.get(u) ?? 0) > MAX_MESSAGE_BYTES);
  return { uids, tooLarge };
}

/** UIDs above `lastUid`, ascending. */
export async function uidsAbove(client: ImapFlow, lastUid: number): Promise<number[]> {
  // "n:*" also matches the highest UID when it is below n (RFC 3501), hence the filter.
  return (await searchUids(client, { uid: `${lastUid + 1}:*` })).filter((u) => u > lastUid).sort((a, b) => a - b);
}

async function searchUids(client: ImapFlow, query: Parameters<ImapFlow['search']>[0]): Promise<number[]> {
  const found = await client.search(query, { uid: true });
  if (!Array.isArray(found)) throw new Error('The server refused to search the mailbox.');
  return found;
}

/** RFC822.SIZE by UID; a message expunged meanwhile is missing from the map. */
export async function sizesOf(client: ImapFlow, uids: number[]): Promise<Map<number, number>> {
  const sizes = new Map<number, number>();
  if (!uids.length) return sizes;
  for (const m of await client.fetchAll(uids, { uid: true, size: true }, { uid: true })) {
    if (typeof m.size === 'number') sizes.set(m.uid, m.size);
  }
  return sizes;
}

/** The raw bytes of these messages (BODY.PEEK[]: fetching sets no flag), by UID ascending. */
export async function sourcesOf(client: ImapFlow, uids: number[]): Promise<Array<{ uid: number; raw: Buffer }>> {
  if (!uids.length) return [];
  const messages = await client.fetchAll(uids, { uid: true, source: true }, { uid: true });
  return messages
    .filter((m): m is typeof m & { source: Buffer } => Buffer.isBuffer(m.source))
    .map((m) => ({ uid: m.uid, raw: m.source }))
    .sort((a, b) => a.uid - b.uid);
}
