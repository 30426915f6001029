import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import type { PatronDetail, PatronListPage } from '../../contracts/patrons.js';
import type { Client } from '../testing/client.js';
import { makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { EXPORT_PAGE, formatMoney } from './list.js';

const BOM = '\uFEFF';

describeEachDialect('the patron list and its CSV export', (h) => {
  async function everyPage(c: Client, filters: string, limit: number) {
    const ids: number[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const res = await c.get(`/api/patrons?limit=${limit}${filters}${after ? `&after=${after}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page: PatronListPage = res.json();
      ids.push(...page.items.map((x) => x.id));
      after = page.nextCursor;
      if (!after) return ids;
    }
    throw new Error('the cursor never ended');
  }

  const csvOf = (body: string) => {
    expect(body.startsWith(BOM)).toBe(true);
    return parse(body.slice(BOM.length), { columns: true }) as Array<Record<string, string>>;
  };

  it('returns every patron exactly once across pages, newest first, ties broken by id', async () => {
    const org = await makeOrg(h());
    const c = await org.as('volunteer');
    const made: number[] = [];
    // Most are created at the same instant (the test clock stands still): the cursor must
    // carry the id, not only the time.
    for (let i = 0; i < 23; i++) {
      made.push((await c.post('/api/patrons', { name: `Patron ${String(i).padStart(2, '0')}` })).json().id);
      if (i % 7 === 6) h().clock.advance(1000);
    }
    const other = await makeOrg(h());
    await (await other.as('associate')).post('/api/patrons', { name: 'Someone Else' });
    for (const limit of [1, 5, 23, 100]) {
      const ids = await everyPage(c, '', limit);
      expect(ids).toHaveLength(23);
      expect(new Set(ids).size).toBe(23);
      expect(ids).toEqual([...made].reverse());
    }
  });

  it('filters by search, failing contact points, do-not-contact and creation days', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    const jamal: PatronDetail = (await c.post('/api/patrons', { name: 'Jamal Johnson', email: 'jamal@example.org' })).json();
    const janet: PatronDetail = (await c.post('/api/patrons', { name: 'Janet Jackson', phone: '(312) 555-0199' })).json();
    const omar: PatronDetail = (await c.post('/api/patrons', { name: 'Omar Novak', email: 'omar@example.org' })).json();
    await c.patch(`/api/patrons/${janet.id}`, { doNotContact: true });
    await c.patch(`/api/patrons/${omar.id}/contacts/${omar.contacts[0]!.id}`, { failing: true });
    // Jamal came in on 2026-11-01 (Chicago), Janet on the 10th, Omar on the 23rd (the clock's day).
    const day = (iso: string) => Date.parse(iso);
    await h().db.kysely.updateTable('patrons').set({ created_at: day('2026-11-01T12:00:00-06:00') }).where('id', '=', jamal.id).execute();
    await h().db.kysely.updateTable('patrons').set({ created_at: day('2026-11-10T23:30:00-06:00') }).where('id', '=', janet.id).execute();
    const names = async (filters: string) => {
      const res = await c.get(`/api/patrons?${filters}`);
      expect(res.statusCode).toBe(200);
      return (res.json() as PatronListPage).items.map((x) => x.name).sort();
    };
    expect(await names('')).toEqual(['Jamal Johnson', 'Janet Jackson', 'Omar Novak']);
    expect(await names('q=ja')).toEqual(['Jamal Johnson', 'Janet Jackson']);
    expect(await names('q=jamal%40example.org')).toEqual(['Jamal Johnson']);
    expect(await names('q=555-019')).toEqual(['Janet Jackson']);
    expect(await names('q=zzz')).toEqual([]);
    expect(await names('failing=true')).toEqual(['Omar Novak']);
    expect(await names('failing=false')).toEqual(['Jamal Johnson', 'Janet Jackson']);
    expect(await names('doNotContact=true')).toEqual(['Janet Jackson']);
    expect(await names('doNotContact=false&q=ja')).toEqual(['Jamal Johnson']);
    expect(await names('createdFrom=2026-11-10&createdTo=2026-11-10')).toEqual(['Janet Jackson']);
    expect(await names('createdTo=2026-11-09')).toEqual(['Jamal Johnson']);
    expect(await names('createdFrom=2026-11-11')).toEqual(['Omar Novak']);
    const listed = (await c.get('/api/patrons?failing=true')).json() as PatronListPage;
    expect(listed.items[0]).toMatchObject({ failingContacts: 1, doNotContact: false, cases: 0 });
    // The export applies the same filters (supervisors and admins only).
    expect((await c.get('/api/patrons/export.csv')).statusCode).toBe(403);
    const csv = csvOf((await (await org.as('supervisor')).get('/api/patrons/export.csv?q=ja&doNotContact=false')).body);
    expect(csv.map((r) => r.name)).toEqual(['Jamal Johnson']);
  });

  it('answers a bad filter with a 400 naming the field', async () => {
    const org = await makeOrg(h());
    const c = await org.as('associate');
    for (const [query, field] of [
      ['failing=maybe', 'failing'],
      ['doNotContact=1', 'doNotContact'],
      ['createdFrom=2026-02-30', 'createdFrom'],
      ['createdTo=yesterday', 'createdTo'],
      ['createdFrom=2026-11-10&createdTo=2026-11-01', 'createdTo'],
      ['q=', 'q'],
      ['limit=1000', 'limit'],
      ['after=not*a*cursor', 'after'],
      ['after=eHl6', 'after'],
    ] as const) {
      const res = await c.get(`/api/patrons?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.field, query).toBe(field);
    }
    const res = await (await org.as('supervisor')).get('/api/patrons/export.csv?failing=maybe');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('failing');
  });

  it('exports a CSV that parses back to the rows, with formulas defused and value for managers only', async () => {
    const org = await makeOrg(h());
    const sup = await org.as('supervisor');
    const evil: PatronDetail = (
      await sup.post('/api/patrons', {
        name: `=cmd|' /C calc'!A0`,
        preferredName: '@SUM(1+1)',
        pronouns: 'they/them',
        email: 'evil@example.org',
        phone: '(312) 555-0100',
        language: 'fr',
        contacts: [{ kind: 'email', value: 'second@example.org' }],
      })
    ).json();
    const plain: PatronDetail = (await sup.post('/api/patrons', { name: 'Zoë Ørsted', email: 'zoe@example.org' })).json();
    await sup.post(`/api/patrons/${evil.id}/notes`, { kind: 'personal', body: 'SECRET-PERSONAL grief in the family' });
    await sup.post(`/api/patrons/${evil.id}/notes`, { kind: 'general', body: 'GENERAL-NOTE likes aisle seats' });
    await sup.post(`/api/patrons/${evil.id}/value`, { occurredOn: '2026-10-01', kind: 'donation', amountMinor: 12550, currency: 'USD' });
    await sup.post(`/api/patrons/${evil.id}/value`, { occurredOn: '2026-10-02', kind: 'membership', amountMinor: 4000, currency: 'USD' });
    await sup.post(`/api/patrons/${evil.id}/value`, { occurredOn: '2026-10-03', kind: 'ticket', amountMinor: 1500, currency: 'JPY' });

    const res = await sup.get('/api/patrons/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="patrons-2026-11-23.csv"');
    const rows = csvOf(res.body);
    expect(Object.keys(rows[0]!)).toContain('relationship value total');
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(rows).toHaveLength(2);
    expect(byId.get(String(evil.id))).toEqual({
      id: String(evil.id),
      name: `'=cmd|' /C calc'!A0`,
      'preferred name': `'@SUM(1+1)`,
      pronouns: 'they/them',
      emails: 'evil@example.org;second@example.org',
      phones: `'+13125550100`,
      language: 'fr',
      'do not contact': 'no',
      'failing contact points': '',
      'first contact (UTC)': '',
      'last contact (UTC)': '',
      cases: '0',
      'relationship value total': 'JPY 1500; USD 165.50',
    });
    expect(byId.get(String(plain.id))).toMatchObject({ name: 'Zoë Ørsted', emails: 'zoe@example.org', 'relationship value total': '' });

    for (const role of ['admin', 'supervisor'] as const) {
      const body = (await (await org.as(role)).get('/api/patrons/export.csv')).body;
      expect(body, role).not.toContain('SECRET-PERSONAL');
      expect(body, role).not.toContain('GENERAL-NOTE');
      expect(Object.keys(csvOf(body)[0]!), role).toContain('relationship value total');
    }
    // Associates and volunteers list patrons on screen; a bulk copy is refused, with nothing in it.
    for (const role of ['associate', 'volunteer'] as const) {
      const res = await (await org.as(role)).get('/api/patrons/export.csv');
      expect(res.statusCode, role).toBe(403);
      expect(res.body, role).not.toContain('evil@example.org');
    }
  });

  it('reads the table in pages and audits every export with its filters and row count', async () => {
    const org = await makeOrg(h());
    const c = await org.as('supervisor');
    const total = EXPORT_PAGE + 3;
    // Created straight in the table: the export's paging is what is under test here.
    await h().db.kysely
      .insertInto('patrons')
      .values(
        Array.from({ length: total }, (_, i) => ({
          org_id: org.orgId,
          name: `Bulk ${i}`,
          created_at: h().clock.now() - (i % 3) * 1000,
          updated_at: h().clock.now(),
        })),
      )
      .execute();
    const rows = csvOf((await c.get('/api/patrons/export.csv')).body);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    expect((await c.get('/api/patrons/export.csv?createdTo=2026-11-22&doNotContact=false')).statusCode).toBe(200);

    const audit = await h()
      .db.kysely.selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'detail'])
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'patron.list_exported')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => ({ by: a.actor_user_id, ...(JSON.parse(a.detail!) as object) }))).toEqual([
      { by: org.users.supervisor.id, filters: {}, rows: total, complete: true, value: true },
      { by: org.users.supervisor.id, filters: { createdTo: '2026-11-22', doNotContact: false }, rows: 0, complete: true, value: true },
    ]);
  });

  it('writes money in the currency’s own digits', () => {
    expect(formatMoney(12550, 'USD')).toBe('USD 125.50');
    expect(formatMoney(-5, 'EUR')).toBe('EUR -0.05');
    expect(formatMoney(1500, 'JPY')).toBe('JPY 1500');
    expect(formatMoney(1234, 'BHD')).toBe('BHD 1.234');
  });
});
