// The arrivals forecast for one week, per weekday and hour, from hourly counts of past weeks:
// a seasonal average that weights recent weeks more, with hand overrides for special days.
// Pure: the counts come in already aggregated per hour (no SQL here).
import { StaffingInputError } from './erlang.js';

/** Arrivals counted in one hour of one past week (hours with no arrivals may be left out). */
export interface HourlyCount {
  /** First day of that week, `YYYY-MM-DD`, in the organization's calendar. */
  weekStart: string;
  /** Days after `weekStart`: 0…6. */
  weekday: number;
  /** Local hour, 0…23. */
  hour: number;
  count: number;
}

/** A past day not to learn from (last year's gala, a phone outage), with why. */
export interface ExcludedDay {
  weekStart: string;
  weekday: number;
  note?: string;
}

/**
 * A hand correction to the forecast week: on `weekday`, hours `fromHour` (inclusive) to
 * `toHour` (exclusive; default the whole day), either set the expected arrivals per hour or
 * multiply what history says by `factor`. Later overrides win where they overlap.
 */
export interface Override {
  weekday: number;
  fromHour?: number;
  toHour?: number;
  arrivals?: number;
  factor?: number;
  note: string;
}

export interface ForecastInput {
  /** The week to forecast, `YYYY-MM-DD`; every count's week must start on the same weekday. */
  weekStart: string;
  counts: HourlyCount[];
  /**
   * The first week with records. Weeks before it are unknown, not quiet, and are left out;
   * default: the earliest week among the counts. Weeks from it on with no rows count as zero.
   */
  historyStart?: string;
  /** How many past weeks to use (default 12). */
  weeks?: number;
  /** Weight halves every this many weeks back (default 4). */
  halfLifeWeeks?: number;
  excludeDays?: ExcludedDay[];
  overrides?: Override[];
}

export type CellBasis = 'history' | 'override' | 'no-history';

export interface HistoryWeek {
  weekStart: string;
  /** This week's share of the total weight (the shares of all used weeks add up to 1). */
  weight: number;
  /** Arrivals counted in the whole week (excluded days included, for reference). */
  arrivals: number;
}

export interface Forecast {
  weekStart: string;
  /** arrivals[weekday][hour]: expected arrivals in that hour, i.e. arrivals per hour. */
  arrivals: number[][];
  /** Where each hour's figure comes from. */
  basis: CellBasis[][];
  history: {
    weeks: HistoryWeek[];
    halfLifeWeeks: number;
    excludedDays: ExcludedDay[];
  };
  overridden: Array<{
    weekday: number;
    hour: number;
    fromHistory: number;
    arrivals: number;
    note: string;
  }>;
}

export const FORECAST_LIMITS = {
  maxWeeks: 260,
  maxHalfLifeWeeks: 520,
  maxArrivalsPerHour: 100_000,
} as const;

const DAY_MS = 86_400_000;

/**
 * The forecast: for each weekday and hour, the weighted mean of that hour in the last `weeks`
 * weeks, the week j weeks back weighing 2^(−(j−1)/halfLife). With the defaults (12 weeks,
 * half-life 4) the weights run 1, 0.84, 0.71, 0.59, 0.5, … 0.15, and the last four weeks carry
 * 57% of the total: a change of season shows within a few weeks, one odd week weighs at most
 * 18%. A day in `excludeDays` drops out of its weekday's mean (the other weeks'
 * weights are renormalized); overrides then replace or scale single hours.
 */
