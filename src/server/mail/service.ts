// The email channel's use cases for people: what a case shows of its mail, attachment
// downloads, and the admin's addresses, team writing, relay (with a test message) and the IMAP
// mailboxes polled for team addresses (with a test of the connection).
import type { Readable } from 'node:stream';
import type {
  AddressBody,
  CaseMail,
  ImapBody,
  ImapTestResult,
  ImapView,
  InboundMail,
  MailSettingsView,
  MessageHtml,
  OutboundMail,
  RelayBody,
  RelayView,
  TeamAddress,
  TeamWriting,
  TeamWritingBody,
} from '../../contracts/mail.js';
import { requireCase } from '../cases/api.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform } from '../platform/context.js';
import { AppError, badRequest, notFound } from '../platform/errors.js';
import type { SmtpRelaySettings } from '../platform/mailer/index.js';
import { inTransaction } from '../platform/tx.js';
import { NO_RELAY } from './deliver.js';
import { testImapConnection } from './imap.js';
import { queueMail } from './outbox.js';
import * as q from './queries.js';
import { describeRelay, relaySettingsOf } from './relays.js';
import { parseMessage } from './parse.js';
import { addTeamAddressIn, clearImapIn, setImapIn, setRelayIn, setTeamWritingIn } from './settings.js';
import { databaseStore, type AttachmentStore } from './storage.js';
import { INLINE_IMAGE_PREFIX, type InboundDetails } from './thread.js';

export interface MailServiceOptions {
  installRelay: SmtpRelaySettings | null;
  store?: AttachmentStore;
}

