// The dashboard's period: a preset (the last 7, 30 or 90 days, this year) or a custom range of
// whole days, as the half-open [from, to) in epoch ms the kept-rate API counts over. Days are
// the organization's (its time zone), not the browser's; pure functions, so tests pick the day.
import { zonedDate, zonedTime } from '../../../contracts/promise-times.js';

export const PRESETS = ['7d', '30d', '90d', 'year'] as const;
export type Preset = (typeof PRESETS)[number];
export type PeriodChoice = Preset | 'custom';

export const PERIOD_LABELS: Record<PeriodChoice, string> = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  year: 'This year',
  custom: 'Custom dates',
};

const DAYS: Record<Exclude<Preset, 'year'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

export interface Period {
  from: number;
  to: number;
}

/** Midnight starting a calendar day in the zone (days past the month's end roll over). */
const midnight = (y: number, m: number, d: number, timeZone: string) => zonedTime(y, m, d, 0, 0, timeZone);

/** A preset, up to the end of today: "last 7 days" is today and the six days before it. */
export function presetPeriod(preset: Preset, now: number, timeZone: string): Period {
  const { y, m, d } = zonedDate(now, timeZone);
  const to = midnight(y, m, d + 1, timeZone);
  const from = preset === 'year' ? midnight(y, 1, 1, timeZone) : midnight(y, m, d - (DAYS[preset] - 1), timeZone);
  return { from, to };
}

/** A date as the date input gives it (YYYY-MM-DD), in the zone. */
export function isoDate(t: number, timeZone: string): string {
  const { y, m, d } = zonedDate(t, timeZone);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The last day a period covers (its `to` is the midnight after it). */
export const lastDayOf = (p: Period, timeZone: string): string => isoDate(p.to - 1, timeZone);

export type CustomField = 'from' | 'to';
export type CustomResult = { ok: true; period: Period } | { ok: false; errors: Partial<Record<CustomField, string>> };

function parseDay(value: string): { y: number; m: number; d: number } | 'missing' | 'invalid' | 'early' {
  if (!value.trim()) return 'missing';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return 'invalid';
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return 'invalid';
  // Epoch ms cannot go before 1970 (the API refuses it); no promise is that old anyway.
  if (y < 1970) return 'early';
  return { y, m, d };
}

const WORDS = { missing: 'enter a date', invalid: 'enter a real date (year-month-day)', early: 'must be in 1970 or later' } as const;

/**
 * A custom range of whole days, both ends included, or what is wrong with it, field by field
 * (each message names its field, so it reads alone).
 */
export function customPeriod(fromValue: string, toValue: string, timeZone: string): CustomResult {
  const from = parseDay(fromValue);
  const to = parseDay(toValue);
  const errors: Partial<Record<CustomField, string>> = {};
  if (typeof from === 'string') errors.from = `From: ${WORDS[from]}`;
  if (typeof to === 'string') errors.to = `To: ${WORDS[to]}`;
  if (typeof from === 'string' || typeof to === 'string') return { ok: false, errors };
  const period = { from: midnight(from.y, from.m, from.d, timeZone), to: midnight(to.y, to.m, to.d + 1, timeZone) };
  if (period.to <= period.from) return { ok: false, errors: { to: 'To must be on or after the From date' } };
  return { ok: true, period };
}
