// SQL for the email channel: team addresses and how teams write, relay settings, the outbox
// and its tries, inbound mail, attachments and participants, and the IMAP mailboxes polled.
import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Updateable } from 'kysely';
import type {
  AttemptOutcome,
  CaseParticipantsTable,
  Database,
  MailAttachmentsTable,
  MailBlobsTable,
  MailInboundTable,
  MailAttemptsTable,
  MailImapTable,
  MailOutboxTable,
  MailSettingsTable,
  OutboxState,
} from '../db/types.js';

/** The held-mail condition, written exactly as the partial index mail_outbox_held has it. */
const HELD = sql<boolean>`state = 'held'`;

// ---- who writes, from where ------------------------------------------------------------------

/** The organization as mail needs it: name, reference prefix, default team. */
export const orgForMail = (db: Kysely<Database>, orgId: number) =>
  db
    .selectFrom('organizations')
    .select(['id', 'name', 'slug', 'case_prefix', 'default_team_id'])
    .where('id', '=', orgId)
    .executeTakeFirst();

/** A case as mail needs it: number, subject, team, status link, and its patron's email. */
export const caseForMail = (db: Kysely<Database>, orgId: number, caseId: number) =>
  db
    .selectFrom('cases as c')
    .leftJoin('patrons as p', 'p.id', 'c.patron_id')
    .select([
      'c.id',
      'c.number',
      'c.subject',
      'c.team_id',
      'c.assignee_id',
      'c.status_token',
      'c.patron_id',
      'p.name as patron_name',
      'p.email as patron_email',
    ])
    .where('c.org_id', '=', orgId)
    .where('c.id', '=', caseId)
    .executeTakeFirst();

/** What a team signs with and sends from; both may be unset. */
export const teamWriting = (db: Kysely<Database>, orgId: number, teamId: number) =>
  teamWritingBase(db, orgId).where('t.id', '=', teamId).executeTakeFirst();

/** The same for several teams of one organization at once. */
export const teamWritings = (db: Kysely<Database>, orgId: number, teamIds: readonly number[]) =>
  teamIds.length ? teamWritingBase(db, orgId).where('t.id', 'in', [...teamIds]).execute() : Promise.resolve([]);

const teamWritingBase = (db: Kysely<Database>, orgId: number) =>
  db
    .selectFrom('teams as t')
    .leftJoin('team_mail as m', 'm.team_id', 't.id')
    .select([
      't.id',
      't.name',
      'm.from_address',
      'm.signature',
      'm.acknowledge_off_at',
      sql<string | null>`(select a.address from team_addresses a where a.team_id = t.id order by a.id limit 1)`.as(
        'first_address',
      ),
    ])
    .where('t.org_id', '=', orgId);

/** The organization's first address of any team: the From of last resort. */
export const anyOrgAddress = async (db: Kysely<Database>, orgId: number) =>
  (
    await db
      .selectFrom('team_addresses')
      .select('address')
      .where('org_id', '=', orgId)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
  )?.address ?? null;

/** Whether an address is one of the organization's own (never write to ourselves). */
export const ownAddresses = async (db: Kysely<Database>, orgId: number, addresses: string[]) =>
  addresses.length
    ? (
        await db
          .selectFrom('team_addresses')
          .select('address')
          .where('org_id', '=', orgId)
          .where('address', 'in', addresses)
          .execute()
      ).map((r) => r.address)
    : [];

