// SQL for organizations, teams, users and the audit log.
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import { prepared, type Params } from '../db/prepared.js';
import type { Database, OrganizationsTable, UsersTable } from '../db/types.js';

export const findOrg = (db: Kysely<Database>, id: number) =>
  db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();

export const findOrgBySlug = (db: Kysely<Database>, slug: string) =>
  db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();

export const firstOrg = (db: Kysely<Database>) =>
  db.selectFrom('organizations').selectAll().orderBy('id').limit(1).executeTakeFirst();

export const slugTaken = async (db: Kysely<Database>, slug: string) =>
  !!(await db.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst());

export const insertOrg = (tx: Kysely<Database>, row: Insertable<OrganizationsTable>) =>
  tx.insertInto('organizations').values(row).returningAll().executeTakeFirstOrThrow();

export const updateOrg = (tx: Kysely<Database>, id: number, set: Updateable<OrganizationsTable>) =>
  tx.updateTable('organizations').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

const teamById = prepared((db, param: Params<{ orgId: number; id: number }>) =>
  db.selectFrom('teams').selectAll().where('org_id', '=', param('orgId')).where('id', '=', param('id')),
);
export const findTeam = (db: Kysely<Database>, orgId: number, id: number) => teamById.first(db, { orgId, id });

export const teamName = async (db: Kysely<Database>, id: number | null) =>
  id === null
    ? null
    : ((await db.selectFrom('teams').select(['id', 'name']).where('id', '=', id).executeTakeFirst()) ?? null);

export const listTeams = (db: Kysely<Database>, orgId: number) =>
  db
    .selectFrom('teams as t')
    .leftJoin('users as u', (j) => j.onRef('u.team_id', '=', 't.id').on('u.deactivated_at', 'is', null))
    .select(['t.id', 't.name', (eb) => eb.fn.count<number>('u.id').as('members')])
    .where('t.org_id', '=', orgId)
    .groupBy(['t.id', 't.name'])
    .orderBy('t.name')
    .execute();

/** Another team of the organization with this name, in any letter case. */
export const teamNamed = (db: Kysely<Database>, orgId: number, name: string) =>
  db
    .selectFrom('teams')
    .select('id')
    .where('org_id', '=', orgId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();

export const insertTeam = (tx: Kysely<Database>, orgId: number, name: string, now: number) =>
  tx.insertInto('teams').values({ org_id: orgId, name, created_at: now }).returning(['id', 'name']).executeTakeFirstOrThrow();

export const renameTeam = (tx: Kysely<Database>, id: number, name: string) =>
  tx.updateTable('teams').set({ name }).where('id', '=', id).execute();

/** A team, under the row lock when asked: a case moving in waits, or finds it gone. */
export const lockTeam = (tx: Kysely<Database>, orgId: number, id: number, lock: boolean) =>
  tx
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();
export const teamHasCases = async (db: Kysely<Database>, teamId: number) =>
  !!(await db.selectFrom('cases').select('id').where('team_id', '=', teamId).limit(1).executeTakeFirst());

export async function deleteTeam(tx: Kysely<Database>, id: number): Promise<void> {
  await tx.updateTable('users').set({ team_id: null }).where('team_id', '=', id).execute();
  await tx.deleteFrom('teams').where('id', '=', id).execute();
}

export const setDefaultTeam = (tx: Kysely<Database>, orgId: number, teamId: number | null) =>
  tx.updateTable('organizations').set({ default_team_id: teamId }).where('id', '=', orgId).execute();

const userById = prepared((db, param: Params<{ orgId: number; id: number }>) =>
  db.selectFrom('users').selectAll().where('org_id', '=', param('orgId')).where('id', '=', param('id')),
);
export const findUser = (db: Kysely<Database>, orgId: number, id: number) => userById.first(db, { orgId, id });

export const userName = async (db: Kysely<Database>, id: number | null) =>
  id === null
    ? null
    : ((await db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst()) ?? null);

/** The user with this email in one organization (emails are unique per organization). */
export const findUserByEmailInOrg = (db: Kysely<Database>, orgId: number, email: string) =>
  db
    .selectFrom('users')
    .selectAll()
    .where('org_id', '=', orgId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();

/**
 * Every account with this email, across organizations (sign-in), with its organization's
 * slug and name; at most a handful, optionally in one organization only.
 */
export const usersWithEmail = (db: Kysely<Database>, email: string, orgSlug?: string) =>
  db
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.org_id')
    .selectAll('u')
    .select(['o.slug as org_slug', 'o.name as org_name'])
    .where((eb) => eb(eb.fn('lower', ['u.email']), '=', email.toLowerCase()))
    .$if(orgSlug !== undefined, (qb) => qb.where('o.slug', '=', orgSlug!))
    .orderBy('u.id')
    .limit(10)
    .execute();

/** A user by id, whatever the organization (the session view, after the access hook). */
export const findUserById = (db: Kysely<Database>, id: number) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

/** Users of one organization: a staff list, never more than a few hundred. */
export const listUsers = (db: Kysely<Database>, orgId: number) =>
  db.selectFrom('users').selectAll().where('org_id', '=', orgId).orderBy('name').limit(2000).execute();

/** The staff directory's columns only: emails and lock state never leave for a picker. */
export const staffDirectory = (db: Kysely<Database>, orgId: number) =>
  db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'team_id', 'deactivated_at'])
    .where('org_id', '=', orgId)
    .orderBy('name')
    .limit(2000)
    .execute();
