// One use case, one transaction; live events go out only after it commits.
import type { Kysely } from 'kysely';
import type { LiveEvent } from '../../contracts/live.js';
import type { Database } from '../db/types.js';
import type { Platform } from './context.js';

export type Emit = (event: LiveEvent) => void;

export async function inTransaction<T>(
  p: Platform,
  work: (tx: Kysely<Database>, emit: Emit) => Promise<T>,
): Promise<T> {
  const events: LiveEvent[] = [];
  const result = await p.db.transaction().execute((tx) => work(tx, (e) => events.push(e)));
  for (const event of events) {
    // A lost live event only delays a browser's refresh; the change itself is committed.
    await p.events.publish(event).catch(() => undefined);
  }
  return result;
}
