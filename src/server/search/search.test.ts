import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../contracts/search.js';
import { openCase } from '../cases/api.js';
import { highlight, snippet } from '../platform/search/highlight.js';
import { contactText, parseQuery } from '../platform/search/index.js';
import { inTransaction } from '../platform/tx.js';
import { signIn } from '../testing/client.js';
import { PASSWORD, logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { startOfDay } from './service.js';

type Client = Awaited<ReturnType<Awaited<ReturnType<typeof makeOrg>>['as']>>;
const find = async (c: Client, q: string, extra = ''): Promise<SearchResult> => {
  const res = await c.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const refs = (r: SearchResult) => r.cases.map((x) => x.case.ref);

describeEachDialect('search', (h) => {
  it('follows creates, edits, new messages and deletes', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const { ref } = await logCall(c, { subject: 'Balcony heating broken', body: 'It was freezing upstairs.' });
    expect(refs(await find(c, 'balcony heating'))).toEqual([ref]);
    expect(refs(await find(c, 'freezing upstairs'))).toEqual([ref]);

    await c.patch(`/api/cases/${ref}`, { subject: 'Balcony vent repaired' });
    expect(refs(await find(c, 'heating'))).toEqual([]);
    expect(refs(await find(c, 'vent repaired'))).toEqual([ref]);
    expect(refs(await find(c, 'freezing'))).toEqual([ref]);

    await c.post(`/api/cases/${ref}/entries`, { kind: 'reply', body: 'Our technician replaced the thermostat.' });
    await c.post(`/api/cases/${ref}/entries`, { kind: 'note', body: 'Invoice from Acme Mechanical.' });
    expect(refs(await find(c, 'thermostat'))).toEqual([ref]);
    expect(refs(await find(c, 'acme mechanical'))).toEqual([ref]);

    await (await org.as('admin')).delete(`/api/cases/${ref}`);
    expect(refs(await find(c, 'thermostat'))).toEqual([]);
  });

  it('writes the index in the same transaction as the case: a rollback leaves no trace', async () => {
    const org = await makeOrg(h());
    const p = h().p;
    await expect(
      inTransaction(p, async (ctx) => {
        await openCase(
          ctx,
          {
            orgId: org.orgId,
            channel: 'web',
            patronId: null,
            subject: 'Phantom zebra crossing',
            body: 'This case never commits.',
            direction: 'in',
            status: 'new',
            priority: 'normal',
            teamId: null,
            assigneeId: null,
            tags: [],
            createdBy: null,
          },
        );
        // Inside the transaction the document is there…
        expect(await ctx.search.documentIds(ctx.tx, 'case', 'zebra')).toHaveLength(1);
        throw new Error('crash after the write');
      }),
    ).rejects.toThrow('crash after the write');
    // …and after the rollback the index itself holds nothing: not even a row no case joins.
    expect(await p.search.documentIds(p.db, 'case', 'zebra')).toEqual([]);
    const c = await org.as('associate');
    expect((await find(c, 'phantom zebra')).cases).toEqual([]);
  });

  it('ranks a subject match above the same words in a message body', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const body = await logCall(c, {
      subject: 'Question about my account',
      body: 'I need a refund request form. Where is the refund request form? The refund request is urgent.',
    });
    const subject = await logCall(c, { subject: 'Refund request', body: 'Please call me back.' });
    await logCall(c, { subject: 'Parking', body: 'Where do I park?' });
    const r = await find(c, 'refund request');
    expect(refs(r)).toEqual([subject.ref, body.ref]);
  });

  it('never lets a volunteer find what a volunteer may not see', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const patron = (await sup.post('/api/patrons', { name: 'Wendy Walker' })).json();
    await sup.post(`/api/patrons/${patron.id}/notes`, { kind: 'personal', body: 'Undergoing chemotherapy; prefers afternoon calls.' });
    const supResult = await find(sup, 'chemotherapy');
    expect(supResult.patrons.map((x) => x.patron.id)).toEqual([patron.id]);
    expect(supResult.patrons[0]!.fromPersonalNote).toBe(true);
    expect(supResult.patrons[0]!.snippet.some((s) => s.hit && /chemotherapy/i.test(s.text))).toBe(true);

    const vol = await org.as('volunteer');
    const res = await vol.get('/api/search?q=chemotherapy');
    expect(res.json().patrons).toEqual([]);
    expect(res.body).not.toContain('afternoon');
    // The volunteer still finds the patron by name, without the note.
    const byName = await find(vol, 'wendy');
    expect(byName.patrons.map((x) => x.patron.id)).toEqual([patron.id]);
    expect(JSON.stringify(byName)).not.toContain('afternoon');
  });

  it('gives a patron’s contact points once: highlighted, and no snippet repeating them', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await c.post('/api/patrons', { name: 'Xavier Xu', email: 'xavier.xu@example.org', phone: '(312) 555-0199' });
    const hit = (await find(c, 'xavier')).patrons[0]!;
    expect(hit.patron.email).toBe('xavier.xu@example.org');
    expect(hit.snippet).toEqual([]);
    expect(hit.contact.map((s) => s.text).join('')).toBe('xavier.xu@example.org · (312) 555-0199');
    expect(hit.contact.some((s) => s.hit)).toBe(true);
  });

  it('never returns another organization’s cases or patrons', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    await logCall(await b.as('associate'), { subject: 'Confidential merger memo', patron: { name: 'Xavier Confidential' } });
    const r = await find(await a.as('supervisor'), 'confidential');
    expect(r.cases).toEqual([]);
    expect(r.patrons).toEqual([]);
  });

  it('jumps straight to a reference or an email address', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const { ref } = await logCall(c, { patron: { name: 'Imani Ibrahim', email: 'imani@example.org' } });
    expect((await find(c, ref)).direct).toEqual({ kind: 'case', ref });
    expect((await find(c, ref.toLowerCase())).direct).toEqual({ kind: 'case', ref });
    const byEmail = await find(c, 'IMANI@example.org');
    expect(byEmail.direct).toMatchObject({ kind: 'patron' });
    expect((await find(c, 'SW-999999')).direct).toBeNull();
  });

  it('combines the query with status, team and date filters', async () => {
    const org = await makeOrg(h());
    const early = await logCall(await org.as('associate'), { subject: 'Lost umbrella row F', status: 'resolved' });
    h().clock.advance(3 * 86_400_000);
    const c = await signIn(h().app, org.users.associate.email, PASSWORD); // the old session expired
    const late = await logCall(c, { subject: 'Lost umbrella lobby', teamId: org.teams.development });
    expect(refs(await find(c, 'lost umbrella')).sort()).toEqual([early.ref, late.ref].sort());
    expect(refs(await find(c, 'lost umbrella', '&status=resolved'))).toEqual([early.ref]);
    expect(refs(await find(c, 'lost umbrella', `&teamId=${org.teams.development}`))).toEqual([late.ref]);
    const day = new Date(h().clock.now()).toISOString().slice(0, 10);
    expect(refs(await find(c, 'lost umbrella', `&from=${day}`))).toEqual([late.ref]);
    expect(refs(await find(c, 'lost umbrella', `&to=${day}`)).sort()).toEqual([early.ref, late.ref].sort());
    const bad = await c.get('/api/search?q=x&from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('from');
    const impossible = await c.get('/api/search?q=x&to=2026-02-31');
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().error.field).toBe('to');
    const empty = await c.get('/api/search?q=');
    expect(empty.json().error.field).toBe('q');
  });

  it('marks the matched words and pages by position', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    for (let i = 0; i < 5; i++) await logCall(c, { subject: `Refunded tickets batch ${i}`, body: 'Refunds were processed.' });
    const first = await find(c, 'refunds', '&limit=2');
    expect(first.cases).toHaveLength(2);
    expect(first.nextOffset).toBe(2);
    expect(first.cases[0]!.subject).toEqual(expect.arrayContaining([{ text: 'Refunded', hit: true }]));
    const rest = await find(c, 'refunds', '&limit=2&offset=2');
    const last = await find(c, 'refunds', '&limit=2&offset=4');
    const all = [...refs(first), ...refs(rest), ...refs(last)];
    expect(new Set(all).size).toBe(5);
    expect(last.nextOffset).toBeNull();
  });

  it('keeps the index right when two people edit one patron at once', async () => {
    const org = await makeOrg(h());
    const a = await org.as('associate');
    const b = await org.as('supervisor');
    const patron = (await a.post('/api/patrons', { name: 'Dana Duarte' })).json();
    const names = ['Rosa Reyes', 'Tara Thompson', 'Uma Ueda', 'Yara Young', 'Omar Obrien', 'Nora Novak'];
    const res = await Promise.all(names.map((name, i) => (i % 2 ? a : b).patch(`/api/patrons/${patron.id}`, { name })));
    expect(res.map((r) => r.statusCode)).toEqual(names.map(() => 200));
    const final = (await a.get(`/api/patrons/${patron.id}`)).json().name as string;
    for (const name of [...names, 'Dana Duarte']) {
      const found = (await find(a, name)).patrons.map((x) => x.patron.name);
      expect(found, name).toEqual(name === final ? [final] : []);
    }
  });

  it('treats punctuation in a query as plain text', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await logCall(c, { subject: 'Ticket "special" offer' });
    for (const q of ['"', 'special" OR 1=1', 'NEAR(', '*', "o'brien", '-- ;']) {
      const res = await c.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
    }
    expect(refs(await find(c, '"special" offer'))).toHaveLength(1);
  });
});

