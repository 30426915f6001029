// What a service works with. `Platform` is the instance's: the database for reads, the clock,
// the event bus, search. `TxContext` is what code inside one transaction gets: the transaction
// handle and the same services, but never the database itself, so nothing inside a transaction
// can read around it (on SQLite, one connection: that would wait on itself).
import type { Kysely } from 'kysely';
import type { DialectName } from '../db/index.js';
import type { Database } from '../db/types.js';
import type { Clock } from './clock.js';
import type { BusEvent, EventBus } from './events.js';
import type { JobEnqueuer } from './jobs/enqueue.js';
import type { SearchIndex } from './search/index.js';
import type { SessionCache } from './sessions.js';

export interface Platform {
  db: Kysely<Database>;
  dialect: DialectName;
  clock: Clock;
  events: EventBus;
  search: SearchIndex;
  sessions: SessionCache;
  publicUrl: string;
  /** Resolves once every commit made before the call is on disk (see `Db.syncCommits`). */
  syncCommits(): Promise<void>;
}

export interface TxContext {
  /** The transaction: every read and write of the use case goes through it. */
  readonly tx: Kysely<Database>;
  readonly dialect: DialectName;
  readonly clock: Clock;
  readonly search: SearchIndex;
  readonly publicUrl: string;
  /**
   * Whether a read-then-write must take the row lock (`SELECT … FOR UPDATE`): on PostgreSQL,
   * yes; SQLite has one writer, so its transactions never interleave.
   */
  readonly lockRows: boolean;
  /** A live event, published once the transaction has committed (never if it rolls back). */
  emit(event: BusEvent): void;
  /** Runs after a successful commit (wake a worker, drop a cache). */
  afterCommit(fn: () => void): void;
  /** Durable work, enqueued in this transaction: it exists if and only if the change commits. */
  readonly jobs: JobEnqueuer;
}
