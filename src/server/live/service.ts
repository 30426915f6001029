// Presence on a case, for the collision warning: who else has it open, and who is writing.
// Kept in the database (not in memory) so that every app instance sees the same picture.
import type { PresenceView } from '../../contracts/live.js';
import { formatRef, requireCase } from '../cases/api.js';
import type { Actor } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { inTransaction } from '../platform/tx.js';
import * as q from './queries.js';

/** A browser renews its presence every 15 s; a silent one drops out after this. */
export const PRESENCE_TTL_MS = 45_000;

export async function others(p: Platform, actor: Actor, ref: string): Promise<PresenceView> {
  const row = await requireCase(p.db, actor, ref);
  const rows = await q.othersOn(p.db, row.id, actor.userId, p.clock.now());
  return { others: rows.map((r) => ({ userId: r.user_id, name: r.name, state: r.state, since: r.since })) };
}

export async function announce(p: Platform, actor: Actor, ref: string, state: 'viewing' | 'composing'): Promise<PresenceView> {
  await inTransaction(p, async (ctx) => {
    const row = await requireCase(ctx.tx, actor, ref);
    const now = ctx.clock.now();
    const before = await q.myPresence(ctx.tx, row.id, actor.userId);
    const continuing = !!before && before.state === state && before.expires_at > now;
    const since = continuing ? before.since : now;
    await q.dropExpiredPresence(ctx.tx, row.id, now);
    await q.upsertPresence(ctx.tx, {
      caseId: row.id,
      userId: actor.userId,
      orgId: actor.orgId,
      state,
      since,
      expiresAt: now + PRESENCE_TTL_MS,
    });
    // Only a change in who is here, or in what they do, is news for the others.
    if (!continuing) {
      ctx.emit({ type: 'presence', orgId: actor.orgId, caseId: row.id, ref: formatRef(actor.casePrefix, row.number) });
    }
  });
  return others(p, actor, ref);
}

export async function leave(p: Platform, actor: Actor, ref: string): Promise<void> {
  await inTransaction(p, async (ctx) => {
    const row = await requireCase(ctx.tx, actor, ref);
    if (await q.deletePresence(ctx.tx, row.id, actor.userId)) {
      ctx.emit({ type: 'presence', orgId: actor.orgId, caseId: row.id, ref: formatRef(actor.casePrefix, row.number) });
    }
  });
}
