// Presence on a case, for the collision warning: who else has it open, and who is writing.
// Kept in the database (not in memory) so that every app instance sees the same picture.
import type { PresenceView } from '../../contracts/live.js';
import { requireCase } from '../cases/service.js';
import { formatRef } from '../cases/views.js';
import type { Actor, Platform } from '../platform/context.js';
import { inTransaction } from '../platform/tx.js';

/** A browser renews its presence every 15 s; a silent one drops out after this. */
export const PRESENCE_TTL_MS = 45_000;

export async function others(p: Platform, actor: Actor, ref: string): Promise<PresenceView> {
  const row = await requireCase(p.db, actor, ref);
  const rows = await p.db
    .selectFrom('case_presence as cp')
    .innerJoin('users as u', 'u.id', 'cp.user_id')
    .select(['cp.user_id', 'u.name', 'cp.state', 'cp.since'])
    .where('cp.case_id', '=', row.id)
    .where('cp.user_id', '!=', actor.userId)
    .where('cp.expires_at', '>', p.clock.now())
    .orderBy('cp.since')
    .limit(20)
    .execute();
  return { others: rows.map((r) => ({ userId: r.user_id, name: r.name, state: r.state, since: r.since })) };
}

export async function announce(
  p: Platform,
  actor: Actor,
  ref: string,
  state: 'viewing' | 'composing',
): Promise<PresenceView> {
  await inTransaction(p, async (tx, emit) => {
    const row = await requireCase(tx, actor, ref);
    const now = p.clock.now();
    const before = await tx
      .selectFrom('case_presence')
      .select(['state', 'since', 'expires_at'])
      .where('case_id', '=', row.id)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    const continuing = !!before && before.state === state && before.expires_at > now;
    const since = continuing ? before.since : now;
    await tx.deleteFrom('case_presence').where('case_id', '=', row.id).where('expires_at', '<=', now).execute();
    await tx
      .insertInto('case_presence')
      .values({
        case_id: row.id,
        user_id: actor.userId,
        org_id: actor.orgId,
        state,
        since,
        expires_at: now + PRESENCE_TTL_MS,
      })
      .onConflict((oc) =>
        oc.columns(['case_id', 'user_id']).doUpdateSet({ state, since, expires_at: now + PRESENCE_TTL_MS }),
      )
      .execute();
    // Only a change in who is here, or in what they do, is news for the others.
    if (!continuing) {
      emit({ type: 'presence', orgId: actor.orgId, caseId: row.id, ref: formatRef(actor.casePrefix, row.number) });
    }
  });
  return others(p, actor, ref);
}

export async function leave(p: Platform, actor: Actor, ref: string): Promise<void> {
  await inTransaction(p, async (tx, emit) => {
    const row = await requireCase(tx, actor, ref);
    const res = await tx
      .deleteFrom('case_presence')
      .where('case_id', '=', row.id)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    if (res.numDeletedRows) {
      emit({ type: 'presence', orgId: actor.orgId, caseId: row.id, ref: formatRef(actor.casePrefix, row.number) });
    }
  });
}
