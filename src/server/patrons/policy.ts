// Who may see what of a patron. Personal notes (work, family) never reach a volunteer: not in
// a profile, not in search, not by guessing a note's id.
import type { Kysely } from 'kysely';
import type { Database, PatronRow } from '../db/types.js';
import type { Actor } from '../platform/actor.js';
import { forbidden, notFound } from '../platform/errors.js';
import { findPatron } from './queries.js';

export const canSeePersonal = (actor: Pick<Actor, 'role'>) => actor.role !== 'volunteer';

/** The patron, if they belong to the actor's organization (another's is a 404). */
export async function requirePatron(db: Kysely<Database>, actor: Actor, id: number): Promise<PatronRow> {
  const row = await findPatron(db, actor.orgId, id);
  if (!row) throw notFound('Patron');
  return row;
}

/**
 * Who may delete a note. Notes are removable on request (a patron asks; a colleague wrote
 * something wrong), so admins, supervisors and associates delete any note they can see;
 * volunteers delete only the general notes they wrote themselves (personal notes they never
 * see at all). Every deletion is audited.
 */
/** A patron that can be changed: not merged into another, not erased (those are 404 here). */
export async function requireLivePatron(db: Kysely<Database>, actor: Actor, id: number): Promise<PatronRow> {
  const row = await requirePatron(db, actor, id);
  if (row.merged_into_id !== null || row.erased_at !== null) throw notFound('Patron');
  return row;
}

/** Relationship value (donations, memberships) is for staff, not volunteers. */
export function requireValueAccess(actor: Actor): void {
  if (!canSeePersonal(actor)) throw forbidden('Volunteers do not handle relationship value records.');
}

export function requireNoteDeletion(actor: Actor, note: { kind: 'general' | 'personal'; author_user_id: number | null }): void {
  if (actor.role !== 'volunteer') return;
  if (note.kind !== 'general' || note.author_user_id !== actor.userId) {
    throw forbidden('Volunteers delete only the notes they wrote; ask a colleague to remove this one.');
  }
}

export function requirePersonalAccess(actor: Actor): void {
  if (!canSeePersonal(actor)) throw forbidden('Volunteers do not handle personal notes.');
}
