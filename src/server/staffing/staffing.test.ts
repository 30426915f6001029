import { expect, it } from 'vitest';
import type { PlanView } from '../../contracts/staffing.js';
import { logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';

// The test organizations are in America/Chicago: UTC−6 in winter, −5 until 1 November 2026.
// 2026-11-23 is a Monday.
const chicago = (iso: string) => Date.parse(`${iso}${iso < '2026-11-01T02' ? '-05:00' : '-06:00'}`);

describeEachDialect('the staffing calculator', (h) => {
  it('answers the box-office example of MODEL.md under both models', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const a = await sup.post('/api/staffing/calculate', { arrivalsPerHour: 120, handleSeconds: 240, patienceSeconds: 180, agents: 10, targetSeconds: 20 });
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ model: 'erlang-a', agents: 10, offeredLoad: 8 });
    expect(a.json().serviceLevel).toBeCloseTo(0.8, 1);
    expect(a.json().abandonmentShare).toBeGreaterThan(0.04);
    expect(a.json().abandonmentShare).toBeLessThan(0.08);
    const c = await sup.post('/api/staffing/calculate', { arrivalsPerHour: 120, handleSeconds: 240, agents: 11, targetSeconds: 20 });
    expect(c.json()).toMatchObject({ model: 'erlang-c', agents: 11 });
    expect(c.json().serviceLevel).toBeGreaterThan(0.8);
    expect(c.json().occupancy).toBeCloseTo(8 / 11, 6);
    expect(c.json()).not.toHaveProperty('abandonmentShare');
    // Shares are fractions and every figure is finite, at hundreds of agents too.
    const big = await sup.post('/api/staffing/calculate', { arrivalsPerHour: 90_000, handleSeconds: 18, patienceSeconds: 60, agents: 460, targetSeconds: 10 });
    expect(big.statusCode).toBe(200);
    for (const v of Object.values(big.json())) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  });

  it('refuses bad questions with a 400 naming the field: rates, unstable queues, absurd sizes', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const base = { arrivalsPerHour: 120, handleSeconds: 240, agents: 10, targetSeconds: 20 };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, arrivalsPerHour: 0 }, 'arrivalsPerHour'],
      [{ ...base, arrivalsPerHour: -5 }, 'arrivalsPerHour'],
      [{ ...base, handleSeconds: 0 }, 'handleSeconds'],
      [{ ...base, patienceSeconds: -1 }, 'patienceSeconds'],
      [{ ...base, agents: 0 }, 'agents'],
      [{ ...base, agents: 2.5 }, 'agents'],
      [{ ...base, agents: 1_000_000 }, 'agents'],
      [{ ...base, arrivalsPerHour: 1e12 }, 'arrivalsPerHour'],
      [{ ...base, arrivalsPerHour: 'Infinity' }, 'arrivalsPerHour'],
      [{ ...base, targetSeconds: -1 }, 'targetSeconds'],
      [{ ...base, agents: 8 }, 'agents'], // load 8 Erlangs: 8 agents never catch up
    ];
    for (const [body, field] of cases) {
      const res = await sup.post('/api/staffing/calculate', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.field).toBe(field);
      expect(res.body).not.toMatch(/NaN|Infinity/);
    }
    const unstable = await sup.post('/api/staffing/calculate', { ...base, agents: 7 });
    expect(unstable.json().error.message).toMatch(/unstable/);
    // With patience the same staff has an honest answer: most callers hang up.
    const overloaded = await sup.post('/api/staffing/calculate', { ...base, agents: 7, patienceSeconds: 180 });
    expect(overloaded.statusCode).toBe(200);
    expect(overloaded.json().abandonmentShare).toBeGreaterThan(0.1);
  });

  it('is for supervisors and admins only', async () => {
    const org = await makeOrg(h());
    const body = { arrivalsPerHour: 120, handleSeconds: 240, agents: 10, targetSeconds: 20 };
    expect((await (await org.as('associate')).post('/api/staffing/calculate', body)).statusCode).toBe(403);
    expect((await (await org.as('admin')).post('/api/staffing/calculate', body)).statusCode).toBe(200);
  });

  it('draws the curve: service level rising and occupancy falling with staff, the smallest staff meeting the target', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const res = await sup.post('/api/staffing/curve', {
      arrivalsPerHour: 120,
      handleSeconds: 240,
      targetSeconds: 20,
      serviceLevelTarget: 0.8,
      fromAgents: 1,
      toAgents: 20,
    });
    expect(res.statusCode).toBe(200);
    const curve = res.json();
    expect(curve.requiredAgents).toBe(11);
    expect(curve.points).toHaveLength(20);
    expect(curve.points.slice(0, 8).every((pt: { stable: boolean }) => !pt.stable)).toBe(true);
    const sl = curve.points.slice(8).map((pt: { serviceLevel: number }) => pt.serviceLevel);
    expect(sl).toEqual([...sl].sort((x, y) => x - y));
    expect(res.body).not.toMatch(/NaN|Infinity/);
    const tooWide = await sup.post('/api/staffing/curve', { arrivalsPerHour: 1, handleSeconds: 1, targetSeconds: 1, serviceLevelTarget: 0.8, toAgents: 5000 });
    expect(tooWide.statusCode).toBe(400);
    expect(tooWide.json().error.field).toBe('toAgents');
  });
});

