// What the promise jobs do, inside the job's own transaction: remind the owner before due (in
// the app and by email), record the promise broken at its due time, and tell the team's
// supervisors once it is overdue. Each does nothing when the promise has moved on (kept,
// renegotiated to a newer version), so an old job never fires for a new due time.
import { findOrg } from '../admin/api.js';
import { findCaseById } from '../cases/api.js';
import type { PromiseRow } from '../db/types.js';
import { queueMail } from '../mail/api.js';
import { notify } from '../notifications/api.js';
import type { TxContext } from '../platform/context.js';
import { escalateKind, jobKey, type DuePayload } from './kinds.js';
import { emitChanged, teamTimes } from './lifecycle.js';
import * as q from './queries.js';

/** The promise of this job's version, locked, when it is still in a state the job expects. */
async function current(ctx: TxContext, payload: DuePayload, states: Array<PromiseRow['state']>) {
  const row = await q.findPromise(ctx.tx, payload.promiseId, ctx.lockRows);
  if (!row || row.version !== payload.version || !states.includes(row.state)) return null;
  return row;
}

async function about(ctx: TxContext, row: PromiseRow) {
  const org = await findOrg(ctx.tx, row.org_id);
  const kase = await findCaseById(ctx.tx, row.org_id, row.case_id);
  const ref = `${org?.case_prefix ?? 'SW'}-${kase?.number ?? row.case_id}`;
  const to = row.patron_id ? ((await q.patronInOrg(ctx.tx, row.org_id, row.patron_id))?.name ?? 'the patron') : 'a colleague';
  const when = new Intl.DateTimeFormat(org?.locale ?? 'en-US', {
    timeZone: org?.time_zone ?? 'UTC',
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    month: 'short',
    day: 'numeric',
  }).format(row.due_at);
  const link = `/cases/${ref}`;
  return { ref, to, when, link, url: `${ctx.publicUrl}${link}`, subject: kase?.subject ?? '' };
}

/**
 * Reminds the owner of a promise not yet kept. Usually well before due; when no instance ran at
 * the reminder's time and the due time has passed too (the due job may then run first), the
 * owner is still told, once, that it is overdue.
 */
export async function remind(ctx: TxContext, payload: DuePayload): Promise<void> {
  const row = await current(ctx, payload, ['open', 'broken']);
  if (!row || row.reminded_at !== null) return;
  const now = ctx.clock.now();
  const owner = await q.userContact(ctx.tx, row.owner_user_id);
  const a = await about(ctx, row);
  const key = jobKey('remind', payload);
  const title = row.state === 'broken' ? `Promise overdue since ${a.when}: ${a.ref}` : `Promise due ${a.when}: ${a.ref}`;
  const body = `You promised ${a.to} (${row.how.replace('_', ' ')}): ${row.what}`;
  if (owner && owner.deactivated_at === null) {
    await notify(ctx, { orgId: row.org_id, userId: owner.id, kind: 'promise.reminder', title, body, link: a.link, key });
    await queueMail(ctx, {
      orgId: row.org_id,
      kind: 'notification',
      to: [{ address: owner.email, name: owner.name }],
      teamId: row.team_id,
      subject: `Reminder: ${title}`,
      text: `${body}\n\nCase ${a.ref}: ${a.subject}\nDue ${a.when}.\n\n${a.url}\n`,
      key,
    });
  }
  const next = await q.updatePromise(ctx.tx, row.id, { reminded_at: now, updated_at: now });
  await q.insertEvent(ctx.tx, event(row, 'reminded', now));
  emitChanged(ctx, next);
}

/** At due time, a promise not kept is broken, recorded at its due time, and stays so. */
export async function markBroken(ctx: TxContext, payload: DuePayload): Promise<void> {
  const row = await current(ctx, payload, ['open']);
  if (!row) return;
  const now = ctx.clock.now();
  const next = await q.updatePromise(ctx.tx, row.id, { state: 'broken', broken_at: row.due_at, updated_at: now });
  await q.insertEvent(ctx.tx, { ...event(row, 'broken', row.due_at) });
  const times = await teamTimes(ctx.tx, row.team_id);
  await ctx.jobs.enqueue(escalateKind, payload, {
    runAt: row.due_at + times.escalateAfterMs,
    orgId: row.org_id,
    uniqueKey: jobKey('escalate', payload),
  });
  emitChanged(ctx, next);
}

/** Once overdue and still not kept: the team's supervisors (else the admins) hear of it, once. */
export async function escalate(ctx: TxContext, payload: DuePayload): Promise<void> {
  const row = await current(ctx, payload, ['broken']);
  if (!row || row.escalated_at !== null) return;
  const now = ctx.clock.now();
  const a = await about(ctx, row);
  const owner = await q.userContact(ctx.tx, row.owner_user_id);
  const key = jobKey('escalate', payload);
  const title = `Overdue promise: ${a.ref}`;
  const body = `${owner?.name ?? 'A colleague'} promised ${a.to} by ${a.when} (${row.how.replace('_', ' ')}): ${row.what}`;
  for (const s of await q.escalationRecipients(ctx.tx, row.org_id, row.team_id)) {
    await notify(ctx, { orgId: row.org_id, userId: s.id, kind: 'promise.escalation', title, body, link: a.link, key });
    await queueMail(ctx, {
      orgId: row.org_id,
      kind: 'notification',
      to: [{ address: s.email, name: s.name }],
      teamId: row.team_id,
      subject: title,
      text: `${body}\n\nThe promise was due ${a.when} and has not been kept.\nCase ${a.ref}: ${a.subject}\n\n${a.url}\n`,
      key: `${key}:${s.id}`,
    });
  }
  const next = await q.updatePromise(ctx.tx, row.id, { escalated_at: now, updated_at: now });
  await q.insertEvent(ctx.tx, event(row, 'escalated', now));
  emitChanged(ctx, next);
}

function event(row: PromiseRow, kind: 'reminded' | 'broken' | 'escalated', at: number) {
  return {
    org_id: row.org_id,
    promise_id: row.id,
    kind,
    by_user_id: null,
    old_due_at: null,
    new_due_at: null,
    entry_id: null,
    note: null,
    at,
  };
}
