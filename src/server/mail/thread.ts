// The parse-and-thread job: from a stored raw message to a case. The message continues the case
// of any message it answers (In-Reply-To, then References newest first, against everything
// received and sent), else the case named by `[SW-1042]` in its subject, else it opens a new
// case for the team that owns the address it came to. Runs in the job's own transaction, so a
// message is threaded exactly once however often the job is tried.
import { addTimelineEntry, findCaseByNumber, openCase, parseRef, recordPatronMessage } from '../cases/api.js';
import type { AutomaticKind, CaseRow } from '../db/types.js';
import { emailWorks, markContactFailing, patronForEmail } from '../patrons/api.js';
import type { Platform, TxContext } from '../platform/context.js';
import type { Job } from '../platform/jobs/index.js';
import { inJobTransaction } from '../platform/tx.js';
import { acknowledgeNewCase } from './acknowledge.js';
import type { ParsedMessage } from './parse.js';
import { inlineParse, type ParseRequest } from './parse-pool.js';
import * as q from './queries.js';
import { databaseStore, type AttachmentStore } from './storage.js';

export interface ThreadDeps {
  p: Platform;
  store?: AttachmentStore;
  /** Where parsing runs (worker threads in the app); on this thread by default. */
  parse?: (r: ParseRequest) => Promise<ParsedMessage>;
}

/** What the case page shows of an email besides the entry's text (mail_inbound.details). */
export interface InboundDetails {
  to: { address: string; name: string }[];
  cc: { address: string; name: string }[];
  text: { newPart: string; signature: string | null; quoted: string | null };
  html: { newPart: string; quoted: string | null } | null;
  blockedRemoteImages: number;
  flags: ParsedMessage['flags'];
  bounce: ParsedMessage['bounce'];
  warnings: string[];
  /** Kept for quoting in a reply (outbox.ts reads `textParts.newPart`). */
  textParts: { newPart: string };
}

const MAX_BODY = 200_000;

/** Where the desk serves a message's inline (cid:) images: the `src` stored in its HTML. */
export const INLINE_IMAGE_PREFIX = '/api/mail/blobs/';

/** A stored message as the parse job reads it. */
type StoredInbound = NonNullable<Awaited<ReturnType<typeof q.inboundForParse>>>;

/**
 * Earlier messages of a thread that are stored but not threaded yet are threaded first, in
 * the reply's own job: an original and its reply arriving in one burst (an SMTP burst, one
 * IMAP poll) get parse jobs that run concurrently or in either order, and a reply threaded
 * before its original would open a second case. Threading the original here (rather than
 * deferring the reply's job and hoping the original's has run by then) needs no timing
 * guess and no extra job rows; the original's own job then finds it threaded and is done.
 * Bounded: this deep along References, this many messages, and only on the first attempts,
 * so an earlier message that cannot be threaded (its parse fails, its threading throws)
 * costs the reply a retry or two, then the reply is threaded on its own.
 */
const EARLIER_DEPTH = 5;
const EARLIER_MAX = 10;
const EARLIER_ATTEMPTS = 2;

export async function threadInbound(d: ThreadDeps, inboundId: number, job: Job): Promise<void> {
  const { p } = d;
  const store = d.store ?? databaseStore;
  const row = await q.inboundForParse(p.db, inboundId);
  if (!row || row.state === 'threaded') return;
  const parsed = await parseStored(d, row);
  // Parsed outside the transaction (worker threads, and no lock held meanwhile).
  const earlier = job.attempt <= EARLIER_ATTEMPTS ? await unthreadedEarlier(d, row, parsed) : [];

  await inJobTransaction(p, job, async (ctx) => {
    // One organization's threading at a time (PostgreSQL), so every lookup below sees what
    // a concurrent job threaded; the states are read again under the lock.
    await q.lockOrgThreading(ctx.tx, row.org_id, ctx.lockRows);
    for (const e of earlier) await threadParsed(ctx, store, e.row, e.parsed);
    await threadParsed(ctx, store, row, parsed);
  });
}

