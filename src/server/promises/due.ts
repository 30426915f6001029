// What the promise jobs do, inside the job's own transaction: remind the owner before due (in
// the app and by email), record the promise broken at its due time, and tell the team's
// supervisors once it is overdue. Each does nothing when the promise has moved on (kept,
// renegotiated to a newer version), so an old job never fires for a new due time.
import type { PromiseRow } from '../db/types.js';
import { queueMail } from '../mail/api.js';
import { notify } from '../notifications/api.js';
import type { TxContext } from '../platform/context.js';
import { escalateKind, jobKey, remindMailKind, type DuePayload } from './kinds.js';
import { emitChanged, teamTimes } from './lifecycle.js';
import * as q from './queries.js';

/** The promise of this job's version, locked, when it is still in a state the job expects. */
async function current(ctx: TxContext, payload: DuePayload, states: Array<PromiseRow['state']>) {
  const row = await q.findPromise(ctx.tx, payload.promiseId, ctx.lockRows);
  if (!row || row.version !== payload.version || !states.includes(row.state)) return null;
  return row;
}

/** One formatter per locale and zone: building one costs more than the rest of a reminder. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string) {
  const key = `${locale}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', hour: 'numeric', minute: '2-digit', month: 'short', day: 'numeric' });
    formatters.set(key, f);
  }
  return f;
}

async function about(ctx: TxContext, row: PromiseRow) {
  const c = await q.dueContext(ctx.tx, row.id);
  const ref = `${c.case_prefix}-${c.case_number}`;
  const link = `/cases/${ref}`;
  return {
    ref,
    to: row.patron_id ? (c.patron_name ?? 'the patron') : 'a colleague',
    when: formatter(c.locale, c.time_zone).format(row.due_at),
    link,
    url: `${ctx.publicUrl}${link}`,
    subject: c.case_subject,
    owner: c.owner_gone_at === null ? { id: c.owner_id, name: c.owner_name, email: c.owner_email } : null,
    ownerName: c.owner_name,
  };
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
  const a = await about(ctx, row);
  const owner = a.owner;
  const key = jobKey('remind', payload);
  const title = row.state === 'broken' ? `Promise overdue since ${a.when}: ${a.ref}` : `Promise due ${a.when}: ${a.ref}`;
  const body = `You promised ${a.to} (${row.how.replace('_', ' ')}): ${row.what}`;
  if (owner) {
    await notify(ctx, { orgId: row.org_id, userId: owner.id, kind: 'promise.reminder', title, body, link: a.link, key });
    await ctx.jobs.enqueue(remindMailKind, payload, { orgId: row.org_id, uniqueKey: jobKey('remind-mail', payload) });
  }
  const next = await q.updatePromise(ctx.tx, row.id, { reminded_at: now, updated_at: now });
  await q.insertEvent(ctx.tx, event(row, 'reminded', now));
  emitChanged(ctx, next);
}

/** The reminder by email to the owner, queued once in the outbox (its key makes a rerun a no-op). */
export async function remindByMail(ctx: TxContext, payload: DuePayload): Promise<void> {
  const row = await q.findPromise(ctx.tx, payload.promiseId);
  // Kept, released or renegotiated meanwhile: the email would remind of nothing.
  if (!row || row.version !== payload.version || (row.state !== 'open' && row.state !== 'broken')) return;
  const a = await about(ctx, row);
  if (!a.owner) return;
  const title = row.state === 'open' ? `Promise due ${a.when}: ${a.ref}` : `Promise overdue since ${a.when}: ${a.ref}`;
  await queueMail(ctx, {
    orgId: row.org_id,
    kind: 'notification',
    to: [{ address: a.owner.email, name: a.owner.name }],
    teamId: row.team_id,
    subject: `Reminder: ${title}`,
    text: `You promised ${a.to} (${row.how.replace('_', ' ')}): ${row.what}\n\nCase ${a.ref}: ${a.subject}\nDue ${a.when}.\n\n${a.url}\n`,
    key: jobKey('remind', payload),
  });
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
  const key = jobKey('escalate', payload);
  const title = `Overdue promise: ${a.ref}`;
  const body = `${a.ownerName} promised ${a.to} by ${a.when} (${row.how.replace('_', ' ')}): ${row.what}`;
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