const parseJson = <T>(s: string | null, fallback: T): T => {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

// ---- a case's mail ---------------------------------------------------------------------------

export async function caseMail(p: Platform, actor: Actor, ref: string): Promise<CaseMail> {
  const row = await requireCase(p.db, actor, ref);
  const [inbound, outbound, participants] = await Promise.all([
    q.inboundOfCase(p.db, row.id, 200),
    q.outboxOfCase(p.db, row.id, 200),
    q.participantsOf(p.db, row.id),
  ]);
  const files = await q.attachmentsOf(
    p.db,
    inbound.map((m) => m.id),
  );
  return {
    inbound: inbound.map((m): InboundMail => {
      const d = parseJson<Partial<InboundDetails>>(m.details, {});
      return {
        id: m.id,
        entryId: m.entry_id,
        messageId: m.message_id,
        from: m.from_address ? { address: m.from_address, name: m.from_name ?? '' } : null,
        to: d.to ?? [],
        cc: d.cc ?? [],
        subject: m.subject,
        sentAt: m.sent_at,
        receivedAt: m.received_at,
        automatic: m.automatic,
        unparseable: m.unparseable,
        newText: d.text?.newPart ?? '',
        signature: d.text?.signature ?? null,
        quotedText: d.text?.quoted ?? null,
        html: d.html ?? null,
        blockedRemoteImages: d.blockedRemoteImages ?? 0,
        size: m.size,
        attachments: files
          .filter((f) => f.inbound_id === m.id)
          .map((f) => ({
            id: f.id,
            filename: f.filename,
            contentType: f.content_type,
            size: f.size,
            inline: f.inline_at !== null,
            url: `/api/mail/attachments/${f.id}`,
          })),
      };
    }),
    outbound: outbound.reverse().map(toOutboundMail),
    participants: participants.map((x) => ({ id: x.id, address: x.address, name: x.name, removedAt: x.removed_at })),
  };
}

/**
 * One received message's HTML made again from its raw bytes, the remote images kept when the
 * person asked for them ("Show images"). The stored HTML has them blocked for good; parsing
 * again (on this thread: a person waits for it, and it is one message) is the only way back.
 */
export async function messageHtml(p: Platform, actor: Actor, ref: string, id: number, allowRemoteImages: boolean): Promise<MessageHtml> {
  const kase = await requireCase(p.db, actor, ref);
  const row = await q.inboundRaw(p.db, actor.orgId, id);
  if (!row || row.case_id !== kase.id) throw notFound(`Message ${id} of case ${ref}`);
  const parsed = await parseMessage(Buffer.from(row.raw), {
    envelopeFrom: row.mail_from,
    attachmentUrl: (a) => `${INLINE_IMAGE_PREFIX}${a.sha256}`,
    allowRemoteImages,
  });
  if (!parsed.htmlParts) throw new AppError('not_found', `Message ${id} has no HTML; its text is all there is.`);
  return {
    newPart: parsed.htmlParts.newPart,
    quoted: parsed.htmlParts.quoted,
    blockedRemoteImages: parsed.blockedRemoteImages,
    remoteImages: allowRemoteImages,
  };
}

export function toOutboundMail(o: q.OutboxViewRow): OutboundMail {
  const r = parseJson<{ to?: { address: string; name?: string }[]; cc?: { address: string; name?: string }[] }>(o.recipients, {});
  const addr = (list: { address: string; name?: string }[] | undefined) => (list ?? []).map((a) => ({ address: a.address, name: a.name ?? '' }));
  return {
    id: o.id,
    entryId: o.entry_id,
    kind: o.kind,
    messageId: o.message_id,
    to: addr(r.to),
    cc: addr(r.cc),
    subject: o.subject,
    state: o.state,
    stateText: stateText(o),
    attempts: o.attempts,
    lastError: o.last_error,
    nextAttemptAt: o.next_attempt_at,
    relay: o.relay,
    sentAt: o.sent_at,
    createdAt: o.created_at,
  };
}

/** Never claims a patron received what was not delivered. */
function stateText(o: q.OutboxViewRow): string {
  switch (o.state) {
    case 'sent':
      return o.relay === 'catch-all' ? 'Kept in the demo catch-all (not sent to a real address)' : `Sent through ${o.relay ?? 'the relay'}`;
    case 'held':
      return NO_RELAY;
    case 'failed':
      return `Not sent: ${o.last_error ?? 'the relay refused it'}`;
    case 'retrying':
      return `Not sent yet (try ${o.attempts} failed: ${o.last_error ?? 'unknown error'}); trying again`;
    default:
      return 'Sending…';
  }
}

export async function removeParticipant(p: Platform, actor: Actor, ref: string, id: number): Promise<void> {
  await inTransaction(p, async (ctx) => {
    const row = await requireCase(ctx.tx, actor, ref, ctx.lockRows);
    const n = await q.removeParticipant(ctx.tx, row.id, id, ctx.clock.now(), actor.userId);
    if (!n) throw notFound('Participant');
  });
}

// ---- attachments -------------------------------------------------------------------------------

export interface Download {
  filename: string;
  contentType: string;
  size: number;
  stream: Readable;
}

export async function downloadAttachment(p: Platform, actor: Actor, id: number, opts: MailServiceOptions): Promise<Download> {
  const a = await q.attachment(p.db, actor.orgId, id);
  if (!a) throw notFound('Attachment');
  const blob = await (opts.store ?? databaseStore).open(p.db, actor.orgId, a.sha256);
  if (!blob) throw notFound('Attachment');
  return { filename: a.filename, contentType: a.content_type, size: blob.size, stream: blob.stream() };
}

/** Raster images a message shows inline; never SVG or HTML (they could run script). */
const INLINE_TYPES = /^image\/(png|jpe?g|gif|webp|bmp)$/i;

export async function inlineImage(p: Platform, actor: Actor, sha256: string, opts: MailServiceOptions): Promise<Download> {
  const a = await q.inlineImage(p.db, actor.orgId, sha256);
  if (!a || !INLINE_TYPES.test(a.content_type)) throw notFound('Image');
  const blob = await (opts.store ?? databaseStore).open(p.db, actor.orgId, sha256);
  if (!blob) throw notFound('Image');
  return { filename: 'image', contentType: a.content_type.toLowerCase(), size: blob.size, stream: blob.stream() };
}

// ---- admin -----------------------------------------------------------------------------------

export async function mailSettingsView(p: Platform, actor: Actor, opts: MailServiceOptions): Promise<MailSettingsView> {
  const [addresses, teams, writing, imap] = await Promise.all([
    q.teamAddresses(p.db, actor.orgId),
    q.orgTeams(p.db, actor.orgId),
    q.teamMailRows(p.db, actor.orgId),
    q.imapMailboxes(p.db, actor.orgId),
  ]);
  return {
    addresses: addresses.map((a) => ({ id: a.id, teamId: a.team_id, address: a.address })),
    teams: teams.map((t) => {
      const w = writing.find((x) => x.team_id === t.id);
      return { teamId: t.id, teamName: t.name, fromAddress: w?.from_address ?? null, signature: w?.signature ?? null, acknowledge: !w?.acknowledge_off_at };
    }),
    relay: await relayView(p, actor.orgId, opts),
    imap: imap.map(toImapView),
  };
}

async function relayView(p: Platform, orgId: number, opts: MailServiceOptions): Promise<RelayView> {
  const s = await q.mailSettings(p.db, orgId);
  const mode = s?.relay_mode ?? 'default';
  const install = opts.installRelay ? describeRelay(opts.installRelay) : null;
  const own = s ? relaySettingsOf(s) : null;
  return {
    mode,
    host: s?.relay_host ?? null,
    port: s?.relay_port ?? null,
    security: s?.relay_security ?? null,
    username: s?.relay_username ?? null,
    hasPassword: Boolean(s?.relay_password),
    allowSelfSigned: s?.relay_self_signed_ok_at != null,
    installRelay: install,
    effective: mode === 'catch_all' ? 'the built-in catch-all' : mode === 'smtp' ? (own ? describeRelay(own) : null) : install,
  };
}

async function requireTeamOf(p: Platform, orgId: number, teamId: number) {
  const team = (await q.orgTeams(p.db, orgId)).find((t) => t.id === teamId);
  if (!team) throw badRequest('is not a team of this organization', 'teamId');
  return team;
}

export async function addAddress(p: Platform, actor: Actor, body: AddressBody): Promise<TeamAddress> {
  await requireTeamOf(p, actor.orgId, body.teamId);
  return inTransaction(p, async (ctx) => {
    const row = await addTeamAddressIn(ctx, actor.orgId, body.teamId, body.address);
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'mail.address_added', targetType: 'team', targetId: body.teamId, detail: { address: row.address }, ip: actor.ip });
    return { id: row.id, teamId: row.team_id, address: row.address };
  });
}