function parseStored(d: ThreadDeps, row: StoredInbound): Promise<ParsedMessage> {
  // IMAP mail came with no envelope: its own Return-Path field tells a null sender (classify.ts).
  const envelopeFrom = row.source === 'imap' ? null : row.mail_from;
  return (d.parse ?? inlineParse)({ raw: Buffer.from(row.raw), envelopeFrom, attachmentPrefix: INLINE_IMAGE_PREFIX });
}

/**
 * The stored, unthreaded messages this one refers to (and those they refer to), parsed,
 * ancestors before descendants: the order to thread them in. One that cannot be parsed now
 * is left to its own job.
 */
async function unthreadedEarlier(d: ThreadDeps, row: StoredInbound, parsed: ParsedMessage) {
  const out: { row: StoredInbound; parsed: ParsedMessage }[] = [];
  const seen = new Set([row.id]);
  const visit = async (m: ParsedMessage, depth: number): Promise<void> => {
    if (depth >= EARLIER_DEPTH) return;
    for (const r of await q.unthreadedByMessageIds(d.p.db, row.org_id, referencedIds(m))) {
      if (seen.has(r.id) || seen.size > EARLIER_MAX) continue;
      seen.add(r.id);
      const earlier = await parseStored(d, r).catch(() => null);
      if (!earlier) continue;
      await visit(earlier, depth + 1);
      out.push({ row: r, parsed: earlier });
    }
  };
  await visit(parsed, 0);
  return out;
}

/**
 * Threads one parsed message in the job's transaction, unless it is threaded already (its
 * own job, or a reply's that threaded it first). The caller holds the organization's lock.
 */
async function threadParsed(ctx: TxContext, store: AttachmentStore, row: StoredInbound, parsed: ParsedMessage): Promise<void> {
  const automatic: AutomaticKind | null = parsed.flags.bounce
    ? 'bounce'
    : parsed.flags.autoReply || parsed.flags.autoSubmitted
      ? 'auto_reply'
      : parsed.flags.bulk || parsed.flags.list
        ? 'bulk'
        : null;
  const now = ctx.clock.now();
  const state = await q.inboundState(ctx.tx, row.id, ctx.lockRows);
  if (!state || state.state === 'threaded') return;
  const org = await q.orgForMail(ctx.tx, row.org_id);
  if (!org) return;

  // Bounces: the addresses that failed are marked, whatever happens to the report itself.
  for (const address of parsed.bounce?.failedRecipients ?? []) await markContactFailing(ctx, row.org_id, address);

  let kase = await findThread(ctx, row.org_id, org.case_prefix, parsed);
  const fromAddress = parsed.flags.bounce ? null : (parsed.from?.address ?? null);
  const patron = fromAddress
    ? await patronForEmail(ctx, row.org_id, { name: stripNul(parsed.from?.name || fromAddress).slice(0, 200), email: fromAddress })
    : null;
  if (patron) await emailWorks(ctx, patron);
  const body = bodyOf(parsed);
  let opened = false;
  if (kase) {
    if (automatic) {
      // Stored on the case, but an out-of-office answer does not reopen anything.
      await addTimelineEntry(ctx, kase, { kind: 'message_in', channel: 'email', body, road: null, authorUserId: null, authorPatronId: patron?.id ?? kase.patron_id });
    } else {
      kase = await recordPatronMessage(ctx, kase, { body, channel: 'email', loggedBy: null }, org.case_prefix);
    }
  } else if (automatic !== 'bounce') {
    kase = await openCase(ctx, {
      orgId: row.org_id,
      channel: 'email',
      patronId: patron?.id ?? null,
      subject: stripNul(parsed.subject.trim() || '(no subject)').slice(0, 300),
      body,
      direction: 'in',
      status: 'new',
      priority: 'normal',
      teamId: row.team_id ?? org.default_team_id,
      assigneeId: null,
      tags: [],
      createdBy: null,
    });
    opened = true;
  }

  let entryId: number | null = null;
  if (kase) {
    entryId = await q.latestIncomingEntry(ctx.tx, kase.id);
    // Everyone else on the message (To and Cc) is copied on the case's replies until removed.
    const own = new Set(await q.ownAddresses(ctx.tx, row.org_id, [...parsed.to, ...parsed.cc].map((a) => a.address)));
    const seen = new Set<string>();
    const others = [...parsed.to, ...parsed.cc].filter(
      (a) => a.address && !own.has(a.address) && a.address !== fromAddress && !seen.has(a.address) && seen.add(a.address),
    );
    if (!automatic) {
      await q.addParticipants(
        ctx.tx,
        others.slice(0, 50).map((a) => ({ org_id: row.org_id, case_id: kase!.id, address: a.address, name: a.name, added_at: now, removed_at: null, removed_by: null })),
      );
    }
  }

  // Attachments: bytes once per organization by hash, a row per part of this message.
  for (const a of parsed.attachments) await store.put(ctx, row.org_id, a.sha256, a.content);
  await q.insertAttachments(
    ctx.tx,
    parsed.attachments.map((a, position) => ({
      org_id: row.org_id,
      inbound_id: row.id,
      position,
      sha256: a.sha256,
      filename: a.filename,
      content_type: a.contentType,
      size: a.size,
      content_id: a.contentId,
      inline_at: a.inline ? now : null,
    })),
  );

  const details: InboundDetails = {
    to: parsed.to,
    cc: parsed.cc,
    text: { newPart: parsed.textParts.newPart, signature: parsed.textParts.signature, quoted: parsed.textParts.quoted },
    html: parsed.htmlParts ? { newPart: parsed.htmlParts.newPart, quoted: parsed.htmlParts.quoted } : null,
    blockedRemoteImages: parsed.blockedRemoteImages,
    flags: parsed.flags,
    bounce: parsed.bounce,
    warnings: parsed.warnings,
    textParts: { newPart: parsed.textParts.newPart || parsed.text },
  };
  await q.updateInbound(ctx.tx, row.id, {
    state: 'threaded',
    case_id: kase?.id ?? null,
    entry_id: entryId,
    from_address: parsed.from?.address ?? null,
    from_name: parsed.from?.name ? stripNul(parsed.from.name) : null,
    subject: stripNul(parsed.subject).slice(0, 1000),
    sent_at: parsed.date,
    // What a reply to this message carries as References: its own and its ancestors'.
    thread_refs: JSON.stringify([...parsed.references, parsed.messageId].slice(-20)),
    thread_index: parsed.threadIndex,
    automatic,
    unparseable: parsed.unparseable,
    details: JSON.stringify(details),
    parsed_at: now,
  });

  // A new case hears back at once, unless no person wrote the message.
  if (opened && kase && !parsed.flags.noAutoResponse && !parsed.unparseable) await acknowledgeNewCase(ctx, row.org_id, kase.id);
}

