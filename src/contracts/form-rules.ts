// The rules of the public forms (the web form, a patron's reply, a callback booking) with no
// zod: the server's schemas are built from them (`formSchema` in common.ts), and the public
// pages check a form with `issuesOf` before sending, finding the same issues in the same words
// (contracts.test.ts holds the two to each other) without loading zod.

export const MUST_NOT_BE_EMPTY = 'must not be empty';
export const NOT_AN_EMAIL = 'must be a valid email address';
export const NOT_A_KNOWN_ID = 'is not a known id';
export const EMAIL_MAX = 254;
/** Keys are 32-bit integers in both databases: a larger id cannot exist. */
export const MAX_ID = 2_147_483_647;
/** zod's own email pattern (`z.regexes.email`), which the server's `z.email()` checks with. */
// eslint-disable-next-line no-useless-escape -- zod's pattern verbatim, so a test can compare the two
export const EMAIL_PATTERN = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

export type FieldRule =
  /** Trimmed, non-empty text with an upper bound. */
  | { readonly kind: 'text'; readonly max: number }
  /** Trimmed text where "" means "not given". */
  | { readonly kind: 'optionalText'; readonly max: number }
  /** Trimmed, lowercased email address. */
  | { readonly kind: 'email' }
  /** An id in a JSON body. */
  | { readonly kind: 'refId' }
  /** Hidden from people, filled by bots: any text, as sent. */
  | { readonly kind: 'honeypot'; readonly max: number };
export type FieldRules = Readonly<Record<string, FieldRule>>;

const text = (max: number) => ({ kind: 'text', max }) as const;
const optionalText = (max: number) => ({ kind: 'optionalText', max }) as const;
const email = { kind: 'email' } as const;
const refId = { kind: 'refId' } as const;
const honeypot = { kind: 'honeypot', max: 500 } as const;

/** The public web form (helpcenter.ts `WebFormBody`). */
export const WEB_FORM = {
  name: text(120),
  email,
  phone: optionalText(40),
  subject: text(200),
  message: text(10000),
  website: honeypot,
} as const;

/** A patron's reply on their status page (helpcenter.ts `StatusReplyBody`). */
export const STATUS_REPLY = { message: text(10000) } as const;

/** A patron books a callback (staffing.ts `PublicBookingBody`). */
export const BOOKING_FORM = {
  slotId: refId,
  name: text(120),
  email,
  phone: optionalText(40),
  message: text(2000),
  website: honeypot,
} as const;

type OptionalKeys<F extends FieldRules> = {
  [K in keyof F]: F[K]['kind'] extends 'optionalText' | 'honeypot' ? K : never;
}[keyof F];
type ValueOf<R extends FieldRule> = R['kind'] extends 'refId' ? number : string;
/** What a form sends: the same as the input type of the schema built from its rules. */
export type FormInput<F extends FieldRules> = { [K in Exclude<keyof F, OptionalKeys<F>>]: ValueOf<F[K]> } & {
  [K in OptionalKeys<F>]?: string | undefined;
};

/** A problem with one field, worded as zod words it (the server's schema is zod). */
export interface FieldIssue {
  path: string[];
  message: string;
}

const received = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : typeof v;
const tooBig = (max: number) => `Too big: expected string to have <=${max} characters`;

function problemOf(rule: FieldRule, value: unknown): string | undefined {
  if (rule.kind === 'refId') {
    if (typeof value !== 'number' || Number.isNaN(value)) return `Invalid input: expected number, received ${received(value)}`;
    if (!Number.isInteger(value)) return 'Invalid input: expected int, received number';
    if (value <= 0) return 'Too small: expected number to be >0';
    return value > MAX_ID ? NOT_A_KNOWN_ID : undefined;
  }
  if (value === undefined && (rule.kind === 'optionalText' || rule.kind === 'honeypot')) return undefined;
  if (typeof value !== 'string') return `Invalid input: expected string, received ${received(value)}`;
  if (rule.kind === 'honeypot') return value.length > rule.max ? tooBig(rule.max) : undefined;
  const v = value.trim();
  if (rule.kind === 'email') {
    if (v.length > EMAIL_MAX) return tooBig(EMAIL_MAX);
    return EMAIL_PATTERN.test(v) ? undefined : NOT_AN_EMAIL;
  }
  if (rule.kind === 'text' && v.length === 0) return MUST_NOT_BE_EMPTY;
  return v.length > rule.max ? tooBig(rule.max) : undefined;
}

/** Every problem of a form's input, one per field at most, in the order of its rules. */
export function issuesOf<F extends FieldRules>(rules: F, input: FormInput<F>): FieldIssue[] {
  const values = input as Readonly<Record<string, unknown>>;
  return Object.entries(rules).flatMap(([field, rule]) => {
    const message = problemOf(rule, values[field]);
    return message === undefined ? [] : [{ path: [field], message }];
  });
}
