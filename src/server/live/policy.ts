// Which live events a signed-in staff member receives: their organization's, and only those
// whose audience includes their role and them.
import type { LiveEvent } from '../../contracts/live.js';
import type { Actor } from '../platform/actor.js';

export function mayReceive(actor: Pick<Actor, 'orgId' | 'role' | 'userId'>, event: LiveEvent): boolean {
  if (event.orgId !== actor.orgId) return false;
  const { roles, userIds } = event.audience ?? {};
  if (roles && !roles.includes(actor.role)) return false;
  if (userIds && !userIds.includes(actor.userId)) return false;
  return true;
}
