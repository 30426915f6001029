// The moves of a case, inside the caller's transaction: opening one, changing it, a message
// from the patron. Every change of status, team or assignee goes through `changeCase`, which
// checks the status rules, writes the timeline events, moves the queue counters, keeps search
// in step and emits the live event: no capability can change a case without them.
import type { Kysely } from 'kysely';
import type { CaseChannel, CasePriority, CaseRow, CaseStatus, Database, EntryKind, Road } from '../db/types.js';
import { findTeam, findUser, teamName, userName } from '../admin/api.js';
import { touchPatron } from '../patrons/api.js';
import { recordArrival } from '../staffing/api.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { TxContext } from '../platform/context.js';
import { badRequest } from '../platform/errors.js';
import { randomToken } from '../platform/passwords.js';
import { checkMove } from './policy.js';
import * as q from './queries.js';
import { afterPatronMessage, isOpen } from './transitions.js';
import { formatRef } from './views.js';

export interface OpenCaseInput {
  orgId: number;
  channel: CaseChannel;
  patronId: number | null;
  subject: string;
  body: string;
  /** in: the patron spoke first (the usual); out: we did (an outbound call). */
  direction: 'in' | 'out';
  road?: Road | undefined;
  status: CaseStatus;
  priority: CasePriority;
  teamId: number | null;
  assigneeId: number | null;
  tags: string[];
  /** The staff member who logged it, or null when the patron opened it (web, email). */
  createdBy: number | null;
}

/** Phone calls and walk-ins are answered as they happen: the first response is immediate. */
const SYNCHRONOUS: readonly CaseChannel[] = ['phone', 'walk_in'];

/** The live event of a change to a case (the browser refetches what it shows). */
export const changedEvent = (row: CaseRow, byUserId: number | null, at: number, prefix: string) => ({
  type: 'case.changed' as const,
  orgId: row.org_id,
  caseId: row.id,
  ref: formatRef(prefix, row.number),
  teamId: row.team_id,
  assigneeId: row.assignee_id,
  byUserId,
  at,
});

/** Opens a case: staff quick log, the web form, email. */
export async function openCase(ctx: TxContext, input: OpenCaseInput): Promise<CaseRow> {
  const now = ctx.clock.now();
  const seq = await q.nextCaseNumber(ctx.tx, input.orgId);
  const answered = input.direction === 'out' || SYNCHRONOUS.includes(input.channel);
  const done = input.status === 'resolved' || input.status === 'closed';
  const row = await q.insertCase(ctx.tx, {
    org_id: input.orgId,
    number: seq.case_seq,
    patron_id: input.patronId,
    channel: input.channel,
    subject: input.subject,
    status: input.status,
    priority: input.priority,
    team_id: input.teamId,
    assignee_id: input.assigneeId,
    status_token: randomToken(24),
    created_by: input.createdBy,
    created_at: now,
    updated_at: now,
    last_activity_at: now,
    first_response_at: answered ? now : null,
    first_response_ms: answered ? 0 : null,
    resolved_at: done ? now : null,
    resolution_ms: done ? 0 : null,
    closed_at: input.status === 'closed' ? now : null,
  });
  await q.insertEntries(ctx.tx, [
    {
      org_id: input.orgId,
      case_id: row.id,
      kind: 'event',
      channel: input.channel,
      body: '',
      road: null,
      author_user_id: input.createdBy,
      author_patron_id: input.createdBy ? null : input.patronId,
      event_type: 'created',
      event_data: JSON.stringify({ channel: input.channel, status: input.status }),
      created_at: now,
    },
    {
      org_id: input.orgId,
      case_id: row.id,
      kind: input.direction === 'in' ? 'message_in' : 'message_out',
      channel: input.channel,
      body: input.body,
      road: input.road ?? null,
      author_user_id: input.createdBy,
      author_patron_id: input.direction === 'in' ? input.patronId : null,
      event_type: null,
      event_data: null,
      created_at: now,
    },
  ]);
  await q.addTags(ctx.tx, input.orgId, row.id, input.tags);
  await recordArrival(ctx, { orgId: input.orgId, teamId: row.team_id, channel: input.channel, direction: input.direction, at: now });
  await q.adjustCounters(ctx.tx, input.orgId, [
    { teamId: row.team_id, assigneeId: row.assignee_id, status: row.status, n: 1 },
  ]);
  if (input.patronId) await touchPatron(ctx, input.patronId);
  await ctx.search.upsert(ctx.tx, { orgId: input.orgId, kind: 'case', refId: row.id, title: row.subject, body: input.body });
  ctx.emit(changedEvent(row, input.createdBy, now, seq.case_prefix));
  return row;
}

