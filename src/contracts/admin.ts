// The organization and its people: settings, teams, users, the audit log.
import { z } from 'zod';
import { OrgView } from './auth.js';
import { Count, Email, Id, Locale, Ok, Password, RefId, Role, TimeZone, someChange, text } from './common.js';
import { AuditKind } from './audit.js';
import { endpoint } from './endpoint.js';

export const OrgUpdateBody = someChange(
  z.object({
    name: text(120).optional(),
    locale: Locale.optional(),
    timeZone: TimeZone.optional(),
    defaultTeamId: RefId.nullable().optional(),
  }),
);

export const UserView = z
  .object({
    id: z.number(),
    email: z.string(),
    name: z.string(),
    role: Role,
    teamId: z.number().nullable(),
    active: z.boolean(),
    locked: z.boolean(),
    createdAt: z.number(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof UserView>;

export const UserList = z.object({ items: z.array(UserView) });

/** A colleague as every staff member sees them (pickers, names): no email, no lock state. */
export const StaffMember = z
  .object({ id: z.number(), name: z.string(), role: Role, teamId: z.number().nullable(), active: z.boolean() })
  .meta({ id: 'StaffMember' });
export type StaffMember = z.infer<typeof StaffMember>;
export const StaffDirectory = z.object({ items: z.array(StaffMember) });

export const UserCreateBody = z.object({
  email: Email,
  name: text(120),
  role: Role,
  teamId: RefId.nullable().optional(),
  password: Password,
});

export const UserUpdateBody = someChange(
  z.object({
    name: text(120).optional(),
    role: Role.optional(),
    teamId: RefId.nullable().optional(),
    active: z.boolean().optional(),
    password: Password.optional(),
  }),
);

export const TeamView = z
  .object({ id: z.number(), name: z.string(), members: z.number() })
  .meta({ id: 'Team' });
export type TeamView = z.infer<typeof TeamView>;
export const TeamList = z.object({ items: z.array(TeamView) });
export const TeamBody = z.object({ name: text(80) });

export const AuditEntryView = z
  .object({
    id: z.number(),
    /** A code; AUDIT_ACTION_LABELS (contracts/audit.ts) has its words. */
    action: z.string(),
    kind: AuditKind,
    actor: z.object({ id: z.number(), name: z.string() }).nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    /** The target in words: a user's or patron's name, a team's, a case's subject. */
    targetName: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    createdAt: z.number(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditQuery = z.object({
  before: Id.optional(),
  /** One action code exactly. */
  action: z.string().max(60).optional(),
  /** One kind of entry (sign-ins, users, cases…). */
  kind: AuditKind.optional(),
  /** Without `kind` or `action`, sign-ins are left out unless included. */
  signIns: z.enum(['include', 'exclude']).default('exclude'),
  limit: Count(1, 200, 50),
});
export const AuditPage = z.object({
  items: z.array(AuditEntryView),
  nextBefore: z.number().nullable(),
});

export type OrgUpdateBody = z.output<typeof OrgUpdateBody>;
export type OrgUpdateBodyInput = z.input<typeof OrgUpdateBody>;
export type UserList = z.output<typeof UserList>;
export type StaffDirectory = z.output<typeof StaffDirectory>;
export type UserCreateBody = z.output<typeof UserCreateBody>;
export type UserCreateBodyInput = z.input<typeof UserCreateBody>;
export type UserUpdateBody = z.output<typeof UserUpdateBody>;
export type UserUpdateBodyInput = z.input<typeof UserUpdateBody>;
export type TeamList = z.output<typeof TeamList>;
export type TeamBody = z.output<typeof TeamBody>;
export type TeamBodyInput = z.input<typeof TeamBody>;
export type AuditQuery = z.output<typeof AuditQuery>;
export type AuditQueryInput = z.input<typeof AuditQuery>;
export type AuditPage = z.output<typeof AuditPage>;

export const IdParams = z.object({ id: Id });

export const adminApi = {
  organization: endpoint({ method: 'GET', path: '/api/admin/organization', tags: ['admin'], replies: { 200: OrgView } }),
  updateOrganization: endpoint({
    method: 'PATCH',
    path: '/api/admin/organization',
    tags: ['admin'],
    summary: 'Rename the organization, set its locale, time zone and default team',
    body: OrgUpdateBody,
    replies: { 200: OrgView },
  }),
  teams: endpoint({ method: 'GET', path: '/api/teams', tags: ['admin'], summary: 'Every team (all staff)', replies: { 200: TeamList } }),
  createTeam: endpoint({ method: 'POST', path: '/api/admin/teams', tags: ['admin'], body: TeamBody, replies: { 201: TeamView } }),
  renameTeam: endpoint({
    method: 'PATCH',
    path: '/api/admin/teams/:id',
    tags: ['admin'],
    params: IdParams,
    body: TeamBody,
    replies: { 200: TeamView },
  }),
  deleteTeam: endpoint({ method: 'DELETE', path: '/api/admin/teams/:id', tags: ['admin'], params: IdParams, replies: { 200: Ok } }),
  users: endpoint({
    method: 'GET',
    path: '/api/users',
    tags: ['admin'],
    summary: 'The staff directory, for assignment pickers (all staff): id, name, role, team, active',
    replies: { 200: StaffDirectory },
  }),
  adminUsers: endpoint({
    method: 'GET',
    path: '/api/admin/users',
    tags: ['admin'],
    summary: 'Every user with email, lock state and creation time (the admin screen)',
    replies: { 200: UserList },
  }),
  createUser: endpoint({ method: 'POST', path: '/api/admin/users', tags: ['admin'], body: UserCreateBody, replies: { 201: UserView } }),
  updateUser: endpoint({
    method: 'PATCH',
    path: '/api/admin/users/:id',
    tags: ['admin'],
    summary: 'Change a user: name, role, team, active, or reset the password',
    params: IdParams,
    body: UserUpdateBody,
    replies: { 200: UserView },
  }),
  audit: endpoint({ method: 'GET', path: '/api/admin/audit', tags: ['admin'], query: AuditQuery, replies: { 200: AuditPage } }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type AuditEntryViewInput = z.input<typeof AuditEntryView>;
export type AuditPageInput = z.input<typeof AuditPage>;
export type IdParams = z.output<typeof IdParams>;
export type IdParamsInput = z.input<typeof IdParams>;
export type TeamListInput = z.input<typeof TeamList>;
export type TeamViewInput = z.input<typeof TeamView>;
export type UserListInput = z.input<typeof UserList>;
export type UserViewInput = z.input<typeof UserView>;

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type StaffDirectoryInput = z.input<typeof StaffDirectory>;
export type StaffMemberInput = z.input<typeof StaffMember>;
