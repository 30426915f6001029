import { z } from 'zod';
import { CaseSummary } from './cases.js';
import { Email, Id, OptionalEmail, optionalText, text } from './common.js';

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
  cases: z.array(CaseSummary),
}).meta({ id: 'PatronDetail' });
export type PatronDetail = z.infer<typeof PatronDetail>;

export const PatronLookupQuery = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(120),
  limit: z.coerce.number().int().min(1).max(25).default(8),
});
export const PatronLookupResult = z.object({ items: z.array(PatronSummary) });

export const PatronCreateBody = z.object({
  name: text(120),
  preferredName: optionalText(120),
  email: OptionalEmail,
  phone: optionalText(40),
  language: optionalText(35),
});
export const PatronUpdateBody = z.object({
  name: text(120).optional(),
  preferredName: z.string().trim().max(120).nullable().optional(),
  email: Email.nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  language: z.string().trim().max(35).nullable().optional(),
});

export const PatronNoteBody = z.object({ kind: PatronNoteKind, body: text(5000) });
export const PatronParams = z.object({ id: Id });
