// Who may see and change which promises. Volunteers see and keep only their own; the rest of
// the staff see their organization's; a promise is kept or renegotiated by its owner or a
// supervisor or admin.
import type { PromiseRow } from '../db/types.js';
import { isManager, type Actor } from '../platform/actor.js';
import { forbidden, notFound } from '../platform/errors.js';

/** A promise of the actor's organization that the actor may see, else a 404 (or 403 for a volunteer). */
export function requireVisible(actor: Actor, row: PromiseRow | undefined): PromiseRow {
  if (!row || row.org_id !== actor.orgId) throw notFound('Promise');
  if (actor.role === 'volunteer' && row.owner_user_id !== actor.userId) throw forbidden('Volunteers see only their own promises.');
  return row;
}

export function requireMayChange(actor: Actor, row: PromiseRow): void {
  if (row.owner_user_id !== actor.userId && !isManager(actor)) {
    throw forbidden('Only the promise’s owner, a supervisor or an admin may change it.');
  }
}

/** Reading another person's promises (or their kept rate): not for volunteers. */
export function requireMayReadOthers(actor: Actor, userId: number | undefined): void {
  if (userId !== undefined && userId !== actor.userId && actor.role === 'volunteer') {
    throw forbidden('Volunteers see only their own promises.');
  }
}

/** The team list: staff see any team of their organization; volunteers none. */
export function requireMayReadTeam(actor: Actor): void {
  if (actor.role === 'volunteer') throw forbidden('Volunteers see only their own promises.');
}
