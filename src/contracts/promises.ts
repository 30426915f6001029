// Promises (C3): what was promised to whom, by when and how, who owns it; keeping one,
// renegotiating with consent, the lists of my and my team's promises, and the kept rate.
import { z } from 'zod';
import { CaseRefParams } from './cases.js';
import { Id, RefId } from './common.js';
import { endpoint } from './endpoint.js';

export const HOWS = ['call', 'email', 'letter', 'in_person'] as const;
export const How = z.enum(HOWS);
export type How = z.infer<typeof How>;
export const HOW_LABELS: Record<How, string> = { call: 'Call', email: 'Email', letter: 'Letter', in_person: 'In person' };

// released: no longer owed, with the reason (a booked callback the patron cancelled, say).
export const PROMISE_STATES = ['open', 'kept', 'broken', 'kept_late', 'released'] as const;
export const PromiseState = z.enum(PROMISE_STATES);
export type PromiseState = z.infer<typeof PromiseState>;
export const PROMISE_STATE_LABELS: Record<PromiseState, string> = {
  open: 'Open',
  kept: 'Kept',
  broken: 'Broken',
  kept_late: 'Kept late',
  released: 'Released',
};

/** Epoch milliseconds, UTC (formatted in the organization's time zone at the edge). */
const Instant = z.number().int().nonnegative().max(8.64e15);
/** The same in a query string: digits only. */
const InstantQuery = z.codec(z.union([z.number(), z.string().regex(/^(0|[1-9][0-9]{0,15})$/, 'must be epoch milliseconds in digits')]), Instant, {
  decode: (v) => Number(v),
  encode: (n) => n,
});

/** By when: a moment, or a window whose end is the due time. */
export const PromiseWindow = z
  .object({ from: Instant, to: Instant })
  .refine((w) => w.from < w.to, { message: 'must start before it ends', path: ['to'] });
export type PromiseWindow = z.infer<typeof PromiseWindow>;

export const PromiseCreateBody = z
  .object({
    what: z.string().trim().min(1).max(2000),
    how: How,
    dueAt: Instant.optional(),
    window: PromiseWindow.optional(),
    /** Whether permission for more time was asked, and what the patron said. */
    permissionAsked: z.boolean(),
    patronAnswer: z.string().trim().max(1000).optional(),
    /** Who keeps it; default: the one making it. */
    ownerUserId: RefId.optional(),
    /** To whom, on an internal case: a colleague. */
    toUserId: RefId.optional(),
  })
  .refine((b) => (b.dueAt === undefined) !== (b.window === undefined), {
    message: 'give either a due time or a window',
    path: ['dueAt'],
  });
export type PromiseCreateBody = z.infer<typeof PromiseCreateBody>;

export const PromiseParams = z.object({ id: Id });
export type PromiseParams = z.infer<typeof PromiseParams>;

export const KeepBody = z.object({
  /** The outbound reply or logged call that kept it (a message to the patron on the case). */
  entryId: RefId,
});
export type KeepBody = z.infer<typeof KeepBody>;

export const RenegotiateBody = z
  .object({
    dueAt: Instant.optional(),
    window: PromiseWindow.optional(),
    /** The patron agreed to the new time: required, and recorded with their words. */
    patronConsent: z.literal(true, { error: 'must be recorded: renegotiate only with the patron’s consent' }),
    consentNote: z.string().trim().min(1).max(1000),
  })
  .refine((b) => (b.dueAt === undefined) !== (b.window === undefined), {
    message: 'give either a due time or a window',
    path: ['dueAt'],
  });
export type RenegotiateBody = z.infer<typeof RenegotiateBody>;

const Named = z.object({ id: z.number(), name: z.string() });

export const PromiseEventView = z.object({
  kind: z.enum(['made', 'renegotiated', 'reminded', 'broken', 'escalated', 'kept', 'kept_late', 'released']),
  at: z.number(),
  by: Named.nullable(),
  oldDueAt: z.number().nullable(),
  newDueAt: z.number().nullable(),
  entryId: z.number().nullable(),
  note: z.string().nullable(),
});
export type PromiseEventView = z.infer<typeof PromiseEventView>;

export const PromiseView = z
  .object({
    id: z.number(),
    caseRef: z.string(),
    caseSubject: z.string(),
    patron: Named.nullable(),
    toUser: Named.nullable(),
    owner: Named,
    teamId: z.number().nullable(),
    what: z.string(),
    how: How,
    windowStart: z.number().nullable(),
    dueAt: z.number(),
    permissionAsked: z.boolean(),
    patronAnswer: z.string().nullable(),
    state: PromiseState,
    version: z.number(),
    remindedAt: z.number().nullable(),
    brokenAt: z.number().nullable(),
    escalatedAt: z.number().nullable(),
    keptAt: z.number().nullable(),
    keptEntryId: z.number().nullable(),
    createdAt: z.number(),
  })
  .meta({ id: 'Promise' });
