// The use cases of a case on the desk: log one, open it, change it, add to its timeline, delete
// it. Each is one transaction; the moves themselves are in lifecycle.ts.
import type { CaseCreateBody, CaseDetail, CaseUpdateBody, EntryCreateBody } from '../../contracts/cases.js';
import { userName } from '../admin/api.js';
import { queueMail } from '../mail/api.js';
import { createPatronIn, patronForEmail, touchPatron } from '../patrons/api.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { randomToken } from '../platform/passwords.js';
import { inTransaction } from '../platform/tx.js';
import {
  addTimelineEntry,
  changeCase,
  changedEvent,
  openCase,
  recordPatronMessage,
  reindexCase,
  requireAssignee,
  requireTeam,
} from './lifecycle.js';
import { maySeeStatusLink, requireCase } from './policy.js';
import * as q from './queries.js';
import { allowedNext } from './transitions.js';
import { formatRef, parseRef, toCaseDetail } from './views.js';

const TIMELINE_PAGE = 50;

/** Staff open a case: a logged phone call or walk-in, or anything else by hand. */
export async function createCase(p: Platform, actor: Actor, input: CaseCreateBody): Promise<CaseDetail> {
  const row = await inTransaction(p, async (ctx) => {
    let patronId: number | null = null;
    if (input.patronId) {
      const exists = await q.patronOf.first(ctx.tx, { orgId: actor.orgId, id: input.patronId });
      if (!exists) throw badRequest('is not a patron of this organization', 'patronId');
      patronId = exists.id;
    } else if (input.patron) {
      const { email } = input.patron;
      patronId = email
        ? (await patronForEmail(ctx, actor.orgId, { ...input.patron, email })).id
        : (await createPatronIn(ctx, actor.orgId, input.patron)).id;
    } else if (input.channel !== 'internal') {
      throw badRequest('is required: pick a patron or add a new one', 'patronId');
    }
    const status = input.status ?? 'open';
    if (status === 'closed') throw badRequest('a new case cannot start closed; resolve it', 'status');
    const teamId = input.teamId === undefined ? actor.teamId : input.teamId;
    const assigneeId = input.assigneeId === undefined ? actor.userId : input.assigneeId;
    await requireTeam(ctx.tx, actor.orgId, teamId);
    await requireAssignee(ctx.tx, actor.orgId, assigneeId);
    return openCase(ctx, {
      orgId: actor.orgId,
      channel: input.channel,
      patronId,
      subject: input.subject,
      body: input.body,
      direction: input.direction,
      road: input.road,
      status,
      priority: input.priority,
      teamId,
      assigneeId,
      tags: input.tags,
      createdBy: actor.userId,
    });
  });
  return getCase(p, actor, formatRef(actor.casePrefix, row.number));
}

export async function getCase(p: Platform, actor: Actor, ref: string): Promise<CaseDetail> {
  const parsed = parseRef(ref);
  const found =
    parsed && parsed.prefix === actor.casePrefix ? await q.caseWithNames(p.db, actor.orgId, parsed.number) : undefined;
  if (!found) throw notFound(`Case ${ref}`);
  const entries = await q.timeline(p.db, found.id, { limit: TIMELINE_PAGE });
  return toCaseDetail({
    row: found,
    summary: found,
    prefix: actor.casePrefix,
    entries: entries.rows,
    earlier: entries.earlier,
    creator:
      found.created_by !== null && found.creator_name !== null ? { id: found.created_by, name: found.creator_name } : null,
    allowed: [...allowedNext(found.status)],
    publicUrl: p.publicUrl,
    showStatusLink: maySeeStatusLink(actor),
  });
}

export async function earlierEntries(p: Platform, actor: Actor, ref: string, before: number, limit: number) {
  const row = await requireCase(p.db, actor, ref);
  return q.timeline(p.db, row.id, { before, limit });
}

export async function updateCase(p: Platform, actor: Actor, ref: string, input: CaseUpdateBody): Promise<CaseDetail> {
  await inTransaction(p, async (ctx) => {
    const row = await requireCase(ctx.tx, actor, ref, ctx.lockRows);
    await changeCase(ctx, row, input, { by: actor, prefix: actor.casePrefix });
  });
  return getCase(p, actor, ref);
}

/**
 * A reply to the patron, an internal note, or a patron message taken down by staff. A reply is
 * emailed to the patron (and the people copied on the case); `mail: false` only records it
 * (the demo's history, written as if long sent).
 */