export const insertUser = (tx: Kysely<Database>, row: Insertable<UsersTable>) =>
  tx.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();

export const updateUser = (tx: Kysely<Database>, id: number, set: Updateable<UsersTable>) =>
  tx.updateTable('users').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/**
 * The organization's active admins, under the row lock when asked (PostgreSQL), in id order so
 * that two changes lock them alike. A change that waits here sees the admins as the other
 * change left them: READ COMMITTED re-checks a locked row against the WHERE once it is free.
 */
export const activeAdmins = (tx: Kysely<Database>, orgId: number, lock: boolean) =>
  tx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .where('deactivated_at', 'is', null)
    .orderBy('id')
    .$if(lock, (qb) => qb.forUpdate())
    .execute();

export const anyUser = async (db: Kysely<Database>) =>
  !!(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());

/** Which of these emails belong to users (start-up's demo banner). */
export const existingEmails = async (db: Kysely<Database>, emails: string[]) =>
  emails.length
    ? (await db.selectFrom('users').select('email').where('email', 'in', emails).execute()).map((r) => r.email)
    : [];

/** Everything but sign-ins, written as the partial index of migration 0004 has it. */
const NOT_SIGN_IN = sql<boolean>`a.kind <> 'sign_in'`;

/**
 * A page of the audit log, newest first, by one action, one kind, or everything but sign-ins
 * (each an index scan in id order: audit_log_org_action, _org_kind, _org_changes).
 */
export const auditPage = (
  db: Kysely<Database>,
  orgId: number,
  opts: { before?: number | undefined; action?: string | undefined; kind?: string | undefined; signIns: boolean; limit: number },
) => {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select([
      'a.id',
      'a.action',
      'a.kind',
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
  else if (opts.kind) q = q.where('a.kind', '=', opts.kind);
  else if (!opts.signIns) q = q.where(NOT_SIGN_IN);
  return q.orderBy('a.id', 'desc').limit(opts.limit + 1).execute();
};

/** What an audit page's entries point at, in words: one small indexed lookup per kind. */
export async function auditTargetNames(
  db: Kysely<Database>,
  orgId: number,
  ids: { user: number[]; team: number[]; patron: number[]; case: number[] },
): Promise<Array<{ type: 'user' | 'team' | 'patron' | 'case'; key: number; name: string }>> {
  const [users, teams, patrons, cases] = await Promise.all([
    ids.user.length
      ? db.selectFrom('users').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', ids.user).execute()
      : [],
    ids.team.length
      ? db.selectFrom('teams').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', ids.team).execute()
      : [],
    ids.patron.length
      ? db.selectFrom('patrons').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', ids.patron).execute()
      : [],
    ids.case.length
      ? db.selectFrom('cases').select(['number as id', 'subject as name']).where('org_id', '=', orgId).where('number', 'in', ids.case).execute()
      : [],
  ]);
  return [
    ...users.map((r) => ({ type: 'user' as const, key: r.id, name: r.name })),
    ...teams.map((r) => ({ type: 'team' as const, key: r.id, name: r.name })),
    ...patrons.map((r) => ({ type: 'patron' as const, key: r.id, name: r.name })),
    ...cases.map((r) => ({ type: 'case' as const, key: r.id, name: r.name })),
  ];
}

/** The database answers (health check). */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
