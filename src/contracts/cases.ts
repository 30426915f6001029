// Cases: queues, counts, saved views, a case and its timeline.
import { z } from 'zod';
import { Count, Cursor, Id, Ok, OptionalEmail, RefId, optionalText, someChange, text, type Role } from './common.js';
import { endpoint } from './endpoint.js';
import { STATUSES } from './case-status.js';

export { STATUSES, STATUS_LABELS } from './case-status.js';

export const CHANNELS = ['email', 'web', 'phone', 'walk_in', 'internal'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const ROADS = ['learn', 'care', 'teach', 'redirect'] as const;

export const Status = z.enum(STATUSES);
export const Channel = z.enum(CHANNELS);
export const Priority = z.enum(PRIORITIES);
/** Godin's four roads an interaction can take (seed 000). */
export const Road = z.enum(ROADS);
export type Status = z.infer<typeof Status>;
export type Channel = z.infer<typeof Channel>;
export type Priority = z.infer<typeof Priority>;
export type Road = z.infer<typeof Road>;

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};
export const CHANNEL_LABELS: Record<Channel, string> = {
  email: 'Email',
  web: 'Web',
  phone: 'Phone',
  walk_in: 'Walk-in',
  internal: 'Internal',
};
export const ROAD_LABELS: Record<Road, string> = {
  learn: 'Learn from you',
  care: 'Care for you',
  teach: 'Teach you',
  redirect: 'Redirect',
};

export const Ref = z
  .string()
  .regex(/^[A-Za-z]{1,10}-\d{1,9}$/, 'must look like SW-1042')
  .transform((v) => v.toUpperCase());

// No comma: a list row carries its tags joined by commas (TAG_LIST in server/cases/queries.ts).
const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u, 'may hold letters, digits, spaces, - and _');
export const Tags = z.array(Tag).max(20);

const Named = z.object({ id: z.number(), name: z.string() });

export const CaseSummary = z
  .object({
    id: z.number(),
    ref: z.string(),
    subject: z.string(),
    status: Status,
    priority: Priority,
    channel: Channel,
    patron: Named.nullable(),
    team: Named.nullable(),
    assignee: Named.nullable(),
    tags: z.array(z.string()),
    createdAt: z.number(),
    lastActivityAt: z.number(),
  })
  .meta({ id: 'CaseSummary' });
export type CaseSummary = z.infer<typeof CaseSummary>;

export const EntryKind = z.enum(['message_in', 'message_out', 'note', 'event']);
export type EntryKind = z.infer<typeof EntryKind>;

export const EntryView = z
  .object({
    id: z.number(),
    kind: EntryKind,
    channel: Channel.nullable(),
    body: z.string(),
    road: Road.nullable(),
    author: z
      .object({ type: z.enum(['user', 'patron']), id: z.number(), name: z.string() })
      .nullable(),
    eventType: z.string().nullable(),
    eventData: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.number(),
  })
  .meta({ id: 'CaseEntry' });
export type EntryView = z.infer<typeof EntryView>;

export const CaseDetail = CaseSummary.extend({
  /** The patron's private status link; null for volunteers, who never hold one. */
  statusUrl: z.string().nullable(),
  createdBy: Named.nullable(),
  firstResponseAt: z.number().nullable(),
  firstResponseMs: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  resolutionMs: z.number().nullable(),
  closedAt: z.number().nullable(),
  allowedStatuses: z.array(Status),
  entries: z.array(EntryView),
  earlierEntries: z.boolean(),
}).meta({ id: 'CaseDetail' });
export type CaseDetail = z.infer<typeof CaseDetail>;

export const EntriesQuery = z.object({
  before: Id,
  limit: Count(1, 200, 50),
});
export const EntriesPage = z.object({ entries: z.array(EntryView), earlierEntries: z.boolean() });

export const QUEUES = ['mine', 'team', 'unassigned', 'open', 'all'] as const;
export const Queue = z.enum(QUEUES);
export type Queue = z.infer<typeof Queue>;
/** Where each role starts ("/"): associates and volunteers work their own cases first. */
export const defaultQueue = (role: Role): Queue => (role === 'associate' || role === 'volunteer' ? 'mine' : 'open');

export const QUEUE_LABELS: Record<Queue, string> = {
  mine: 'My cases',
  team: 'My team',
  unassigned: 'Unassigned',
  open: 'All open',
  all: 'All cases',
};

