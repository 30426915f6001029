// The mail job kinds as other code enqueues them. Their handlers need this instance's relays
// and platform, so the runner gets them bound at start (`mailJobTypes` in runtime.ts); the
// kinds here only name the work and check its payload.
import { z } from 'zod';
import { defineJob, type JobType } from '../platform/jobs/index.js';

const unbound = (kind: string) => async () => {
  throw new Error(`${kind}: this instance runs no mail jobs (createMailRuntime was not started)`);
};

export const DeliverPayload = z.object({ outboxId: z.number().int().positive() });
export type DeliverPayload = z.output<typeof DeliverPayload>;

/**
 * Hands one outbox row to the relay. Each try is one job: a temporary failure records the try
 * and enqueues the next one with its delay, in one transaction. The runner's own retries only
 * cover a handler that could not record its outcome (a crash, a lost database).
 */
export const DELIVER = { kind: 'mail.deliver', payload: DeliverPayload, maxAttempts: 12, backoffMs: 30_000 } as const;
export const deliverKind: JobType<DeliverPayload> = defineJob({ ...DELIVER, run: unbound(DELIVER.kind) });

export const ParsePayload = z.object({ inboundId: z.number().int().positive() });
export type ParsePayload = z.output<typeof ParsePayload>;

/** Parses one stored inbound message and threads it into a case, exactly once. */
export const PARSE = { kind: 'mail.parse', payload: ParsePayload, maxAttempts: 5, backoffMs: 10_000 } as const;
export const parseKind: JobType<ParsePayload> = defineJob({ ...PARSE, run: unbound(PARSE.kind) });

export const ReleasePayload = z.object({ orgId: z.number().int().positive() });

/** Queues an organization's held mail again once a relay is there (settings saved). */
export const RELEASE = { kind: 'mail.release', payload: ReleasePayload, maxAttempts: 3, backoffMs: 10_000 } as const;
export const releaseKind: JobType<z.input<typeof ReleasePayload>> = defineJob({ ...RELEASE, run: unbound(RELEASE.kind) });

export const ImapPollPayload = z.object({ mailboxId: z.number().int().positive() });
export type ImapPollPayload = z.output<typeof ImapPollPayload>;

/**
 * One poll of one IMAP mailbox (imap-poll.ts). What the server says (a refused password, a host
 * that does not answer) is recorded on the mailbox, which backs off on its own; the runner's
 * retries only cover a poll that could not record its outcome (the database gone).
 */
export const IMAP_POLL = { kind: 'mail.imap-poll', payload: ImapPollPayload, maxAttempts: 3, backoffMs: 30_000 } as const;
export const imapPollKind: JobType<ImapPollPayload> = defineJob({ ...IMAP_POLL, run: unbound(IMAP_POLL.kind) });
