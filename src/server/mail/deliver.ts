// Delivering the outbox: one try per job. A try claims its message (so no two tries send it at
// once), hands the stored bytes to the relay, and records what the relay said together with
// the job's completion and, after a temporary failure, the next try's job. A crash between
// the send and that record leaves the claim behind: the next try, once the claim has run out,
// records the lost try as interrupted and sends the same bytes under the same Message-ID.
import type { Logger } from '../platform/jobs/listener.js';
import type { Platform, TxContext } from '../platform/context.js';
import type { Job } from '../platform/jobs/index.js';
import { classifyDeliveryError, type MailDeliveryError, type SendResult } from '../platform/mailer/index.js';
import { inJobTransaction, inTransaction } from '../platform/tx.js';
import { markEmailFailing } from '../patrons/api.js';
import { deliverKind, releaseKind } from './jobs.js';
import * as q from './queries.js';
import type { Relays } from './relays.js';

/** Waits between tries after a temporary failure: about 40 hours in all, then we give up. */
export const RETRY_DELAYS_MS = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3600_000,
  2 * 3600_000,
  4 * 3600_000,
  8 * 3600_000,
  12 * 3600_000,
  12 * 3600_000,
];
export const MAX_TRIES = RETRY_DELAYS_MS.length + 1;

/** How long a try holds its message: longer than the relay's timeouts add up to (relays.ts). */
export const CLAIM_MS = 3 * 60_000;

export const NO_RELAY = 'Not sent: no relay configured.';
const INTERRUPTED =
  'The try stopped before its outcome was recorded (the server stopped or lost its database). The relay may have ' +
  'received the message; it is sent again under the same Message-ID, which mail programs recognise.';

export interface DeliveryDeps {
  p: Platform;
  relays: Relays;
  log: Logger;
}

type Start =
  | { kind: 'nothing' }
  | { kind: 'busy'; until: number }
  | { kind: 'claimed'; attempt: number; startedAt: number };

/** One try to deliver outbox row `outboxId`. */
export async function deliverOutbox(d: DeliveryDeps, outboxId: number, job: Job): Promise<void> {
  const row = await q.outboxForDelivery(d.p.db, outboxId);
  if (!row || row.state === 'sent' || row.state === 'failed') return;
  // A re-run of a job whose outcome was recorded already: the next try has its own job.
  if (row.state === 'retrying' && row.next_attempt_at !== null && row.next_attempt_at > d.p.clock.now()) return;
  const relay = await d.relays.forOrg(d.p.db, row.org_id);

  const start = await inTransaction(d.p, async (ctx): Promise<Start> => {
    const s = await q.outboxState(ctx.tx, outboxId, ctx.lockRows);
    if (!s || s.state === 'sent' || s.state === 'failed') return { kind: 'nothing' };
    const now = ctx.clock.now();
    if (s.state === 'sending' && s.claimed_until !== null && s.claimed_until > now) return { kind: 'busy', until: s.claimed_until };
    if (s.state === 'sending') {
      await q.insertAttempt(ctx.tx, {
        outbox_id: s.id,
        org_id: s.org_id,
        attempt: s.attempts,
        started_at: s.updated_at,
        finished_at: now,
        outcome: 'interrupted',
        response: INTERRUPTED,
        relay: s.relay,
      });
    }
    if (!relay) {
      await q.updateOutbox(ctx.tx, s.id, { state: 'held', last_error: NO_RELAY, claimed_until: null, next_attempt_at: null, updated_at: now });
      await caseChanged(ctx, s.org_id, s.case_id);
      return { kind: 'nothing' };
    }
    await q.updateOutbox(ctx.tx, s.id, {
      state: 'sending',
      attempts: s.attempts + 1,
      claimed_until: now + CLAIM_MS,
      relay: relay.description,
      updated_at: now,
    });
    return { kind: 'claimed', attempt: s.attempts + 1, startedAt: now };
  });
  if (start.kind === 'nothing') return;
  if (start.kind === 'busy') {
    // Another try holds it (or held it when its worker died): the runner retries this job later.
    throw new Error(`Another try is sending outbox message ${outboxId} until ${new Date(start.until).toISOString()}.`);
  }

  let result: SendResult | null = null;
  let failure: MailDeliveryError | null = null;
  try {
    result = await relay!.mailer.send({ from: row.envelope_from, to: JSON.parse(row.envelope_to) as string[] }, row.raw);
  } catch (err) {
    failure = classifyDeliveryError(err);
  }

  await inJobTransaction(d.p, job, async (ctx) => {
    const now = ctx.clock.now();
    const attempt = { outbox_id: row.id, org_id: row.org_id, attempt: start.attempt, started_at: start.startedAt, finished_at: now, relay: relay!.description };
    if (result) {
      const refused = result.rejections.map((r) => `${r.recipient}: ${r.response}`).join('; ');
      await q.insertAttempt(ctx.tx, { ...attempt, outcome: 'sent', response: [result.response, refused].filter(Boolean).join(' · ').slice(0, 2000) });
      await q.updateOutbox(ctx.tx, row.id, {
        state: 'sent',
        sent_at: now,
        claimed_until: null,
        next_attempt_at: null,
        last_error: refused ? `Refused for some recipients: ${refused}`.slice(0, 2000) : null,
        updated_at: now,
      });
      for (const r of result.rejections) {
        if (r.kind === 'permanent') await markEmailFailing(ctx, row.org_id, r.recipient, r.response);
      }
    } else {
      const f = failure!;
      const said = describeFailure(f);
      const retry = f.kind === 'temporary' && start.attempt < MAX_TRIES;
      await q.insertAttempt(ctx.tx, { ...attempt, outcome: f.kind, response: said });
      if (retry) {
        const next = now + RETRY_DELAYS_MS[start.attempt - 1]!;
        await q.updateOutbox(ctx.tx, row.id, { state: 'retrying', claimed_until: null, next_attempt_at: next, last_error: said, updated_at: now });
        await ctx.jobs.enqueue(deliverKind, { outboxId: row.id }, { orgId: row.org_id, runAt: next, uniqueKey: `mail.deliver:${row.id}:${start.attempt}` });
      } else {
        const why = f.kind === 'temporary' ? `Gave up after ${start.attempt} tries. ${said}` : said;
        await q.updateOutbox(ctx.tx, row.id, { state: 'failed', claimed_until: null, next_attempt_at: null, last_error: why.slice(0, 2000), updated_at: now });
        if (f.kind === 'permanent') {
          for (const r of f.details.rejections) if (r.kind === 'permanent') await markEmailFailing(ctx, row.org_id, r.recipient, r.response);
        }
      }
    }
    await caseChanged(ctx, row.org_id, row.case_id);
  });
  if (failure) d.log.warn({ outboxId, attempt: start.attempt, kind: failure.kind, err: failure.message }, 'mail delivery failed');
}

