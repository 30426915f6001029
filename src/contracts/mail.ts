// The email channel's API: what a case shows of its mail (messages received with their parts
// and attachments, replies with their delivery state, people copied), attachment downloads,
// and the admin's team addresses and relay settings with a "send a test message", and the
// IMAP mailboxes polled for team addresses with a "test connection".
import { z } from 'zod';
import { Id, Ok } from './common.js';
import { endpoint } from './endpoint.js';

const tags = ['mail'] as const;

export const MailAddress = z.object({ address: z.string(), name: z.string() });
export type MailAddress = z.output<typeof MailAddress>;
export type MailAddressInput = z.input<typeof MailAddress>;

export const MailAttachment = z.object({
  id: z.number(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  /** Shown inside the message's HTML (an inline image), not listed as a file. */
  inline: z.boolean(),
  url: z.string(),
});
export type MailAttachment = z.output<typeof MailAttachment>;
export type MailAttachmentInput = z.input<typeof MailAttachment>;

export const InboundMail = z.object({
  id: z.number(),
  entryId: z.number().nullable(),
  messageId: z.string(),
  from: MailAddress.nullable(),
  to: z.array(MailAddress),
  cc: z.array(MailAddress),
  subject: z.string().nullable(),
  sentAt: z.number().nullable(),
  receivedAt: z.number(),
  /** auto_reply | bounce | bulk: stored, never answered automatically. */
  automatic: z.enum(['auto_reply', 'bounce', 'bulk']).nullable(),
  unparseable: z.string().nullable(),
  /** What the sender wrote this time, then the quoted history (folded on screen). */
  newText: z.string(),
  signature: z.string().nullable(),
  quotedText: z.string().nullable(),
  /** Sanitized HTML, safe to show in a sandboxed frame; null without an HTML part. */
  html: z.object({ newPart: z.string(), quoted: z.string().nullable() }).nullable(),
  blockedRemoteImages: z.number(),
  size: z.number(),
  attachments: z.array(MailAttachment),
});
export type InboundMail = z.output<typeof InboundMail>;
export type InboundMailInput = z.input<typeof InboundMail>;

export const OUTBOX_STATES = ['queued', 'sending', 'retrying', 'held', 'sent', 'failed'] as const;
export const OutboundMail = z.object({
  id: z.number(),
  entryId: z.number().nullable(),
  kind: z.enum(['reply', 'acknowledgement', 'notification', 'test']),
  messageId: z.string(),
  to: z.array(MailAddress),
  cc: z.array(MailAddress),
  subject: z.string(),
  state: z.enum(OUTBOX_STATES),
  /** In words, for the case: "Sent", "Not sent: no relay configured", "Retrying at …". */
  stateText: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.number().nullable(),
  relay: z.string().nullable(),
  sentAt: z.number().nullable(),
  createdAt: z.number(),
});
export type OutboundMail = z.output<typeof OutboundMail>;
export type OutboundMailInput = z.input<typeof OutboundMail>;

export const Participant = z.object({ id: z.number(), address: z.string(), name: z.string(), removedAt: z.number().nullable() });
export type Participant = z.output<typeof Participant>;
export type ParticipantInput = z.input<typeof Participant>;

export const CaseMail = z.object({
  inbound: z.array(InboundMail),
  outbound: z.array(OutboundMail),
  participants: z.array(Participant),
});
export type CaseMail = z.output<typeof CaseMail>;
export type CaseMailInput = z.input<typeof CaseMail>;

export const CaseRefParams = z.object({ ref: z.string().min(1).max(30) });
export type CaseRefParams = z.output<typeof CaseRefParams>;
export type CaseRefParamsInput = z.input<typeof CaseRefParams>;

export const ParticipantParams = z.object({ ref: z.string().min(1).max(30), id: Id });
export type ParticipantParams = z.output<typeof ParticipantParams>;
export type ParticipantParamsInput = z.input<typeof ParticipantParams>;

/** One received message of a case, by its id (`InboundMail.id`). */
export const InboundParams = z.object({ ref: z.string().min(1).max(30), id: Id });
export type InboundParams = z.output<typeof InboundParams>;
export type InboundParamsInput = z.input<typeof InboundParams>;

export const MessageHtmlQuery = z.object({
  /** `1`: keep the remote images (loading them tells the sender the mail was read). */
  images: z.enum(['0', '1']).default('0'),
});
export type MessageHtmlQuery = z.output<typeof MessageHtmlQuery>;
export type MessageHtmlQueryInput = z.input<typeof MessageHtmlQuery>;

/** A received message's HTML made again from the stored raw message, sanitized like `InboundMail.html`. */
export const MessageHtml = z.object({
  newPart: z.string(),
  quoted: z.string().nullable(),
  /** Remote images left out (0 when they were asked for). */
  blockedRemoteImages: z.number(),
  remoteImages: z.boolean(),
});
export type MessageHtml = z.output<typeof MessageHtml>;
export type MessageHtmlInput = z.input<typeof MessageHtml>;

export const IdParams = z.object({ id: Id });
export type IdParams = z.output<typeof IdParams>;
export type IdParamsInput = z.input<typeof IdParams>;

export const BlobParams = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a content hash') });
export type BlobParams = z.output<typeof BlobParams>;
export type BlobParamsInput = z.input<typeof BlobParams>;

/** A file download: the bytes, with its type and Content-Disposition. */
export const FileBytes = z.string().meta({ format: 'binary' });
export type FileBytes = z.output<typeof FileBytes>;
export type FileBytesInput = z.input<typeof FileBytes>;

// ---- admin: addresses, how teams write, the relay ----------------------------------------------

export const TeamAddress = z.object({ id: z.number(), teamId: z.number(), address: z.string() });
export type TeamAddress = z.output<typeof TeamAddress>;
export type TeamAddressInput = z.input<typeof TeamAddress>;

export const TeamWriting = z.object({
  teamId: z.number(),
  teamName: z.string(),
  fromAddress: z.string().nullable(),
  signature: z.string().nullable(),
  acknowledge: z.boolean(),
});
export type TeamWriting = z.output<typeof TeamWriting>;
export type TeamWritingInput = z.input<typeof TeamWriting>;

export const RELAY_SECURITY = ['starttls', 'tls', 'none'] as const;
export const RelayView = z.object({
  mode: z.enum(['default', 'smtp', 'catch_all']),
  host: z.string().nullable(),
  port: z.number().nullable(),
  security: z.enum(RELAY_SECURITY).nullable(),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  allowSelfSigned: z.boolean(),
  /** The relay set for the whole install (SMTP_RELAY_URL), used in mode "default". */
  installRelay: z.string().nullable(),
  /** Where mail goes now, in words: "smtp://relay:587", "the built-in catch-all", or null: held. */
  effective: z.string().nullable(),
});
export type RelayView = z.output<typeof RelayView>;
export type RelayViewInput = z.input<typeof RelayView>;

export const IMAP_SECURITY = ['tls', 'starttls', 'none'] as const;
export const IMAP_AFTER_STORE = ['flag', 'move'] as const;
export const DEFAULT_IMAP_FOLDER = 'Servewell/Processed';

/** A mailbox polled for a team address: its settings (never the password) and how polling goes. */
export const ImapView = z.object({
  addressId: z.number(),
  address: z.string(),
  teamId: z.number(),
  host: z.string(),
  port: z.number(),
  security: z.enum(IMAP_SECURITY),
  username: z.string(),
  hasPassword: z.boolean(),
  allowSelfSigned: z.boolean(),
  mailbox: z.string(),
  /** flag: \Seen and a keyword, left in place; move: to `moveTo`. */
  afterStore: z.enum(IMAP_AFTER_STORE),
  moveTo: z.string().nullable(),
  /** The last poll that went through. */
  lastPolledAt: z.number().nullable(),
  /** Why the polls since then failed (a refused password, a host that does not answer). */
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
  /** Failed polls in a row; each waits longer (1, 2, 4… up to 30 minutes). */
  failures: z.number(),
  /** Something to know that is not a failure: a message too large to store, left in place. */
  notice: z.string().nullable(),
  nextPollAt: z.number(),
  /** Messages stored from this mailbox so far (a message already stored is not counted twice). */
  storedCount: z.number(),
});
export type ImapView = z.output<typeof ImapView>;
export type ImapViewInput = z.input<typeof ImapView>;

export const MailSettingsView = z.object({
  addresses: z.array(TeamAddress),
  teams: z.array(TeamWriting),
  relay: RelayView,
  imap: z.array(ImapView),
});
export type MailSettingsView = z.output<typeof MailSettingsView>;
export type MailSettingsViewInput = z.input<typeof MailSettingsView>;

const Email = z.string().trim().max(254).pipe(z.email('is not an email address'));

export const AddressBody = z.object({ teamId: Id, address: Email });
export type AddressBody = z.output<typeof AddressBody>;
export type AddressBodyInput = z.input<typeof AddressBody>;

export const TeamWritingBody = z.object({
  fromAddress: Email.nullable(),
  signature: z.string().max(2000).nullable(),
  acknowledge: z.boolean(),
});
export type TeamWritingBody = z.output<typeof TeamWritingBody>;
export type TeamWritingBodyInput = z.input<typeof TeamWritingBody>;

export const TeamParams = z.object({ teamId: Id });
export type TeamParams = z.output<typeof TeamParams>;
export type TeamParamsInput = z.input<typeof TeamParams>;

export const RelayBody = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('default') }),
  z.object({ mode: z.literal('catch_all') }),
  z.object({
    mode: z.literal('smtp'),
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    security: z.enum(RELAY_SECURITY),
    username: z.string().max(200).nullable(),
    /** Left out: keep the stored one. */
    password: z.string().max(500).nullable().optional(),
    allowSelfSigned: z.boolean(),
  }),
]);
export type RelayBody = z.output<typeof RelayBody>;
export type RelayBodyInput = z.input<typeof RelayBody>;

