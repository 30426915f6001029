// A promise's moves inside the caller's transaction: make one (the case becomes promised),
// schedule its timed work. `makePromise` is what other domains call (a staffing slot booked
// for a call back makes its promise in the booking's transaction).
import type { Kysely } from 'kysely';
import type { Database, PromiseHow, PromiseRow } from '../db/types.js';
import { findOrg, findUser } from '../admin/api.js';
import { changeCase, findCaseById, isOpen } from '../cases/api.js';
import type { Actor } from '../platform/actor.js';
import type { TxContext } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { dueKind, jobKey, remindKind } from './kinds.js';
import * as q from './queries.js';

export const DEFAULT_REMINDER_LEAD_MS = 60 * 60_000;
export const DEFAULT_ESCALATE_AFTER_MS = 0;
/** A promise is for the foreseeable future: a year at most. */
export const MAX_AHEAD_MS = 366 * 24 * 3600_000;

export interface MakePromiseInput {
  orgId: number;
  caseId: number;
  ownerUserId: number;
  what: string;
  /** By when (epoch ms); or give `window`, whose end is the due time. */
  dueAt?: number | undefined;
  window?: { from: number; to: number } | undefined;
  how: PromiseHow;
  permissionAsked: boolean;
  patronAnswer?: string | null | undefined;
  /** Who made it (a staff member), or null when the system did. */
  byUserId: number | null;
  /** To whom, on a case without a patron (internal): a colleague. */
  toUserId?: number | null | undefined;
}

export async function teamTimes(tx: Kysely<Database>, teamId: number | null) {
  const s = teamId ? await q.teamSettings(tx, teamId) : undefined;
  return {
    reminderLeadMs: s?.reminder_lead_ms ?? DEFAULT_REMINDER_LEAD_MS,
    escalateAfterMs: s?.escalate_after_ms ?? DEFAULT_ESCALATE_AFTER_MS,
  };
}

/** An active staff member of the organization as an Actor (for the case's status rules). */
async function actorFor(tx: Kysely<Database>, orgId: number, userId: number, prefix: string): Promise<Actor | null> {
  const u = await findUser(tx, orgId, userId);
  if (!u || u.deactivated_at !== null) return null;
  return { userId: u.id, orgId, role: u.role, name: u.name, email: u.email, teamId: u.team_id, casePrefix: prefix };
}

/** A due time in the future and within a year, or a 400 naming the field. */
export function checkDue(now: number, dueAt: number | undefined, window: { from: number; to: number } | undefined) {
  const field = window ? 'window' : 'dueAt';
  const due = window ? window.to : dueAt;
  if (due === undefined) throw badRequest('is required: give a due time or a window', 'dueAt');
  if (window && window.from >= window.to) throw badRequest('must start before it ends', 'window');
  if (due <= now) throw badRequest('must be in the future', field);
  if (due > now + MAX_AHEAD_MS) throw badRequest('must be within a year', field);
  return { due, windowStart: window?.from ?? null };
}

/**
 * Makes a promise on a case in the caller's transaction and moves the case to *promised*
 * (through cases' changeCase). Enqueues the reminder and the due-time job in the same
 * transaction. Refuses a case that is resolved or closed (409), a due time in the past (400),
 * an owner who is not an active staff member (400).
 */
export async function makePromise(ctx: TxContext, input: MakePromiseInput): Promise<PromiseRow> {
  const { tx } = ctx;
  const now = ctx.clock.now();
  const org = await findOrg(tx, input.orgId);
  if (!org) throw notFound('Organization');
  const kase = await findCaseById(tx, input.orgId, input.caseId, ctx.lockRows);
  if (!kase) throw notFound('Case');
  if (!isOpen(kase.status)) {
    throw conflict(`This case is ${kase.status}: reopen it before making a promise on it.`, 'case');
  }
  const { due, windowStart } = checkDue(now, input.dueAt, input.window);
  const what = input.what.trim();
  if (!what) throw badRequest('is required: say what was promised', 'what');
  const owner = await actorFor(tx, input.orgId, input.ownerUserId, org.case_prefix);
  if (!owner) throw badRequest('is not an active user of this organization', 'ownerUserId');
  let toUserId: number | null = null;
  if (input.toUserId !== undefined && input.toUserId !== null) {
    if (!(await actorFor(tx, input.orgId, input.toUserId, org.case_prefix))) {
      throw badRequest('is not an active user of this organization', 'toUserId');
    }
    toUserId = input.toUserId;
  } else if (kase.patron_id === null) {
    throw badRequest('is required: this case has no patron, so name the colleague the promise is made to', 'toUserId');
  }
  const by = input.byUserId !== null ? await actorFor(tx, input.orgId, input.byUserId, org.case_prefix) : null;
  if (input.byUserId !== null && !by) throw badRequest('is not an active user of this organization', 'byUserId');

  const row = await q.insertPromise(tx, {
    org_id: input.orgId,
    case_id: kase.id,
    patron_id: kase.patron_id,
    to_user_id: toUserId,
    owner_user_id: owner.userId,
    team_id: kase.team_id ?? owner.teamId,
    what,
    how: input.how,
    window_start: windowStart,
    due_at: due,
    permission_asked: input.permissionAsked ? 1 : 0,
    patron_answer: input.patronAnswer?.trim() || null,
    state: 'open',
    version: 1,
    reminded_at: null,
    broken_at: null,
    escalated_at: null,
    kept_at: null,
    kept_entry_id: null,
    kept_by: null,
    made_by: input.byUserId,
    created_at: now,
    updated_at: now,
  });
  await q.insertEvent(tx, {
    org_id: row.org_id,
    promise_id: row.id,
    kind: 'made',
    by_user_id: input.byUserId,
    old_due_at: null,
    new_due_at: due,
    entry_id: null,
    note: row.patron_answer,
    at: now,
  });
  if (kase.status !== 'promised') {
    await changeCase(ctx, kase, { status: 'promised' }, { by, prefix: org.case_prefix, reason: 'promise' });
  }
  await schedule(ctx, row);
  emitChanged(ctx, row);
  return row;
}