/** The case this message continues, read under the row lock, or null. */
async function findThread(ctx: TxContext, orgId: number, prefix: string, m: ParsedMessage): Promise<CaseRow | null> {
  const unique = referencedIds(m);
  if (unique.length) {
    const found = await q.casesOfMessageIds(ctx.tx, orgId, unique);
    for (const id of unique) {
      const hit = found.find((f) => f.message_id === id);
      if (hit) {
        const row = await findCaseByNumber(ctx.tx, orgId, hit.number, ctx.lockRows);
        if (row) return row;
      }
    }
  }
  for (const reference of m.caseReferences) {
    const ref = parseRef(reference);
    if (!ref || ref.prefix !== prefix.toUpperCase()) continue;
    const row = await findCaseByNumber(ctx.tx, orgId, ref.number, ctx.lockRows);
    if (row) return row;
  }
  return null;
}

/** The Message-IDs a message answers, in the order they decide its case (at most 100). */
function referencedIds(m: ParsedMessage): string[] {
  const ids = [...m.inReplyTo, ...[...m.references].reverse()];
  if (m.bounce?.originalMessageId) ids.unshift(m.bounce.originalMessageId);
  return [...new Set(ids)].slice(0, 100);
}

/** The timeline's text: what the sender wrote this time; the whole message stays viewable. */
function bodyOf(m: ParsedMessage): string {
  if (m.unparseable && !m.text.trim()) return `(This message could not be read: ${m.unparseable} The original is kept.)`;
  const text = (m.textParts.newPart.trim() || m.text.trim() || (m.attachments.length ? '(attachments only)' : '(empty message)')).slice(0, MAX_BODY);
  return stripNul(text);
}

/** PostgreSQL text cannot hold NUL; junk mail can. */
const stripNul = (s: string) => s.replaceAll('\u0000', '');