export async function removeAddress(p: Platform, actor: Actor, id: number): Promise<void> {
  await inTransaction(p, async (ctx) => {
    const row = await q.findTeamAddress(ctx.tx, actor.orgId, id);
    if (!row) throw notFound('Address');
    await q.deleteTeamAddress(ctx.tx, id);
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'mail.address_removed', targetType: 'team', targetId: row.team_id, detail: { address: row.address }, ip: actor.ip });
  });
}

export async function updateTeamWriting(p: Platform, actor: Actor, teamId: number, body: TeamWritingBody): Promise<TeamWriting> {
  const team = await requireTeamOf(p, actor.orgId, teamId);
  await inTransaction(p, async (ctx) => {
    await setTeamWritingIn(ctx, actor.orgId, teamId, { fromAddress: body.fromAddress?.toLowerCase() ?? null, signature: body.signature, acknowledge: body.acknowledge });
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'mail.team_writing', targetType: 'team', targetId: teamId, detail: { acknowledge: body.acknowledge }, ip: actor.ip });
  });
  return { teamId, teamName: team.name, fromAddress: body.fromAddress?.toLowerCase() ?? null, signature: body.signature, acknowledge: body.acknowledge };
}

export async function updateRelay(p: Platform, actor: Actor, body: RelayBody, opts: MailServiceOptions): Promise<RelayView> {
  await inTransaction(p, async (ctx) => {
    await setRelayIn(ctx, actor.orgId, body);
    // Never the password in the audit log.
    const detail = body.mode === 'smtp' ? { mode: body.mode, host: body.host, port: body.port, security: body.security } : { mode: body.mode };
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'mail.relay_changed', targetType: 'organization', targetId: actor.orgId, detail, ip: actor.ip });
  });
  return relayView(p, actor.orgId, opts);
}

