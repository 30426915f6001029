// The status rules of a case: new → open → waiting on patron / promised → resolved → closed.
import type { CaseStatus } from '../db/types.js';

const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  new: ['open', 'waiting', 'promised', 'resolved'],
  open: ['waiting', 'promised', 'resolved'],
  waiting: ['open', 'promised', 'resolved'],
  promised: ['open', 'waiting', 'resolved'],
  resolved: ['open', 'closed'],
  closed: [],
};

export const allowedNext = (from: CaseStatus): readonly CaseStatus[] => NEXT[from];

export const canMove = (from: CaseStatus, to: CaseStatus) => NEXT[from].includes(to);

export const isOpen = (s: CaseStatus) => s === 'new' || s === 'open' || s === 'waiting' || s === 'promised';

/** Why a move is refused, in words an associate can act on. */
export function refusal(from: CaseStatus, to: CaseStatus): string {
  if (from === 'closed') {
    return 'A closed case reopens when the patron writes again; a supervisor can override with a reason.';
  }
  if (to === 'new') return 'A case cannot go back to new.';
  if (to === 'closed') return 'Resolve the case before closing it.';
  return `A case cannot move from ${from} to ${to}.`;
}

/** A new message from the patron brings the case back to the desk. */
export function afterPatronMessage(s: CaseStatus): CaseStatus {
  return s === 'new' ? 'new' : 'open';
}
