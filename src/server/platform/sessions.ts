// Resolved sessions, kept briefly in memory so that a request does not pay a database round
// trip to learn who is asking. Every change that could alter or end a session (sign out,
// password, role, team, deactivation) publishes `sessions.revoked`, which every instance applies;
// the short TTL bounds the damage should such an event ever be missed.
import type { Actor } from './actor.js';
import type { TxContext } from './context.js';
import type { SessionsRevoked } from './events.js';
import { deleteSessions } from './queries.js';

export interface CachedSession {
  actor: Actor;
  lastSeenAt: number;
  createdAt: number;
  expiresAt: number;
  cachedAt: number;
}

export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 10_000,
  ) {}

  get(id: string, now: number): CachedSession | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (now - e.cachedAt > this.ttlMs || e.expiresAt <= now) {
      this.entries.delete(id);
      return undefined;
    }
    return e;
  }

  set(id: string, e: CachedSession): void {
    if (!this.entries.has(id) && this.entries.size >= this.max) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(id, e);
  }

  revoke(e: SessionsRevoked): void {
    if (e.sessionId) this.entries.delete(e.sessionId);
    if (e.userId === undefined && e.orgId === undefined) return;
    for (const [id, s] of this.entries) {
      if (s.actor.userId === e.userId || s.actor.orgId === e.orgId) this.entries.delete(id);
    }
  }
}

/**
 * Ends sessions in the caller's transaction: one session (sign-out), or every session of a
 * user but `keep` (password change, deactivation). Every instance drops them from its cache.
 */
export async function endSessions(
  ctx: TxContext,
  which: { sessionId: string } | { userId: number; keep?: string | null | undefined },
): Promise<void> {
  await deleteSessions(ctx.tx, which);
  ctx.emit(
    'sessionId' in which
      ? { type: 'sessions.revoked', sessionId: which.sessionId }
      : { type: 'sessions.revoked', userId: which.userId },
  );
}
