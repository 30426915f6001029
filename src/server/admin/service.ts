// The organization and its people: settings, teams, users, and the audit log they leave.
import type { Kysely } from 'kysely';
import type { OrgView } from '../../contracts/auth.js';
import type { AuditEntryView, TeamView, UserView } from '../../contracts/admin.js';
import type { Database, OrganizationRow, Role, UserRow } from '../db/types.js';
import { audit } from '../platform/audit.js';
import type { Actor, Platform } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { hashPassword } from '../platform/passwords.js';
import { inTransaction } from '../platform/tx.js';
import * as q from './queries.js';

export const toOrgView = (o: OrganizationRow): OrgView => ({
  id: o.id,
  slug: o.slug,
  name: o.name,
  locale: o.locale,
  timeZone: o.time_zone,
  currency: o.currency,
  casePrefix: o.case_prefix,
  defaultTeamId: o.default_team_id,
});

export const toUserView = (u: UserRow, now: number): UserView => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  teamId: u.team_id,
  active: u.deactivated_at === null,
  locked: (u.locked_until ?? 0) > now,
  createdAt: u.created_at,
});

export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return s || 'org';
}

export interface NewOrganization {
  name: string;
  slug?: string;
  locale?: string | undefined;
  timeZone?: string | undefined;
  currency?: string;
  casePrefix?: string;
  firstCaseNumber?: number;
}

/** Creates an organization inside the caller's transaction (setup, demo seed, tests). */
export async function createOrganization(
  tx: Kysely<Database>,
  input: NewOrganization,
  now: number,
): Promise<OrganizationRow> {
  const base = input.slug ?? slugify(input.name);
  let slug = base;
  for (let i = 2; await q.slugTaken(tx, slug); i++) slug = `${base}-${i}`;
  return tx
    .insertInto('organizations')
    .values({
      slug,
      name: input.name,
      locale: input.locale ?? 'en-US',
      time_zone: input.timeZone ?? 'America/New_York',
      currency: input.currency ?? 'USD',
      case_prefix: input.casePrefix ?? 'SW',
      case_seq: (input.firstCaseNumber ?? 1001) - 1,
      default_team_id: null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getOrganization(p: Platform, actor: Actor): Promise<OrgView> {
  const org = await q.findOrg(p.db, actor.orgId);
  if (!org) throw notFound('Organization');
  return toOrgView(org);
}

export async function updateOrganization(
  p: Platform,
  actor: Actor,
  input: {
    name?: string | undefined;
    locale?: string | undefined;
    timeZone?: string | undefined;
    defaultTeamId?: number | null | undefined;
  },
): Promise<OrgView> {
  return inTransaction(p, async (tx) => {
    if (input.defaultTeamId != null && !(await q.findTeam(tx, actor.orgId, input.defaultTeamId))) {
      throw badRequest('is not a team of this organization', 'defaultTeamId');
    }
    const org = await tx
      .updateTable('organizations')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
        ...(input.defaultTeamId !== undefined ? { default_team_id: input.defaultTeamId } : {}),
      })
      .where('id', '=', actor.orgId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'organization.updated',
      targetType: 'organization',
      targetId: actor.orgId,
      detail: input,
      ip: actor.ip,
      at: p.clock.now(),
    });
    return toOrgView(org);
  });
}

// ---- teams -------------------------------------------------------------------------------

export const listTeams = async (p: Platform, actor: Actor): Promise<TeamView[]> =>
  (await q.listTeams(p.db, actor.orgId)).map((t) => ({
    id: t.id,
    name: t.name,
    members: Number(t.members),
  }));

async function assertTeamNameFree(tx: Kysely<Database>, orgId: number, name: string, id?: number) {
  const clash = await tx
    .selectFrom('teams')
    .select('id')
    .where('org_id', '=', orgId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  if (clash && clash.id !== id) throw conflict(`A team called "${name}" already exists.`, 'name');
}

export async function createTeam(p: Platform, actor: Actor, name: string): Promise<TeamView> {
  return inTransaction(p, async (tx) => {
    await assertTeamNameFree(tx, actor.orgId, name);
    const team = await tx
      .insertInto('teams')
      .values({ org_id: actor.orgId, name, created_at: p.clock.now() })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    await audit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'team.created',
      targetType: 'team',
      targetId: team.id,
      detail: { name },
      ip: actor.ip,
      at: p.clock.now(),
    });
    return { ...team, members: 0 };
  });
}

export async function renameTeam(p: Platform, actor: Actor, id: number, name: string): Promise<TeamView> {
  await inTransaction(p, async (tx) => {
    const team = await q.findTeam(tx, actor.orgId, id);
    if (!team) throw notFound('Team');
    await assertTeamNameFree(tx, actor.orgId, name, id);
    await tx.updateTable('teams').set({ name }).where('id', '=', id).execute();
    await audit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'team.renamed',
      targetType: 'team',
      targetId: id,
      detail: { from: team.name, to: name },
      ip: actor.ip,
      at: p.clock.now(),
    });
  });
  const view = (await listTeams(p, actor)).find((t) => t.id === id);
  if (!view) throw notFound('Team');
  return view;
}

export async function deleteTeam(p: Platform, actor: Actor, id: number): Promise<void> {
  await inTransaction(p, async (tx, emit) => {
    const team = await q.findTeam(tx, actor.orgId, id);
    if (!team) throw notFound('Team');
    const inUse = await tx.selectFrom('cases').select('id').where('team_id', '=', id).limit(1).executeTakeFirst();
    if (inUse) {
      throw conflict(`Team "${team.name}" still has cases; move them to another team first.`);
    }
    await tx.updateTable('users').set({ team_id: null }).where('team_id', '=', id).execute();
    await tx.deleteFrom('teams').where('id', '=', id).execute();
    emit({ type: 'sessions.revoked', orgId: actor.orgId }); // members' cached team is gone
    await audit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'team.deleted',
      targetType: 'team',
      targetId: id,
      detail: { name: team.name },
      ip: actor.ip,
      at: p.clock.now(),
    });
  });
}

