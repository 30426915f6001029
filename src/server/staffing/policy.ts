// Who may see and do what in staffing. Every staff member sees the team's modes, time to
// target, the warning and the slot calendar, and books slots for cases; supervisors and admins
// set modes, hours, the roster and the forecast, and run the calculator (routes.ts declares it).
// The one row rule: a team is the actor's organization's, else it does not exist for them.
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { findTeam } from '../admin/api.js';
import type { Actor } from '../platform/actor.js';
import { notFound } from '../platform/errors.js';

export async function requireTeamOf(db: Kysely<Database>, actor: Pick<Actor, 'orgId'>, teamId: number) {
  const team = await findTeam(db, actor.orgId, teamId);
  if (!team) throw notFound('Team');
  return team;
}
