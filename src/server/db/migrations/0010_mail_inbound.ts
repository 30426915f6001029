// Inbound mail wired end to end (issue 10): which team's address a stored message came in by
// (kept at the moment of the 250, so removing an address later does not orphan a message not
// yet threaded), and the lists the desk reads: messages not yet threaded, and a case's
// participants in the order they joined. Frozen in time like every migration.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_inbound').addColumn('team_id', 'integer').execute();
  // Whether the session ran over TLS and who signed in, as the trace of how it came.
  await db.schema.alterTable('mail_inbound').addColumn('secure_at', 'bigint').execute();
  await db.schema.alterTable('mail_inbound').addColumn('auth_user', 'text').execute();
  // The admin's "not threaded yet / unparseable" list, newest first.
  await db.schema.createIndex('mail_inbound_org_state').on('mail_inbound').columns(['org_id', 'state', 'id']).execute();
  await db.schema.createIndex('case_participants_case').on('case_participants').columns(['case_id', 'id']).execute();
  // The attachments of many messages at once (a case page), and the blob reads by hash.
  await db.schema.createIndex('mail_attachments_org_sha').on('mail_attachments').columns(['org_id', 'sha256']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_attachments_org_sha').execute();
  await db.schema.dropIndex('case_participants_case').execute();
  await db.schema.dropIndex('mail_inbound_org_state').execute();
  await db.schema.alterTable('mail_inbound').dropColumn('auth_user').execute();
  await db.schema.alterTable('mail_inbound').dropColumn('secure_at').execute();
  await db.schema.alterTable('mail_inbound').dropColumn('team_id').execute();
}
