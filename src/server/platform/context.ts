// What a service needs besides its input: the database, the clock, the event bus, search.
import type { Kysely } from 'kysely';
import type { DialectName } from '../db/index.js';
import type { Database, Role } from '../db/types.js';
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
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
}

/** The signed-in staff member a service acts for. */
export interface Actor {
  userId: number;
  orgId: number;
  role: Role;
  name: string;
  email: string;
  teamId: number | null;
  /** The organization's case reference prefix ("SW"). */
  casePrefix: string;
  ip?: string | null;
}

export const MANAGER_ROLES: readonly Role[] = ['admin', 'supervisor'];
export const isManager = (a: Actor) => MANAGER_ROLES.includes(a.role);

/** Whether this database needs explicit row locks for read-then-write use cases. */
export const needsRowLocks = (p: Platform) => p.dialect === 'postgres';
