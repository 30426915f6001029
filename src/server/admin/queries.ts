// SQL for organizations, teams, users and the audit log.
import type { Kysely } from 'kysely';
import { prepared } from '../db/prepared.js';
import type { Database } from '../db/types.js';

export const findOrg = (db: Kysely<Database>, id: number) =>
  db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();

export const findOrgBySlug = (db: Kysely<Database>, slug: string) =>
  db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();

export const firstOrg = (db: Kysely<Database>) =>
  db.selectFrom('organizations').selectAll().orderBy('id').limit(1).executeTakeFirst();

export const slugTaken = async (db: Kysely<Database>, slug: string) =>
  !!(await db.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst());

const teamById = prepared((db, $: { orgId: number; id: number }) =>
  db.selectFrom('teams').selectAll().where('org_id', '=', $.orgId).where('id', '=', $.id),
);
export const findTeam = (db: Kysely<Database>, orgId: number, id: number) => teamById.first(db, { orgId, id });

export const listTeams = (db: Kysely<Database>, orgId: number) =>
  db
    .selectFrom('teams as t')
    .leftJoin('users as u', (j) => j.onRef('u.team_id', '=', 't.id').on('u.deactivated_at', 'is', null))
    .select(['t.id', 't.name', (eb) => eb.fn.count<number>('u.id').as('members')])
    .where('t.org_id', '=', orgId)
    .groupBy(['t.id', 't.name'])
    .orderBy('t.name')
    .execute();

const userById = prepared((db, $: { orgId: number; id: number }) =>
  db.selectFrom('users').selectAll().where('org_id', '=', $.orgId).where('id', '=', $.id),
);
export const findUser = (db: Kysely<Database>, orgId: number, id: number) => userById.first(db, { orgId, id });

export const findUserByEmail = (db: Kysely<Database>, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

/** Users of one organization: a staff list, never more than a few hundred. */
export const listUsers = (db: Kysely<Database>, orgId: number) =>
  db.selectFrom('users').selectAll().where('org_id', '=', orgId).orderBy('name').execute();

export const countActiveAdmins = async (db: Kysely<Database>, orgId: number) =>
  (
    await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('role', '=', 'admin')
      .where('deactivated_at', 'is', null)
      .executeTakeFirstOrThrow()
  ).n;

export const anyUser = async (db: Kysely<Database>) =>
  !!(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());

export const auditPage = (
  db: Kysely<Database>,
  orgId: number,
  opts: { before?: number | undefined; action?: string | undefined; limit: number },
) => {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select([
      'a.id',
      'a.action',
      'a.actor_user_id',
      'u.name as actor_name',
      'a.target_type',
      'a.target_id',
      'a.detail',
      'a.ip',
      'a.created_at',
    ])
    .where('a.org_id', '=', orgId);
  if (opts.before) q = q.where('a.id', '<', opts.before);
  if (opts.action) q = q.where('a.action', '=', opts.action);
  return q.orderBy('a.id', 'desc').limit(opts.limit + 1).execute();
};
