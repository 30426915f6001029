// Patrons: the people the desk serves. Found by name, email or phone as you type; personal
// notes are marked as such and never reach a volunteer.
import type { PatronDetail, PatronSummary } from '../../contracts/patrons.js';
import type { PatronRow } from '../db/types.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform, TxContext } from '../platform/context.js';
import { conflict, notFound } from '../platform/errors.js';
import { contactText, parseQuery } from '../platform/search/index.js';
import { inTransaction } from '../platform/tx.js';
import { canSeePersonal, requireNoteDeletion, requirePatron, requirePersonalAccess } from './policy.js';
import * as q from './queries.js';

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

async function indexPatron(ctx: TxContext, r: PatronRow) {
  await ctx.search.upsert(ctx.tx, {
    orgId: r.org_id,
    kind: 'patron',
    refId: r.id,
    title: [r.name, r.preferred_name].filter(Boolean).join(' '),
    body: contactText(r.email, r.phone),
  });
}

async function indexPersonalNotes(ctx: TxContext, orgId: number, patronId: number) {
  const notes = await q.personalNoteBodies(ctx.tx, patronId);
  if (!notes.length) return ctx.search.remove(ctx.tx, 'patronPersonal', patronId);
  await ctx.search.upsert(ctx.tx, { orgId, kind: 'patronPersonal', refId: patronId, title: '', body: notes.join('\n') });
}

export interface NewPatron {
  name: string;
  preferredName?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  language?: string | undefined;
}

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
export async function createPatronIn(ctx: TxContext, orgId: number, input: NewPatron): Promise<PatronRow> {
  const row = await q.insertPatron(ctx.tx, newPatronRow(orgId, input, ctx.clock.now()));
  await indexPatron(ctx, row);
  return row;
}

/**
 * The patron with this email, created if there is none: the web form, a quick log, email.
 * Two requests for a new address at once make one patron, not two.
 */
export async function patronForEmail(ctx: TxContext, orgId: number, input: NewPatron & { email: string }): Promise<PatronRow> {
  const existing = await q.findPatronByEmail(ctx.tx, orgId, input.email);
  if (existing) return existing;
  const inserted = await q.insertPatronUnlessEmailTaken(ctx.tx, newPatronRow(orgId, input, ctx.clock.now()));
  if (inserted) {
    await indexPatron(ctx, inserted);
    return inserted;
  }
  // Someone else's request created them a moment ago.
  const created = await q.findPatronByEmail(ctx.tx, orgId, input.email);
  if (!created) throw new Error('patron vanished after an email conflict');
  return created;
}

/**
 * Mail to this address bounced or was refused for good: the patron keeps the address, marked
 * failing with the reason, until they write from it again (`emailWorks`). Returns the patrons.
 */
export async function markEmailFailing(ctx: TxContext, orgId: number, email: string, reason: string): Promise<number[]> {
  return q.setEmailFailing(ctx.tx, orgId, email, { at: ctx.clock.now(), reason });
}

/**
 * A contact point that mail cannot reach (a bounce). Today: the failing flag on the patron's
 * email; the multi contact points of issue 14 swap this one function. Returns the patrons.
 */
export async function markContactFailing(ctx: TxContext, orgId: number, address: string, reason = 'Mail to this address bounced.'): Promise<number[]> {
  return markEmailFailing(ctx, orgId, address.trim().toLowerCase(), reason);
}

/** Mail came from this address: whatever bounced before, it works now. */
export async function emailWorks(ctx: TxContext, patron: PatronRow): Promise<void> {
  if (patron.email && patron.email_failing_at !== null) await q.setEmailFailing(ctx.tx, patron.org_id, patron.email, null);
}

/** A patron was in touch now: the first contact stays, the last moves. */
export async function touchPatron(ctx: TxContext, patronId: number): Promise<void> {
  await q.touchPatron(ctx.tx, patronId, ctx.clock.now());
}