/** A server on this machine: the only place a password may travel without TLS. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;
const MailboxName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((v) => ![...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), 'may not hold control characters');

export const ImapBody = z
  .object({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    security: z.enum(IMAP_SECURITY),
    username: z.string().trim().min(1).max(200),
    /** Left out: keep the stored one (required the first time). */
    password: z.string().min(1).max(500).optional(),
    allowSelfSigned: z.boolean(),
    /** Folders below the top level as "Parent/Child", whatever the server's own separator. */
    mailbox: MailboxName.default('INBOX'),
    afterStore: z.enum(IMAP_AFTER_STORE),
    /** Where stored messages go when `afterStore` is "move". */
    moveTo: MailboxName.default(DEFAULT_IMAP_FOLDER),
  })
  .superRefine((b, ctx) => {
    if (b.security === 'none' && !LOOPBACK.test(b.host)) {
      ctx.addIssue({ code: 'custom', path: ['security'], message: 'may be “none” only for a server on this machine (localhost); use TLS or STARTTLS' });
    }
    if (b.afterStore === 'move' && b.moveTo.toLowerCase() === b.mailbox.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['moveTo'], message: 'must be another folder than the one polled' });
    }
  });
export type ImapBody = z.output<typeof ImapBody>;
export type ImapBodyInput = z.input<typeof ImapBody>;

