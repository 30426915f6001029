// The dashboard's periods are whole days in the organization's zone, and a custom range that
// cannot be asked for is refused field by field before any request.
import { describe, expect, it } from 'vitest';
import { customPeriod, isoDate, lastDayOf, presetPeriod } from './period.js';

const CHICAGO = 'America/Chicago';
// 2026-12-02 03:00 UTC is still 1 December (21:00) in Chicago.
const NOW = Date.UTC(2026, 11, 2, 3, 0);

describe('the dashboard period', () => {
  it('counts presets in the organization’s days, today included', () => {
    const week = presetPeriod('7d', NOW, CHICAGO);
    expect(week).toEqual({ from: Date.UTC(2026, 10, 25, 6), to: Date.UTC(2026, 11, 2, 6) });
    expect(isoDate(week.from, CHICAGO)).toBe('2026-11-25');
    expect(lastDayOf(week, CHICAGO)).toBe('2026-12-01');
    expect(isoDate(presetPeriod('30d', NOW, CHICAGO).from, CHICAGO)).toBe('2026-11-02');
    // 90 days back crosses the end of daylight time (1 November): midnight is 05:00 UTC there.
    expect(presetPeriod('90d', NOW, CHICAGO).from).toBe(Date.UTC(2026, 8, 3, 5));
    expect(presetPeriod('year', NOW, CHICAGO).from).toBe(Date.UTC(2026, 0, 1, 6));
  });

  it('takes a custom range of whole days, both ends included', () => {
    expect(customPeriod('2026-11-10', '2026-11-10', CHICAGO)).toEqual({
      ok: true,
      period: { from: Date.UTC(2026, 10, 10, 6), to: Date.UTC(2026, 10, 11, 6) },
    });
  });

  it('names the field of each mistake', () => {
    expect(customPeriod('2026-11-10', '2026-11-09', CHICAGO)).toEqual({ ok: false, errors: { to: 'To must be on or after the From date' } });
    expect(customPeriod('', '2026-02-30', CHICAGO)).toEqual({
      ok: false,
      errors: { from: 'From: enter a date', to: 'To: enter a real date (year-month-day)' },
    });
    expect(customPeriod('1969-12-31', '2026-01-01', CHICAGO)).toEqual({ ok: false, errors: { from: 'From: must be in 1970 or later' } });
  });
});
