// Shapes shared by every domain: the error body, roles, ids, cursors.
import { z } from 'zod';
import {
  EMAIL_MAX,
  EMAIL_PATTERN,
  MAX_ID,
  MUST_NOT_BE_EMPTY,
  NOT_AN_EMAIL,
  NOT_A_KNOWN_ID,
  type FieldRule,
  type FieldRules,
} from './form-rules.js';

export { MAX_ID };

export const ROLES = ['admin', 'supervisor', 'associate', 'volunteer'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * Every error code the API answers with. The server maps each to one HTTP status at its edge
 * (`platform/http/errors.ts`); clients branch on the code, never on the message.
 */
export const ERROR_CODES = [
  'invalid',
  'unauthorized',
  'bad_credentials',
  'forbidden',
  'csrf',
  'not_found',
  'conflict',
  'too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'unavailable',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      field: z.string().optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Every route declares the error replies it can give: these, on every route… */
export const errorReplies = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
  500: ErrorBody,
} as const;
/** …and these too where a request has a body. */
export const bodyErrorReplies = { 413: ErrorBody, 415: ErrorBody } as const;

/**
 * A whole number in a URL (path or query) or a JSON body: digits only, as a string or a JSON
 * number. `Number()` would take "+1", "1e3", "0x10", " 1" and `true`; none of them is a number
 * a person wrote for this field. A codec, so that replies holding one (a saved view's filters)
 * encode back.
 */
const wholeNumber = (pattern: RegExp, out: z.ZodNumber) =>
  z.codec(z.union([z.number(), z.string().regex(pattern)], { error: 'must be a whole number written in digits' }), out, {
    decode: (v) => Number(v),
    encode: (n) => n,
  });
const whole = () => z.number().int('must be a whole number written in digits');

/** An id in a path or query string: `^[1-9][0-9]{0,9}$`, at most 2^31−1. */
export const Id = wholeNumber(/^[1-9][0-9]{0,9}$/, whole().positive().max(MAX_ID, 'is not a known id'));
/** A count or a position in a query string (`limit`, `offset`), in digits, within bounds. */
export const Count = (min: number, max: number, fallback: number) =>
  wholeNumber(/^(0|[1-9][0-9]{0,9})$/, whole().min(min).max(max)).default(fallback);
/** A calendar day in a query string (a filter's "from" or "to"), read in the organization's time zone. */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-23')
  .refine((d) => {
    const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, dd));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === dd;
  }, 'is not a calendar date');
/** An id in a JSON body. */
export const RefId = z.number().int().positive().max(MAX_ID, NOT_A_KNOWN_ID);

export const Ok = z.object({ ok: z.literal(true) });

/**
 * A change (a PATCH body) must change something: `{}`, or only keys we do not know (zod drops
 * them), is a 400 that lists what may be sent, never an empty UPDATE.
 */
export const someChange = <T extends z.ZodObject>(schema: T) =>
  schema.refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: `Nothing to change; send at least one of ${Object.keys(schema.shape).join(', ')}.`,
  });

/** Trimmed, non-empty text with an upper bound. */
export const text = (max: number) => z.string().trim().min(1, MUST_NOT_BE_EMPTY).max(max);

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
  .max(EMAIL_MAX)
  .pipe(z.email({ pattern: EMAIL_PATTERN, error: NOT_AN_EMAIL }))
  .transform((v) => v.toLowerCase());

/** Any text as sent, optional: a form's honeypot, hidden from people and filled by bots. */
const honeypot = (max: number) => z.string().max(max).optional();

type SchemaFor<R extends FieldRule> = R['kind'] extends 'text'
  ? ReturnType<typeof text>
  : R['kind'] extends 'optionalText'
    ? ReturnType<typeof optionalText>
    : R['kind'] extends 'email'
      ? typeof Email
      : R['kind'] extends 'refId'
        ? typeof RefId
        : ReturnType<typeof honeypot>;

function schemaFor(rule: FieldRule): z.ZodType {
  switch (rule.kind) {
    case 'text':
      return text(rule.max);
    case 'optionalText':
      return optionalText(rule.max);
    case 'email':
      return Email;
    case 'refId':
      return RefId;
    case 'honeypot':
      return honeypot(rule.max);
  }
}

/**
 * A public form's body, built from its zod-free rules (form-rules.ts), which the public pages
 * check with before sending: one statement of each field, read by both.
 */
export function formSchema<const F extends FieldRules>(rules: F): z.ZodObject<{ -readonly [K in keyof F]: SchemaFor<F[K]> }> {
  const shape = Object.fromEntries(Object.entries(rules).map(([field, rule]) => [field, schemaFor(rule)]));
  // The shape's type follows from each rule's kind (SchemaFor), which the switch above keeps.
  return z.object(shape) as unknown as z.ZodObject<{ -readonly [K in keyof F]: SchemaFor<F[K]> }>;
}

/** An optional email where "" means "not given" (form fields). */
export const OptionalEmail = z.preprocess((v) => (v === '' ? undefined : v), Email.optional());

export const Password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

/** Keyset cursor: opaque to clients. */
export const Cursor = z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'is not a valid cursor');

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

/** An IANA time zone name. */
export const TimeZone = z.string().max(64).refine(isTimeZone, 'is not a known time zone');
/** A BCP 47 locale tag. */
export const Locale = z.string().max(35).refine(isLocale, 'is not a valid locale tag');

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type Cursor = z.output<typeof Cursor>;
export type Day = z.output<typeof Day>;
export type DayInput = z.input<typeof Day>;
export type CursorInput = z.input<typeof Cursor>;
export type Email = z.output<typeof Email>;
export type EmailInput = z.input<typeof Email>;
export type ErrorBodyInput = z.input<typeof ErrorBody>;
export type ErrorCodeInput = z.input<typeof ErrorCode>;
export type Id = z.output<typeof Id>;
export type IdInput = z.input<typeof Id>;
export type Locale = z.output<typeof Locale>;
export type LocaleInput = z.input<typeof Locale>;
export type Ok = z.output<typeof Ok>;
export type OkInput = z.input<typeof Ok>;
export type OptionalEmail = z.output<typeof OptionalEmail>;
export type OptionalEmailInput = z.input<typeof OptionalEmail>;
export type Password = z.output<typeof Password>;
export type PasswordInput = z.input<typeof Password>;
export type RefId = z.output<typeof RefId>;
export type RefIdInput = z.input<typeof RefId>;
export type RoleInput = z.input<typeof Role>;
export type TimeZone = z.output<typeof TimeZone>;
export type TimeZoneInput = z.input<typeof TimeZone>;
