// The arrivals forecast: the weighted seasonal mean, the history it reports, special days and
// bad input.
import { describe, expect, it } from 'vitest';
import { StaffingInputError } from './erlang.js';
import { forecastWeek, type HourlyCount } from './forecast.js';

const WEEK = '2026-03-02'; // a Monday; the forecast week
const back = (weeks: number) =>
  new Date(Date.UTC(2026, 2, 2) - weeks * 7 * 86_400_000).toISOString().slice(0, 10);

/** Every hour of the given weeks back, with count(weeksBack, weekday, hour). */
function history(
  weeks: number[],
  count: (weeksBack: number, weekday: number, hour: number) => number,
): HourlyCount[] {
  const rows: HourlyCount[] = [];
  for (const w of weeks) {
    for (let weekday = 0; weekday < 7; weekday++) {
      for (let hour = 0; hour < 24; hour++)
        rows.push({ weekStart: back(w), weekday, hour, count: count(w, weekday, hour) });
    }
  }
  return rows;
}

describe('forecastWeek', () => {
  it('is the mean of past weeks, the week j back weighing 2^(−(j−1)/halfLife)', () => {
    const counts = history([1, 2, 3], (w) => [0, 10, 20, 40][w]!);
    const f = forecastWeek({ weekStart: WEEK, counts, weeks: 3, halfLifeWeeks: 1 });
    // weights 1, 1/2, 1/4 on 10, 20, 40
    const expected = (1 * 10 + 0.5 * 20 + 0.25 * 40) / 1.75;
    expect(f.arrivals[0]![0]).toBeCloseTo(expected, 12);
    expect(f.arrivals[6]![23]).toBeCloseTo(expected, 12);
    expect(f.basis.flat().every((b) => b === 'history')).toBe(true);
    expect(f.history.weeks.map((w) => w.weekStart)).toEqual([back(1), back(2), back(3)]);
    expect(f.history.weeks.map((w) => w.weight)).toEqual([1 / 1.75, 0.5 / 1.75, 0.25 / 1.75]);
    expect(f.history.weeks.map((w) => w.arrivals)).toEqual([1680, 3360, 6720]);
  });

  it('follows a recent change faster than a plain average would', () => {
    // Eight quiet weeks, then four busy ones (a season opening): 5 calls an hour, then 15.
    const counts = history([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], (w) => (w <= 4 ? 15 : 5));
    const f = forecastWeek({ weekStart: WEEK, counts });
    const plain = (4 * 15 + 8 * 5) / 12;
    expect(f.arrivals[2]![10]).toBeGreaterThan(plain + 1);
    expect(f.arrivals[2]![10]).toBeLessThan(15);
    // The defaults (12 weeks, half-life 4) put 57% of the weight on the last four weeks.
    const lastFour = f.history.weeks.slice(0, 4).reduce((s, w) => s + w.weight, 0);
    expect(lastFour).toBeCloseTo((1 - 2 ** -1) / (1 - 2 ** -3), 12); // = 4/7
  });

  it('reads missing hours as zero, but weeks before the records began as unknown', () => {
    // Only two weeks of records, and only one row in them: Tuesday 10:00, 6 calls, 1 week back.
    const counts: HourlyCount[] = [
      { weekStart: back(1), weekday: 1, hour: 10, count: 6 },
      { weekStart: back(2), weekday: 1, hour: 11, count: 0 },
    ];
    const f = forecastWeek({ weekStart: WEEK, counts, halfLifeWeeks: 1 });
    expect(f.history.weeks.map((w) => w.weekStart)).toEqual([back(1), back(2)]);
    expect(f.arrivals[1]![10]).toBeCloseTo(6 / 1.5, 12); // weights 1 and ½, the older week a zero
    expect(f.arrivals[1]![9]).toBe(0);
    // Told that records began four weeks back, the two silent weeks count as quiet ones.
    const longer = forecastWeek({
      weekStart: WEEK,
      counts,
      halfLifeWeeks: 1,
      historyStart: back(4),
    });
    expect(longer.history.weeks).toHaveLength(4);
    expect(longer.arrivals[1]![10]).toBeCloseTo(6 / 1.875, 12);
  });

  it('sums rows for the same hour and ignores the forecast week and later', () => {
    const counts: HourlyCount[] = [
      { weekStart: back(1), weekday: 4, hour: 18, count: 3 },
      { weekStart: back(1), weekday: 4, hour: 18, count: 4 }, // e.g. two channels
      { weekStart: WEEK, weekday: 4, hour: 18, count: 1000 },
      { weekStart: back(-1), weekday: 4, hour: 18, count: 1000 },
    ];
    const f = forecastWeek({ weekStart: WEEK, counts });
    expect(f.arrivals[4]![18]).toBe(7);
    expect(f.history.weeks).toHaveLength(1);
  });

  it('has no history to offer before any records exist', () => {
    const f = forecastWeek({ weekStart: WEEK, counts: [] });
    expect(f.history.weeks).toEqual([]);
    expect(f.arrivals.flat().every((v) => v === 0)).toBe(true);
    expect(f.basis.flat().every((b) => b === 'no-history')).toBe(true);
  });

  it('leaves excluded days out of their weekday and says so', () => {
    // Last week's Saturday was a gala (100 calls an hour); other Saturdays had 10.
    const counts = history([1, 2, 3], (w, weekday) => (w === 1 && weekday === 5 ? 100 : 10));
    const gala = { weekStart: back(1), weekday: 5, note: 'Gala night' };
    const f = forecastWeek({ weekStart: WEEK, counts, excludeDays: [gala] });
    expect(f.arrivals[5]![20]).toBeCloseTo(10, 12);
    expect(f.arrivals[4]![20]).toBeCloseTo(10, 12);
    expect(f.history.excludedDays).toEqual([gala]);
    // Without the exclusion the gala pulls Saturday up.
    expect(forecastWeek({ weekStart: WEEK, counts }).arrivals[5]![20]).toBeGreaterThan(30);
  });

  it('applies overrides for special days, the later winning, and lists them', () => {
    const counts = history([1, 2], () => 8);
    const f = forecastWeek({
      weekStart: WEEK,
      counts,
      overrides: [
        { weekday: 3, fromHour: 10, toHour: 14, factor: 2.5, note: 'Premiere on sale' },
        { weekday: 3, fromHour: 12, toHour: 13, arrivals: 60, note: 'Sale opens at noon' },
        { weekday: 6, factor: 0, note: 'Closed for the holiday' },
      ],
    });
    expect(f.arrivals[3]!.slice(9, 15)).toEqual([8, 20, 20, 60, 20, 8]);
    expect(f.basis[3]![12]).toBe('override');
    expect(f.basis[3]![9]).toBe('history');
    expect(f.arrivals[6]!.every((v) => v === 0)).toBe(true);
    expect(f.overridden.find((o) => o.weekday === 3 && o.hour === 12)).toEqual({
      weekday: 3,
      hour: 12,
      fromHistory: 8,
      arrivals: 60,
      note: 'Sale opens at noon',
    });
    expect(f.overridden).toHaveLength(4 + 24);
  });

  it('refuses bad input with an error naming the field', () => {
    const row = { weekStart: back(1), weekday: 0, hour: 9, count: 3 };
    const tries: Array<[string, Parameters<typeof forecastWeek>[0]]> = [
      ['weekStart', { weekStart: '2026-02-30', counts: [] }],
      ['weekStart', { weekStart: '2 March', counts: [] }],
      ['weeks', { weekStart: WEEK, counts: [], weeks: 0 }],
      ['weeks', { weekStart: WEEK, counts: [], weeks: 1.5 }],
      ['halfLifeWeeks', { weekStart: WEEK, counts: [], halfLifeWeeks: 0 }],
      ['counts.0.weekStart', { weekStart: WEEK, counts: [{ ...row, weekStart: '2026-02-24' }] }],
      ['counts.0.weekday', { weekStart: WEEK, counts: [{ ...row, weekday: 7 }] }],
      ['counts.0.hour', { weekStart: WEEK, counts: [{ ...row, hour: 24 }] }],
      ['counts.1.count', { weekStart: WEEK, counts: [row, { ...row, count: -1 }] }],
      ['historyStart', { weekStart: WEEK, counts: [], historyStart: '2026-01-01' }],
      [
        'excludeDays.0.weekday',
        { weekStart: WEEK, counts: [], excludeDays: [{ weekStart: back(1), weekday: -1 }] },
      ],
      [
        'overrides.0',
        {
          weekStart: WEEK,
          counts: [],
          overrides: [{ weekday: 1, arrivals: 5, factor: 2, note: 'both' }],
        },
      ],
      [
        'overrides.0.note',
        { weekStart: WEEK, counts: [], overrides: [{ weekday: 1, arrivals: 5, note: ' ' }] },
      ],
      [
        'overrides.0.toHour',
        {
          weekStart: WEEK,
          counts: [],
          overrides: [{ weekday: 1, fromHour: 10, toHour: 10, arrivals: 5, note: 'x' }],
        },
      ],
      [
        'overrides.0.arrivals',
        {
          weekStart: WEEK,
          counts: [],
          overrides: [{ weekday: 1, arrivals: Number.NaN, note: 'x' }],
        },
      ],
    ];
    for (const [field, input] of tries) {
      let error: unknown;
      try {
        forecastWeek(input);
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(StaffingInputError);
      expect((error as StaffingInputError).field, JSON.stringify(input)).toBe(field);
    }
  });
});
