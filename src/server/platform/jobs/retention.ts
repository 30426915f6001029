// Done rows are kept only for their unique key (so a trigger that runs again within the period
// cannot enqueue the same work twice); housekeeping purges them afterwards.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { purgeDone } from './queries.js';

export const DONE_RETENTION_MS = 30 * 86_400_000;

/** Deletes done rows past the retention period, at most `max` per call (a bounded write). */
export async function purgeFinishedJobs(db: Kysely<Database>, now: number, max = 5000): Promise<number> {
  let purged = 0;
  while (purged < max) {
    const n = await purgeDone(db, now - DONE_RETENTION_MS, Math.min(1000, max - purged));
    purged += n;
    if (n < 1000) break;
  }
  return purged;
}
