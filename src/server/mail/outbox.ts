// Queueing outbound mail: one call, inside the caller's transaction, writes the outbox row
// (its Message-ID chosen and its bytes composed now, so every try sends the very same message)
// and the job that delivers it. The mail exists if and only if the change that sends it commits.
import { z } from 'zod';
import type { OutboundKind } from '../db/types.js';
import type { TxContext } from '../platform/context.js';
import { composeReply, type OutboundAddress } from './compose.js';
import { deliverKind } from './jobs.js';
import { newMessageId } from './message-id.js';
import * as q from './queries.js';

export type MailKind = OutboundKind;

export interface MailRecipient {
  address: string;
  name?: string | undefined;
}

/** What a capability asks to send. */
export interface MailMessage {
  orgId: number;
  /**
   * reply: staff writing to a patron; acknowledgement: the automatic "we have your message";
   * notification: any other automatic mail (a reminder); test: the admin's relay check.
   * Acknowledgements and notifications are marked Auto-Submitted so that no robot answers them.
   */
  kind: MailKind;
  /**
   * The case the mail is about: its reference goes into the subject, the mail continues the
   * case's email thread (In-Reply-To, References), and its delivery shows on the case.
   */
  caseId?: number | null | undefined;
  /** The timeline entry the mail carries (a reply), so the case shows its delivery beside it. */
  entryId?: number | null | undefined;
  /**
   * Recipients. Left out for mail about a case: the case's patron (when they have an email)
   * and the people copied on the case (its participants).
   */
  to?: MailRecipient[] | undefined;
  /** Copies. Left out for mail about a case: its participants (when `to` is left out too). */
  cc?: MailRecipient[] | undefined;
  /** The team it is sent as (From address, signature). Default: the case's team, else the organization's default team. */
  teamId?: number | null | undefined;
  /** Default: the case's subject. Required without a case. */
  subject?: string | undefined;
  /** The message, plain text; the team's signature is added (not to tests). */
  text: string;
  /** The staff member who wrote it, if one did. */
  byUserId?: number | null | undefined;
  /**
   * Makes the call idempotent within the organization: a second call with the same key returns
   * the first message and queues nothing (a job that may run twice, e.g. a reminder).
   */
  key?: string | undefined;
}

export interface QueuedMail {
  /** The outbox row. */
  id: number;
  /** Without angle brackets; every try sends under it. */
  messageId: string;
  /** Every recipient (To and Cc). */
  recipients: string[];
}

const Address = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((v) => v.toLowerCase());
const Recipient = z.object({ address: Address, name: z.string().max(200).optional() });
const Message = z.object({
  orgId: z.number().int().positive(),
  kind: z.enum(['reply', 'acknowledgement', 'notification', 'test']),
  caseId: z.number().int().positive().nullish(),
  entryId: z.number().int().positive().nullish(),
  to: z.array(Recipient).max(100).optional(),
  cc: z.array(Recipient).max(100).optional(),
  teamId: z.number().int().positive().nullish(),
  subject: z.string().max(500).optional(),
  text: z.string().max(100_000),
  byUserId: z.number().int().positive().nullish(),
  key: z.string().min(1).max(200).optional(),
});

/**
 * Queues one email in the caller's transaction. Returns null when there is nobody to write to
 * (mail about a case whose patron has no email address and nobody copied). Throws on a
 * programming error (an unknown case, an invalid address, no subject without a case).
 */
