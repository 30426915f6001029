// Shapes shared by every domain: the error body, roles, ids, cursors.
import { z } from 'zod';

export const ROLES = ['admin', 'supervisor', 'associate', 'volunteer'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Every route declares the error replies it can give; these are the usual ones. */
export const errorReplies = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
} as const;

/** Keys are 32-bit integers in both databases: a larger id cannot exist. */
export const MAX_ID = 2_147_483_647;
/** An id in a path or query string. */
export const Id = z.coerce.number().int().positive().max(MAX_ID, 'is not a known id');
/** An id in a JSON body. */
export const RefId = z.number().int().positive().max(MAX_ID, 'is not a known id');

export const Ok = z.object({ ok: z.literal(true) });

/** Trimmed, non-empty text with an upper bound. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** An optional text field where "" means "not given". */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v ? v : undefined))
    .optional();

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('must be a valid email address'))
  .transform((v) => v.toLowerCase());

/** An optional email where "" means "not given" (form fields). */
export const OptionalEmail = z.preprocess((v) => (v === '' ? undefined : v), Email.optional());

export const Password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

/** Keyset cursor: opaque to clients. */
export const Cursor = z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'is not a valid cursor');
