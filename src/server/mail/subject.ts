// Subject lines: the case reference in brackets ("[SW-1042]") that threads a reply when its
// headers were lost, and the "Re:" prefixes that mail programs pile up.

// Same shape as a case reference (cases/views.ts parseRef): 1–10 letters, a dash, 1–9 digits.
const BRACKETED_REFERENCE = /\[\s*([A-Za-z]{1,10}-\d{1,9})\s*\]/g;
// Reply and forward prefixes in the languages our patrons write in, with counters ("Re[2]:").
const PREFIX =
  /^\s*(?:re|aw|sv|vs|antw|antwort|ref|rif|r|res|tr|wg|fw|fwd|enc|rv)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/i;

/** The case references in a subject, upper-cased, in order of appearance, without repeats. */
export function findCaseReferences(subject: string): string[] {
  const found = new Set<string>();
  for (const m of subject.matchAll(BRACKETED_REFERENCE)) found.add(m[1]!.toUpperCase());
  return [...found];
}

/**
 * The subject without reply/forward prefixes and bracketed references (only those with
 * `prefix`, e.g. "SW", when given: "[AB-123]" from a shop's order stays): what the thread is about.
 */
export function baseSubject(subject: string, prefix?: string): string {
  let s = subject.replace(BRACKETED_REFERENCE, (whole, ref: string) =>
    prefix && !ref.toUpperCase().startsWith(`${prefix.toUpperCase()}-`) ? whole : ' ',
  );
  let previous: string;
  do {
    previous = s;
    s = s.replace(PREFIX, '');
  } while (s !== previous);
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * "Re: <what it is about> [SW-1042]": one "Re:", one reference, however many rounds the thread
 * has had and whatever prefixes the patron's mail program added.
 */
export function replySubject(
  subject: string,
  reference: string,
  options: { reply?: boolean } = {},
): string {
  const base = baseSubject(subject, reference.split('-')[0]);
  const prefix = options.reply === false ? '' : 'Re: ';
  return `${prefix}${base ? `${base} ` : ''}[${reference.toUpperCase()}]`;
}
