// Reads the pieces of a message into values safe to store and show: header bytes in legacy
// charsets, dates, addresses, attachment names and hashes.
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import type { AddressObject, EmailAddress, ParsedMail } from 'mailparser';

export interface MailAddress {
  /** Lower-cased, so one patron's address matches however their mail program wrote it. */
  address: string;
  /** The display name, '' when none was given. */
  name: string;
}

export interface ParsedAttachment {
  /** Safe as a download name: no path, no control characters; invented when the part had none. */
  filename: string;
  contentType: string;
  size: number;
  /** The Content-ID without angle brackets, for `cid:` links; null when the part had none. */
  contentId: string | null;
  /** Shown inside the message (an image the HTML refers to) rather than listed as a file. */
  inline: boolean;
  /** Hex SHA-256 of the content: the key for content-addressed storage. */
  sha256: string;
  content: Buffer;
}

/**
 * Header lines must be ASCII (or UTF-8 under SMTPUTF8). A line with other 8-bit bytes was
 * almost always written in the sender's legacy charset: read it as Windows-1252 (a superset of
 * ISO-8859-1) rather than let it turn into replacement characters. Control characters go too.
 */
export function repairHeaderBytes(head: Buffer, warnings: string[]): Buffer {
  let repaired = false;
  const lines = head
    .toString('latin1')
    .split('\n')
    .map((latin1Line) => {
      let line = Buffer.from(latin1Line, 'latin1');
      if (!isValidUtf8(line)) {
        line = Buffer.from(iconv.decode(line, 'win1252'), 'utf8');
        repaired = true;
      }
      const text = line.toString('utf8');
      const clean = text.replace(CONTROL_CHARACTERS, '');
      if (clean !== text) repaired = true;
      return clean;
    });
  if (repaired)
    warnings.push('Header lines with 8-bit or control characters were read as Windows-1252.');
  return Buffer.from(lines.join('\n'), 'utf8');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function isValidUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function readDate(value: string | null, warnings: string[]): number | null {
  if (!value) return null;
  const t = Date.parse(
    value
      .replace(/\([^)]*\)/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  if (Number.isNaN(t)) {
    warnings.push(`The Date header could not be read: ${value.slice(0, 80)}`);
    return null;
  }
  return t;
}

/** PostgreSQL text cannot hold NUL, and no reader wants the other C0 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
export function cleanText(s: string): string {
  return s.replace(CONTROL_CHARACTERS, '');
}

function flatten(list: EmailAddress[]): EmailAddress[] {
  return list.flatMap((a) => (a.group ? flatten(a.group) : [a]));
}

export function addresses(header: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const seen = new Set<string>();
  const out: MailAddress[] = [];
  for (const a of flatten(objects.flatMap((o) => o.value))) {
    const address = cleanText(a.address ?? '')
      .trim()
      .toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(address) || seen.has(address)) continue;
    seen.add(address);
    out.push({
      address,
      name: cleanText(a.name ?? '')
        .replace(/\s+/g, ' ')
        .trim(),
    });
  }
  return out;
}

export const firstAddress = (header: AddressObject | undefined) => addresses(header)[0] ?? null;

export function toAttachment(
  a: ParsedMail['attachments'][number],
  index: number,
): ParsedAttachment {
  const contentType = (a.contentType || 'application/octet-stream').toLowerCase();
  return {
    filename: safeFilename(a.filename, contentType, index),
    contentType,
    size: a.content.length,
    contentId: a.cid ? cleanText(a.cid).trim() || null : null,
    inline: false,
    // mailparser hashes with the algorithm we asked for; recomputed only if it did not.
    sha256:
      a.checksum?.length === 64 ? a.checksum : createHash('sha256').update(a.content).digest('hex'),
    content: a.content,
  };
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'message/rfc822': '.eml',
  'message/delivery-status': '.txt',
  'text/rfc822-headers': '.txt',
};

/** The last path segment, without control or reserved characters, at most 200 characters. */
export function safeFilename(
  given: string | undefined,
  contentType: string,
  index: number,
): string {
  const base = cleanText(given ?? '')
    .split(/[/\\]/)
    .pop()!
    .replace(/[<>:"|?*\u0080-\u009f]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(-200);
  return base || `attachment-${index + 1}${EXTENSIONS[contentType] ?? '.bin'}`;
}
