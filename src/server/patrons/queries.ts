// SQL for patrons and their notes.
import type { Insertable, Kysely, Updateable } from 'kysely';
import { prepared, type Params } from '../db/prepared.js';
import type { Database, PatronNotesTable, PatronsTable } from '../db/types.js';

export const findPatronByEmail = (db: Kysely<Database>, orgId: number, email: string) =>
  db
    .selectFrom('patrons')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();

export const findPatron = (db: Kysely<Database>, orgId: number, id: number) =>
  db.selectFrom('patrons').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

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
