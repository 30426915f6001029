// Queueing outbound mail: one call, inside the caller's transaction, writes the outbox row
// (its Message-ID chosen and its bytes composed now, so every try sends the very same message)
// and the job that delivers it. The mail exists if and only if the change that sends it commits.
import { z } from 'zod';
import type { Insertable } from 'kysely';
import type { MailOutboxTable, OutboundKind } from '../db/types.js';
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
  return (await queueMails(ctx, [message]))[0]!;
}

/** Rows per INSERT of outbox rows: ~25 bound parameters each, far under either dialect's limit. */
const INSERT_CHUNK = 100;

/**
 * Queues many emails in the caller's transaction, each as `queueMail` would (the results in
 * the same order), with the lookups they share made once and the rows and their delivery jobs
 * written in a few statements: a batch of reminders queues its mail in one go.
 */
export async function queueMails(ctx: TxContext, messages: readonly MailMessage[]): Promise<Array<QueuedMail | null>> {
  const ms = messages.map((m) => Message.parse(m));
  const { tx } = ctx;
  const out: Array<QueuedMail | null> = ms.map(() => null);

  // Idempotency: a key queued before returns that message; a key twice here, the first.
  const existing = new Map<string, QueuedMail>();
  const keysByOrg = new Map<number, string[]>();
  for (const m of ms) if (m.key) keysByOrg.set(m.orgId, [...(keysByOrg.get(m.orgId) ?? []), m.key]);
  for (const [orgId, keys] of keysByOrg) {
    for (const row of await q.outboxByKeys(tx, orgId, [...new Set(keys)])) existing.set(`${orgId}|${row.dedupe_key}`, queued(row));
  }
  const firstOfKey = new Map<string, number>();
  const sameAs = new Map<number, number>();

  // What the messages share, looked up once each.
  const orgs = new Map<number, Awaited<ReturnType<typeof q.orgForMail>>>();
  const teams = new Map<string, Awaited<ReturnType<typeof q.teamWriting>>>();
  // The teams the messages name, read together (a case's team is read with its case below).
  const namedTeams = new Map<number, Set<number>>();
  for (const m of ms) if (m.teamId) namedTeams.set(m.orgId, (namedTeams.get(m.orgId) ?? new Set()).add(m.teamId));
  for (const [orgId, ids] of namedTeams) {
    const found = await q.teamWritings(tx, orgId, [...ids]);
    for (const id of ids) teams.set(`${orgId}:${id}`, found.find((t) => t.id === id));
  }
  const anyAddress = new Map<number, string | null>();
  const orgOf = async (orgId: number) => {
    if (!orgs.has(orgId)) orgs.set(orgId, await q.orgForMail(tx, orgId));
    return orgs.get(orgId);
  };
  const teamOf = async (orgId: number, teamId: number) => {
    const key = `${orgId}:${teamId}`;
    if (!teams.has(key)) teams.set(key, await q.teamWriting(tx, orgId, teamId));
    return teams.get(key);
  };
  const anyAddressOf = async (orgId: number) => {
    if (!anyAddress.has(orgId)) anyAddress.set(orgId, await q.anyOrgAddress(tx, orgId));
    return anyAddress.get(orgId)!;
  };

  type Draft = {
    i: number;
    m: (typeof ms)[number];
    org: NonNullable<Awaited<ReturnType<typeof q.orgForMail>>>;
    kase: Awaited<ReturnType<typeof q.caseForMail>> | null;
    team: Awaited<ReturnType<typeof q.teamWriting>>;
    subject: string;
    fromAddress: string;
    to: OutboundAddress[];
    cc: OutboundAddress[];
  };
  const drafts: Draft[] = [];
  for (const [i, m] of ms.entries()) {
    if (m.key) {
      const before = existing.get(`${m.orgId}|${m.key}`);
      if (before) {
        out[i] = before;
        continue;
      }
      const first = firstOfKey.get(`${m.orgId}|${m.key}`);
      if (first !== undefined) {
        sameAs.set(i, first);
        continue;
      }
      firstOfKey.set(`${m.orgId}|${m.key}`, i);
    }
    const org = await orgOf(m.orgId);
    if (!org) throw new Error(`queueMail: no organization ${m.orgId}`);
    const kase = m.caseId ? await q.caseForMail(tx, m.orgId, m.caseId) : null;
    if (m.caseId && !kase) throw new Error(`queueMail: case ${m.caseId} is not a case of organization ${m.orgId}`);
    const subject = m.subject ?? kase?.subject;
    if (subject === undefined) throw new Error('queueMail: a subject is needed for mail about no case');
    const teamId = m.teamId ?? kase?.team_id ?? org.default_team_id;
    const team = teamId ? await teamOf(m.orgId, teamId) : undefined;
    const fromAddress = team?.from_address ?? team?.first_address ?? (await anyAddressOf(m.orgId)) ?? fallbackAddress(org.slug, ctx.publicUrl);
    // Recipients: as given, or the case's patron and participants.
    const to: OutboundAddress[] = m.to ?? (kase?.patron_email ? [{ address: kase.patron_email, name: kase.patron_name ?? '' }] : []);
    const cc: OutboundAddress[] = m.cc ?? (kase && !m.to ? await q.activeParticipants(tx, kase.id) : []);
    drafts.push({ i, m, org, kase, team, subject, fromAddress, to, cc });
  }

  // Never our own addresses: one look per organization for every recipient of the batch.
  const own = new Set<string>();
  const addressesByOrg = new Map<number, Set<string>>();
  for (const d of drafts) {
    const set = addressesByOrg.get(d.m.orgId) ?? new Set<string>();
    for (const r of [...d.to, ...d.cc]) set.add(r.address);
    addressesByOrg.set(d.m.orgId, set);
  }
  for (const [orgId, set] of addressesByOrg) {
    const all = [...set];
    for (let i = 0; i < all.length; i += 500) for (const a of await q.ownAddresses(tx, orgId, all.slice(i, i + 500))) own.add(`${orgId}|${a}`);
  }

  const now = ctx.clock.now();
  const rows: Array<Insertable<MailOutboxTable> & { message_id: string }> = [];
  const rowOf = new Map<number, number>();
  for (const d of drafts) {
    const { m, org, kase, team } = d;
    const mine = (r: OutboundAddress) => own.has(`${m.orgId}|${r.address}`);
    let to = unique(d.to.filter((r) => !mine(r)));
    let cc = unique(d.cc.filter((r) => !mine(r) && !to.some((t) => t.address === r.address)));
    if (!to.length && cc.length) [to, cc] = [cc, []];
    if (!to.length) continue;

    const reference = kase ? `${org.case_prefix}-${kase.number}` : null;
    const thread = kase ? await threadOf(ctx, kase.id) : null;
    const messageId = newMessageId(domainOf(d.fromAddress), reference ? { reference } : {});
    const composed = await composeReply({
      from: { address: d.fromAddress, name: team ? `${org.name} · ${team.name}` : org.name },
      to,
      cc,
      messageId,
      date: now,
      subject: d.subject,
      caseReference: reference,
      inReplyTo: thread?.inReplyTo ?? null,
      references: thread?.references ?? [],
      parentThreadIndex: thread?.threadIndex ?? null,
      text: m.text,
      signature: m.kind === 'test' ? null : team?.signature ?? null,
      quote: m.kind === 'reply' ? (thread?.quote ?? null) : null,
      kind: m.kind,
    });
    rowOf.set(d.i, rows.length);
    rows.push({
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
      from_address: d.fromAddress,
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
  }

  const inserted = new Map<string, Awaited<ReturnType<typeof q.insertOutboxes>>[number]>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    for (const r of await q.insertOutboxes(tx, rows.slice(i, i + INSERT_CHUNK))) inserted.set(`${r.message_id}`, r);
  }
  const saved = rows.map((r) => inserted.get(r.message_id)!);
  await ctx.jobs.enqueueMany(
    deliverKind,
    saved.map((row, k) => ({ payload: { outboxId: row.id }, orgId: rows[k]!.org_id, uniqueKey: `mail.deliver:${row.id}:0` })),
  );
  for (const [i, k] of rowOf) out[i] = queued(saved[k]!);
  for (const [i, first] of sameAs) out[i] = out[first] ?? null;
  return out;
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
