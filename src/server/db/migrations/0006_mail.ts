// The email channel (issue 10): team addresses and signatures, relay settings, the outbox with
// every delivery try, inbound messages stored raw before they are parsed, attachments stored
// content-addressed, case participants (Cc), IMAP polling state, and a failing flag on a
// patron's email. Frozen in time like every migration.
import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

/** Written literally, as the queries repeat it: SQLite uses a partial index only then. */
const HELD = sql.raw<boolean>(`state = 'held'`);

export async function up(db: Kysely<any>): Promise<void> {
  const blob = isPostgres(db) ? 'bytea' : 'blob';

  // Addresses the desk receives mail at; each belongs to one team of one organization, so the
  // listener knows at RCPT whose mail it is. Stored lower-cased; unique install-wide.
  await withId(db, db.schema.createTable('team_addresses'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_addresses_team').on('team_addresses').columns(['org_id', 'team_id', 'id']).execute();

  // How a team writes: the address replies go out from, its signature, and whether new cases
  // get an acknowledgement (on unless switched off; booleans are nullable timestamps here).
  await db.schema
    .createTable('team_mail')
    .addColumn('team_id', 'integer', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('from_address', 'text')
    .addColumn('signature', 'text')
    .addColumn('acknowledge_off_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // The organization's relay. No row: the install-wide relay from the configuration, if any.
  await db.schema
    .createTable('mail_settings')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('relay_mode', 'text', (c) => c.notNull()) // default | smtp | catch_all
    .addColumn('relay_host', 'text')
    .addColumn('relay_port', 'integer')
    .addColumn('relay_security', 'text') // starttls | tls | none
    .addColumn('relay_username', 'text')
    .addColumn('relay_password', 'text')
    .addColumn('relay_self_signed_ok_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Outbound mail: written in the transaction of the change that sends it (a reply, an
  // acknowledgement), with its Message-ID and its composed bytes, so every try sends the very
  // same message; a job delivers it.
  await withId(db, db.schema.createTable('mail_outbox'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // reply | acknowledgement | notification | test
    .addColumn('case_id', 'integer', (c) => c.references('cases.id').onDelete('cascade'))
    .addColumn('entry_id', 'integer', (c) => c.references('case_entries.id').onDelete('set null'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('dedupe_key', 'text')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('thread_refs', 'text') // JSON: the References it carries
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull()) // JSON { to: [...], cc: [...] }
    .addColumn('envelope_from', 'text', (c) => c.notNull())
    .addColumn('envelope_to', 'text', (c) => c.notNull()) // JSON [address]
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('raw', blob, (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    // queued | sending | retrying | held | sent | failed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'bigint')
    // While a try is sending: until when it holds the message (a crashed try is known by it).
    .addColumn('claimed_until', 'bigint')
    .addColumn('relay', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Threading looks an id up among everything sent; a retry or a second queue is refused by it.
  await db.schema.createIndex('mail_outbox_message_id').unique().on('mail_outbox').columns(['org_id', 'message_id']).execute();
  await db.schema
    .createIndex('mail_outbox_dedupe')
    .unique()
    .on('mail_outbox')
    .columns(['org_id', 'dedupe_key'])
    .where(sql.ref('dedupe_key'), 'is not', null)
    .execute();
  await db.schema.createIndex('mail_outbox_case').on('mail_outbox').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('mail_outbox_entry').on('mail_outbox').column('entry_id').execute();
  // The admin's list (newest first, by state) and the release of held mail once a relay is set.
  await db.schema.createIndex('mail_outbox_org_state').on('mail_outbox').columns(['org_id', 'state', 'id']).execute();
  await db.schema.createIndex('mail_outbox_org').on('mail_outbox').columns(['org_id', 'id']).execute();
  // Held mail (no relay yet), across organizations: the periodic release reads only these.
  await db.schema.createIndex('mail_outbox_held').on('mail_outbox').columns(['org_id', 'id']).where(HELD).execute();

  // Every try to hand a message to the relay, with what the relay said.
  await withId(db, db.schema.createTable('mail_attempts'))
    .addColumn('outbox_id', 'integer', (c) => c.notNull().references('mail_outbox.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint', (c) => c.notNull())
    // sent | temporary | permanent | interrupted
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('relay', 'text')
    .execute();
  await db.schema.createIndex('mail_attempts_outbox').on('mail_attempts').columns(['outbox_id', 'id']).execute();

  // Inbound mail as received, committed before the sender hears 250; parsed and threaded later
  // by a job from the raw bytes. One row per organization a message was addressed to.
  await withId(db, db.schema.createTable('mail_inbound'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('message_id_derived_at', 'bigint') // set when the message had no Message-ID
    .addColumn('source', 'text', (c) => c.notNull()) // smtp | imap
    .addColumn('mail_from', 'text', (c) => c.notNull())
    .addColumn('rcpt_to', 'text', (c) => c.notNull()) // JSON [address]
    .addColumn('remote_address', 'text')
    .addColumn('helo', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('raw', blob, (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    // stored | threaded (its case and entry set) | unparseable is a flag, not a state
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('case_id', 'integer', (c) => c.references('cases.id').onDelete('set null'))
    .addColumn('entry_id', 'integer', (c) => c.references('case_entries.id').onDelete('set null'))
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('subject', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('thread_refs', 'text') // JSON: the References of a reply to this message
    .addColumn('thread_index', 'text')
    .addColumn('automatic', 'text') // null | auto_reply | bounce | bulk
    .addColumn('unparseable', 'text')
    .addColumn('details', 'text') // JSON: addresses, text and HTML parts, flags, warnings
    .addColumn('parsed_at', 'bigint')
    .execute();
  // A sender's retry is recognised by it; threading looks ids up by it.
  await db.schema.createIndex('mail_inbound_message_id').unique().on('mail_inbound').columns(['org_id', 'message_id']).execute();
  await db.schema.createIndex('mail_inbound_case').on('mail_inbound').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('mail_inbound_entry').on('mail_inbound').column('entry_id').execute();
  await db.schema.createIndex('mail_inbound_org').on('mail_inbound').columns(['org_id', 'id']).execute();

  // Attachment bytes, once per organization however often they arrive (key: SHA-256).
  await db.schema
    .createTable('mail_blobs')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', blob, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_blobs_pk', ['org_id', 'sha256'])
    .execute();
  await withId(db, db.schema.createTable('mail_attachments'))
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('inbound_id', 'integer', (c) => c.notNull().references('mail_inbound.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('inline_at', 'bigint') // set when the HTML shows it (an inline image)
    .execute();
  await db.schema.createIndex('mail_attachments_inbound').on('mail_attachments').columns(['inbound_id', 'position']).execute();

  // People copied on a case's mail (Cc): copied on replies until removed.
  await withId(db, db.schema.createTable('case_participants'))
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addColumn('removed_at', 'bigint')
    .addColumn('removed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('case_participants_address', ['case_id', 'address'])
    .execute();

  // Optional IMAP polling per organization; where it got to (UIDVALIDITY + last UID).
  await db.schema
    .createTable('mail_imap')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('enabled_at', 'bigint')
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('security', 'text', (c) => c.notNull()) // tls | starttls | none
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password', 'text', (c) => c.notNull())
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('move_to', 'text') // null: flag \Seen and leave it
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('uid_validity', 'text')
    .addColumn('last_uid', 'bigint')
    .addColumn('last_polled_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // A patron's email that bounced: kept (it is still theirs) and marked, with the reason. The
  // patron-memory work carries it over to contact points.
  await db.schema.alterTable('patrons').addColumn('email_failing_at', 'bigint').execute();
  await db.schema.alterTable('patrons').addColumn('email_failing_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'mail_imap',
    'case_participants',
    'mail_attachments',
    'mail_blobs',
    'mail_inbound',
    'mail_attempts',
    'mail_outbox',
    'mail_settings',
    'team_mail',
    'team_addresses',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('patrons').dropColumn('email_failing_reason').execute();
  await db.schema.alterTable('patrons').dropColumn('email_failing_at').execute();
}
