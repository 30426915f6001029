// Builds the raw MIME of a reply (or an acknowledgement) from a case: threading headers for
// every mail program, the case reference in the subject, the team's signature, text and HTML.
// Pure: the same input gives the same bytes, so a retried delivery sends the very same message.
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { normalizeMessageId } from './message-id.js';
import { baseSubject, replySubject } from './subject.js';
import { threadIndexFor } from './thread-index.js';

export interface OutboundAddress {
  address: string;
  name?: string;
}

export interface OutboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ReplyInput {
  /** The team's address and name, e.g. Box Office <boxoffice@…>. */
  from: { address: string; name: string };
  to: OutboundAddress[];
  cc?: OutboundAddress[];
  /** Where answers should go when not to `from`. */
  replyTo?: OutboundAddress | null;
  /**
   * Generated once (newMessageId) and stored with the outbox row before the first try, so
   * every retry sends under the same id. Without angle brackets.
   */
  messageId: string;
  /** When the reply was written, epoch ms, from the injected clock. */
  date: number;
  /** The subject answered (the patron's, or the case's); "Re:" and the reference are added. */
  subject: string;
  /** The case reference, e.g. "SW-1042"; null for mail about no case (a test, a notice to staff). */
  caseReference: string | null;
  /** The Message-ID of the message answered, if any. */
  inReplyTo?: string | null;
  /** That message's References (oldest first); its own id is appended here. */
  references?: string[];
  /** That message's Thread-Index, when it had one (Outlook). */
  parentThreadIndex?: string | null;
  /** What the associate wrote, as plain text. */
  text: string;
  /** The team's signature, plain text; set off with "-- " so mail programs recognise it. */
  signature?: string | null;
  /** The history to quote below the reply: a ready-made attribution line and the text. */
  quote?: { attribution: string; text: string } | null;
  /**
   * An acknowledgement answers automatically and a notification is generated: both are marked
   * (RFC 3834) so that auto-responders do not answer them. A test is a plain message.
   */
  kind?: 'reply' | 'acknowledgement' | 'notification' | 'test';
  attachments?: OutboundAttachment[];
  /** MAIL FROM, where bounces go; the team address when not set. */
  envelopeFrom?: string;
}

export interface ComposedMessage {
  raw: Buffer;
  envelope: { from: string; to: string[] };
  messageId: string;
  subject: string;
  inReplyTo: string | null;
  references: string[];
}

/** RFC 5322 has no limit, but long References headers get truncated or rejected in the wild. */
export const MAX_REFERENCES = 20;
const MAX_REFERENCES_LENGTH = 2000;

const ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+$/;

function checkAddress(a: OutboundAddress | { address: string }, field: string): void {
  if (!ADDRESS.test(a.address))
    throw new TypeError(`${field} is not a usable address: ${JSON.stringify(a.address)}`);
}

/** Display names end up in a header: no line breaks. */
const oneLine = (s: string | undefined) => (s ?? '').replace(/[\r\n\t]+/g, ' ').trim();

/**
 * The References of a reply: the thread's, then the message answered, without repeats,
 * bounded by keeping the first (the thread's root) and the most recent ones.
 */
