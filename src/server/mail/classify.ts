// Recognises mail that a person did not write and that must never be answered automatically:
// auto-replies, list and bulk mail, and bounces (with the recipients that failed).
import { type HeaderField, normalizeMessageId, unfoldHeaderFields } from './message-id.js';

export interface MailFlags {
  /** `Auto-Submitted` other than "no" (RFC 3834), or a null sender. */
  autoSubmitted: boolean;
  /** A vacation or out-of-office answer. */
  autoReply: boolean;
  /** `Precedence: bulk` or `junk`. */
  bulk: boolean;
  /** A mailing list message: `List-Id`, `List-Unsubscribe` or `Precedence: list`. */
  list: boolean;
  /** A delivery failure report. */
  bounce: boolean;
  /** Sent with an empty reverse-path (`MAIL FROM:<>` or `Return-Path: <>`). */
  nullSender: boolean;
  /** The sender asked for no automatic answer (`X-Auto-Response-Suppress`). */
  suppressAutoResponse: boolean;
  /** Never answer this message automatically: any of the above. */
  noAutoResponse: boolean;
}

export interface BounceReport {
  /** Recipients that failed for good, lower-cased. */
  failedRecipients: string[];
  /** Recipients whose delivery is only delayed (the report says the sender keeps trying). */
  delayedRecipients: string[];
  /** The Message-ID of the message that bounced (usually one we sent), when the report quotes it. */
  originalMessageId: string | null;
  /** The first failure's status (e.g. "5.1.1") and diagnostic, for the case timeline. */
  status: string | null;
  diagnostic: string | null;
}

export interface ClassifyInput {
  fields: HeaderField[];
  /** The top-level content type, lower-cased, and its report-type parameter. */
  contentType: string;
  reportType: string | null;
  fromAddress: string | null;
  /** The envelope's MAIL FROM when known ('' for the null sender). */
  envelopeFrom?: string | null;
  text: string;
  parts: { contentType: string; content: Buffer }[];
}

const field = (fields: HeaderField[], name: string) =>
  fields.find((f) => f.name.toLowerCase() === name)?.value ?? null;

export function classifyMessage(input: ClassifyInput): {
  flags: MailFlags;
  bounce: BounceReport | null;
} {
  const { fields } = input;
  const autoSubmittedValue =
    (field(fields, 'auto-submitted') ?? '').toLowerCase().split(/[;\s]/)[0] ?? '';
  const precedence = (field(fields, 'precedence') ?? field(fields, 'x-precedence') ?? '')
    .toLowerCase()
    .trim();
  const returnPath = field(fields, 'return-path');
  const nullSender =
    input.envelopeFrom === '' ||
    (input.envelopeFrom == null && returnPath !== null && /^<\s*>$/.test(returnPath.trim()));
  const suppress = field(fields, 'x-auto-response-suppress') ?? '';
  // "From: MAILER-DAEMON" often has no domain, so no address survives parsing: read the field.
  const fromField = field(fields, 'from') ?? '';
  const fromLocal = input.fromAddress
    ? input.fromAddress.split('@')[0]!.toLowerCase()
    : (/\b(mailer-daemon|postmaster)\b/i.exec(fromField)?.[1]?.toLowerCase() ?? '');

  const isDsn =
    input.contentType === 'multipart/report' &&
    (input.reportType === 'delivery-status' || input.reportType === 'global-delivery-status');
  const isReadReceipt =
    input.contentType === 'multipart/report' && input.reportType === 'disposition-notification';
  const failedHeader = field(fields, 'x-failed-recipients');
  const bounce =
    isDsn ||
    failedHeader !== null ||
    fromLocal === 'mailer-daemon' ||
    (nullSender && fromLocal === 'postmaster') ||
    // A null sender is a bounce unless it says it is an auto-reply or a read receipt (RFC 3834).
    (nullSender &&
      autoSubmittedValue !== 'auto-replied' &&
      !isReadReceipt &&
      !hasAutoReplyHeader(fields));

  const autoReply =
    !bounce &&
    (autoSubmittedValue === 'auto-replied' ||
      hasAutoReplyHeader(fields) ||
      precedence === 'auto_reply');
  const list =
    precedence === 'list' ||
    field(fields, 'list-id') !== null ||
    field(fields, 'list-unsubscribe') !== null;
  const bulk = precedence === 'bulk' || precedence === 'junk';
  const autoSubmitted = (autoSubmittedValue !== '' && autoSubmittedValue !== 'no') || nullSender;
  const suppressAutoResponse = /\b(?:all|oof|autoreply)\b/i.test(suppress);

  const flags: MailFlags = {
    autoSubmitted,
    autoReply,
    bulk,
    list,
    bounce,
    nullSender,
    suppressAutoResponse,
    noAutoResponse:
      autoSubmitted ||
      autoReply ||
      bulk ||
      list ||
      bounce ||
      nullSender ||
      suppressAutoResponse ||
      isReadReceipt,
  };
  return { flags, bounce: bounce ? readBounce(input, failedHeader) : null };
}

