// Ready for a real office (issue 9): user emails unique per organization, not per install (so
// one organization cannot learn another's users); a kind on each audit row, so the log can be
// filtered and sign-ins left out cheaply; and a claim row that lets only one first-time setup
// through.
import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

/** The audit kind of an action, by its prefix, as the application writes it from now on. */
const KIND_OF_ACTION = sql.raw(`case
  when action like 'login.%' then 'sign_in'
  when action like 'user.%' or action like 'password.%' then 'user'
  when action like 'team.%' then 'team'
  when action like 'case.%' then 'case'
  when action like 'patron.%' then 'patron'
  when action like 'organization.%' or action like 'setup.%' then 'organization'
  else 'other' end`);

/** Written literally, as the queries repeat it: SQLite uses a partial index only then. */
const NOT_SIGN_IN = sql.raw<boolean>(`kind <> 'sign_in'`);

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table users drop constraint users_email_key`.execute(db);
  } else {
    await rebuildSqliteUsersWithoutGlobalEmail(db);
  }
  await sql`create unique index users_org_email on users (org_id, lower(email))`.execute(db);
  // Sign-in looks an email up across organizations.
  await sql`create index users_email on users (lower(email))`.execute(db);

  await db.schema
    .alterTable('audit_log')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('other'))
    .execute();
  await sql`update audit_log set kind = ${KIND_OF_ACTION}`.execute(db);
  await db.schema.createIndex('audit_log_org_kind').on('audit_log').columns(['org_id', 'kind', 'id']).execute();
  await db.schema.createIndex('audit_log_org_action').on('audit_log').columns(['org_id', 'action', 'id']).execute();
  // The log without sign-ins (its default view): sign-ins outnumber every other row.
  await db.schema.createIndex('audit_log_org_changes').on('audit_log').columns(['org_id', 'id']).where(NOT_SIGN_IN).execute();

  // At most one row (id 1): the first setup to insert it wins; a parallel one finds it taken.
  await withId(db, db.schema.createTable('setup_claims'))
    .addColumn('claimed_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('setup_claims_one', sql`id = 1`)
    .execute();
}

/**
 * SQLite cannot drop a column's UNIQUE: the table is rebuilt (SQLite's documented procedure,
 * foreign keys off meanwhile, checked before commit). Other tables refer to `users` by name,
 * so their references hold once the new table takes the name.
 */
async function rebuildSqliteUsersWithoutGlobalEmail(db: Kysely<any>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (tx) => {
      await withId(tx, tx.schema.createTable('users_new'))
        .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id'))
        .addColumn('email', 'text', (c) => c.notNull())
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
      const columns = sql.raw(
        'id, org_id, email, name, role, team_id, password_hash, failed_logins, locked_until, deactivated_at, password_changed_at, created_at',
      );
      await sql`insert into users_new (${columns}) select ${columns} from users`.execute(tx);
      await sql`drop table users`.execute(tx);
      await sql`alter table users_new rename to users`.execute(tx);
      await tx.schema.createIndex('users_org_name').on('users').columns(['org_id', 'name']).execute();
      const broken = await sql`pragma foreign_key_check`.execute(tx);
      if (broken.rows.length) throw new Error(`0004_office: foreign keys broken: ${JSON.stringify(broken.rows)}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('setup_claims').execute();
  for (const index of ['audit_log_org_changes', 'audit_log_org_action', 'audit_log_org_kind', 'users_email', 'users_org_email']) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.alterTable('audit_log').dropColumn('kind').execute();
  // Restoring install-wide uniqueness would fail once two organizations share an email; the
  // old schema's unique index is put back only where it still holds.
  await sql`create unique index users_email_key on users (email)`.execute(db);
}
