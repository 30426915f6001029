// Patrons: the people the desk serves. Found by name, email or phone as you type; personal
// notes are marked as such and never reach a volunteer.
import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js/max';
import type { ContactChannel, PatronDetail, PatronSummary } from '../../contracts/patrons.js';
import { findUser } from '../admin/api.js';
import type { ContactKind, Database, PatronRow } from '../db/types.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform, TxContext } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { contactText, parseQuery, type SearchDoc } from '../platform/search/index.js';
import { inTransaction } from '../platform/tx.js';
import { countryOf, displayPhone, e164, nameKey, nationalPhone, normalizeEmail } from './normalize.js';
import { canSeePersonal, requireLivePatron, requireNoteDeletion, requirePersonalAccess } from './policy.js';
import { refreshDuplicates } from './duplicates.js';
import { getPatron, toPatronSummary } from './profile.js';
import * as q from './queries.js';

const digits = (phone: string | null | undefined) => {
  const d = phone?.replace(/\D/g, '') ?? '';
  return d.length ? d : null;
};

export { toPatronSummary };

/** The search documents of some patrons: names, and every contact point they hold. */
export async function patronDocs(db: Kysely<Database>, rows: PatronRow[]): Promise<SearchDoc[]> {
  const contacts = await q.contactsOf(db, rows.map((r) => r.id));
  return rows.map((row) => ({
    orgId: row.org_id,
    kind: 'patron' as const,
    refId: row.id,
    title: [row.name, row.preferred_name].filter(Boolean).join(' '),
    // Phones also as written at home ("(312) 555-0199"), so their pieces are found as typed.
    body: contactText(
      ...contacts
        .filter((c) => c.patron_id === row.id)
        .flatMap((c) => (c.kind === 'phone' ? [c.value, nationalPhone(c.value)] : [c.value])),
    ),
  }));
}

/** Writes the patron's search document (or removes it: merged away, erased). */
export async function reindexPatron(ctx: TxContext, patronId: number): Promise<void> {
  const row = await q.findPatronById(ctx.tx, patronId);
  if (!row) return;
  if (row.merged_into_id !== null || row.erased_at !== null) {
    await ctx.search.remove(ctx.tx, 'patron', patronId);
    await refreshDuplicates(ctx, patronId);
    return;
  }
  for (const doc of await patronDocs(ctx.tx, [row])) await ctx.search.upsert(ctx.tx, doc);
  await refreshDuplicates(ctx, patronId);
}

export async function indexPersonalNotes(ctx: TxContext, orgId: number, patronId: number) {
  const notes = await q.personalNoteBodies(ctx.tx, patronId);
  if (!notes.length) return ctx.search.remove(ctx.tx, 'patronPersonal', patronId);
  await ctx.search.upsert(ctx.tx, { orgId, kind: 'patronPersonal', refId: patronId, title: '', body: notes.join('\n') });
}

export interface NewContact {
  kind: ContactKind;
  value: string;
  label?: string | undefined;
  preferred?: boolean | undefined;
}

export interface NewPatron {
  name: string;
  preferredName?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  language?: string | undefined;
  pronouns?: string | undefined;
  accessibility?: string | undefined;
  contacts?: NewContact[] | undefined;
}

/**
 * A contact point written the one way: an email lower-cased, a phone in E.164. Strict (a
 * person at the desk typed it): a value that cannot be real is a 400 naming `field`.
 * Lenient (a form or a message from outside): a phone that does not parse is kept as typed.
 */
export function normalizeContact(kind: ContactKind, raw: string, country: CountryCode, field: string, strict: boolean): string {
  if (kind === 'email') {
    const v = normalizeEmail(raw);
    if (!v) throw badRequest('must be a valid email address', field);
    return v;
  }
  const v = e164(raw, country);
  if (v) return v;
  if (strict) throw badRequest('must be a valid phone number (with the country code if it is abroad)', field);
  return raw.trim();
}

const newPatronRow = (orgId: number, input: NewPatron, now: number) => ({
  org_id: orgId,
  name: input.name,
  preferred_name: input.preferredName ?? null,
  email: null,
  phone: null,
  phone_digits: null,
  language: input.language ?? null,
  pronouns: input.pronouns ?? null,
  accessibility: input.accessibility ?? null,
  name_key: nameKey(input.name),
  first_contact_at: null,
  last_contact_at: null,
  created_at: now,
  updated_at: now,
});

