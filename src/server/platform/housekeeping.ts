// Periodic tidying that no request does: expired sessions and stale presence rows. Idempotent,
// so several instances may run it at once.
import type { Platform } from './context.js';
import { deleteExpiredPresence, deleteExpiredSessions } from './queries.js';

export async function purgeExpired(p: Platform): Promise<{ sessions: number; presence: number }> {
  const now = p.clock.now();
  return { sessions: await deleteExpiredSessions(p.db, now), presence: await deleteExpiredPresence(p.db, now) };
}

export function scheduleHousekeeping(
  p: Platform,
  log: { warn(obj: unknown, msg?: string): void },
  everyMs = 15 * 60_000,
): () => void {
  const run = () => purgeExpired(p).catch((err: unknown) => log.warn({ err }, 'housekeeping failed'));
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
