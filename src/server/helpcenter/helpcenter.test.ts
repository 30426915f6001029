import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../contracts/cases.js';
import { Client } from '../testing/client.js';
import { makeOrg } from '../testing/factories.js';
import { describeEachDialect, dialects, makeHarness, type Harness } from '../testing/harness.js';

const form = {
  name: 'Carla Chen',
  email: 'Carla.Chen@example.org',
  subject: 'Wheelchair seating for Friday',
  message: 'My father uses a wheelchair. Is there space on Friday evening?',
};
const tokenOf = (statusUrl: string) => statusUrl.split('/status/')[1]!;

describeEachDialect('the public web form and status page', (h, { raceIt }) => {
  it('opens a case in the default team queue, linking the patron by email', async () => {
    const org = await makeOrg(h());
    const patron = new Client(h().app, '203.0.113.5');
    const res = await patron.post(`/api/public/orgs/${org.slug}/cases`, form);
    expect(res.statusCode).toBe(201);
    const { reference, statusUrl } = res.json();
    expect(reference).toBe('SW-1001');
    expect(statusUrl).toMatch(/^http:\/\/desk\.test\/status\/[A-Za-z0-9_-]{32}$/);

    const associate = await org.as('associate');
    const team = (await associate.get('/api/cases?queue=team')).json().items;
    expect(team.map((c: { ref: string }) => c.ref)).toContain(reference);
    const d: CaseDetail = (await associate.get(`/api/cases/${reference}`)).json();
    expect(d).toMatchObject({ channel: 'web', status: 'new', assignee: null, team: { id: org.teams.boxOffice } });
    expect(d.entries.find((e) => e.kind === 'message_in')).toMatchObject({ author: { type: 'patron', name: 'Carla Chen' } });

    const again = await patron.post(`/api/public/orgs/${org.slug}/cases`, { ...form, name: 'C. Chen', email: 'carla.chen@EXAMPLE.org', subject: 'Another question' });
    const second: CaseDetail = (await associate.get(`/api/cases/${again.json().reference}`)).json();
    expect(second.patron!.id).toBe(d.patron!.id);
  });

  it('acknowledges a web-form case by email with its reference and private status link, and mails replies', async () => {
    const org = await makeOrg(h());
    const patron = new Client(h().app, '203.0.113.9');
    const { reference, statusUrl } = (await patron.post(`/api/public/orgs/${org.slug}/cases`, form)).json();
    const outbox = () => h().db.kysely.selectFrom('mail_outbox').select(['kind', 'envelope_to', 'raw']).where('org_id', '=', org.orgId).orderBy('id').execute();
    const [ack] = await outbox();
    expect(ack!.kind).toBe('acknowledgement');
    expect(JSON.parse(ack!.envelope_to)).toEqual(['carla.chen@example.org']);
    const text = Buffer.from(ack!.raw).toString();
    expect(text).toContain(`[${reference}]`);
    expect(text).toContain(statusUrl);
    // The reply to a web-form case goes to the patron's email.
    const associate = await org.as('associate');
    expect((await associate.post(`/api/cases/${reference}/entries`, { kind: 'reply', body: 'Yes, row A has space.' })).statusCode).toBe(201);
    const [, reply] = await outbox();
    expect(reply!.kind).toBe('reply');
    expect(JSON.parse(reply!.envelope_to)).toEqual(['carla.chen@example.org']);
  });

  it('keeps the status API out of caches and out of Referer headers', async () => {
    const org = await makeOrg(h());
    const patron = new Client(h().app);
    const { statusUrl } = (await patron.post(`/api/public/orgs/${org.slug}/cases`, form)).json();
    const token = tokenOf(statusUrl);
    for (const res of [
      await patron.get(`/api/public/status/${token}`),
      await patron.post(`/api/public/status/${token}/messages`, { message: 'Any news?' }),
      await patron.get('/api/public/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    ]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('lets staff rotate a status link: a new token, the old link dead, audited', async () => {
    const org = await makeOrg(h());
    const { reference, statusUrl } = (await new Client(h().app).post(`/api/public/orgs/${org.slug}/cases`, form)).json();
    const associate = await org.as('associate');
    const volunteer = await org.as('volunteer');
    expect((await volunteer.post(`/api/cases/${reference}/status-link`)).statusCode).toBe(403);
    const res = await associate.post(`/api/cases/${reference}/status-link`);
    expect(res.statusCode).toBe(200);
    const fresh: string = res.json().statusUrl;
    expect(fresh).toMatch(/^http:\/\/desk\.test\/status\/[A-Za-z0-9_-]{32}$/);
    expect(fresh).not.toBe(statusUrl);
    const patron = new Client(h().app);
    expect((await patron.get(`/api/public/status/${tokenOf(statusUrl)}`)).statusCode).toBe(404);
    expect((await patron.post(`/api/public/status/${tokenOf(statusUrl)}/messages`, { message: 'Hello?' })).statusCode).toBe(404);
    expect((await patron.get(`/api/public/status/${tokenOf(fresh)}`)).json().reference).toBe(reference);
    const audit = (await (await org.as('admin')).get('/api/admin/audit?action=case.status_link_rotated')).json();
    expect(audit.items).toEqual([expect.objectContaining({ targetId: reference, actor: expect.objectContaining({ id: org.users.associate.id }) })]);
    expect(JSON.stringify(audit.items)).not.toContain(tokenOf(statusUrl));
  });

  it('shows volunteers no status link', async () => {
    const org = await makeOrg(h());
    const { reference } = (await new Client(h().app).post(`/api/public/orgs/${org.slug}/cases`, form)).json();
    const volunteer = await org.as('volunteer');
    const seen = (await volunteer.get(`/api/cases/${reference}`)).json();
    expect(seen.statusUrl).toBeNull();
    const noted = (await volunteer.post(`/api/cases/${reference}/entries`, { kind: 'note', body: 'Called back' })).json();
    expect(noted.statusUrl).toBeNull();
    expect((await (await org.as('associate')).get(`/api/cases/${reference}`)).json().statusUrl).toMatch(/\/status\//);
  });

  raceIt('makes one patron when the same new address writes twice at once', async () => {
    const org = await makeOrg(h());
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        new Client(h().app, `203.0.113.${i + 10}`).post(`/api/public/orgs/${org.slug}/cases`, {
          ...form,
          email: 'twice@example.org',
          subject: `Parallel ${i}`,
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    const patrons = await h().db.kysely.selectFrom('patrons').select('id').where('email', '=', 'twice@example.org').execute();
    expect(patrons).toHaveLength(1);
  });

  it('shows the patron the conversation and never an internal note or event', async () => {
    const org = await makeOrg(h());
    const patron = new Client(h().app);
    const { reference, statusUrl } = (await patron.post(`/api/public/orgs/${org.slug}/cases`, form)).json();
    const associate = await org.as('associate');
    await associate.post(`/api/cases/${reference}/entries`, { kind: 'note', body: 'INTERNAL: father is a board member' });
    await associate.post(`/api/cases/${reference}/entries`, { kind: 'reply', body: 'Yes, row A has a space for Friday.', status: 'waiting' });
    await associate.patch(`/api/cases/${reference}`, { priority: 'high' });

    const status = await patron.get(`/api/public/status/${tokenOf(statusUrl)}`);
    expect(status.statusCode).toBe(200);
    const view = status.json();
    expect(view).toMatchObject({ reference, subject: form.subject, status: 'waiting' });
    expect(view.entries.map((e: { from: string; body: string }) => [e.from, e.body])).toEqual([
      ['you', form.message],
      ['staff', 'Yes, row A has a space for Friday.'],
    ]);
    expect(view.entries[1].authorName).toBe(org.users.associate.actor.name.split(' ')[0]);
    expect(status.body).not.toContain('INTERNAL');
    expect(status.body).not.toContain(org.users.associate.email);
  });

  it('takes the patron’s reply on the status page and brings the case back', async () => {
    const org = await makeOrg(h());
    const patron = new Client(h().app);
    const { reference, statusUrl } = (await patron.post(`/api/public/orgs/${org.slug}/cases`, form)).json();
    const associate = await org.as('associate');
    await associate.post(`/api/cases/${reference}/entries`, { kind: 'reply', body: 'Done!', status: 'resolved' });
    const reply = await patron.post(`/api/public/status/${tokenOf(statusUrl)}/messages`, { message: 'Thank you! Can I add a companion seat?' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().status).toBe('open');
    const d: CaseDetail = (await associate.get(`/api/cases/${reference}`)).json();
    expect(d.status).toBe('open');
    expect(d.entries.filter((e) => e.kind === 'message_in').at(-1)).toMatchObject({ channel: 'web', author: { type: 'patron' } });
    const empty = await patron.post(`/api/public/status/${tokenOf(statusUrl)}/messages`, { message: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toBe('message');
  });

  it('reveals nothing for a guessed or malformed link', async () => {
    const org = await makeOrg(h());
    const c = new Client(h().app);
    await c.post(`/api/public/orgs/${org.slug}/cases`, form);
    const guessed = await c.get('/api/public/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(guessed.statusCode).toBe(404);
    const bad = await c.get('/api/public/status/../../api');
    expect([400, 404]).toContain(bad.statusCode);
    const sql = await c.get(`/api/public/status/${encodeURIComponent("' or 1=1 --")}`);
    expect(sql.statusCode).toBe(400);
    expect(sql.json().error.field).toBe('token');
    expect((await c.post('/api/public/orgs/no-such-org/cases', form)).statusCode).toBe(404);
  });

  it('names the field of a bad submission and stores nothing', async () => {
    const org = await makeOrg(h());
    const c = new Client(h().app);
    for (const [body, field] of [
      [{ ...form, email: 'not an email' }, 'email'],
      [{ ...form, name: '' }, 'name'],
      [{ ...form, message: undefined }, 'message'],
      [{ ...form, subject: 'x'.repeat(201) }, 'subject'],
    ] as const) {
      const res = await c.post(`/api/public/orgs/${org.slug}/cases`, body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    const count = await h().db.kysely.selectFrom('cases').select('id').where('org_id', '=', org.orgId).execute();
    expect(count).toEqual([]);
  });

  it('quietly drops a submission whose honeypot is filled', async () => {
    const org = await makeOrg(h());
    const bot = new Client(h().app);
    const res = await bot.post(`/api/public/orgs/${org.slug}/cases`, { ...form, website: 'http://spam.example' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ reference: null, statusUrl: null });
    const rows = await h().db.kysely.selectFrom('cases').select('id').where('org_id', '=', org.orgId).execute();
    expect(rows).toEqual([]);
    const patrons = await h().db.kysely.selectFrom('patrons').select('id').where('org_id', '=', org.orgId).execute();
    expect(patrons).toEqual([]);
  });

  it('describes the organization to the public', async () => {
    const org = await makeOrg(h());
    const res = await new Client(h().app).get(`/api/public/orgs/${org.slug}`);
    expect(res.json()).toMatchObject({ slug: org.slug, timeZone: 'America/Chicago' });
    expect(res.body).not.toContain('casePrefix');
  });
});

for (const dialect of dialects()) {
  describe(`web form rate limit [${dialect}]`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(dialect, { rateLimits: { publicForm: { max: 2, timeWindow: '10 minutes' } } });
    });
    afterAll(() => h.close());

    it('limits submissions per address', async () => {
      const org = await makeOrg(h);
      const spammer = new Client(h.app, '198.51.100.7');
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await spammer.post(`/api/public/orgs/${org.slug}/cases`, { ...form, subject: `n${i}` })).statusCode);
      expect(codes).toEqual([201, 201, 429, 429]);
      const limited = await spammer.post(`/api/public/orgs/${org.slug}/cases`, form);
      expect(limited.json().error.code).toBe('rate_limited');
      const neighbour = new Client(h.app, '198.51.100.8');
      expect((await neighbour.post(`/api/public/orgs/${org.slug}/cases`, form)).statusCode).toBe(201);
    });
  });
}
