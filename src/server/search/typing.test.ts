// Search as associates really type: unfinished words, no accents, phone numbers in any format,
// bare case numbers, junk. One behaviour for the main search and the patron pickers.
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { expect, it } from 'vitest';
import type { SearchResult } from '../../contracts/search.js';
import type { Database } from '../db/types.js';
import { lookupPatrons } from '../patrons/service.js';
import type { Platform } from '../platform/context.js';
import { logCall, makeOrg, type TestOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { search } from './service.js';
import { SearchQuery } from '../../contracts/search.js';

type Client = Awaited<ReturnType<TestOrg['as']>>;
const find = async (c: Client, q: string): Promise<SearchResult> => {
  const res = await c.get(`/api/search?q=${encodeURIComponent(q)}`);
  expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
  return res.json();
};
const lookup = async (c: Client, q: string): Promise<string[]> => {
  const res = await c.get(`/api/patrons/lookup?q=${encodeURIComponent(q)}`);
  expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
  return res.json().items.map((p: { name: string }) => p.name);
};
const subjects = (r: SearchResult) => r.cases.map((x) => x.case.subject);
const patronNames = (r: SearchResult) => r.patrons.map((x) => x.patron.name);

describeEachDialect('search as you type', (h) => {
  it('matches the last word as a prefix, in the main search and in the patron picker', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await logCall(c, { subject: 'Refund for cancelled Hamlet', patron: { name: 'Keiko Tanaka', email: 'keiko@example.org' } });
    await logCall(c, { subject: 'Parking question', patron: { name: 'Victor Gómez', email: 'victor@example.org' } });
    expect(subjects(await find(c, 'refun'))).toEqual(['Refund for cancelled Hamlet']);
    expect(subjects(await find(c, 'refund for canc'))).toEqual(['Refund for cancelled Hamlet']);
    expect(subjects(await find(c, 'cancelled ham'))).toEqual(['Refund for cancelled Hamlet']);
    expect(patronNames(await find(c, 'Kei'))).toEqual(['Keiko Tanaka']);
    expect(patronNames(await find(c, 'Vict'))).toEqual(['Victor Gómez']);
    expect(await lookup(c, 'Kei')).toEqual(['Keiko Tanaka']);
    expect(await lookup(c, 'victor gó')).toEqual(['Victor Gómez']);
    // Only the last word is unfinished: an earlier one must be whole (or a form of it).
    expect(await lookup(c, 'vic gomez')).toEqual([]);
    // The stem of a finished word still counts: "cancelling" finds "cancelled".
    expect(subjects(await find(c, 'cancelling'))).toEqual(['Refund for cancelled Hamlet']);
  });

  it('is blind to accents and case, both ways', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await c.post('/api/patrons', { name: 'Victor Gómez' });
    await c.post('/api/patrons', { name: 'Ana Gomez' });
    await c.post('/api/patrons', { name: 'Søren O’Brien' });
    await c.post('/api/patrons', { name: 'Zoë Müller-Straße' });
    await logCall(c, { subject: 'Lost scarf at the café', patron: undefined, channel: 'internal' });
    await logCall(c, { subject: 'Cafe opening hours', patron: undefined, channel: 'internal' });
    for (const q of ['gomez', 'Gómez', 'GOMEZ', 'gómez']) expect((await lookup(c, q)).sort(), q).toEqual(['Ana Gomez', 'Victor Gómez']);
    for (const q of ['soren obrien', "Søren O'Brien", 'obri', 'o brien']) expect(await lookup(c, q), q).toEqual(['Søren O’Brien']);
    for (const q of ['zoe muller', 'MÜLLER', 'strasse', 'muller-strasse']) expect(await lookup(c, q), q).toEqual(['Zoë Müller-Straße']);
    for (const q of ['cafe', 'café', 'CAFÉ']) expect(subjects(await find(c, q)).sort(), q).toEqual(['Cafe opening hours', 'Lost scarf at the café']);
    const marked = (await find(c, 'gomez')).patrons.find((x) => x.patron.name === 'Victor Gómez')!;
    expect(marked.name).toContainEqual({ text: 'Gómez', hit: true });
  });

  it('finds a phone number however it is written', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await c.post('/api/patrons', { name: 'Omar Novak', phone: '(312) 555-0142' });
    await c.post('/api/patrons', { name: 'Mei Chen', phone: '+1 773 555 0199' });
    for (const q of ['(312) 555-0142', '312-555-0142', '312.555.0142', '3125550142', '+1 312 555 0142', '555-0142', '5550142', '312 555 01']) {
      expect(await lookup(c, q), q).toEqual(['Omar Novak']);
    }
    for (const q of ['773-555-0199', '(773) 555 0199', '7735550199', '555 0199']) expect(await lookup(c, q), q).toEqual(['Mei Chen']);
    expect(patronNames(await find(c, '312 555 0142'))).toEqual(['Omar Novak']);
  });

  it('sends a bare case number or a reference to the case, an email to the patron', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const { ref } = await logCall(c, { patron: { name: 'Imani Ibrahim', email: 'imani@example.org' } });
    const number = ref.split('-')[1]!;
    expect((await find(c, number)).direct).toEqual({ kind: 'case', ref });
    expect((await find(c, ` ${ref.toLowerCase()} `)).direct).toEqual({ kind: 'case', ref });
    expect((await find(c, '99999')).direct).toBeNull();
    expect((await find(c, 'Imani@Example.org')).direct).toMatchObject({ kind: 'patron' });
    expect(await lookup(c, 'imani@example.org')).toEqual(['Imani Ibrahim']);
  });

  it('ranks the subject phrase, then every word in the subject, then anywhere; newest first in each', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const made = async (subject: string, body = 'Please call back.') => (await logCall(c, { subject, body })).ref;
    const phrase1 = await made('Refund request for Hamlet');
    const title1 = await made('Request: a refund');
    const body1 = await made('Question', 'I would like a refund, this is my request.');
    const phrase2 = await made('Urgent refund requested');
    const title2 = await made('Requests and a refund');
    const body2 = await made('Hamlet', 'Refund requests pile up.');
    await made('Parking', 'Where do I park?');
    const refs = (await find(c, 'refund req')).cases.map((x) => x.case.ref);
    expect(refs).toEqual([phrase2, phrase1, title2, title1, body2, body1]);
  });

  it('answers junk with results or a 400 naming q, never a 500', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await logCall(c, { subject: 'Ticket "special" offer 100%' });
    const junk = ['"', '*', 'NEAR(', 'NEAR(a b', '-', '--', '%', '_', '\\', "'", 'a OR 1=1', '"special" offer', '100%', '(*)', '^', '~1'];
    const raw = ['%ED%A0%80', 'a%ED%B0%80b', '%F0%9F%98%80', '%uD800', '%C0%AF', encodeURIComponent('x\uFFFDy')];
    const long = [Array(1000).fill('word').join(' '), 'a'.repeat(10_000), `${'é'.repeat(100)} ${'b'.repeat(100)}`];
    for (const url of [
      ...junk.map((q) => encodeURIComponent(q)),
      ...raw,
      ...long.map((q) => encodeURIComponent(q)),
    ]) {
      for (const path of ['/api/search', '/api/patrons/lookup']) {
        const res = await c.get(`${path}?q=${url}`);
        expect([200, 400], `${path} ${url.slice(0, 40)}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        if (res.statusCode === 400) expect(res.json().error.field, url.slice(0, 40)).toBe('q');
      }
    }
    expect((await c.get(`/api/search?q=${encodeURIComponent(long[1]!)}`)).statusCode).toBe(400);
    expect(subjects(await find(c, '"special" offer'))).toEqual(['Ticket "special" offer 100%']);
    expect(subjects(await find(c, '100%'))).toEqual(['Ticket "special" offer 100%']);
  });

  it('on SQLite, reads every table through an index', async () => {
    if (h().dialect !== 'sqlite') return; // PostgreSQL's plans are read in plans.test.ts
    const org = await makeOrg(h());
    const c = await org.as('associate');
    await logCall(c, { subject: 'Lost umbrella in the lobby', patron: { name: 'Victor Gómez', phone: '(312) 555-0142' } });
    const captured: CompiledQuery[] = [];
    const logged = new Kysely<Database>({
      dialect: new SqliteDialect({ database: h().db.sqlite! }),
      log: (e) => {
        if (e.level === 'query') captured.push(e.query);
      },
    });
    const p: Platform = { ...h().p, db: logged };
    const actor = org.users.associate.actor;
    for (const q of ['lost umbrella', 'umbrella in the lob', 'u', 'gómez', 'zzqx', '312-555-0142', 'the']) {
      await search(p, actor, SearchQuery.parse({ q }));
      await search(p, actor, SearchQuery.parse({ q, status: 'new' }));
      await lookupPatrons(p, actor, q, 8);
    }
    const scans = new Set<string>();
    for (const q of captured.filter((s) => /^\s*select/i.test(s.sql))) {
      const plan = h().db.sqlite!.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>;
      for (const { detail } of plan) {
        if (/^SCAN (search_|cases|patrons|case_entries|patron_notes)/.test(detail) && !/USING/.test(detail)) scans.add(detail);
      }
    }
    expect(captured.length).toBeGreaterThan(50);
    expect([...scans]).toEqual([]);
  });
});
