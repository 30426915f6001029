// Merging two patrons into one, losing nothing, and undoing it for 30 days. The survivor keeps
// its fields unless told to take the other's where they conflict; an empty field takes the
// other's value. Contact points, needs, notes, value records, cases and the messages the merged
// patron wrote all move to the survivor, in one transaction. The merged patron stays as a row
// pointing at the survivor (its old profile link answers with the survivor), and the merge
// keeps a snapshot of both rows and of what moved, so undo restores both as they were.
import type { MergeBody, MergeField, MergeFieldView, MergeList, MergePreview } from '../../contracts/patrons.js';
import type { PatronContactRow, PatronRow } from '../db/types.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform, TxContext } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { inTransaction } from '../platform/tx.js';
import { refreshDuplicates } from './duplicates.js';
import { requireLivePatron } from './policy.js';
import { getPatron, toPatronSummary } from './profile.js';
import * as q from './queries.js';
import { indexPersonalNotes, reindexPatron, syncPreferred } from './service.js';

export const UNDO_DAYS = 30;
const DAY = 86_400_000;

const COLUMN: Record<MergeField, keyof PatronRow> = {
  name: 'name',
  preferredName: 'preferred_name',
  pronouns: 'pronouns',
  language: 'language',
  accessibility: 'accessibility',
  contactChannel: 'contact_channel',
  bestTime: 'contact_best_time',
  askedForUserId: 'asked_for_user_id',
};
const FIELDS = Object.keys(COLUMN) as MergeField[];
const shown = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));

function compare(survivor: PatronRow, merged: PatronRow): MergeFieldView[] {
  return FIELDS.map((field) => {
    const a = shown(survivor[COLUMN[field]]);
    const b = shown(merged[COLUMN[field]]);
    return { field, survivor: a, merged: b, state: a === null || b === null || a === b ? 'equal' : 'conflict' };
  });
}

interface Snapshot {
  survivor: PatronRow;
  merged: PatronRow;
  /** The survivor's contact points before (their preferred flags may change). */
  survivorContacts: PatronContactRow[];
  /** The merged patron's contact points: moved, or removed when the survivor had the same. */
  mergedContacts: PatronContactRow[];
  removedContacts: number[];
  moved: q.Holdings;
}

async function pair(ctx: TxContext, actor: Actor, id: number, otherId: number) {
  if (id === otherId) throw badRequest('must be another patron', 'otherId');
  const rows = await q.lockPatrons(ctx.tx, actor.orgId, [id, otherId], ctx.lockRows);
  const survivor = rows.find((r) => r.id === id);
  const merged = rows.find((r) => r.id === otherId);
  if (!survivor || survivor.merged_into_id !== null || survivor.erased_at !== null) throw notFound('Patron');
  if (!merged || merged.merged_into_id !== null || merged.erased_at !== null) throw badRequest('is not a patron that can be merged', 'otherId');
  return { survivor, merged };
}

export async function mergePreview(p: Platform, actor: Actor, id: number, otherId: number): Promise<MergePreview> {
  return inTransaction(p, async (ctx) => {
    const { survivor, merged } = await pair(ctx, actor, id, otherId);
    const h = await q.holdingsOf(ctx.tx, otherId);
    const contacts = await q.contactsOf(ctx.tx, [otherId]);
    return {
      survivor: toPatronSummary(survivor),
      merged: toPatronSummary(merged),
      fields: compare(survivor, merged),
      additive: { contacts: contacts.length, needs: h.needs.length, notes: h.notes.length, values: h.values.length, cases: h.cases.length },
    };
  });
}

