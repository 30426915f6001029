// SQL for patrons and their notes.
import type { Insertable, Kysely, Updateable } from 'kysely';
import { prepared, type Params } from '../db/prepared.js';
import type {
  CaseRow,
  ContactKind,
  Database,
  PatronContactsTable,
  PatronDistinctTable,
  PatronContactRow,
  PatronDuplicatesTable,
  PatronErasedHashesTable,
  PatronMergesTable,
  PatronRow,
  PatronNeedEventsTable,
  PatronNeedsTable,
  PatronNotesTable,
  PatronValueRecordsTable,
  PatronsTable,
} from '../db/types.js';

export const findPatronByEmail = (db: Kysely<Database>, orgId: number, email: string) =>
  db
    .selectFrom('patrons')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();

export const findPatron = (db: Kysely<Database>, orgId: number, id: number) =>
  db.selectFrom('patrons').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

export const findPatronById = (db: Kysely<Database>, id: number) =>
  db.selectFrom('patrons').selectAll().where('id', '=', id).executeTakeFirst();

export const insertPatron = (tx: Kysely<Database>, row: Insertable<PatronsTable>) =>
  tx.insertInto('patrons').values(row).returningAll().executeTakeFirstOrThrow();

/** Inserts unless a patron of the organization already has this email (then undefined). */
export const insertPatronUnlessEmailTaken = (tx: Kysely<Database>, row: Insertable<PatronsTable>) =>
  tx
    .insertInto('patrons')
    .values(row)
    .onConflict((oc) => oc.columns(['org_id', 'email']).where('email', 'is not', null).doNothing())
    .returningAll()
    .executeTakeFirst();

export const updatePatron = (tx: Kysely<Database>, id: number, set: Updateable<PatronsTable>) =>
  tx.updateTable('patrons').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

const touch = prepared((db, param: Params<{ id: number; now: number }>) =>
  db
    .updateTable('patrons')
    .set((eb) => ({
      last_contact_at: param('now'),
      first_contact_at: eb.fn.coalesce('first_contact_at', param('now')),
    }))
    .where('id', '=', param('id')),
);

/** A patron was in touch now: the first contact stays, the last moves. */
export async function touchPatron(tx: Kysely<Database>, id: number, now: number): Promise<void> {
  await touch.execute(tx, { id, now });
}

