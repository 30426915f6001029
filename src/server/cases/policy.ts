// Who may see and change a case. Called once, before any of the case's data is read.
import type { Kysely } from 'kysely';
import type { CaseRow, CaseStatus, Database } from '../db/types.js';
import { isManager, type Actor } from '../platform/actor.js';
import { conflict, notFound } from '../platform/errors.js';
import { findCaseByNumber } from './queries.js';
import { canMove, refusal } from './transitions.js';
import { parseRef } from './views.js';

/**
 * The case behind a reference, if it belongs to the actor's organization; another
 * organization's case is a 404, as if it did not exist. `lock` takes the row lock for a
 * read-then-write (pass `ctx.lockRows`).
 */
export async function requireCase(db: Kysely<Database>, actor: Actor, ref: string, lock = false): Promise<CaseRow> {
  const parsed = parseRef(ref);
  const row =
    parsed && parsed.prefix === actor.casePrefix ? await findCaseByNumber(db, actor.orgId, parsed.number, lock) : undefined;
  if (!row) throw notFound(`Case ${ref}`);
  return row;
}

/**
 * A case's status link opens its conversation to whoever holds it, for as long as it lives.
 * Volunteers (often short-term, sometimes shared accounts) never see one; the rest of the
 * staff see it and may replace it.
 */
export const maySeeStatusLink = (actor: Pick<Actor, 'role'>) => actor.role !== 'volunteer';

/**
 * Whether this staff member may move a case from one status to another: the usual moves for
 * everyone, anything else for supervisors and admins with a reason (returned for the audit).
 */
export function checkMove(actor: Actor, from: CaseStatus, to: CaseStatus, reason: string | undefined) {
  if (to === 'new') throw conflict(refusal(from, to), 'status');
  if (canMove(from, to)) return null;
  if (!isManager(actor)) throw conflict(refusal(from, to), 'status');
  if (!reason) throw conflict(`${refusal(from, to)} To override, give a reason.`, 'overrideReason');
  return { from, to, reason };
}
