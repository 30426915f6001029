import { expect, it } from 'vitest';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { promiseJobTypes } from '../promises/api.js';
import { Client } from '../testing/client.js';
import { logCall, makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect, type Harness } from '../testing/harness.js';

// America/Chicago, UTC−6 in winter; the harness clock starts on Monday 2026-11-23 08:00 there.
const chicago = (iso: string) => Date.parse(`${iso}-06:00`);
const takeTheTime = { mode: 'take_time', targetSeconds: 86_400, serviceLevelTarget: 0.9, workingHours: true, handleSeconds: 900, patienceSeconds: null };

async function calendar(h: Harness, org: TestOrg, capacity = 1, now = '2026-11-23T08:00:00') {
  h.clock.set(chicago(now));
  const sup = await org.as('supervisor');
  const res = await sup.post(`/api/staffing/teams/${org.teams.boxOffice}/slots`, {
    channel: 'phone',
    day: '2026-11-24',
    from: '10:00',
    to: '11:00',
    lengthMinutes: 15,
    capacity,
  });
  expect(res.statusCode).toBe(201);
  return res.json().items as Array<{ id: number; startsAt: number; booked: number }>;
}

describeEachDialect('slots and bookings', (h, { raceIt }) => {
  it('makes a run of slots in local time and books one for a case, noted on its timeline', async () => {
    const org = await makeOrg(h());
    const slots = await calendar(h(), org);
    expect(slots.map((s) => s.startsAt)).toEqual([0, 15, 30, 45].map((m) => chicago(`2026-11-24T10:${String(m).padStart(2, '0')}:00`)));
    const associate = await org.as('associate');
    const { ref } = await logCall(associate);
    const res = await associate.post(`/api/staffing/slots/${slots[1]!.id}/bookings`, { caseRef: ref, note: 'About the wheelchair space' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ caseRef: ref, startsAt: slots[1]!.startsAt, lengthMinutes: 15, cancelledAt: null });
    const detail = (await associate.get(`/api/cases/${ref}`)).json();
    expect(detail.entries.some((e: { body: string }) => /Booked a callback: .*10:15–10:30/.test(e.body))).toBe(true);
    // The booking is a promise to the patron, kept by calling within the slot, owned by who booked it.
    const promiseId = res.json().promiseId as number;
    expect(promiseId).toEqual(expect.any(Number));
    const promise = (await associate.get(`/api/promises/${promiseId}`)).json();
    expect(promise).toMatchObject({
      caseRef: ref,
      owner: { id: org.users.associate.id },
      how: 'call',
      windowStart: slots[1]!.startsAt,
      dueAt: slots[1]!.startsAt + 15 * 60_000,
      permissionAsked: true,
      state: 'open',
    });
    expect(promise.what).toMatch(/^Call back .*10:15–10:30 \(About the wheelchair space\)$/);
    expect(detail.status).toBe('promised');
    // Capacity 1: the next booking of that slot is refused; cancelling gives the place back.
    const second = await logCall(associate);
    const full = await associate.post(`/api/staffing/slots/${slots[1]!.id}/bookings`, { caseRef: second.ref });
    expect(full.statusCode).toBe(409);
    const cancelled = await associate.delete(`/api/staffing/bookings/${res.json().id}`);
    expect(cancelled.json().cancelledAt).not.toBeNull();
    // Cancelled, the promise is released (not broken at 10:30), and the case is no longer promised.
    const released = (await associate.get(`/api/promises/${promiseId}`)).json();
    expect(released.state).toBe('released');
    expect(released.history.at(-1)).toMatchObject({ kind: 'released', note: 'The booking was cancelled', by: { id: org.users.associate.id } });
    expect((await associate.get(`/api/cases/${ref}`)).json().status).toBe('open');
    h().clock.set(chicago('2026-11-24T11:00:00'));
    const runner = new JobRunner({ db: h().db, clock: h().clock, types: promiseJobTypes(h().p), log: quietLog() });
    expect(await runner.runDue()).toBeGreaterThan(0); // the released promise's reminder and due jobs, doing nothing
    const after = await h().db.kysely.selectFrom('promises').select(['state', 'broken_at']).where('id', '=', promiseId).executeTakeFirstOrThrow();
    expect(after).toEqual({ state: 'released', broken_at: null });
    h().clock.set(chicago('2026-11-23T08:00:00'));
    expect((await associate.post(`/api/staffing/slots/${slots[1]!.id}/bookings`, { caseRef: second.ref })).statusCode).toBe(201);
    expect((await associate.get(`/api/staffing/cases/${second.ref}/bookings`)).json().items).toHaveLength(1);
    // A booked slot stays; a free one can go. Associates do not keep the calendar.
    const sup = await org.as('supervisor');
    expect((await sup.delete(`/api/staffing/slots/${slots[1]!.id}`)).statusCode).toBe(409);
    expect((await associate.delete(`/api/staffing/slots/${slots[0]!.id}`)).statusCode).toBe(403);
    expect((await sup.delete(`/api/staffing/slots/${slots[0]!.id}`)).statusCode).toBe(200);
    const list = (await associate.get(`/api/staffing/teams/${org.teams.boxOffice}/slots?from=2026-11-24&days=1`)).json();
    expect(list.items.map((s: { booked: number }) => s.booked)).toEqual([1, 0, 0]);
    // Another organization sees neither the slot nor the booking.
    const other = await makeOrg(h());
    const stranger = await other.as('associate');
    const theirs = await logCall(stranger);
    expect((await stranger.post(`/api/staffing/slots/${slots[2]!.id}/bookings`, { caseRef: theirs.ref })).statusCode).toBe(404);
  });

  it('refuses a slot that has begun', async () => {
    const org = await makeOrg(h());
    const slots = await calendar(h(), org, 1, '2026-11-24T10:00:00');
    const associate = await org.as('associate');
    const { ref } = await logCall(associate);
    h().clock.set(chicago('2026-11-24T10:20:00'));
    expect((await associate.post(`/api/staffing/slots/${slots[1]!.id}/bookings`, { caseRef: ref })).statusCode).toBe(409);
    expect((await associate.post(`/api/staffing/slots/${slots[2]!.id}/bookings`, { caseRef: ref })).statusCode).toBe(201);
  });

  it('refuses to book a callback on a case with no patron, and leaves the slot free', async () => {
    const org = await makeOrg(h());
    const slots = await calendar(h(), org, 1);
    const associate = await org.as('associate');
    const { ref } = await logCall(associate, { channel: 'internal', patron: undefined, subject: 'Projector bulb' });
    const res = await associate.post(`/api/staffing/slots/${slots[0]!.id}/bookings`, { caseRef: ref });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'caseRef', message: expect.stringMatching(/no patron/) });
    const list = (await associate.get(`/api/staffing/teams/${org.teams.boxOffice}/slots?from=2026-11-24&days=1`)).json();
    expect(list.items[0].booked).toBe(0);
    expect((await associate.get(`/api/staffing/cases/${ref}/bookings`)).json().items).toEqual([]);
  });

  it('lets a patron book from the help form only where the team takes the time', async () => {
    const org = await makeOrg(h());
    const slots = await calendar(h(), org, 2);
    const patron = new Client(h().app, '203.0.113.9');
    expect((await patron.get(`/api/public/orgs/${org.slug}/slots`)).json()).toMatchObject({ offered: false, items: [] });
    const form = { slotId: slots[0]!.id, name: 'Carla Chen', email: 'carla@example.org', message: 'Please call about seating.' };
    expect((await patron.post(`/api/public/orgs/${org.slug}/bookings`, form)).statusCode).toBe(400);

    await (await org.as('supervisor')).put(`/api/staffing/teams/${org.teams.boxOffice}/modes/phone`, takeTheTime);
    const offered = (await patron.get(`/api/public/orgs/${org.slug}/slots`)).json();
    expect(offered).toMatchObject({ offered: true, timeZone: 'America/Chicago' });
    expect(offered.items).toHaveLength(4);
    expect(offered.items[0]).toEqual({ id: slots[0]!.id, startsAt: slots[0]!.startsAt, lengthMinutes: 15, free: 2 });
    const res = await patron.post(`/api/public/orgs/${org.slug}/bookings`, form);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ reference: 'SW-1001', startsAt: slots[0]!.startsAt });
    const associate = await org.as('associate');
    const detail = (await associate.get(`/api/cases/SW-1001`)).json();
    expect(detail.subject).toMatch(/^Callback booked: /);
    expect(detail.patron.name).toBe('Carla Chen');
    const bookings = (await associate.get(`/api/staffing/cases/SW-1001/bookings`)).json().items;
    expect(bookings).toHaveLength(1);
    // Booked by the patron: the promise is the team's, owned by its supervisor, the consent the patron's own.
    const promise = (await associate.get(`/api/promises/${bookings[0].promiseId}`)).json();
    expect(promise).toMatchObject({ owner: { id: org.users.supervisor.id }, state: 'open', dueAt: slots[0]!.startsAt + 15 * 60_000, patronAnswer: 'Booked it on the help form' });
    expect(detail.status).toBe('promised');
    expect((await patron.get(`/api/public/orgs/${org.slug}/slots`)).json().items[0].free).toBe(1);
    // A bot filling the honeypot books nothing.
    const bot = await patron.post(`/api/public/orgs/${org.slug}/bookings`, { ...form, website: 'http://spam' });
    expect(bot.statusCode).toBe(202);
    expect((await patron.get(`/api/public/orgs/${org.slug}/slots`)).json().items[0].free).toBe(1);
  });

  raceIt('never books a slot past its capacity, however many book at once', async () => {
    const org = await makeOrg(h());
    const slots = await calendar(h(), org, 3);
    const associate = await org.as('associate');
    const refs = [];
    for (let i = 0; i < 12; i++) refs.push((await logCall(associate)).ref);
    const results = await Promise.all(refs.map((ref) => associate.post(`/api/staffing/slots/${slots[0]!.id}/bookings`, { caseRef: ref })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(9);
    const list = (await associate.get(`/api/staffing/teams/${org.teams.boxOffice}/slots?from=2026-11-24&days=1`)).json();
    expect(list.items[0].booked).toBe(3);
    // The patrons' side too: a full slot rolls the whole booking back, no case left behind.
    await (await org.as('supervisor')).put(`/api/staffing/teams/${org.teams.boxOffice}/modes/phone`, takeTheTime);
    const patrons = Array.from({ length: 8 }, (_, i) => new Client(h().app, `203.0.113.${20 + i}`));
    const booked = await Promise.all(
      patrons.map((c, i) => c.post(`/api/public/orgs/${org.slug}/bookings`, { slotId: slots[1]!.id, name: `P ${i}`, email: `p${i}@example.org`, message: 'Call me' })),
    );
    expect(booked.filter((r) => r.statusCode === 201)).toHaveLength(3);
    const queue = (await associate.get('/api/cases?queue=team&limit=100')).json().items;
    expect(queue.filter((c: { subject: string }) => c.subject.startsWith('Callback booked')).length).toBe(3);
  });
});
