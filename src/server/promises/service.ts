// The use cases of promises: make one from the case composer, keep it (linked to the reply or
// logged call that kept it), renegotiate it with the patron's consent, and read the lists and
// the kept rate. Each write is one transaction.
import { dayBounds } from '../../contracts/promise-times.js';
import type {
  KeptRate,
  KeptRateQuery,
  MyPromises,
  PromiseCreateBody,
  PromiseDetail,
  PromiseList,
  RenegotiateBody,
  TeamPromiseSettings,
  TeamPromiseSettingsBody,
} from '../../contracts/promises.js';
import { findOrg, findTeam } from '../admin/api.js';
import { changeCase, findCaseById, requireCase } from '../cases/api.js';
import { isManager, type Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform } from '../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../platform/errors.js';
import { inTransaction } from '../platform/tx.js';
import { checkDue, DEFAULT_ESCALATE_AFTER_MS, DEFAULT_REMINDER_LEAD_MS, emitChanged, makePromise, schedule } from './lifecycle.js';
import { requireMayChange, requireMayReadOthers, requireMayReadTeam, requireVisible } from './policy.js';
import * as q from './queries.js';
import { toDetail, toPromiseView, type EventRow } from './views.js';

/** "Due soon": within the next two hours. */
export const DUE_SOON_MS = 2 * 3600_000;
/**
 * The most promises today's buckets hold (the soonest due; the rest follow in the later list), and
 * the most kept today listed: a page a person can work from, whose cost does not grow with a
 * backlog.
 */
export const TODAY_LIMIT = 100;
const PAGE = 50;

async function details(p: Platform, actor: Actor, ids: number[]): Promise<PromiseDetail[]> {
  const [rows, events] = await Promise.all([q.promisesByIds(p.db, ids), q.eventsOf(p.db, ids)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toDetail(toPromiseView(r, actor.casePrefix), events as EventRow[])] : [];
  });
}

export async function getPromise(p: Platform, actor: Actor, id: number): Promise<PromiseDetail> {
  requireVisible(actor, await q.findPromise(p.db, id));
  return (await details(p, actor, [id]))[0]!;
}

export async function makeOnCase(p: Platform, actor: Actor, ref: string, input: PromiseCreateBody): Promise<PromiseDetail> {
  const ownerUserId = input.ownerUserId ?? actor.userId;
  if (actor.role === 'volunteer' && ownerUserId !== actor.userId) throw forbidden('Volunteers make promises only for themselves.');
  const row = await inTransaction(p, async (ctx) => {
    const kase = await requireCase(ctx.tx, actor, ref, ctx.lockRows);
    return makePromise(ctx, {
      orgId: actor.orgId,
      caseId: kase.id,
      ownerUserId,
      what: input.what,
      dueAt: input.dueAt,
      window: input.window,
      how: input.how,
      permissionAsked: input.permissionAsked,
      patronAnswer: input.patronAnswer,
      byUserId: actor.userId,
      toUserId: input.toUserId,
    });
  });
  return (await details(p, actor, [row.id]))[0]!;
}

/**
 * Kept, by the reply or logged call that kept it. On time until the due time; after it, kept
 * late, and the broken mark (at the due time) stays. The case leaves *promised* once no
 * promise on it is open.
 */