describe('search text helpers', () => {
  it('splits a query into index words', () => {
    expect(parseQuery('  Refund, REQUEST! sw-1042 refund ').words).toEqual(['refund', 'request', 'sw', '1042']);
  });

  it('indexes an email and a phone number by their parts', () => {
    const t = contactText('jane.doe@example.org', '(312) 555-0142');
    expect(t).toContain('jane.doe@example.org');
    expect(t).toContain('3125550142');
    expect(t).toContain('5550142');
  });

  it('highlights stems and builds a snippet around the first match', () => {
    expect(highlight('We refunded it', parseQuery('refunds'))).toEqual([
      { text: 'We ', hit: false },
      { text: 'refunded', hit: true },
      { text: ' it', hit: false },
    ]);
    const long = `${'filler '.repeat(60)}the parking garage is free ${'after '.repeat(60)}`;
    const s = snippet(long, parseQuery('parking'));
    expect(s[0]!.text.startsWith('… ')).toBe(true);
    expect(s.find((x) => x.hit)?.text).toBe('parking');
    expect(s.map((x) => x.text).join('').length).toBeLessThan(200);
  });

  it('finds midnight in the organization’s time zone', () => {
    expect(new Date(startOfDay('2026-11-23', 'America/Chicago')).toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(new Date(startOfDay('2026-07-01', 'Europe/Paris')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });
});