/** The patron's contact points, as given: email and phone first (preferred), then the rest. */
function contactsOfInput(input: NewPatron, country: CountryCode, strict: boolean): NewContact[] {
  const out: NewContact[] = [];
  const seen = new Set<string>();
  const add = (c: NewContact, field: string) => {
    const value = normalizeContact(c.kind, c.value, country, field, strict);
    if (seen.has(`${c.kind}:${value}`)) return;
    seen.add(`${c.kind}:${value}`);
    out.push({ ...c, value });
  };
  if (input.email) add({ kind: 'email', value: input.email, preferred: true }, 'email');
  if (input.phone) add({ kind: 'phone', value: input.phone, preferred: true }, 'phone');
  input.contacts?.forEach((c, i) => add(c, `contacts.${i}.value`));
  return out;
}

async function insertContacts(ctx: TxContext, orgId: number, patronId: number, contacts: NewContact[]) {
  const preferredTaken = new Set<ContactKind>();
  for (const c of contacts) {
    const preferred = !!c.preferred && !preferredTaken.has(c.kind);
    if (preferred) preferredTaken.add(c.kind);
    await q.insertContact(ctx.tx, {
      org_id: orgId,
      patron_id: patronId,
      kind: c.kind,
      value: c.value,
      label: c.label ?? null,
      preferred: preferred ? 1 : 0,
      created_at: ctx.clock.now(),
    });
  }
}

/**
 * Keeps one preferred contact point per kind, and the patron row's email and phone (what
 * cases, mail and search summaries read) equal to the preferred ones. An email another
 * patron already holds as theirs stays a contact point but is not mirrored.
 */
export async function syncPreferred(ctx: TxContext, patronId: number): Promise<void> {
  const row = await q.findPatronById(ctx.tx, patronId);
  if (!row) return;
  const contacts = await q.contactsOf(ctx.tx, [patronId]);
  const pick = async (kind: ContactKind) => {
    const mine = contacts.filter((c) => c.kind === kind);
    const preferred = mine.find((c) => c.preferred === 1);
    if (preferred || !mine.length) return preferred;
    await q.updateContact(ctx.tx, mine[0]!.id, { preferred: 1 });
    return mine[0];
  };
  const email = await pick('email');
  const phone = await pick('phone');
  const shown = phone ? displayPhone(phone.value, countryOf((await q.orgSettingsOf(ctx.tx, row.org_id)).locale)) : null;
  let mirror = email?.value ?? null;
  if (mirror && mirror !== row.email) {
    const other = await q.findPatronByEmail(ctx.tx, row.org_id, mirror);
    if (other && other.id !== patronId) mirror = null;
  }
  if (mirror !== row.email || shown !== row.phone || (email?.failing_at ?? null) !== row.email_failing_at) {
    await q.updatePatron(ctx.tx, patronId, {
      email: mirror,
      email_failing_at: mirror ? (email?.failing_at ?? null) : null,
      email_failing_reason: mirror ? (email?.failing_reason ?? null) : null,
      phone: shown,
      phone_digits: digits(phone?.value),
    });
  }
}

/** Creates a patron in the caller's transaction (quick log, web form, import). */
export async function createPatronIn(
  ctx: TxContext,
  orgId: number,
  input: NewPatron,
  opts: { strict?: boolean } = {},
): Promise<PatronRow> {
  const country = countryOf((await q.orgSettingsOf(ctx.tx, orgId)).locale);
  const contacts = contactsOfInput(input, country, opts.strict ?? false);
  const row = await q.insertPatron(ctx.tx, newPatronRow(orgId, input, ctx.clock.now()));
  await insertContacts(ctx, orgId, row.id, contacts);
  await syncPreferred(ctx, row.id);
  await reindexPatron(ctx, row.id);
  return (await q.findPatronById(ctx.tx, row.id))!;
}

/** The live patron holding this email: as their own first, else as any contact point. */
export async function findPatronByAnyEmail(db: Kysely<Database>, orgId: number, email: string): Promise<PatronRow | undefined> {
  const own = await q.findPatronByEmail(db, orgId, email);
  if (own) return own;
  const v = normalizeEmail(email);
  return v ? (await q.patronsWithContact(db, orgId, 'email', v))[0] : undefined;
}