/** What can change about a case. */
export interface CaseChange {
  subject?: string | undefined;
  priority?: CasePriority | undefined;
  tags?: string[] | undefined;
  status?: CaseStatus | undefined;
  /** A supervisor's reason for a move the rules do not allow (audited). */
  overrideReason?: string | undefined;
  teamId?: number | null | undefined;
  assigneeId?: number | null | undefined;
}

export interface ChangeOptions {
  /** A staff member, whose role the status rules check, or null for the system's own moves. */
  by: Actor | null;
  /** The organization's reference prefix (the live event names the case by its reference). */
  prefix: string;
  /** Why the status moved, when the system moved it (recorded in the timeline). */
  reason?: string;
  /** Columns that move with this change: last activity, first response. */
  also?: Partial<Pick<CaseRow, 'last_activity_at' | 'first_response_at' | 'first_response_ms'>>;
}

type Event = { event: string; data: Record<string, unknown> };

/** Status side effects: resolution and closing times, cleared again on reopening. */
function statusColumns(row: CaseRow, to: CaseStatus, now: number): Partial<CaseRow> {
  if (to === 'resolved') return { status: to, resolved_at: now, resolution_ms: now - row.created_at, closed_at: null };
  if (to === 'closed') {
    return { status: to, closed_at: now, resolved_at: row.resolved_at ?? now, resolution_ms: row.resolution_ms ?? now - row.created_at };
  }
  if (isOpen(to) && !isOpen(row.status)) return { status: to, resolved_at: null, resolution_ms: null, closed_at: null };
  return { status: to };
}

/** A team of the organization, or a 400 naming `teamId`. */
export async function requireTeam(tx: Kysely<Database>, orgId: number, id: number | null) {
  if (id !== null && !(await findTeam(tx, orgId, id))) throw badRequest('is not a team of this organization', 'teamId');
}

/** An active user of the organization, or a 400 naming `assigneeId`. */
export async function requireAssignee(tx: Kysely<Database>, orgId: number, id: number | null) {
  if (id === null) return;
  const user = await findUser(tx, orgId, id);
  if (!user || user.deactivated_at !== null) throw badRequest('is not an active user of this organization', 'assigneeId');
}

/**
 * Changes a case: one timeline event per change, the counter move, search, the live event,
 * and an audit row for a status override. The row must have been read under the row lock
 * (`requireCase(ctx.tx, actor, ref, ctx.lockRows)`). Returns the row as it now is.
 */
