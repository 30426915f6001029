// Patrons: the people the desk serves. Found by name, email or phone as you type; personal
// notes are marked as such and never reach a volunteer.
import type { Kysely } from 'kysely';
import type { PatronDetail, PatronSummary } from '../../contracts/patrons.js';
import { prepared } from '../db/prepared.js';
import type { Database, PatronRow } from '../db/types.js';
import { caseSummaries } from '../cases/queries.js';
import { toCaseSummary } from '../cases/views.js';
import { audit } from '../platform/audit.js';
import type { Actor, Platform } from '../platform/context.js';
import { conflict, forbidden, notFound } from '../platform/errors.js';
import { contactText, parseQuery } from '../platform/search/index.js';
import { inTransaction } from '../platform/tx.js';

export const canSeePersonal = (actor: Actor) => actor.role !== 'volunteer';

const digits = (phone: string | null | undefined) => {
  const d = phone?.replace(/\D/g, '') ?? '';
  return d.length ? d : null;
};

export const toPatronSummary = (r: PatronRow): PatronSummary => ({
  id: r.id,
  name: r.name,
  preferredName: r.preferred_name,
  email: r.email,
  phone: r.phone,
  lastContactAt: r.last_contact_at,
});

export const findPatronByEmail = (db: Kysely<Database>, orgId: number, email: string) =>
  db
    .selectFrom('patrons')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();

const findPatron = (db: Kysely<Database>, orgId: number, id: number) =>
  db.selectFrom('patrons').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

async function indexPatron(tx: Kysely<Database>, p: Platform, r: PatronRow) {
  await p.search.upsert(tx, {
    orgId: r.org_id,
    kind: 'patron',
    refId: r.id,
    title: [r.name, r.preferred_name].filter(Boolean).join(' '),
    body: contactText(r.email, r.phone),
  });
}

async function indexPersonalNotes(tx: Kysely<Database>, p: Platform, orgId: number, patronId: number) {
  const notes = await tx
    .selectFrom('patron_notes')
    .select('body')
    .where('patron_id', '=', patronId)
    .where('kind', '=', 'personal')
    .execute();
  if (!notes.length) return p.search.remove(tx, 'patronPersonal', patronId);
  await p.search.upsert(tx, {
    orgId,
    kind: 'patronPersonal',
    refId: patronId,
    title: '',
    body: notes.map((n) => n.body).join('\n'),
  });
}

export interface NewPatron {
  name: string;
  preferredName?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  language?: string | undefined;
}

/** Creates a patron in the caller's transaction (quick log, web form, email, import). */
const newPatronRow = (orgId: number, input: NewPatron, now: number) => ({
  org_id: orgId,
  name: input.name,
  preferred_name: input.preferredName ?? null,
  email: input.email?.toLowerCase() ?? null,
  phone: input.phone ?? null,
  phone_digits: digits(input.phone),
  language: input.language ?? null,
  first_contact_at: null,
  last_contact_at: null,
  created_at: now,
  updated_at: now,
});

/** Creates a patron in the caller's transaction (quick log, web form, import). */
export async function createPatronIn(
  tx: Kysely<Database>,
  p: Platform,
  orgId: number,
  input: NewPatron,
): Promise<PatronRow> {
  const row = await tx
    .insertInto('patrons')
    .values(newPatronRow(orgId, input, p.clock.now()))
    .returningAll()
    .executeTakeFirstOrThrow();
  await indexPatron(tx, p, row);
  return row;
}

/**
 * The patron with this email, created if there is none: the web form, a quick log, and (next)
 * email. Two requests for a new address at once make one patron, not two.
 */
export async function patronForEmail(
  tx: Kysely<Database>,
  p: Platform,
  orgId: number,
  input: NewPatron & { email: string },
): Promise<PatronRow> {
  const existing = await findPatronByEmail(tx, orgId, input.email);
  if (existing) return existing;
  const now = p.clock.now();
  const inserted = await tx
    .insertInto('patrons')
    .values(newPatronRow(orgId, input, now))
    .onConflict((oc) => oc.columns(['org_id', 'email']).where('email', 'is not', null).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    await indexPatron(tx, p, inserted);
    return inserted;
  }
  // Someone else's request created them a moment ago.
  const created = await findPatronByEmail(tx, orgId, input.email);
  if (!created) throw new Error('patron vanished after an email conflict');
  return created;
}

const touch = prepared((db, $: { id: number; now: number }) =>
  db
    .updateTable('patrons')
    .set((eb) => ({
      last_contact_at: $.now,
      first_contact_at: eb.fn.coalesce('first_contact_at', eb.val($.now)),
    }))
    .where('id', '=', $.id),
);

/** A patron was in touch now: the first contact stays, the last moves. */
export async function touchPatron(tx: Kysely<Database>, patronId: number, now: number) {
  await touch.execute(tx, { id: patronId, now });
}

/** As-you-type lookup: an email finds its owner at once; otherwise names and contact points. */
export async function lookupPatrons(p: Platform, actor: Actor, text: string, limit: number) {
  const trimmed = text.trim().toLowerCase();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) {
    const exact = await findPatronByEmail(p.db, actor.orgId, trimmed);
    if (exact) return [toPatronSummary(exact)];
  }
  const ids = await p.search.searchPatrons(p.db, {
    orgId: actor.orgId,
    query: parseQuery(text), // as you type: the last word may be unfinished
    limit,
    offset: 0,
    includePersonal: false,
  });
  return patronsInOrder(p.db, actor.orgId, ids);
}