/**
 * The patron with this email, created if there is none: the web form, a quick log, email.
 * Two requests for a new address at once make one patron, not two.
 */
export async function patronForEmail(ctx: TxContext, orgId: number, input: NewPatron & { email: string }): Promise<PatronRow> {
  const existing = await findPatronByAnyEmail(ctx.tx, orgId, input.email);
  if (existing) return existing;
  const country = countryOf((await q.orgSettingsOf(ctx.tx, orgId)).locale);
  const contacts = contactsOfInput(input, country, false);
  const inserted = await q.insertPatronUnlessEmailTaken(ctx.tx, {
    ...newPatronRow(orgId, input, ctx.clock.now()),
    email: input.email.toLowerCase(),
  });
  if (inserted) {
    await insertContacts(ctx, orgId, inserted.id, contacts);
    await syncPreferred(ctx, inserted.id);
    await reindexPatron(ctx, inserted.id);
    return (await q.findPatronById(ctx.tx, inserted.id))!;
  }
  // Someone else's request created them a moment ago.
  const created = await q.findPatronByEmail(ctx.tx, orgId, input.email);
  if (!created) throw new Error('patron vanished after an email conflict');
  return created;
}

/**
 * Mail to this address bounced, or a number is dead: every patron holding it keeps it, marked
 * failing with the reason, until they write from it again (`emailWorks`). An email or a phone
 * number in any format; returns the patrons marked.
 */
export async function markContactFailing(ctx: TxContext, orgId: number, address: string, reason = 'Delivery failed'): Promise<number[]> {
  const email = normalizeEmail(address);
  const kind: ContactKind = email ? 'email' : 'phone';
  const value = email ?? e164(address, countryOf((await q.orgSettingsOf(ctx.tx, orgId)).locale)) ?? address.trim();
  const at = ctx.clock.now();
  const ids = await q.setContactFailing(ctx.tx, orgId, kind, value, { at, reason });
  if (email) for (const id of await q.setEmailFailing(ctx.tx, orgId, email, { at, reason })) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/** The mail deliverer's name for it: an email refused for good. */
export const markEmailFailing = (ctx: TxContext, orgId: number, email: string, reason: string) =>
  markContactFailing(ctx, orgId, email, reason);

/** Mail came from this address: whatever bounced before, it works now. */
export async function emailWorks(ctx: TxContext, patron: PatronRow, address = patron.email): Promise<void> {
  const email = address ? normalizeEmail(address) : null;
  if (!email) return;
  await q.setContactFailing(ctx.tx, patron.org_id, 'email', email, null);
  if (patron.email === email && patron.email_failing_at !== null) await q.setEmailFailing(ctx.tx, patron.org_id, email, null);
}

/** A patron was in touch now: the first contact stays, the last moves. */
export async function touchPatron(ctx: TxContext, patronId: number): Promise<void> {
  await q.touchPatron(ctx.tx, patronId, ctx.clock.now());
}

/** As-you-type lookup: an email finds its owner at once; otherwise names and contact points. */
/**
 * The desk's one way of finding patrons by text, best first: an email is an exact match, else
 * the search index by name, email and phone (never personal notes), as you type. Lookup and the
 * patron list's `q` both use it.
 */
export async function matchingPatronIds(p: Pick<Platform, 'db' | 'search'>, orgId: number, text: string, limit: number): Promise<number[]> {
  const trimmed = text.trim().toLowerCase();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) {
    const exact = await findPatronByAnyEmail(p.db, orgId, trimmed);
    if (exact) return [exact.id];
  }
  return p.search.searchPatrons(p.db, {
    orgId,
    query: parseQuery(text), // as you type: the last word may be unfinished
    limit,
    offset: 0,
    includePersonal: false,
  });
}