export async function queueMail(ctx: TxContext, message: MailMessage): Promise<QueuedMail | null> {
  const m = Message.parse(message);
  const { tx } = ctx;
  if (m.key) {
    const existing = await q.outboxByKey(tx, m.orgId, m.key);
    if (existing) return queued(existing);
  }
  const org = await q.orgForMail(tx, m.orgId);
  if (!org) throw new Error(`queueMail: no organization ${m.orgId}`);
  const kase = m.caseId ? await q.caseForMail(tx, m.orgId, m.caseId) : null;
  if (m.caseId && !kase) throw new Error(`queueMail: case ${m.caseId} is not a case of organization ${m.orgId}`);
  const subject = m.subject ?? kase?.subject;
  if (subject === undefined) throw new Error('queueMail: a subject is needed for mail about no case');

  const teamId = m.teamId ?? kase?.team_id ?? org.default_team_id;
  const team = teamId ? await q.teamWriting(tx, m.orgId, teamId) : undefined;
  const fromAddress =
    team?.from_address ?? team?.first_address ?? (await q.anyOrgAddress(tx, m.orgId)) ?? fallbackAddress(org.slug, ctx.publicUrl);

  // Recipients: as given, or the case's patron and participants; never our own addresses.
  let to: OutboundAddress[] = m.to ?? (kase?.patron_email ? [{ address: kase.patron_email, name: kase.patron_name ?? '' }] : []);
  let cc: OutboundAddress[] = m.cc ?? (kase && !m.to ? await q.activeParticipants(tx, kase.id) : []);
  const own = new Set(await q.ownAddresses(tx, m.orgId, [...to, ...cc].map((r) => r.address)));
  to = unique(to.filter((r) => !own.has(r.address)));
  cc = unique(cc.filter((r) => !own.has(r.address) && !to.some((t) => t.address === r.address)));
  if (!to.length && cc.length) [to, cc] = [cc, []];
  if (!to.length) return null;

  const reference = kase ? `${org.case_prefix}-${kase.number}` : null;
  const thread = kase ? await threadOf(ctx, kase.id) : null;
  const now = ctx.clock.now();
  const messageId = newMessageId(domainOf(fromAddress), reference ? { reference } : {});
  const composed = await composeReply({
    from: { address: fromAddress, name: team ? `${org.name} · ${team.name}` : org.name },
    to,
    cc,
    messageId,
    date: now,
    subject,
    caseReference: reference,
    inReplyTo: thread?.inReplyTo ?? null,
    references: thread?.references ?? [],
    parentThreadIndex: thread?.threadIndex ?? null,
    text: m.text,
    signature: m.kind === 'test' ? null : team?.signature ?? null,
    quote: m.kind === 'reply' ? (thread?.quote ?? null) : null,
    kind: m.kind,
  });

  const row = await q.insertOutbox(tx, {
    org_id: m.orgId,
    kind: m.kind,
    case_id: kase?.id ?? null,
    entry_id: m.entryId ?? null,
    team_id: team?.id ?? null,
    created_by: m.byUserId ?? null,
    dedupe_key: m.key ?? null,
    message_id: composed.messageId,
    in_reply_to: composed.inReplyTo,
    thread_refs: JSON.stringify(composed.references),
    from_address: fromAddress,
    recipients: JSON.stringify({ to, cc }),
    envelope_from: composed.envelope.from,
    envelope_to: JSON.stringify(composed.envelope.to),
    subject: composed.subject,
    raw: composed.raw,
    size: composed.raw.length,
    state: 'queued',
    last_error: null,
    next_attempt_at: now,
    claimed_until: null,
    relay: null,
    sent_at: null,
    created_at: now,
    updated_at: now,
  });
  await ctx.jobs.enqueue(deliverKind, { outboxId: row.id }, { orgId: m.orgId, uniqueKey: `mail.deliver:${row.id}:0` });
  return queued(row);
}

const queued = (row: { id: number; message_id: string; envelope_to: string }): QueuedMail => ({
  id: row.id,
  messageId: row.message_id,
  recipients: JSON.parse(row.envelope_to) as string[],
});

function unique(list: OutboundAddress[]): OutboundAddress[] {
  const seen = new Set<string>();
  return list.filter((r) => !seen.has(r.address) && seen.add(r.address));
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/** An organization with no team address at all still writes from somewhere recognisable. */
function fallbackAddress(slug: string, publicUrl: string): string {
  let host = 'localhost';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // keep localhost
  }
  return `${slug}@${host}`;
}

interface Thread {
  inReplyTo: string | null;
  references: string[];
  threadIndex: string | null;
  quote: { attribution: string; text: string } | null;
}

/**
 * What a new message on a case continues: the patron's latest email (its id, its References,
 * Outlook's Thread-Index, its new text to quote), else our own latest message on the case, so
 * that every message about one case stays in one thread in the patron's mail program.
 */
async function threadOf(ctx: TxContext, caseId: number): Promise<Thread | null> {
  const { inbound, outbound } = await q.threadTail(ctx.tx, caseId);
  if (inbound && (!outbound || inbound.received_at >= outbound.created_at)) {
    const details = inbound.details ? (JSON.parse(inbound.details) as { textParts?: { newPart?: string } }) : null;
    const text = details?.textParts?.newPart?.trim();
    const who = inbound.from_name || inbound.from_address || 'you';
    const when = new Date(inbound.sent_at ?? inbound.received_at).toUTCString();
    return {
      inReplyTo: inbound.message_id,
      references: inbound.thread_refs ? (JSON.parse(inbound.thread_refs) as string[]) : [],
      threadIndex: inbound.thread_index,
      quote: text ? { attribution: `On ${when}, ${who} wrote:`, text: text.slice(0, 20_000) } : null,
    };
  }
  if (outbound) {
    return {
      inReplyTo: outbound.message_id,
      references: outbound.thread_refs ? (JSON.parse(outbound.thread_refs) as string[]) : [],
      threadIndex: null,
      quote: null,
    };
  }
  return null;
}