/** The latest message of a case's thread, in or out: what a reply answers. */
export async function threadTail(db: Kysely<Database>, caseId: number) {
  const inbound = await db
    .selectFrom('mail_inbound')
    .select(['id', 'message_id', 'thread_refs', 'thread_index', 'from_address', 'from_name', 'sent_at', 'received_at', 'details'])
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const outbound = await db
    .selectFrom('mail_outbox')
    .select(['id', 'message_id', 'thread_refs', 'created_at'])
    .where('case_id', '=', caseId)
    .where('kind', 'in', ['reply', 'acknowledgement'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { inbound, outbound };
}

/** The case's participants still copied on its mail. */
export const activeParticipants = (db: Kysely<Database>, caseId: number) =>
  db
    .selectFrom('case_participants')
    .select(['address', 'name'])
    .where('case_id', '=', caseId)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .limit(50)
    .execute();

// ---- relay settings ------------------------------------------------------------------------

export const mailSettings = (db: Kysely<Database>, orgId: number) =>
  db.selectFrom('mail_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();

export async function saveMailSettings(tx: Kysely<Database>, row: Insertable<MailSettingsTable>): Promise<void> {
  const { org_id: _org, ...set } = row;
  await tx
    .insertInto('mail_settings')
    .values(row)
    .onConflict((oc) => oc.column('org_id').doUpdateSet(set))
    .execute();
}

// ---- the outbox ----------------------------------------------------------------------------

export const insertOutbox = (tx: Kysely<Database>, row: Insertable<MailOutboxTable>) =>
  tx
    .insertInto('mail_outbox')
    .values(row)
    .returning(['id', 'message_id', 'state', 'envelope_to'])
    .executeTakeFirstOrThrow();

/** Many outbox rows in one statement; each comes back with its (unique) Message-ID. */
export const insertOutboxes = (tx: Kysely<Database>, rows: ReadonlyArray<Insertable<MailOutboxTable>>) =>
  tx
    .insertInto('mail_outbox')
    .values([...rows])
    .returning(['id', 'message_id', 'state', 'envelope_to'])
    .execute();

/** The messages already queued under any of these keys. */
export const outboxByKeys = (db: Kysely<Database>, orgId: number, keys: readonly string[]) =>
  keys.length
    ? db
        .selectFrom('mail_outbox')
        .select(['id', 'message_id', 'state', 'envelope_to', 'dedupe_key'])
        .where('org_id', '=', orgId)
        .where('dedupe_key', 'in', [...keys])
        .execute()
    : Promise.resolve([]);

export const outboxByKey = (db: Kysely<Database>, orgId: number, key: string) =>
  db
    .selectFrom('mail_outbox')
    .select(['id', 'message_id', 'state', 'envelope_to'])
    .where('org_id', '=', orgId)
    .where('dedupe_key', '=', key)
    .executeTakeFirst();

/** Everything a delivery needs, the bytes included. */
export const outboxForDelivery = (db: Kysely<Database>, id: number) =>
  db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();

/** The row's delivery state, under the row lock when asked (a try about to start). */
export const outboxState = (db: Kysely<Database>, id: number, lock: boolean) =>
  db
    .selectFrom('mail_outbox')
    .select(['id', 'org_id', 'case_id', 'state', 'attempts', 'claimed_until', 'updated_at', 'relay'])
    .where('id', '=', id)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();

export async function updateOutbox(tx: Kysely<Database>, id: number, set: Updateable<MailOutboxTable>): Promise<void> {
  await tx.updateTable('mail_outbox').set(set).where('id', '=', id).execute();
}

export async function insertAttempt(tx: Kysely<Database>, row: Insertable<MailAttemptsTable>): Promise<void> {
  await tx.insertInto('mail_attempts').values(row).execute();
}

/** Held mail of an organization, oldest first: what a newly configured relay sends. */
export const heldOutbox = (db: Kysely<Database>, orgId: number, limit: number) =>
  db
    .selectFrom('mail_outbox')
    .select('id')
    .where('org_id', '=', orgId)
    .where(HELD)
    .orderBy('id')
    .limit(limit)
    .execute();

/** Organizations with held mail (the periodic release looks at each). */
export const orgsWithHeldMail = (db: Kysely<Database>, limit: number) =>
  db.selectFrom('mail_outbox').select('org_id').where(HELD).groupBy('org_id').limit(limit).execute();

export async function requeueOutbox(tx: Kysely<Database>, ids: number[], now: number): Promise<void> {
  if (ids.length) {
    await tx
      .updateTable('mail_outbox')
      .set({ state: 'queued', updated_at: now })
      .where('id', 'in', ids)
      .where('state', '=', 'held')
      .execute();
  }
}

// ---- what the case and the admin see ---------------------------------------------------------

const OUTBOX_VIEW = [
  'o.id',
  'o.kind',
  'o.case_id',
  'o.entry_id',
  'o.message_id',
  'o.from_address',
  'o.recipients',
  'o.subject',
  'o.size',
  'o.state',
  'o.attempts',
  'o.last_error',
  'o.next_attempt_at',
  'o.relay',
  'o.sent_at',
  'o.created_at',
  'o.updated_at',
] as const;

/** The outbound mail of some timeline entries (a case page). */
export const outboxOfEntries = (db: Kysely<Database>, orgId: number, entryIds: number[]) =>
  entryIds.length
    ? db
        .selectFrom('mail_outbox as o')
        .select(OUTBOX_VIEW)
        .where('o.org_id', '=', orgId)
        .where('o.entry_id', 'in', entryIds)
        .orderBy('o.id')
        .execute()
    : Promise.resolve([]);

/** A case's outbound mail, newest first (acknowledgements carry no entry). */
export const outboxOfCase = (db: Kysely<Database>, caseId: number, limit: number) =>
  db.selectFrom('mail_outbox as o').select(OUTBOX_VIEW).where('o.case_id', '=', caseId).orderBy('o.id', 'desc').limit(limit).execute();

/** The organization's outbound mail, newest first, by keyset; optionally one state. */
export const outboxPage = (db: Kysely<Database>, orgId: number, opts: { state?: OutboxState; before?: number; limit: number }) =>
  db
    .selectFrom('mail_outbox as o')
    .select(OUTBOX_VIEW)
    .where('o.org_id', '=', orgId)
    .$if(opts.state !== undefined, (qb) => qb.where('o.state', '=', opts.state!))
    .$if(opts.before !== undefined, (qb) => qb.where('o.id', '<', opts.before!))
    .orderBy('o.id', 'desc')
    .limit(opts.limit)
    .execute();

export const outboxView = (db: Kysely<Database>, orgId: number, id: number) =>
  db.selectFrom('mail_outbox as o').select(OUTBOX_VIEW).where('o.org_id', '=', orgId).where('o.id', '=', id).executeTakeFirst();

export type OutboxViewRow = NonNullable<Awaited<ReturnType<typeof outboxView>>>;

/** One message's raw bytes (the catch-all viewer shows what the patron would receive). */
export const outboxRaw = (db: Kysely<Database>, orgId: number, id: number) =>
  db
    .selectFrom('mail_outbox')
    .select(['id', 'raw', 'relay', 'state'])
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();

/** The tries of some outbound messages, in order. */
export const attemptsOf = (db: Kysely<Database>, outboxIds: number[]) =>
  outboxIds.length
    ? db
        .selectFrom('mail_attempts')
        .select(['outbox_id', 'attempt', 'started_at', 'finished_at', 'outcome', 'response', 'relay'])
        .where('outbox_id', 'in', outboxIds)
        .orderBy('id')
        .execute()
    : Promise.resolve([]);

export type AttemptRow = { outbox_id: number; attempt: number; started_at: number; finished_at: number; outcome: AttemptOutcome; response: string | null; relay: string | null };

// ---- team addresses --------------------------------------------------------------------------

export const insertTeamAddress = (tx: Kysely<Database>, row: { org_id: number; team_id: number; address: string; created_at: number }) =>
  tx.insertInto('team_addresses').values(row).returning(['id', 'team_id', 'address', 'created_at']).executeTakeFirstOrThrow();

/** The organization's addresses by team, in the order they were added. */
export const teamAddresses = (db: Kysely<Database>, orgId: number) =>
  db.selectFrom('team_addresses').select(['id', 'team_id', 'address', 'created_at']).where('org_id', '=', orgId).orderBy('id').limit(500).execute();

export const findTeamAddress = (db: Kysely<Database>, orgId: number, id: number) =>
  db.selectFrom('team_addresses').select(['id', 'team_id', 'address']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

export async function deleteTeamAddress(tx: Kysely<Database>, id: number): Promise<void> {
  await tx.deleteFrom('team_addresses').where('id', '=', id).execute();
}

/** Who receives mail at an address (any organization): the listener's RCPT check. */
export const addressOwner = (db: Kysely<Database>, address: string) =>
  db.selectFrom('team_addresses').select(['org_id', 'team_id']).where('address', '=', address.toLowerCase()).executeTakeFirst();

/** The owners of several addresses at once (one message's recipients). */
export const addressOwners = (db: Kysely<Database>, addresses: string[]) =>
  addresses.length
    ? db.selectFrom('team_addresses').select(['org_id', 'team_id', 'address', 'id']).where('address', 'in', addresses).orderBy('id').execute()
    : Promise.resolve([]);

export const teamMailRows = (db: Kysely<Database>, orgId: number) =>
  db.selectFrom('team_mail').selectAll().where('org_id', '=', orgId).execute();

export async function saveTeamMail(
  tx: Kysely<Database>,
  row: { team_id: number; org_id: number; from_address: string | null; signature: string | null; acknowledge_off_at: number | null; updated_at: number },
): Promise<void> {
  const { team_id: _t, org_id: _o, ...set } = row;
  await tx
    .insertInto('team_mail')
    .values(row)
    .onConflict((oc) => oc.column('team_id').doUpdateSet(set))
    .execute();
}

// ---- inbound: stored before the 250, threaded by the parse job --------------------------------

/** Stores one received message; undefined when its Message-ID is stored already (a retry). */
export const insertInboundUnlessKnown = (tx: Kysely<Database>, row: Insertable<MailInboundTable>) =>
  tx
    .insertInto('mail_inbound')
    .values(row)
    .onConflict((oc) => oc.columns(['org_id', 'message_id']).doNothing())
    .returning('id')
    .executeTakeFirst();

export const inboundForParse = (db: Kysely<Database>, id: number) =>
  db
    .selectFrom('mail_inbound')
    .select(['id', 'org_id', 'team_id', 'state', 'raw', 'source', 'mail_from', 'rcpt_to', 'message_id', 'message_id_derived_at', 'received_at'])
    .where('id', '=', id)
    .executeTakeFirst();

/**
 * Messages of the organization with these Message-IDs that are stored but not threaded yet:
 * the earlier messages of a thread whose own parse jobs have not run (thread.ts threads them
 * first). Uses the (org_id, message_id) unique index; the caller bounds `ids`.
 */
export const unthreadedByMessageIds = (db: Kysely<Database>, orgId: number, ids: readonly string[]) =>
  ids.length
    ? db
        .selectFrom('mail_inbound')
        .select(['id', 'org_id', 'team_id', 'state', 'raw', 'source', 'mail_from', 'rcpt_to', 'message_id', 'message_id_derived_at', 'received_at'])
        .where('org_id', '=', orgId)
        .where('message_id', 'in', [...ids])
        .where('state', '=', 'stored')
        .orderBy('id')
        .execute()
    : Promise.resolve([]);

/** The class half of the advisory lock key that serializes one organization's threading. */
const THREADING_LOCK = 0x5377_0001;

/**
 * Threads one organization's mail one transaction at a time on PostgreSQL, until this
 * transaction ends (SQLite has a single writer already; `lock` is ctx.lockRows). Without it,
 * two messages of one thread threaded at once can each find no case and open two.
 */
export async function lockOrgThreading(tx: Kysely<Database>, orgId: number, lock: boolean): Promise<void> {
  if (lock) await sql`select pg_advisory_xact_lock(${THREADING_LOCK}::int, ${orgId}::int)`.execute(tx);
}

export const inboundState = (db: Kysely<Database>, id: number, lock: boolean) =>
  db
    .selectFrom('mail_inbound')
    .select(['id', 'state'])
    .where('id', '=', id)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();

export async function updateInbound(tx: Kysely<Database>, id: number, set: Updateable<MailInboundTable>): Promise<void> {
  await tx.updateTable('mail_inbound').set(set).where('id', '=', id).execute();
}

/**
 * The case numbers of messages with these ids, received or sent (thread by In-Reply-To and
 * References). Both lookups use the (org_id, message_id) unique indexes.
 */
export async function casesOfMessageIds(db: Kysely<Database>, orgId: number, ids: string[]) {
  if (!ids.length) return [];
  const inbound = await db
    .selectFrom('mail_inbound as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .select(['m.message_id', 'c.number'])
    .where('m.org_id', '=', orgId)
    .where('m.message_id', 'in', ids)
    .execute();
  const outbound = await db
    .selectFrom('mail_outbox as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .select(['o.message_id', 'c.number'])
    .where('o.org_id', '=', orgId)
    .where('o.message_id', 'in', ids)
    .execute();
  return [...inbound, ...outbound];
}

/** The patron's message an inbound email became (the latest one of the case). */
export const latestIncomingEntry = async (tx: Kysely<Database>, caseId: number) =>
  (
    await tx
      .selectFrom('case_entries')
      .select('id')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'message_in')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
  )?.id ?? null;

/** Keeps someone copied on a case; one removed stays removed (a later Cc does not undo it). */
export async function addParticipants(tx: Kysely<Database>, rows: Insertable<CaseParticipantsTable>[]): Promise<void> {
  if (rows.length) {
    await tx
      .insertInto('case_participants')
      .values(rows)
      .onConflict((oc) => oc.columns(['case_id', 'address']).doNothing())
      .execute();
  }
}

export const participantsOf = (db: Kysely<Database>, caseId: number) =>
  db
    .selectFrom('case_participants')
    .select(['id', 'address', 'name', 'added_at', 'removed_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .limit(100)
    .execute();

export async function removeParticipant(tx: Kysely<Database>, caseId: number, id: number, at: number, by: number): Promise<number> {
  const r = await tx
    .updateTable('case_participants')
    .set({ removed_at: at, removed_by: by })
    .where('case_id', '=', caseId)
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- attachments: bytes content-addressed per organization ----------------------------------

export async function putBlob(tx: Kysely<Database>, row: Insertable<MailBlobsTable>): Promise<void> {
  await tx
    .insertInto('mail_blobs')
    .values(row)
    .onConflict((oc) => oc.columns(['org_id', 'sha256']).doNothing())
    .execute();
}

export const blobContent = (db: Kysely<Database>, orgId: number, sha256: string) =>
  db.selectFrom('mail_blobs').select(['content', 'size']).where('org_id', '=', orgId).where('sha256', '=', sha256).executeTakeFirst();

export async function insertAttachments(tx: Kysely<Database>, rows: Insertable<MailAttachmentsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('mail_attachments').values(rows).execute();
}

export const attachment = (db: Kysely<Database>, orgId: number, id: number) =>
  db
    .selectFrom('mail_attachments as a')
    .innerJoin('mail_inbound as m', 'm.id', 'a.inbound_id')
    .select(['a.id', 'a.sha256', 'a.filename', 'a.content_type', 'a.size', 'a.inline_at', 'm.case_id'])
    .where('a.org_id', '=', orgId)
    .where('a.id', '=', id)
    .executeTakeFirst();

export const attachmentsOf = (db: Kysely<Database>, inboundIds: number[]) =>
  inboundIds.length
    ? db
        .selectFrom('mail_attachments')
        .select(['id', 'inbound_id', 'filename', 'content_type', 'size', 'content_id', 'inline_at'])
        .where('inbound_id', 'in', inboundIds)
        .orderBy('inbound_id')
        .orderBy('position')
        .execute()
    : Promise.resolve([]);

/** The email behind some timeline entries (a case page shows sender, parts, attachments). */
export const inboundOfEntries = (db: Kysely<Database>, orgId: number, entryIds: number[]) =>
  entryIds.length
    ? db
        .selectFrom('mail_inbound')
        .select(['id', 'entry_id', 'message_id', 'from_address', 'from_name', 'subject', 'sent_at', 'received_at', 'automatic', 'unparseable', 'details', 'size'])
        .where('org_id', '=', orgId)
        .where('entry_id', 'in', entryIds)
        .orderBy('id')
        .execute()
    : Promise.resolve([]);

export const inboundRaw = (db: Kysely<Database>, orgId: number, id: number) =>
  db.selectFrom('mail_inbound').select(['id', 'case_id', 'raw', 'mail_from']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** The organization's received mail, newest first, by keyset (the admin's view). */
export const inboundPage = (db: Kysely<Database>, orgId: number, opts: { before?: number; limit: number }) =>
  db
    .selectFrom('mail_inbound')
    .select(['id', 'message_id', 'mail_from', 'from_address', 'subject', 'received_at', 'state', 'case_id', 'automatic', 'unparseable', 'size'])
    .where('org_id', '=', orgId)
    .$if(opts.before !== undefined, (qb) => qb.where('id', '<', opts.before!))
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .execute();

/** Whether the team acknowledges new cases (on unless switched off), and its status token. */
export const caseAckFacts = (db: Kysely<Database>, caseId: number) =>
  db
    .selectFrom('cases as c')
    .leftJoin('team_mail as m', 'm.team_id', 'c.team_id')
    .leftJoin('patrons as p', 'p.id', 'c.patron_id')
    .select(['c.id', 'c.team_id', 'c.status_token', 'c.number', 'm.acknowledge_off_at', 'p.email as patron_email', 'p.name as patron_name'])
    .where('c.id', '=', caseId)
    .executeTakeFirst();

/** A case's received mail, oldest first (a case page). */
export const inboundOfCase = (db: Kysely<Database>, caseId: number, limit: number) =>
  db
    .selectFrom('mail_inbound')
    .select(['id', 'entry_id', 'message_id', 'from_address', 'from_name', 'subject', 'sent_at', 'received_at', 'automatic', 'unparseable', 'details', 'size'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .limit(limit)
    .execute();

export const orgTeams = (db: Kysely<Database>, orgId: number) =>
  db.selectFrom('teams').select(['id', 'name']).where('org_id', '=', orgId).orderBy('id').limit(200).execute();

/** An inline image of the organization's mail, by hash (the newest part that carried it). */
export const inlineImage = (db: Kysely<Database>, orgId: number, sha256: string) =>
  db
    .selectFrom('mail_attachments')
    .select(['id', 'content_type', 'size'])
    .where('org_id', '=', orgId)
    .where('sha256', '=', sha256)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();

// ---- IMAP polling: one mailbox per team address ----------------------------------------------

const IMAP_VIEW = [
  'i.id',
  'i.org_id',
  'i.address_id',
  'a.address',
  'a.team_id',
  'i.host',
  'i.port',
  'i.security',
  'i.username',
  'i.self_signed_ok_at',
  'i.mailbox',
  'i.move_to',
  'i.settings_at',
  'i.uid_validity',
  'i.last_uid',
  'i.stored_count',
  'i.last_polled_at',
  'i.last_error',
  'i.last_error_at',
  'i.failures',
  'i.notice',
  'i.next_poll_at',
  'i.polling_until',
] as const;

/** The organization's polled mailboxes with their state (never the password). */
export const imapMailboxes = (db: Kysely<Database>, orgId: number) =>
  db
    .selectFrom('mail_imap as i')
    .innerJoin('team_addresses as a', 'a.id', 'i.address_id')
    .select(IMAP_VIEW)
    .where('i.org_id', '=', orgId)
    .orderBy('i.id')
    .limit(500)
    .execute();

export type ImapViewRow = Awaited<ReturnType<typeof imapMailboxes>>[number];

/** One address's mailbox settings, the password included (a poll, a test, a save). */
export const imapOfAddress = (db: Kysely<Database>, orgId: number, addressId: number) =>
  db
    .selectFrom('mail_imap as i')
    .innerJoin('team_addresses as a', 'a.id', 'i.address_id')
    .select([...IMAP_VIEW, 'i.password'])
    .where('i.org_id', '=', orgId)
    .where('i.address_id', '=', addressId)
    .executeTakeFirst();

export type ImapSettingsRow = NonNullable<Awaited<ReturnType<typeof imapOfAddress>>>;

export async function saveImap(
  tx: Kysely<Database>,
  row: Omit<Insertable<MailImapTable>, 'id' | 'last_uid' | 'stored_count'>,
  resetPosition: boolean,
) {
  const { org_id: _o, address_id: _a, created_at: _c, ...set } = row;
  return tx
    .insertInto('mail_imap')
    .values(row)
    .onConflict((oc) =>
      oc.column('address_id').doUpdateSet({
        ...set,
        // Another server, account or mailbox: its UIDs mean nothing here; start over (the
        // Message-ID dedupe keeps whatever was stored already from being stored twice).
        ...(resetPosition ? { uid_validity: null, last_uid: 0 } : {}),
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function deleteImap(tx: Kysely<Database>, orgId: number, addressId: number): Promise<number> {
  const r = await tx.deleteFrom('mail_imap').where('org_id', '=', orgId).where('address_id', '=', addressId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Mailboxes due for a poll and not held by one (the sweep), oldest due first. */
export const imapDue = (db: Kysely<Database>, now: number, limit: number) =>
  db
    .selectFrom('mail_imap')
    .select(['id', 'org_id'])
    .where('next_poll_at', '<=', now)
    .where((eb) => eb.or([eb('polling_until', 'is', null), eb('polling_until', '<=', now)]))
    .orderBy('next_poll_at')
    .orderBy('id')
    .limit(limit)
    .execute();

/**
 * Takes the mailbox for one poll until `until`, unless another poll holds it; returns its
 * settings and position, or undefined (held, or gone).
 */
export async function claimImap(tx: Kysely<Database>, id: number, now: number, until: number) {
  const r = await tx
    .updateTable('mail_imap')
    .set({ polling_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('polling_until', 'is', null), eb('polling_until', '<=', now)]))
    .executeTakeFirst();
  if (!Number(r.numUpdatedRows)) return undefined;
  return tx
    .selectFrom('mail_imap as i')
    .innerJoin('team_addresses as a', 'a.id', 'i.address_id')
    .select([...IMAP_VIEW, 'i.password'])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/**
 * Writes a poll's progress or outcome, only if the settings it ran with are still the ones
 * saved (`settings_at`); false when they changed or the mailbox was removed meanwhile.
 */
export async function updateImapPoll(tx: Kysely<Database>, id: number, settingsAt: number, set: Updateable<MailImapTable>): Promise<boolean> {
  const r = await tx.updateTable('mail_imap').set(set).where('id', '=', id).where('settings_at', '=', settingsAt).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Counts what a batch stored, beside its new position. */
export async function advanceImap(
  tx: Kysely<Database>,
  id: number,
  settingsAt: number,
  a: { uidValidity: string; lastUid: number; stored: number; until: number; now: number },
): Promise<boolean> {
  const r = await tx
    .updateTable('mail_imap')
    .set((eb) => ({
      uid_validity: a.uidValidity,
      last_uid: a.lastUid,
      stored_count: eb('stored_count', '+', a.stored),
      polling_until: a.until,
      updated_at: a.now,
    }))
    .where('id', '=', id)
    .where('settings_at', '=', settingsAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// ---- erasure on a patron's request (erase.ts) -------------------------------------------------

/**
 * The inbound messages a patron sent: those threaded as their entries, and any other on their
 * cases from one of their addresses (an auto-reply or bounce is stored but is no entry).
 */
export function patronInboundIds(tx: Kysely<Database>, orgId: number, patronId: number, addresses: string[]) {
  return tx
    .selectFrom('mail_inbound')
    .select('id')
    .where('org_id', '=', orgId)
    .where((eb) =>
      eb.or([
        eb('entry_id', 'in', eb.selectFrom('case_entries').select('id').where('author_patron_id', '=', patronId)),
        ...(addresses.length
          ? [eb.and([eb('case_id', 'in', eb.selectFrom('cases').select('id').where('patron_id', '=', patronId)), eb('from_address', 'in', addresses)])]
          : []),
      ]),
    )
    .execute();
}

export const attachmentHashesOf = (tx: Kysely<Database>, inboundIds: number[]) =>
  tx.selectFrom('mail_attachments').select('sha256').distinct().where('inbound_id', 'in', inboundIds).execute();

export const deleteAttachmentsOf = (tx: Kysely<Database>, inboundIds: number[]) =>
  tx.deleteFrom('mail_attachments').where('inbound_id', 'in', inboundIds).executeTakeFirst();

/** Blobs among `hashes` that no attachment of the organization uses any more. */
export const deleteUnusedBlobs = (tx: Kysely<Database>, orgId: number, hashes: string[]) =>
  tx
    .deleteFrom('mail_blobs')
    .where('org_id', '=', orgId)
    .where('sha256', 'in', hashes)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('mail_attachments as a')
            .select('a.id')
            .whereRef('a.sha256', '=', 'mail_blobs.sha256')
            .where('a.org_id', '=', orgId),
        ),
      ),
    )
    .executeTakeFirst();

/** Keeps what counts (when, which case, the ids threading uses); drops the bytes and the words. */
export const blankInbound = (tx: Kysely<Database>, ids: number[]) =>
  tx
    .updateTable('mail_inbound')
    .set({ raw: Buffer.alloc(0), size: 0, mail_from: '', remote_address: null, helo: null, from_address: null, from_name: null, subject: null, details: null, thread_index: null })
    .where('id', 'in', ids)
    .executeTakeFirst();

/** Mail on a patron's cases (it went to them): the bytes and recipients go; unsent mail is not sent. */
export async function blankOutboxOfPatron(tx: Kysely<Database>, orgId: number, patronId: number, reason: string, now: number): Promise<number> {
  const onCases = (eb: ExpressionBuilder<Database, 'mail_outbox'>) => eb('case_id', 'in', eb.selectFrom('cases').select('id').where('patron_id', '=', patronId));
  await tx
    .updateTable('mail_outbox')
    .set({ state: 'failed', last_error: reason, claimed_until: null, next_attempt_at: null, updated_at: now })
    .where('org_id', '=', orgId)
    .where(onCases)
    .where('state', 'in', ['queued', 'sending', 'retrying', 'held'])
    .execute();
  const r = await tx
    .updateTable('mail_outbox')
    .set({ raw: Buffer.alloc(0), size: 0, recipients: JSON.stringify({ to: [], cc: [] }), envelope_to: '[]', updated_at: now })
    .where('org_id', '=', orgId)
    .where(onCases)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
