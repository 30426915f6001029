// Periodic tidying that no request does: expired sessions and stale presence rows. Idempotent,
// so several instances may run it at once.
import type { Platform } from './context.js';

export async function purgeExpired(p: Platform): Promise<{ sessions: number; presence: number }> {
  const now = p.clock.now();
  const sessions = await p.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  const presence = await p.db.deleteFrom('case_presence').where('expires_at', '<=', now).executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), presence: Number(presence.numDeletedRows) };
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