/** Marks (or clears, with null) an email of the organization's patrons as failing. */
export async function setEmailFailing(
  tx: Kysely<Database>,
  orgId: number,
  email: string,
  failing: { at: number; reason: string } | null,
): Promise<number[]> {
  const rows = await tx
    .updateTable('patrons')
    .set({ email_failing_at: failing?.at ?? null, email_failing_reason: failing?.reason.slice(0, 500) ?? null })
    .where('org_id', '=', orgId)
    .where('email', '=', email.toLowerCase())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function patronsByIds(db: Kysely<Database>, orgId: number, ids: number[]) {
  if (!ids.length) return [];
  return db.selectFrom('patrons').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute();
}

export const notesOf = (db: Kysely<Database>, patronId: number, withPersonal: boolean, limit: number) =>
  db
    .selectFrom('patron_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .select(['n.id', 'n.kind', 'n.body', 'n.author_user_id', 'u.name as author_name', 'n.created_at'])
    .where('n.patron_id', '=', patronId)
    .$if(!withPersonal, (qb) => qb.where('n.kind', '!=', 'personal'))
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();

export const findNote = (db: Kysely<Database>, orgId: number, patronId: number, noteId: number) =>
  db
    .selectFrom('patron_notes')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('patron_id', '=', patronId)
    .where('id', '=', noteId)
    .executeTakeFirst();

export async function insertNote(tx: Kysely<Database>, row: Insertable<PatronNotesTable>): Promise<void> {
  await tx.insertInto('patron_notes').values(row).execute();
}

export async function deleteNote(tx: Kysely<Database>, id: number): Promise<void> {
  await tx.deleteFrom('patron_notes').where('id', '=', id).execute();
}

/** The text of a patron's personal notes, for their search document. */
export const personalNoteBodies = async (db: Kysely<Database>, patronId: number) =>
  (
    await db
      .selectFrom('patron_notes')
      .select('body')
      .where('patron_id', '=', patronId)
      .where('kind', '=', 'personal')
      .orderBy('id')
      .limit(500)
      .execute()
  ).map((n) => n.body);

/** Personal notes of some patrons, for search snippets (callers check the role first). */
export const personalNotesOf = (db: Kysely<Database>, patronIds: number[]) =>
  patronIds.length
    ? db
        .selectFrom('patron_notes')
        .select(['patron_id', 'body'])
        .where('patron_id', 'in', patronIds)
        .where('kind', '=', 'personal')
        .limit(200)
        .execute()
    : Promise.resolve([]);

// ---- patron memory (issue 14): contact points, needs, value records, recent cases ----------

export const contactsOf = (db: Kysely<Database>, patronIds: number[]) =>
  patronIds.length
    ? db
        .selectFrom('patron_contacts')
        .selectAll()
        .where('patron_id', 'in', patronIds)
        .orderBy('patron_id')
        .orderBy('kind')
        .orderBy('preferred', 'desc')
        .orderBy('id')
        .limit(50 * patronIds.length)
        .execute()
    : Promise.resolve([]);

export const findContact = (db: Kysely<Database>, orgId: number, patronId: number, id: number) =>
  db
    .selectFrom('patron_contacts')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('patron_id', '=', patronId)
    .where('id', '=', id)
    .executeTakeFirst();

export const insertContact = (tx: Kysely<Database>, row: Insertable<PatronContactsTable>) =>
  tx.insertInto('patron_contacts').values(row).returningAll().executeTakeFirstOrThrow();

export async function updateContact(tx: Kysely<Database>, id: number, set: Updateable<PatronContactsTable>): Promise<void> {
  await tx.updateTable('patron_contacts').set(set).where('id', '=', id).execute();
}

export async function deleteContact(tx: Kysely<Database>, id: number): Promise<void> {
  await tx.deleteFrom('patron_contacts').where('id', '=', id).execute();
}

/** Makes every contact of this kind not preferred (before one is made preferred). */
export async function clearPreferred(tx: Kysely<Database>, patronId: number, kind: ContactKind): Promise<void> {
  await tx.updateTable('patron_contacts').set({ preferred: 0 }).where('patron_id', '=', patronId).where('kind', '=', kind).execute();
}

/** Live patrons (not merged away, not erased) holding this contact point, earliest first. */
export const patronsWithContact = (db: Kysely<Database>, orgId: number, kind: ContactKind, value: string) =>
  db
    .selectFrom('patron_contacts as c')
    .innerJoin('patrons as p', 'p.id', 'c.patron_id')
    .selectAll('p')
    .where('c.org_id', '=', orgId)
    .where('c.kind', '=', kind)
    .where('c.value', '=', value)
    .where('p.merged_into_id', 'is', null)
    .where('p.erased_at', 'is', null)
    .orderBy('p.id')
    .limit(20)
    .execute();

/** Marks (or clears, with null) a contact point as failing wherever it is; the patrons' ids. */
export async function setContactFailing(
  tx: Kysely<Database>,
  orgId: number,
  kind: ContactKind,
  value: string,
  failing: { at: number; reason: string } | null,
): Promise<number[]> {
  const rows = await tx
    .updateTable('patron_contacts')
    .set({ failing_at: failing?.at ?? null, failing_reason: failing?.reason.slice(0, 500) ?? null })
    .where('org_id', '=', orgId)
    .where('kind', '=', kind)
    .where('value', '=', value)
    .returning('patron_id')
    .execute();
  return [...new Set(rows.map((r) => r.patron_id))];
}

export const needsOf = (db: Kysely<Database>, patronId: number) =>
  db.selectFrom('patron_needs').selectAll().where('patron_id', '=', patronId).orderBy('id').limit(200).execute();

export const needEventsOf = (db: Kysely<Database>, needIds: number[]) =>
  needIds.length
    ? db
        .selectFrom('patron_need_events as e')
        .leftJoin('users as u', 'u.id', 'e.by_user_id')
        .select(['e.need_id', 'e.status', 'e.note', 'e.by_user_id', 'u.name as by_name', 'e.at'])
        .where('e.need_id', 'in', needIds)
        .orderBy('e.need_id')
        .orderBy('e.id')
        .limit(5000)
        .execute()
    : Promise.resolve([]);

export const findNeed = (db: Kysely<Database>, orgId: number, patronId: number, id: number) =>
  db
    .selectFrom('patron_needs')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('patron_id', '=', patronId)
    .where('id', '=', id)
    .executeTakeFirst();

export const insertNeed = (tx: Kysely<Database>, row: Insertable<PatronNeedsTable>) =>
  tx.insertInto('patron_needs').values(row).returningAll().executeTakeFirstOrThrow();

export async function updateNeed(tx: Kysely<Database>, id: number, set: Updateable<PatronNeedsTable>): Promise<void> {
  await tx.updateTable('patron_needs').set(set).where('id', '=', id).execute();
}

export async function insertNeedEvent(tx: Kysely<Database>, row: Insertable<PatronNeedEventsTable>): Promise<void> {
  await tx.insertInto('patron_need_events').values(row).execute();
}

export const valueRecordsOf = (db: Kysely<Database>, patronId: number, limit: number) =>
  db
    .selectFrom('patron_value_records')
    .selectAll()
    .where('patron_id', '=', patronId)
    .orderBy('occurred_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

export const valueTotalsOf = (db: Kysely<Database>, patronId: number) =>
  db
    .selectFrom('patron_value_records')
    .select((eb) => [
      'kind',
      'currency',
      eb.fn.countAll<number>().as('count'),
      eb.fn.sum<number>('amount_minor').as('amount'),
      eb.fn.max('occurred_on').as('last_on'),
    ])
    .where('patron_id', '=', patronId)
    .groupBy(['kind', 'currency'])
    .execute();

export const findValueRecord = (db: Kysely<Database>, orgId: number, patronId: number, id: number) =>
  db
    .selectFrom('patron_value_records')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('patron_id', '=', patronId)
    .where('id', '=', id)
    .executeTakeFirst();

export const insertValueRecord = (tx: Kysely<Database>, row: Insertable<PatronValueRecordsTable>) =>
  tx.insertInto('patron_value_records').values(row).returning('id').executeTakeFirstOrThrow();

export async function deleteValueRecord(tx: Kysely<Database>, id: number): Promise<void> {
  await tx.deleteFrom('patron_value_records').where('id', '=', id).execute();
}

/** A patron's latest cases by activity (index cases_patron), for "last contacts". */
export const recentCasesOf = (db: Kysely<Database>, orgId: number, patronId: number, limit: number) =>
  db
    .selectFrom('cases')
    .select(['id', 'number', 'subject', 'channel', 'last_activity_at'])
    .where('org_id', '=', orgId)
    .where('patron_id', '=', patronId)
    .orderBy('last_activity_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

/** Whether a case of the patron began after one of theirs was resolved: they came back. */
export async function cameBack(db: Kysely<Database>, patronId: number): Promise<boolean> {
  const row = await db
    .selectFrom('cases as later')
    .select('later.id')
    .where('later.patron_id', '=', patronId)
    .where((eb) =>
      eb(
        'later.created_at',
        '>',
        eb
          .selectFrom('cases as first')
          .select((e) => e.fn.min('first.resolved_at').as('r'))
          .where('first.patron_id', '=', patronId)
          .where('first.resolved_at', 'is not', null),
      ),
    )
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export const orgSettingsOf = async (db: Kysely<Database>, orgId: number) =>
  (await db.selectFrom('organizations').select(['case_prefix', 'locale', 'currency']).where('id', '=', orgId).executeTakeFirstOrThrow());

/** Patrons in id order after `after` (re-indexing in batches). */
export const patronsAfter = (db: Kysely<Database>, after: number, limit: number) =>
  db.selectFrom('patrons').selectAll().where('id', '>', after).orderBy('id').limit(limit).execute();

// ---- duplicates ----------------------------------------------------------------------------

/** Live patrons holding any of these contact points (index patron_contacts_value). */
export async function patronIdsWithContacts(db: Kysely<Database>, orgId: number, contacts: Array<{ kind: ContactKind; value: string }>) {
  if (!contacts.length) return [];
  const rows = await db
    .selectFrom('patron_contacts')
    .select('patron_id')
    .distinct()
    .where('org_id', '=', orgId)
    .where((eb) => eb.or(contacts.map((c) => eb.and([eb('kind', '=', c.kind), eb('value', '=', c.value)]))))
    .limit(100)
    .execute();
  return rows.map((r) => r.patron_id);
}

/** Patrons whose folded name is this one (index patrons_org_name_key). */
export async function patronIdsWithNameKey(db: Kysely<Database>, orgId: number, nameKey: string) {
  const rows = await db
    .selectFrom('patrons')
    .select('id')
    .where('org_id', '=', orgId)
    .where('name_key', '=', nameKey)
    .orderBy('id')
    .limit(100)
    .execute();
  return rows.map((r) => r.id);
}

/** Rows of live patrons (not merged away, not erased). */
export const livePatronsByIds = (db: Kysely<Database>, orgId: number, ids: number[]) =>
  ids.length
    ? db
        .selectFrom('patrons')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', 'in', ids)
        .where('merged_into_id', 'is', null)
        .where('erased_at', 'is', null)
        .execute()
    : Promise.resolve([]);

/** The patrons this one was said not to be. */
export async function distinctFrom(db: Kysely<Database>, patronId: number): Promise<Set<number>> {
  const [a, b] = await Promise.all([
    db.selectFrom('patron_distinct').select('patron_b as other').where('patron_a', '=', patronId).execute(),
    db.selectFrom('patron_distinct').select('patron_a as other').where('patron_b', '=', patronId).execute(),
  ]);
  return new Set([...a, ...b].map((r) => r.other));
}

export async function insertDistinct(tx: Kysely<Database>, row: Insertable<PatronDistinctTable>): Promise<void> {
  await tx.insertInto('patron_distinct').values(row).onConflict((oc) => oc.columns(['patron_a', 'patron_b']).doNothing()).execute();
}

export async function deleteDuplicatesOf(tx: Kysely<Database>, patronId: number): Promise<void> {
  await tx.deleteFrom('patron_duplicates').where('patron_a', '=', patronId).execute();
  await tx.deleteFrom('patron_duplicates').where('patron_b', '=', patronId).execute();
}

export async function deleteDuplicatePair(tx: Kysely<Database>, a: number, b: number): Promise<void> {
  await tx.deleteFrom('patron_duplicates').where('patron_a', '=', a).where('patron_b', '=', b).execute();
}

export async function insertDuplicates(tx: Kysely<Database>, rows: Array<Insertable<PatronDuplicatesTable>>): Promise<void> {
  if (rows.length) await tx.insertInto('patron_duplicates').values(rows).execute();
}

/** A patron's candidate pairs at or above a score (the primary key and patron_duplicates_b). */
export async function duplicatesOf(db: Kysely<Database>, patronId: number, minScore: number) {
  const [a, b] = await Promise.all([
    db.selectFrom('patron_duplicates').selectAll().where('patron_a', '=', patronId).where('score', '>=', minScore).execute(),
    db.selectFrom('patron_duplicates').selectAll().where('patron_b', '=', patronId).where('score', '>=', minScore).execute(),
  ]);
  return [...a, ...b].sort((x, y) => y.score - x.score);
}

/** The organization's candidate pairs, best first, keyset-paged on (score, a, b) descending. */
export const duplicatePage = (
  db: Kysely<Database>,
  orgId: number,
  minScore: number,
  after: { score: number; a: number; b: number } | null,
  limit: number,
) =>
  db
    .selectFrom('patron_duplicates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('score', '>=', minScore)
    .$if(after !== null, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('score', '<', after!.score),
          eb.and([eb('score', '=', after!.score), eb('patron_a', '<', after!.a)]),
          eb.and([eb('score', '=', after!.score), eb('patron_a', '=', after!.a), eb('patron_b', '<', after!.b)]),
        ]),
      ),
    )
    .orderBy('score', 'desc')
    .orderBy('patron_a', 'desc')
    .orderBy('patron_b', 'desc')
    .limit(limit)
    .execute();

export async function setHousehold(tx: Kysely<Database>, ids: number[], householdId: number | null): Promise<void> {
  await tx.updateTable('patrons').set({ household_id: householdId }).where('id', 'in', ids).execute();
}

// ---- merge and its undo --------------------------------------------------------------------

/** Both patrons, row-locked on PostgreSQL (in id order, so two merges of a pair queue up). */
export const lockPatrons = (tx: Kysely<Database>, orgId: number, ids: number[], lock: boolean) =>
  tx
    .selectFrom('patrons')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .orderBy('id')
    .$if(lock, (qb) => qb.forUpdate())
    .execute();

/** Ids of what a patron holds, per table: what a merge moves and its undo moves back. */
export async function holdingsOf(tx: Kysely<Database>, patronId: number) {
  const ids = async (table: 'patron_needs' | 'patron_notes' | 'patron_value_records' | 'cases') =>
    (await tx.selectFrom(table).select('id').where('patron_id', '=', patronId).execute()).map((r) => r.id);
  const [needs, notes, values, cases] = await Promise.all([ids('patron_needs'), ids('patron_notes'), ids('patron_value_records'), ids('cases')]);
  const entries = (await tx.selectFrom('case_entries').select('id').where('author_patron_id', '=', patronId).where('author_patron_id', 'is not', null).execute()).map((r) => r.id);
  const external = await tx.selectFrom('patron_external_ids').select(['source', 'external_id']).where('patron_id', '=', patronId).execute();
  return { needs, notes, values, cases, entries, external };
}
export type Holdings = Awaited<ReturnType<typeof holdingsOf>>;

/**
 * Moves rows to another patron. Cases and their entries are the cases domain's tables, but
 * which patron a case belongs to is the patron's identity, not the case's lifecycle (status,
 * team, assignee go through cases/api), so a merge moves them here, with the rest.
 */
export async function moveHoldings(tx: Kysely<Database>, h: Holdings, to: number): Promise<void> {
  if (h.needs.length) await tx.updateTable('patron_needs').set({ patron_id: to }).where('id', 'in', h.needs).execute();
  if (h.notes.length) await tx.updateTable('patron_notes').set({ patron_id: to }).where('id', 'in', h.notes).execute();
  if (h.values.length) await tx.updateTable('patron_value_records').set({ patron_id: to }).where('id', 'in', h.values).execute();
  if (h.cases.length) await tx.updateTable('cases').set({ patron_id: to }).where('id', 'in', h.cases).execute();
  if (h.entries.length) await tx.updateTable('case_entries').set({ author_patron_id: to }).where('id', 'in', h.entries).execute();
  for (const e of h.external) {
    await tx.updateTable('patron_external_ids').set({ patron_id: to }).where('source', '=', e.source).where('external_id', '=', e.external_id).execute();
  }
}

export async function restoreContact(tx: Kysely<Database>, row: PatronContactRow): Promise<void> {
  await tx.insertInto('patron_contacts').values(row).execute();
}

/** Puts a patron row back exactly as it was (every column but the id). */
export async function restorePatronRow(tx: Kysely<Database>, row: PatronRow): Promise<void> {
  const { id, ...rest } = row;
  await tx.updateTable('patrons').set(rest).where('id', '=', id).execute();
}

export const insertMerge = (tx: Kysely<Database>, row: Insertable<PatronMergesTable>) =>
  tx.insertInto('patron_merges').values(row).returning('id').executeTakeFirstOrThrow();

export const findMerge = (db: Kysely<Database>, orgId: number, id: number, lock = false) =>
  db
    .selectFrom('patron_merges')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();

export async function markMergeUndone(tx: Kysely<Database>, id: number, by: number, at: number): Promise<void> {
  await tx.updateTable('patron_merges').set({ undone_at: at, undone_by: by }).where('id', '=', id).execute();
}

/** The merges into a patron that can still be undone, newest first. */
export const undoableMergesInto = (db: Kysely<Database>, orgId: number, survivorId: number, now: number) =>
  db
    .selectFrom('patron_merges as m')
    .innerJoin('patrons as p', 'p.id', 'm.merged_id')
    .leftJoin('users as u', 'u.id', 'm.by_user_id')
    .select(['m.id', 'm.merged_id', 'p.name as merged_name', 'm.at', 'm.undo_until', 'u.name as by_name'])
    .where('m.org_id', '=', orgId)
    .where('m.survivor_id', '=', survivorId)
    .where('m.undone_at', 'is', null)
    .where('m.undo_until', '>', now)
    .orderBy('m.id', 'desc')
    .limit(20)
    .execute();

// ---- erasure -------------------------------------------------------------------------------

export async function insertErasedHashes(tx: Kysely<Database>, rows: Array<Insertable<PatronErasedHashesTable>>): Promise<void> {
  if (rows.length) await tx.insertInto('patron_erased_hashes').values(rows).onConflict((oc) => oc.columns(['org_id', 'hash']).doNothing()).execute();
}

export const isErasedHash = async (db: Kysely<Database>, orgId: number, hash: string) =>
  !!(await db.selectFrom('patron_erased_hashes').select('hash').where('org_id', '=', orgId).where('hash', '=', hash).executeTakeFirst());

/** Removes what is personal and has no statistic in it: contact points, notes, needs, ids. */
export async function deletePersonalRows(tx: Kysely<Database>, patronId: number): Promise<void> {
  await tx.deleteFrom('patron_contacts').where('patron_id', '=', patronId).execute();
  await tx.deleteFrom('patron_notes').where('patron_id', '=', patronId).execute();
  await tx.deleteFrom('patron_needs').where('patron_id', '=', patronId).execute();
  await tx.deleteFrom('patron_external_ids').where('patron_id', '=', patronId).execute();
}

/**
 * Blanks what the patron wrote (their messages' text) and returns their cases, to re-index.
 * The entries stay, with their times and channels, so every count and duration is unchanged.
 */
export async function blankPatronMessages(tx: Kysely<Database>, patronId: number, text: string): Promise<CaseRow[]> {
  await tx.updateTable('case_entries').set({ body: text }).where('author_patron_id', '=', patronId).where('author_patron_id', 'is not', null).execute();
  return tx.selectFrom('cases').selectAll().where('patron_id', '=', patronId).execute();
}

/** A patron's cases with their messages and notes, for a privacy export (bounded). */
export async function casesForExport(db: Kysely<Database>, orgId: number, patronId: number) {
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'number', 'subject', 'channel', 'status', 'created_at'])
    .where('org_id', '=', orgId)
    .where('patron_id', '=', patronId)
    .orderBy('created_at')
    .limit(2000)
    .execute();
  const entries = cases.length
    ? await db
        .selectFrom('case_entries as e')
        .leftJoin('users as u', 'u.id', 'e.author_user_id')
        .select(['e.case_id', 'e.kind', 'e.body', 'u.name as by', 'e.created_at'])
        .where('e.case_id', 'in', cases.map((c) => c.id))
        .where('e.kind', 'in', ['message_in', 'message_out'])
        .orderBy('e.case_id')
        .orderBy('e.id')
        .limit(50_000)
        .execute()
    : [];
  return { cases, entries };
}

export const auditAbout = (db: Kysely<Database>, orgId: number, patronId: number) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'created_at', 'detail'])
    .where('org_id', '=', orgId)
    .where('target_type', '=', 'patron')
    .where('target_id', '=', String(patronId))
    .orderBy('id')
    .limit(5000)
    .execute();

