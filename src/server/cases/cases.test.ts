import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { CaseDetail, CaseSummary } from '../../contracts/cases.js';
import { logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';

describeEachDialect('cases', (h, { raceIt }) => {
  it('logs a phone call with a new patron in one request', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const res = await c.post('/api/cases', {
      channel: 'phone',
      patron: { name: 'Ana Abbott', phone: '(312) 555-0142', email: 'Ana@Example.org' },
      subject: 'Exchange tickets for Saturday',
      body: 'Wants to move two tickets to Sunday.',
      road: 'care',
      tags: ['Box Office', 'exchange'],
    });
    expect(res.statusCode).toBe(201);
    const d: CaseDetail = res.json();
    expect(d.ref).toBe(`${org.prefix}-1001`);
    expect(d).toMatchObject({
      channel: 'phone',
      status: 'open',
      priority: 'normal',
      team: { id: org.teams.boxOffice },
      assignee: { id: org.users.associate.id },
      tags: ['box office', 'exchange'],
      firstResponseMs: 0,
    });
    expect(d.statusUrl).toMatch(/^http:\/\/desk\.test\/status\/[A-Za-z0-9_-]{32}$/);
    const message = d.entries.find((e) => e.kind === 'message_in')!;
    expect(message).toMatchObject({ channel: 'phone', road: 'care', author: { type: 'patron', name: 'Ana Abbott' } });
    expect(d.entries.find((e) => e.kind === 'event')?.eventType).toBe('created');
    const patron = (await c.get(`/api/patrons/${d.patron!.id}`)).json();
    expect(patron).toMatchObject({ email: 'ana@example.org', phone: '(312) 555-0142' });
    expect(patron.lastContactAt).toBe(h().clock.now());
  });

  it('links a quick log to the existing patron with that email', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const first = await logCall(c, { patron: { name: 'Ben Baker', email: 'ben@example.org' } });
    const second = await logCall(c, { channel: 'walk_in', patron: { name: 'Benjamin B.', email: 'BEN@example.org' } });
    const a = (await c.get(`/api/cases/${first.ref}`)).json();
    const b = (await c.get(`/api/cases/${second.ref}`)).json();
    expect(b.patron.id).toBe(a.patron.id);
  });

  raceIt('gives distinct, sequential references under concurrent creation', async () => {
    const org = await makeOrg(h(), { prefix: 'CC' });
    const c = await org.as('associate');
    const refs = await Promise.all(
      Array.from({ length: 25 }, (_, i) => logCall(c, { subject: `Concurrent ${i}` }).then((r) => r.ref)),
    );
    const numbers = refs.map((r) => Number(r.split('-')[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 25 }, (_, i) => 1001 + i));
  });

  it('numbers each organization on its own', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    expect((await logCall(await a.as('associate'))).ref).toBe('SW-1001');
    expect((await logCall(await b.as('associate'))).ref).toBe('SW-1001');
  });

  it('writes nothing when a request fails half way', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    // The new patron is inserted before the status is refused: the whole request rolls back.
    const res = await c.post('/api/cases', {
      channel: 'phone',
      patron: { name: 'Ghost Patron', email: 'ghost@example.org' },
      subject: 'Should not exist',
      body: 'Nothing of this may be stored.',
      status: 'closed',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('status');
    const patrons = await h().db.kysely.selectFrom('patrons').select('id').where('email', '=', 'ghost@example.org').execute();
    expect(patrons).toEqual([]);
    expect((await c.get('/api/patrons/lookup?q=ghost')).json().items).toEqual([]);
    expect((await logCall(c)).ref).toBe('SW-1001');
  });

  it('refuses NUL characters and impossible ids with a 400, on every database', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const nul = await c.post('/api/cases', { channel: 'phone', patron: { name: 'A\u0000B' }, subject: 's', body: 'b' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.field).toBe('patron.name');
    const big = await c.get('/api/patrons/99999999999');
    expect(big.statusCode).toBe(400);
    expect(big.json().error.field).toBe('id');
    const team = await c.get('/api/cases?queue=open&teamId=99999999999');
    expect(team.statusCode).toBe(400);
    const assignee = await c.post('/api/cases', { channel: 'phone', patron: { name: 'X' }, subject: 's', body: 'b', assigneeId: 2 ** 40 });
    expect(assignee.json().error.field).toBe('assigneeId');
    const cursor = Buffer.from(JSON.stringify([1, 2 ** 40])).toString('base64url');
    expect((await c.get(`/api/cases?queue=open&after=${cursor}`)).statusCode).toBe(400);
  });

  it('takes an unassigned case with a reply, and never one a colleague took meanwhile', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const supervisor = await org.as('supervisor');
    const { ref } = await logCall(associate, { assigneeId: null });
    const taken = await associate.post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'On it.', take: true });
    expect(taken.statusCode).toBe(201);
    expect(taken.json().assignee).toMatchObject({ id: org.users.associate.id });
    expect(taken.json().entries.map((e: { eventType: string | null }) => e.eventType)).toContain('assignment');
    // Someone else's case is not taken by a reply: nothing is written.
    const late = await supervisor.post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'Me too.', take: true });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.field).toBe('take');
    expect(late.json().error.message).toContain(org.users.associate.actor.name);
    const after = (await supervisor.get(`/api/cases/${ref}`)).json();
    expect(after.entries.map((e: { body: string }) => e.body)).not.toContain('Me too.');
    // Taking one's own case again is no change.
    expect((await associate.post(`/api/cases/${ref}/entries`, { kind: 'note', body: 'Still mine.', take: true })).statusCode).toBe(201);
  });

  it('names the field of every kind of bad input', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const base = { channel: 'phone', patron: { name: 'X' }, subject: 'S', body: 'B' };
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...base, channel: 'fax' }, 'channel'],
      [{ ...base, subject: '   ' }, 'subject'],
      [{ ...base, body: undefined }, 'body'],
      [{ ...base, priority: 'asap' }, 'priority'],
      [{ ...base, tags: ['<script>'] }, 'tags.0'],
      [{ ...base, patronId: 1 }, 'patron'],
      [{ ...base, patron: undefined }, 'patronId'],
      [{ ...base, patron: { name: 'X', email: 'not-an-email' } }, 'patron.email'],
      [{ ...base, teamId: 999999 }, 'teamId'],
      [{ ...base, status: 'closed' }, 'status'],
    ];
    for (const [body, field] of bad) {
      const res = await c.post('/api/cases', body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field, JSON.stringify(res.json())).toBe(field);
    }
  });

  it('answers 404 for an unknown or foreign case and 400 for a malformed reference', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    const theirs = await logCall(await b.as('associate'));
    const c = await a.as('associate');
    expect((await c.get('/api/cases/SW-999999')).statusCode).toBe(404);
    expect((await c.get(`/api/cases/${theirs.ref}`)).statusCode).toBe(404);
    expect((await c.patch(`/api/cases/${theirs.ref}`, { status: 'resolved' })).statusCode).toBe(404);
    const bad = await c.get('/api/cases/1;drop');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('ref');
  });

  it('walks the status rules and refuses an illegal move with the reason', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const { ref } = await logCall(c);
    const set = (status: string, extra: Record<string, unknown> = {}) => c.patch(`/api/cases/${ref}`, { status, ...extra });
    expect((await set('waiting')).json().status).toBe('waiting');
    expect((await set('promised')).json().status).toBe('promised');
    const resolved: CaseDetail = (await set('resolved')).json();
    expect(resolved.resolvedAt).toBe(h().clock.now());
    expect(resolved.allowedStatuses).toEqual(['open', 'closed']);
    const back = await set('new');
    expect(back.statusCode).toBe(409);
    expect((await set('closed')).json().closedAt).toBe(h().clock.now());
    const reopen = await set('open');
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().error.message).toMatch(/closed case reopens when the patron writes again/);
    expect(reopen.json().error.field).toBe('status');
    expect((await c.get(`/api/cases/${ref}`)).json().status).toBe('closed');
  });

  it('lets a supervisor override the rules with a reason, audited; an associate cannot', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const { ref } = await logCall(associate, { status: 'resolved' });
    await associate.patch(`/api/cases/${ref}`, { status: 'closed' });
    const tried = await associate.patch(`/api/cases/${ref}`, { status: 'open', overrideReason: 'I want to' });
    expect(tried.statusCode).toBe(409);
    const supervisor = await org.as('supervisor');
    const noReason = await supervisor.patch(`/api/cases/${ref}`, { status: 'open' });
    expect(noReason.statusCode).toBe(409);
    expect(noReason.json().error.field).toBe('overrideReason');
    const ok = await supervisor.patch(`/api/cases/${ref}`, { status: 'open', overrideReason: 'Closed by mistake' });
    expect(ok.statusCode).toBe(200);
    const d: CaseDetail = ok.json();
    expect(d).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null });
    expect(d.entries.at(-1)).toMatchObject({ eventType: 'status', eventData: { from: 'closed', to: 'open', override: 'Closed by mistake' } });
    const audit = await h().db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'case.status_override').where('org_id', '=', org.orgId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: org.users.supervisor.id, target_id: ref });
  });

  it('reopens a resolved or closed case when the patron writes again', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const { ref } = await logCall(c, { status: 'resolved' });
    await c.patch(`/api/cases/${ref}`, { status: 'closed' });
    h().clock.advance(3600_000);
    const res = await c.post(`/api/cases/${ref}/entries`, { kind: 'patron_message', body: 'Sorry, one more thing.' });
    expect(res.statusCode).toBe(201);
    const d: CaseDetail = res.json();
    expect(d.status).toBe('open');
    expect(d.lastActivityAt).toBe(h().clock.now());
    expect(d.entries.at(-1)).toMatchObject({ eventType: 'status', author: null, eventData: { from: 'closed', to: 'open', reason: 'patron_message' } });
  });

  it('records the first response time once and the resolution time', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const { ref } = await logCall(c, { channel: 'email', patron: { name: 'Email Person', email: 'ep@example.org' }, status: 'new' });
    expect((await c.get(`/api/cases/${ref}`)).json()).toMatchObject({ firstResponseAt: null, status: 'new' });
    h().clock.advance(90 * 60_000);
    const replied: CaseDetail = (await c.post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'Happy to help!', road: 'teach' })).json();
    expect(replied.firstResponseMs).toBe(90 * 60_000);
    expect(replied.status).toBe('open');
    h().clock.advance(30 * 60_000);
    const again: CaseDetail = (await c.post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'And another thing.', status: 'resolved' })).json();
    expect(again.firstResponseMs).toBe(90 * 60_000);
    expect(again.status).toBe('resolved');
    expect(again.resolutionMs).toBe(120 * 60_000);
  });

  it('keeps the timeline: notes, replies, events with names', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const { ref } = await logCall(c);
    await c.post(`/api/cases/${ref}/entries`, { kind: 'note', body: 'Checked the seating chart.' });
    await c.patch(`/api/cases/${ref}`, {
      assigneeId: org.users.supervisor.id,
      teamId: org.teams.development,
      priority: 'high',
      tags: ['vip'],
    });
    const d: CaseDetail = (await c.get(`/api/cases/${ref}`)).json();
    const events = d.entries.filter((e) => e.kind === 'event').map((e) => [e.eventType, e.eventData]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['priority', { from: 'normal', to: 'high' }],
        ['team', { from: { id: org.teams.boxOffice, name: 'Box office' }, to: { id: org.teams.development, name: 'Development' } }],
        ['assignment', { from: { id: org.users.associate.id, name: org.users.associate.actor.name }, to: { id: org.users.supervisor.id, name: org.users.supervisor.actor.name } }],
        ['tags', { added: ['vip'], removed: [] }],
      ]),
    );
    expect(d.entries.find((e) => e.kind === 'note')).toMatchObject({ body: 'Checked the seating chart.', author: { type: 'user', id: org.users.associate.id } });
    const roadOnNote = await c.post(`/api/cases/${ref}/entries`, { kind: 'note', body: 'x', road: 'care' });
    expect(roadOnNote.statusCode).toBe(400);
    expect(roadOnNote.json().error.field).toBe('road');
    const empty = await c.patch(`/api/cases/${ref}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it('pages a long timeline by entry id', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const { ref } = await logCall(c);
    for (let i = 0; i < 60; i++) await c.post(`/api/cases/${ref}/entries`, { kind: 'note', body: `note ${i}` });
    const d: CaseDetail = (await c.get(`/api/cases/${ref}`)).json();
    expect(d.entries).toHaveLength(50);
    expect(d.earlierEntries).toBe(true);
    expect(d.entries.at(-1)!.body).toBe('note 59');
    const earlier = (await c.get(`/api/cases/${ref}/entries?before=${d.entries[0]!.id}`)).json();
    expect(earlier.earlierEntries).toBe(false);
    expect(earlier.entries).toHaveLength(12);
    expect(earlier.entries[0].eventType).toBe('created');
  });

  it('lets volunteers work cases but only admins delete them, audited and uncounted', async () => {
    const org = await makeOrg(h());
    const volunteer = await org.as('volunteer');
    const { ref } = await logCall(volunteer);
    expect((await volunteer.post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'On it!' })).statusCode).toBe(201);
    expect((await volunteer.delete(`/api/cases/${ref}`)).statusCode).toBe(403);
    expect((await (await org.as('supervisor')).delete(`/api/cases/${ref}`)).statusCode).toBe(403);
    const admin = await org.as('admin');
    const before = (await admin.get('/api/cases/counts')).json().open;
    expect((await admin.delete(`/api/cases/${ref}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/cases/${ref}`)).statusCode).toBe(404);
    expect((await admin.get('/api/cases/counts')).json().open).toBe(before - 1);
    const audit = (await admin.get('/api/admin/audit?action=case.deleted')).json().items;
    expect(audit[0]).toMatchObject({ targetId: ref, actor: { id: org.users.admin.id } });
  });
});

describeEachDialect('queues', (h, { raceIt }) => {
  const all = async (c: Awaited<ReturnType<Awaited<ReturnType<typeof makeOrg>>['as']>>, query: string, limit = 4) => {
    const seen: CaseSummary[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const res = await c.get(`/api/cases?${query}&limit=${limit}${after ? `&after=${after}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      seen.push(...page.items);
      after = page.nextCursor;
      if (!after) break;
    }
    return seen;
  };

  it('fills my cases, my team, unassigned and all open, and pages them by keyset', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const refs: string[] = [];
    for (let i = 0; i < 11; i++) {
      h().clock.advance(60_000);
      const mine = i % 3 === 0;
      const team = i % 2 === 0 ? org.teams.boxOffice : org.teams.development;
      const r = await logCall(associate, {
        subject: `Case ${i}`,
        teamId: team,
        assigneeId: mine ? org.users.associate.id : i % 3 === 1 ? null : org.users.supervisor.id,
        status: i === 10 ? 'resolved' : 'open',
      });
      refs.push(r.ref);
    }
    const open = await all(associate, 'queue=open');
    expect(open.map((x) => x.subject)).toEqual(Array.from({ length: 10 }, (_, i) => `Case ${9 - i}`));
    const mine = await all(associate, 'queue=mine');
    expect(mine.map((x) => x.subject)).toEqual(['Case 9', 'Case 6', 'Case 3', 'Case 0']);
    const team = await all(associate, 'queue=team');
    expect(team.every((x) => x.team?.id === org.teams.boxOffice)).toBe(true);
    expect(team).toHaveLength(5);
    const unassigned = await all(associate, 'queue=unassigned');
    expect(unassigned.map((x) => x.subject).sort()).toEqual(['Case 1', 'Case 4', 'Case 7'].sort());
    const everything = await all(associate, 'queue=all', 3);
    expect(everything).toHaveLength(11);
    expect(new Set(everything.map((x) => x.id)).size).toBe(11);
    const oldest = await all(associate, 'queue=open&sort=age', 3);
    expect(oldest.map((x) => x.subject)).toEqual(Array.from({ length: 10 }, (_, i) => `Case ${i}`));
    const counts = (await associate.get('/api/cases/counts')).json();
    expect(counts).toEqual({ mine: 4, team: 5, unassigned: 3, open: 10 });
  });

  it('moves a case to the top of the activity order when something happens', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const old = await logCall(c, { subject: 'Old one' });
    h().clock.advance(60_000);
    await logCall(c, { subject: 'New one' });
    h().clock.advance(60_000);
    await c.post(`/api/cases/${old.ref}/entries`, { kind: 'patron_message', body: 'Any news?' });
    const page = (await c.get('/api/cases?queue=open')).json();
    expect(page.items[0].subject).toBe('Old one');
  });

  it('shows each case\'s tags, in order, on its queue row and on the case', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const tagged = await logCall(c, { subject: 'Tagged', tags: ['zebra', 'Alpha', 'mid'] });
    await logCall(c, { subject: 'Plain' });
    const rows = (await c.get('/api/cases?queue=open')).json().items as CaseSummary[];
    expect(Object.fromEntries(rows.map((r) => [r.subject, r.tags]))).toEqual({ Tagged: ['alpha', 'mid', 'zebra'], Plain: [] });
    expect((await c.get(`/api/cases/${tagged.ref}`)).json().tags).toEqual(['alpha', 'mid', 'zebra']);
  });

  it('combines filters: status, priority, channel, team, assignee, tag', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await logCall(c, { subject: 'A', priority: 'urgent', tags: ['vip'], channel: 'walk_in' });
    await logCall(c, { subject: 'B', priority: 'urgent', channel: 'phone', assigneeId: null });
    await logCall(c, { subject: 'C', status: 'waiting', teamId: org.teams.development });
    const subjects = async (q: string) => (await c.get(`/api/cases?${q}`)).json().items.map((x: CaseSummary) => x.subject).sort();
    expect(await subjects('queue=open&priority=urgent')).toEqual(['A', 'B']);
    expect(await subjects('queue=open&priority=urgent&channel=walk_in')).toEqual(['A']);
    expect(await subjects('queue=open&tag=VIP')).toEqual(['A']);
    expect(await subjects('queue=open&status=waiting')).toEqual(['C']);
    expect(await subjects(`queue=open&teamId=${org.teams.development}`)).toEqual(['C']);
    expect(await subjects('queue=open&assigneeId=none')).toEqual(['B']);
    expect(await subjects(`queue=all&assigneeId=${org.users.associate.id}`)).toEqual(['A', 'C']);
    expect(await subjects('queue=open&status=closed')).toEqual([]);
    const count = (await c.get('/api/cases/count?queue=open&priority=urgent')).json();
    expect(count).toEqual({ count: 2, capped: false });
    const bad = await c.get('/api/cases?queue=open&status=pending');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('status');
    const cursor = await c.get('/api/cases?queue=open&after=bm90LWEtY3Vyc29y');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.field).toBe('after');
  });

  it('keeps the queue counters equal to the real counts through every kind of change', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const sup = await org.as('supervisor');
    const refs: string[] = [];
    for (let i = 0; i < 12; i++) refs.push((await logCall(c, { assigneeId: i % 2 ? null : org.users.associate.id })).ref);
    const moves: Array<[number, Record<string, unknown>]> = [
      [0, { status: 'waiting' }],
      [1, { assigneeId: org.users.associate.id }],
      [2, { teamId: org.teams.development, assigneeId: null }],
      [3, { status: 'resolved' }],
      [4, { status: 'resolved' }],
      [4, { status: 'closed' }],
      [5, { status: 'promised', assigneeId: org.users.supervisor.id }],
      [6, { teamId: null }],
    ];
    for (const [i, body] of moves) expect((await c.patch(`/api/cases/${refs[i]}`, body)).statusCode).toBe(200);
    await sup.patch(`/api/cases/${refs[4]}`, { status: 'open', overrideReason: 'test' });
    await c.post(`/api/cases/${refs[3]}/entries`, { kind: 'patron_message', body: 'again' });
    await (await org.as('admin')).delete(`/api/cases/${refs[7]}`);

    const db = h().db.kysely;
    const open = sql<boolean>`status in ('new', 'open', 'waiting', 'promised')`;
    const real = async (extra: (q: ReturnType<typeof base>) => ReturnType<typeof base>) =>
      Number((await extra(base()).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const base = () => db.selectFrom('cases').where('org_id', '=', org.orgId).where(open);
    const expected = {
      mine: await real((q) => q.where('assignee_id', '=', org.users.associate.id)),
      team: await real((q) => q.where('team_id', '=', org.teams.boxOffice)),
      unassigned: await real((q) => q.where('assignee_id', 'is', null)),
      open: await real((q) => q),
    };
    expect((await c.get('/api/cases/counts')).json()).toEqual(expected);
    // 12 logged, two resolved and both reopened (patron message, override), one deleted.
    expect(expected.open).toBe(11);
  });

  raceIt('keeps counters and status rules right when colleagues change the same cases at once', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const supervisor = await org.as('supervisor');
    const refs: string[] = [];
    for (let i = 0; i < 12; i++) refs.push((await logCall(associate, { subject: `Race ${i}` })).ref);
    // One resolves while another reassigns and a third logs a patron message, all at once.
    await Promise.all(
      refs.flatMap((ref) => [
        associate.patch(`/api/cases/${ref}`, { status: 'resolved' }),
        supervisor.patch(`/api/cases/${ref}`, { assigneeId: org.users.supervisor.id, teamId: org.teams.development }),
        supervisor.post(`/api/cases/${ref}/entries`, { kind: 'patron_message', body: 'Calling again' }),
      ]),
    );
    const db = h().db.kysely;
    const open = sql<boolean>`status in ('new', 'open', 'waiting', 'promised')`;
    const count = async (where: (q: ReturnType<typeof base>) => ReturnType<typeof base>) =>
      Number((await where(base()).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const base = () => db.selectFrom('cases').where('org_id', '=', org.orgId).where(open);
    const counts = (await supervisor.get('/api/cases/counts')).json();
    expect(counts).toEqual({
      mine: await count((q) => q.where('assignee_id', '=', org.users.supervisor.id)),
      team: await count((q) => q.where('team_id', '=', org.teams.boxOffice)),
      unassigned: await count((q) => q.where('assignee_id', 'is', null)),
      open: await count((q) => q),
    });
    const cells = await db.selectFrom('case_counters').select(['status', 'n']).where('org_id', '=', org.orgId).execute();
    expect(cells.every((c) => c.n >= 0)).toBe(true);
    expect(cells.reduce((sum, c) => sum + c.n, 0)).toBe(refs.length);
    // Every case took all three changes, in some order, each from the state the one before left.
    for (const ref of refs) {
      const d: CaseDetail = (await supervisor.get(`/api/cases/${ref}`)).json();
      expect(d.assignee?.id).toBe(org.users.supervisor.id);
      expect(d.entries.filter((e) => e.kind === 'message_in')).toHaveLength(2);
      const moves = d.entries.filter((e) => e.eventType === 'status').map((e) => e.eventData as { from: string; to: string });
      for (let i = 1; i < moves.length; i++) expect(moves[i]!.from).toBe(moves[i - 1]!.to);
    }
  });

  it('saves views per user', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const created = await c.post('/api/views', { name: 'Urgent walk-ins', filters: { queue: 'open', priority: 'urgent', channel: 'walk_in' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().filters).toEqual({ queue: 'open', priority: 'urgent', channel: 'walk_in', sort: 'activity' });
    expect((await c.post('/api/views', { name: 'Urgent walk-ins', filters: {} })).statusCode).toBe(409);
    const badFilter = await c.post('/api/views', { name: 'Broken', filters: { status: 'sleeping' } });
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json().error.field).toBe('filters.status');
    expect((await c.get('/api/views')).json().items.map((v: { name: string }) => v.name)).toEqual(['Urgent walk-ins']);
    const other = await org.as('supervisor');
    expect((await other.get('/api/views')).json().items).toEqual([]);
    expect((await other.delete(`/api/views/${created.json().id}`)).statusCode).toBe(404);
    expect((await c.delete(`/api/views/${created.json().id}`)).statusCode).toBe(200);
    expect((await c.get('/api/views')).json().items).toEqual([]);
  });
});
