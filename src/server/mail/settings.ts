// Inside a transaction: the addresses a team receives mail at, how it writes, the
// organization's relay, and the IMAP mailboxes polled for a team address. The admin's use
// cases (service.ts) and the demo seed call these.
import type { ImapSecurity, RelaySecurity } from '../db/types.js';
import type { TxContext } from '../platform/context.js';
import { badRequest, conflict, isUniqueViolation, notFound } from '../platform/errors.js';
import { imapPollKind, releaseKind } from './jobs.js';
import * as q from './queries.js';

/** Gives a team one more address. An address belongs to one team of one organization. */
export async function addTeamAddressIn(ctx: TxContext, orgId: number, teamId: number, address: string) {
  const normalized = address.trim().toLowerCase();
  try {
    return await q.insertTeamAddress(ctx.tx, { org_id: orgId, team_id: teamId, address: normalized, created_at: ctx.clock.now() });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`${normalized} already receives mail for a team.`, 'address');
    throw err;
  }
}

export interface TeamWriting {
  fromAddress: string | null;
  signature: string | null;
  acknowledge: boolean;
}

export async function setTeamWritingIn(ctx: TxContext, orgId: number, teamId: number, w: TeamWriting): Promise<void> {
  const now = ctx.clock.now();
  await q.saveTeamMail(ctx.tx, {
    team_id: teamId,
    org_id: orgId,
    from_address: w.fromAddress,
    signature: w.signature,
    acknowledge_off_at: w.acknowledge ? null : now,
    updated_at: now,
  });
}

export type RelayInput =
  | { mode: 'default' }
  | { mode: 'catch_all' }
  | {
      mode: 'smtp';
      host: string;
      port: number;
      security: RelaySecurity;
      username: string | null;
      /** Undefined: keep the stored one. */
      password?: string | null | undefined;
      allowSelfSigned: boolean;
    };

/** Stores the organization's relay, and lets its held mail go once there is one. */
export async function setRelayIn(ctx: TxContext, orgId: number, relay: RelayInput): Promise<void> {
  const now = ctx.clock.now();
  const before = await q.mailSettings(ctx.tx, orgId);
  const smtp = relay.mode === 'smtp' ? relay : null;
  await q.saveMailSettings(ctx.tx, {
    org_id: orgId,
    relay_mode: relay.mode,
    relay_host: smtp?.host ?? null,
    relay_port: smtp?.port ?? null,
    relay_security: smtp?.security ?? null,
    relay_username: smtp?.username ?? null,
    relay_password: smtp ? (smtp.password === undefined ? (before?.relay_password ?? null) : smtp.password) : null,
    relay_self_signed_ok_at: smtp?.allowSelfSigned ? now : null,
    updated_at: now,
  });
  await ctx.jobs.enqueue(releaseKind, { orgId }, { orgId, uniqueKey: `mail.release:${orgId}:settings:${now}` });
}

export interface ImapInput {
  host: string;
  port: number;
  security: ImapSecurity;
  username: string;
  /** Undefined: keep the stored one (required the first time). */
  password?: string | undefined;
  allowSelfSigned: boolean;
  mailbox: string;
  /** Null: flag stored messages and leave them; else move them to this folder. */
  moveTo: string | null;
}

/**
 * Polls the mailbox for a team address from now on (or with new settings), and queues a poll
 * at once. The password is stored as the relay's is; it never leaves the server again. Another
 * server, account or mailbox starts from its first message (what is stored already stays once).
 */
export async function setImapIn(ctx: TxContext, orgId: number, addressId: number, input: ImapInput): Promise<number> {
  const now = ctx.clock.now();
  if (!(await q.findTeamAddress(ctx.tx, orgId, addressId))) throw notFound('Address');
  const before = await q.imapOfAddress(ctx.tx, orgId, addressId);
  const password = input.password ?? before?.password;
  if (!password) throw badRequest('is required', 'password');
  const elsewhere =
    !before || before.host !== input.host || before.port !== input.port || before.username !== input.username || before.mailbox !== input.mailbox;
  // Strictly later than the settings a running poll holds, so its writes are refused.
  const settingsAt = Math.max(now, (before?.settings_at ?? 0) + 1);
  const { id } = await q.saveImap(
    ctx.tx,
    {
      org_id: orgId,
      address_id: addressId,
      host: input.host,
      port: input.port,
      security: input.security,
      username: input.username,
      password,
      self_signed_ok_at: input.allowSelfSigned ? now : null,
      mailbox: input.mailbox,
      move_to: input.moveTo,
      settings_at: settingsAt,
      last_polled_at: before && !elsewhere ? before.last_polled_at : null,
      last_error: null,
      last_error_at: null,
      failures: 0,
      notice: null,
      next_poll_at: now,
      polling_until: null,
      created_at: now,
      updated_at: now,
    },
    elsewhere,
  );
  await ctx.jobs.enqueue(imapPollKind, { mailboxId: id }, { orgId, uniqueKey: `mail.imap-poll:${id}:settings:${settingsAt}` });
  return id;
}

/** Stops polling for the address; what was stored stays. */
export async function clearImapIn(ctx: TxContext, orgId: number, addressId: number): Promise<void> {
  if (!(await q.deleteImap(ctx.tx, orgId, addressId))) throw notFound('IMAP mailbox');
}
