// The timed work of a promise, as code enqueues it: a reminder before due, the broken mark at
// due time, and the escalation after it. Each job carries the promise's version: a renegotiated
// promise has new jobs under new keys, and an older job finds the version moved on and does
// nothing. `promiseJobTypes(p)` (jobs.ts) binds the handlers to an instance.
import { z } from 'zod';
import { defineJob, type JobType } from '../platform/jobs/index.js';

export const DuePayload = z.object({ promiseId: z.number().int().positive(), version: z.number().int().positive() });
export type DuePayload = z.output<typeof DuePayload>;

export const REMIND = { kind: 'promise.remind', payload: DuePayload, maxAttempts: 10, backoffMs: 10_000 } as const;
export const DUE = { kind: 'promise.due', payload: DuePayload, maxAttempts: 10, backoffMs: 10_000 } as const;
/** The reminder's email, its own job so that composing it never holds back the in-app reminders. */
export const REMIND_MAIL = { kind: 'promise.remind-mail', payload: DuePayload, maxAttempts: 10, backoffMs: 10_000 } as const;
export const ESCALATE = { kind: 'promise.escalate', payload: DuePayload, maxAttempts: 10, backoffMs: 10_000 } as const;

const unbound = (kind: string) => async () => {
  throw new Error(`${kind}: this instance runs no promise jobs (promiseJobTypes was not given to its runner)`);
};
export const remindKind: JobType<DuePayload> = defineJob({ ...REMIND, run: unbound(REMIND.kind) });
export const dueKind: JobType<DuePayload> = defineJob({ ...DUE, run: unbound(DUE.kind) });
export const remindMailKind: JobType<DuePayload> = defineJob({ ...REMIND_MAIL, run: unbound(REMIND_MAIL.kind) });
export const escalateKind: JobType<DuePayload> = defineJob({ ...ESCALATE, run: unbound(ESCALATE.kind) });

/** The key of one job of one version of one promise: unique install-wide. */
export const jobKey = (kind: 'remind' | 'remind-mail' | 'due' | 'escalate', p: DuePayload) => `promise.${kind}:${p.promiseId}:v${p.version}`;