export async function sendTestMessage(p: Platform, actor: Actor, to: string): Promise<OutboundMail> {
  const id = await inTransaction(p, async (ctx) => {
    const queued = await queueMail(ctx, {
      orgId: actor.orgId,
      kind: 'test',
      to: [{ address: to }],
      subject: 'Servewell test message',
      text: `This is a test message from Servewell, sent by ${actor.name} to check the relay settings.\nNo reply is needed.`,
      byUserId: actor.userId,
    });
    if (!queued) throw badRequest('is one of this organization’s own addresses', 'to');
    return queued.id;
  });
  return outboxItem(p, actor, id);
}

export async function outboxItem(p: Platform, actor: Actor, id: number): Promise<OutboundMail> {
  const row = await q.outboxView(p.db, actor.orgId, id);
  if (!row) throw notFound('Message');
  return toOutboundMail(row);
}

// ---- IMAP mailboxes polled for team addresses -------------------------------------------------

function toImapView(r: q.ImapViewRow): ImapView {
  return {
    addressId: r.address_id,
    address: r.address,
    teamId: r.team_id,
    host: r.host,
    port: r.port,
    security: r.security,
    username: r.username,
    // Saving requires one; it is never sent back.
    hasPassword: true,
    allowSelfSigned: r.self_signed_ok_at !== null,
    mailbox: r.mailbox,
    afterStore: r.move_to ? 'move' : 'flag',
    moveTo: r.move_to,
    lastPolledAt: r.last_polled_at,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    failures: r.failures,
    notice: r.notice,
    nextPollAt: r.next_poll_at,
    storedCount: r.stored_count,
  };
}

const imapInput = (body: ImapBody) => ({
  host: body.host,
  port: body.port,
  security: body.security,
  username: body.username,
  password: body.password,
  allowSelfSigned: body.allowSelfSigned,
  mailbox: body.mailbox,
  moveTo: body.afterStore === 'move' ? body.moveTo : null,
});

export async function updateImap(p: Platform, actor: Actor, addressId: number, body: ImapBody): Promise<ImapView> {
  const input = imapInput(body);
  await inTransaction(p, async (ctx) => {
    await setImapIn(ctx, actor.orgId, addressId, input);
    // Never the password in the audit log.
    const { password: _password, ...detail } = input;
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'mail.imap_set', targetType: 'team_address', targetId: addressId, detail, ip: actor.ip });
  });
  const row = (await q.imapMailboxes(p.db, actor.orgId)).find((m) => m.address_id === addressId);
  if (!row) throw notFound('IMAP mailbox');
  return toImapView(row);
}

export async function clearImap(p: Platform, actor: Actor, addressId: number): Promise<void> {
  await inTransaction(p, async (ctx) => {
    await clearImapIn(ctx, actor.orgId, addressId);
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'mail.imap_cleared', targetType: 'team_address', targetId: addressId, ip: actor.ip });
  });
}

/** Signs in with these settings (the stored password when none is given) and saves nothing. */
export async function testImap(p: Platform, actor: Actor, addressId: number, body: ImapBody): Promise<ImapTestResult> {
  if (!(await q.findTeamAddress(p.db, actor.orgId, addressId))) throw notFound('Address');
  const password = body.password ?? (await q.imapOfAddress(p.db, actor.orgId, addressId))?.password;
  if (!password) throw badRequest('is required', 'password');
  return testImapConnection({ ...imapInput(body), password });
}