export async function patronsInOrder(db: Kysely<Database>, orgId: number, ids: number[]) {
  if (!ids.length) return [];
  const rows = await db.selectFrom('patrons').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toPatronSummary(r)] : [];
  });
}

export async function getPatron(p: Platform, actor: Actor, id: number): Promise<PatronDetail> {
  const row = await findPatron(p.db, actor.orgId, id);
  if (!row) throw notFound('Patron');
  let notes = p.db
    .selectFrom('patron_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .select(['n.id', 'n.kind', 'n.body', 'n.author_user_id', 'u.name as author_name', 'n.created_at'])
    .where('n.patron_id', '=', id);
  if (!canSeePersonal(actor)) notes = notes.where('n.kind', '!=', 'personal');
  const [noteRows, caseIds] = await Promise.all([
    notes.orderBy('n.id', 'desc').limit(100).execute(),
    p.db
      .selectFrom('cases')
      .select('id')
      .where('patron_id', '=', id)
      .orderBy('last_activity_at', 'desc')
      .orderBy('id', 'desc')
      .limit(20)
      .execute(),
  ]);
  const cases = await caseSummaries(p.db, caseIds.map((c) => c.id));
  return {
    ...toPatronSummary(row),
    language: row.language,
    firstContactAt: row.first_contact_at,
    createdAt: row.created_at,
    notes: noteRows.map((n) => ({
      id: n.id,
      kind: n.kind,
      body: n.body,
      author: n.author_user_id !== null && n.author_name ? { id: n.author_user_id, name: n.author_name } : null,
      createdAt: n.created_at,
    })),
    cases: cases.map((c) => toCaseSummary(c, actor.casePrefix)),
  };
}

async function assertEmailFree(tx: Kysely<Database>, orgId: number, email: string, self?: number) {
  const other = await findPatronByEmail(tx, orgId, email);
  if (other && other.id !== self) {
    throw conflict(`${other.name} (patron #${other.id}) already has this email.`, 'email');
  }
}

export async function createPatron(p: Platform, actor: Actor, input: NewPatron): Promise<PatronDetail> {
  const row = await inTransaction(p, async (tx) => {
    if (input.email) await assertEmailFree(tx, actor.orgId, input.email);
    return createPatronIn(tx, p, actor.orgId, input);
  });
  return getPatron(p, actor, row.id);
}

export interface PatronChanges {
  name?: string | undefined;
  preferredName?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  language?: string | null | undefined;
}

export async function updatePatron(p: Platform, actor: Actor, id: number, input: PatronChanges) {
  await inTransaction(p, async (tx) => {
    const row = await findPatron(tx, actor.orgId, id);
    if (!row) throw notFound('Patron');
    if (input.email) await assertEmailFree(tx, actor.orgId, input.email, id);
    const next = await tx
      .updateTable('patrons')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.preferredName !== undefined ? { preferred_name: input.preferredName || null } : {}),
        ...(input.email !== undefined ? { email: input.email?.toLowerCase() || null } : {}),
        ...(input.phone !== undefined ? { phone: input.phone || null, phone_digits: digits(input.phone) } : {}),
        ...(input.language !== undefined ? { language: input.language || null } : {}),
        updated_at: p.clock.now(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await indexPatron(tx, p, next);
  });
  return getPatron(p, actor, id);
}

export async function addPatronNote(
  p: Platform,
  actor: Actor,
  id: number,
  input: { kind: 'general' | 'personal'; body: string },
) {
  if (input.kind === 'personal' && !canSeePersonal(actor)) {
    throw forbidden('Volunteers do not handle personal notes.');
  }
  await inTransaction(p, async (tx) => {
    const row = await findPatron(tx, actor.orgId, id);
    if (!row) throw notFound('Patron');
    await tx
      .insertInto('patron_notes')
      .values({
        org_id: actor.orgId,
        patron_id: id,
        kind: input.kind,
        body: input.body,
        author_user_id: actor.userId,
        created_at: p.clock.now(),
      })
      .execute();
    if (input.kind === 'personal') await indexPersonalNotes(tx, p, actor.orgId, id);
  });
  return getPatron(p, actor, id);
}

/** Notes are removable on request; every removal is audited (the note's text is not kept). */
export async function deletePatronNote(p: Platform, actor: Actor, id: number, noteId: number) {
  await inTransaction(p, async (tx) => {
    const note = await tx
      .selectFrom('patron_notes')
      .selectAll()
      .where('org_id', '=', actor.orgId)
      .where('patron_id', '=', id)
      .where('id', '=', noteId)
      .executeTakeFirst();
    // A volunteer cannot learn that a personal note exists.
    if (!note || (note.kind === 'personal' && !canSeePersonal(actor))) throw notFound('Note');
    await tx.deleteFrom('patron_notes').where('id', '=', noteId).execute();
    if (note.kind === 'personal') await indexPersonalNotes(tx, p, actor.orgId, id);
    await audit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: note.kind === 'personal' ? 'patron.personal_note_deleted' : 'patron.note_deleted',
      targetType: 'patron',
      targetId: id,
      detail: { noteId },
      ip: actor.ip,
      at: p.clock.now(),
    });
  });
  return getPatron(p, actor, id);
}
