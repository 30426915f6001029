import { expect, it } from 'vitest';
import type { PatronDetail } from '../../contracts/patrons.js';
import { inTransaction } from '../platform/tx.js';
import { logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { emailWorks, findPatronByEmail, markContactFailing } from './api.js';

describeEachDialect('patron memory: the profile', (h) => {
  it('keeps pronouns, accessibility, communication preferences and the colleague asked for', async () => {
    const org = await makeOrg(h());
    const other = await makeOrg(h());
    const c = await org.as('associate');
    const p: PatronDetail = (await c.post('/api/patrons', { name: 'Ray Ortiz', pronouns: 'he/him', accessibility: 'Uses a wheelchair' })).json();
    expect(p).toMatchObject({ pronouns: 'he/him', accessibility: 'Uses a wheelchair', communication: { doNotContact: false } });
    const next = await c.patch(`/api/patrons/${p.id}`, {
      contactChannel: 'phone',
      bestTime: 'Weekday mornings',
      doNotContact: true,
      askedForUserId: org.users.supervisor.id,
      language: 'es',
    });
    expect(next.json()).toMatchObject({
      language: 'es',
      communication: { channel: 'phone', bestTime: 'Weekday mornings', doNotContact: true },
      askedFor: { id: org.users.supervisor.id },
    });
    const stranger = await c.patch(`/api/patrons/${p.id}`, { askedForUserId: other.users.supervisor.id });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.field).toBe('askedForUserId');
    const cleared = (await c.patch(`/api/patrons/${p.id}`, { doNotContact: false, pronouns: null })).json();
    expect(cleared).toMatchObject({ pronouns: null, communication: { doNotContact: false } });
  });

  it('holds several emails and phones, labelled, one preferred of each, phones in E.164', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const created = await c.post('/api/patrons', {
      name: 'Mei Chen',
      email: 'Mei@Example.org',
      phone: '(312) 555-0142',
      contacts: [
        { kind: 'email', value: 'mei.chen@work.example', label: 'work' },
        { kind: 'phone', value: '+44 20 7946 0958', label: 'London' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const p: PatronDetail = created.json();
    expect(p.contacts.map((x) => [x.kind, x.value, x.label, x.preferred])).toEqual([
      ['email', 'mei@example.org', null, true],
      ['email', 'mei.chen@work.example', 'work', false],
      ['phone', '+13125550142', null, true],
      ['phone', '+442079460958', 'London', false],
    ]);
    expect(p).toMatchObject({ email: 'mei@example.org', phone: '(312) 555-0142' });

    // A third phone, preferred: the profile's phone follows.
    const more: PatronDetail = (
      await c.post(`/api/patrons/${p.id}/contacts`, { kind: 'phone', value: '773.555.0101', label: 'mobile', preferred: true })
    ).json();
    expect(more.phone).toBe('(773) 555-0101');
    expect(more.contacts.filter((x) => x.kind === 'phone' && x.preferred).map((x) => x.value)).toEqual(['+17735550101']);

    // The work email becomes the preferred one.
    const work = more.contacts.find((x) => x.value === 'mei.chen@work.example')!;
    const switched: PatronDetail = (await c.patch(`/api/patrons/${p.id}/contacts/${work.id}`, { preferred: true, label: 'office' })).json();
    expect(switched.email).toBe('mei.chen@work.example');
    expect(switched.contacts.find((x) => x.id === work.id)).toMatchObject({ preferred: true, label: 'office' });

    // Removing the preferred one promotes the other.
    const removed: PatronDetail = (await c.delete(`/api/patrons/${p.id}/contacts/${work.id}`)).json();
    expect(removed.email).toBe('mei@example.org');
    expect(removed.contacts.filter((x) => x.kind === 'email')).toHaveLength(1);

    const twice = await c.post(`/api/patrons/${p.id}/contacts`, { kind: 'phone', value: '+1 312 555 0142' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.field).toBe('value');
  });

  it('refuses a phone number that cannot exist, naming the field', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const bad = await c.post('/api/patrons', { name: 'Bad Phone', phone: '12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('phone');
    const inList = await c.post('/api/patrons', {
      name: 'Bad List',
      contacts: [
        { kind: 'phone', value: '(312) 555-0100' },
        { kind: 'phone', value: '555-1234567890123' },
      ],
    });
    expect(inList.statusCode).toBe(400);
    expect(inList.json().error.field).toBe('contacts.1.value');
    const p: PatronDetail = (await c.post('/api/patrons', { name: 'Good' })).json();
    const added = await c.post(`/api/patrons/${p.id}/contacts`, { kind: 'phone', value: '020 7946 0958' });
    expect(added.statusCode).toBe(400);
    expect(added.json().error).toMatchObject({ code: 'invalid', field: 'value' });
    const email = await c.post(`/api/patrons/${p.id}/contacts`, { kind: 'email', value: 'not an email' });
    expect(email.json().error.field).toBe('value');
    // Nothing half-written.
    expect((await c.get('/api/patrons/lookup?q=bad')).json().items).toEqual([]);
  });

  it('finds a patron by any of their contact points, and forgets a removed one', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const p: PatronDetail = (await c.post('/api/patrons', { name: 'Ines Duarte', email: 'ines@example.org' })).json();
    const withMore: PatronDetail = (
      await c.post(`/api/patrons/${p.id}/contacts`, { kind: 'email', value: 'duarte.family@example.net', label: 'home' })
    ).json();
    await c.post(`/api/patrons/${p.id}/contacts`, { kind: 'phone', value: '(646) 555-0187' });
    const ids = async (q: string) => (await c.get(`/api/patrons/lookup?q=${encodeURIComponent(q)}`)).json().items.map((x: { id: number }) => x.id);
    expect(await ids('duarte.family@example.net')).toEqual([p.id]);
    expect(await ids('duarte.fam')).toEqual([p.id]);
    expect(await ids('646 555 0187')).toEqual([p.id]);
    expect(await ids('+16465550187')).toEqual([p.id]);
    const search = (await c.get('/api/search?q=duarte.family%40example.net')).json();
    expect(search.direct).toEqual({ kind: 'patron', id: p.id });
    const home = withMore.contacts.find((x) => x.label === 'home')!;
    await c.delete(`/api/patrons/${p.id}/contacts/${home.id}`);
    expect(await ids('duarte.family')).toEqual([]);
  });

  it('opens a case with the patron who holds the email, even when it is not their preferred one', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const p: PatronDetail = (await c.post('/api/patrons', { name: 'Tom Berg', email: 'tom@example.org' })).json();
    await c.post(`/api/patrons/${p.id}/contacts`, { kind: 'email', value: 'tberg@work.example' });
    const res = await c.post('/api/cases', {
      channel: 'email',
      patron: { name: 'T. Berg', email: 'TBerg@work.example' },
      subject: 'Invoice',
      body: 'Please resend the invoice.',
    });
    expect(res.statusCode).toBe(201);
    const detail = (await c.get(`/api/cases/${res.json().ref}`)).json();
    expect(detail.patron.id).toBe(p.id);
    // A new address still makes a new patron, with the address as their contact point.
    const fresh = await c.post('/api/cases', {
      channel: 'email',
      patron: { name: 'New Person', email: 'new@example.org', phone: '(312) 555-0111' },
      subject: 'Hello',
      body: 'First time.',
    });
    const np = (await c.get(`/api/cases/${fresh.json().ref}`)).json().patron;
    const profile: PatronDetail = (await c.get(`/api/patrons/${np.id}`)).json();
    expect(profile.contacts.map((x) => x.value)).toEqual(['new@example.org', '+13125550111']);
  });

  it('marks a bounced address failing wherever it is held (markContactFailing), until it works again', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const a: PatronDetail = (await c.post('/api/patrons', { name: 'Ana Ruiz', email: 'ana@example.org' })).json();
    await c.post(`/api/patrons/${a.id}/contacts`, { kind: 'email', value: 'ruiz.family@example.org' });
    const b: PatronDetail = (await c.post('/api/patrons', { name: 'Luis Ruiz', email: 'ruiz.family@example.org' })).json();
    const marked = await inTransaction(h().p, (ctx) => markContactFailing(ctx, org.orgId, 'Ruiz.Family@example.org', '550 No such user'));
    expect(marked.sort()).toEqual([a.id, b.id].sort());
    const aNow: PatronDetail = (await c.get(`/api/patrons/${a.id}`)).json();
    expect(aNow.contacts.find((x) => x.value === 'ruiz.family@example.org')).toMatchObject({ failing: true, failingReason: '550 No such user' });
    expect(aNow.contacts.find((x) => x.value === 'ana@example.org')!.failing).toBe(false);
    const bRow = await h().db.kysely.selectFrom('patrons').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
    expect(bRow.email_failing_reason).toBe('550 No such user');
    // A phone in any format.
    await c.post(`/api/patrons/${a.id}/contacts`, { kind: 'phone', value: '(312) 555-0177' });
    await inTransaction(h().p, (ctx) => markContactFailing(ctx, org.orgId, '312-555-0177'));
    expect((await c.get(`/api/patrons/${a.id}`)).json().contacts.find((x: { value: string }) => x.value === '+13125550177').failing).toBe(true);
    // Luis writes in from it: it works again.
    await inTransaction(h().p, async (ctx) => emailWorks(ctx, (await findPatronByEmail(ctx.tx, org.orgId, 'ruiz.family@example.org'))!));
    const bNow: PatronDetail = (await c.get(`/api/patrons/${b.id}`)).json();
    expect(bNow.contacts[0]!.failing).toBe(false);
    // Marked by hand at the desk, and back.
    const ana = aNow.contacts.find((x) => x.value === 'ana@example.org')!;
    expect((await c.patch(`/api/patrons/${a.id}/contacts/${ana.id}`, { failing: true })).json().contacts[0].failing).toBe(true);
  });

  it('keeps ongoing needs with every status they went through', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const p: PatronDetail = (await c.post('/api/patrons', { name: 'Sol Park' })).json();
    const withNeed: PatronDetail = (await c.post(`/api/patrons/${p.id}/needs`, { title: 'Hearing loop at every show', note: 'Asked by phone' })).json();
    const need = withNeed.needs[0]!;
    expect(need).toMatchObject({ title: 'Hearing loop at every show', status: 'open' });
    h().clock.advance(1000);
    await c.patch(`/api/patrons/${p.id}/needs/${need.id}`, { status: 'in_progress' });
    h().clock.advance(1000);
    const done: PatronDetail = (await c.patch(`/api/patrons/${p.id}/needs/${need.id}`, { status: 'met', note: 'Seat 14C booked' })).json();
    expect(done.needs[0]!.status).toBe('met');
    expect(done.needs[0]!.history.map((e) => [e.status, e.note, e.by?.id])).toEqual([
      ['open', 'Asked by phone', org.users.associate.id],
      ['in_progress', null, org.users.associate.id],
      ['met', 'Seat 14C booked', org.users.associate.id],
    ]);
    const bad = await c.patch(`/api/patrons/${p.id}/needs/${need.id}`, { status: 'forgotten' });
    expect(bad.json().error.field).toBe('status');
  });

  it('keeps relationship value records in minor units, summed per kind, and never for volunteers', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const p: PatronDetail = (await c.post('/api/patrons', { name: 'Vera Lind' })).json();
    await c.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-03-01', kind: 'donation', amountMinor: 5000, source: 'gala' });
    await c.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-06-15', kind: 'donation', amountMinor: 2550 });
    const after: PatronDetail = (await c.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-01-10', kind: 'membership', amountMinor: 12000 })).json();
    expect(after.value!.summary).toEqual({
      records: 3,
      lastOn: '2026-06-15',
      totals: expect.arrayContaining([
        { kind: 'donation', currency: 'USD', count: 2, amountMinor: 7550 },
        { kind: 'membership', currency: 'USD', count: 1, amountMinor: 12000 },
      ]),
    });
    expect(after.value!.records.map((r) => r.occurredOn)).toEqual(['2026-06-15', '2026-03-01', '2026-01-10']);
    const badDate = await c.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-13-01', kind: 'donation', amountMinor: 1 });
    expect(badDate.json().error.field).toBe('occurredOn');
    const fraction = await c.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-01-01', kind: 'donation', amountMinor: 1.5 });
    expect(fraction.json().error.field).toBe('amountMinor');

    const vol = await org.as('volunteer');
    const seen = await vol.get(`/api/patrons/${p.id}`);
    expect(seen.json().value).toBeNull();
    expect(seen.body).not.toContain('gala');
    expect((await vol.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-01-01', kind: 'donation', amountMinor: 1 })).statusCode).toBe(403);
    const record = after.value!.records[0]!;
    expect((await vol.delete(`/api/patrons/${p.id}/value/${record.id}`)).statusCode).toBe(403);
    const gone: PatronDetail = (await c.delete(`/api/patrons/${p.id}/value/${record.id}`)).json();
    expect(gone.value!.summary.records).toBe(2);
    const audit = await h().db.kysely.selectFrom('audit_log').select(['action', 'target_id']).where('org_id', '=', org.orgId).execute();
    expect(audit).toContainEqual({ action: 'patron.value_deleted', target_id: String(p.id) });
  });

  it('shows the last three contacts, first and last contact, and whether they came back', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const p: PatronDetail = (await c.post('/api/patrons', { name: 'Kai Moreno' })).json();
    const first = await logCall(c, { patron: undefined, patronId: p.id, subject: 'One', status: 'resolved' });
    expect((await c.get(`/api/patrons/${p.id}`)).json().cameBack).toBe(false);
    for (const [subject, channel] of [
      ['Two', 'walk_in'],
      ['Three', 'phone'],
      ['Four', 'walk_in'],
    ] as const) {
      h().clock.advance(60_000);
      await logCall(c, { patron: undefined, patronId: p.id, subject, channel });
    }
    const detail: PatronDetail = (await c.get(`/api/patrons/${p.id}`)).json();
    expect(detail.recentContacts.map((x) => [x.subject, x.channel])).toEqual([
      ['Four', 'walk_in'],
      ['Three', 'phone'],
      ['Two', 'walk_in'],
    ]);
    expect(detail.recentContacts[0]!.ref).toMatch(/^SW-\d+$/);
    expect(detail.cameBack).toBe(true);
    expect(detail.firstContactAt).toBeLessThan(detail.lastContactAt!);
    const history = (await c.get(`/api/cases?queue=all&patronId=${p.id}`)).json();
    expect(history.items.map((x: { ref: string }) => x.ref)).toContain(first.ref);
  });

  it('never returns a personal note or a value record to a volunteer, by any route or search', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const p: PatronDetail = (await sup.post('/api/patrons', { name: 'Greta Holm', email: 'greta@example.org' })).json();
    await sup.post(`/api/patrons/${p.id}/notes`, { kind: 'personal', body: 'Zanzibarite grandson starts college' });
    await sup.post(`/api/patrons/${p.id}/value`, { occurredOn: '2026-02-02', kind: 'donation', amountMinor: 987654, source: 'quokkafund' });
    const { ref } = await logCall(sup, { patron: undefined, patronId: p.id, subject: 'Season tickets' });
    const vol = await org.as('volunteer');
    const secret = /Zanzibarite|quokkafund|987654/i;
    const needs = (await vol.post(`/api/patrons/${p.id}/needs`, { title: 'Large print' })).json() as PatronDetail;
    const contacts = (await vol.post(`/api/patrons/${p.id}/contacts`, { kind: 'phone', value: '(312) 555-0123' })).json() as PatronDetail;
    const phone = contacts.contacts.find((x) => x.kind === 'phone')!;
    const answers = [
      await vol.get(`/api/patrons/${p.id}`),
      await vol.get('/api/patrons/lookup?q=greta'),
      await vol.get('/api/patrons/lookup?q=zanzibarite'),
      await vol.get('/api/search?q=zanzibarite'),
      await vol.get('/api/search?q=quokkafund'),
      await vol.get('/api/search?q=greta'),
      await vol.get(`/api/cases/${ref}`),
      await vol.get(`/api/cases?queue=all&patronId=${p.id}`),
      await vol.patch(`/api/patrons/${p.id}`, { pronouns: 'she/her' }),
      await vol.post(`/api/patrons/${p.id}/notes`, { kind: 'general', body: 'Likes the matinee' }),
      await vol.patch(`/api/patrons/${p.id}/needs/${needs.needs[0]!.id}`, { status: 'met' }),
      await vol.patch(`/api/patrons/${p.id}/contacts/${phone.id}`, { label: 'cell' }),
      await vol.delete(`/api/patrons/${p.id}/contacts/${phone.id}`),
    ];
    for (const a of answers) {
      expect(a.statusCode, a.body).toBeLessThan(300);
      // A search echoes the words asked for; everything else it answers must hold none of it.
      expect(JSON.stringify({ ...a.json(), terms: undefined })).not.toMatch(secret);
    }
    expect((await vol.get('/api/patrons/lookup?q=zanzibarite')).json().items).toEqual([]);
    // Staff do find the patron by the note.
    expect((await sup.get('/api/search?q=zanzibarite')).json().patrons.map((x: { patron: { id: number } }) => x.patron.id)).toEqual([p.id]);
  });
});
