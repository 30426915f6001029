// One mapper from a promise row to its API shape.
import type { PromiseDetail, PromiseEventView, PromiseView } from '../../contracts/promises.js';
import type { PromiseListRow } from './queries.js';

export function toPromiseView(r: PromiseListRow, prefix: string): PromiseView {
  return {
    id: r.id,
    caseRef: `${prefix}-${r.case_number}`,
    caseSubject: r.case_subject,
    patron: r.patron_id !== null && r.patron_name !== null ? { id: r.patron_id, name: r.patron_name } : null,
    toUser: r.to_user_id !== null && r.to_user_name !== null ? { id: r.to_user_id, name: r.to_user_name } : null,
    owner: { id: r.owner_user_id, name: r.owner_name },
    teamId: r.team_id,
    what: r.what,
    how: r.how,
    windowStart: r.window_start,
    dueAt: r.due_at,
    permissionAsked: r.permission_asked === 1,
    patronAnswer: r.patron_answer,
    state: r.state,
    version: r.version,
    remindedAt: r.reminded_at,
    brokenAt: r.broken_at,
    escalatedAt: r.escalated_at,
    keptAt: r.kept_at,
    keptEntryId: r.kept_entry_id,
    createdAt: r.created_at,
  };
}

export interface EventRow {
  promise_id: number;
  kind: PromiseEventView['kind'];
  at: number;
  by_user_id: number | null;
  by_name: string | null;
  old_due_at: number | null;
  new_due_at: number | null;
  entry_id: number | null;
  note: string | null;
}

export function toDetail(view: PromiseView, events: EventRow[]): PromiseDetail {
  return {
    ...view,
    history: events
      .filter((e) => e.promise_id === view.id)
      .map((e) => ({
        kind: e.kind,
        at: e.at,
        by: e.by_user_id !== null && e.by_name !== null ? { id: e.by_user_id, name: e.by_name } : null,
        oldDueAt: e.old_due_at,
        newDueAt: e.new_due_at,
        entryId: e.entry_id,
        note: e.note,
      })),
  };
}
