// Dates and numbers in the organization's locale and time zone, never the browser's: with Intl
// alone, so that a patron's status page loads no date library (format.ts re-exports these).
export interface Place {
  locale: string;
  timeZone: string;
}

export interface Formatters {
  /** "Nov 23, 2026, 2:05 PM" */
  dateTime: (ms: number) => string;
  /** "Nov 23, 2026" */
  date: (ms: number) => string;
  /** "2:05 PM" today, the date and time otherwise. */
  short: (ms: number, now: number) => string;
  number: (n: number) => string;
}

const cache = new Map<string, Formatters>();

export function formatters(place: Place): Formatters {
  const key = `${place.locale}|${place.timeZone}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { locale, timeZone } = place;
  const dt = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const d = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium' });
  const t = new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' });
  const n = new Intl.NumberFormat(locale);
  const f: Formatters = {
    dateTime: (ms) => dt.format(ms),
    date: (ms) => d.format(ms),
    short: (ms, now) => (d.format(ms) === d.format(now) ? t.format(ms) : dt.format(ms)),
    number: (x) => n.format(x),
  };
  cache.set(key, f);
  return f;
}
