// Turns the raw bytes of a received message into what the desk stores and threads: addresses,
// subject, threading ids, text, safe HTML, attachments with their hashes, and automatic-mail
// flags. Never throws: a message it cannot read comes back flagged `unparseable`, best effort.
import { convert as htmlToText } from 'html-to-text';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { type BounceReport, classifyMessage, type MailFlags } from './classify.js';
import {
  type HeaderField,
  parseMessageIdList,
  peekMessageId,
  splitHeadAndBody,
  unfoldHeaderFields,
} from './message-id.js';
import {
  addresses,
  cleanText,
  firstAddress,
  type MailAddress,
  type ParsedAttachment,
  readDate,
  repairHeaderBytes,
  toAttachment,
} from './message-parts.js';
import { type QuoteSplit, splitQuotedHtml, splitQuotedText } from './quotes.js';
import { sanitizeEmailHtml } from './sanitize.js';
import { findCaseReferences } from './subject.js';

export type { BounceReport, MailFlags } from './classify.js';
export type { QuoteSplit } from './quotes.js';
export type { MailAddress, ParsedAttachment } from './message-parts.js';
export { safeFilename } from './message-parts.js';

export interface ParsedMessage {
  /** Without angle brackets; derived from the content when the message had none. */
  messageId: string;
  messageIdDerived: boolean;
  /** Message-IDs this message answers, and the thread's history (oldest first). */
  inReplyTo: string[];
  references: string[];
  from: MailAddress | null;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  /** Case references found in brackets in the subject, e.g. ["SW-1042"]. */
  caseReferences: string[];
  /** The Date header as epoch ms; null when missing or unreadable. */
  date: number | null;
  /** Outlook's conversation headers, kept so a reply can continue the same conversation. */
  threadTopic: string | null;
  threadIndex: string | null;
  /** The plain text (converted from the HTML when the message had only HTML). */
  text: string;
  /** Sanitized HTML, safe to show; null when the message had no HTML part. */
  html: string | null;
  blockedRemoteImages: number;
  /** The new text of a reply apart from its quoted history; the whole text stays in `text`. */
  textParts: QuoteSplit;
  /** The same for the HTML, each part sanitized; null without HTML. */
  htmlParts: QuoteSplit | null;
  attachments: ParsedAttachment[];
  flags: MailFlags;
  bounce: BounceReport | null;
  /** Size of the raw message in bytes. */
  size: number;
  /** Why the message could only be read in part (null when it parsed). */
  unparseable: string | null;
  /** Repairs made on the way (8-bit headers, an unreadable date...), for the record. */
  warnings: string[];
}

export interface ParseOptions {
  /** The SMTP envelope's MAIL FROM ('' for the null sender), when the message came over SMTP. */
  envelopeFrom?: string | null;
  /**
   * Where the desk will serve an inline part, for the `src` of its `cid:` images. Defaults to
   * the relative `attachments/<sha256>`.
   */
  attachmentUrl?: (attachment: ParsedAttachment) => string;
  /** Keep remote images in the HTML: only when a person asked to see them for this message. */
  allowRemoteImages?: boolean;
}

/** Beyond this, HTML is not converted to text (html-to-text is slow on huge documents). */
const MAX_HTML_TO_TEXT = 2_000_000;

export async function parseMessage(
  raw: Buffer,
  options: ParseOptions = {},
): Promise<ParsedMessage> {
  const warnings: string[] = [];
  if (raw.length === 0 || raw.toString('latin1').trim() === '') {
    return emptyMessage(raw, 'The message is empty.', warnings);
  }
  const { head, body } = splitHeadAndBody(raw);
  const repairedHead = repairHeaderBytes(head, warnings);
  const fields = unfoldHeaderFields(repairedHead.toString('utf8'));
  // Not a message at all (a stray text, a protocol transcript): keep it readable as text.
  if (fields.length === 0) return emptyMessage(raw, 'The message has no header fields.', warnings);

  let mail: ParsedMail;
  try {
    mail = await simpleParser(Buffer.concat([repairedHead, Buffer.from('\r\n'), body]), {
      keepCidLinks: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      keepDeliveryStatus: true,
      checksumAlgo: 'sha256',
      maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
    });
  } catch (err) {
    const reason = `The MIME structure could not be read: ${err instanceof Error ? err.message : String(err)}`;
    return emptyMessage(raw, reason, warnings, fields, body);
  }
  return toParsedMessage(raw, mail, fields, options, warnings);
}

