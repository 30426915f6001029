// The organization and its people: settings, teams, users, and the audit log they leave.
import type { Kysely } from 'kysely';
import type { OrgView } from '../../contracts/auth.js';
import type { AuditEntryView, OrgUpdateBody, StaffMember, TeamView, UserView } from '../../contracts/admin.js';
import type { Database, OrganizationRow, Role, UserRow } from '../db/types.js';
import { AuditKind } from '../../contracts/audit.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform, TxContext } from '../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../platform/errors.js';
import { hashPassword } from '../platform/passwords.js';
import { endSessions } from '../platform/sessions.js';
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
export async function createOrganization(ctx: TxContext, input: NewOrganization): Promise<OrganizationRow> {
  const base = input.slug ?? slugify(input.name);
  let slug = base;
  for (let i = 2; await q.slugTaken(ctx.tx, slug); i++) slug = `${base}-${i}`;
  return q.insertOrg(ctx.tx, {
    slug,
    name: input.name,
    locale: input.locale ?? 'en-US',
    time_zone: input.timeZone ?? 'America/New_York',
    currency: input.currency ?? 'USD',
    case_prefix: input.casePrefix ?? 'SW',
    case_seq: (input.firstCaseNumber ?? 1001) - 1,
    default_team_id: null,
    created_at: ctx.clock.now(),
  });
}

export async function getOrganization(p: Platform, actor: Actor): Promise<OrgView> {
  const org = await q.findOrg(p.db, actor.orgId);
  if (!org) throw notFound('Organization');
  return toOrgView(org);
}

export async function updateOrganization(p: Platform, actor: Actor, input: OrgUpdateBody): Promise<OrgView> {
  return inTransaction(p, async (ctx) => {
    if (input.defaultTeamId != null && !(await q.findTeam(ctx.tx, actor.orgId, input.defaultTeamId))) {
      throw badRequest('is not a team of this organization', 'defaultTeamId');
    }
    const org = await q.updateOrg(ctx.tx, actor.orgId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
      ...(input.defaultTeamId !== undefined ? { default_team_id: input.defaultTeamId } : {}),
    });
    // Cached sessions carry the organization's time zone: every instance reads them afresh.
    if (input.timeZone !== undefined) ctx.emit({ type: 'sessions.revoked', orgId: actor.orgId });
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'organization.updated',
      targetType: 'organization',
      targetId: actor.orgId,
      detail: input,
      ip: actor.ip,
    });
    return toOrgView(org);
  });
}

// ---- teams -------------------------------------------------------------------------------

export const listTeams = async (p: Platform, actor: Actor): Promise<TeamView[]> =>
  (await q.listTeams(p.db, actor.orgId)).map((t) => ({ id: t.id, name: t.name, members: Number(t.members) }));

async function assertTeamNameFree(tx: Kysely<Database>, orgId: number, name: string, id?: number) {
  const clash = await q.teamNamed(tx, orgId, name);
  if (clash && clash.id !== id) throw conflict(`A team called "${name}" already exists.`, 'name');
}

/** Adds a team in the caller's transaction (admin screen, demo seed, tests). */
export async function addTeam(ctx: TxContext, orgId: number, name: string): Promise<{ id: number; name: string }> {
  await assertTeamNameFree(ctx.tx, orgId, name);
  return q.insertTeam(ctx.tx, orgId, name, ctx.clock.now());
}

export async function createTeam(p: Platform, actor: Actor, name: string): Promise<TeamView> {
  return inTransaction(p, async (ctx) => {
    const team = await addTeam(ctx, actor.orgId, name);
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'team.created',
      targetType: 'team',
      targetId: team.id,
      detail: { name },
      ip: actor.ip,
    });
    return { ...team, members: 0 };
  });
}

