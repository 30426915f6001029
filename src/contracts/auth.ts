import { z } from 'zod';
import { Locale, TimeZone } from './admin.js';
import { Email, Password, Role, text } from './common.js';

export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1, 'is required').max(200),
});

export const OrgView = z
  .object({
    id: z.number(),
    slug: z.string(),
    name: z.string(),
    locale: z.string(),
    timeZone: z.string(),
    currency: z.string(),
    casePrefix: z.string(),
    /** Where new web and email cases land. */
    defaultTeamId: z.number().nullable(),
  })
  .meta({ id: 'Organization' });
export type OrgView = z.infer<typeof OrgView>;

export const Me = z
  .object({
    id: z.number(),
    email: z.string(),
    name: z.string(),
    role: Role,
    teamId: z.number().nullable(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const SessionView = z.object({ user: Me, org: OrgView }).meta({ id: 'Session' });
export type SessionView = z.infer<typeof SessionView>;

export const CsrfView = z.object({ token: z.string() });

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: Password,
});

export const SetupStatus = z.object({ needed: z.boolean() });

export const SetupBody = z.object({
  organizationName: text(120),
  name: text(120),
  email: Email,
  password: Password,
  timeZone: TimeZone.optional(),
  locale: Locale.optional(),
});
