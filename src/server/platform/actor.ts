// Who a service acts for, and the role sets routes and rules are written with.
import type { Role } from '../db/types.js';
import { ROLES } from '../../contracts/common.js';

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
  /**
   * The organization's time zone, where the actor came from a session (which reads it with the
   * user); others look it up when they need it.
   */
  timeZone?: string;
  ip?: string | null;
}

/** Who may call a route: some staff roles, or anyone (public pages, sign-in). */
export type RoleRule = readonly Role[] | 'public';

export const ANY_STAFF: readonly Role[] = ROLES;
export const ADMINS: readonly Role[] = ['admin'];
export const MANAGERS: readonly Role[] = ['admin', 'supervisor'];
/** Everyone on the paid or trained staff: every role but volunteers. */
export const STAFF_BUT_VOLUNTEERS: readonly Role[] = ['admin', 'supervisor', 'associate'];
export const PUBLIC = 'public' as const;

export const isManager = (a: Pick<Actor, 'role'>) => MANAGERS.includes(a.role);