export function threadReferences(
  references: string[],
  inReplyTo: string | null | undefined,
): string[] {
  const ids: string[] = [];
  for (const id of [...references, inReplyTo]) {
    const n = normalizeMessageId(id ?? null);
    if (n && !ids.includes(n)) ids.push(n);
  }
  let kept = ids.length > MAX_REFERENCES ? [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
  while (kept.length > 2 && kept.reduce((n, id) => n + id.length + 3, 0) > MAX_REFERENCES_LENGTH) {
    kept = [kept[0]!, ...kept.slice(2)];
  }
  return kept;
}

export async function composeReply(input: ReplyInput): Promise<ComposedMessage> {
  checkAddress(input.from, 'from');
  if (input.to.length === 0) throw new TypeError('to needs at least one address');
  input.to.forEach((a) => checkAddress(a, 'to'));
  (input.cc ?? []).forEach((a) => checkAddress(a, 'cc'));
  if (input.replyTo) checkAddress(input.replyTo, 'replyTo');
  const messageId = normalizeMessageId(input.messageId);
  if (!messageId || !messageId.includes('@'))
    throw new TypeError('messageId must look like local@domain');

  const inReplyTo = normalizeMessageId(input.inReplyTo ?? null);
  const references = threadReferences(input.references ?? [], inReplyTo);
  const automatic = input.kind === 'acknowledgement' || input.kind === 'notification';
  const reference = input.caseReference;
  const subject = reference
    ? replySubject(input.subject, reference, { reply: inReplyTo !== null })
    : oneLine(input.subject) || '(no subject)';

  const headers: Record<string, string> = {
    'Thread-Topic': baseSubject(input.subject, reference?.split('-')[0]) || subject,
    'Thread-Index': threadIndexFor({
      parent: input.parentThreadIndex,
      conversationKey: references[0] ?? messageId,
      date: input.date,
      salt: messageId,
    }),
  };
  if (automatic) {
    // RFC 3834: automatic mail says so, and Exchange is asked not to answer it either.
    headers['Auto-Submitted'] = input.kind === 'acknowledgement' ? 'auto-replied' : 'auto-generated';
    headers['X-Auto-Response-Suppress'] = 'All';
  }

  const text = plainBody(input);
  const mail = new MailComposer({
    from: { address: input.from.address, name: oneLine(input.from.name) },
    to: input.to.map((a) => ({ address: a.address, name: oneLine(a.name) })),
    cc: input.cc?.length
      ? input.cc.map((a) => ({ address: a.address, name: oneLine(a.name) }))
      : undefined,
    replyTo: input.replyTo
      ? { address: input.replyTo.address, name: oneLine(input.replyTo.name) }
      : undefined,
    subject,
    messageId: `<${messageId}>`,
    date: new Date(input.date),
    inReplyTo: inReplyTo ? `<${inReplyTo}>` : undefined,
    references: references.length ? references.map((id) => `<${id}>`) : undefined,
    headers,
    text,
    html: htmlBody(input),
    attachments: input.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
    envelope: {
      from: input.envelopeFrom ?? input.from.address,
      // A patron in both To and Cc gets one copy (the first spelling is kept).
      to: uniqueAddresses([...input.to, ...(input.cc ?? [])]),
    },
    // Same input, same bytes: the boundaries come from the id instead of random bytes.
    baseBoundary: createHash('sha256').update(messageId).digest('hex').slice(0, 16),
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = mail.compile();
  const raw = await node.build();
  const envelope = node.getEnvelope();
  return {
    raw,
    envelope: { from: envelope.from || input.from.address, to: envelope.to },
    messageId,
    subject,
    inReplyTo,
    references,
  };
}

function uniqueAddresses(list: OutboundAddress[]): string[] {
  const seen = new Set<string>();
  return list
    .map((a) => a.address)
    .filter((a) => !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

function plainBody(input: ReplyInput): string {
  let text = input.text.replace(/\r\n?/g, '\n').trimEnd();
  if (input.signature?.trim()) text += `\n\n-- \n${input.signature.replace(/\r\n?/g, '\n').trim()}`;
  if (input.quote?.text.trim()) {
    const quoted = input.quote.text
      .replace(/\r\n?/g, '\n')
      .trimEnd()
      .split('\n')
      .map((l) => (l.startsWith('>') ? `>${l}` : `> ${l}`))
      .join('\n');
    text += `\n\n${oneLine(input.quote.attribution)}\n${quoted}`;
  }
  return `${text}\n`;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Paragraphs at blank lines, line breaks kept: the associate's text as they typed it. */
function paragraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

function htmlBody(input: ReplyInput): string {
  const parts = [`<div dir="auto">\n${paragraphs(input.text)}\n</div>`];
  if (input.signature?.trim()) {
    // Gmail's and Thunderbird's class names, so their quote folding recognises the signature.
    parts.push(
      `<div class="gmail_signature moz-signature" style="color:#555555">-- <br>\n${paragraphs(input.signature)}\n</div>`,
    );
  }
  if (input.quote?.text.trim()) {
    parts.push(
      `<div class="gmail_quote">\n<p>${escapeHtml(oneLine(input.quote.attribution))}</p>\n` +
        `<blockquote type="cite" style="margin:0 0 0 .8ex;border-left:1px solid #cccccc;padding-left:1ex">\n` +
        `${paragraphs(input.quote.text)}\n</blockquote>\n</div>`,
    );
  }
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}
