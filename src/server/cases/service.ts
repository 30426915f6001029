// The rules of a case: opening one on any channel, changing it, its timeline. Each use case
// is one transaction that also keeps the queue counters and the search index in step.
import type { Kysely } from 'kysely';
import type {
  CaseCreateBody,
  CaseDetail,
  CaseUpdateBody,
  EntryCreateBody,
} from '../../contracts/cases.js';
import type {
  CaseChannel,
  CasePriority,
  CaseRow,
  CaseStatus,
  Database,
  Road,
} from '../db/types.js';
import { findTeam, findUser } from '../admin/queries.js';
import { createPatronIn, patronForEmail, touchPatron } from '../patrons/service.js';
import { audit } from '../platform/audit.js';
import { isManager, needsRowLocks, type Actor, type Platform } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { randomToken } from '../platform/passwords.js';
import { inTransaction, type Emit } from '../platform/tx.js';
import * as q from './queries.js';
import { afterPatronMessage, allowedNext, canMove, isOpen, refusal } from './transitions.js';
import { formatRef, parseRef, toCaseDetail } from './views.js';

const TIMELINE_PAGE = 50;

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

/** Opens a case inside the caller's transaction (staff quick log, web form, email). */
export async function openCase(
  tx: Kysely<Database>,
  p: Platform,
  input: OpenCaseInput,
  emit: Emit,
): Promise<CaseRow> {
  const now = p.clock.now();
  const seq = await q.nextCaseNumber(tx, input.orgId);
  const answered = input.direction === 'out' || SYNCHRONOUS.includes(input.channel);
  const row = await tx
    .insertInto('cases')
    .values({
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
      resolved_at: input.status === 'resolved' || input.status === 'closed' ? now : null,
      resolution_ms: input.status === 'resolved' || input.status === 'closed' ? 0 : null,
      closed_at: input.status === 'closed' ? now : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  await tx
    .insertInto('case_entries')
    .values([
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
    ])
    .execute();
  await q.addTags(tx, input.orgId, row.id, input.tags);
  await q.adjustCounters(tx, input.orgId, [
    { teamId: row.team_id, assigneeId: row.assignee_id, status: row.status, n: 1 },
  ]);
  if (input.patronId) await touchPatron(tx, input.patronId, now);
  await p.search.upsert(tx, {
    orgId: input.orgId,
    kind: 'case',
    refId: row.id,
    title: row.subject,
    body: input.body,
  });
  emit(changed(row, input.createdBy, now, seq.case_prefix));
  return row;
}

function changed(row: CaseRow, byUserId: number | null, at: number, prefix: string) {
  return {
    type: 'case.changed' as const,
    orgId: row.org_id,
    caseId: row.id,
    ref: formatRef(prefix, row.number),
    teamId: row.team_id,
    assigneeId: row.assignee_id,
    byUserId,
    at,
  };
}

async function requireAssignee(tx: Kysely<Database>, orgId: number, id: number | null | undefined) {
  if (id == null) return;
  const user = await findUser(tx, orgId, id);
  if (!user || user.deactivated_at !== null) {
    throw badRequest('is not an active user of this organization', 'assigneeId');
  }
}

async function requireTeam(tx: Kysely<Database>, orgId: number, id: number | null | undefined) {
  if (id == null) return;
  if (!(await findTeam(tx, orgId, id))) throw badRequest('is not a team of this organization', 'teamId');
}

/** Staff open a case: a logged phone call or walk-in, or anything else by hand. */
export async function createCase(p: Platform, actor: Actor, input: CaseCreateBody): Promise<CaseDetail> {
  const row = await inTransaction(p, async (tx, emit) => {
    await requireTeam(tx, actor.orgId, input.teamId);
    await requireAssignee(tx, actor.orgId, input.assigneeId);
    let patronId: number | null = null;
    if (input.patronId) {
      const exists = await q.patronOf.first(tx, { orgId: actor.orgId, id: input.patronId });
      if (!exists) throw badRequest('is not a patron of this organization', 'patronId');
      patronId = exists.id;
    } else if (input.patron) {
      const { email } = input.patron;
      patronId = email
        ? (await patronForEmail(tx, p, actor.orgId, { ...input.patron, email })).id
        : (await createPatronIn(tx, p, actor.orgId, input.patron)).id;
    } else if (input.channel !== 'internal') {
      throw badRequest('is required: pick a patron or add a new one', 'patronId');
    }
    const status = input.status ?? 'open';
    if (status === 'closed') throw badRequest('a new case cannot start closed; resolve it', 'status');
    return openCase(
      tx,
      p,
      {
        orgId: actor.orgId,
        channel: input.channel,
        patronId,
        subject: input.subject,
        body: input.body,
        direction: input.direction,
        road: input.road,
        status,
        priority: input.priority,
        teamId: input.teamId === undefined ? actor.teamId : input.teamId,
        assigneeId: input.assigneeId === undefined ? actor.userId : input.assigneeId,
        tags: input.tags,
        createdBy: actor.userId,
      },
      emit,
    );
  });
  return getCase(p, actor, formatRef(actor.casePrefix, row.number));
}

/** The one check before any case data is read: the case belongs to the actor's organization. */
export async function requireCase(
  db: Kysely<Database>,
  actor: Actor,
  ref: string,
  lock = false,
): Promise<CaseRow> {
  const parsed = parseRef(ref);
  const row =
    parsed && parsed.prefix === actor.casePrefix
      ? await q.findCaseByNumber(db, actor.orgId, parsed.number, lock)
      : undefined;
  if (!row) throw notFound(`Case ${ref}`);
  return row;
}

export async function getCase(p: Platform, actor: Actor, ref: string): Promise<CaseDetail> {
  const parsed = parseRef(ref);
  const found =
    parsed && parsed.prefix === actor.casePrefix
      ? await q.caseWithNames(p.db, actor.orgId, parsed.number)
      : undefined;
  if (!found) throw notFound(`Case ${ref}`);
  const entries = await q.timeline(p.db, found.id, { limit: TIMELINE_PAGE });
  return toCaseDetail({
    row: found,
    summary: found,
    prefix: actor.casePrefix,
    entries: entries.rows,
    earlier: entries.earlier,
    creator: found.created_by !== null && found.creator_name !== null ? { id: found.created_by, name: found.creator_name } : null,
    allowed: [...allowedNext(found.status)],
    publicUrl: p.publicUrl,
  });
}

export async function earlierEntries(p: Platform, actor: Actor, ref: string, before: number, limit: number) {
  const row = await requireCase(p.db, actor, ref);
  return q.timeline(p.db, row.id, { before, limit });
}

type Change = { event: string; data: Record<string, unknown> };

/** Status side effects: resolution and closing times, cleared again on reopening. */
function statusColumns(row: CaseRow, to: CaseStatus, now: number): Partial<CaseRow> {
  if (to === 'resolved') return { status: to, resolved_at: now, resolution_ms: now - row.created_at, closed_at: null };
  if (to === 'closed') {
    return {
      status: to,
      closed_at: now,
      resolved_at: row.resolved_at ?? now,
      resolution_ms: row.resolution_ms ?? now - row.created_at,
    };
  }
  if (isOpen(to) && !isOpen(row.status)) {
    return { status: to, resolved_at: null, resolution_ms: null, closed_at: null };
  }
  return { status: to };
}

/**
 * Writes a set of column changes to a case, with one timeline event per change, the counter
 * move, and the live event. `authorId` null means the system (e.g. reopened by a patron).
 */
async function applyChanges(
  tx: Kysely<Database>,
  p: Platform,
  row: CaseRow,
  set: Partial<CaseRow>,
  changes: Change[],
  authorId: number | null,
  prefix: string,
  emit: Emit,
): Promise<CaseRow> {
  const now = p.clock.now();
  const next = await tx
    .updateTable('cases')
    .set({ ...set, updated_at: now })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (changes.length) {
    await tx
      .insertInto('case_entries')
      .values(
        changes.map((c) => ({
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
      )
      .execute();
  }
  if (next.status !== row.status || next.team_id !== row.team_id || next.assignee_id !== row.assignee_id) {
    await q.adjustCounters(tx, row.org_id, [
      { teamId: row.team_id, assigneeId: row.assignee_id, status: row.status, n: -1 },
      { teamId: next.team_id, assigneeId: next.assignee_id, status: next.status, n: 1 },
    ]);
  }
  emit(changed(next, authorId, now, prefix));
  return next;
}

/** Checks a status move for this actor; returns the audit detail when it is an override. */
function checkMove(actor: Actor, from: CaseStatus, to: CaseStatus, reason: string | undefined) {
  if (to === 'new') throw conflict(refusal(from, to), 'status');
  if (canMove(from, to)) return null;
  if (!isManager(actor)) throw conflict(refusal(from, to), 'status');
  if (!reason) {
    throw conflict(`${refusal(from, to)} To override, give a reason.`, 'overrideReason');
  }
  return { from, to, reason };
}

const named = async (tx: Kysely<Database>, table: 'users' | 'teams', id: number | null) =>
  id === null
    ? null
    : ((await tx.selectFrom(table).select(['id', 'name']).where('id', '=', id).executeTakeFirst()) ?? null);

export async function updateCase(
  p: Platform,
  actor: Actor,
  ref: string,
  input: CaseUpdateBody,
): Promise<CaseDetail> {
  await inTransaction(p, async (tx, emit) => {
    const row = await requireCase(tx, actor, ref, needsRowLocks(p));
    const now = p.clock.now();
    const set: Partial<CaseRow> = {};
    const changes: Change[] = [];
    if (input.subject !== undefined && input.subject !== row.subject) {
      set.subject = input.subject;
      changes.push({ event: 'subject', data: { from: row.subject, to: input.subject } });
    }
    if (input.priority !== undefined && input.priority !== row.priority) {
      set.priority = input.priority;
      changes.push({ event: 'priority', data: { from: row.priority, to: input.priority } });
    }
    if (input.teamId !== undefined && input.teamId !== row.team_id) {
      await requireTeam(tx, actor.orgId, input.teamId);
      set.team_id = input.teamId;
      changes.push({
        event: 'team',
        data: { from: await named(tx, 'teams', row.team_id), to: await named(tx, 'teams', input.teamId) },
      });
    }
    if (input.assigneeId !== undefined && input.assigneeId !== row.assignee_id) {
      await requireAssignee(tx, actor.orgId, input.assigneeId);
      set.assignee_id = input.assigneeId;
      changes.push({
        event: 'assignment',
        data: {
          from: await named(tx, 'users', row.assignee_id),
          to: await named(tx, 'users', input.assigneeId),
        },
      });
    }
    let override: ReturnType<typeof checkMove> = null;
    if (input.status !== undefined && input.status !== row.status) {
      override = checkMove(actor, row.status, input.status, input.overrideReason);
      Object.assign(set, statusColumns(row, input.status, now));
      changes.push({
        event: 'status',
        data: { from: row.status, to: input.status, ...(override ? { override: override.reason } : {}) },
      });
    }
    if (input.tags !== undefined) {
      const before = await q.caseTags(tx, row.id);
      const after = [...new Set(input.tags)].sort();
      const added = after.filter((t) => !before.includes(t));
      const removed = before.filter((t) => !after.includes(t));
      if (added.length || removed.length) {
        await q.replaceTags(tx, row.org_id, row.id, after);
        changes.push({ event: 'tags', data: { added, removed } });
      }
    }
    if (!changes.length) return;
    const next = await applyChanges(tx, p, row, set, changes, actor.userId, actor.casePrefix, emit);
    if (set.subject !== undefined) await reindex(tx, p, next);
    if (override) {
      await audit(tx, {
        orgId: actor.orgId,
        actorId: actor.userId,
        action: 'case.status_override',
        targetType: 'case',
        targetId: formatRef(actor.casePrefix, row.number),
        detail: override,
        ip: actor.ip,
        at: now,
      });
    }
  });
  return getCase(p, actor, ref);
}

async function reindex(tx: Kysely<Database>, p: Platform, row: CaseRow) {
  await p.search.upsert(tx, {
    orgId: row.org_id,
    kind: 'case',
    refId: row.id,
    title: row.subject,
    body: await q.caseSearchText(tx, row.id),
  });
}

/**
 * A message from the patron, in the caller's transaction: logged by staff, sent through the
 * status page, or (next) arrived by email. It reopens a resolved or closed case.
 */
export async function recordPatronMessage(
  tx: Kysely<Database>,
  p: Platform,
  row: CaseRow,
  input: { body: string; channel: CaseChannel; road?: Road | undefined; loggedBy: number | null },
  prefix: string,
  emit: Emit,
): Promise<void> {
  const now = p.clock.now();
  await insertEntry(tx, row, {
    kind: 'message_in',
    channel: input.channel,
    body: input.body,
    road: input.road ?? null,
    author_user_id: input.loggedBy,
    author_patron_id: row.patron_id,
    created_at: now,
  });
  const to = afterPatronMessage(row.status);
  const set: Partial<CaseRow> = { last_activity_at: now, ...(to !== row.status ? statusColumns(row, to, now) : {}) };
  const changes: Change[] =
    to !== row.status ? [{ event: 'status', data: { from: row.status, to, reason: 'patron_message' } }] : [];
  const next = await applyChanges(tx, p, row, set, changes, null, prefix, emit);
  if (row.patron_id) await touchPatron(tx, row.patron_id, now);
  await reindex(tx, p, next);
}

async function insertEntry(
  tx: Kysely<Database>,
  row: CaseRow,
  e: {
    kind: 'message_in' | 'message_out' | 'note';
    channel: CaseChannel | null;
    body: string;
    road: Road | null;
    author_user_id: number | null;
    author_patron_id: number | null;
    created_at: number;
  },
) {
  await tx
    .insertInto('case_entries')
    .values({ ...e, org_id: row.org_id, case_id: row.id, event_type: null, event_data: null })
    .execute();
}

/** A reply to the patron, an internal note, or a patron message taken down by staff. */
export async function addEntry(
  p: Platform,
  actor: Actor,
  ref: string,
  input: EntryCreateBody,
): Promise<CaseDetail> {
  if (input.kind === 'note' && input.road) {
    throw badRequest('applies to messages with the patron, not to internal notes', 'road');
  }
  await inTransaction(p, async (tx, emit) => {
    const row = await requireCase(tx, actor, ref, needsRowLocks(p));
    const now = p.clock.now();
    if (input.kind === 'patron_message') {
      if (input.status) throw badRequest('a patron message sets the status by itself', 'status');
      await recordPatronMessage(
        tx,
        p,
        row,
        { body: input.body, channel: input.channel ?? row.channel, road: input.road, loggedBy: actor.userId },
        actor.casePrefix,
        emit,
      );
      return;
    }
    const reply = input.kind === 'reply';
    if (reply && !row.patron_id) throw conflict('This case has no patron to reply to.', 'kind');
    await insertEntry(tx, row, {
      kind: reply ? 'message_out' : 'note',
      channel: reply ? (input.channel ?? row.channel) : null,
      body: input.body,
      road: input.road ?? null,
      author_user_id: actor.userId,
      author_patron_id: null,
      created_at: now,
    });
    const set: Partial<CaseRow> = { last_activity_at: now };
    const changes: Change[] = [];
    if (reply && row.first_response_at === null) {
      set.first_response_at = now;
      set.first_response_ms = now - row.created_at;
    }
    // Replying to a new case opens it, unless the reply says where it goes next.
    const to = input.status ?? (reply && row.status === 'new' ? 'open' : undefined);
    if (to && to !== row.status) {
      checkMove(actor, row.status, to, undefined); // overrides need a reason: use the case update
      Object.assign(set, statusColumns(row, to, now));
      changes.push({ event: 'status', data: { from: row.status, to } });
    }
    const next = await applyChanges(tx, p, row, set, changes, actor.userId, actor.casePrefix, emit);
    if (reply && row.patron_id) await touchPatron(tx, row.patron_id, now);
    await reindex(tx, p, next);
  });
  return getCase(p, actor, ref);
}

/** Admins delete a case (spam, a duplicate): audited, and gone from counters and search. */
export async function deleteCase(p: Platform, actor: Actor, ref: string): Promise<void> {
  await inTransaction(p, async (tx, emit) => {
    const row = await requireCase(tx, actor, ref, needsRowLocks(p));
    const now = p.clock.now();
    await q.adjustCounters(tx, row.org_id, [
      { teamId: row.team_id, assigneeId: row.assignee_id, status: row.status, n: -1 },
    ]);
    await p.search.remove(tx, 'case', row.id);
    await tx.deleteFrom('cases').where('id', '=', row.id).execute();
    await audit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'case.deleted',
      targetType: 'case',
      targetId: formatRef(actor.casePrefix, row.number),
      detail: { subject: row.subject, status: row.status },
      ip: actor.ip,
      at: now,
    });
    emit(changed(row, actor.userId, now, actor.casePrefix));
  });
}