export async function lookupPatrons(p: Platform, actor: Actor, text: string, limit: number) {
  return patronsInOrder(p, actor.orgId, await matchingPatronIds(p, actor.orgId, text, limit));
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

async function assertEmailFree(ctx: TxContext, orgId: number, email: string, self?: number) {
  const other = await q.findPatronByEmail(ctx.tx, orgId, email);
  if (other && other.id !== self) {
    throw conflict(`${other.name} (patron #${other.id}) already has this email.`, 'email');
  }
}

export async function createPatron(p: Platform, actor: Actor, input: NewPatron): Promise<PatronDetail> {
  const row = await inTransaction(p, async (ctx) => {
    if (input.email) await assertEmailFree(ctx, actor.orgId, input.email);
    return createPatronIn(ctx, actor.orgId, input, { strict: true });
  });
  return getPatron(p, actor, row.id);
}

export interface PatronChanges {
  name?: string | undefined;
  preferredName?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  language?: string | null | undefined;
  pronouns?: string | null | undefined;
  accessibility?: string | null | undefined;
  contactChannel?: ContactChannel | null | undefined;
  bestTime?: string | null | undefined;
  doNotContact?: boolean | undefined;
  askedForUserId?: number | null | undefined;
}

const orNull = (v: string | null | undefined) => (v === undefined ? undefined : v || null);

/** Sets the preferred contact of a kind: an existing one is promoted, else it replaces it. */
async function setPreferredContact(ctx: TxContext, orgId: number, patronId: number, kind: ContactKind, value: string | null) {
  const mine = (await q.contactsOf(ctx.tx, [patronId])).filter((c) => c.kind === kind);
  const current = mine.find((c) => c.preferred === 1);
  if (value === null) {
    if (current) await q.deleteContact(ctx.tx, current.id);
    return;
  }
  const same = mine.find((c) => c.value === value);
  await q.clearPreferred(ctx.tx, patronId, kind);
  if (same) await q.updateContact(ctx.tx, same.id, { preferred: 1 });
  else if (current) await q.updateContact(ctx.tx, current.id, { value, preferred: 1, failing_at: null, failing_reason: null });
  else await q.insertContact(ctx.tx, { org_id: orgId, patron_id: patronId, kind, value, label: null, preferred: 1, created_at: ctx.clock.now() });
}

export async function updatePatron(p: Platform, actor: Actor, id: number, input: PatronChanges) {
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    const country = countryOf((await q.orgSettingsOf(ctx.tx, actor.orgId)).locale);
    if (input.askedForUserId && !(await findUser(ctx.tx, actor.orgId, input.askedForUserId))) {
      throw badRequest('is not a colleague in this organization', 'askedForUserId');
    }
    if (input.email !== undefined) {
      const email = input.email === null ? null : normalizeContact('email', input.email, country, 'email', true);
      if (email) await assertEmailFree(ctx, actor.orgId, email, id);
      await setPreferredContact(ctx, actor.orgId, id, 'email', email);
    }
    if (input.phone !== undefined) {
      const phone = input.phone ? normalizeContact('phone', input.phone, country, 'phone', true) : null;
      await setPreferredContact(ctx, actor.orgId, id, 'phone', phone);
    }
    const name = input.name;
    await q.updatePatron(ctx.tx, id, {
      ...(name !== undefined ? { name, name_key: nameKey(name) } : {}),
      ...(input.preferredName !== undefined ? { preferred_name: orNull(input.preferredName) } : {}),
      ...(input.language !== undefined ? { language: orNull(input.language) } : {}),
      ...(input.pronouns !== undefined ? { pronouns: orNull(input.pronouns) } : {}),
      ...(input.accessibility !== undefined ? { accessibility: orNull(input.accessibility) } : {}),
      ...(input.contactChannel !== undefined ? { contact_channel: input.contactChannel } : {}),
      ...(input.bestTime !== undefined ? { contact_best_time: orNull(input.bestTime) } : {}),
      ...(input.doNotContact !== undefined ? { do_not_contact_at: input.doNotContact ? ctx.clock.now() : null } : {}),
      ...(input.askedForUserId !== undefined ? { asked_for_user_id: input.askedForUserId } : {}),
      updated_at: ctx.clock.now(),
    });
    await syncPreferred(ctx, id);
    await reindexPatron(ctx, id);
  });
  return getPatron(p, actor, id);
}

export async function addPatronNote(p: Platform, actor: Actor, id: number, input: { kind: 'general' | 'personal'; body: string }) {
  if (input.kind === 'personal') requirePersonalAccess(actor);
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
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