export async function mergePatrons(p: Platform, actor: Actor, id: number, input: MergeBody) {
  const mergeId = await inTransaction(p, async (ctx) => {
    const { survivor, merged } = await pair(ctx, actor, id, input.otherId);
    const now = ctx.clock.now();
    const survivorContacts = await q.contactsOf(ctx.tx, [survivor.id]);
    const mergedContacts = await q.contactsOf(ctx.tx, [merged.id]);
    const moved = await q.holdingsOf(ctx.tx, merged.id);

    // The merged patron lets go of its email first: the survivor may take it as its own.
    await q.updatePatron(ctx.tx, merged.id, { merged_into_id: survivor.id, merged_at: now, email: null, phone: null, phone_digits: null });

    // Fields: the survivor's, the other's where the survivor has none or where asked.
    const set: Partial<PatronRow> = {};
    for (const f of compare(survivor, merged)) {
      const column = COLUMN[f.field];
      if ((f.survivor === null && f.merged !== null) || (f.state === 'conflict' && input.keep[f.field] === 'merged')) {
        Object.assign(set, { [column]: merged[column] });
      }
    }
    if (set.name !== undefined) set.name_key = merged.name_key;
    await q.updatePatron(ctx.tx, survivor.id, {
      ...set,
      household_id: survivor.household_id ?? merged.household_id,
      first_contact_at: minOf(survivor.first_contact_at, merged.first_contact_at),
      last_contact_at: maxOf(survivor.last_contact_at, merged.last_contact_at),
      do_not_contact_at: survivor.do_not_contact_at ?? merged.do_not_contact_at,
      updated_at: now,
    });

    // Contact points: every one moves; one the survivor already holds is kept once.
    const removedContacts: number[] = [];
    for (const c of mergedContacts) {
      if (survivorContacts.some((s) => s.kind === c.kind && s.value === c.value)) {
        await q.deleteContact(ctx.tx, c.id);
        removedContacts.push(c.id);
      } else {
        await q.updateContact(ctx.tx, c.id, { patron_id: survivor.id, preferred: 0 });
      }
    }
    await q.moveHoldings(ctx.tx, moved, survivor.id);

    const snapshot: Snapshot = { survivor, merged, survivorContacts, mergedContacts, removedContacts, moved };
    const row = await q.insertMerge(ctx.tx, {
      org_id: actor.orgId,
      survivor_id: survivor.id,
      merged_id: merged.id,
      by_user_id: actor.userId,
      at: now,
      undo_until: now + UNDO_DAYS * DAY,
      undone_at: null,
      undone_by: null,
      snapshot: JSON.stringify(snapshot),
    });
    await settle(ctx, actor.orgId, survivor.id, merged.id);
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'patron.merged',
      targetType: 'patron',
      targetId: survivor.id,
      detail: { mergeId: row.id, mergedId: merged.id, mergedName: merged.name, cases: moved.cases.length, contacts: mergedContacts.length },
      ip: actor.ip,
    });
    return row.id;
  });
  return { mergeId, patron: await getPatron(p, actor, id) };
}

/** After a merge or its undo: preferred contacts, search documents, duplicate candidates. */
async function settle(ctx: TxContext, orgId: number, survivorId: number, mergedId: number) {
  for (const id of [survivorId, mergedId]) {
    await syncPreferred(ctx, id);
    await reindexPatron(ctx, id);
    await indexPersonalNotes(ctx, orgId, id);
  }
  await refreshDuplicates(ctx, survivorId);
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Undo: both patrons exactly as they were, everything moved goes back. */
export async function undoMerge(p: Platform, actor: Actor, mergeId: number) {
  const survivorId = await inTransaction(p, async (ctx) => {
    const m = await q.findMerge(ctx.tx, actor.orgId, mergeId, ctx.lockRows);
    if (!m) throw notFound('Merge');
    if (m.undone_at !== null) throw conflict('This merge was already undone.');
    if (ctx.clock.now() > m.undo_until) throw conflict(`A merge can be undone for ${UNDO_DAYS} days; this one is older.`);
    const s = JSON.parse(m.snapshot) as Snapshot;
    const rows = await q.lockPatrons(ctx.tx, actor.orgId, [m.survivor_id, m.merged_id], ctx.lockRows);
    const survivor = rows.find((r) => r.id === m.survivor_id);
    if (!survivor || survivor.merged_into_id !== null || survivor.erased_at !== null) {
      throw conflict('The patron it was merged into has since been merged or erased; undo that first.');
    }
    // The merged patron's contact points come back (as they were), the removed ones too.
    for (const c of s.mergedContacts) {
      if (s.removedContacts.includes(c.id)) await q.restoreContact(ctx.tx, c);
      else await q.updateContact(ctx.tx, c.id, { patron_id: c.patron_id, preferred: c.preferred, label: c.label, failing_at: c.failing_at, failing_reason: c.failing_reason });
    }
    for (const c of s.survivorContacts) await q.updateContact(ctx.tx, c.id, { preferred: c.preferred });
    await q.moveHoldings(ctx.tx, s.moved, m.merged_id);
    // Rows: the survivor's email may be the merged one's; free it before giving it back.
    await q.restorePatronRow(ctx.tx, s.survivor);
    await q.restorePatronRow(ctx.tx, s.merged);
    await q.markMergeUndone(ctx.tx, mergeId, actor.userId, ctx.clock.now());
    await settle(ctx, actor.orgId, m.survivor_id, m.merged_id);
    await refreshDuplicates(ctx, m.merged_id);
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'patron.merge_undone',
      targetType: 'patron',
      targetId: m.survivor_id,
      detail: { mergeId, mergedId: m.merged_id },
      ip: actor.ip,
    });
    return m.survivor_id;
  });
  return getPatron(p, actor, survivorId);
}

export async function undoableMerges(p: Platform, actor: Actor, id: number): Promise<MergeList> {
  await requireLivePatron(p.db, actor, id);
  const rows = await q.undoableMergesInto(p.db, actor.orgId, id, p.clock.now());
  return {
    items: rows.map((r) => ({ id: r.id, mergedId: r.merged_id, mergedName: r.merged_name, at: r.at, undoUntil: r.undo_until, by: r.by_name })),
  };
}