// ---- the patron list and its CSV export (issue 14) -------------------------------------------

export interface PatronListWhere {
  /** Only these patrons (the search's matches); undefined for no search. */
  ids?: number[] | undefined;
  failing?: boolean | undefined;
  doNotContact?: boolean | undefined;
  /** Created at or after / before (epoch ms). */
  from?: number | undefined;
  to?: number | undefined;
}

/**
 * One page of the organization's live patrons, newest first, keyset-paged on (created_at, id)
 * descending (index patrons_org_created). Named columns only: no notes, no value; the failing
 * contact points and the cases are counted per row (indexes patron_contacts_patron, cases_patron).
 */
export const patronListPage = (
  db: Kysely<Database>,
  orgId: number,
  f: PatronListWhere,
  after: { at: number; id: number } | null,
  limit: number,
) =>
  db
    .selectFrom('patrons as p')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.preferred_name',
      'p.email',
      'p.phone',
      'p.pronouns',
      'p.language',
      'p.do_not_contact_at',
      'p.first_contact_at',
      'p.last_contact_at',
      'p.created_at',
      eb
        .selectFrom('patron_contacts as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.patron_id', '=', 'p.id')
        .where('c.failing_at', 'is not', null)
        .as('failing_contacts'),
      eb
        .selectFrom('cases as k')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('k.patron_id', '=', 'p.id')
        .as('case_count'),
    ])
    .where('p.org_id', '=', orgId)
    .where('p.merged_into_id', 'is', null)
    .where('p.erased_at', 'is', null)
    .$if(f.ids !== undefined, (qb) => qb.where('p.id', 'in', f.ids!.length ? f.ids! : [0]))
    .$if(f.failing !== undefined, (qb) =>
      qb.where((eb) => {
        const failing = eb.exists(
          eb
            .selectFrom('patron_contacts as c')
            .select('c.id')
            .whereRef('c.patron_id', '=', 'p.id')
            .where('c.failing_at', 'is not', null),
        );
        return f.failing ? failing : eb.not(failing);
      }),
    )
    .$if(f.doNotContact !== undefined, (qb) => qb.where('p.do_not_contact_at', f.doNotContact ? 'is not' : 'is', null))
    .$if(f.from !== undefined, (qb) => qb.where('p.created_at', '>=', f.from!))
    .$if(f.to !== undefined, (qb) => qb.where('p.created_at', '<', f.to!))
    .$if(after !== null, (qb) =>
      qb.where((eb) =>
        eb.or([eb('p.created_at', '<', after!.at), eb.and([eb('p.created_at', '=', after!.at), eb('p.id', '<', after!.id)])]),
      ),
    )
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();

export type PatronListRow = Awaited<ReturnType<typeof patronListPage>>[number];

/** Relationship value per patron and currency, for a page of the export (index patron_value_records_patron). */
export const valueTotalsByPatron = (db: Kysely<Database>, patronIds: number[]) =>
  patronIds.length
    ? db
        .selectFrom('patron_value_records')
        .select((eb) => ['patron_id', 'currency', eb.fn.sum<number>('amount_minor').as('amount')])
        .where('patron_id', 'in', patronIds)
        .groupBy(['patron_id', 'currency'])
        .orderBy('patron_id')
        .orderBy('currency')
        .execute()
    : Promise.resolve([]);
