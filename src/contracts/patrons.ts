// Patrons: lookup as you type, the profile, its edits and notes.
import { z } from 'zod';
import { Count, Email, Id, OptionalEmail, optionalText, someChange, text } from './common.js';
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

export const PatronDetail = PatronSummary.extend({
  language: z.string().nullable(),
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

export const PatronCreateBody = z.object({
  name: text(120),
  preferredName: optionalText(120),
  email: OptionalEmail,
  phone: optionalText(40),
  language: optionalText(35),
});
export const PatronUpdateBody = someChange(
  z.object({
    name: text(120).optional(),
    preferredName: z.string().trim().max(120).nullable().optional(),
    email: Email.nullable().optional(),
    phone: z.string().trim().max(40).nullable().optional(),
    language: z.string().trim().max(35).nullable().optional(),
  }),
);

export const PatronNoteBody = z.object({ kind: PatronNoteKind, body: text(5000) });
export const PatronParams = z.object({ id: Id });

export type PatronNoteKind = z.output<typeof PatronNoteKind>;
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
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type PatronDetailInput = z.input<typeof PatronDetail>;
export type PatronLookupResultInput = z.input<typeof PatronLookupResult>;
export type PatronNoteKindInput = z.input<typeof PatronNoteKind>;
export type PatronNoteParams = z.output<typeof PatronNoteParams>;
export type PatronNoteParamsInput = z.input<typeof PatronNoteParams>;
export type PatronNoteViewInput = z.input<typeof PatronNoteView>;
export type PatronParams = z.output<typeof PatronParams>;
export type PatronParamsInput = z.input<typeof PatronParams>;
export type PatronSummaryInput = z.input<typeof PatronSummary>;
