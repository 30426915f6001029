// Dates and numbers in the organization's locale and time zone, never the browser's.
import { useSyncExternalStore } from 'react';
import { formatDistanceStrict } from 'date-fns';

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

/** "3 hours ago": relative words are zone-free, the absolute time goes in the tooltip. */
export function ago(ms: number, now: number): string {
  if (now - ms < 45_000) return 'just now';
  return `${formatDistanceStrict(ms, now)} ago`;
}

/** A duration in words, for first response and resolution times. */
export function duration(ms: number): string {
  if (ms < 60_000) return 'under a minute';
  return formatDistanceStrict(0, ms);
}

// One shared clock, ticking every 30 s, so relative times stay fresh without each component
// calling Date.now() while rendering.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    listeners.forEach((l) => l());
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