/**
 * No longer owed, for a reason the history keeps (the callback the patron booked was
 * cancelled, say). Only an open promise is released: a broken one stays on the record. The
 * version moves on, so its reminder and due jobs find nothing to do; the case leaves
 * *promised* once no promise on it is open. Returns false when there was nothing to release.
 */
export async function releasePromise(ctx: TxContext, promiseId: number, c: { byUserId: number | null; reason: string }): Promise<boolean> {
  const row = await q.findPromise(ctx.tx, promiseId, ctx.lockRows);
  if (!row || row.state !== 'open') return false;
  const now = ctx.clock.now();
  const next = await q.updatePromise(ctx.tx, row.id, { state: 'released', version: row.version + 1, updated_at: now });
  await q.insertEvent(ctx.tx, {
    org_id: row.org_id,
    promise_id: row.id,
    kind: 'released',
    by_user_id: c.byUserId,
    old_due_at: null,
    new_due_at: null,
    entry_id: null,
    note: c.reason,
    at: now,
  });
  const kase = await findCaseById(ctx.tx, row.org_id, row.case_id, ctx.lockRows);
  if (kase && kase.status === 'promised' && (await q.openOnCase(ctx.tx, kase.id)) === 0) {
    const org = await findOrg(ctx.tx, row.org_id);
    const by = c.byUserId !== null && org ? await actorFor(ctx.tx, row.org_id, c.byUserId, org.case_prefix) : null;
    await changeCase(ctx, kase, { status: 'open' }, { by, prefix: org?.case_prefix ?? '', reason: 'promise_released' });
  }
  emitChanged(ctx, next);
  return true;
}

/**
 * Who owns a promise made for the team rather than by a person (a callback a patron booked on
 * the help form): the case's assignee if any, else the team's first active supervisor, else
 * the organization's first admin.
 */
export async function teamPromiseOwner(tx: Kysely<Database>, orgId: number, c: { assigneeId: number | null; teamId: number | null }): Promise<number | null> {
  if (c.assigneeId !== null) return c.assigneeId;
  return (await q.escalationRecipients(tx, orgId, c.teamId))[0]?.id ?? null;
}

/**
 * Enqueues the reminder and the due-time job of the promise's current version. The reminder
 * goes the team's lead time before the due time (before a window's start); when that moment
 * has passed already, halfway between now and then.
 */
export async function schedule(ctx: TxContext, row: PromiseRow): Promise<void> {
  const now = ctx.clock.now();
  const times = await teamTimes(ctx.tx, row.team_id);
  const target = row.window_start ?? row.due_at;
  let remindAt = target - times.reminderLeadMs;
  if (remindAt <= now) remindAt = now + Math.max(0, Math.floor((target - now) / 2));
  const payload = { promiseId: row.id, version: row.version };
  await ctx.jobs.enqueue(remindKind, payload, { runAt: remindAt, orgId: row.org_id, uniqueKey: jobKey('remind', payload) });
  await ctx.jobs.enqueue(dueKind, payload, { runAt: row.due_at, orgId: row.org_id, uniqueKey: jobKey('due', payload) });
}

export function emitChanged(ctx: TxContext, row: PromiseRow): void {
  ctx.emit({
    type: 'promise.changed',
    orgId: row.org_id,
    promiseId: row.id,
    caseId: row.case_id,
    ownerUserId: row.owner_user_id,
    teamId: row.team_id,
  });
}
