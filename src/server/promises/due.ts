// What the promise jobs do, inside the job's own transaction: remind the owner before due (in
// the app and by email), record the promise broken at its due time, and tell the team's
// supervisors once it is overdue. Each does nothing when the promise has moved on (kept,
// renegotiated to a newer version), so an old job never fires for a new due time.
import type { PromiseRow } from '../db/types.js';
import { queueMail, queueMails } from '../mail/api.js';
import { notify, notifyMany } from '../notifications/api.js';
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

type DueContextRow = Awaited<ReturnType<typeof q.dueContext>>;

function describe(ctx: TxContext, row: PromiseRow, c: DueContextRow) {
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

async function about(ctx: TxContext, row: PromiseRow) {
  return describe(ctx, row, await q.dueContext(ctx.tx, row.id));
}

/**
 * The promises whose current version one of these jobs is for, still in a state the jobs
 * expect, locked in id order (PostgreSQL), each once, with what its messages say. (A batch
 * may hold jobs of two versions of one promise: only the current version's acts.)
 */
async function currentMany(ctx: TxContext, payloads: readonly DuePayload[], states: Array<PromiseRow['state']>, lock: boolean) {
  const wanted = new Map<number, Set<number>>();
  for (const p of payloads) wanted.set(p.promiseId, (wanted.get(p.promiseId) ?? new Set()).add(p.version));
  const rows = (await q.findPromises(ctx.tx, [...wanted.keys()], lock)).filter(
    (row) => wanted.get(row.id)!.has(row.version) && states.includes(row.state),
  );
  const contexts = new Map((await q.dueContexts(ctx.tx, rows.map((r) => r.id))).map((c) => [c.promise_id, c]));
  return rows.map((row) => ({ row, a: describe(ctx, row, contexts.get(row.id)!) }));
}

/**
 * Reminds the owner of a promise not yet kept. Usually well before due; when no instance ran at
 * the reminder's time and the due time has passed too (the due job may then run first), the
 * owner is still told, once, that it is overdue.
 */
export async function remind(ctx: TxContext, payload: DuePayload): Promise<void> {
  await remindMany(ctx, [payload]);
}

/**
 * `remind` for a batch of reminder jobs, in the batch's one transaction: the promises read and
 * locked in one statement, the notifications, the email jobs, the promises' reminded mark and
 * their history each written in one.
 */
export async function remindMany(ctx: TxContext, payloads: readonly DuePayload[]): Promise<void> {
  const due = (await currentMany(ctx, payloads, ['open', 'broken'], ctx.lockRows)).filter(({ row }) => row.reminded_at === null);
  if (!due.length) return;
  const now = ctx.clock.now();
  const told = due.filter(({ a }) => a.owner !== null);
  await notifyMany(
    ctx,
    told.map(({ row, a }) => ({
      orgId: row.org_id,
      userId: a.owner!.id,
      kind: 'promise.reminder',
      title: row.state === 'broken' ? `Promise overdue since ${a.when}: ${a.ref}` : `Promise due ${a.when}: ${a.ref}`,
      body: `You promised ${a.to} (${row.how.replace('_', ' ')}): ${row.what}`,
      link: a.link,
      key: jobKey('remind', { promiseId: row.id, version: row.version }),
    })),
  );
  await ctx.jobs.enqueueMany(
    remindMailKind,
    told.map(({ row }) => {
      const payload = { promiseId: row.id, version: row.version };
      return { payload, orgId: row.org_id, uniqueKey: jobKey('remind-mail', payload) };
    }),
  );
  const next = await q.updatePromises(ctx.tx, due.map(({ row }) => row.id), { reminded_at: now, updated_at: now });
  await q.insertEvents(ctx.tx, due.map(({ row }) => event(row, 'reminded', now)));
  for (const row of next) emitChanged(ctx, row);
}

/** The reminder by email to the owner, queued once in the outbox (its key makes a rerun a no-op). */
export async function remindByMail(ctx: TxContext, payload: DuePayload): Promise<void> {
  await remindByMailMany(ctx, [payload]);
}

/** `remindByMail` for a batch: the promises and their wording read in two statements, the mail queued in a few. */
export async function remindByMailMany(ctx: TxContext, payloads: readonly DuePayload[]): Promise<void> {
  // Kept, released or renegotiated meanwhile: the email would remind of nothing.
  const due = (await currentMany(ctx, payloads, ['open', 'broken'], false)).filter(({ a }) => a.owner !== null);
  await queueMails(
    ctx,
    due.map(({ row, a }) => {
      const title = row.state === 'open' ? `Promise due ${a.when}: ${a.ref}` : `Promise overdue since ${a.when}: ${a.ref}`;
      return {
        orgId: row.org_id,
        kind: 'notification' as const,
        to: [{ address: a.owner!.email, name: a.owner!.name }],
        teamId: row.team_id,
        subject: `Reminder: ${title}`,
        text: `You promised ${a.to} (${row.how.replace('_', ' ')}): ${row.what}\n\nCase ${a.ref}: ${a.subject}\nDue ${a.when}.\n\n${a.url}\n`,
        key: jobKey('remind', { promiseId: row.id, version: row.version }),
      };
    }),
  );
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