function hasAutoReplyHeader(fields: HeaderField[]): boolean {
  return fields.some((f) =>
    /^(?:x-autoreply|x-autorespond|x-autoresponder|x-auto-reply)$/i.test(f.name),
  );
}

function readBounce(input: ClassifyInput, failedHeader: string | null): BounceReport {
  const report: BounceReport = {
    failedRecipients: [],
    delayedRecipients: [],
    originalMessageId: null,
    status: null,
    diagnostic: null,
  };
  const add = (list: string[], address: string) => {
    const a = address.trim().replace(/^<|>$/g, '').toLowerCase();
    if (a.includes('@') && !list.includes(a)) list.push(a);
  };

  for (const part of input.parts) {
    if (
      part.contentType === 'message/delivery-status' ||
      part.contentType === 'message/global-delivery-status'
    ) {
      for (const recipient of deliveryStatusRecipients(part.content.toString('utf8'))) {
        if (recipient.action === 'failed') {
          add(report.failedRecipients, recipient.address);
          report.status ??= recipient.status;
          report.diagnostic ??= recipient.diagnostic;
        } else if (recipient.action === 'delayed') {
          add(report.delayedRecipients, recipient.address);
        }
      }
    }
    if (
      !report.originalMessageId &&
      [
        'text/rfc822-headers',
        'message/rfc822',
        'message/global',
        'message/global-headers',
      ].includes(part.contentType)
    ) {
      report.originalMessageId = normalizeMessageId(
        field(unfoldHeaderFields(headOf(part.content)), 'message-id'),
      );
    }
  }

  // Exim names the failed addresses in a header; qmail writes "<address>:" lines.
  for (const a of (failedHeader ?? '').split(',')) add(report.failedRecipients, a);
  if (report.failedRecipients.length === 0) {
    for (const m of input.text.matchAll(/^<([^<>\s]+@[^<>\s]+)>:\s*$/gm))
      add(report.failedRecipients, m[1]!);
  }
  // Reports without a headers part often quote the original message in their text.
  report.originalMessageId ??= normalizeMessageId(
    /^message-id:[ \t]*(<[^<>\r\n]+>)/im.exec(input.text)?.[1],
  );
  return report;
}

function headOf(content: Buffer): string {
  const text = content.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

interface RecipientStatus {
  address: string;
  action: string;
  status: string | null;
  diagnostic: string | null;
}

/** The per-recipient blocks of a message/delivery-status part (RFC 3464). */
export function deliveryStatusRecipients(body: string): RecipientStatus[] {
  const blocks = body.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  const recipients: RecipientStatus[] = [];
  // The first block describes the message, the others one recipient each.
  for (const block of blocks.slice(1)) {
    const fields = unfoldHeaderFields(block);
    const finalRecipient = field(fields, 'final-recipient') ?? field(fields, 'original-recipient');
    const action = (field(fields, 'action') ?? '').toLowerCase().trim();
    if (!finalRecipient || !action) continue;
    // "rfc822; someone@example.net" (the address type is optional in the wild).
    const address = finalRecipient.includes(';')
      ? finalRecipient.slice(finalRecipient.indexOf(';') + 1)
      : finalRecipient;
    recipients.push({
      address: address.trim(),
      action,
      status: field(fields, 'status')?.trim() ?? null,
      diagnostic:
        field(fields, 'diagnostic-code')
          ?.replace(/^[\w-]+;\s*/, '')
          .trim() ?? null,
    });
  }
  return recipients;
}