export async function addEntry(
  p: Platform,
  actor: Actor,
  ref: string,
  input: EntryCreateBody,
  opts: { mail?: boolean } = {},
): Promise<CaseDetail> {
  if (input.kind === 'note' && input.road) {
    throw badRequest('applies to messages with the patron, not to internal notes', 'road');
  }
  await inTransaction(p, async (ctx) => {
    let row = await requireCase(ctx.tx, actor, ref, ctx.lockRows);
    const now = ctx.clock.now();
    // Under the row lock: two colleagues taking one case at once, the second learns who won.
    if (input.take && row.assignee_id !== null && row.assignee_id !== actor.userId) {
      const holder = await userName(ctx.tx, row.assignee_id);
      throw conflict(`${holder?.name ?? 'A colleague'} has taken this case; your message was not sent.`, 'take');
    }
    const take = input.take && row.assignee_id === null ? { assigneeId: actor.userId } : {};
    if (input.kind === 'patron_message') {
      if (input.status) throw badRequest('a patron message sets the status by itself', 'status');
      if (input.take) row = await changeCase(ctx, row, take, { by: actor, prefix: actor.casePrefix });
      await recordPatronMessage(
        ctx,
        row,
        { body: input.body, channel: input.channel ?? row.channel, road: input.road, loggedBy: actor.userId },
        actor.casePrefix,
      );
      return;
    }
    const reply = input.kind === 'reply';
    if (reply && !row.patron_id) throw conflict('This case has no patron to reply to.', 'kind');
    // A reply goes out by email unless it says it went another way (a call back logged).
    const mailIt = reply && opts.mail !== false && (input.channel === undefined || input.channel === 'email');
    const entryId = await addTimelineEntry(ctx, row, {
      kind: reply ? 'message_out' : 'note',
      channel: reply ? (input.channel ?? (mailIt ? 'email' : row.channel)) : null,
      body: input.body,
      road: input.road ?? null,
      authorUserId: actor.userId,
      authorPatronId: null,
    });
    if (mailIt) {
      const queued = await queueMail(ctx, { orgId: actor.orgId, kind: 'reply', caseId: row.id, entryId, text: input.body, byUserId: actor.userId });
      // Nobody to write to (no email address): the reply is kept on the case and its status page.
      if (!queued && input.channel === undefined) await q.setEntryChannel(ctx.tx, entryId, row.channel);
    }
    const firstResponse =
      reply && row.first_response_at === null ? { first_response_at: now, first_response_ms: now - row.created_at } : {};
    // Replying to a new case opens it, unless the reply says where it goes next. An override
    // needs a reason: that is the case update's job, not the composer's.
    const to = input.status ?? (reply && row.status === 'new' ? 'open' : undefined);
    const next = await changeCase(
      ctx,
      row,
      { status: to, ...take },
      { by: actor, prefix: actor.casePrefix, also: { last_activity_at: now, ...firstResponse } },
    );
    if (reply && row.patron_id) await touchPatron(ctx, row.patron_id);
    await reindexCase(ctx, next);
  });
  return getCase(p, actor, ref);
}

/**
 * A new status link for the case: the old token stops working at once (a link sent to the
 * wrong address, or copied by someone who has left). Audited, without either token.
 */
export async function rotateStatusLink(p: Platform, actor: Actor, ref: string): Promise<CaseDetail> {
  await inTransaction(p, async (ctx) => {
    const row = await requireCase(ctx.tx, actor, ref, ctx.lockRows);
    await q.setStatusToken(ctx.tx, row.id, randomToken(24), ctx.clock.now());
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'case.status_link_rotated',
      targetType: 'case',
      targetId: formatRef(actor.casePrefix, row.number),
      ip: actor.ip,
    });
    ctx.emit(changedEvent(row, actor.userId, ctx.clock.now(), actor.casePrefix));
  });
  return getCase(p, actor, ref);
}

/** Admins delete a case (spam, a duplicate): audited, and gone from counters and search. */
export async function deleteCase(p: Platform, actor: Actor, ref: string): Promise<void> {
  await inTransaction(p, async (ctx) => {
    const row = await requireCase(ctx.tx, actor, ref, ctx.lockRows);
    await q.adjustCounters(ctx.tx, row.org_id, [
      { teamId: row.team_id, assigneeId: row.assignee_id, status: row.status, n: -1 },
    ]);
    await ctx.search.remove(ctx.tx, 'case', row.id);
    await q.deleteCaseRow(ctx.tx, row.id);
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'case.deleted',
      targetType: 'case',
      targetId: formatRef(actor.casePrefix, row.number),
      detail: { subject: row.subject, status: row.status },
      ip: actor.ip,
    });
    ctx.emit(changedEvent(row, actor.userId, ctx.clock.now(), actor.casePrefix));
  });
}
