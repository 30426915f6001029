// The patron list (newest first, keyset-paged, filtered) and the same list as a CSV download,
// streamed page by page so that no export holds the whole table in memory. Neither ever reads
// a note; the relationship value goes only to supervisors and admins, and only in the CSV.
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import {
  PATRON_LIST_SEARCH_CAP,
  type PatronListFilters,
  type PatronListItem,
  type PatronListPage,
  type PatronListQuery,
} from '../../contracts/patrons.js';
import { findOrg } from '../admin/api.js';
import { isManager, type Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import { dayOf, startOfDay } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { badRequest } from '../platform/errors.js';
import { inTransaction } from '../platform/tx.js';
import * as q from './queries.js';
import { matchingPatronIds } from './service.js';

/** Rows read per statement while exporting: memory stays flat however many patrons there are. */
export const EXPORT_PAGE = 500;

const DAY_MS = 86_400_000;

async function timeZoneOf(p: Platform, actor: Actor): Promise<string> {
  return actor.timeZone ?? (await findOrg(p.db, actor.orgId))?.time_zone ?? 'UTC';
}

/** The filters as the queries take them: days to instants, `q` to the search's matching ids. */
async function whereOf(p: Platform, actor: Actor, f: PatronListFilters): Promise<q.PatronListWhere> {
  const tz = await timeZoneOf(p, actor);
  return {
    ids: f.q === undefined ? undefined : await matchingPatronIds(p, actor.orgId, f.q, PATRON_LIST_SEARCH_CAP),
    failing: f.failing,
    doNotContact: f.doNotContact,
    from: f.createdFrom ? startOfDay(f.createdFrom, tz) : undefined,
    to: f.createdTo ? startOfDay(f.createdTo, tz) + DAY_MS : undefined,
  };
}

const encode = (c: { at: number; id: number }) => Buffer.from(`${c.at}.${c.id}`).toString('base64url');
function decode(cursor: string | undefined): { at: number; id: number } | null {
  if (!cursor) return null;
  const m = /^(\d{1,15})\.(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw badRequest('is not a valid cursor', 'after');
  return { at: Number(m[1]), id: Number(m[2]) };
}

const toListItem = (r: q.PatronListRow): PatronListItem => ({
  id: r.id,
  name: r.name,
  preferredName: r.preferred_name,
  email: r.email,
  phone: r.phone,
  lastContactAt: r.last_contact_at === null ? null : Number(r.last_contact_at),
  pronouns: r.pronouns,
  language: r.language,
  doNotContact: r.do_not_contact_at !== null,
  failingContacts: Number(r.failing_contacts ?? 0),
  cases: Number(r.case_count ?? 0),
  firstContactAt: r.first_contact_at === null ? null : Number(r.first_contact_at),
  createdAt: Number(r.created_at),
});

/** One page of the list. Every role may read it: it holds no notes and no value. */
export async function listPatrons(p: Platform, actor: Actor, query: PatronListQuery): Promise<PatronListPage> {
  const after = decode(query.after);
  const rows = await q.patronListPage(p.db, actor.orgId, await whereOf(p, actor, query), after, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toListItem),
    nextCursor: rows.length > query.limit && last ? encode({ at: Number(last.created_at), id: last.id }) : null,
  };
}

/** Minor units as a decimal in the currency's own digits (JPY 0, USD 2, BHD 3), code first. */
export function formatMoney(amountMinor: number, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // an unknown code: two digits, as most currencies have
  }
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  const whole = Math.floor(abs / 10 ** digits);
  const frac = digits ? `.${String(abs % 10 ** digits).padStart(digits, '0')}` : '';
  return `${currency} ${sign}${whole}${frac}`;
}

const iso = (at: number | null) => (at === null ? '' : new Date(at).toISOString());

const COLUMNS = [
  'id',
  'name',
  'preferred name',
  'pronouns',
  'emails',
  'phones',
  'language',
  'do not contact',
  'failing contact points',
  'first contact (UTC)',
  'last contact (UTC)',
  'cases',
] as const;
const VALUE_COLUMN = 'relationship value total';

/** The CSV's rows, page by page; `counted` learns how many were written, for the audit row. */
async function* csvRecords(p: Platform, actor: Actor, where: q.PatronListWhere, withValue: boolean, counted: (n: number) => void) {
  yield withValue ? [...COLUMNS, VALUE_COLUMN] : [...COLUMNS];
  let after: { at: number; id: number } | null = null;
  let n = 0;
  for (;;) {
    const rows = await q.patronListPage(p.db, actor.orgId, where, after, EXPORT_PAGE);
    if (!rows.length) break;
    const ids = rows.map((r) => r.id);
    // contactsOf orders each patron's points by kind, then preferred first.
    const [contacts, values] = await Promise.all([q.contactsOf(p.db, ids), withValue ? q.valueTotalsByPatron(p.db, ids) : []]);
    for (const r of rows) {
      const mine = contacts.filter((c) => c.patron_id === r.id);
      const of = (kind: 'email' | 'phone') =>
        mine
          .filter((c) => c.kind === kind)
          .map((c) => c.value)
          .join(';');
      const record: Array<string | number> = [
        r.id,
        r.name,
        r.preferred_name ?? '',
        r.pronouns ?? '',
        of('email'),
        of('phone'),
        r.language ?? '',
        r.do_not_contact_at !== null ? 'yes' : 'no',
        mine
          .filter((c) => c.failing_at !== null)
          .map((c) => c.value)
          .join(';'),
        iso(r.first_contact_at === null ? null : Number(r.first_contact_at)),
        iso(r.last_contact_at === null ? null : Number(r.last_contact_at)),
        Number(r.case_count ?? 0),
      ];
      if (withValue) {
        record.push(
          values
            .filter((v) => v.patron_id === r.id)
            .map((v) => formatMoney(Number(v.amount ?? 0), v.currency))
            .join('; '),
        );
      }
      n++;
      counted(n);
      yield record;
    }
    if (rows.length < EXPORT_PAGE) break;
    const last = rows.at(-1)!;
    after = { at: Number(last.created_at), id: last.id };
  }
}

export interface PatronCsv {
  filename: string;
  stream: Readable;
}

/**
 * The filtered list as CSV: a UTF-8 BOM (Excel), and every cell that a spreadsheet would take
 * for a formula (= + - @, tab, CR) prefixed with ' (OWASP; csv-stringify's escape_formulas).
 * The audit row (filters, rows written, whether it ran to the end) is written when the stream
 * ends or is abandoned.
 */
export async function exportPatronsCsv(p: Platform, actor: Actor, filters: PatronListFilters): Promise<PatronCsv> {
  const where = await whereOf(p, actor, filters);
  const withValue = isManager(actor);
  const tz = await timeZoneOf(p, actor);
  let rows = 0;
  let complete = false;
  async function* audited() {
    try {
      yield* csvRecords(p, actor, where, withValue, (n) => (rows = n));
      complete = true;
    } finally {
      await inTransaction(p, (ctx) =>
        audit(ctx, {
          orgId: actor.orgId,
          actorId: actor.userId,
          action: 'patron.list_exported',
          targetType: 'patron',
          detail: { filters, rows, complete, value: withValue },
          ip: actor.ip,
        }),
      );
    }
  }
  const csv = stringify({ bom: true, escape_formulas: true, record_delimiter: 'windows' });
  // A failed read destroys the CSV stream too; Fastify logs it and cuts the download short
  // (the status line has gone), so the callback has nothing left to do.
  const stream = pipeline(Readable.from(audited()), csv, () => undefined);
  return { filename: `patrons-${dayOf(p.clock.now(), tz)}.csv`, stream };
}