export type PromiseView = z.infer<typeof PromiseView>;

export const PromiseDetail = PromiseView.extend({ history: z.array(PromiseEventView) });
export type PromiseDetail = z.infer<typeof PromiseDetail>;

export const PromiseList = z.object({ items: z.array(PromiseView), nextCursor: z.string().nullable() });
export type PromiseList = z.infer<typeof PromiseList>;

/** "My promises today": the buckets a person works from. */
export const MyPromises = z.object({
  overdue: z.array(PromiseView),
  dueSoon: z.array(PromiseView),
  dueToday: z.array(PromiseView),
  keptToday: z.array(PromiseView),
  /** More are due before today ends than the buckets hold (they hold the soonest 100). */
  moreToday: z.boolean(),
  /**
   * Where the list of the rest starts (`GET /api/promises/mine/later?after=…`): after the last
   * promise in the buckets when there are more today, else at the end of today.
   */
  laterAfter: z.string(),
  /** Start and end of today in the organization's time zone. */
  dayStart: z.number(),
  dayEnd: z.number(),
});
export type MyPromises = z.infer<typeof MyPromises>;

export const MyPromisesQuery = z.object({ userId: Id.optional() });
export type MyPromisesQuery = z.infer<typeof MyPromisesQuery>;

export const MyLaterPromisesQuery = MyPromisesQuery.extend({ after: z.string().max(40).optional() });
export type MyLaterPromisesQuery = z.infer<typeof MyLaterPromisesQuery>;

export const TeamPromisesQuery = z.object({ teamId: Id.optional(), after: z.string().max(40).optional() });
export type TeamPromisesQuery = z.infer<typeof TeamPromisesQuery>;

export const PromiseHistoryQuery = z.object({ after: z.string().max(40).optional() });
export type PromiseHistoryQuery = z.infer<typeof PromiseHistoryQuery>;

export const PatronPromisesParams = z.object({ id: Id });
export type PatronPromisesParams = z.infer<typeof PatronPromisesParams>;

export const KeptRateQuery = z
  .object({
    scope: z.enum(['org', 'team', 'person']).default('org'),
    /** The team or the person; default: the asker's own. */
    id: Id.optional(),
    from: InstantQuery,
    to: InstantQuery,
  })
  .refine((q) => q.from < q.to, { message: 'must be after from', path: ['to'] });
export type KeptRateQuery = z.infer<typeof KeptRateQuery>;

/** Over promises falling due in [from, to): kept on time, kept late, broken, still open. */
export const KeptRate = z.object({
  scope: z.enum(['org', 'team', 'person']),
  id: z.number().nullable(),
  from: z.number(),
  to: z.number(),
  kept: z.number(),
  keptLate: z.number(),
  broken: z.number(),
  /** Kept on time over those settled (kept, kept late, broken); null when none. */
  onTimeRate: z.number().nullable(),
  /** Kept at all (on time or late) over those settled. */
  keptRate: z.number().nullable(),
});
export type KeptRate = z.infer<typeof KeptRate>;

