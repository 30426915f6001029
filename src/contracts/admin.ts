import { z } from 'zod';
import { Email, Id, Password, RefId, Role, text } from './common.js';

export const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
export const isLocale = (l: string) => {
  try {
    return Intl.getCanonicalLocales(l).length === 1;
  } catch {
    return false;
  }
};

export const TimeZone = z.string().max(64).refine(isTimeZone, 'is not a known time zone');
export const Locale = z.string().max(35).refine(isLocale, 'is not a valid locale tag');

export const OrgUpdateBody = z.object({
  name: text(120).optional(),
  locale: Locale.optional(),
  timeZone: TimeZone.optional(),
  defaultTeamId: RefId.nullable().optional(),
});

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

export const UserCreateBody = z.object({
  email: Email,
  name: text(120),
  role: Role,
  teamId: RefId.nullable().optional(),
  password: Password,
});

export const UserUpdateBody = z.object({
  name: text(120).optional(),
  role: Role.optional(),
  teamId: RefId.nullable().optional(),
  active: z.boolean().optional(),
  password: Password.optional(),
});

export const TeamView = z
  .object({ id: z.number(), name: z.string(), members: z.number() })
  .meta({ id: 'Team' });
export type TeamView = z.infer<typeof TeamView>;
export const TeamList = z.object({ items: z.array(TeamView) });
export const TeamBody = z.object({ name: text(80) });

export const AuditEntryView = z
  .object({
    id: z.number(),
    action: z.string(),
    actor: z.object({ id: z.number(), name: z.string() }).nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    createdAt: z.number(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditQuery = z.object({
  before: Id.optional(),
  action: z.string().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const AuditPage = z.object({
  items: z.array(AuditEntryView),
  nextBefore: z.number().nullable(),
});
