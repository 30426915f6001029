// Field errors in the server's words. The server turns a zod issue into "<field> <message>"
// (server/platform/http/errors.ts); the web app turns the same issue, found before sending or
// named in the server's answer, into "<Label> <message>", so a person reads one wording.

/** A zod issue, as much of it as the wording needs. */
export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/** What the server keeps of a zod issue's message (it drops zod's "Invalid input: " opener). */
export const detailOf = (message: string): string => message.replace(/^Invalid input: /, '');

/** The field path as the server names it: `patron.email`, `tags.0`. */
export const pathOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/**
 * "<field> <detail>" worded for its label: "email must be a valid email address" becomes
 * "Email must be a valid email address"; a full sentence ("Too big: …") is kept as is.
 */
export function wordFor(field: string | undefined, message: string, label: string): string {
  let m = message;
  if (field && m.startsWith(`${field} `)) m = m.slice(field.length + 1);
  if (!/^[a-z]/.test(m)) return m;
  // "is not your current password" on "Current password" reads better as "That is not…".
  return m.startsWith('is ') && m.toLowerCase().endsWith(label.toLowerCase()) ? `That ${m}` : `${label} ${m}`;
}

export interface FieldErrors {
  /** One message per field path, the first issue found for it. */
  fields: Record<string, string>;
  /** Messages that belong to no labelled field. */
  form: string[];
}

export const noErrors: FieldErrors = { fields: {}, form: [] };

/**
 * The labelled field a path belongs to: itself, or its nearest labelled parent (an issue on
 * `tags.2` shows on the tags field).
 */
export function labelledField(path: string, labels: Readonly<Record<string, string>>): string | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    if (labels[p] !== undefined) return p;
  }
  return undefined;
}

/** Every issue of a failed parse: each on its field when the form labels it, else for the form. */
export function fromIssues(issues: readonly IssueLike[], labels: Readonly<Record<string, string>>): FieldErrors {
  const out: FieldErrors = { fields: {}, form: [] };
  for (const issue of issues) {
    const field = pathOf(issue.path);
    const detail = detailOf(issue.message);
    const shown = labelledField(field, labels);
    if (shown !== undefined) {
      out.fields[shown] ??= wordFor(field, `${field} ${detail}`, labels[shown]!);
    } else {
      const message = field ? `${field} ${detail}` : detail;
      if (!out.form.includes(message)) out.form.push(message);
    }
  }
  return out;
}
