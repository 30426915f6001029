// The email channel of one app instance: its relays and the handlers of the mail jobs (IMAP
// polling among them), bound to this instance's platform. main.ts starts it and gives the job
// runner its `jobTypes`.
import type { Platform } from '../platform/context.js';
import { defineJob, defineRecurring, type AnyJobType } from '../platform/jobs/index.js';
import type { Logger } from '../platform/jobs/listener.js';
import type { SmtpRelaySettings } from '../platform/mailer/index.js';
import { inJobTransaction } from '../platform/tx.js';
import { deliverOutbox, releaseHeld, type DeliveryDeps } from './deliver.js';
import { DELIVER, IMAP_POLL, imapPollKind, PARSE, RELEASE, releaseKind } from './jobs.js';
import { pollMailbox, POLL_EVERY_MS, type ImapPollDeps } from './imap-poll.js';
import * as q from './queries.js';
import { Relays } from './relays.js';
import { threadInbound } from './thread.js';
import { createParsePool } from './parse-pool.js';

export interface MailRuntimeOptions {
  /** The install-wide relay (SMTP_RELAY_URL), for organizations without their own. */
  installRelay?: SmtpRelaySettings | null;
  log: Logger;
  /** Parse inbound mail in worker threads (default); false: on the main thread. */
  parseWorkers?: boolean;
}

export interface MailRuntime {
  relays: Relays;
  /** Every mail job kind with its handler, for this instance's JobRunner. */
  jobTypes: AnyJobType[];
  close(): Promise<void>;
}

/** Every 10 minutes: organizations whose held mail now has a relay (one set in the environment). */
const SWEEP_EVERY_MS = 10 * 60_000;

export function createMailRuntime(p: Platform, opts: MailRuntimeOptions): MailRuntime {
  const relays = new Relays(opts.installRelay ?? null);
  const deps: DeliveryDeps = { p, relays, log: opts.log };
  const pool = opts.parseWorkers === false ? null : createParsePool();
  const imap: ImapPollDeps = { p, log: opts.log };
  const jobTypes: AnyJobType[] = [
    defineJob({ ...DELIVER, run: (payload, job) => deliverOutbox(deps, payload.outboxId, job) }) as AnyJobType,
    defineJob({ ...PARSE, run: (payload, job) => threadInbound({ p, ...(pool ? { parse: pool.parse } : {}) }, payload.inboundId, job) }) as AnyJobType,
    defineJob({ ...RELEASE, run: (payload, job) => releaseHeld(deps, payload.orgId, job) }) as AnyJobType,
    defineRecurring({
      kind: 'mail.release-sweep',
      everyMs: SWEEP_EVERY_MS,
      run: async (job) => {
        const orgs = await q.orgsWithHeldMail(p.db, 100);
        const ready: number[] = [];
        for (const { org_id } of orgs) if (await relays.forOrg(p.db, org_id)) ready.push(org_id);
        await inJobTransaction(p, job, async (ctx) => {
          for (const orgId of ready) await ctx.jobs.enqueue(releaseKind, { orgId }, { orgId, uniqueKey: `mail.release:${orgId}:${job.id}` });
        });
      },
    }) as AnyJobType,
    defineJob({
      ...IMAP_POLL,
      run: async (payload, job) => {
        await pollMailbox(imap, payload.mailboxId, `mail.imap-poll:${payload.mailboxId}:after:${job.id}`);
      },
    }) as AnyJobType,
    // Each tick queues a poll of every mailbox that is due (not backing off, not being polled).
    defineRecurring({
      kind: 'mail.imap-sweep',
      everyMs: POLL_EVERY_MS,
      run: async (job) => {
        const due = await q.imapDue(p.db, job.now, 500);
        if (!due.length) return;
        await inJobTransaction(p, job, async (ctx) => {
          await ctx.jobs.enqueueMany(
            imapPollKind,
            due.map((m) => ({ payload: { mailboxId: m.id }, orgId: m.org_id, uniqueKey: `mail.imap-poll:${m.id}:${job.id}` })),
          );
        });
      },
    }) as AnyJobType,
  ];
  return {
    relays,
    jobTypes,
    close: async () => {
      await relays.close();
      await pool?.close();
    },
  };
}
