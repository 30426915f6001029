// The handlers of the promise jobs, bound to one instance's platform (main.ts gives them to
// its JobRunner).
import type { Platform } from '../platform/context.js';
import { defineJob, type AnyJobType } from '../platform/jobs/index.js';
import { inBatchTransaction, inJobTransaction } from '../platform/tx.js';
import { escalate, markBroken, remind, remindByMail, remindByMailMany, remindMany } from './due.js';
import { DUE, ESCALATE, REMIND, REMIND_MAIL } from './kinds.js';

/**
 * Every promise job kind with its handler, for an instance's JobRunner. Each handler's effects
 * (the state, the history, the notification, the queued email) are one transaction that also
 * completes the job, so each happens exactly once however often the job is tried. Reminders
 * and their emails, which fall due in bursts, run in batches: one transaction for up to 100.
 */
export function promiseJobTypes(p: Platform): AnyJobType[] {
  return [
    defineJob({
      ...REMIND,
      run: (payload, job) => inJobTransaction(p, job, (ctx) => remind(ctx, payload)),
      batch: { run: (items, batch) => inBatchTransaction(p, batch, (ctx) => remindMany(ctx, items.map((i) => i.payload))) },
    }) as AnyJobType,
    defineJob({
      ...REMIND_MAIL,
      run: (payload, job) => inJobTransaction(p, job, (ctx) => remindByMail(ctx, payload)),
      batch: { run: (items, batch) => inBatchTransaction(p, batch, (ctx) => remindByMailMany(ctx, items.map((i) => i.payload))) },
    }) as AnyJobType,
    defineJob({ ...DUE, run: (payload, job) => inJobTransaction(p, job, (ctx) => markBroken(ctx, payload)) }) as AnyJobType,
    defineJob({ ...ESCALATE, run: (payload, job) => inJobTransaction(p, job, (ctx) => escalate(ctx, payload)) }) as AnyJobType,
  ];
}
