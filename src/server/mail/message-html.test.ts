// A received message's HTML over HTTP, made again from the stored raw message: remote images only
// when asked for, never a script, and only to those who may read the case's mail.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { inTransaction } from '../platform/tx.js';
import { makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { addTeamAddressIn, createInboundDoor, createMailRuntime, setRelayIn, type MailRuntime } from './api.js';

const fixture = readFileSync(new URL('./fixtures/html-remote-image.eml', import.meta.url));

describeEachDialect('a message’s HTML with its images', (h) => {
  let rt: MailRuntime;
  let runner: JobRunner;
  beforeAll(() => {
    rt = createMailRuntime(h().p, { log: quietLog(), parseWorkers: false });
    runner = new JobRunner({ db: h().db, clock: h().clock, types: rt.jobTypes, log: quietLog() });
  });
  afterAll(() => rt.close());

  /** An organization that has received `raws` at its box office, each threaded into a case. */
  async function received(...raws: Buffer[]): Promise<{ org: TestOrg; refs: string[]; ids: number[] }> {
    const org = await makeOrg(h());
    const box = `boxoffice-${org.slug}@in.servewell.test`;
    await inTransaction(h().p, async (ctx) => {
      await addTeamAddressIn(ctx, org.orgId, org.teams.boxOffice, box);
      await setRelayIn(ctx, org.orgId, { mode: 'catch_all' });
    });
    const door = createInboundDoor(h().p);
    for (const raw of raws) {
      const envelope = { mailFrom: 'priya@patron.example', rcptTo: [box] };
      await door.store({ raw, envelope, remoteAddress: '127.0.0.1', helo: 'mx.patron.example', secure: false, authenticatedAs: null, receivedAt: h().clock.now() });
    }
    await runner.runDue();
    const rows = await h()
      .db.kysely.selectFrom('mail_inbound')
      .innerJoin('cases', 'cases.id', 'mail_inbound.case_id')
      .select(['mail_inbound.id', 'cases.number'])
      .where('mail_inbound.org_id', '=', org.orgId)
      .orderBy('mail_inbound.id')
      .execute();
    expect(rows).toHaveLength(raws.length);
    return { org, refs: rows.map((r) => `${org.prefix}-${r.number}`), ids: rows.map((r) => r.id) };
  }

  it('keeps the remote images out until asked, then puts them back; never a script', async () => {
    const { org, refs, ids } = await received(fixture);
    const associate = await org.as('associate');
    const mail = (await associate.get(`/api/cases/${refs[0]}/mail`)).json();
    expect(mail.inbound[0]).toMatchObject({ id: ids[0], blockedRemoteImages: 1 });
    expect(mail.inbound[0].html.newPart).not.toContain('images.patron.example');

    const blocked = await associate.get(`/api/cases/${refs[0]}/mail/${ids[0]}/html`);
    expect(blocked.statusCode).toBe(200);
    expect(blocked.json()).toMatchObject({ blockedRemoteImages: 1, remoteImages: false });
    expect(blocked.json().newPart).toContain('<span data-blocked-image>[Seating plan]</span>');

    const shown = await associate.get(`/api/cases/${refs[0]}/mail/${ids[0]}/html?images=1`);
    expect(shown.statusCode).toBe(200);
    const body = shown.json();
    expect(body).toMatchObject({ blockedRemoteImages: 0, remoteImages: true });
    expect(body.newPart).toContain('<img src="https://images.patron.example/plan.png" alt="Seating plan"');
    expect(body.newPart).not.toContain('data-blocked-image');
    expect(body.newPart).not.toMatch(/<script|onload|scriptRan/i);
    // The inline logo points where the desk serves it, as in the stored HTML; the history stays apart.
    expect(body.newPart).toMatch(/<img src="\/api\/mail\/blobs\/[0-9a-f]{64}" alt="Our logo"/);
    expect(body.quoted).toContain('<blockquote>Could you send us your <i>table plan</i>?</blockquote>');
    expect(body.newPart).not.toContain('Could you send us');
  });

  it('is for whoever may read the case’s mail: volunteers too, never another organization or a stranger', async () => {
    const { org, refs, ids } = await received(fixture);
    const url = `/api/cases/${refs[0]}/mail/${ids[0]}/html?images=1`;
    const volunteer = await org.as('volunteer');
    expect((await volunteer.get(`/api/cases/${refs[0]}/mail`)).statusCode).toBe(200);
    expect((await volunteer.get(url)).statusCode).toBe(200);
    const other = await makeOrg(h());
    const outsider = await (await other.as('admin')).get(url);
    expect(outsider.statusCode).toBe(404);
    const anonymous = await h().app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers 404 with a reason for a bad case, an unknown message, another case’s message or one without HTML', async () => {
    const plain = Buffer.from(
      'From: Sam <sam@patron.example>\r\nTo: boxoffice@demo.servewell.org\r\nSubject: Just text\r\n' +
        'Message-ID: <plain.0001@patron.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOnly words.\r\n',
    );
    const { org, refs, ids } = await received(fixture, plain);
    const [htmlRef, plainRef] = refs as [string, string];
    const [htmlId, plainId] = ids as [number, number];
    expect(htmlRef).not.toBe(plainRef);
    const associate = await org.as('associate');
    const get = async (url: string) => {
      const res = await associate.get(url);
      return { status: res.statusCode, error: res.json().error as { code: string; message: string; field?: string } };
    };

    expect(await get(`/api/cases/NOPE-1/mail/${htmlId}/html`)).toMatchObject({ status: 404, error: { code: 'not_found', message: 'Case NOPE-1 not found.' } });
    expect(await get(`/api/cases/${org.prefix}-99999/mail/${htmlId}/html`)).toMatchObject({ status: 404, error: { code: 'not_found' } });
    expect(await get(`/api/cases/${htmlRef}/mail/999999/html`)).toMatchObject({
      status: 404,
      error: { code: 'not_found', message: `Message 999999 of case ${htmlRef} not found.` },
    });
    // A message is reached only through its own case.
    expect(await get(`/api/cases/${plainRef}/mail/${htmlId}/html`)).toMatchObject({ status: 404, error: { code: 'not_found' } });
    expect(await get(`/api/cases/${plainRef}/mail/${plainId}/html`)).toMatchObject({
      status: 404,
      error: { code: 'not_found', message: `Message ${plainId} has no HTML; its text is all there is.` },
    });
    // The schemas refuse what is not a message id or an images flag, naming the field.
    expect(await get(`/api/cases/${htmlRef}/mail/abc/html`)).toMatchObject({ status: 400, error: { code: 'invalid' } });
    expect(await get(`/api/cases/${htmlRef}/mail/${htmlId}/html?images=yes`)).toMatchObject({ status: 400, error: { code: 'invalid', field: 'images' } });
  });

  it('is documented with its query and every reply, errors included', async () => {
    const doc = (await h().app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const op = doc.paths['/api/cases/{ref}/mail/{id}/html'].get;
    expect(op.parameters.map((x: { name: string; in: string }) => `${x.in}:${x.name}`)).toEqual(
      expect.arrayContaining(['path:ref', 'path:id', 'query:images']),
    );
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
  });
});
