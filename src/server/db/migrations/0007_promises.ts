// Promises (issue 11): what was promised to whom, by when and how, who owns it, and its
// history (made, renegotiated with consent, reminded, broken, escalated, kept, kept late).
// Per-team reminder settings. Frozen in time like every migration.
import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

/** Written literally, as the queries repeat it: SQLite uses a partial index only then. */
const PENDING = sql.raw<boolean>(`state in ('open', 'broken')`);
const SETTLED = sql.raw<boolean>(`state in ('kept', 'kept_late', 'broken')`);

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('promises'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    // To whom: the case's patron, or a colleague on an internal case.
    .addColumn('patron_id', 'integer', (c) => c.references('patrons.id').onDelete('set null'))
    .addColumn('to_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('owner_user_id', 'integer', (c) => c.notNull().references('users.id'))
    // The team whose promises these are (the case's team when made, else the owner's).
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('how', 'text', (c) => c.notNull()) // call | email | letter | in_person
    // By when: due_at, or a window whose end is due_at.
    .addColumn('window_start', 'bigint')
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('permission_asked', 'integer', (c) => c.notNull())
    .addColumn('patron_answer', 'text')
    // open → kept | broken; broken → kept_late (broken_at stays).
    .addColumn('state', 'text', (c) => c.notNull())
    // Renegotiations so far: jobs carry it, and a job of an older version does nothing.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('reminded_at', 'bigint')
    .addColumn('broken_at', 'bigint')
    .addColumn('escalated_at', 'bigint')
    .addColumn('kept_at', 'bigint')
    .addColumn('kept_entry_id', 'integer', (c) => c.references('case_entries.id').onDelete('set null'))
    .addColumn('kept_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('made_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // My promises / the team's promises still to keep, soonest first.
  await db.schema.createIndex('promises_owner_pending').on('promises').columns(['owner_user_id', 'due_at', 'id']).where(PENDING).execute();
  await db.schema.createIndex('promises_team_pending').on('promises').columns(['team_id', 'due_at', 'id']).where(PENDING).execute();
  // Kept today, newest first.
  await db.schema.createIndex('promises_owner_kept').on('promises').columns(['owner_user_id', 'kept_at']).execute();
  // Kept rate over a period (by due time): organization, team, person.
  await db.schema.createIndex('promises_org_due').on('promises').columns(['org_id', 'due_at', 'state']).where(SETTLED).execute();
  await db.schema.createIndex('promises_team_due').on('promises').columns(['team_id', 'due_at', 'state']).where(SETTLED).execute();
  await db.schema.createIndex('promises_owner_due').on('promises').columns(['owner_user_id', 'due_at', 'state']).where(SETTLED).execute();
  // On a case, on a patron: newest first.
  await db.schema.createIndex('promises_case').on('promises').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('promises_patron').on('promises').columns(['patron_id', 'id']).execute();

  await withId(db, db.schema.createTable('promise_events'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('promise_id', 'integer', (c) => c.notNull().references('promises.id').onDelete('cascade'))
    // made | renegotiated | reminded | broken | escalated | kept | kept_late
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('old_due_at', 'bigint')
    .addColumn('new_due_at', 'bigint')
    .addColumn('entry_id', 'integer', (c) => c.references('case_entries.id').onDelete('set null'))
    .addColumn('note', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('promise_events_promise').on('promise_events').columns(['promise_id', 'id']).execute();

  // How long before due a team's promise owners are reminded, and how long after due its
  // supervisors hear of one not kept.
  await db.schema
    .createTable('team_promise_settings')
    .addColumn('team_id', 'integer', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('reminder_lead_ms', 'bigint', (c) => c.notNull())
    .addColumn('escalate_after_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_promise_settings').execute();
  await db.schema.dropTable('promise_events').execute();
  await db.schema.dropTable('promises').execute();
}