export async function renameTeam(p: Platform, actor: Actor, id: number, name: string): Promise<TeamView> {
  await inTransaction(p, async (ctx) => {
    const team = await q.findTeam(ctx.tx, actor.orgId, id);
    if (!team) throw notFound('Team');
    await assertTeamNameFree(ctx.tx, actor.orgId, name, id);
    await q.renameTeam(ctx.tx, id, name);
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'team.renamed',
      targetType: 'team',
      targetId: id,
      detail: { from: team.name, to: name },
      ip: actor.ip,
    });
  });
  const view = (await listTeams(p, actor)).find((t) => t.id === id);
  if (!view) throw notFound('Team');
  return view;
}

export async function deleteTeam(p: Platform, actor: Actor, id: number): Promise<void> {
  await inTransaction(p, async (ctx) => {
    // Locked first: a case moving in at this moment either commits before (and is counted
    // below, a 409) or waits and then finds the team gone (a 409 from its foreign key).
    const team = await q.lockTeam(ctx.tx, actor.orgId, id, ctx.lockRows);
    if (!team) throw notFound('Team');
    if (await q.teamHasCases(ctx.tx, id)) {
      throw conflict(`Team "${team.name}" still has cases; move them to another team first.`);
    }
    await q.deleteTeam(ctx.tx, id);
    ctx.emit({ type: 'sessions.revoked', orgId: actor.orgId }); // members' cached team is gone
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'team.deleted',
      targetType: 'team',
      targetId: id,
      detail: { name: team.name },
      ip: actor.ip,
    });
  });
}

// ---- users -------------------------------------------------------------------------------

/** Colleagues as every staff member may see them: who they are, not how to reach them. */
export async function staffDirectory(p: Platform, actor: Actor): Promise<StaffMember[]> {
  return (await q.staffDirectory(p.db, actor.orgId)).map((u) => ({
    id: u.id,
    name: u.name,
    role: u.role,
    teamId: u.team_id,
    active: u.deactivated_at === null,
  }));
}

/** Every user in full, for the admin screen (the route is admins only). */
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
export async function insertUser(ctx: TxContext, orgId: number, input: NewUser, passwordHash?: string): Promise<UserRow> {
  if (await q.findUserByEmailInOrg(ctx.tx, orgId, input.email)) {
    throw conflict('A user with this email already exists.', 'email');
  }
  const now = ctx.clock.now();
  return q.insertUser(ctx.tx, {
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
  });
}

export async function createUser(p: Platform, actor: Actor, input: NewUser): Promise<UserView> {
  const hash = await hashPassword(input.password); // slow: keep it outside the transaction
  return inTransaction(p, async (ctx) => {
    await requireTeam(ctx.tx, actor.orgId, input.teamId);
    const user = await insertUser(ctx, actor.orgId, input, hash);
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'user.created',
      targetType: 'user',
      targetId: user.id,
      detail: { email: user.email, role: user.role },
      ip: actor.ip,
    });
    return toUserView(user, ctx.clock.now());
  });
}

export interface UserChanges {
  name?: string | undefined;
  role?: Role | undefined;
  teamId?: number | null | undefined;
  active?: boolean | undefined;
  password?: string | undefined;
}