export const ImapTestResult = z.object({
  ok: z.boolean(),
  /** What happened, in words: "Signed in. “INBOX” holds 3 messages…", or what went wrong. */
  message: z.string(),
  messages: z.number().nullable(),
});
export type ImapTestResult = z.output<typeof ImapTestResult>;
export type ImapTestResultInput = z.input<typeof ImapTestResult>;

export const TestMailBody = z.object({ to: Email });
export type TestMailBody = z.output<typeof TestMailBody>;
export type TestMailBodyInput = z.input<typeof TestMailBody>;

export const mailApi = {
  caseMail: endpoint({ method: 'GET', path: '/api/cases/:ref/mail', tags, params: CaseRefParams, replies: { 200: CaseMail } }),
  messageHtml: endpoint({
    method: 'GET',
    path: '/api/cases/:ref/mail/:id/html',
    tags,
    summary: 'One received message’s HTML, with its remote images when asked for',
    description:
      'Made again from the stored raw message. `images=1` keeps the remote images the sender linked; without it they are counted and left out, as in the case’s mail. 404 when the case, the message or its HTML is not there.',
    params: InboundParams,
    query: MessageHtmlQuery,
    replies: { 200: MessageHtml },
  }),
  removeParticipant: endpoint({
    method: 'DELETE',
    path: '/api/cases/:ref/participants/:id',
    tags,
    summary: 'Stop copying someone on the case’s replies',
    params: ParticipantParams,
    replies: { 200: Ok },
  }),
  attachment: endpoint({
    method: 'GET',
    path: '/api/mail/attachments/:id',
    tags,
    summary: 'Download an attachment (always as a file, never shown inline)',
    params: IdParams,
    replies: { 200: FileBytes },
  }),
  inlineImage: endpoint({
    method: 'GET',
    path: '/api/mail/blobs/:sha256',
    tags,
    summary: 'An image a message shows inline (cid:), by its content hash',
    params: BlobParams,
    replies: { 200: FileBytes },
  }),
  settings: endpoint({ method: 'GET', path: '/api/admin/mail', tags, replies: { 200: MailSettingsView } }),
  addAddress: endpoint({ method: 'POST', path: '/api/admin/mail/addresses', tags, body: AddressBody, replies: { 201: TeamAddress } }),
  removeAddress: endpoint({ method: 'DELETE', path: '/api/admin/mail/addresses/:id', tags, params: IdParams, replies: { 200: Ok } }),
  setTeamWriting: endpoint({
    method: 'PUT',
    path: '/api/admin/mail/teams/:teamId',
    tags,
    params: TeamParams,
    body: TeamWritingBody,
    replies: { 200: TeamWriting },
  }),
  setRelay: endpoint({ method: 'PUT', path: '/api/admin/mail/relay', tags, body: RelayBody, replies: { 200: RelayView } }),
  sendTest: endpoint({
    method: 'POST',
    path: '/api/admin/mail/test',
    tags,
    summary: 'Send a test message through the relay (delivered by the outbox like any mail)',
    body: TestMailBody,
    replies: { 202: OutboundMail },
  }),
  outboxItem: endpoint({ method: 'GET', path: '/api/admin/mail/outbox/:id', tags, params: IdParams, replies: { 200: OutboundMail } }),
  setImap: endpoint({
    method: 'PUT',
    path: '/api/admin/mail/addresses/:id/imap',
    tags,
    summary: 'Poll an IMAP mailbox for a team address (or change its settings); a poll starts at once',
    params: IdParams,
    body: ImapBody,
    replies: { 200: ImapView },
  }),
  clearImap: endpoint({
    method: 'DELETE',
    path: '/api/admin/mail/addresses/:id/imap',
    tags,
    summary: 'Stop polling the address’s IMAP mailbox (what was stored stays)',
    params: IdParams,
    replies: { 200: Ok },
  }),
  testImap: endpoint({
    method: 'POST',
    path: '/api/admin/mail/addresses/:id/imap/test',
    tags,
    summary: 'Sign in to an IMAP mailbox and open it read-only, without saving (password left out: the stored one)',
    params: IdParams,
    body: ImapBody,
    replies: { 200: ImapTestResult },
  }),
};