export async function keepPromise(p: Platform, actor: Actor, id: number, entryId: number): Promise<PromiseDetail> {
  await inTransaction(p, async (ctx) => {
    const row = requireVisible(actor, await q.findPromise(ctx.tx, id, ctx.lockRows));
    requireMayChange(actor, row);
    if (row.state === 'kept' || row.state === 'kept_late') throw conflict('This promise has been kept already.', 'state');
    const entry = await q.outboundEntry(ctx.tx, row.case_id, entryId);
    if (!entry || entry.kind !== 'message_out') {
      throw badRequest('must be a reply or logged call to the patron on this promise’s case', 'entryId');
    }
    if (entry.created_at < row.created_at) throw badRequest('was written before the promise was made', 'entryId');
    const now = ctx.clock.now();
    const late = row.state === 'broken' || now > row.due_at;
    const next = await q.updatePromise(ctx.tx, row.id, {
      state: late ? 'kept_late' : 'kept',
      broken_at: late ? (row.broken_at ?? row.due_at) : null,
      kept_at: now,
      kept_entry_id: entry.id,
      kept_by: actor.userId,
      updated_at: now,
    });
    if (late && row.broken_at === null) {
      // The due-time job had not run yet: the promise was broken at its due time all the same.
      await q.insertEvent(ctx.tx, { org_id: row.org_id, promise_id: row.id, kind: 'broken', by_user_id: null, old_due_at: null, new_due_at: null, entry_id: null, note: null, at: row.due_at });
    }
    await q.insertEvent(ctx.tx, {
      org_id: row.org_id,
      promise_id: row.id,
      kind: late ? 'kept_late' : 'kept',
      by_user_id: actor.userId,
      old_due_at: null,
      new_due_at: null,
      entry_id: entry.id,
      note: null,
      at: now,
    });
    const kase = await findCaseById(ctx.tx, row.org_id, row.case_id, ctx.lockRows);
    if (kase && kase.status === 'promised' && (await q.openOnCase(ctx.tx, kase.id)) === 0) {
      await changeCase(ctx, kase, { status: 'open' }, { by: actor, prefix: actor.casePrefix, reason: 'promise_kept' });
    }
    emitChanged(ctx, next);
  });
  return getPromise(p, actor, id);
}

/**
 * A new due time, only with the patron's consent recorded, only while the promise is open.
 * The old due time stays in the history; the version moves on, so the old reminder and due
 * jobs find nothing to do, and new ones are enqueued under new keys.
 */
export async function renegotiate(p: Platform, actor: Actor, id: number, input: RenegotiateBody): Promise<PromiseDetail> {
  await inTransaction(p, async (ctx) => {
    const row = requireVisible(actor, await q.findPromise(ctx.tx, id, ctx.lockRows));
    requireMayChange(actor, row);
    const now = ctx.clock.now();
    if (row.state !== 'open' || now >= row.due_at) {
      throw conflict('Only a promise not yet due can be renegotiated; this one is due or settled.', 'state');
    }
    const { due, windowStart } = checkDue(now, input.dueAt, input.window);
    const next = await q.updatePromise(ctx.tx, row.id, {
      due_at: due,
      window_start: windowStart,
      version: row.version + 1,
      reminded_at: null,
      updated_at: now,
    });
    await q.insertEvent(ctx.tx, {
      org_id: row.org_id,
      promise_id: row.id,
      kind: 'renegotiated',
      by_user_id: actor.userId,
      old_due_at: row.due_at,
      new_due_at: due,
      entry_id: null,
      note: input.consentNote,
      at: now,
    });
    await schedule(ctx, next);
    emitChanged(ctx, next);
  });
  return getPromise(p, actor, id);
}

export async function onCase(p: Platform, actor: Actor, ref: string): Promise<{ items: PromiseDetail[] }> {
  const kase = await requireCase(p.db, actor, ref);
  let rows = await q.onCase(p.db, kase.id, 100);
  if (actor.role === 'volunteer') rows = rows.filter((r) => r.owner_user_id === actor.userId);
  return { items: await details(p, actor, rows.map((r) => r.id)) };
}

export async function onPatron(p: Platform, actor: Actor, patronId: number, after: string | undefined): Promise<PromiseList> {
  requireMayReadTeam(actor);
  if (!(await q.patronInOrg(p.db, actor.orgId, patronId))) throw notFound('Patron');
  const before = after ? Number(after) : null;
  if (before !== null && !Number.isInteger(before)) throw badRequest('is not a cursor of this list', 'after');
  const rows = await q.onPatron(p.db, actor.orgId, patronId, before, PAGE + 1);
  const page = rows.slice(0, PAGE);
  return {
    items: page.map((r) => toPromiseView(r, actor.casePrefix)),
    nextCursor: rows.length > PAGE ? String(page[page.length - 1]!.id) : null,
  };
}

