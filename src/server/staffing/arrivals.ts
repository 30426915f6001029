// Arrivals counted as cases arrive: one upsert per case in the transaction that opens it, so
// the per-hour counts the forecast reads are exact (they commit or roll back with the case).
import type { CaseChannel } from '../db/types.js';
import { findOrg } from '../admin/api.js';
import type { TxContext } from '../platform/context.js';
import { localTime } from './calendar.js';
import { countArrival } from './queries.js';

export interface Arrival {
  orgId: number;
  teamId: number | null;
  channel: CaseChannel;
  /** Whether the patron reached us (an outbound call we logged is not an arrival). */
  direction: 'in' | 'out';
  at: number;
}

/**
 * Counts a case's arrival in its team's channel and local hour. A case with no team, an
 * internal one or one we started is not demand on a team and is not counted. A case moved to
 * another team later stays counted where it arrived: that team answered the phone.
 */
export async function recordArrival(ctx: TxContext, a: Arrival): Promise<void> {
  if (a.teamId === null || a.channel === 'internal' || a.direction === 'out') return;
  const org = await findOrg(ctx.tx, a.orgId);
  if (!org) return;
  const { day, hour } = localTime(org.time_zone, a.at);
  await countArrival(ctx.tx, { orgId: a.orgId, teamId: a.teamId, channel: a.channel, day, hour });
}