/** What the relay said, in one line for the case and the admin screen. */
export function describeFailure(f: MailDeliveryError): string {
  const what = f.details.response ?? f.message;
  const refused = f.details.rejections.map((r) => `${r.recipient}: ${r.response}`).join('; ');
  const hint = f.details.configuration ? ' (check the relay settings)' : '';
  return `${refused || what}${hint}`.replace(/\s+/g, ' ').trim().slice(0, 2000);
}

/** The case's page refreshes: its delivery state moved. */
export async function caseChanged(ctx: TxContext, orgId: number, caseId: number | null): Promise<void> {
  if (caseId === null) return;
  const kase = await q.caseForMail(ctx.tx, orgId, caseId);
  const org = await q.orgForMail(ctx.tx, orgId);
  if (!kase || !org) return;
  ctx.emit({
    type: 'case.changed',
    orgId,
    caseId,
    ref: `${org.case_prefix}-${kase.number}`,
    teamId: kase.team_id,
    assigneeId: kase.assignee_id,
    byUserId: null,
    at: ctx.clock.now(),
  });
}

/** Queues an organization's held mail again, a batch at a time, once it has a relay. */
export async function releaseHeld(d: DeliveryDeps, orgId: number, job: Job): Promise<void> {
  if (!(await d.relays.forOrg(d.p.db, orgId))) return;
  const ids = (await q.heldOutbox(d.p.db, orgId, RELEASE_BATCH)).map((r) => r.id);
  await inJobTransaction(d.p, job, async (ctx) => {
    await q.requeueOutbox(ctx.tx, ids, ctx.clock.now());
    for (const id of ids) {
      await ctx.jobs.enqueue(deliverKind, { outboxId: id }, { orgId, uniqueKey: `mail.deliver:${id}:release:${job.id}` });
    }
    if (ids.length === RELEASE_BATCH) await ctx.jobs.enqueue(releaseKind, { orgId }, { orgId, uniqueKey: `mail.release:${orgId}:after:${job.id}` });
  });
}
export const RELEASE_BATCH = 500;
