// The patron profile as an associate sees it beside a case: who they are, how to reach them,
// their ongoing needs, relationship value (not for volunteers), personal notes (not for
// volunteers), the last three contacts and whether they came back.
import type { Kysely } from 'kysely';
import type { NeedView, PatronDetail, PatronSummary, RelationshipSummary } from '../../contracts/patrons.js';
import { findUserById } from '../admin/api.js';
import type { Database, PatronContactRow, PatronRow } from '../db/types.js';
import type { Actor } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { canSeePersonal, requirePatron } from './policy.js';
import * as q from './queries.js';

const VALUE_RECORDS_SHOWN = 50;

export const toPatronSummary = (r: PatronRow): PatronSummary => ({
  id: r.id,
  name: r.name,
  preferredName: r.preferred_name,
  email: r.email,
  phone: r.phone,
  lastContactAt: r.last_contact_at,
});


export const toContactView = (c: PatronContactRow) => ({
  id: c.id,
  kind: c.kind,
  value: c.value,
  label: c.label,
  preferred: c.preferred === 1,
  failing: c.failing_at !== null,
  failingReason: c.failing_reason,
});

async function needsWithHistory(db: Kysely<Database>, patronId: number): Promise<NeedView[]> {
  const needs = await q.needsOf(db, patronId);
  const events = await q.needEventsOf(db, needs.map((n) => n.id));
  return needs.map((n) => ({
    id: n.id,
    title: n.title,
    status: n.status,
    createdAt: n.created_at,
    updatedAt: n.updated_at,
    history: events
      .filter((e) => e.need_id === n.id)
      .map((e) => ({
        status: e.status,
        note: e.note,
        by: e.by_user_id !== null && e.by_name ? { id: e.by_user_id, name: e.by_name } : null,
        at: e.at,
      })),
  }));
}

export async function relationshipSummary(db: Kysely<Database>, patronId: number): Promise<RelationshipSummary> {
  const totals = await q.valueTotalsOf(db, patronId);
  return {
    records: totals.reduce((n, t) => n + Number(t.count), 0),
    totals: totals.map((t) => ({ kind: t.kind, currency: t.currency, count: Number(t.count), amountMinor: Number(t.amount ?? 0) })),
    lastOn: totals.reduce<string | null>((last, t) => (t.last_on && (!last || t.last_on > last) ? String(t.last_on) : last), null),
  };
}

/** The profile; a patron merged into another answers with the survivor's (old links keep working). */
export async function getPatron(p: Pick<Platform, 'db'>, actor: Actor, id: number): Promise<PatronDetail> {
  let row = await requirePatron(p.db, actor, id);
  for (let hops = 0; row.merged_into_id !== null && hops < 10; hops++) row = await requirePatron(p.db, actor, row.merged_into_id);
  const staff = canSeePersonal(actor);
  const [notes, contacts, needs, value, records, recent, back, org, askedFor] = await Promise.all([
    q.notesOf(p.db, row.id, staff, 100),
    q.contactsOf(p.db, [row.id]),
    needsWithHistory(p.db, row.id),
    staff ? relationshipSummary(p.db, row.id) : null,
    staff ? q.valueRecordsOf(p.db, row.id, VALUE_RECORDS_SHOWN) : [],
    q.recentCasesOf(p.db, actor.orgId, row.id, 3),
    q.cameBack(p.db, row.id),
    q.orgSettingsOf(p.db, actor.orgId),
    row.asked_for_user_id !== null ? findUserById(p.db, row.asked_for_user_id) : undefined,
  ]);
  return {
    id: row.id,
    name: row.name,
    preferredName: row.preferred_name,
    email: row.email,
    phone: row.phone,
    lastContactAt: row.last_contact_at,
    language: row.language,
    pronouns: row.pronouns,
    accessibility: row.accessibility,
    communication: {
      channel: row.contact_channel,
      bestTime: row.contact_best_time,
      doNotContact: row.do_not_contact_at !== null,
    },
    askedFor: askedFor ? { id: askedFor.id, name: askedFor.name } : null,
    contacts: contacts.map(toContactView),
    needs,
    value: value
      ? {
          summary: value,
          records: records.map((r) => ({
            id: r.id,
            occurredOn: r.occurred_on,
            kind: r.kind,
            amountMinor: Number(r.amount_minor),
            currency: r.currency,
            source: r.source,
          })),
        }
      : null,
    recentContacts: recent.map((c) => ({
      caseId: c.id,
      // A case reference (cases' formatRef); not imported, as cases import patrons.
      ref: `${org.case_prefix}-${c.number}`,
      subject: c.subject,
      channel: c.channel,
      at: c.last_activity_at,
    })),
    cameBack: back,
    firstContactAt: row.first_contact_at,
    createdAt: row.created_at,
    notes: notes.map((n) => ({
      id: n.id,
      kind: n.kind,
      body: n.body,
      author: n.author_user_id !== null && n.author_name ? { id: n.author_user_id, name: n.author_name } : null,
      createdAt: n.created_at,
    })),
  };
}