describeEachDialect('service modes, hours and time to target', (h) => {
  it('times an email answered within 4 working hours across a weekend and a holiday', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const team = org.teams.boxOffice;
    const mode = { mode: 'answer_now', targetSeconds: 4 * 3600, serviceLevelTarget: 0.9, workingHours: true, handleSeconds: 600, patienceSeconds: null };
    expect((await sup.put(`/api/staffing/teams/${team}/modes/email`, mode)).statusCode).toBe(200);
    const phone = { mode: 'answer_now', targetSeconds: 20, serviceLevelTarget: 0.8, workingHours: false, handleSeconds: 240, patienceSeconds: 180 };
    await sup.put(`/api/staffing/teams/${team}/modes/phone`, phone);
    const weekdays = [0, 1, 2, 3, 4].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' }));
    const hours = await sup.put(`/api/staffing/teams/${team}/hours`, { hours: weekdays });
    expect(hours.statusCode).toBe(200);
    expect(hours.json().timeZone).toBe('America/Chicago');
    expect(hours.json().modes.map((m: { channel: string }) => m.channel)).toEqual(['email', 'phone']);

    const associate = await org.as('associate');
    const friday = chicago('2026-11-27T16:00:00');
    const body = {
      cases: [
        { id: 1, teamId: team, channel: 'email', createdAt: friday },
        { id: 2, teamId: team, channel: 'phone', createdAt: friday },
        { id: 3, teamId: org.teams.development, channel: 'email', createdAt: friday },
      ],
    };
    let due = (await associate.post('/api/staffing/due', body)).json().due;
    // One working hour on Friday, three on Monday morning.
    expect(due).toEqual([
      { id: 1, mode: 'answer_now', dueAt: chicago('2026-11-30T12:00:00'), targetSeconds: 14400 },
      { id: 2, mode: 'answer_now', dueAt: friday + 20_000, targetSeconds: 20 },
    ]);
    const holiday = await sup.post(`/api/staffing/teams/${team}/holidays`, { day: '2026-11-30', note: 'Staff day' });
    expect(holiday.statusCode).toBe(201);
    expect((await sup.post(`/api/staffing/teams/${team}/holidays`, { day: '2026-11-30', note: 'Again' })).statusCode).toBe(409);
    due = (await associate.post('/api/staffing/due', body)).json().due;
    expect(due[0].dueAt).toBe(chicago('2026-12-01T12:00:00'));

    // Associates read but do not set; another organization's team does not exist.
    expect((await associate.put(`/api/staffing/teams/${team}/modes/email`, mode)).statusCode).toBe(403);
    const other = await makeOrg(h());
    expect((await (await other.as('supervisor')).get(`/api/staffing/teams/${team}/settings`)).statusCode).toBe(404);
    const bad = await sup.put(`/api/staffing/teams/${team}/hours`, { hours: [{ weekday: 0, opens: '09:00', closes: '12:00' }, { weekday: 0, opens: '11:00', closes: '13:00' }] });
    expect(bad.statusCode).toBe(400);
  });
});

