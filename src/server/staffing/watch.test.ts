import { expect, it } from 'vitest';
import type { BusEvent } from '../platform/events.js';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { arrivalsNow, staffingJobTypes } from './watch.js';

const chicago = (iso: string) => Date.parse(`${iso}-06:00`);

it('estimates arrivals per hour from this hour and the rest of the last one', () => {
  expect(arrivalsNow(10, 0, 15)).toBe(10);
  expect(arrivalsNow(10, 40, 15)).toBe(40);
  expect(arrivalsNow(0, 60, 0)).toBe(60);
});

describeEachDialect('the live understaffing warning', (h) => {
  it('warns the team queue when arrivals outrun the staff on shift, and clears when the roster catches up', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const team = org.teams.boxOffice;
    h().clock.set(chicago('2026-11-23T09:50:00'));
    await sup.put(`/api/staffing/teams/${team}/modes/phone`, {
      mode: 'answer_now',
      targetSeconds: 20,
      serviceLevelTarget: 0.8,
      workingHours: false,
      handleSeconds: 240,
      patienceSeconds: null,
    });
    await sup.put(`/api/staffing/teams/${team}/roster`, { shifts: [{ userId: org.users.associate.id, weekday: 0, fromHour: 9, toHour: 17 }] });
    const associate = await org.as('associate');
    // 30 calls between 10:00 and 10:15: 30 calls an hour of 4 minutes is 2 Erlangs; one person cannot keep up.
    for (let i = 0; i < 30; i++) {
      h().clock.set(chicago('2026-11-23T10:00:00') + i * 30_000);
      await logCall(associate, { teamId: team });
    }
    const events: BusEvent[] = [];
    const off = h().p.events.subscribe((e) => events.push(e));
    const runner = new JobRunner({ db: h().db, clock: h().clock, types: staffingJobTypes(h().p), log: quietLog() });
    await runner.runDue(); // schedules the recurring tick
    h().clock.set(chicago('2026-11-23T10:20:00'));
    expect(await runner.runDue()).toBe(1);
    const { warnings } = (await associate.get(`/api/staffing/teams/${team}/warnings`)).json();
    expect(warnings).toEqual([{ channel: 'phone', arrivalsPerHour: 30, required: expect.any(Number), onShift: 1, since: expect.any(Number) }]);
    expect(warnings[0].required).toBeGreaterThan(1);
    expect(events.filter((e) => e.type === 'staffing.warning')).toEqual([
      expect.objectContaining({ type: 'staffing.warning', orgId: org.orgId, teamId: team, channel: 'phone', active: true }),
    ]);

    // The supervisor puts more people on; the next tick clears the warning.
    await sup.put(`/api/staffing/teams/${team}/roster`, {
      shifts: [org.users.associate.id, org.users.supervisor.id, org.users.volunteer.id, org.users.admin.id].map((userId) => ({ userId, weekday: 0, fromHour: 9, toHour: 17 })),
    });
    h().clock.set(chicago('2026-11-23T10:25:00'));
    expect(await runner.runDue()).toBe(1);
    expect((await associate.get(`/api/staffing/teams/${team}/warnings`)).json().warnings).toEqual([]);
    expect(events.filter((e) => e.type === 'staffing.warning').map((e) => 'active' in e && e.active)).toEqual([true, false]);
    off();
  });
});