export async function changeCase(ctx: TxContext, row: CaseRow, change: CaseChange, opts: ChangeOptions): Promise<CaseRow> {
  const { tx } = ctx;
  const now = ctx.clock.now();
  const set: Partial<CaseRow> = { ...opts.also };
  const events: Event[] = [];
  const authorId = opts.by?.userId ?? null;
  if (change.subject !== undefined && change.subject !== row.subject) {
    set.subject = change.subject;
    events.push({ event: 'subject', data: { from: row.subject, to: change.subject } });
  }
  if (change.priority !== undefined && change.priority !== row.priority) {
    set.priority = change.priority;
    events.push({ event: 'priority', data: { from: row.priority, to: change.priority } });
  }
  if (change.teamId !== undefined && change.teamId !== row.team_id) {
    await requireTeam(tx, row.org_id, change.teamId);
    set.team_id = change.teamId;
    events.push({ event: 'team', data: { from: await teamName(tx, row.team_id), to: await teamName(tx, change.teamId) } });
  }
  if (change.assigneeId !== undefined && change.assigneeId !== row.assignee_id) {
    await requireAssignee(tx, row.org_id, change.assigneeId);
    set.assignee_id = change.assigneeId;
    events.push({
      event: 'assignment',
      data: { from: await userName(tx, row.assignee_id), to: await userName(tx, change.assigneeId) },
    });
  }
  let override: ReturnType<typeof checkMove> = null;
  if (change.status !== undefined && change.status !== row.status) {
    if (opts.by) override = checkMove(opts.by, row.status, change.status, change.overrideReason);
    Object.assign(set, statusColumns(row, change.status, now));
    events.push({
      event: 'status',
      data: {
        from: row.status,
        to: change.status,
        ...(override ? { override: override.reason } : {}),
        ...(opts.reason ? { reason: opts.reason } : {}),
      },
    });
  }
  if (change.tags !== undefined) {
    const before = await q.caseTags(tx, row.id);
    const after = [...new Set(change.tags)].sort();
    const added = after.filter((t) => !before.includes(t));
    const removed = before.filter((t) => !after.includes(t));
    if (added.length || removed.length) {
      await q.replaceTags(tx, row.org_id, row.id, after);
      events.push({ event: 'tags', data: { added, removed } });
    }
  }
  if (!events.length && !opts.also) return row;

  const next = await q.updateCaseRow(tx, row.id, { ...set, updated_at: now });
  await q.insertEntries(
    tx,
    events.map((c) => ({
      org_id: row.org_id,
      case_id: row.id,
      kind: 'event' as const,
      channel: null,
      body: '',
      road: null,
      author_user_id: authorId,
      author_patron_id: null,
      event_type: c.event,
      event_data: JSON.stringify(c.data),
      created_at: now,
    })),
  );
  if (next.status !== row.status || next.team_id !== row.team_id || next.assignee_id !== row.assignee_id) {
    await q.adjustCounters(tx, row.org_id, [
      { teamId: row.team_id, assigneeId: row.assignee_id, status: row.status, n: -1 },
      { teamId: next.team_id, assigneeId: next.assignee_id, status: next.status, n: 1 },
    ]);
  }
  if (set.subject !== undefined) await reindexCase(ctx, next);
  if (override && opts.by) {
    await audit(ctx, {
      orgId: row.org_id,
      actorId: opts.by.userId,
      action: 'case.status_override',
      targetType: 'case',
      targetId: formatRef(opts.prefix, row.number),
      detail: override,
      ip: opts.by.ip,
    });
  }
  ctx.emit(changedEvent(next, authorId, now, opts.prefix));
  return next;
}

/** Writes the case's search document again: its subject and every message and note. */
export async function reindexCase(ctx: TxContext, row: CaseRow): Promise<void> {
  await ctx.search.upsert(ctx.tx, {
    orgId: row.org_id,
    kind: 'case',
    refId: row.id,
    title: row.subject,
    body: await q.caseSearchText(ctx.tx, row.id),
  });
}

export interface EntryInput {
  kind: Exclude<EntryKind, 'event'>;
  channel: CaseChannel | null;
  body: string;
  road: Road | null;
  authorUserId: number | null;
  authorPatronId: number | null;
}

/**
 * Adds a message or note to a case's timeline (its search document follows via reindexCase).
 * Returns the entry's id.
 */
export async function addTimelineEntry(ctx: TxContext, row: CaseRow, e: EntryInput): Promise<number> {
  return q.insertEntry(ctx.tx, {
    org_id: row.org_id,
    case_id: row.id,
    kind: e.kind,
    channel: e.channel,
    body: e.body,
    road: e.road,
    author_user_id: e.authorUserId,
    author_patron_id: e.authorPatronId,
    event_type: null,
    event_data: null,
    created_at: ctx.clock.now(),
  });
}

/**
 * A message from the patron: logged by staff, sent through the status page, or arrived by
 * email. It reopens a resolved or closed case.
 */
export async function recordPatronMessage(
  ctx: TxContext,
  row: CaseRow,
  input: { body: string; channel: CaseChannel; road?: Road | undefined; loggedBy: number | null },
  prefix: string,
): Promise<CaseRow> {
  const now = ctx.clock.now();
  await addTimelineEntry(ctx, row, {
    kind: 'message_in',
    channel: input.channel,
    body: input.body,
    road: input.road ?? null,
    authorUserId: input.loggedBy,
    authorPatronId: row.patron_id,
  });
  const to = afterPatronMessage(row.status);
  const next = await changeCase(
    ctx,
    row,
    { status: to },
    { by: null, prefix, reason: 'patron_message', also: { last_activity_at: now } },
  );
  if (row.patron_id) await touchPatron(ctx, row.patron_id);
  await reindexCase(ctx, next);
  return next;
}
