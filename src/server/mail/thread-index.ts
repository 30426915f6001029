// Outlook's Thread-Index header ([MS-OXOMSG] PidTagConversationIndex): a 22-byte header block
// (time + conversation GUID) and one 5-byte child block per reply. Outlook groups a
// conversation by it when In-Reply-To is not enough, so our replies continue the patron's.
import { createHash } from 'node:crypto';

// 100-nanosecond intervals between 1601-01-01 (FILETIME's epoch) and 1970-01-01.
const FILETIME_UNIX_OFFSET = 116_444_736_000_000_000n;
const toFiletime = (epochMs: number) =>
  BigInt(Math.floor(epochMs)) * 10_000n + FILETIME_UNIX_OFFSET;

export interface DecodedThreadIndex {
  /** When the conversation started, epoch ms (to the precision the header keeps). */
  startedAt: number;
  /** The conversation's GUID, hex. */
  guid: string;
  /** Replies recorded after the first message. */
  replies: number;
}

export function decodeThreadIndex(value: string): DecodedThreadIndex | null {
  const bytes = Buffer.from(value.replace(/\s+/g, ''), 'base64');
  if (bytes.length < 22 || (bytes.length - 22) % 5 !== 0) return null;
  const filetime = bytes.readUIntBE(0, 6) * 65536;
  return {
    startedAt: Math.round((filetime - Number(FILETIME_UNIX_OFFSET)) / 10_000),
    guid: bytes.subarray(6, 22).toString('hex'),
    replies: (bytes.length - 22) / 5,
  };
}

/**
 * The Thread-Index for a message sent at `date`: the parent's with one child block appended
 * when the message answered carried one, else a new conversation whose GUID is derived from
 * `conversationKey` (the thread's first Message-ID), so every reply in a thread agrees.
 */
export function threadIndexFor(options: {
  parent?: string | null;
  conversationKey: string;
  date: number;
  /** Varies the child block's random nibble deterministically (the message's own id). */
  salt: string;
}): string {
  const now = toFiletime(options.date);
  const parent = options.parent ? Buffer.from(options.parent.replace(/\s+/g, ''), 'base64') : null;
  if (parent && parent.length >= 22 && (parent.length - 22) % 5 === 0) {
    const started = BigInt(parent.readUIntBE(0, 6)) << 16n;
    const delta = now > started ? now - started : 0n;
    // Code 0 keeps bits 18–48 of the delta (up to about 1.7 years), code 1 bits 23–53.
    const [code, kept] = delta >> 49n === 0n ? [0n, delta >> 18n] : [1n, delta >> 23n];
    const high = (code << 31n) | (kept & 0x7fff_ffffn);
    const nibble = createHash('sha256').update(options.salt).digest()[0]! & 0xf0;
    const child = Buffer.alloc(5);
    child.writeUInt32BE(Number(high), 0);
    child[4] = nibble;
    return Buffer.concat([parent, child]).toString('base64');
  }
  const header = Buffer.alloc(22);
  header.writeUIntBE(Number(now >> 16n), 0, 6);
  createHash('sha256').update(options.conversationKey).digest().copy(header, 6, 0, 16);
  return header.toString('base64');
}
