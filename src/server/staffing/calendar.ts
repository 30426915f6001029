// The organization's calendar: local days and hours in its time zone, business hours and
// holidays, and working-time arithmetic ("within 4 working hours"). Pure; days are counted
// from 1970-01-01 in the local calendar, weekday 0 is Monday.

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  /** Local days since 1970-01-01. */
  day: number;
  hour: number;
  minute: number;
}

/** The local day, hour and minute of an instant. */
export function localTime(timeZone: string, at: number): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) parts[p.type] = p.value;
  const day = Math.floor(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS);
  return { day, hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
}

/** Weekday of a local day, 0 = Monday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7;
export const mondayOf = (day: number) => day - weekdayOf(day);
export const dayToIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const isoToDay = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/**
 * The instant of a local wall-clock time. For a time skipped by a clock change, the instant an
 * hour later; for a repeated one, the first. Two passes of the offset suffice.
 */
export function instantOf(timeZone: string, day: number, minuteOfDay: number): number {
  const wall = day * DAY_MS + minuteOfDay * 60_000;
  const offsetAt = (at: number) => {
    const t = localTime(timeZone, at);
    return t.day * DAY_MS + (t.hour * 60 + t.minute) * 60_000 - Math.floor(at / 60_000) * 60_000;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return guess;
}

export interface OpeningHours {
  weekday: number;
  /** Minutes of the local day. */
  opens: number;
  closes: number;
}

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const hhmmOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * When `seconds` of working time have passed since `start`: the clock runs only within
 * opening hours and not on holidays. With no opening hours at all, every hour counts (a team
 * that never set them is open around the clock). Looks at most a year ahead; beyond that, null.
 */
export function addWorkingTime(
  timeZone: string,
  start: number,
  seconds: number,
  hours: OpeningHours[],
  holidays: ReadonlySet<number>,
): number | null {
  if (hours.length === 0) return start + seconds * 1000;
  let left = seconds * 1000;
  const first = localTime(timeZone, start).day;
  for (let day = first; day <= first + 366; day++) {
    if (holidays.has(day)) continue;
    const wd = weekdayOf(day);
    const today = hours.filter((h) => h.weekday === wd).sort((a, b) => a.opens - b.opens);
    for (const h of today) {
      const opens = Math.max(instantOf(timeZone, day, h.opens), start);
      const closes = instantOf(timeZone, day, h.closes);
      if (closes <= opens) continue;
      if (closes - opens >= left) return opens + left;
      left -= closes - opens;
    }
  }
  return null;
}
