// Signing in and out, the session, CSRF tokens and the first-admin setup.
import { z } from 'zod';
import { Email, Locale, Ok, Password, Role, TimeZone, text } from './common.js';
import { endpoint } from './endpoint.js';
import { ROUTES } from './routes.js';

export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1, 'is required').max(200),
  /**
   * The organization's slug, when one email and password open accounts in several (the
   * answer then is a 400 naming this field, listing them).
   */
  organization: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/, 'is not an organization')
    .optional(),
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

export type LoginBody = z.output<typeof LoginBody>;
export type LoginBodyInput = z.input<typeof LoginBody>;
export type OrgViewInput = z.input<typeof OrgView>;
export type CsrfView = z.output<typeof CsrfView>;
export type ChangePasswordBody = z.output<typeof ChangePasswordBody>;
export type ChangePasswordBodyInput = z.input<typeof ChangePasswordBody>;
export type SetupStatus = z.output<typeof SetupStatus>;
export type SetupBody = z.output<typeof SetupBody>;
export type SetupBodyInput = z.input<typeof SetupBody>;

export const authApi = {
  csrf: endpoint({
    ...ROUTES.csrf,
    tags: ['auth'],
    summary: 'A CSRF token to send as x-csrf-token',
    replies: { 200: CsrfView },
  }),
  login: endpoint({
    method: 'POST',
    path: '/api/auth/login',
    tags: ['auth'],
    summary: 'Sign in with email and password',
    body: LoginBody,
    replies: { 200: SessionView },
  }),
  logout: endpoint({ method: 'POST', path: '/api/auth/logout', tags: ['auth'], summary: 'Sign out', replies: { 200: Ok } }),
  session: endpoint({ method: 'GET', path: '/api/session', tags: ['auth'], summary: 'Who is signed in', replies: { 200: SessionView } }),
  changePassword: endpoint({
    method: 'POST',
    path: '/api/auth/password',
    tags: ['auth'],
    summary: 'Change my password (ends my other sessions)',
    body: ChangePasswordBody,
    replies: { 200: Ok },
  }),
  setupStatus: endpoint({
    method: 'GET',
    path: '/api/setup',
    tags: ['auth'],
    summary: 'Whether the first admin still has to be created',
    replies: { 200: SetupStatus },
  }),
  setup: endpoint({
    method: 'POST',
    path: '/api/setup',
    tags: ['auth'],
    summary: 'Create the organization and its first admin (only on an empty install)',
    body: SetupBody,
    replies: { 200: SessionView },
  }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type CsrfViewInput = z.input<typeof CsrfView>;
export type MeInput = z.input<typeof Me>;
export type SessionViewInput = z.input<typeof SessionView>;
export type SetupStatusInput = z.input<typeof SetupStatus>;
