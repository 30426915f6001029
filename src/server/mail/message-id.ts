// Message-IDs in one form everywhere (no angle brackets, no spaces, bounded length), so that a
// stored id, an In-Reply-To and a References entry compare as plain strings.
import { createHash, randomBytes } from 'node:crypto';

const MAX_ID_LENGTH = 250;

/**
 * One Message-ID as stored: the text between the angle brackets, without whitespace. Longer
 * ids (seen in abuse, never from real mail programs) become a hash of themselves, so they still
 * match consistently. Returns null when there is no usable id.
 */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>]*)>/.exec(value);
  // eslint-disable-next-line no-control-regex -- control characters never belong in an id
  const id = (bracketed ? bracketed[1]! : value).replace(/[\s\u0000-\u001f\u007f]+/g, '');
  if (id === '' || (!bracketed && !id.includes('@'))) return null;
  if (id.length > MAX_ID_LENGTH) return `long.${sha256(id).slice(0, 40)}@servewell.invalid`;
  return id;
}

/** Every Message-ID in an In-Reply-To or References header, in order, without repeats. */
export function parseMessageIdList(value: string | null | undefined): string[] {
  if (!value) return [];
  const tokens = value.match(/<[^<>]*>/g) ?? value.split(/[\s,]+/);
  const ids: string[] = [];
  for (const token of tokens) {
    const id = normalizeMessageId(token);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * A new Message-ID for outbound mail from `domain`. Generate it once, store it with the outbox
 * row, and send every try under it, so the patron never gets two copies under two ids.
 */
export function newMessageId(domain: string, options: { reference?: string } = {}): string {
  const ref = options.reference
    ? `${options.reference.toLowerCase().replace(/[^a-z0-9-]/g, '')}.`
    : '';
  return `${ref}${Date.now().toString(36)}.${randomHex12()}@${domain.toLowerCase()}`;
}

// Random bytes drawn 3 KB at a time (as Node does for randomUUID): one call to the generator per
// 256 ids instead of one per id, which cost a batch of 10,000 reminder emails 0.3 s.
let entropy = Buffer.alloc(0);
let used = 0;
function randomHex12(): string {
  if (used + 12 > entropy.length) {
    entropy = randomBytes(12 * 256);
    used = 0;
  }
  used += 12;
  return entropy.toString('hex', used - 12, used);
}

// Header fields that each hop adds or changes: left out of the derived id, so a retry of the
// same message through the same or another relay hashes the same.
const TRACE_FIELD =
  /^(?:received|return-path|delivered-to|x-original-to|envelope-to|x-envelope-(?:from|to)|received-spf|authentication-results|arc-[\w-]+|x-received|x-spam-[\w-]+|x-virus-[\w-]+|x-ms-exchange-[\w-]+|x-forefront-[\w-]+|x-google-smtp-source|x-gm-[\w-]+)$/i;

/**
 * A stable Message-ID for a message that has none: a hash of its content without the trace
 * fields, so the same message delivered twice gets the same id and is stored once.
 */
export function derivedMessageId(raw: Buffer): string {
  const { head, body } = splitHeadAndBody(raw);
  const fields = unfoldHeaderFields(head.toString('latin1'))
    .filter((f) => !TRACE_FIELD.test(f.name))
    .map((f) => `${f.name.toLowerCase()}:${f.value.replace(/\s+/g, ' ').trim()}`);
  const normalizedBody = body
    .toString('latin1')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n+$/, '');
  const hash = createHash('sha256')
    .update(fields.join('\n'))
    .update('\n\n')
    .update(normalizedBody, 'latin1');
  return `derived.${hash.digest('hex').slice(0, 40)}@servewell.invalid`;
}

/**
 * The Message-ID a message will be stored under, without parsing it: what the listener's
 * `store` can put under a unique index, so a retried delivery is accepted and not duplicated.
 * Always the same as `parseMessage(raw).messageId`.
 */
export function peekMessageId(raw: Buffer): { messageId: string; derived: boolean } {
  const { head } = splitHeadAndBody(raw);
  const field = unfoldHeaderFields(head.toString('latin1')).find(
    (f) => f.name.toLowerCase() === 'message-id',
  );
  const id = normalizeMessageId(field?.value);
  return id
    ? { messageId: id, derived: false }
    : { messageId: derivedMessageId(raw), derived: true };
}

/** The header section and the body of a raw message, split at the first empty line. */
export function splitHeadAndBody(raw: Buffer): { head: Buffer; body: Buffer } {
  // The message may start with the empty line (no headers at all).
  if (raw[0] === 0x0a) return { head: Buffer.alloc(0), body: raw.subarray(1) };
  if (raw[0] === 0x0d && raw[1] === 0x0a) return { head: Buffer.alloc(0), body: raw.subarray(2) };
  const lf = raw.indexOf('\n\n');
  const crlf = raw.indexOf('\r\n\r\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf))
    return { head: raw.subarray(0, crlf + 2), body: raw.subarray(crlf + 4) };
  if (lf !== -1) return { head: raw.subarray(0, lf + 1), body: raw.subarray(lf + 2) };
  return { head: raw, body: Buffer.alloc(0) };
}

export interface HeaderField {
  name: string;
  value: string;
}

/** Header fields in order with continuation lines unfolded; lines that are not fields are skipped. */
export function unfoldHeaderFields(head: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length) {
      fields[fields.length - 1]!.value += ` ${line.trim()}`;
      continue;
    }
    const m = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:(.*)$/.exec(line);
    if (m) fields.push({ name: m[1]!, value: m[2]!.trim() });
  }
  return fields;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
