// One use case, one transaction. The work gets a TxContext (no database handle); live events
// and after-commit hooks run only once the transaction has committed.
import type { Platform, TxContext } from './context.js';
import type { BusEvent } from './events.js';

export async function inTransaction<T>(p: Platform, work: (ctx: TxContext) => Promise<T>): Promise<T> {
  const events: BusEvent[] = [];
  const hooks: Array<() => void> = [];
  // The one place a use case's transaction opens (lint keeps it so).
  // eslint-disable-next-line no-restricted-syntax
  const result = await p.db.transaction().execute((tx) =>
    work({
      tx,
      dialect: p.dialect,
      clock: p.clock,
      search: p.search,
      publicUrl: p.publicUrl,
      lockRows: p.dialect === 'postgres',
      emit: (e) => events.push(e),
      afterCommit: (fn) => hooks.push(fn),
    }),
  );
  for (const event of events) {
    // This instance drops a revoked session at once, not when its own NOTIFY comes back.
    if (event.type === 'sessions.revoked') p.sessions.revoke(event);
    // A lost live event only delays a browser's refresh; the change itself is committed.
    await p.events.publish(event).catch(() => undefined);
  }
  for (const hook of hooks) hook();
  return result;
}
