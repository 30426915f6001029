// The admin's mail settings over HTTP: team addresses (several per team, unique install-wide),
// how a team writes, the relay, and a test message delivered through a loopback relay.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { createMailRuntime, type MailRuntime } from './api.js';
import { startRelay, type LoopbackRelay } from './testing/relay.js';

describeEachDialect('the admin’s mail settings', (h) => {
  let relay: LoopbackRelay;
  let rt: MailRuntime;
  beforeAll(async () => {
    relay = await startRelay();
    rt = createMailRuntime(h().p, { log: quietLog() });
  });
  afterAll(async () => {
    await rt.close();
    await relay.close();
  });

  it('adds and removes team addresses, refuses a taken one, and audits each change', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const a = await admin.post('/api/admin/mail/addresses', { teamId: org.teams.boxOffice, address: `Box-${org.slug}@In.Servewell.Test` });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ teamId: org.teams.boxOffice, address: `box-${org.slug}@in.servewell.test` });
    expect((await admin.post('/api/admin/mail/addresses', { teamId: org.teams.boxOffice, address: `tix-${org.slug}@in.servewell.test` })).statusCode).toBe(201);
    const taken = await admin.post('/api/admin/mail/addresses', { teamId: org.teams.development, address: `box-${org.slug}@in.servewell.test` });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.field).toBe('address');
    expect((await admin.post('/api/admin/mail/addresses', { teamId: org.teams.boxOffice, address: 'not an address' })).json().error.field).toBe('address');
    const view = (await admin.get('/api/admin/mail')).json();
    expect(view.addresses).toHaveLength(2);
    expect(view.teams.find((t: { teamId: number }) => t.teamId === org.teams.boxOffice)).toMatchObject({ acknowledge: true });
    expect((await admin.delete(`/api/admin/mail/addresses/${a.json().id}`)).statusCode).toBe(200);
    expect((await admin.get('/api/admin/mail')).json().addresses).toHaveLength(1);
    const associate = await org.as('associate');
    expect((await associate.get('/api/admin/mail')).statusCode).toBe(403);
    const log = await h().db.kysely.selectFrom('audit_log').select('action').where('org_id', '=', org.orgId).where('action', 'like', 'mail.%').execute();
    expect(log.map((r) => r.action).sort()).toEqual(['mail.address_added', 'mail.address_added', 'mail.address_removed']);
  });

  it('sets the relay and sends a test message through it; with no relay the message is held and says so', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    await admin.post('/api/admin/mail/addresses', { teamId: org.teams.boxOffice, address: `box-${org.slug}@in.servewell.test` });
    const runner = new JobRunner({ db: h().db, clock: h().clock, types: rt.jobTypes, log: quietLog() });
    const held = await admin.post('/api/admin/mail/test', { to: 'me@admin.example' });
    expect(held.statusCode).toBe(202);
    await runner.runDue();
    expect((await admin.get(`/api/admin/mail/outbox/${held.json().id}`)).json()).toMatchObject({ state: 'held', stateText: 'Not sent: no relay configured.' });

    const set = await admin.put('/api/admin/mail/relay', { mode: 'smtp', host: '127.0.0.1', port: relay.port, security: 'none', username: 'desk', password: 's3cret', allowSelfSigned: false });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ mode: 'smtp', effective: `smtp://127.0.0.1:${relay.port}`, hasPassword: true });
    expect(JSON.stringify(await h().db.kysely.selectFrom('audit_log').select('detail').where('action', '=', 'mail.relay_changed').execute())).not.toContain('s3cret');
    relay.relayed.length = 0;
    const sent = await admin.post('/api/admin/mail/test', { to: 'me@admin.example' });
    await runner.runDue();
    expect((await admin.get(`/api/admin/mail/outbox/${sent.json().id}`)).json()).toMatchObject({ state: 'sent' });
    // The held one went too, once the relay was there.
    expect(relay.relayed.map((m) => m.to).flat()).toEqual(['me@admin.example', 'me@admin.example']);
  });
});
