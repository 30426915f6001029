// The database side of the SMTP door: who receives mail here (checked at RCPT), and the durable
// store that must have committed before the sender hears 250. Messages arriving together are
// committed together (group commit): one durable commit, one disk sync, for all of them, so
// the 250s come fast without ever coming early.
import type { Platform, TxContext } from '../platform/context.js';
import { inDurableTransaction } from '../platform/tx.js';
import { parseKind } from './jobs.js';
import type { ReceivedMessage } from './listener.js';
import { peekMessageId } from './message-id.js';
import * as q from './queries.js';

export interface InboundDoor {
  isKnownRecipient(address: string): Promise<boolean>;
  store(message: ReceivedMessage): Promise<void>;
  /** Durable commits made and the messages they carried (the group commit at work). */
  readonly stats: { commits: number; messages: number };
}

/** At most this many messages share one commit (each holds up to the size limit in memory). */
const MAX_BATCH = 64;

export function createInboundDoor(p: Platform): InboundDoor {
  type Waiting = { message: ReceivedMessage; resolve: () => void; reject: (err: unknown) => void };
  let queue: Waiting[] = [];
  let flushing = false;
  const stats = { commits: 0, messages: 0 };

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        try {
          await inDurableTransaction(p, async (ctx) => {
            for (const w of batch) await storeReceived(ctx, w.message);
          });
          stats.commits++;
          stats.messages += batch.length;
          for (const w of batch) w.resolve();
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          // One bad message must not cost the others their 250: each alone, in its own commit.
          for (const w of batch) {
            await inDurableTransaction(p, (ctx) => storeReceived(ctx, w.message)).then(w.resolve, w.reject);
          }
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    stats,
    async isKnownRecipient(address) {
      return (await q.addressOwner(p.db, address)) !== undefined;
    },
    store(message) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ message, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}

/**
 * Inside the durable transaction: one row per organization the message is addressed to (a
 * message to two of its teams is one row, so one case), unless its Message-ID is stored
 * already (the sender's retry, or an IMAP message fetched again: success, nothing new), and
 * the job that threads it. The IMAP poller (imap-poll.ts) stores through here too.
 */
export async function storeReceived(ctx: TxContext, m: ReceivedMessage, source: 'smtp' | 'imap' = 'smtp'): Promise<number[]> {
  const owners = await q.addressOwners(ctx.tx, m.envelope.rcptTo);
  // An address removed between RCPT and DATA: the sender retries and hears 550 at RCPT then.
  if (!owners.length) throw new Error('none of the recipients receives mail here any more');
  const { messageId, derived } = peekMessageId(m.raw);
  const stored: number[] = [];
  const byOrg = new Map<number, { teamId: number; rcpt: string[] }>();
  // The team of the first recipient (in envelope order) that an organization owns.
  for (const address of m.envelope.rcptTo) {
    const owner = owners.find((o) => o.address === address);
    if (!owner) continue;
    const entry = byOrg.get(owner.org_id) ?? { teamId: owner.team_id, rcpt: [] };
    entry.rcpt.push(address);
    byOrg.set(owner.org_id, entry);
  }
  for (const [orgId, { teamId, rcpt }] of byOrg) {
    const row = await q.insertInboundUnlessKnown(ctx.tx, {
      org_id: orgId,
      team_id: teamId,
      message_id: messageId,
      message_id_derived_at: derived ? m.receivedAt : null,
      source,
      mail_from: m.envelope.mailFrom,
      rcpt_to: JSON.stringify(rcpt),
      remote_address: m.remoteAddress || null,
      helo: m.helo || null,
      secure_at: m.secure ? m.receivedAt : null,
      auth_user: m.authenticatedAs,
      received_at: m.receivedAt,
      raw: m.raw,
      size: m.raw.length,
      state: 'stored',
      case_id: null,
      entry_id: null,
      from_address: null,
      from_name: null,
      subject: null,
      sent_at: null,
      thread_refs: null,
      thread_index: null,
      automatic: null,
      unparseable: null,
      details: null,
      parsed_at: null,
    });
    if (!row) continue;
    stored.push(row.id);
    await ctx.jobs.enqueue(parseKind, { inboundId: row.id }, { orgId, uniqueKey: `mail.parse:${row.id}` });
  }
  return stored;
}
