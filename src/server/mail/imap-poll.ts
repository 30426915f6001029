// One poll of one IMAP mailbox. New messages are stored through the SMTP listener's own durable
// store (inbound.ts), as if sent to the team address the mailbox is for, so threading and
// "one message, one case" apply unchanged; the highest UID stored is committed with them; only
// then is each message flagged or moved on the server. Restart-safe at every step:
//   - a crash before the commit: the UIDs are fetched again, nothing was stored;
//   - between the commit and the flag/move: the next poll finds the stored messages still
//     unflagged (or not moved) below the committed UID and finishes the step, storing nothing;
//   - UIDVALIDITY changed (the server renumbered the mailbox): everything is fetched again, and
//     the Message-ID dedupe of the store keeps what was stored from being stored twice.
import type { ImapFlow } from 'imapflow';
import type { Platform } from '../platform/context.js';
import type { Logger } from '../platform/jobs/listener.js';
import { inDurableTransaction, inTransaction } from '../platform/tx.js';
import {
  afterStoreOf,
  applyAfterStore,
  awaitingAfterStore,
  closeImap,
  describeImapError,
  imapClient,
  mailboxPath,
  MAX_MESSAGE_BYTES,
  sizesOf,
  sourcesOf,
  uidsAbove,
  type ImapSettings,
} from './imap.js';
import { storeReceived } from './inbound.js';
import { imapPollKind } from './jobs.js';
import type { ReceivedMessage } from './listener.js';
import * as q from './queries.js';

export interface ImapPollDeps {
  p: Platform;
  log: Logger;
  /** Tests only: runs after a batch is committed and before the server is told (a crash there). */
  afterCommit?: (uids: number[]) => Promise<void> | void;
  /** Tests only: smaller batches, to see them and the follow-up poll without 500 messages. */
  limits?: { batchMessages?: number; batchesPerPoll?: number };
}

/** How often a mailbox is polled: the sweep's period (runtime.ts), the first backoff step. */
export const POLL_EVERY_MS = 60_000;
/** Failed polls back off: 1, 2, 4, 8, 16, then every 30 minutes. */
const MAX_BACKOFF_MS = 30 * 60_000;
export const imapBackoff = (failures: number) => Math.min(POLL_EVERY_MS * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS);

/** A poll holds its mailbox this long (renewed by each batch); a crashed one's hold runs out. */
const HOLD_MS = 10 * 60_000;
/** One batch: at most this many messages and (after the first) this many bytes, one commit. */
const BATCH_MESSAGES = 50;
const BATCH_BYTES = 20 * 1024 * 1024;
/** Then the poll ends and another is queued at once: a large mailbox never holds a worker long. */
const BATCHES_PER_POLL = 10;

export type PollOutcome =
  | { state: 'skipped' }
  | { state: 'ok'; stored: number; more: boolean }
  | { state: 'failed'; error: string };

/** The settings changed (or the mailbox was removed) while this poll ran: it stops, writing nothing. */
class SettingsChanged extends Error {}

export const imapSettingsOf = (row: q.ImapSettingsRow): ImapSettings => ({
  host: row.host,
  port: row.port,
  security: row.security,
  username: row.username,
  password: row.password,
  allowSelfSigned: row.self_signed_ok_at !== null,
  mailbox: row.mailbox,
  moveTo: row.move_to,
});

/**
 * Polls one mailbox unless another poll holds it. What the server says is recorded on the
 * mailbox (shown to admins) and never thrown; only a failure to record it throws, so the job
 * is retried. `followUpKey` names the poll queued when this one stops at its batch limit.
 */
export async function pollMailbox(d: ImapPollDeps, mailboxId: number, followUpKey?: string): Promise<PollOutcome> {
  const { p } = d;
  const started = p.clock.now();
  const row = await inTransaction(p, (ctx) => q.claimImap(ctx.tx, mailboxId, started, started + HOLD_MS));
  if (!row) return { state: 'skipped' };
  const settings = imapSettingsOf(row);
  const client = imapClient(settings);
  let result: { stored: number; more: boolean; notice: string | null };
  try {
    await client.connect();
    result = await pollOpen(d, client, row);
  } catch (err) {
    await closeImap(client);
    if (err instanceof SettingsChanged) return { state: 'skipped' };
    const error = describeImapError(err, settings);
    const now = p.clock.now();
    const failures = row.failures + 1;
    d.log.warn({ mailboxId, err: error, failures }, 'IMAP poll failed; the mailbox backs off');
    await inTransaction(p, (ctx) =>
      q.updateImapPoll(ctx.tx, row.id, row.settings_at, {
        failures,
        last_error: error,
        last_error_at: now,
        next_poll_at: now + imapBackoff(failures),
        polling_until: null,
        updated_at: now,
      }),
    );
    return { state: 'failed', error };
  }
  await closeImap(client);
  const now = p.clock.now();
  await inTransaction(p, async (ctx) => {
    const saved = await q.updateImapPoll(ctx.tx, row.id, row.settings_at, {
      last_polled_at: now,
      failures: 0,
      last_error: null,
      last_error_at: null,
      notice: result.notice,
      // Due again at the sweep's next tick.
      next_poll_at: now,
      polling_until: null,
      updated_at: now,
    });
    if (saved && result.more) {
      await ctx.jobs.enqueue(imapPollKind, { mailboxId: row.id }, { orgId: row.org_id, uniqueKey: followUpKey ?? `mail.imap-poll:${row.id}:more:${now}` });
    }
  });
  return { state: 'ok', stored: result.stored, more: result.more };
}