/** My promises today, in the organization's day: overdue, due soon, due later today, kept today. */
export async function mine(p: Platform, actor: Actor, userId?: number): Promise<MyPromises> {
  const whose = await whosePromises(p, actor, userId);
  const now = p.clock.now();
  const day = await today(p, actor, now);
  const rows = await q.ownerToday.all(p.db, { ownerId: whose, dayStart: day.start, dayEnd: day.end, pendingLimit: TODAY_LIMIT + 1, keptLimit: TODAY_LIMIT });
  // Still to keep (open or broken) are today's, soonest first; the others were kept today, latest first.
  const pending = rows.filter((r) => r.state === 'open' || r.state === 'broken').sort((a, b) => a.due_at - b.due_at || a.id - b.id);
  const kept = rows.filter((r) => r.state === 'kept' || r.state === 'kept_late').sort((a, b) => b.kept_at! - a.kept_at! || b.id - a.id);
  const shown = pending.slice(0, TODAY_LIMIT);
  const moreToday = pending.length > TODAY_LIMIT;
  const out: MyPromises = {
    overdue: [],
    dueSoon: [],
    dueToday: [],
    keptToday: [],
    moreToday,
    // The list after the buckets: today's rest, when they could not hold it all, then later days.
    laterAfter: moreToday ? encodeCursor(shown[shown.length - 1]!) : encodeCursor({ due_at: day.end, id: 0 }),
    dayStart: day.start,
    dayEnd: day.end,
  };
  for (const r of shown) {
    const v = toPromiseView(r, actor.casePrefix);
    if (r.state === 'broken' || r.due_at <= now) out.overdue.push(v);
    else if (r.due_at <= now + DUE_SOON_MS) out.dueSoon.push(v);
    else out.dueToday.push(v);
  }
  out.keptToday = kept.map((r) => toPromiseView(r, actor.casePrefix));
  return out;
}

/**
 * My promises still to keep after a cursor (`laterAfter` of "my promises today", then each page's
 * `nextCursor`; by default from the end of today), soonest first: read apart from today's
 * buckets, so that a busy week ahead costs today's page nothing.
 */
export async function mineLater(p: Platform, actor: Actor, userId: number | undefined, after: string | undefined): Promise<PromiseList> {
  const whose = await whosePromises(p, actor, userId);
  const from = after ? decodeCursor(after) : ([(await today(p, actor, p.clock.now())).end, 0] as [number, number]);
  const rows = await q.ownerPending(p.db, whose, from, PAGE + 1);
  const items = rows.slice(0, PAGE).map((r) => toPromiseView(r, actor.casePrefix));
  return { items, nextCursor: rows.length > PAGE ? encodeCursor(rows[PAGE - 1]!) : null };
}

/** Whose promises a person may list: their own, or (staff but volunteers) a colleague's in their organization. */
async function whosePromises(p: Platform, actor: Actor, userId: number | undefined): Promise<number> {
  requireMayReadOthers(actor, userId);
  if (userId === undefined || userId === actor.userId) return actor.userId;
  const u = await q.userContact(p.db, userId);
  if (!u || u.org_id !== actor.orgId) throw notFound('User');
  return userId;
}

/** Keyset cursor over (due_at, id). */
const encodeCursor = (r: { due_at: number; id: number }) => `${r.due_at}.${r.id}`;
function decodeCursor(s: string): [number, number] {
  const m = /^(\d{1,16})\.(\d{1,10})$/.exec(s);
  if (!m) throw badRequest('is not a cursor of this list', 'after');
  return [Number(m[1]), Number(m[2])];
}