/** As-you-type lookup: an email finds its owner at once; otherwise names and contact points. */
export async function lookupPatrons(p: Platform, actor: Actor, text: string, limit: number) {
  const trimmed = text.trim().toLowerCase();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) {
    const exact = await q.findPatronByEmail(p.db, actor.orgId, trimmed);
    if (exact) return [toPatronSummary(exact)];
  }
  const ids = await p.search.searchPatrons(p.db, {
    orgId: actor.orgId,
    query: parseQuery(text), // as you type: the last word may be unfinished
    limit,
    offset: 0,
    includePersonal: false,
  });
  return patronsInOrder(p, actor.orgId, ids);
}

/** Patron summaries in the order of `ids` (search results). */
export async function patronsInOrder(p: Pick<Platform, 'db'>, orgId: number, ids: number[]): Promise<PatronSummary[]> {
  const rows = await q.patronsByIds(p.db, orgId, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toPatronSummary(r)] : [];
  });
}

export async function getPatron(p: Platform, actor: Actor, id: number): Promise<PatronDetail> {
  const row = await requirePatron(p.db, actor, id);
  const notes = await q.notesOf(p.db, id, canSeePersonal(actor), 100);
  return {
    ...toPatronSummary(row),
    language: row.language,
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

async function assertEmailFree(ctx: TxContext, orgId: number, email: string, self?: number) {
  const other = await q.findPatronByEmail(ctx.tx, orgId, email);
  if (other && other.id !== self) {
    throw conflict(`${other.name} (patron #${other.id}) already has this email.`, 'email');
  }
}

export async function createPatron(p: Platform, actor: Actor, input: NewPatron): Promise<PatronDetail> {
  const row = await inTransaction(p, async (ctx) => {
    if (input.email) await assertEmailFree(ctx, actor.orgId, input.email);
    return createPatronIn(ctx, actor.orgId, input);
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
  await inTransaction(p, async (ctx) => {
    await requirePatron(ctx.tx, actor, id);
    if (input.email) await assertEmailFree(ctx, actor.orgId, input.email, id);
    const next = await q.updatePatron(ctx.tx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.preferredName !== undefined ? { preferred_name: input.preferredName || null } : {}),
      ...(input.email !== undefined ? { email: input.email?.toLowerCase() || null } : {}),
      ...(input.phone !== undefined ? { phone: input.phone || null, phone_digits: digits(input.phone) } : {}),
      ...(input.language !== undefined ? { language: input.language || null } : {}),
      updated_at: ctx.clock.now(),
    });
    await indexPatron(ctx, next);
  });
  return getPatron(p, actor, id);
}

export async function addPatronNote(p: Platform, actor: Actor, id: number, input: { kind: 'general' | 'personal'; body: string }) {
  if (input.kind === 'personal') requirePersonalAccess(actor);
  await inTransaction(p, async (ctx) => {
    await requirePatron(ctx.tx, actor, id);
    await q.insertNote(ctx.tx, {
      org_id: actor.orgId,
      patron_id: id,
      kind: input.kind,
      body: input.body,
      author_user_id: actor.userId,
      created_at: ctx.clock.now(),
    });
    if (input.kind === 'personal') await indexPersonalNotes(ctx, actor.orgId, id);
  });
  return getPatron(p, actor, id);
}

/** Notes are removable on request; every removal is audited (the note's text is not kept). */
export async function deletePatronNote(p: Platform, actor: Actor, id: number, noteId: number) {
  await inTransaction(p, async (ctx) => {
    const note = await q.findNote(ctx.tx, actor.orgId, id, noteId);
    // A volunteer cannot learn that a personal note exists.
    if (!note || (note.kind === 'personal' && !canSeePersonal(actor))) throw notFound('Note');
    requireNoteDeletion(actor, note);
    await q.deleteNote(ctx.tx, noteId);
    if (note.kind === 'personal') await indexPersonalNotes(ctx, actor.orgId, id);
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: note.kind === 'personal' ? 'patron.personal_note_deleted' : 'patron.note_deleted',
      targetType: 'patron',
      targetId: id,
      detail: { noteId },
      ip: actor.ip,
    });
  });
  return getPatron(p, actor, id);
}
