// What the public sees: the help center, the web form and a patron's private status page.
import { z } from 'zod';
import { formSchema } from './common.js';
import { Status } from './cases.js';
import { endpoint } from './endpoint.js';
import { STATUS_REPLY, WEB_FORM } from './form-rules.js';
import { ROUTES } from './routes.js';

export const PublicOrgView = z.object({
  slug: z.string(),
  name: z.string(),
  locale: z.string(),
  timeZone: z.string(),
});
export type PublicOrgView = z.infer<typeof PublicOrgView>;

export const OrgSlugParams = z.object({
  org: z.string().regex(/^[a-z0-9-]{1,60}$/, 'is not an organization'),
});

/** The rules of each field are in form-rules.ts, where the public page reads them too. */
export const WebFormBody = formSchema(WEB_FORM);
export type WebFormBody = z.infer<typeof WebFormBody>;

export const WebFormResult = z.object({
  reference: z.string().nullable(),
  statusUrl: z.string().nullable(),
});

export const StatusToken = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, 'is not a status link'),
});

export const PublicEntry = z.object({
  id: z.number(),
  from: z.enum(['you', 'staff']),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.number(),
});

export const StatusView = z
  .object({
    reference: z.string(),
    subject: z.string(),
    status: Status,
    createdAt: z.number(),
    organization: PublicOrgView,
    entries: z.array(PublicEntry),
  })
  .meta({ id: 'PublicCaseStatus' });
export type StatusView = z.infer<typeof StatusView>;

export const StatusReplyBody = formSchema(STATUS_REPLY);

export type OrgSlugParams = z.output<typeof OrgSlugParams>;
export type WebFormBodyInput = z.input<typeof WebFormBody>;
export type WebFormResult = z.output<typeof WebFormResult>;
export type PublicEntry = z.output<typeof PublicEntry>;
export type StatusReplyBody = z.output<typeof StatusReplyBody>;
export type StatusReplyBodyInput = z.input<typeof StatusReplyBody>;

export const helpcenterApi = {
  org: endpoint({
    ...ROUTES.publicOrg,
    tags: ['public'],
    summary: 'The organization this desk serves (the first one)',
    replies: { 200: PublicOrgView },
  }),
  orgBySlug: endpoint({ ...ROUTES.publicOrgBySlug, tags: ['public'], params: OrgSlugParams, replies: { 200: PublicOrgView } }),
  submitForm: endpoint({
    ...ROUTES.submitForm,
    tags: ['public'],
    summary: 'The public web form: opens a case and answers with its reference and status link',
    description: 'A filled honeypot answers 202 with no reference, and nothing is stored.',
    params: OrgSlugParams,
    body: WebFormBody,
    replies: { 201: WebFormResult, 202: WebFormResult },
  }),
  status: endpoint({
    ...ROUTES.status,
    tags: ['public'],
    summary: "A patron's own case: the conversation, never internal notes",
    params: StatusToken,
    replies: { 200: StatusView },
  }),
  statusReply: endpoint({
    ...ROUTES.statusReply,
    tags: ['public'],
    summary: 'The patron replies on their status page',
    params: StatusToken,
    body: StatusReplyBody,
    replies: { 201: StatusView },
  }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type OrgSlugParamsInput = z.input<typeof OrgSlugParams>;
export type PublicEntryInput = z.input<typeof PublicEntry>;
export type PublicOrgViewInput = z.input<typeof PublicOrgView>;
export type StatusToken = z.output<typeof StatusToken>;
export type StatusTokenInput = z.input<typeof StatusToken>;
export type StatusViewInput = z.input<typeof StatusView>;
export type WebFormResultInput = z.input<typeof WebFormResult>;