/** The poll proper, on a signed-in connection. */
async function pollOpen(d: ImapPollDeps, client: ImapFlow, row: q.ImapSettingsRow) {
  const lock = await client.getMailboxLock(mailboxPath(row.mailbox));
  try {
    const box = client.mailbox;
    if (!box) throw new Error(`The mailbox “${row.mailbox}” could not be opened.`);
    const validity = box.uidValidity.toString();
    const renumbered = row.uid_validity !== validity;
    let lastUid = renumbered ? 0 : Number(row.last_uid);
    const after = afterStoreOf(client, row.move_to);
    const tooLarge: number[] = [];

    // A poll that stopped between its commit and the flag or move: finish that step first.
    if (lastUid > 0) {
      const waiting = await awaitingAfterStore(client, after, lastUid);
      tooLarge.push(...waiting.tooLarge);
      await applyAfterStore(client, after, waiting.uids);
    }

    let pending = await uidsAbove(client, lastUid);
    // A new (or renumbered) mailbox with nothing in it yet: remember its UIDVALIDITY all the same.
    if (renumbered && !pending.length) await commitBatch(d, row, validity, 0, []);
    let stored = 0;
    let batches = 0;
    const perPoll = d.limits?.batchesPerPoll ?? BATCHES_PER_POLL;
    while (pending.length && batches < perPoll) {
      batches++;
      const { batch, fits, large } = await nextBatch(client, pending, d.limits?.batchMessages ?? BATCH_MESSAGES);
      pending = pending.slice(batch.length);
      tooLarge.push(...large);
      const messages = await sourcesOf(client, fits);
      lastUid = batch[batch.length - 1]!;
      stored += await commitBatch(d, row, validity, lastUid, messages);
      const done = messages.map((m) => m.uid);
      await d.afterCommit?.(done);
      await applyAfterStore(client, after, done);
    }
    const notice = tooLarge.length
      ? `${tooLarge.length === 1 ? 'A message' : `${tooLarge.length} messages`} over ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB left in “${row.mailbox}”, not stored (UID ${tooLarge.slice(0, 10).join(', ')}).`
      : null;
    return { stored, more: pending.length > 0, notice };
  } finally {
    lock.release();
  }
}

/** The next UIDs to fetch: up to `max` messages, and BATCH_BYTES after the first. */
async function nextBatch(client: ImapFlow, pending: number[], max: number) {
  const head = pending.slice(0, max);
  const sizes = await sizesOf(client, head);
  const batch: number[] = [];
  const fits: number[] = [];
  const large: number[] = [];
  let bytes = 0;
  for (const uid of head) {
    const size = sizes.get(uid);
    if (size !== undefined && size <= MAX_MESSAGE_BYTES) {
      if (fits.length && bytes + size > BATCH_BYTES) break;
      bytes += size;
      fits.push(uid);
    } else if (size !== undefined) {
      large.push(uid);
    }
    // No size: expunged since the search; nothing to fetch, but the UID is passed all the same.
    batch.push(uid);
  }
  return { batch, fits, large };
}

/**
 * One durable commit: the messages, each through the listener's store (a Message-ID stored
 * already is success, nothing new), and the mailbox's new position. Returns how many were new.
 */
async function commitBatch(d: ImapPollDeps, row: q.ImapSettingsRow, validity: string, lastUid: number, messages: Array<{ uid: number; raw: Buffer }>) {
  const { p } = d;
  return inDurableTransaction(p, async (ctx) => {
    const now = ctx.clock.now();
    let stored = 0;
    for (const m of messages) stored += (await storeReceived(ctx, received(row, m.raw, now), 'imap')).length;
    const kept = await q.advanceImap(ctx.tx, row.id, row.settings_at, { uidValidity: validity, lastUid, stored, until: now + HOLD_MS, now });
    if (!kept) throw new SettingsChanged('The mailbox settings changed during the poll.');
    return stored;
  });
}

/** A fetched message as the listener's store takes it: sent to the mailbox's team address. */
function received(row: q.ImapSettingsRow, raw: Buffer, now: number): ReceivedMessage {
  return {
    raw,
    // No envelope over IMAP: the Return-Path the delivering server wrote is the nearest thing
    // (kept for the record; the parse job reads the headers themselves for IMAP mail).
    envelope: { mailFrom: returnPathOf(raw), rcptTo: [row.address] },
    remoteAddress: '',
    helo: '',
    secure: row.security !== 'none',
    authenticatedAs: null,
    receivedAt: now,
  };
}

/** The address in the message's first Return-Path field, '' when none (or the null sender). */
export function returnPathOf(raw: Buffer): string {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const m = /^return-path:[ \t]*<([^>\r\n]*)>/im.exec(end === -1 ? head : head.slice(0, end));
  return m ? m[1]!.trim().toLowerCase() : '';
}
