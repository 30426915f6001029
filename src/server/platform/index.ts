// Builds the platform for a database: the search and event implementations for its dialect.
import type { Db } from '../db/index.js';
import { type Clock, systemClock } from './clock.js';
import type { Platform } from './context.js';
import { LocalEventBus, PostgresEventBus, channelFor, type EventBus } from './events.js';
import { PostgresSearch } from './search/postgres.js';
import { SqliteSearch } from './search/sqlite.js';
import { randomToken } from './passwords.js';
import { SessionCache } from './sessions.js';
import { sharedSecretValue } from './queries.js';

export interface PlatformOptions {
  clock?: Clock;
  publicUrl: string;
  log?: { warn(obj: unknown, msg?: string): void };
}

export async function createPlatform(db: Db, opts: PlatformOptions): Promise<Platform> {
  let events: EventBus;
  if (db.dialect === 'postgres' && db.pool) {
    const { connectionString, options } = db.pool.options as { connectionString?: string; options?: string };
    const schema = /search_path=(\S+)/.exec(options ?? '')?.[1];
    const bus = new PostgresEventBus(
      db.pool,
      { connectionString, ...(options ? { options } : {}) },
      opts.log ?? console,
      channelFor(schema),
    );
    await bus.start();
    events = bus;
  } else {
    events = new LocalEventBus();
  }
  const sessions = new SessionCache();
  // Revocations from any instance (this one's arrive here too) drop cached sessions.
  events.subscribe((e) => {
    if (e.type === 'sessions.revoked') sessions.revoke(e);
  });
  return {
    db: db.kysely,
    dialect: db.dialect,
    clock: opts.clock ?? systemClock,
    events,
    search: db.dialect === 'postgres' ? new PostgresSearch() : new SqliteSearch(),
    sessions,
    publicUrl: opts.publicUrl,
    syncCommits: db.syncCommits,
  };
}

/** A secret shared by every instance on one database (cookie signing), made once. */
export const sharedSecret = (p: Platform, name: string): Promise<string> =>
  sharedSecretValue(p.db, name, randomToken(32));
