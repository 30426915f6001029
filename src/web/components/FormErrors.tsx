// The one way a form shows what is wrong. A form checks its input with the contract's zod
// schema before sending (every issue at once), or, on the public pages, which load no zod, with
// the contract's zod-free field rules that find the same issues; a failed request lands on the field the
// server names; each field carries its message (Mantine sets aria-invalid and
// aria-describedby from it), and a summary above the form lists them all, links to each
// field and takes focus on every failed attempt, so the failure is announced.
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { Anchor, Text } from '@mantine/core';
import type { z } from 'zod';
import { issuesOf, type FieldRules, type FormInput } from '../../contracts/form-rules.js';
import { ApiError } from '../api/client.js';
import { fromIssues, labelledField, noErrors, wordFor, type FieldErrors, type IssueLike } from '../lib/field-errors.js';
import { errorText } from './ErrorAlert.js';

type Join<K, P> = K extends string ? (P extends string ? `${K}.${P}` : never) : never;
type Shallower = [never, 0, 1, 2];
/** Every field path of a form's input, three levels deep at most: `name`, `patron.email`. */
export type FieldPath<T, Depth extends number = 3> = [Depth] extends [never]
  ? never
  : T extends readonly unknown[]
    ? never
    : T extends object
      ? { [K in keyof T & string]-?: K | Join<K, FieldPath<NonNullable<T[K]>, Shallower[Depth]>> }[keyof T & string]
      : never;

/** What a form checks its input with: a zod schema, or zod-free field rules (form-rules.ts). */
export type FormCheck = z.ZodType | FieldRules;
/** What the form sends. */
export type InputOf<S extends FormCheck> = S extends z.ZodType ? z.input<S> : S extends FieldRules ? FormInput<S> : never;

const isSchema = (check: FormCheck): check is z.ZodType => typeof (check as Partial<z.ZodType>).safeParse === 'function';

/** The label of each field the form shows, in the order it shows them. */
export type FieldLabels<S extends FormCheck> = Partial<Record<FieldPath<InputOf<S>>, string>>;

export interface FormErrorsState<S extends FormCheck> {
  /**
   * Checks the input with the schema the server uses, plus `also` (issues of rules the schema
   * cannot say). Valid: clears the errors and returns the input, ready to send. Not valid: shows
   * every issue and returns null.
   */
  check(input: InputOf<S>, also?: readonly IssueLike[]): InputOf<S> | null;
  /** Shows a failed request: on its field when the server names one the form shows. */
  fail(error: unknown, message?: string): void;
  clear(): void;
  /** Props for a field's input: its id (the summary links to it) and its message. */
  field(name: FieldPath<InputOf<S>>): { id: string; error: string | undefined };
  readonly errors: FieldErrors;
  readonly hasErrors: boolean;
  /** @internal for <FormErrors>: the fields in order, with label and input id. */
  readonly listed: ReadonlyArray<{ id: string; label: string; message: string }>;
  /** @internal for <FormErrors>: the summary's id; it takes focus on each failed attempt. */
  readonly summaryId: string;
}

export function useFormErrors<S extends FormCheck>(schema: S, labels: FieldLabels<S>): FormErrorsState<S> {
  const base = useId();
  const [state, setState] = useState({ errors: noErrors, attempt: 0 });
  const known = labels as Readonly<Record<string, string>>;
  const summaryId = `${base}-summary`;

  useEffect(() => {
    if (state.attempt > 0) document.getElementById(summaryId)?.focus();
  }, [state.attempt, summaryId]);

  const idOf = useCallback((field: string) => `${base}-${field.replaceAll('.', '-')}`, [base]);
  const show = useCallback((errors: FieldErrors) => setState((s) => ({ errors, attempt: s.attempt + 1 })), []);
  const clear = useCallback(() => setState((s) => ({ errors: noErrors, attempt: s.attempt })), []);

  const check = useCallback(
    (input: InputOf<S>, also: readonly IssueLike[] = []) => {
      const issues: readonly IssueLike[] = isSchema(schema)
        ? (schema.safeParse(input).error?.issues ?? [])
        : issuesOf(schema, input as FormInput<FieldRules>);
      if (issues.length === 0 && also.length === 0) {
        clear();
        return input;
      }
      // A rule the schema cannot say alone (a patron unless internal) joins the schema's issues,
      // so every problem shows at once.
      show(fromIssues([...issues, ...also], known));
      return null;
    },
    [schema, known, show, clear],
  );

  const fail = useCallback(
    (error: unknown, message?: string) => {
      const shown = error instanceof ApiError && error.field ? labelledField(error.field, known) : undefined;
      if (error instanceof ApiError && shown !== undefined) {
        show({ fields: { [shown]: wordFor(error.field, error.message, known[shown]!) }, form: [] });
      } else {
        show({ fields: {}, form: [message ?? errorText(error)] });
      }
    },
    [known, show],
  );

  const { errors } = state;
  const listed = useMemo(
    () =>
      Object.entries(known)
        .filter(([f]) => errors.fields[f] !== undefined)
        .map(([f, label]) => ({ id: idOf(f), label, message: errors.fields[f]! })),
    [known, errors, idOf],
  );

  return {
    check,
    fail,
    clear,
    field: (name) => ({ id: idOf(name), error: errors.fields[name] }),
    errors,
    hasErrors: listed.length > 0 || errors.form.length > 0,
    listed,
    summaryId,
  };
}

interface Props {
  form: FormErrorsState<FormCheck>;
  /** The title when the failure belongs to no field ("Could not sign in"). */
  title?: string;
}

/** The summary of a form's errors, placed above its fields. */
export function FormErrors({ form, title = 'That did not work' }: Props) {
  const titleId = useId();
  if (!form.hasErrors) return null;
  const { listed } = form;
  return (
    <div id={form.summaryId} role="alert" tabIndex={-1} aria-labelledby={titleId} className="error-summary">
      <Text fw={700} id={titleId}>
        {listed.length ? 'Please fix the following' : title}
      </Text>
      <ul>
        {listed.map((f) => (
          <li key={f.id}>
            <Anchor
              href={`#${f.id}`}
              c="red.9"
              underline="always"
              onClick={(e) => {
                e.preventDefault();
                document.getElementById(f.id)?.focus();
              }}
            >
              {f.message.startsWith(f.label) ? f.message : `${f.label}: ${f.message}`}
            </Anchor>
          </li>
        ))}
        {form.errors.form.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}
