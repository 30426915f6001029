// Times a promise is made for, in the organization's time zone, shared by the composer (its
// natural choices) and the server (the day "my promises today" covers). Pure functions of an
// instant and a zone, so that tests can check them at any moment.

/** One formatter per zone: making one costs far more than using it. */
const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock parts of an instant in a time zone. */
function wall(t: number, timeZone: string) {
  const parts = formatFor(timeZone).formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    y: Number(get('year')),
    m: Number(get('month')),
    d: Number(get('day')),
    h: Number(get('hour')),
    min: Number(get('minute')),
    s: Number(get('second')),
    weekday: get('weekday'),
  };
}

/** The instant a wall-clock time in a zone happens (the later reading across a DST change). */
export function zonedTime(y: number, m: number, d: number, h: number, min: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d, h, min);
  let t = guess;
  // Two rounds settle the offset on either side of a change.
  for (let i = 0; i < 2; i++) {
    const w = wall(t, timeZone);
    const seen = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
    t += guess - seen;
  }
  return t;
}

/** The calendar date an instant falls on in the zone (month 1–12). */
export function zonedDate(t: number, timeZone: string): { y: number; m: number; d: number } {
  const w = wall(t, timeZone);
  return { y: w.y, m: w.m, d: w.d };
}

/** Midnight of the day `t` falls on, in the zone, and the next midnight. */
export function dayBounds(t: number, timeZone: string): { start: number; end: number } {
  const w = wall(t, timeZone);
  const start = zonedTime(w.y, w.m, w.d, 0, 0, timeZone);
  const next = new Date(Date.UTC(w.y, w.m - 1, w.d + 1));
  const end = zonedTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone);
  return { start, end };
}

const WEEKEND = new Set(['Sat', 'Sun']);

export interface SuggestedTimes {
  /** Two hours from now, but not past 5 pm; null when the working day is nearly over. */
  laterToday: number | null;
  /** 10 am on the next day. */
  tomorrowMorning: number;
  /** 5 pm on the second working day from today (Saturday and Sunday skipped). */
  inTwoWorkingDays: number;
}

/** The composer's natural choices, from now, in the organization's zone. */
export function suggestedTimes(now: number, timeZone: string): SuggestedTimes {
  const w = wall(now, timeZone);
  const dayAt = (offsetDays: number, h: number) => {
    const d = new Date(Date.UTC(w.y, w.m - 1, w.d + offsetDays));
    return zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h, 0, timeZone);
  };
  const fivePm = dayAt(0, 17);
  const inTwoHours = Math.ceil((now + 2 * 3600_000) / 900_000) * 900_000; // on a quarter hour
  const laterToday = inTwoHours <= fivePm ? inTwoHours : fivePm - now >= 30 * 60_000 ? fivePm : null;
  let working = 0;
  let offset = 0;
  while (working < 2) {
    offset++;
    const weekday = wall(dayAt(offset, 12), timeZone).weekday;
    if (!WEEKEND.has(weekday)) working++;
  }
  return { laterToday, tomorrowMorning: dayAt(1, 10), inTwoWorkingDays: dayAt(offset, 17) };
}