describeEachDialect('the forecast and the week plan', (h, { raceIt }) => {
  raceIt('counts parallel arrivals in one hour exactly', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    h().clock.set(chicago('2026-11-16T15:10:00'));
    await Promise.all(Array.from({ length: 20 }, () => logCall(associate, { teamId: org.teams.boxOffice })));
    h().clock.set(chicago('2026-11-23T08:00:00'));
    const plan: PlanView = (await (await org.as('supervisor')).get(`/api/staffing/teams/${org.teams.boxOffice}/plan?channel=phone`)).json();
    expect(plan.history.weeks).toEqual([{ weekStart: '2026-11-16', weight: 1, arrivals: 20 }]);
    expect(plan.arrivals[0]![15]).toBe(20);
  });

  it('counts arrivals exactly as cases arrive and forecasts from them, showing the weeks used', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const sup = await org.as('supervisor');
    // Four Mondays back, 10:xx local: 3, 3, 3 and 6 calls (the most recent week busiest).
    const mondays = ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'];
    for (const [i, day] of mondays.entries()) {
      for (let k = 0; k < (i === 3 ? 6 : 3); k++) {
        h().clock.set(chicago(`${day}T10:0${k}:00`));
        await logCall(associate, { teamId: org.teams.boxOffice });
      }
    }
    // An outbound call is not an arrival; nor is an internal case.
    h().clock.set(chicago('2026-11-16T10:30:00'));
    await logCall(associate, { teamId: org.teams.boxOffice, direction: 'out' });
    h().clock.set(chicago('2026-11-23T08:00:00'));

    const res = await sup.get(`/api/staffing/teams/${org.teams.boxOffice}/plan?channel=phone&week=2026-11-25`);
    expect(res.statusCode).toBe(200);
    const plan: PlanView = res.json();
    expect(plan.week).toBe('2026-11-23');
    expect(plan.mode).toBeNull();
    expect(plan.history.weeks.map((w) => [w.weekStart, w.arrivals])).toEqual([
      ['2026-11-16', 6],
      ['2026-11-09', 3],
      ['2026-11-02', 3],
      ['2026-10-26', 3],
    ]);
    const monday10 = plan.arrivals[0]![10]!;
    // More than the plain mean (3.75): week j back weighs 2^(−(j−1)/4).
    const w = [1, 2, 3, 4].map((j) => 2 ** (-(j - 1) / 4));
    expect(monday10).toBeCloseTo((6 * w[0]! + 3 * (w[1]! + w[2]! + w[3]!)) / (w[0]! + w[1]! + w[2]! + w[3]!), 9);
    expect(plan.basis[0]![10]).toBe('history');
    expect(plan.arrivals[0]![11]).toBe(0);
    expect(plan.requiredC[0]![10]).toBeGreaterThanOrEqual(1);
    expect(plan.requiredC[0]![11]).toBe(0);

    // A hand edit for a special day, and a past day left out.
    const gala = await sup.post(`/api/staffing/teams/${org.teams.boxOffice}/forecast-edits`, {
      channel: 'phone',
      kind: 'set',
      day: '2026-11-27',
      fromHour: 12,
      toHour: 14,
      value: 60,
      note: 'Gala tickets on sale',
    });
    expect(gala.statusCode).toBe(201);
    await sup.post(`/api/staffing/teams/${org.teams.boxOffice}/forecast-edits`, { channel: 'phone', kind: 'exclude', day: '2026-11-16', note: 'Phones misrouted' });
    const edited: PlanView = (await sup.get(`/api/staffing/teams/${org.teams.boxOffice}/plan?channel=phone&week=2026-11-23`)).json();
    expect(edited.arrivals[4]![12]).toBe(60);
    expect(edited.basis[4]![13]).toBe('override');
    expect(edited.arrivals[0]![10]).toBeCloseTo(3, 6);
    expect(edited.history.excludedDays).toEqual([{ weekStart: '2026-11-16', weekday: 0, note: 'Phones misrouted' }]);
    expect(edited.edits).toHaveLength(2);
    const bad = await sup.post(`/api/staffing/teams/${org.teams.boxOffice}/forecast-edits`, { channel: 'phone', kind: 'set', day: '2026-11-27', note: 'no value' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('value');
  });

  it('sets the roster and shows it against the staff required per hour', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const team = org.teams.boxOffice;
    const shifts = [
      { userId: org.users.associate.id, weekday: 0, fromHour: 9, toHour: 17 },
      { userId: org.users.volunteer.id, weekday: 0, fromHour: 12, toHour: 14 },
      { userId: org.users.associate.id, weekday: 0, fromHour: 12, toHour: 13 }, // counted once
    ];
    const res = await sup.put(`/api/staffing/teams/${team}/roster`, { shifts });
    expect(res.statusCode).toBe(200);
    expect(res.json().onShift[0].slice(8, 15)).toEqual([0, 1, 1, 1, 2, 2, 1]);
    const stranger = await makeOrg(h());
    const bad = await sup.put(`/api/staffing/teams/${team}/roster`, { shifts: [{ userId: stranger.users.associate.id, weekday: 0, fromHour: 9, toHour: 10 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('shifts.0.userId');
    const plan: PlanView = (await sup.get(`/api/staffing/teams/${team}/plan?channel=phone`)).json();
    expect(plan.onShift[0]![12]).toBe(2);
  });
});
