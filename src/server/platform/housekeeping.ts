// Periodic tidying that no request does: expired sessions, stale presence rows, and done jobs
// past their retention. A recurring job, so each tick runs on one instance, not on every one.
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { defineRecurring, purgeFinishedJobs } from './jobs/index.js';
import { deleteExpiredPresence, deleteExpiredSessions } from './queries.js';

export async function purgeExpired(
  db: Kysely<Database>,
  now: number,
): Promise<{ sessions: number; presence: number; jobs: number }> {
  return {
    sessions: await deleteExpiredSessions(db, now),
    presence: await deleteExpiredPresence(db, now),
    jobs: await purgeFinishedJobs(db, now),
  };
}

export const HOUSEKEEPING_EVERY_MS = 15 * 60_000;

/** Runs the purge in the tick's own transaction: done exactly once per tick. */
export const housekeeping = defineRecurring({
  kind: 'housekeeping',
  everyMs: HOUSEKEEPING_EVERY_MS,
  run: async (job) => {
    await job.transaction((tx) => purgeExpired(tx, job.now));
  },
});