export async function updateUser(p: Platform, actor: Actor, id: number, input: UserChanges): Promise<UserView> {
  const hash = input.password ? await hashPassword(input.password) : undefined;
  return inTransaction(p, async (ctx) => {
    // A role or active change takes the admins' row locks before reading anything: two admins
    // demoting each other at once queue up, and the second sees the first one's change.
    const admins = input.role !== undefined || input.active !== undefined ? await q.activeAdmins(ctx.tx, actor.orgId, ctx.lockRows) : null;
    if (admins && !admins.some((a) => a.id === actor.userId)) {
      throw forbidden('You are no longer an admin of this organization.');
    }
    const user = await q.findUser(ctx.tx, actor.orgId, id);
    if (!user) throw notFound('User');
    const now = ctx.clock.now();
    await requireTeam(ctx.tx, actor.orgId, input.teamId);
    const losesAdmin =
      user.role === 'admin' &&
      user.deactivated_at === null &&
      ((input.role !== undefined && input.role !== 'admin') || input.active === false);
    if (losesAdmin && admins && admins.length <= 1) {
      throw conflict('This is the last active admin; make another admin first.', input.role ? 'role' : 'active');
    }
    if (id === actor.userId && input.active === false) {
      throw conflict('You cannot deactivate yourself.', 'active');
    }
    const changes: Partial<UserRow> = {};
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
    const updated = Object.keys(changes).length ? await q.updateUser(ctx.tx, id, changes) : user;
    // A role change, a deactivation or a password reset ends the user's sessions.
    if (changes.role || changes.deactivated_at || hash) await endSessions(ctx, { userId: id });
    // Cached sessions carry name, role and team: any change drops them on every instance.
    else if (Object.keys(changes).length) ctx.emit({ type: 'sessions.revoked', userId: id });
    const base = { orgId: actor.orgId, actorId: actor.userId, targetType: 'user', targetId: id, ip: actor.ip };
    if (changes.role) {
      await audit(ctx, { ...base, action: 'user.role_changed', detail: { from: user.role, to: input.role } });
    }
    if ('deactivated_at' in changes) {
      await audit(ctx, { ...base, action: input.active ? 'user.reactivated' : 'user.deactivated' });
    }
    if (hash) await audit(ctx, { ...base, action: 'user.password_reset' });
    if (changes.name || 'team_id' in changes) {
      await audit(ctx, { ...base, action: 'user.updated', detail: { name: changes.name, teamId: changes.team_id } });
    }
    return toUserView(updated, now);
  });
}

// ---- audit log ---------------------------------------------------------------------------

type TargetType = 'user' | 'team' | 'patron' | 'case';
const NAMED_TARGETS: readonly string[] = ['user', 'team', 'patron', 'case'];

/** The number a target id stands for: a user, team or patron id, or a case's "SW-1042". */
const targetKey = (type: string, id: string | null) => {
  const m = id === null ? null : type === 'case' ? /-(\d{1,9})$/.exec(id) : /^(\d{1,10})$/.exec(id);
  return m ? Number(m[1]) : null;
};

export async function readAuditLog(
  p: Platform,
  actor: Actor,
  opts: { before?: number | undefined; action?: string | undefined; kind?: string | undefined; signIns: 'include' | 'exclude'; limit: number },
): Promise<{ items: AuditEntryView[]; nextBefore: number | null }> {
  const rows = await q.auditPage(p.db, actor.orgId, { ...opts, signIns: opts.signIns === 'include' });
  const page = rows.slice(0, opts.limit);
  const wanted: Record<TargetType, number[]> = { user: [], team: [], patron: [], case: [] };
  for (const r of page) {
    const key = r.target_type && NAMED_TARGETS.includes(r.target_type) ? targetKey(r.target_type, r.target_id) : null;
    if (key !== null) wanted[r.target_type as TargetType].push(key);
  }
  const names = new Map(
    (await q.auditTargetNames(p.db, actor.orgId, wanted)).map((t) => [`${t.type}:${t.key}`, t.name]),
  );
  const org = page.some((r) => r.target_type === 'organization') ? await q.findOrg(p.db, actor.orgId) : undefined;
  return {
    items: page.map((r) => {
      const detail = r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null;
      const key = r.target_type ? targetKey(r.target_type, r.target_id) : null;
      // A removed target keeps the name its entry recorded (a deleted team, a deleted case).
      const recorded = typeof detail?.name === 'string' ? detail.name : typeof detail?.subject === 'string' ? detail.subject : null;
      const targetName =
        r.target_type === 'organization'
          ? (org?.name ?? null)
          : ((key !== null ? names.get(`${r.target_type}:${key}`) : undefined) ?? recorded);
      return {
        id: r.id,
        action: r.action,
        // The stored kind, which the filter reads (written from the action by platform/audit).
        kind: AuditKind.catch('other').parse(r.kind),
        actor: r.actor_user_id && r.actor_name ? { id: r.actor_user_id, name: r.actor_name } : null,
        targetType: r.target_type,
        targetId: r.target_id,
        targetName,
        detail,
        ip: r.ip,
        createdAt: r.created_at,
      };
    }),
    nextBefore: rows.length > opts.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