export function forecastWeek(input: ForecastInput): Forecast {
  const target = parseDay('weekStart', input.weekStart);
  const weeks = wholeNumber('weeks', input.weeks ?? 12, 1, FORECAST_LIMITS.maxWeeks);
  const halfLife = positive(
    'halfLifeWeeks',
    input.halfLifeWeeks ?? 4,
    FORECAST_LIMITS.maxHalfLifeWeeks,
  );
  if (!Array.isArray(input.counts)) throw new StaffingInputError('counts', 'must be a list');

  // Week j back (1 = the week before the forecast) is slot j − 1; sums[slot][weekday·24 + hour].
  const sums = new Float64Array(weeks * 168);
  let earliest = Infinity;
  const days = new Map<unknown, number>(); // a year of rows names only 52 distinct weeks
  input.counts.forEach((row, i) => {
    let week = days.get(row.weekStart);
    if (week === undefined)
      days.set(row.weekStart, (week = parseDay(`counts.${i}.weekStart`, row.weekStart)));
    const weekday = wholeNumber(`counts.${i}.weekday`, row.weekday, 0, 6);
    const hour = wholeNumber(`counts.${i}.hour`, row.hour, 0, 23);
    const count = nonNegative(`counts.${i}.count`, row.count);
    const back = weeksBetween(`counts.${i}.weekStart`, week, target);
    if (back <= 0) return; // the forecast week itself or later: not history
    earliest = Math.min(earliest, week);
    if (back <= weeks) sums[(back - 1) * 168 + weekday * 24 + hour]! += count;
  });
  const start =
    input.historyStart === undefined ? earliest : parseDay('historyStart', input.historyStart);
  const oldestBack =
    start === Infinity ? 0 : Math.min(weeks, weeksBetween('historyStart', start, target));

  const excluded = new Uint8Array(weeks * 7);
  for (const [i, day] of (input.excludeDays ?? []).entries()) {
    const back = weeksBetween(
      `excludeDays.${i}.weekStart`,
      parseDay(`excludeDays.${i}.weekStart`, day.weekStart),
      target,
    );
    const weekday = wholeNumber(`excludeDays.${i}.weekday`, day.weekday, 0, 6);
    if (back >= 1 && back <= weeks) excluded[(back - 1) * 7 + weekday] = 1;
  }

  const weight = (back: number) => 2 ** (-(back - 1) / halfLife);
  const arrivals: number[][] = [];
  const basis: CellBasis[][] = [];
  for (let weekday = 0; weekday < 7; weekday++) {
    const row: number[] = [];
    const rowBasis: CellBasis[] = [];
    let total = 0;
    const perHour = new Float64Array(24);
    for (let back = 1; back <= oldestBack; back++) {
      if (excluded[(back - 1) * 7 + weekday]) continue;
      const w = weight(back);
      total += w;
      const base = (back - 1) * 168 + weekday * 24;
      for (let hour = 0; hour < 24; hour++) perHour[hour]! += w * sums[base + hour]!;
    }
    for (let hour = 0; hour < 24; hour++) {
      row.push(total > 0 ? perHour[hour]! / total : 0);
      rowBasis.push(total > 0 ? 'history' : 'no-history');
    }
    arrivals.push(row);
    basis.push(rowBasis);
  }

  const overridden: Forecast['overridden'] = [];
  for (const [i, o] of (input.overrides ?? []).entries()) {
    const field = `overrides.${i}`;
    const weekday = wholeNumber(`${field}.weekday`, o.weekday, 0, 6);
    const from = wholeNumber(`${field}.fromHour`, o.fromHour ?? 0, 0, 23);
    const to = wholeNumber(`${field}.toHour`, o.toHour ?? 24, from + 1, 24);
    if ((o.arrivals === undefined) === (o.factor === undefined)) {
      throw new StaffingInputError(field, 'must give exactly one of arrivals and factor');
    }
    if (typeof o.note !== 'string' || !o.note.trim())
      throw new StaffingInputError(`${field}.note`, 'must say why');
    const set =
      o.arrivals === undefined
        ? undefined
        : nonNegative(`${field}.arrivals`, o.arrivals, FORECAST_LIMITS.maxArrivalsPerHour);
    const factor =
      o.factor === undefined ? undefined : nonNegative(`${field}.factor`, o.factor, 1000);
    for (let hour = from; hour < to; hour++) {
      const fromHistory =
        basis[weekday]![hour] === 'override'
          ? historyValue(overridden, weekday, hour)
          : arrivals[weekday]![hour]!;
      const value = set ?? fromHistory * factor!;
      arrivals[weekday]![hour] = value;
      basis[weekday]![hour] = 'override';
      const previous = overridden.findIndex((e) => e.weekday === weekday && e.hour === hour);
      if (previous >= 0) overridden.splice(previous, 1);
      overridden.push({ weekday, hour, fromHistory, arrivals: value, note: o.note.trim() });
    }
  }
  overridden.sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);

  let totalWeight = 0;
  for (let back = 1; back <= oldestBack; back++) totalWeight += weight(back);
  const used: HistoryWeek[] = [];
  for (let back = 1; back <= oldestBack; back++) {
    let weekArrivals = 0;
    for (let c = 0; c < 168; c++) weekArrivals += sums[(back - 1) * 168 + c]!;
    used.push({
      weekStart: formatDay(target - 7 * back * DAY_MS),
      weight: weight(back) / totalWeight,
      arrivals: weekArrivals,
    });
  }
  const excludedDays = (input.excludeDays ?? []).filter((d) => {
    const back = weeksBetween('excludeDays', parseDay('excludeDays', d.weekStart), target);
    return back >= 1 && back <= oldestBack;
  });

  return {
    weekStart: formatDay(target),
    arrivals,
    basis,
    history: { weeks: used, halfLifeWeeks: halfLife, excludedDays },
    overridden,
  };
}

/** An hour overridden twice: the second override scales what history said, not the first. */
function historyValue(overridden: Forecast['overridden'], weekday: number, hour: number): number {
  return overridden.find((e) => e.weekday === weekday && e.hour === hour)!.fromHistory;
}

function parseDay(field: string, value: unknown): number {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m) throw new StaffingInputError(field, 'must be a date written YYYY-MM-DD');
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (formatDay(ms) !== value) throw new StaffingInputError(field, 'is not a real date');
  return ms;
}

const formatDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function weeksBetween(field: string, week: number, target: number): number {
  const days = Math.round((target - week) / DAY_MS);
  if (days % 7 !== 0)
    throw new StaffingInputError(field, 'must start on the same weekday as the forecast week');
  return days / 7;
}

function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new StaffingInputError(field, 'must be a whole number');
  if (value < min || value > max)
    throw new StaffingInputError(field, `must be between ${min} and ${max}`);
  return value;
}

function positive(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StaffingInputError(field, 'must be a number greater than 0');
  }
  if (value > max) throw new StaffingInputError(field, `must be at most ${max}`);
  return value;
}

function nonNegative(field: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new StaffingInputError(field, 'must be a number of at least 0');
  }
  if (value > max) throw new StaffingInputError(field, `must be at most ${max}`);
  return value;
}
