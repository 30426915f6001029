// Promises through the HTTP API and the job runner, on both dialects: making one puts the case
// in promised; the injected clock moves and the reminder, the broken mark and the escalation
// happen exactly when due, once; renegotiating (with consent) retires the old jobs; keeping on
// time and late; the lists and the kept rate; and each kind of bad input answered with a 4xx.
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { logCall, makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { promiseJobTypes } from './api.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describeEachDialect('promises', (h) => {
  let org: TestOrg;
  let runner: JobRunner;

  beforeAll(() => {
    runner = new JobRunner({ db: h().db, clock: h().clock, types: promiseJobTypes(h().p), log: quietLog() });
  });
  beforeEach(async () => {
    org = await makeOrg(h());
  });

  const db = () => h().db.kysely;
  const notifications = (userId: number, kind?: string) =>
    db()
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .$if(kind !== undefined, (qb) => qb.where('kind', '=', kind!))
      .orderBy('id')
      .execute();
  const mailTo = async (address: string) =>
    (await db().selectFrom('mail_outbox').select(['subject', 'envelope_to', 'dedupe_key']).where('org_id', '=', org.orgId).execute()).filter(
      (m) => (JSON.parse(m.envelope_to) as string[]).includes(address),
    );

  async function promiseOnNewCase(due: number, body: Record<string, unknown> = {}) {
    const associate = await org.as('associate');
    const kase = await logCall(associate, { patron: { name: 'Zoë Abbott', email: 'zoe@example.org' } });
    const res = await associate.post(`/api/cases/${kase.ref}/promises`, {
      what: 'Call back with the refund decision',
      how: 'call',
      dueAt: due,
      permissionAsked: true,
      patronAnswer: 'Yes, Thursday is fine',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return { kase, promise: res.json() as { id: number; state: string; version: number; history: Array<{ kind: string }> }, associate };
  }

  it('makes a promise: the case becomes promised, the history says made, and two jobs are queued under versioned keys', async () => {
    const due = h().clock.now() + 3 * HOUR;
    const { kase, promise, associate } = await promiseOnNewCase(due);
    expect(promise).toMatchObject({ state: 'open', version: 1, dueAt: due, permissionAsked: true, how: 'call' });
    expect(promise.history.map((e) => e.kind)).toEqual(['made']);
    const c = (await associate.get(`/api/cases/${kase.ref}`)).json() as { status: string };
    expect(c.status).toBe('promised');
    const jobs = await db().selectFrom('jobs').select(['kind', 'run_at', 'unique_key']).where('unique_key', 'like', `promise.%:${promise.id}:%`).orderBy('run_at').execute();
    expect(jobs).toEqual([
      { kind: 'promise.remind', run_at: due - HOUR, unique_key: `promise.remind:${promise.id}:v1` },
      { kind: 'promise.due', run_at: due, unique_key: `promise.due:${promise.id}:v1` },
    ]);
  });

  it('reminds the owner at the lead time, marks broken at the due time and escalates to the supervisors, each exactly once', async () => {
    const t0 = h().clock.now();
    const due = t0 + 3 * HOUR;
    const { promise, associate } = await promiseOnNewCase(due);
    const ownerId = org.users.associate.id;
    const supervisorId = org.users.supervisor.id;

    h().clock.set(due - HOUR - 1);
    await runner.runDue();
    expect(await notifications(ownerId)).toHaveLength(0);

    h().clock.set(due - HOUR);
    await runner.runDue();
    await runner.runDue(); // nothing more to do
    const reminders = await notifications(ownerId, 'promise.reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.link).toMatch(/^\/cases\/SW-\d+$/);
    expect(await mailTo(org.users.associate.email)).toHaveLength(1);

    h().clock.set(due - 1);
    await runner.runDue();
    expect((await associate.get(`/api/promises/${promise.id}`)).json()).toMatchObject({ state: 'open', brokenAt: null });
    expect(await notifications(supervisorId)).toHaveLength(0);

    h().clock.set(due);
    await runner.runDue();
    await runner.runDue();
    const after = (await associate.get(`/api/promises/${promise.id}`)).json() as { state: string; brokenAt: number; escalatedAt: number };
    expect(after).toMatchObject({ state: 'broken', brokenAt: due, escalatedAt: due });
    const escalations = await notifications(supervisorId, 'promise.escalation');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.link).toMatch(/^\/cases\/SW-\d+$/);
    expect(await mailTo(org.users.supervisor.email)).toHaveLength(1);
    expect(await notifications(ownerId, 'promise.reminder')).toHaveLength(1);

    h().clock.set(due + 2 * HOUR);
    await runner.runDue();
    expect(await notifications(supervisorId)).toHaveLength(1);
    h().clock.set(t0);
  });

  it('escalates after the team’s configured delay and reminds with its configured lead time', async () => {
    const supervisor = await org.as('supervisor');
    const put = await supervisor.put(`/api/teams/${org.teams.boxOffice}/promise-settings`, { reminderLeadMinutes: 15, escalateAfterMinutes: 30 });
    expect(put.statusCode, put.body).toBe(200);
    const t0 = h().clock.now();
    const due = t0 + 2 * HOUR;
    const { promise } = await promiseOnNewCase(due);
    const jobs = await db().selectFrom('jobs').select(['kind', 'run_at']).where('unique_key', 'like', `promise.%:${promise.id}:%`).orderBy('run_at').execute();
    expect(jobs.map((j) => j.run_at)).toEqual([due - 15 * MIN, due]);
    h().clock.set(due);
    await runner.runDue();
    expect(await notifications(org.users.supervisor.id, 'promise.escalation')).toHaveLength(0);
    h().clock.set(due + 30 * MIN - 1);
    await runner.runDue();
    expect(await notifications(org.users.supervisor.id, 'promise.escalation')).toHaveLength(0);
    h().clock.set(due + 30 * MIN);
    await runner.runDue();
    expect(await notifications(org.users.supervisor.id, 'promise.escalation')).toHaveLength(1);
    h().clock.set(t0);
  });

  it('renegotiates only with consent; the old due time stays in history and the old reminder never fires', async () => {
    const t0 = h().clock.now();
    const due = t0 + 3 * HOUR;
    const { promise, associate } = await promiseOnNewCase(due);
    const noConsent = await associate.post(`/api/promises/${promise.id}/renegotiate`, { dueAt: due + 24 * HOUR, consentNote: 'ok' });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().error.field).toBe('patronConsent');

    const newDue = due + 24 * HOUR;
    const res = await associate.post(`/api/promises/${promise.id}/renegotiate`, {
      dueAt: newDue,
      patronConsent: true,
      consentNote: 'Patron agreed to Friday on the phone',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { version: number; dueAt: number; history: Array<{ kind: string; oldDueAt: number | null; newDueAt: number | null; note: string | null }> };
    expect(body).toMatchObject({ version: 2, dueAt: newDue });
    expect(body.history[1]).toMatchObject({ kind: 'renegotiated', oldDueAt: due, newDueAt: newDue, note: 'Patron agreed to Friday on the phone' });

    // The old version's reminder and due time pass: nothing happens.
    h().clock.set(due + 1);
    await runner.runDue();
    expect(await notifications(org.users.associate.id)).toHaveLength(0);
    expect((await associate.get(`/api/promises/${promise.id}`)).json()).toMatchObject({ state: 'open' });
    // The new one's reminder fires once.
    h().clock.set(newDue - HOUR);
    await runner.runDue();
    const reminders = await notifications(org.users.associate.id, 'promise.reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.dedupe_key).toBe(`promise.remind:${promise.id}:v2`);
    h().clock.set(t0);
  });

  it('reminds once, for the new version, when the old and the new reminder run in one batch', async () => {
    const t0 = h().clock.now();
    const due = t0 + 3 * HOUR;
    const { promise, associate } = await promiseOnNewCase(due);
    const newDue = due + 5 * MIN;
    const res = await associate.post(`/api/promises/${promise.id}/renegotiate`, { dueAt: newDue, patronConsent: true, consentNote: 'five minutes later' });
    expect(res.statusCode, res.body).toBe(200);
    // No runner ran at either reminder's time: both are due, and one claim takes them together.
    h().clock.set(newDue - HOUR + 1);
    await runner.runDue();
    const reminders = await notifications(org.users.associate.id, 'promise.reminder');
    expect(reminders.map((r) => r.dedupe_key)).toEqual([`promise.remind:${promise.id}:v2`]);
    await runner.runDue(); // the reminder's email
    expect((await mailTo(org.users.associate.email)).map((m) => m.dedupe_key)).toEqual([`promise.remind:${promise.id}:v2`]);
    h().clock.set(t0);
  });

  it('keeps a promise on time with the reply that kept it; the case leaves promised', async () => {
    const due = h().clock.now() + 3 * HOUR;
    const { kase, promise, associate } = await promiseOnNewCase(due);
    const note = await associate.post(`/api/cases/${kase.ref}/entries`, { kind: 'note', body: 'checking with finance' });
    const noteId = (note.json() as { entries: Array<{ id: number; kind: string }> }).entries.find((e) => e.kind === 'note')!.id;
    const bad = await associate.post(`/api/promises/${promise.id}/keep`, { entryId: noteId });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('entryId');

    const reply = await associate.post(`/api/cases/${kase.ref}/entries`, { kind: 'reply', body: 'Your refund is approved.', channel: 'phone' });
    const replyId = Math.max(...(reply.json() as { entries: Array<{ id: number; kind: string }> }).entries.filter((e) => e.kind === 'message_out').map((e) => e.id));
    const kept = await associate.post(`/api/promises/${promise.id}/keep`, { entryId: replyId });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ state: 'kept', keptEntryId: replyId, brokenAt: null });
    expect(((await associate.get(`/api/cases/${kase.ref}`)).json() as { status: string }).status).toBe('open');
    const again = await associate.post(`/api/promises/${promise.id}/keep`, { entryId: replyId });
    expect(again.statusCode).toBe(409);

    // Its due time passes: it stays kept, no reminder, no escalation.
    const t0 = h().clock.now();
    h().clock.set(due + HOUR);
    await runner.runDue();
    expect((await associate.get(`/api/promises/${promise.id}`)).json()).toMatchObject({ state: 'kept' });
    expect(await notifications(org.users.supervisor.id)).toHaveLength(0);
    h().clock.set(t0);
  });

  it('a promise kept after its due time is kept late, and its broken mark at the due time stays', async () => {
    const t0 = h().clock.now();
    const due = t0 + HOUR;
    const { kase, promise, associate } = await promiseOnNewCase(due);
    h().clock.set(due + 10 * MIN);
    await runner.runDue();
    const reply = await associate.post(`/api/cases/${kase.ref}/entries`, { kind: 'reply', body: 'Sorry for the delay: approved.', channel: 'phone' });
    const replyId = Math.max(...(reply.json() as { entries: Array<{ id: number; kind: string }> }).entries.filter((e) => e.kind === 'message_out').map((e) => e.id));
    const kept = await associate.post(`/api/promises/${promise.id}/keep`, { entryId: replyId });
    expect(kept.json()).toMatchObject({ state: 'kept_late', brokenAt: due, keptAt: due + 10 * MIN });
    const kinds = (kept.json() as { history: Array<{ kind: string }> }).history.map((e) => e.kind);
    expect(kinds[0]).toBe('made');
    expect(kinds.at(-1)).toBe('kept_late');
    expect([...kinds].sort()).toEqual(['broken', 'escalated', 'kept_late', 'made', 'reminded']);
    h().clock.set(t0);
  });

  it('lists my promises today by bucket and my team’s, and counts the kept rate on time and late', async () => {
    const t0 = h().clock.now(); // 14:00 UTC = 08:00 in Chicago
    await promiseOnNewCase(t0 + HOUR); // due soon
    await promiseOnNewCase(t0 + 5 * HOUR); // due today
    await promiseOnNewCase(t0 + 30 * HOUR); // later
    const associate = await org.as('associate');
    const mine = (await associate.get('/api/promises/mine')).json() as Record<string, unknown[]> & { moreToday: boolean };
    expect([mine.overdue!.length, mine.dueSoon!.length, mine.dueToday!.length, mine.keptToday!.length, mine.moreToday]).toEqual([0, 1, 1, 0, false]);
    const later = (await associate.get('/api/promises/mine/later')).json() as { items: Array<{ dueAt: number }>; nextCursor: string | null };
    expect(later).toMatchObject({ items: [{ dueAt: t0 + 30 * HOUR }], nextCursor: null });
    const supervisor = await org.as('supervisor');
    const team = (await supervisor.get(`/api/promises/team?teamId=${org.teams.boxOffice}`)).json() as { items: Array<{ dueAt: number }> };
    expect(team.items.map((i) => i.dueAt)).toEqual([t0 + HOUR, t0 + 5 * HOUR, t0 + 30 * HOUR]);

    h().clock.set(t0 + 2 * HOUR);
    await runner.runDue(); // the first is broken
    const rate = (await associate.get(`/api/promises/kept-rate?scope=person&from=${t0}&to=${t0 + 48 * HOUR}`)).json();
    expect(rate).toMatchObject({ kept: 0, keptLate: 0, broken: 1, onTimeRate: 0, keptRate: 0 });
    const orgRate = (await supervisor.get(`/api/promises/kept-rate?scope=org&from=${t0}&to=${t0 + 48 * HOUR}`)).json();
    expect(orgRate).toMatchObject({ broken: 1 });
    const nowMine = (await associate.get('/api/promises/mine')).json() as Record<string, unknown[]>;
    expect(nowMine.overdue).toHaveLength(1);
    h().clock.set(t0);
  });

  it('pages the promises after today’s buckets apart from them, and continues from the buckets when today holds more', async () => {
    const t0 = h().clock.now(); // 08:00 in Chicago: the day ends at 06:00 UTC tomorrow, t0 + 16 h
    const { promise } = await promiseOnNewCase(t0 + 30 * HOUR);
    const row = await db().selectFrom('promises').selectAll().where('id', '=', promise.id).executeTakeFirstOrThrow();
    const { id: _id, ...copy } = row;
    // 54 more after today (five at the very same due time, so the cursor must break the tie by
    // id), 101 due today, and one at the day's last instant and one at its end.
    const dueAfter = [...Array.from({ length: 49 }, (_, i) => t0 + 20 * HOUR + i * MIN), ...Array(5).fill(t0 + 40 * HOUR)];
    const dueToday = Array.from({ length: 101 }, (_, i) => t0 + 3 * HOUR + i * 1000);
    const dayEnd = t0 + 16 * HOUR;
    for (const due of [...dueAfter, ...dueToday, dayEnd - 1, dayEnd]) await db().insertInto('promises').values({ ...copy, due_at: due }).execute();

    const associate = await org.as('associate');
    type Mine = { dueToday: Array<{ id: number; dueAt: number }>; dueSoon: unknown[]; overdue: unknown[]; moreToday: boolean; laterAfter: string; dayEnd: number };
    const mine = (await associate.get('/api/promises/mine')).json() as Mine;
    expect(mine.dayEnd).toBe(dayEnd);
    expect(mine.moreToday).toBe(true);
    expect(mine.overdue.length + mine.dueSoon.length + mine.dueToday.length).toBe(100);
    const lastShown = mine.dueToday.at(-1)!;
    expect(lastShown.dueAt).toBe(t0 + 3 * HOUR + 99 * 1000); // the soonest 100, in due order

    type Page = { items: Array<{ id: number; dueAt: number }>; nextCursor: string | null };
    async function readAll(first: string) {
      const seen: Page['items'] = [];
      let cursor: string | null = first;
      let pages = 0;
      while (cursor !== null && pages < 10) {
        const res = await associate.get(`/api/promises/mine/later${cursor ? `?after=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as Page;
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      }
      return { seen, pages };
    }
    const inOrder = (xs: Page['items']) => [...xs].sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);

    // From the buckets on: the other 2 due today, then every one from the day's end, each once.
    const rest = await readAll(mine.laterAfter);
    expect(rest.pages).toBe(2);
    expect(rest.seen).toHaveLength(2 + 56);
    expect(new Set(rest.seen.map((s) => s.id)).size).toBe(58);
    expect(rest.seen).toEqual(inOrder(rest.seen));
    expect(rest.seen.slice(0, 2).map((s) => s.dueAt)).toEqual([t0 + 3 * HOUR + 100 * 1000, dayEnd - 1]);
    expect(rest.seen.slice(2).every((s) => s.dueAt >= dayEnd)).toBe(true);

    // With no cursor: from the day's end.
    const later = await readAll('');
    expect(later.seen).toHaveLength(56);
    expect(later.seen[0]!.dueAt).toBe(dayEnd);
    expect(later.seen).toEqual(inOrder(later.seen));

    // When today fits, the list starts at the day's end.
    await db().deleteFrom('promises').where('owner_user_id', '=', org.users.associate.id).where('due_at', '<', dayEnd).execute();
    const fits = (await associate.get('/api/promises/mine')).json() as Mine;
    expect(fits.moreToday).toBe(false);
    const fromEnd = (await associate.get(`/api/promises/mine/later?after=${fits.laterAfter}`)).json() as Page;
    expect(fromEnd.items[0]!.dueAt).toBe(dayEnd);

    const bad = await associate.get('/api/promises/mine/later?after=tomorrow');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'after' });
    const volunteer = await org.as('volunteer');
    expect((await volunteer.get(`/api/promises/mine/later?userId=${org.users.associate.id}`)).statusCode).toBe(403);
    const supervisor = await org.as('supervisor');
    const theirs = (await supervisor.get(`/api/promises/mine/later?userId=${org.users.associate.id}`)).json() as Page;
    expect(theirs.items).toHaveLength(50);
    const stranger = await (await makeOrg(h())).as('admin');
    expect((await stranger.get(`/api/promises/mine/later?userId=${org.users.associate.id}`)).statusCode).toBe(404);
    expect((await stranger.get(`/api/promises/mine?userId=${org.users.associate.id}`)).statusCode).toBe(404);
  });

  it('follows the organization’s day: a new time zone moves today’s bounds at once', async () => {
    const associate = await org.as('associate');
    const before = (await associate.get('/api/promises/mine')).json() as { dayStart: number; dayEnd: number };
    expect(before.dayEnd - before.dayStart).toBe(24 * HOUR);
    const admin = await org.as('admin');
    const zone = await admin.patch('/api/admin/organization', { timeZone: 'Asia/Tokyo' });
    expect(zone.statusCode, zone.body).toBe(200);
    const after = (await associate.get('/api/promises/mine')).json() as { dayStart: number; dayEnd: number };
    const hourOf = (t: number, tz: string) => new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', hourCycle: 'h23' }).format(t);
    expect(hourOf(after.dayStart, 'Asia/Tokyo')).toBe('00');
    expect(after.dayStart).not.toBe(before.dayStart);
  });

  it('answers bad input with a clear 4xx', async () => {
    const associate = await org.as('associate');
    const kase = await logCall(associate);
    const now = h().clock.now();
    const base = { what: 'Call back', how: 'call', permissionAsked: true };

    const past = await associate.post(`/api/cases/${kase.ref}/promises`, { ...base, dueAt: now - MIN });
    expect(past.statusCode).toBe(400);
    expect(past.json().error).toMatchObject({ field: 'dueAt', message: 'dueAt must be in the future' });

    const both = await associate.post(`/api/cases/${kase.ref}/promises`, { ...base, dueAt: now + HOUR, window: { from: now + HOUR, to: now + 2 * HOUR } });
    expect(both.statusCode).toBe(400);
    const how = await associate.post(`/api/cases/${kase.ref}/promises`, { ...base, how: 'pigeon', dueAt: now + HOUR });
    expect(how.statusCode).toBe(400);

    const unknownPatron = await associate.get('/api/patrons/2147483000/promises');
    expect(unknownPatron.statusCode).toBe(404);
    const unknownCase = await associate.post(`/api/cases/SW-999999/promises`, { ...base, dueAt: now + HOUR });
    expect(unknownCase.statusCode).toBe(404);

    const supervisor = await org.as('supervisor');
    await supervisor.patch(`/api/cases/${kase.ref}`, { status: 'resolved' });
    const closed = await supervisor.patch(`/api/cases/${kase.ref}`, { status: 'closed' });
    expect(closed.statusCode, closed.body).toBe(200);
    const onClosed = await associate.post(`/api/cases/${kase.ref}/promises`, { ...base, dueAt: now + HOUR });
    expect(onClosed.statusCode).toBe(409);
    expect(onClosed.json().error.message).toMatch(/closed/);

    const volunteer = await org.as('volunteer');
    expect((await volunteer.get(`/api/promises/mine?userId=${org.users.associate.id}`)).statusCode).toBe(403);
    expect((await volunteer.get(`/api/promises/team?teamId=${org.teams.boxOffice}`)).statusCode).toBe(403);
    expect((await volunteer.get(`/api/promises/kept-rate?scope=person&id=${org.users.associate.id}&from=0&to=1`)).statusCode).toBe(403);
    expect((await volunteer.get('/api/promises/mine')).statusCode).toBe(200);
    const { promise } = await promiseOnNewCase(now + HOUR);
    expect((await volunteer.get(`/api/promises/${promise.id}`)).statusCode).toBe(403);
    expect((await volunteer.post(`/api/promises/${promise.id}/keep`, { entryId: 1 })).statusCode).toBe(403);

    const other = await makeOrg(h());
    const stranger = await other.as('admin');
    expect((await stranger.get(`/api/promises/${promise.id}`)).statusCode).toBe(404);
    expect((await associate.put(`/api/teams/${org.teams.boxOffice}/promise-settings`, { reminderLeadMinutes: 5, escalateAfterMinutes: 0 })).statusCode).toBe(403);
  });

  it('shows the bell’s unread count and marks notifications read', async () => {
    const t0 = h().clock.now();
    const due = t0 + 3 * HOUR;
    const { associate } = await promiseOnNewCase(due);
    expect((await associate.get('/api/notifications/unread')).json()).toEqual({ unread: 0, unreadCapped: false });
    h().clock.set(due - HOUR);
    await runner.runDue();
    const list = (await associate.get('/api/notifications')).json() as { unread: number; items: Array<{ id: number; read: boolean; kind: string }> };
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({ kind: 'promise.reminder', read: false });
    const read = await associate.post('/api/notifications/read', { id: list.items[0]!.id });
    expect(read.json()).toEqual({ unread: 0, unreadCapped: false });
    h().clock.set(t0);
  });
});
