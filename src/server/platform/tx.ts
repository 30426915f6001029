// One use case, one transaction; live events go out only after it commits.
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { Platform } from './context.js';
import type { BusEvent } from './events.js';

export type Emit = (event: BusEvent) => void;

export async function inTransaction<T>(
  p: Platform,
  work: (tx: Kysely<Database>, emit: Emit) => Promise<T>,
): Promise<T> {
  const events: BusEvent[] = [];
  const result = await p.db.transaction().execute((tx) => work(tx, (e) => events.push(e)));
  for (const event of events) {
    // This instance drops a revoked session at once, not when its own NOTIFY comes back.
    if (event.type === 'sessions.revoked') p.sessions.revoke(event);
    // A lost live event only delays a browser's refresh; the change itself is committed.
    await p.events.publish(event).catch(() => undefined);
  }
  return result;
}