/** Whole minutes, 0 to a week, worded for the person typing them. */
const Minutes = z
  .number({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a whole number of minutes') })
  .int('must be a whole number of minutes')
  .min(0, 'must be 0 or more')
  .max(7 * 24 * 60, 'must be at most 10080 (a week)');

export const TeamPromiseSettings = z.object({
  teamId: z.number(),
  /** Minutes before due that the owner is reminded. */
  reminderLeadMinutes: Minutes,
  /** Minutes after due that the team's supervisors hear of a promise not kept. */
  escalateAfterMinutes: Minutes,
});
export type TeamPromiseSettings = z.infer<typeof TeamPromiseSettings>;
export const TeamParams = z.object({ teamId: Id });
export type TeamParams = z.infer<typeof TeamParams>;
export const TeamPromiseSettingsBody = TeamPromiseSettings.omit({ teamId: true });
export type TeamPromiseSettingsBody = z.infer<typeof TeamPromiseSettingsBody>;

export const promisesApi = {
  make: endpoint({
    method: 'POST',
    path: '/api/cases/:ref/promises',
    tags: ['promises'],
    summary: 'Promise the patron an answer by a time; the case becomes promised',
    params: CaseRefParams,
    body: PromiseCreateBody,
    replies: { 201: PromiseDetail },
  }),
  onCase: endpoint({
    method: 'GET',
    path: '/api/cases/:ref/promises',
    tags: ['promises'],
    summary: 'Promises on a case, newest first, with their history',
    params: CaseRefParams,
    replies: { 200: z.object({ items: z.array(PromiseDetail) }) },
  }),
  onPatron: endpoint({
    method: 'GET',
    path: '/api/patrons/:id/promises',
    tags: ['promises'],
    summary: 'Promises made to a patron, newest first',
    params: PatronPromisesParams,
    query: PromiseHistoryQuery,
    replies: { 200: PromiseList },
  }),
  get: endpoint({ method: 'GET', path: '/api/promises/:id', tags: ['promises'], params: PromiseParams, replies: { 200: PromiseDetail } }),
  keep: endpoint({
    method: 'POST',
    path: '/api/promises/:id/keep',
    tags: ['promises'],
    summary: 'Mark kept, linked to the reply or logged call that kept it',
    params: PromiseParams,
    body: KeepBody,
    replies: { 200: PromiseDetail },
  }),
  renegotiate: endpoint({
    method: 'POST',
    path: '/api/promises/:id/renegotiate',
    tags: ['promises'],
    summary: 'A new due time, with the patron’s consent recorded; the old one stays in history',
    params: PromiseParams,
    body: RenegotiateBody,
    replies: { 200: PromiseDetail },
  }),
  mine: endpoint({
    method: 'GET',
    path: '/api/promises/mine',
    tags: ['promises'],
    summary: 'My promises today: overdue, due soon, due later today, kept today',
    query: MyPromisesQuery,
    replies: { 200: MyPromises },
  }),
  mineLater: endpoint({
    method: 'GET',
    path: '/api/promises/mine/later',
    tags: ['promises'],
    summary: 'My promises due after today, soonest first, page by page',
    query: MyLaterPromisesQuery,
    replies: { 200: PromiseList },
  }),
  team: endpoint({
    method: 'GET',
    path: '/api/promises/team',
    tags: ['promises'],
    summary: 'The team’s promises still to keep, soonest first',
    query: TeamPromisesQuery,
    replies: { 200: PromiseList },
  }),
  keptRate: endpoint({
    method: 'GET',
    path: '/api/promises/kept-rate',
    tags: ['promises'],
    summary: 'Promises kept on time and late over a period: a team measure, never a ranking',
    query: KeptRateQuery,
    replies: { 200: KeptRate },
  }),
  settings: endpoint({
    method: 'GET',
    path: '/api/teams/:teamId/promise-settings',
    tags: ['promises'],
    params: TeamParams,
    replies: { 200: TeamPromiseSettings },
  }),
  saveSettings: endpoint({
    method: 'PUT',
    path: '/api/teams/:teamId/promise-settings',
    tags: ['promises'],
    params: TeamParams,
    body: TeamPromiseSettingsBody,
    replies: { 200: TeamPromiseSettings },
  }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type HowInput = z.input<typeof How>;
export type PromiseStateInput = z.input<typeof PromiseState>;
export type PromiseWindowInput = z.input<typeof PromiseWindow>;
export type PromiseCreateBodyInput = z.input<typeof PromiseCreateBody>;
export type PromiseParamsInput = z.input<typeof PromiseParams>;
export type KeepBodyInput = z.input<typeof KeepBody>;
export type RenegotiateBodyInput = z.input<typeof RenegotiateBody>;
export type PromiseEventViewInput = z.input<typeof PromiseEventView>;
export type PromiseViewInput = z.input<typeof PromiseView>;
export type PromiseDetailInput = z.input<typeof PromiseDetail>;
export type PromiseListInput = z.input<typeof PromiseList>;
export type MyPromisesInput = z.input<typeof MyPromises>;
export type MyPromisesQueryInput = z.input<typeof MyPromisesQuery>;
export type MyLaterPromisesQueryInput = z.input<typeof MyLaterPromisesQuery>;
export type TeamPromisesQueryInput = z.input<typeof TeamPromisesQuery>;
export type PromiseHistoryQueryInput = z.input<typeof PromiseHistoryQuery>;
export type PatronPromisesParamsInput = z.input<typeof PatronPromisesParams>;
export type KeptRateQueryInput = z.input<typeof KeptRateQuery>;
export type KeptRateInput = z.input<typeof KeptRate>;
export type TeamPromiseSettingsInput = z.input<typeof TeamPromiseSettings>;
export type TeamParamsInput = z.input<typeof TeamParams>;
export type TeamPromiseSettingsBodyInput = z.input<typeof TeamPromiseSettingsBody>;
