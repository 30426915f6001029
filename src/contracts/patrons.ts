// Patrons: lookup as you type, the profile, its edits and notes.
import { z } from 'zod';
import { Count, Cursor, Day, Email, Id, Ok, OptionalEmail, RefId, optionalText, someChange, text } from './common.js';
import { FileBytes } from './mail.js';
import { Channel } from './cases.js';
import { endpoint } from './endpoint.js';

export const PatronNoteKind = z.enum(['general', 'personal']);

export const PatronNoteView = z.object({
  id: z.number(),
  kind: PatronNoteKind,
  body: z.string(),
  author: z.object({ id: z.number(), name: z.string() }).nullable(),
  createdAt: z.number(),
});

export const PatronSummary = z
  .object({
    id: z.number(),
    name: z.string(),
    preferredName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    lastContactAt: z.number().nullable(),
  })
  .meta({ id: 'PatronSummary' });
export type PatronSummary = z.infer<typeof PatronSummary>;

export const ContactKind = z.enum(['email', 'phone']);
export const ContactChannel = z.enum(['email', 'phone', 'sms', 'post', 'any']);
export const NeedStatus = z.enum(['open', 'in_progress', 'met', 'closed']);
export const ValueKind = z.enum(['membership', 'donation', 'ticket', 'other']);

/** An email (lower-cased) or a phone number (E.164), labelled ("home", "work"). */
export const ContactPointView = z.object({
  id: z.number(),
  kind: ContactKind,
  value: z.string(),
  label: z.string().nullable(),
  preferred: z.boolean(),
  failing: z.boolean(),
  failingReason: z.string().nullable(),
});

const UserRef = z.object({ id: z.number(), name: z.string() });

export const NeedEventView = z.object({
  status: NeedStatus,
  note: z.string().nullable(),
  by: UserRef.nullable(),
  at: z.number(),
});
export const NeedView = z.object({
  id: z.number(),
  title: z.string(),
  status: NeedStatus,
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Every status it went through, oldest first. */
  history: z.array(NeedEventView),
});

export const ValueRecordView = z.object({
  id: z.number(),
  occurredOn: z.string(),
  kind: ValueKind,
  amountMinor: z.number(),
  currency: z.string(),
  source: z.string(),
});
/** The relationship at a glance: totals per kind and currency, and the latest record. */
export const RelationshipSummary = z.object({
  records: z.number(),
  totals: z.array(z.object({ kind: ValueKind, currency: z.string(), count: z.number(), amountMinor: z.number() })),
  lastOn: z.string().nullable(),
});

/** A contact the patron made: one of their cases, on the channel it came by. */
export const RecentContact = z.object({
  caseId: z.number(),
  ref: z.string(),
  subject: z.string(),
  channel: Channel,
  at: z.number(),
});

export const PatronDetail = PatronSummary.extend({
  language: z.string().nullable(),
  pronouns: z.string().nullable(),
  accessibility: z.string().nullable(),
  communication: z.object({
    channel: ContactChannel.nullable(),
    bestTime: z.string().nullable(),
    doNotContact: z.boolean(),
  }),
  askedFor: UserRef.nullable(),
  contacts: z.array(ContactPointView),
  needs: z.array(NeedView),
  /** Relationship value; null for volunteers, who do not see it. */
  value: z.object({ summary: RelationshipSummary, records: z.array(ValueRecordView) }).nullable(),
  /** The three latest contacts, newest first (the whole history is the case list). */
  recentContacts: z.array(RecentContact),
  /** A later case after a resolved one. */
  cameBack: z.boolean(),
  firstContactAt: z.number().nullable(),
  createdAt: z.number(),
  /** Personal notes are left out for volunteers. */
  notes: z.array(PatronNoteView),
}).meta({ id: 'PatronDetail' });
export type PatronDetail = z.infer<typeof PatronDetail>;

export const PatronLookupQuery = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(120),
  limit: Count(1, 25, 8),
});
export const PatronLookupResult = z.object({ items: z.array(PatronSummary) });

/** A yes/no filter in a query string: `true` or `false`, left out for either. */
const YesNo = z.enum(['true', 'false'], "must be 'true' or 'false'").transform((v) => v === 'true');

