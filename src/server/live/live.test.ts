import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../platform/http/types.js';
import { signIn } from '../testing/client.js';
import { openStream } from '../testing/stream.js';
import { PASSWORD, logCall, makeOrg } from '../testing/factories.js';
import { TEST_DATABASE_URL, describeEachDialect, dialects, makeHarness, type Harness } from '../testing/harness.js';
import { MAX_STREAMS_PER_USER } from './routes.js';
import { PRESENCE_TTL_MS } from './service.js';


describeEachDialect('live updates', (h) => {
  it('pushes a case change to a colleague’s open stream, and nothing from another organization', async () => {
    const org = await makeOrg(h());
    const other = await makeOrg(h());
    const watcher = await org.as('supervisor');
    const stream = await openStream(h().app, watcher.cookies);
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      expect(stream.nosniff).toBe('nosniff'); // the security headers survive the hijacked reply
      await logCall(await other.as('associate'), { subject: 'Elsewhere' });
      const { ref } = await logCall(await org.as('associate'));
      const created = await stream.waitFor((e) => e.type === 'case.changed' && e.ref === ref);
      expect(created).toMatchObject({ orgId: org.orgId, byUserId: org.users.associate.id, teamId: org.teams.boxOffice });
      await (await org.as('associate')).patch(`/api/cases/${ref}`, { status: 'resolved' });
      const changes = () => stream.events.filter((x) => x.type === 'case.changed' && x.ref === ref).length;
      await stream.waitFor(() => changes() >= 2);
      expect(stream.events.every((e) => e.orgId === org.orgId)).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('filters each event by who may receive it: role and user, not only organization', async () => {
    const org = await makeOrg(h());
    const volunteer = await openStream(h().app, (await org.as('volunteer')).cookies);
    const associate = await openStream(h().app, (await org.as('associate')).cookies);
    try {
      const base = { type: 'presence' as const, orgId: org.orgId, caseId: 1 };
      // Not for volunteers (goodwill, personal notes), then for one user only (a notification).
      await h().p.events.publish({ ...base, ref: 'SW-1', audience: { roles: ['admin', 'supervisor', 'associate'] } });
      await h().p.events.publish({ ...base, ref: 'SW-2', audience: { userIds: [org.users.volunteer.id] } });
      await h().p.events.publish({ ...base, ref: 'SW-3' });
      await volunteer.waitFor((e) => e.type === 'presence' && e.ref === 'SW-3');
      await associate.waitFor((e) => e.type === 'presence' && e.ref === 'SW-3');
      const refs = (s: typeof volunteer) => s.events.map((e) => (e.type === 'presence' ? e.ref : '')).filter(Boolean);
      expect(refs(volunteer)).toEqual(['SW-2', 'SW-3']);
      expect(refs(associate)).toEqual(['SW-1', 'SW-3']);
    } finally {
      volunteer.close();
      associate.close();
    }
  });

  it('ends an open stream when its session is signed out', async () => {
    const org = await makeOrg(h());
    const supervisor = await signIn(h().app, org.users.supervisor.email, PASSWORD);
    const stream = await openStream(h().app, supervisor.cookies);
    try {
      await supervisor.post('/api/auth/logout');
      await stream.ended(5000);
      const { ref } = await logCall(await org.as('associate'));
      await new Promise((r) => setTimeout(r, 200));
      expect(stream.events.some((e) => e.type === 'case.changed' && e.ref === ref)).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('refuses the stream without a session', async () => {
    const res = await h().app.inject({ method: 'GET', url: '/api/events' });
    expect(res.statusCode).toBe(401);
  });

  it('tells colleagues who else is on a case, and who is writing', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const supervisor = await org.as('supervisor');
    const { ref } = await logCall(associate);
    const stream = await openStream(h().app, supervisor.cookies);
    try {
      expect((await associate.put(`/api/cases/${ref}/presence`, { state: 'viewing' })).json().others).toEqual([]);
      const seen = (await supervisor.put(`/api/cases/${ref}/presence`, { state: 'viewing' })).json();
      expect(seen.others).toEqual([expect.objectContaining({ userId: org.users.associate.id, state: 'viewing' })]);

      await associate.put(`/api/cases/${ref}/presence`, { state: 'composing' });
      // Three changes so far: associate viewing, supervisor viewing, associate composing.
      const presenceEvents = () => stream.events.filter((e) => e.type === 'presence' && e.ref === ref).length;
      await stream.waitFor(() => presenceEvents() >= 3);
      const now = (await supervisor.get(`/api/cases/${ref}/presence`)).json();
      expect(now.others).toEqual([expect.objectContaining({ name: org.users.associate.actor.name, state: 'composing' })]);

      // A renewal of the same state is not news: no new event.
      await associate.put(`/api/cases/${ref}/presence`, { state: 'composing' });
      await new Promise((r) => setTimeout(r, 300));
      expect(presenceEvents()).toBe(3);

      await associate.delete(`/api/cases/${ref}/presence`);
      expect((await supervisor.get(`/api/cases/${ref}/presence`)).json().others).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('forgets a colleague who stopped renewing', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    const { ref } = await logCall(associate);
    await associate.put(`/api/cases/${ref}/presence`, { state: 'viewing' });
    h().clock.advance(PRESENCE_TTL_MS + 1);
    expect((await (await org.as('supervisor')).get(`/api/cases/${ref}/presence`)).json().others).toEqual([]);
    const bad = await associate.put(`/api/cases/${ref}/presence`, { state: 'sleeping' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('state');
  });
});

/** A HEAD request over real HTTP: resolves with the status, or rejects after `ms`. */
async function head(app: App, cookies: Record<string, string>, ms: number): Promise<number> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request({
      method: 'HEAD',
      host: '127.0.0.1',
      port,
      path: '/api/events',
      agent: false,
      headers: { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`HEAD /api/events still unanswered after ${ms} ms`));
    }, ms);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => undefined);
    req.end();
  });
}

for (const dialect of dialects()) {
  describe(`live streams and restarts [${dialect}]`, () => {
    it('ends every open stream when the app closes, so a restart is not held up', async () => {
      const h = await makeHarness(dialect);
      const org = await makeOrg(h);
      const streams = await Promise.all(['associate', 'supervisor'].map(async (r) => openStream(h.app, (await org.as(r as 'associate')).cookies)));
      try {
        const started = Date.now();
        await Promise.race([
          h.close(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('app.close() waited on the open streams')), 5000)),
        ]);
        expect(Date.now() - started).toBeLessThan(5000);
        for (const s of streams) await s.ended(1000);
      } finally {
        for (const s of streams) s.close();
      }
    });

    it('answers HEAD /api/events at once and holds no stream slot', async () => {
      const h = await makeHarness(dialect);
      try {
        const org = await makeOrg(h);
        const cookies = (await org.as('associate')).cookies;
        for (let i = 0; i < MAX_STREAMS_PER_USER + 2; i++) expect(await head(h.app, cookies, 2000)).toBe(200);
        const stream = await openStream(h.app, cookies);
        expect(stream.status).toBe(200);
        stream.close();
      } finally {
        await h.close();
      }
    });
  });
}

describe.runIf(TEST_DATABASE_URL)('two app instances on one PostgreSQL', () => {
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    a = await makeHarness('postgres');
    b = await makeHarness('postgres', { pgSchema: a.pgSchema });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('delivers a change made through one instance to a stream on the other', async () => {
    const org = await makeOrg(a);
    const associate = await org.as('associate'); // signed in through instance A
    // The supervisor's browser is connected to instance B (sessions live in the shared database).
    const supervisor = await org.as('supervisor');
    const stream = await openStream(b.app, supervisor.cookies);
    try {
      const { ref } = await logCall(associate, { subject: 'Seen everywhere' });
      const event = await stream.waitFor((e) => e.type === 'case.changed' && e.ref === ref);
      expect(event).toMatchObject({ orgId: org.orgId, byUserId: org.users.associate.id });
      // And presence announced on A is visible to a reader on B.
      await associate.put(`/api/cases/${ref}/presence`, { state: 'composing' });
      const onB = await b.app.inject({ method: 'GET', url: `/api/cases/${ref}/presence`, cookies: supervisor.cookies });
      expect(onB.json().others).toEqual([expect.objectContaining({ userId: org.users.associate.id, state: 'composing' })]);
    } finally {
      stream.close();
    }
  });

  it('ends a session on every instance when it is signed out on one', async () => {
    const org = await makeOrg(a);
    const client = await org.as('associate'); // signed in through A
    const onB = () => b.app.inject({ method: 'GET', url: '/api/session', cookies: client.cookies });
    expect((await onB()).statusCode).toBe(200); // B now holds the session in its cache
    const cookies = { ...client.cookies };
    expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
    // The revocation travels by NOTIFY; allow it a moment to arrive.
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      status = (await b.app.inject({ method: 'GET', url: '/api/session', cookies })).statusCode;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(401);
  });

  it('applies a team or role change on every instance at once', async () => {
    const org = await makeOrg(a);
    const associate = await org.as('associate');
    const admin = await org.as('admin');
    const teamQueueOnB = async () =>
      (await b.app.inject({ method: 'GET', url: '/api/cases?queue=team', cookies: associate.cookies })).json().items.map(
        (c: { subject: string }) => c.subject,
      );
    await logCall(associate, { subject: 'Development matter', teamId: org.teams.development });
    expect(await teamQueueOnB()).toEqual([]); // B caches the associate as Box office
    await admin.patch(`/api/admin/users/${org.users.associate.id}`, { teamId: org.teams.development });
    // "My team" is read from the cached session: it follows only if B dropped its copy.
    let team: string[] = [];
    for (let i = 0; i < 50 && !team.length; i++) {
      team = await teamQueueOnB();
      if (!team.length) await new Promise((r) => setTimeout(r, 20));
    }
    expect(team).toEqual(['Development matter']);

    await admin.patch(`/api/admin/users/${org.users.associate.id}`, { role: 'volunteer' });
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      status = (await b.app.inject({ method: 'GET', url: '/api/session', cookies: associate.cookies })).statusCode;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(401); // a role change ends the user's sessions everywhere
  });
});