/** The filters a queue view can carry; also what a saved view stores. */
export const QueueFilters = z.object({
  queue: Queue.default('open'),
  status: Status.optional(),
  priority: Priority.optional(),
  channel: Channel.optional(),
  teamId: Id.optional(),
  /** A user id, or "none" for unassigned. */
  assigneeId: z.union([z.literal('none'), Id]).optional(),
  tag: z.string().trim().toLowerCase().min(1).max(40).optional(),
  /** One patron's cases: their history across channels (their profile lists it). */
  patronId: Id.optional(),
  sort: z.enum(['activity', 'age']).default('activity'),
});
export type QueueFilters = z.infer<typeof QueueFilters>;

export const QueueQuery = QueueFilters.extend({
  after: Cursor.optional(),
  limit: Count(1, 100, 50),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const QueuePage = z
  .object({
    items: z.array(CaseSummary),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'QueuePage' });
export type QueuePage = z.infer<typeof QueuePage>;

export const QueueCounts = z.object({
  mine: z.number(),
  team: z.number(),
  unassigned: z.number(),
  open: z.number(),
});
export type QueueCounts = z.infer<typeof QueueCounts>;

/** A capped count for an arbitrary filter: `capped` means "at least `count`". */
export const FilterCount = z.object({ count: z.number(), capped: z.boolean() });

export const NewPatronInline = z.object({
  name: text(120),
  email: OptionalEmail,
  phone: optionalText(40),
});

export const CaseCreateBody = z
  .object({
    channel: Channel,
    patronId: RefId.optional(),
    patron: NewPatronInline.optional(),
    subject: text(200),
    body: text(20000),
    /** Who spoke first: the patron (inbound, the usual) or us (an outbound call). */
    direction: z.enum(['in', 'out']).default('in'),
    road: Road.optional(),
    status: Status.optional(),
    priority: Priority.default('normal'),
    teamId: RefId.nullable().optional(),
    assigneeId: RefId.nullable().optional(),
    tags: Tags.default([]),
  })
  .refine((b) => !(b.patronId && b.patron), {
    message: 'give either patronId or patron, not both',
    path: ['patron'],
  });
export type CaseCreateBody = z.infer<typeof CaseCreateBody>;

export const CaseUpdateBody = someChange(
  z.object({
    subject: text(200).optional(),
    status: Status.optional(),
    priority: Priority.optional(),
    teamId: RefId.nullable().optional(),
    assigneeId: RefId.nullable().optional(),
    tags: Tags.optional(),
    /** Supervisors may override the status rules; the reason goes to the audit log. */
    overrideReason: optionalText(500),
  }),
);
export type CaseUpdateBody = z.infer<typeof CaseUpdateBody>;

export const EntryCreateBody = z.object({
  /** reply: to the patron; note: internal; patron_message: something the patron said, logged. */
  kind: z.enum(['reply', 'note', 'patron_message']),
  body: text(20000),
  road: Road.optional(),
  channel: Channel.optional(),
  /** Status to set in the same step (e.g. reply and mark waiting). */
  status: Status.optional(),
  /**
   * Take the case in the same step (replying to an unassigned case). Refused with a 409 naming
   * `take` when a colleague took it meanwhile; nothing is written then.
   */
  take: z.boolean().optional(),
});
export type EntryCreateBody = z.infer<typeof EntryCreateBody>;

export const SavedView = z
  .object({ id: z.number(), name: z.string(), filters: QueueFilters })
  .meta({ id: 'SavedView' });
export type SavedView = z.infer<typeof SavedView>;
export const SavedViewList = z.object({ items: z.array(SavedView) });
export const SavedViewBody = z.object({ name: text(60), filters: QueueFilters });

export const CaseRefParams = z.object({ ref: Ref });

export type EntriesQuery = z.output<typeof EntriesQuery>;
export type EntriesQueryInput = z.input<typeof EntriesQuery>;
export type EntriesPage = z.output<typeof EntriesPage>;
export type QueueFiltersInput = z.input<typeof QueueFilters>;
export type QueueQueryInput = z.input<typeof QueueQuery>;
export type FilterCount = z.output<typeof FilterCount>;
export type NewPatronInline = z.output<typeof NewPatronInline>;
export type CaseCreateBodyInput = z.input<typeof CaseCreateBody>;
export type CaseUpdateBodyInput = z.input<typeof CaseUpdateBody>;
export type EntryCreateBodyInput = z.input<typeof EntryCreateBody>;
export type SavedViewList = z.output<typeof SavedViewList>;
export type SavedViewBody = z.output<typeof SavedViewBody>;
export type SavedViewBodyInput = z.input<typeof SavedViewBody>;
export type CaseRefParams = z.output<typeof CaseRefParams>;

export const ViewParams = z.object({ id: Id });

export const casesApi = {
  queue: endpoint({
    method: 'GET',
    path: '/api/cases',
    tags: ['cases'],
    summary: 'A queue page: filters, sort, keyset cursor (`after`)',
    query: QueueQuery,
    replies: { 200: QueuePage },
  }),
  counts: endpoint({ method: 'GET', path: '/api/cases/counts', tags: ['cases'], summary: 'Open cases per queue', replies: { 200: QueueCounts } }),
  count: endpoint({
    method: 'GET',
    path: '/api/cases/count',
    tags: ['cases'],
    summary: 'How many cases match a filter, capped at 1,000',
    query: QueueFilters,
    replies: { 200: FilterCount },
  }),
  create: endpoint({
    method: 'POST',
    path: '/api/cases',
    tags: ['cases'],
    summary: 'Open a case (log a call or walk-in)',
    body: CaseCreateBody,
    replies: { 201: CaseDetail },
  }),
  get: endpoint({ method: 'GET', path: '/api/cases/:ref', tags: ['cases'], params: CaseRefParams, replies: { 200: CaseDetail } }),
  earlierEntries: endpoint({
    method: 'GET',
    path: '/api/cases/:ref/entries',
    tags: ['cases'],
    summary: 'Earlier timeline entries (before an entry id)',
    params: CaseRefParams,
    query: EntriesQuery,
    replies: { 200: EntriesPage },
  }),
  update: endpoint({
    method: 'PATCH',
    path: '/api/cases/:ref',
    tags: ['cases'],
    summary: 'Change status, priority, team, assignee, tags or subject',
    params: CaseRefParams,
    body: CaseUpdateBody,
    replies: { 200: CaseDetail },
  }),
  addEntry: endpoint({
    method: 'POST',
    path: '/api/cases/:ref/entries',
    tags: ['cases'],
    summary: 'Reply to the patron, add an internal note, or log a patron message',
    params: CaseRefParams,
    body: EntryCreateBody,
    replies: { 201: CaseDetail },
  }),
  rotateStatusLink: endpoint({
    method: 'POST',
    path: '/api/cases/:ref/status-link',
    tags: ['cases'],
    summary: "Give the case a new status link; the old one stops working (staff but volunteers)",
    params: CaseRefParams,
    replies: { 200: CaseDetail },
  }),
  delete: endpoint({ method: 'DELETE', path: '/api/cases/:ref', tags: ['cases'], params: CaseRefParams, replies: { 200: Ok } }),
  views: endpoint({ method: 'GET', path: '/api/views', tags: ['cases'], summary: 'My saved views', replies: { 200: SavedViewList } }),
  saveView: endpoint({ method: 'POST', path: '/api/views', tags: ['cases'], body: SavedViewBody, replies: { 201: SavedView } }),
  deleteView: endpoint({ method: 'DELETE', path: '/api/views/:id', tags: ['cases'], params: ViewParams, replies: { 200: Ok } }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type CaseDetailInput = z.input<typeof CaseDetail>;
export type CaseRefParamsInput = z.input<typeof CaseRefParams>;
export type CaseSummaryInput = z.input<typeof CaseSummary>;
export type ChannelInput = z.input<typeof Channel>;
export type EntriesPageInput = z.input<typeof EntriesPage>;
export type EntryKindInput = z.input<typeof EntryKind>;
export type EntryViewInput = z.input<typeof EntryView>;
export type FilterCountInput = z.input<typeof FilterCount>;
export type NewPatronInlineInput = z.input<typeof NewPatronInline>;
export type PriorityInput = z.input<typeof Priority>;
export type QueueInput = z.input<typeof Queue>;
export type QueueCountsInput = z.input<typeof QueueCounts>;
export type QueuePageInput = z.input<typeof QueuePage>;
export type Ref = z.output<typeof Ref>;
export type RefInput = z.input<typeof Ref>;
export type RoadInput = z.input<typeof Road>;
export type SavedViewInput = z.input<typeof SavedView>;
export type SavedViewListInput = z.input<typeof SavedViewList>;
export type StatusInput = z.input<typeof Status>;
export type Tags = z.output<typeof Tags>;
export type TagsInput = z.input<typeof Tags>;
export type ViewParams = z.output<typeof ViewParams>;
export type ViewParamsInput = z.input<typeof ViewParams>;