/**
 * The patron list's filters, shared by the page and the CSV export. `q` is the desk's one
 * patron search (name, email, phone; as lookup), bounded to its best PATRON_LIST_SEARCH_CAP
 * matches; the days are read in the organization's time zone, both ends included.
 */
const listFilterShape = {
  q: z.string().trim().min(1, 'must not be empty').max(120).optional(),
  /** Has (true) or has no (false) contact point marked failing. */
  failing: YesNo.optional(),
  doNotContact: YesNo.optional(),
  createdFrom: Day.optional(),
  createdTo: Day.optional(),
};
const daysInOrder: [
  (f: { createdFrom?: string | undefined; createdTo?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [(f) => !f.createdFrom || !f.createdTo || f.createdFrom <= f.createdTo, { message: 'must be on or after createdFrom', path: ['createdTo'] }];
export const PatronListFilters = z.object(listFilterShape).refine(...daysInOrder);
export const PATRON_LIST_SEARCH_CAP = 1000;
export const PatronListQuery = z
  .object({ ...listFilterShape, after: Cursor.optional(), limit: Count(1, 100, 50) })
  .refine(...daysInOrder);
/** A row of the list: who, how to reach them, and whether that works. No notes, no value. */
export const PatronListItem = PatronSummary.extend({
  pronouns: z.string().nullable(),
  language: z.string().nullable(),
  doNotContact: z.boolean(),
  failingContacts: z.number(),
  cases: z.number(),
  firstContactAt: z.number().nullable(),
  createdAt: z.number(),
}).meta({ id: 'PatronListItem' });
/** Newest first (created, then id); `nextCursor` is null on the last page. */
export const PatronListPage = z.object({ items: z.array(PatronListItem), nextCursor: z.string().nullable() });

export const ContactPointBody = z.object({
  kind: ContactKind,
  value: text(254),
  label: optionalText(40),
  preferred: z.boolean().default(false),
});
export const ContactPointUpdateBody = someChange(
  z.object({
    label: z.string().trim().max(40).nullable().optional(),
    /** Make this the preferred one of its kind. */
    preferred: z.literal(true).optional(),
    /** Mark as failing (mail bounced, number dead) or working again. */
    failing: z.boolean().optional(),
  }),
);

export const PatronCreateBody = z.object({
  name: text(120),
  preferredName: optionalText(120),
  email: OptionalEmail,
  phone: optionalText(40),
  language: optionalText(35),
  pronouns: optionalText(40),
  accessibility: optionalText(1000),
  /** More contact points (the email and phone above become the preferred ones). */
  contacts: z.array(ContactPointBody).max(20).optional(),
});
const nullableText = (max: number) => z.string().trim().max(max).nullable().optional();
export const PatronUpdateBody = someChange(
  z.object({
    name: text(120).optional(),
    preferredName: nullableText(120),
    /** Sets the preferred email (null removes it). */
    email: Email.nullable().optional(),
    /** Sets the preferred phone (null removes it). */
    phone: nullableText(40),
    language: nullableText(35),
    pronouns: nullableText(40),
    accessibility: nullableText(1000),
    contactChannel: ContactChannel.nullable().optional(),
    bestTime: nullableText(120),
    doNotContact: z.boolean().optional(),
    askedForUserId: RefId.nullable().optional(),
  }),
);

export const NeedBody = z.object({ title: text(200), note: optionalText(1000) });
export const NeedUpdateBody = someChange(
  z.object({ title: text(200).optional(), status: NeedStatus.optional(), note: optionalText(1000) }),
);
export const ValueRecordBody = z.object({
  occurredOn: z.iso.date('must be a date (YYYY-MM-DD)'),
  kind: ValueKind,
  amountMinor: z.number().int('must be a whole number of minor units (cents)').min(-1e12).max(1e12),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code').optional(),
  source: text(80).default('desk'),
});
export const ContactParams = z.object({ id: Id, contactId: Id });

export const MatchLevel = z.enum(['likely', 'possible']);
/** Another patron who may be this one: the score (0–100), its level and why. */
export const DuplicateCandidate = z.object({
  patron: PatronSummary,
  score: z.number(),
  level: MatchLevel,
  reasons: z.array(z.string()),
});
export const DuplicateList = z.object({ items: z.array(DuplicateCandidate) });
export const DuplicatePair = z.object({
  a: PatronSummary,
  b: PatronSummary,
  score: z.number(),
  level: MatchLevel,
  reasons: z.array(z.string()),
});
export const DuplicateReviewQuery = z.object({
  level: MatchLevel.default('possible'),
  after: Cursor.optional(),
  limit: Count(1, 100, 25),
});
export const DuplicateReviewPage = z.object({ items: z.array(DuplicatePair), nextCursor: z.string().nullable() });
export const OtherPatronBody = z.object({ otherId: RefId });

/** The profile fields a merge compares; lists (contacts, needs, notes, value, cases) are additive. */
export const MERGE_FIELDS = ['name', 'preferredName', 'pronouns', 'language', 'accessibility', 'contactChannel', 'bestTime', 'askedForUserId'] as const;
export const MergeField = z.enum(MERGE_FIELDS);
export const MergeFieldView = z.object({
  field: MergeField,
  survivor: z.string().nullable(),
  merged: z.string().nullable(),
  /** equal (or only one side has it: that one is kept), conflict (pick one). */
  state: z.enum(['equal', 'conflict']),
});
export const MergePreviewQuery = z.object({ otherId: Id });
export const MergePreview = z.object({
  survivor: PatronSummary,
  merged: PatronSummary,
  fields: z.array(MergeFieldView),
  /** Both kept: how many of each the merged patron brings. */
  additive: z.object({ contacts: z.number(), needs: z.number(), notes: z.number(), values: z.number(), cases: z.number() }),
});
export const MergeBody = z.object({
  otherId: RefId,
  /** For a field in conflict, whose value to keep (default: this patron's). */
  keep: z.partialRecord(MergeField, z.enum(['survivor', 'merged'])).default({}),
});
export const MergeResult = z.object({ mergeId: z.number(), patron: PatronDetail });
export const MergeParams = z.object({ mergeId: Id });
export const MergeView = z.object({
  id: z.number(),
  mergedId: z.number(),
  mergedName: z.string(),
  at: z.number(),
  undoUntil: z.number(),
  by: z.string().nullable(),
});
export const MergeList = z.object({ items: z.array(MergeView) });
/** Everything held on one patron, as one download (a privacy request). */
export const PatronExport = z.object({
  exportedAt: z.number(),
  patron: PatronDetail,
  allValueRecords: z.array(ValueRecordView),
  cases: z.array(
    z.object({
      ref: z.string(),
      subject: z.string(),
      channel: Channel,
      status: z.string(),
      createdAt: z.number(),
      messages: z.array(z.object({ kind: z.string(), body: z.string(), by: z.string().nullable(), at: z.number() })),
    }),
  ),
  audit: z.array(z.object({ action: z.string(), at: z.number(), detail: z.string().nullable() })),
});

/** Erasure cannot be undone: the request must say so. */
export const EraseBody = z.object({ confirm: z.literal(true, 'must be true: erasure cannot be undone') });
export const NeedParams = z.object({ id: Id, needId: Id });
export const ValueParams = z.object({ id: Id, recordId: Id });

export const PatronNoteBody = z.object({ kind: PatronNoteKind, body: text(5000) });
export const PatronParams = z.object({ id: Id });

export type PatronNoteKind = z.output<typeof PatronNoteKind>;
export type ContactKind = z.output<typeof ContactKind>;
export type ContactKindInput = z.input<typeof ContactKind>;
export type ContactChannel = z.output<typeof ContactChannel>;
export type ContactChannelInput = z.input<typeof ContactChannel>;
export type NeedStatus = z.output<typeof NeedStatus>;
export type NeedStatusInput = z.input<typeof NeedStatus>;
export type ValueKind = z.output<typeof ValueKind>;
export type ValueKindInput = z.input<typeof ValueKind>;
export type ContactPointView = z.output<typeof ContactPointView>;
export type ContactPointViewInput = z.input<typeof ContactPointView>;
export type NeedEventView = z.output<typeof NeedEventView>;
export type NeedEventViewInput = z.input<typeof NeedEventView>;
export type NeedView = z.output<typeof NeedView>;
export type NeedViewInput = z.input<typeof NeedView>;
export type ValueRecordView = z.output<typeof ValueRecordView>;
export type ValueRecordViewInput = z.input<typeof ValueRecordView>;
export type RelationshipSummary = z.output<typeof RelationshipSummary>;
export type RelationshipSummaryInput = z.input<typeof RelationshipSummary>;
export type RecentContact = z.output<typeof RecentContact>;
export type RecentContactInput = z.input<typeof RecentContact>;
export type ContactPointBody = z.output<typeof ContactPointBody>;
export type ContactPointBodyInput = z.input<typeof ContactPointBody>;
export type ContactPointUpdateBody = z.output<typeof ContactPointUpdateBody>;
export type ContactPointUpdateBodyInput = z.input<typeof ContactPointUpdateBody>;
export type NeedBody = z.output<typeof NeedBody>;
export type NeedBodyInput = z.input<typeof NeedBody>;
export type NeedUpdateBody = z.output<typeof NeedUpdateBody>;
export type NeedUpdateBodyInput = z.input<typeof NeedUpdateBody>;
export type ValueRecordBody = z.output<typeof ValueRecordBody>;
export type ValueRecordBodyInput = z.input<typeof ValueRecordBody>;
export type ContactParams = z.output<typeof ContactParams>;
export type MatchLevel = z.output<typeof MatchLevel>;
export type MatchLevelInput = z.input<typeof MatchLevel>;
export type DuplicateCandidate = z.output<typeof DuplicateCandidate>;
export type DuplicateCandidateInput = z.input<typeof DuplicateCandidate>;
export type DuplicateList = z.output<typeof DuplicateList>;
export type DuplicateListInput = z.input<typeof DuplicateList>;
export type DuplicatePair = z.output<typeof DuplicatePair>;
export type DuplicatePairInput = z.input<typeof DuplicatePair>;
export type DuplicateReviewQuery = z.output<typeof DuplicateReviewQuery>;
export type DuplicateReviewQueryInput = z.input<typeof DuplicateReviewQuery>;
export type DuplicateReviewPage = z.output<typeof DuplicateReviewPage>;
export type DuplicateReviewPageInput = z.input<typeof DuplicateReviewPage>;
export type OtherPatronBody = z.output<typeof OtherPatronBody>;
export type MergeField = z.output<typeof MergeField>;
export type MergeFieldInput = z.input<typeof MergeField>;
export type MergeFieldView = z.output<typeof MergeFieldView>;
export type MergeFieldViewInput = z.input<typeof MergeFieldView>;
export type MergePreviewQuery = z.output<typeof MergePreviewQuery>;
export type MergePreviewQueryInput = z.input<typeof MergePreviewQuery>;
export type MergePreview = z.output<typeof MergePreview>;
export type MergePreviewInput = z.input<typeof MergePreview>;
export type MergeBody = z.output<typeof MergeBody>;
export type MergeBodyInput = z.input<typeof MergeBody>;
export type MergeResult = z.output<typeof MergeResult>;
export type MergeResultInput = z.input<typeof MergeResult>;
export type MergeParams = z.output<typeof MergeParams>;
export type MergeParamsInput = z.input<typeof MergeParams>;
export type MergeView = z.output<typeof MergeView>;
export type MergeViewInput = z.input<typeof MergeView>;
export type MergeList = z.output<typeof MergeList>;
export type EraseBody = z.output<typeof EraseBody>;
export type PatronExport = z.output<typeof PatronExport>;
export type PatronExportInput = z.input<typeof PatronExport>;
export type EraseBodyInput = z.input<typeof EraseBody>;
export type MergeListInput = z.input<typeof MergeList>;
export type OtherPatronBodyInput = z.input<typeof OtherPatronBody>;
export type ContactParamsInput = z.input<typeof ContactParams>;
export type NeedParams = z.output<typeof NeedParams>;
export type NeedParamsInput = z.input<typeof NeedParams>;
export type ValueParams = z.output<typeof ValueParams>;
export type ValueParamsInput = z.input<typeof ValueParams>;
export type PatronNoteView = z.output<typeof PatronNoteView>;
export type PatronLookupQuery = z.output<typeof PatronLookupQuery>;
export type PatronLookupQueryInput = z.input<typeof PatronLookupQuery>;
export type PatronLookupResult = z.output<typeof PatronLookupResult>;
export type PatronCreateBody = z.output<typeof PatronCreateBody>;
export type PatronCreateBodyInput = z.input<typeof PatronCreateBody>;
export type PatronUpdateBody = z.output<typeof PatronUpdateBody>;
export type PatronUpdateBodyInput = z.input<typeof PatronUpdateBody>;
export type PatronNoteBody = z.output<typeof PatronNoteBody>;
export type PatronNoteBodyInput = z.input<typeof PatronNoteBody>;

export const PatronNoteParams = z.object({ id: Id, noteId: Id });

export const patronsApi = {
  list: endpoint({
    method: 'GET',
    path: '/api/patrons',
    tags: ['patrons'],
    summary: 'The patrons, newest first, filtered and keyset-paged',
    query: PatronListQuery,
    replies: { 200: PatronListPage },
  }),
  exportCsv: endpoint({
    method: 'GET',
    path: '/api/patrons/export.csv',
    tags: ['patrons'],
    summary: 'The filtered patron list as a CSV download (streamed; the relationship value for supervisors and admins)',
    query: PatronListFilters,
    replies: { 200: FileBytes },
  }),
  lookup: endpoint({
    method: 'GET',
    path: '/api/patrons/lookup',
    tags: ['patrons'],
    summary: 'Find patrons by name, email or phone as you type',
    query: PatronLookupQuery,
    replies: { 200: PatronLookupResult },
  }),
  create: endpoint({ method: 'POST', path: '/api/patrons', tags: ['patrons'], body: PatronCreateBody, replies: { 201: PatronDetail } }),
  get: endpoint({ method: 'GET', path: '/api/patrons/:id', tags: ['patrons'], params: PatronParams, replies: { 200: PatronDetail } }),
  update: endpoint({
    method: 'PATCH',
    path: '/api/patrons/:id',
    tags: ['patrons'],
    params: PatronParams,
    body: PatronUpdateBody,
    replies: { 200: PatronDetail },
  }),
  addNote: endpoint({
    method: 'POST',
    path: '/api/patrons/:id/notes',
    tags: ['patrons'],
    summary: 'Add a note; personal notes (work, family) are hidden from volunteers',
    params: PatronParams,
    body: PatronNoteBody,
    replies: { 201: PatronDetail },
  }),
  deleteNote: endpoint({
    method: 'DELETE',
    path: '/api/patrons/:id/notes/:noteId',
    tags: ['patrons'],
    params: PatronNoteParams,
    replies: { 200: PatronDetail },
  }),
  duplicates: endpoint({
    method: 'GET',
    path: '/api/patrons/:id/duplicates',
    tags: ['patrons'],
    summary: 'Patrons likely to be this one, with the score and why',
    params: PatronParams,
    replies: { 200: DuplicateList },
  }),
  reviewDuplicates: endpoint({
    method: 'GET',
    path: '/api/patrons/duplicates',
    tags: ['patrons'],
    summary: 'Every candidate pair of the organization, best first (possible ones only here)',
    query: DuplicateReviewQuery,
    replies: { 200: DuplicateReviewPage },
  }),
  notDuplicate: endpoint({
    method: 'POST',
    path: '/api/patrons/:id/not-duplicate',
    tags: ['patrons'],
    summary: 'Remember that two patrons are not the same person',
    params: PatronParams,
    body: OtherPatronBody,
    replies: { 200: Ok },
  }),
  household: endpoint({
    method: 'POST',
    path: '/api/patrons/:id/household',
    tags: ['patrons'],
    summary: 'Put two patrons in one household (a couple sharing an email): never flagged as duplicates',
    params: PatronParams,
    body: OtherPatronBody,
    replies: { 200: Ok },
  }),
  mergePreview: endpoint({
    method: 'GET',
    path: '/api/patrons/:id/merge',
    tags: ['patrons'],
    summary: 'Side by side: each field equal or in conflict, and what the other patron adds',
    params: PatronParams,
    query: MergePreviewQuery,
    replies: { 200: MergePreview },
  }),
  merge: endpoint({
    method: 'POST',
    path: '/api/patrons/:id/merge',
    tags: ['patrons'],
    summary: 'Merge another patron into this one: nothing is lost, and it can be undone for 30 days',
    params: PatronParams,
    body: MergeBody,
    replies: { 200: MergeResult },
  }),
  merges: endpoint({
    method: 'GET',
    path: '/api/patrons/:id/merges',
    tags: ['patrons'],
    summary: 'Merges into this patron that can still be undone',
    params: PatronParams,
    replies: { 200: MergeList },
  }),
  undoMerge: endpoint({
    method: 'POST',
    path: '/api/patrons/merges/:mergeId/undo',
    tags: ['patrons'],
    summary: 'Undo a merge: both patrons as they were',
    params: MergeParams,
    replies: { 200: PatronDetail },
  }),
  exportOne: endpoint({
    method: 'GET',
    path: '/api/patrons/:id/export',
    tags: ['patrons'],
    summary: 'Everything held on one patron as one JSON download (supervisors and admins)',
    params: PatronParams,
    replies: { 200: PatronExport },
  }),
  erase: endpoint({
    method: 'POST',
    path: '/api/patrons/:id/erase',
    tags: ['patrons'],
    summary: 'Erase (anonymize) a patron on request; statistics stay (supervisors and admins)',
    params: PatronParams,
    body: EraseBody,
    replies: { 200: Ok },
  }),
  addContact: endpoint({
    method: 'POST',
    path: '/api/patrons/:id/contacts',
    tags: ['patrons'],
    summary: 'Add an email or a phone (phones are stored in E.164)',
    params: PatronParams,
    body: ContactPointBody,
    replies: { 201: PatronDetail },
  }),
  updateContact: endpoint({
    method: 'PATCH',
    path: '/api/patrons/:id/contacts/:contactId',
    tags: ['patrons'],
    params: ContactParams,
    body: ContactPointUpdateBody,
    replies: { 200: PatronDetail },
  }),
  deleteContact: endpoint({
    method: 'DELETE',
    path: '/api/patrons/:id/contacts/:contactId',
    tags: ['patrons'],
    params: ContactParams,
    replies: { 200: PatronDetail },
  }),
  addNeed: endpoint({
    method: 'POST',
    path: '/api/patrons/:id/needs',
    tags: ['patrons'],
    summary: 'Record an ongoing need (it starts open)',
    params: PatronParams,
    body: NeedBody,
    replies: { 201: PatronDetail },
  }),
  updateNeed: endpoint({
    method: 'PATCH',
    path: '/api/patrons/:id/needs/:needId',
    tags: ['patrons'],
    summary: 'Rename a need or move its status; every status is kept in its history',
    params: NeedParams,
    body: NeedUpdateBody,
    replies: { 200: PatronDetail },
  }),
  addValue: endpoint({
    method: 'POST',
    path: '/api/patrons/:id/value',
    tags: ['patrons'],
    summary: 'Record a membership, donation or ticket purchase (not for volunteers)',
    params: PatronParams,
    body: ValueRecordBody,
    replies: { 201: PatronDetail },
  }),
  deleteValue: endpoint({
    method: 'DELETE',
    path: '/api/patrons/:id/value/:recordId',
    tags: ['patrons'],
    params: ValueParams,
    replies: { 200: PatronDetail },
  }),
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type PatronListFilters = z.output<typeof PatronListFilters>;
export type PatronListFiltersInput = z.input<typeof PatronListFilters>;
export type PatronListQuery = z.output<typeof PatronListQuery>;
export type PatronListQueryInput = z.input<typeof PatronListQuery>;
export type PatronListItem = z.output<typeof PatronListItem>;
export type PatronListItemInput = z.input<typeof PatronListItem>;
export type PatronListPage = z.output<typeof PatronListPage>;
export type PatronListPageInput = z.input<typeof PatronListPage>;
export type PatronDetailInput = z.input<typeof PatronDetail>;
export type PatronLookupResultInput = z.input<typeof PatronLookupResult>;
export type PatronNoteKindInput = z.input<typeof PatronNoteKind>;
export type PatronNoteParams = z.output<typeof PatronNoteParams>;
export type PatronNoteParamsInput = z.input<typeof PatronNoteParams>;
export type PatronNoteViewInput = z.input<typeof PatronNoteView>;
export type PatronParams = z.output<typeof PatronParams>;
export type PatronParamsInput = z.input<typeof PatronParams>;
export type PatronSummaryInput = z.input<typeof PatronSummary>;
