// Jobs as admins see them: their organization's and the system's queued, running and dead
// jobs; a dead job can be retried, a job no worker holds discarded. Both are audited.
import type { JobPage, JobQuery, JobView } from '../../contracts/jobs.js';
import { MAX_ID } from '../../contracts/common.js';
import { audit } from '../platform/audit.js';
import type { Actor } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { discardJob, retryDeadJob, wakeRunners } from '../platform/jobs/index.js';
import { inTransaction } from '../platform/tx.js';
import * as q from './queries.js';

function payloadOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // a stored payload that is not JSON is shown as it is (the job is dead for it)
  }
}

export const toJobView = (r: q.JobListRow): JobView => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  system: r.org_id === null,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: r.run_at,
  leaseExpiresAt: r.state === 'running' ? r.lease_expires_at : null,
  lastError: r.last_error,
  uniqueKey: r.unique_key,
  payload: payloadOf(r.payload),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

// The cursor is the last id shown, opaque to clients.
const encodeCursor = (id: number) => Buffer.from(`j${id}`).toString('base64url');
function decodeCursor(cursor: string): number | null {
  const m = /^j([1-9][0-9]{0,9})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  const id = m ? Number(m[1]) : NaN;
  return id <= MAX_ID ? id : null;
}

export async function listJobs(p: Platform, actor: Actor, query: JobQuery): Promise<JobPage> {
  const before = query.after === undefined ? undefined : decodeCursor(query.after);
  if (before === null) throw badRequest('is not a valid cursor', 'after');
  const rows = await q.jobsPage(p.db, actor.orgId, query.state, before, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toJobView),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
  };
}

export async function retryJob(p: Platform, actor: Actor, id: number): Promise<JobView> {
  const view = await inTransaction(p, async (ctx) => {
    const job = await q.findJob(ctx.tx, actor.orgId, id);
    if (!job) throw notFound('Job');
    const now = ctx.clock.now();
    if (!(await retryDeadJob(ctx.tx, id, now))) {
      throw conflict(`Only a dead job can be retried; this one is ${job.state}.`);
    }
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'job.retried',
      targetType: 'job',
      targetId: id,
      detail: { kind: job.kind, attempts: job.attempts, lastError: job.last_error },
      ip: actor.ip,
    });
    return toJobView((await q.findJob(ctx.tx, actor.orgId, id))!);
  });
  wakeRunners(p.db); // it is due now: this process's runners need not wait for their poll
  return view;
}

export async function discardJobOf(p: Platform, actor: Actor, id: number): Promise<void> {
  await inTransaction(p, async (ctx) => {
    const job = await q.findJob(ctx.tx, actor.orgId, id);
    if (!job) throw notFound('Job');
    if (!(await discardJob(ctx.tx, id))) {
      throw conflict(
        job.state === 'running'
          ? 'This job is running; discard it once it has finished or failed.'
          : `This job is ${job.state} and cannot be discarded.`,
      );
    }
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'job.discarded',
      targetType: 'job',
      targetId: id,
      detail: { kind: job.kind, state: job.state, payload: payloadOf(job.payload) },
      ip: actor.ip,
    });
  });
}