// ---- users -------------------------------------------------------------------------------

export async function listUsers(p: Platform, actor: Actor): Promise<UserView[]> {
  const now = p.clock.now();
  return (await q.listUsers(p.db, actor.orgId)).map((u) => toUserView(u, now));
}

async function requireTeam(tx: Kysely<Database>, orgId: number, teamId: number | null | undefined) {
  if (teamId == null) return;
  if (!(await q.findTeam(tx, orgId, teamId))) throw badRequest('is not a team of this organization', 'teamId');
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  teamId?: number | null | undefined;
  password: string;
}

/** Inserts a user in the caller's transaction (admin screen, setup, demo seed, tests). */
export async function insertUser(
  tx: Kysely<Database>,
  orgId: number,
  input: NewUser,
  now: number,
  passwordHash?: string,
): Promise<UserRow> {
  if (await q.findUserByEmail(tx, input.email)) {
    throw conflict('A user with this email already exists.', 'email');
  }
  return tx
    .insertInto('users')
    .values({
      org_id: orgId,
      email: input.email,
      name: input.name,
      role: input.role,
      team_id: input.teamId ?? null,
      password_hash: passwordHash ?? (await hashPassword(input.password)),
      locked_until: null,
      deactivated_at: null,
      password_changed_at: now,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createUser(p: Platform, actor: Actor, input: NewUser): Promise<UserView> {
  const hash = await hashPassword(input.password); // slow: keep it outside the transaction
  return inTransaction(p, async (tx) => {
    await requireTeam(tx, actor.orgId, input.teamId);
    const now = p.clock.now();
    const user = await insertUser(tx, actor.orgId, input, now, hash);
    await audit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'user.created',
      targetType: 'user',
      targetId: user.id,
      detail: { email: user.email, role: user.role },
      ip: actor.ip,
      at: now,
    });
    return toUserView(user, now);
  });
}

export interface UserChanges {
  name?: string | undefined;
  role?: Role | undefined;
  teamId?: number | null | undefined;
  active?: boolean | undefined;
  password?: string | undefined;
}

export async function updateUser(
  p: Platform,
  actor: Actor,
  id: number,
  input: UserChanges,
): Promise<UserView> {
  const hash = input.password ? await hashPassword(input.password) : undefined;
  return inTransaction(p, async (tx, emit) => {
    const user = await q.findUser(tx, actor.orgId, id);
    if (!user) throw notFound('User');
    const now = p.clock.now();
    await requireTeam(tx, actor.orgId, input.teamId);
    const losesAdmin =
      user.role === 'admin' &&
      user.deactivated_at === null &&
      ((input.role !== undefined && input.role !== 'admin') || input.active === false);
    if (losesAdmin && (await q.countActiveAdmins(tx, actor.orgId)) <= 1) {
      throw conflict('This is the last active admin; make another admin first.', input.role ? 'role' : 'active');
    }
    if (id === actor.userId && input.active === false) {
      throw conflict('You cannot deactivate yourself.', 'active');
    }
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== user.name) changes.name = input.name;
    if (input.role !== undefined && input.role !== user.role) changes.role = input.role;
    if (input.teamId !== undefined && input.teamId !== user.team_id) changes.team_id = input.teamId;
    if (input.active !== undefined && input.active !== (user.deactivated_at === null)) {
      changes.deactivated_at = input.active ? null : now;
    }
    if (hash) {
      changes.password_hash = hash;
      changes.password_changed_at = now;
      changes.failed_logins = 0;
      changes.locked_until = null;
    }
    const updated = Object.keys(changes).length
      ? await tx.updateTable('users').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
      : user;
    // A role change, a deactivation or a password reset ends the user's sessions.
    if (changes.role || changes.deactivated_at || hash) {
      await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    }
    // Cached sessions carry name, role and team: any change drops them on every instance.
    if (Object.keys(changes).length) emit({ type: 'sessions.revoked', userId: id });
    const base = { orgId: actor.orgId, actorId: actor.userId, targetType: 'user', targetId: id, ip: actor.ip, at: now };
    if (changes.role) {
      await audit(tx, { ...base, action: 'user.role_changed', detail: { from: user.role, to: input.role } });
    }
    if ('deactivated_at' in changes) {
      await audit(tx, { ...base, action: input.active ? 'user.reactivated' : 'user.deactivated' });
    }
    if (hash) await audit(tx, { ...base, action: 'user.password_reset' });
    if (changes.name || 'team_id' in changes) {
      await audit(tx, {
        ...base,
        action: 'user.updated',
        detail: { name: changes.name, teamId: changes.team_id },
      });
    }
    return toUserView(updated, now);
  });
}

// ---- audit log ---------------------------------------------------------------------------

export async function readAuditLog(
  p: Platform,
  actor: Actor,
  opts: { before?: number | undefined; action?: string | undefined; limit: number },
): Promise<{ items: AuditEntryView[]; nextBefore: number | null }> {
  const rows = await q.auditPage(p.db, actor.orgId, opts);
  const page = rows.slice(0, opts.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      action: r.action,
      actor: r.actor_user_id && r.actor_name ? { id: r.actor_user_id, name: r.actor_name } : null,
      targetType: r.target_type,
      targetId: r.target_id,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      ip: r.ip,
      createdAt: r.created_at,
    })),
    nextBefore: rows.length > opts.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

