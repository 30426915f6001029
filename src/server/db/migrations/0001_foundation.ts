// The spine: organizations, teams, users and sessions, patrons, cases with their timeline,
// tags, per-queue counters, saved views and the audit log. Instants are epoch milliseconds
// (bigint) everywhere; booleans are avoided in favour of nullable timestamps.
import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

const OPEN = sql.raw<boolean>(`status in ('new', 'open', 'waiting', 'promised')`);

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('organizations'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('case_prefix', 'text', (c) => c.notNull())
    .addColumn('case_seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('teams'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('teams_org_name', ['org_id', 'name'])
    .execute();

  // New web (and later email) cases land in this team's queue.
  await db.schema
    .alterTable('organizations')
    .addColumn('default_team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .execute();

  await withId(db, db.schema.createTable('users'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('deactivated_at', 'bigint')
    .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_org_name').on('users').columns(['org_id', 'name']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey()) // sha-256 of the cookie token
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('app_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('patrons'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('preferred_name', 'text')
    .addColumn('email', 'text') // lower-cased
    .addColumn('phone', 'text')
    .addColumn('phone_digits', 'text')
    .addColumn('language', 'text')
    .addColumn('first_contact_at', 'bigint')
    .addColumn('last_contact_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One patron per email in an organization; patrons without email are many.
  await db.schema
    .createIndex('patrons_org_email')
    .unique()
    .on('patrons')
    .columns(['org_id', 'email'])
    .where(sql.ref('email'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('patrons_org_phone')
    .on('patrons')
    .columns(['org_id', 'phone_digits'])
    .execute();
  await db.schema
    .createIndex('patrons_org_name')
    .on('patrons')
    .columns(['org_id', 'name', 'id'])
    .execute();

  await withId(db, db.schema.createTable('patron_notes'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('patron_id', 'integer', (c) =>
      c.notNull().references('patrons.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull()) // general | personal
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('patron_notes_patron')
    .on('patron_notes')
    .columns(['patron_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('cases'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('patron_id', 'integer', (c) => c.references('patrons.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('assignee_id', 'integer', (c) => c.references('users.id'))
    .addColumn('status_token', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
    .addColumn('first_response_at', 'bigint')
    .addColumn('first_response_ms', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolution_ms', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addUniqueConstraint('cases_org_number', ['org_id', 'number'])
    .execute();

  // Queue indexes. Every queue list is "scope, ordered by last activity or by age, keyset".
  // Open queues use partial indexes so that a million closed cases never get scanned.
  const queueIndexes: Array<[string, string[], boolean]> = [
    ['cases_open_activity', ['org_id', 'last_activity_at', 'id'], true],
    ['cases_open_created', ['org_id', 'created_at', 'id'], true],
    ['cases_open_team_activity', ['org_id', 'team_id', 'last_activity_at', 'id'], true],
    ['cases_open_team_created', ['org_id', 'team_id', 'created_at', 'id'], true],
    ['cases_open_assignee_activity', ['org_id', 'assignee_id', 'last_activity_at', 'id'], true],
    ['cases_open_assignee_created', ['org_id', 'assignee_id', 'created_at', 'id'], true],
    ['cases_activity', ['org_id', 'last_activity_at', 'id'], false],
    ['cases_created', ['org_id', 'created_at', 'id'], false],
    ['cases_status_activity', ['org_id', 'status', 'last_activity_at', 'id'], false],
    ['cases_patron', ['patron_id', 'last_activity_at', 'id'], false],
  ];
  for (const [name, columns, open] of queueIndexes) {
    let index = db.schema.createIndex(name).on('cases').columns(columns);
    if (open) index = index.where(OPEN);
    await index.execute();
  }

  await withId(db, db.schema.createTable('case_entries'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // message_in | message_out | note | event
    .addColumn('channel', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('road', 'text')
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('author_patron_id', 'integer', (c) => c.references('patrons.id'))
    .addColumn('event_type', 'text')
    .addColumn('event_data', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_entries_case')
    .on('case_entries')
    .columns(['case_id', 'id'])
    .execute();

  await db.schema
    .createTable('case_tags')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_tags_pk', ['case_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('case_tags_org_tag')
    .on('case_tags')
    .columns(['org_id', 'tag', 'case_id'])
    .execute();

  // Counts per queue kept in step with every case write (team 0 / assignee 0 = none), so a
  // queue count is a sum over a handful of rows instead of COUNT(*) over the cases table.
  await db.schema
    .createTable('case_counters')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('team_id', 'integer', (c) => c.notNull())
    .addColumn('assignee_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_counters_pk', ['org_id', 'team_id', 'assignee_id', 'status'])
    .execute();

  await withId(db, db.schema.createTable('saved_views'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('saved_views_user_name', ['user_id', 'name'])
    .execute();

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id'))
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_org').on('audit_log').columns(['org_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'audit_log',
    'saved_views',
    'case_counters',
    'case_tags',
    'case_entries',
    'cases',
    'patron_notes',
    'patrons',
    'app_secrets',
    'sessions',
    'users',
    'teams',
    'organizations',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
