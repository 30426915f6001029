// Inside a transaction: the addresses a team receives mail at, how it writes, and the
// organization's relay. The admin's use cases (settings-service.ts) and the demo seed call these.
import type { RelaySecurity } from '../db/types.js';
import type { TxContext } from '../platform/context.js';
import { conflict, isUniqueViolation } from '../platform/errors.js';
import { releaseKind } from './jobs.js';
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
