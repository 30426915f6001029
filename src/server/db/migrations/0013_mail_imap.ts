// IMAP polling (issue 10), for organizations that cannot point mail at the listener: one
// mailbox per team address, polled by a job. 0006 sketched a table per organization that
// nothing ever wrote; it is replaced by one keyed by the team address the mail is for, with
// where the poll got to (UIDVALIDITY and the highest UID stored) and how the last one went.
// Frozen in time like every migration.
import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_imap').execute();
  await withId(db, db.schema.createTable('mail_imap'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    // The mail is stored as if sent to this address: its team gets the case.
    .addColumn('address_id', 'integer', (c) => c.notNull().unique().references('team_addresses.id').onDelete('cascade'))
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('security', 'text', (c) => c.notNull()) // tls | starttls | none
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password', 'text', (c) => c.notNull())
    .addColumn('self_signed_ok_at', 'bigint')
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('move_to', 'text') // null: add \Seen and the desk's keyword, leave it there
    // When the settings were last saved: a poll that started before writes nothing after.
    .addColumn('settings_at', 'bigint', (c) => c.notNull())
    .addColumn('uid_validity', 'text') // the server's UIDVALIDITY (up to 2^32-1), as text
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('stored_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_polled_at', 'bigint') // the last poll that went through
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'bigint')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0)) // in a row: the backoff
    .addColumn('notice', 'text') // e.g. a message too large to store, left in the mailbox
    .addColumn('next_poll_at', 'bigint', (c) => c.notNull())
    .addColumn('polling_until', 'bigint') // a poll holds the mailbox until then
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // The sweep's "which mailboxes are due", and the admin screen's list.
  await db.schema.createIndex('mail_imap_due').on('mail_imap').columns(['next_poll_at', 'id']).execute();
  await db.schema.createIndex('mail_imap_org').on('mail_imap').columns(['org_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_imap').execute();
  await db.schema
    .createTable('mail_imap')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('enabled_at', 'bigint')
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('security', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password', 'text', (c) => c.notNull())
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('move_to', 'text')
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('uid_validity', 'text')
    .addColumn('last_uid', 'bigint')
    .addColumn('last_polled_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