/** Today's bounds in the organization's time zone. */
async function today(p: Platform, actor: Actor, now: number) {
  const zone = actor.timeZone ?? (await findOrg(p.db, actor.orgId))?.time_zone ?? 'UTC';
  return dayBounds(now, zone);
}

export async function team(p: Platform, actor: Actor, teamId: number | undefined, after: string | undefined): Promise<PromiseList> {
  requireMayReadTeam(actor);
  const id = teamId ?? actor.teamId;
  if (id === null) throw badRequest('is required: you belong to no team', 'teamId');
  if (!(await findTeam(p.db, actor.orgId, id))) throw notFound('Team');
  const rows = await q.teamPending(p.db, id, after ? decodeCursor(after) : null, PAGE + 1);
  const items = rows.slice(0, PAGE).map((r) => toPromiseView(r, actor.casePrefix));
  return { items, nextCursor: rows.length > PAGE ? encodeCursor(rows[PAGE - 1]!) : null };
}

/**
 * Kept on time and late over promises falling due in a period, for the organization, a team
 * or one person. A team measure: a person sees their own, and staff see their colleagues' only
 * on that colleague's page, never side by side.
 */
export async function keptRate(p: Platform, actor: Actor, query: KeptRateQuery): Promise<KeptRate> {
  let scope: { org: number } | { team: number } | { owner: number };
  let id: number | null = null;
  if (query.scope === 'org') scope = { org: actor.orgId };
  else if (query.scope === 'team') {
    id = query.id ?? actor.teamId;
    if (id === null) throw badRequest('is required: you belong to no team', 'id');
    if (!(await findTeam(p.db, actor.orgId, id))) throw notFound('Team');
    scope = { team: id };
  } else {
    id = query.id ?? actor.userId;
    requireMayReadOthers(actor, id);
    const u = await q.userContact(p.db, id);
    if (!u || u.org_id !== actor.orgId) throw notFound('User');
    scope = { owner: id };
  }
  const c = await q.keptCounts(p.db, scope, query.from, query.to);
  const settled = c.kept + c.keptLate + c.broken;
  return {
    scope: query.scope,
    id,
    from: query.from,
    to: query.to,
    ...c,
    onTimeRate: settled ? c.kept / settled : null,
    keptRate: settled ? (c.kept + c.keptLate) / settled : null,
  };
}

export async function settings(p: Platform, actor: Actor, teamId: number): Promise<TeamPromiseSettings> {
  if (!(await findTeam(p.db, actor.orgId, teamId))) throw notFound('Team');
  const s = await q.teamSettings(p.db, teamId);
  return {
    teamId,
    reminderLeadMinutes: Math.round((s?.reminder_lead_ms ?? DEFAULT_REMINDER_LEAD_MS) / 60_000),
    escalateAfterMinutes: Math.round((s?.escalate_after_ms ?? DEFAULT_ESCALATE_AFTER_MS) / 60_000),
  };
}

/** Applies to promises made or renegotiated from now on; those already scheduled keep their times. */
export async function saveSettings(p: Platform, actor: Actor, teamId: number, body: TeamPromiseSettingsBody): Promise<TeamPromiseSettings> {
  if (!isManager(actor)) throw forbidden();
  await inTransaction(p, async (ctx) => {
    if (!(await findTeam(ctx.tx, actor.orgId, teamId))) throw notFound('Team');
    await q.saveTeamSettings(ctx.tx, {
      team_id: teamId,
      org_id: actor.orgId,
      reminder_lead_ms: body.reminderLeadMinutes * 60_000,
      escalate_after_ms: body.escalateAfterMinutes * 60_000,
      updated_at: ctx.clock.now(),
    });
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'team.promise_settings',
      targetType: 'team',
      targetId: teamId,
      detail: { ...body },
      ip: actor.ip,
    });
  });
  return settings(p, actor, teamId);
}