function toParsedMessage(
  raw: Buffer,
  mail: ParsedMail,
  fields: HeaderField[],
  options: ParseOptions,
  warnings: string[],
): ParsedMessage {
  const fieldValue = (name: string) =>
    fields.find((f) => f.name.toLowerCase() === name)?.value ?? null;

  // From the raw bytes, exactly as the listener's store sees it (peekMessageId).
  const { messageId, derived } = peekMessageId(raw);
  const subject = cleanText(mail.subject ?? '')
    .replace(/\s+/g, ' ')
    .trim();

  const attachments = mail.attachments.map((a, i) => toAttachment(a, i));
  const attachmentUrl =
    options.attachmentUrl ?? ((a: ParsedAttachment) => `attachments/${a.sha256}`);
  const byCid = new Map(
    attachments.filter((a) => a.contentId).map((a) => [a.contentId!.toLowerCase(), a]),
  );

  const rawHtml =
    typeof mail.html === 'string' && mail.html.trim() !== '' ? cleanText(mail.html) : null;
  const referenced = new Set<ParsedAttachment>();
  const sanitize = (html: string) =>
    sanitizeEmailHtml(html, {
      allowRemoteImages: options.allowRemoteImages,
      resolveCid: (cid) => {
        const att = byCid.get(cid.toLowerCase());
        if (!att) return null;
        referenced.add(att);
        return attachmentUrl(att);
      },
    });
  const safe = rawHtml ? sanitize(rawHtml) : null;
  let htmlParts: QuoteSplit | null = null;
  if (rawHtml) {
    const split = bestEffort(
      () => splitQuotedHtml(rawHtml),
      warnings,
      'The HTML reply could not be split',
    ) ?? {
      newPart: rawHtml,
      signature: null,
      quoted: null,
      style: null,
    };
    htmlParts = {
      newPart: sanitize(split.newPart).html.trim(),
      signature: split.signature === null ? null : sanitize(split.signature).html.trim(),
      quoted: split.quoted === null ? null : sanitize(split.quoted).html.trim(),
      style: split.style,
    };
  }
  // Inline means shown in the body; a related part the HTML never shows must be listed instead.
  for (const a of attachments) a.inline = referenced.has(a);

  if (mail.textConversionError)
    warnings.push(`The HTML could not be converted to text: ${mail.textConversionError.message}`);
  const text = cleanText(
    mail.text?.trim() ? mail.text : rawHtml ? textFromHtml(rawHtml, warnings) : '',
  );
  const from =
    firstAddress(mail.from) ??
    addresses(mail.headers.get('sender') as AddressObject | undefined)[0] ??
    null;
  const contentType = mail.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  checkMultipart(contentType, raw, warnings);

  const { flags, bounce } = classifyMessage({
    fields,
    contentType: (contentType?.value ?? 'text/plain').toLowerCase(),
    reportType: contentType?.params?.['report-type']?.toLowerCase() ?? null,
    fromAddress: from?.address ?? null,
    envelopeFrom: options.envelopeFrom,
    text,
    parts: mail.attachments.map((a) => ({
      contentType: a.contentType.toLowerCase(),
      content: a.content,
    })),
  });

  return {
    messageId,
    messageIdDerived: derived,
    inReplyTo: parseMessageIdList(fieldValue('in-reply-to')),
    references: parseMessageIdList(
      fields
        .filter((f) => f.name.toLowerCase() === 'references')
        .map((f) => f.value)
        .join(' '),
    ),
    from,
    replyTo: addresses(mail.replyTo),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject,
    caseReferences: findCaseReferences(subject),
    date: readDate(fieldValue('date'), warnings),
    threadTopic: cleanText(decodedHeader(mail, 'thread-topic') ?? '').trim() || null,
    threadIndex: fieldValue('thread-index')?.replace(/\s+/g, '') || null,
    text,
    html: safe?.html ?? null,
    blockedRemoteImages: safe?.blockedRemoteImages ?? 0,
    textParts: bestEffort(
      () => splitQuotedText(text),
      warnings,
      'The text reply could not be split',
    ) ?? {
      newPart: text,
      signature: null,
      quoted: null,
      style: null,
    },
    htmlParts,
    attachments,
    flags,
    bounce,
    size: raw.length,
    unparseable: null,
    warnings,
  };
}

function bestEffort<T>(f: () => T, warnings: string[], what: string): T | null {
  try {
    return f();
  } catch (err) {
    warnings.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

/** mailparser leaves the text empty for HTML inside multipart/related; search and previews need it. */
function textFromHtml(html: string, warnings: string[]): string {
  if (html.length > MAX_HTML_TO_TEXT) return '';
  try {
    return htmlToText(html, {
      limits: { maxDepth: 100 },
      selectors: [{ selector: 'img', format: 'skip' }],
    });
  } catch (err) {
    warnings.push(
      `The HTML could not be converted to text: ${err instanceof Error ? err.message : String(err)}`,
    );
    return '';
  }
}

/** A message that could not be parsed still becomes something a person can read. */
function emptyMessage(
  raw: Buffer,
  reason: string,
  warnings: string[],
  fields: HeaderField[] = [],
  body: Buffer = raw,
): ParsedMessage {
  const text = cleanText(body.toString('utf8')).trim();
  const fieldValue = (name: string) =>
    fields.find((f) => f.name.toLowerCase() === name)?.value ?? null;
  const { flags, bounce } = classifyMessage({
    fields,
    contentType: 'text/plain',
    reportType: null,
    fromAddress: null,
    text,
    parts: [],
  });
  const subject = cleanText(fieldValue('subject') ?? '').trim();
  const { messageId, derived } = peekMessageId(raw);
  return {
    messageId,
    messageIdDerived: derived,
    inReplyTo: parseMessageIdList(fieldValue('in-reply-to')),
    references: parseMessageIdList(fieldValue('references')),
    from: null,
    replyTo: [],
    to: [],
    cc: [],
    subject,
    caseReferences: findCaseReferences(subject),
    date: readDate(fieldValue('date'), warnings),
    threadTopic: null,
    threadIndex: null,
    text,
    html: null,
    blockedRemoteImages: 0,
    textParts: { newPart: text, signature: null, quoted: null, style: null },
    htmlParts: null,
    attachments: [],
    flags,
    bounce,
    size: raw.length,
    unparseable: reason,
    warnings,
  };
}

/** mailparser reads a broken multipart as far as it goes; say so, so nobody trusts it whole. */
function checkMultipart(
  contentType: { value?: string; params?: Record<string, string> } | undefined,
  raw: Buffer,
  warnings: string[],
): void {
  if (!contentType?.value?.toLowerCase().startsWith('multipart/')) return;
  const boundary = contentType.params?.boundary;
  if (!boundary) warnings.push('The multipart message declares no boundary.');
  else if (!raw.includes(`--${boundary}--`))
    warnings.push('The multipart message is not closed; it was read as far as it goes.');
}

function decodedHeader(mail: ParsedMail, name: string): string | null {
  const v = mail.headers.get(name);
  return typeof v === 'string' ? v : null;
}
