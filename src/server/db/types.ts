// Table types, declared once. Rows never leave the server as they are: each domain maps them
// to its contract shape (`toCaseView`, `toUserView`, ...).
import type { Generated, Selectable } from 'kysely';

export type Role = 'admin' | 'supervisor' | 'associate' | 'volunteer';

export interface OrganizationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  locale: string;
  time_zone: string;
  currency: string;
  case_prefix: string;
  case_seq: number;
  default_team_id: number | null;
  created_at: number;
}

export interface TeamsTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  org_id: number;
  email: string;
  name: string;
  role: Role;
  team_id: number | null;
  password_hash: string;
  failed_logins: Generated<number>;
  locked_until: number | null;
  deactivated_at: number | null;
  password_changed_at: number;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface AppSecretsTable {
  name: string;
  value: string;
}

export interface PatronsTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  preferred_name: string | null;
  email: string | null;
  phone: string | null;
  phone_digits: string | null;
  language: string | null;
  first_contact_at: number | null;
  last_contact_at: number | null;
  created_at: number;
  updated_at: number;
  /** Set when mail to `email` bounced (migration 0006), with the reason. */
  email_failing_at: number | null;
  email_failing_reason: string | null;
  /** Patron memory (migration 0009). */
  pronouns: string | null;
  accessibility: string | null;
  contact_channel: ContactChannel | null;
  contact_best_time: string | null;
  do_not_contact_at: number | null;
  name_key: string | null;
  household_id: number | null;
  merged_into_id: number | null;
  merged_at: number | null;
  erased_at: number | null;
  asked_for_user_id: number | null;
}

export interface PatronNotesTable {
  id: Generated<number>;
  org_id: number;
  patron_id: number;
  kind: 'general' | 'personal';
  body: string;
  author_user_id: number | null;
  created_at: number;
}

export type CaseStatus = 'new' | 'open' | 'waiting' | 'promised' | 'resolved' | 'closed';
export type CaseChannel = 'email' | 'web' | 'phone' | 'walk_in' | 'internal';
export type CasePriority = 'low' | 'normal' | 'high' | 'urgent';
export type Road = 'learn' | 'care' | 'teach' | 'redirect';
export type EntryKind = 'message_in' | 'message_out' | 'note' | 'event';

export interface CasesTable {
  id: Generated<number>;
  org_id: number;
  number: number;
  patron_id: number | null;
  channel: CaseChannel;
  subject: string;
  status: CaseStatus;
  priority: CasePriority;
  team_id: number | null;
  assignee_id: number | null;
  status_token: string;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  first_response_at: number | null;
  first_response_ms: number | null;
  resolved_at: number | null;
  resolution_ms: number | null;
  closed_at: number | null;
}

export interface CaseEntriesTable {
  id: Generated<number>;
  org_id: number;
  case_id: number;
  kind: EntryKind;
  channel: CaseChannel | null;
  body: string;
  road: Road | null;
  author_user_id: number | null;
  author_patron_id: number | null;
  event_type: string | null;
  event_data: string | null;
  created_at: number;
}

export interface CaseTagsTable {
  case_id: number;
  org_id: number;
  tag: string;
}

export interface CaseCountersTable {
  org_id: number;
  team_id: number;
  assignee_id: number;
  status: CaseStatus;
  n: number;
}

export interface SavedViewsTable {
  id: Generated<number>;
  org_id: number;
  user_id: number;
  name: string;
  filters: string;
  created_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  org_id: number | null;
  actor_user_id: number | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: string | null;
  ip: string | null;
  created_at: number;
  /** Derived from the action's prefix (contracts/audit.ts), for filtering. */
  kind: Generated<string>;
}

export interface Database {
  organizations: OrganizationsTable;
  teams: TeamsTable;
  users: UsersTable;
  sessions: SessionsTable;
  app_secrets: AppSecretsTable;
  patrons: PatronsTable;
  patron_notes: PatronNotesTable;
  cases: CasesTable;
  case_entries: CaseEntriesTable;
  case_tags: CaseTagsTable;
  case_counters: CaseCountersTable;
  saved_views: SavedViewsTable;
  audit_log: AuditLogTable;
  case_presence: CasePresenceTable;
  jobs: JobsTable;
  setup_claims: SetupClaimsTable;
  team_addresses: TeamAddressesTable;
  team_mail: TeamMailTable;
  mail_settings: MailSettingsTable;
  mail_outbox: MailOutboxTable;
  mail_attempts: MailAttemptsTable;
  mail_inbound: MailInboundTable;
  mail_blobs: MailBlobsTable;
  mail_attachments: MailAttachmentsTable;
  case_participants: CaseParticipantsTable;
  mail_imap: MailImapTable;
  patron_contacts: PatronContactsTable;
  patron_needs: PatronNeedsTable;
  patron_need_events: PatronNeedEventsTable;
  patron_value_records: PatronValueRecordsTable;
  patron_duplicates: PatronDuplicatesTable;
  patron_distinct: PatronDistinctTable;
  patron_merges: PatronMergesTable;
  patron_import_sources: PatronImportSourcesTable;
  patron_external_ids: PatronExternalIdsTable;
  patron_import_batches: PatronImportBatchesTable;
  patron_import_changes: PatronImportChangesTable;
  patron_erased_hashes: PatronErasedHashesTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type UserRow = Selectable<UsersTable>;
export type PatronRow = Selectable<PatronsTable>;
export type CaseRow = Selectable<CasesTable>;

/** At most one row: the first-time setup that got there first (migration 0004). */
export interface SetupClaimsTable {
  id: number;
  claimed_at: number;
}

export interface CasePresenceTable {
  case_id: number;
  user_id: number;
  org_id: number;
  state: 'viewing' | 'composing';
  since: number;
  expires_at: number;
}

export type JobState = 'queued' | 'running' | 'done' | 'dead';

export interface JobsTable {
  id: Generated<number>;
  org_id: number | null;
  kind: string;
  payload: string;
  state: JobState;
  run_at: number;
  available_at: number;
  attempts: Generated<number>;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  unique_key: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export type JobRow = Selectable<JobsTable>;

// ---- the email channel (migration 0006) ---------------------------------------------------

export interface TeamAddressesTable {
  id: Generated<number>;
  org_id: number;
  team_id: number;
  /** Lower-cased. */
  address: string;
  created_at: number;
}

export interface TeamMailTable {
  team_id: number;
  org_id: number;
  from_address: string | null;
  signature: string | null;
  acknowledge_off_at: number | null;
  updated_at: number;
}

export type RelayMode = 'default' | 'smtp' | 'catch_all';
export type RelaySecurity = 'starttls' | 'tls' | 'none';

export interface MailSettingsTable {
  org_id: number;
  relay_mode: RelayMode;
  relay_host: string | null;
  relay_port: number | null;
  relay_security: RelaySecurity | null;
  relay_username: string | null;
  relay_password: string | null;
  relay_self_signed_ok_at: number | null;
  updated_at: number;
}

export type OutboundKind = 'reply' | 'acknowledgement' | 'notification' | 'test';
export type OutboxState = 'queued' | 'sending' | 'retrying' | 'held' | 'sent' | 'failed';

export interface MailOutboxTable {
  id: Generated<number>;
  org_id: number;
  kind: OutboundKind;
  case_id: number | null;
  entry_id: number | null;
  team_id: number | null;
  created_by: number | null;
  dedupe_key: string | null;
  message_id: string;
  in_reply_to: string | null;
  thread_refs: string | null;
  from_address: string;
  recipients: string;
  envelope_from: string;
  envelope_to: string;
  subject: string;
  raw: Buffer;
  size: number;
  state: OutboxState;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: number | null;
  claimed_until: number | null;
  relay: string | null;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

export type AttemptOutcome = 'sent' | 'temporary' | 'permanent' | 'interrupted';

export interface MailAttemptsTable {
  id: Generated<number>;
  outbox_id: number;
  org_id: number;
  attempt: number;
  started_at: number;
  finished_at: number;
  outcome: AttemptOutcome;
  response: string | null;
  relay: string | null;
}

export type InboundState = 'stored' | 'threaded';
export type AutomaticKind = 'auto_reply' | 'bounce' | 'bulk';

export interface MailInboundTable {
  id: Generated<number>;
  org_id: number;
  message_id: string;
  message_id_derived_at: number | null;
  source: 'smtp' | 'imap';
  mail_from: string;
  rcpt_to: string;
  remote_address: string | null;
  helo: string | null;
  received_at: number;
  raw: Buffer;
  size: number;
  state: InboundState;
  case_id: number | null;
  entry_id: number | null;
  from_address: string | null;
  from_name: string | null;
  subject: string | null;
  sent_at: number | null;
  thread_refs: string | null;
  thread_index: string | null;
  automatic: AutomaticKind | null;
  unparseable: string | null;
  details: string | null;
  parsed_at: number | null;
  team_id: number | null;
  secure_at: number | null;
  auth_user: string | null;
}

export interface MailBlobsTable {
  org_id: number;
  sha256: string;
  size: number;
  content: Buffer;
  created_at: number;
}

export interface MailAttachmentsTable {
  id: Generated<number>;
  org_id: number;
  inbound_id: number;
  position: number;
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  content_id: string | null;
  inline_at: number | null;
}

export interface CaseParticipantsTable {
  id: Generated<number>;
  org_id: number;
  case_id: number;
  address: string;
  name: string;
  added_at: number;
  removed_at: number | null;
  removed_by: number | null;
}

export type ImapSecurity = 'tls' | 'starttls' | 'none';

export interface MailImapTable {
  id: Generated<number>;
  org_id: number;
  address_id: number;
  host: string;
  port: number;
  security: ImapSecurity;
  username: string;
  password: string;
  self_signed_ok_at: number | null;
  mailbox: string;
  move_to: string | null;
  settings_at: number;
  uid_validity: string | null;
  last_uid: Generated<number>;
  stored_count: Generated<number>;
  last_polled_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  failures: Generated<number>;
  notice: string | null;
  next_poll_at: number;
  polling_until: number | null;
  created_at: number;
  updated_at: number;
}

export type MailOutboxRow = Selectable<MailOutboxTable>;
export type MailInboundRow = Selectable<MailInboundTable>;

// Search (0005_search): an inverted index of our own, the same tables on both dialects.
export interface SearchTermsTable {
  id: Generated<number>;
  org_id: number;
  /** Which index and where in the document: 'case', 'case.title', 'case.pair', 'patron', … */
  scope: string;
  term: string;
  /** How many documents hold the term (kept in the writing transaction). */
  df: number;
}

export interface SearchPostingsTable {
  term_id: number;
  doc_id: number;
}

export interface SearchWordsTable {
  org_id: number;
  kind: string;
  word: string;
  stem: string;
}

export interface SearchDocsTable {
  /** doc id × 4 + kind (0 case, 1 patron, 2 personal notes). */
  id: number;
  org_id: number;
  title: string;
  terms: string;
}

export interface Database {
  search_terms: SearchTermsTable;
  search_postings: SearchPostingsTable;
  search_words: SearchWordsTable;
  search_docs: SearchDocsTable;
}

// Promises (0007_promises) and in-app notifications (0011_notifications), issue 11.
export type PromiseHow = 'call' | 'email' | 'letter' | 'in_person';
export type PromiseState = 'open' | 'kept' | 'broken' | 'kept_late' | 'released';
export type PromiseEventKind = 'made' | 'renegotiated' | 'reminded' | 'broken' | 'escalated' | 'kept' | 'kept_late' | 'released';

export interface PromisesTable {
  id: Generated<number>;
  org_id: number;
  case_id: number;
  patron_id: number | null;
  to_user_id: number | null;
  owner_user_id: number;
  team_id: number | null;
  what: string;
  how: PromiseHow;
  window_start: number | null;
  due_at: number;
  /** 1 or 0. */
  permission_asked: number;
  patron_answer: string | null;
  state: PromiseState;
  version: number;
  reminded_at: number | null;
  broken_at: number | null;
  escalated_at: number | null;
  kept_at: number | null;
  kept_entry_id: number | null;
  kept_by: number | null;
  made_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface PromiseEventsTable {
  id: Generated<number>;
  org_id: number;
  promise_id: number;
  kind: PromiseEventKind;
  by_user_id: number | null;
  old_due_at: number | null;
  new_due_at: number | null;
  entry_id: number | null;
  note: string | null;
  at: number;
}

export interface TeamPromiseSettingsTable {
  team_id: number;
  org_id: number;
  reminder_lead_ms: number;
  escalate_after_ms: number;
  updated_at: number;
}

export interface NotificationsTable {
  id: Generated<number>;
  org_id: number;
  user_id: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  dedupe_key: string | null;
  created_at: number;
  read_at: number | null;
}

export type PromiseRow = Selectable<PromisesTable>;

export interface Database {
  promises: PromisesTable;
  promise_events: PromiseEventsTable;
  team_promise_settings: TeamPromiseSettingsTable;
  notifications: NotificationsTable;
}

// ---- staffing (migration 0008) ----------------------------------------------------------

export type ServiceMode = 'answer_now' | 'take_time';

export interface ServiceModesTable {
  id: Generated<number>;
  org_id: number;
  team_id: number;
  channel: CaseChannel;
  mode: ServiceMode;
  target_seconds: number;
  service_level_target: number;
  /** 1: the target counts business hours only (emails within 4 working hours). */
  working_hours: number;
  handle_seconds: number;
  patience_seconds: number | null;
  updated_at: number;
}

export interface TeamHoursTable {
  team_id: number;
  org_id: number;
  /** JSON: [{ weekday (0 = Monday), opens, closes }] in minutes of the local day. */
  hours: string;
  updated_at: number;
}

export interface TeamHolidaysTable {
  id: Generated<number>;
  org_id: number;
  team_id: number;
  /** Local days since 1970-01-01. */
  day: number;
  note: string;
}

export interface ArrivalCountsTable {
  org_id: number;
  team_id: number;
  channel: CaseChannel;
  day: number;
  hour: number;
  count: number;
}

export type ForecastEditKind = 'exclude' | 'set' | 'scale';

export interface ForecastEditsTable {
  id: Generated<number>;
  org_id: number;
  team_id: number;
  channel: CaseChannel;
  kind: ForecastEditKind;
  day: number;
  from_hour: number;
  to_hour: number;
  value: number | null;
  note: string;
  created_by: number | null;
  created_at: number;
}

export interface RosterShiftsTable {
  id: Generated<number>;
  org_id: number;
  team_id: number;
  user_id: number;
  weekday: number;
  from_hour: number;
  to_hour: number;
}

export interface StaffingWarningsTable {
  team_id: number;
  channel: CaseChannel;
  org_id: number;
  arrivals_per_hour: number;
  required: number;
  on_shift: number;
  since: number;
  checked_at: number;
}

export interface SlotsTable {
  id: Generated<number>;
  org_id: number;
  team_id: number;
  channel: CaseChannel;
  starts_at: number;
  length_minutes: number;
  capacity: number;
  booked: Generated<number>;
  created_by: number | null;
  created_at: number;
}

export interface BookingsTable {
  id: Generated<number>;
  org_id: number;
  slot_id: number;
  case_id: number;
  booked_by: number | null;
  note: string;
  promise_id: number | null;
  created_at: number;
  cancelled_at: number | null;
}

export interface Database {
  service_modes: ServiceModesTable;
  team_hours: TeamHoursTable;
  team_holidays: TeamHolidaysTable;
  arrival_counts: ArrivalCountsTable;
  forecast_edits: ForecastEditsTable;
  roster_shifts: RosterShiftsTable;
  staffing_warnings: StaffingWarningsTable;
  slots: SlotsTable;
  bookings: BookingsTable;
}

// ---- patron memory (migration 0009) -------------------------------------------------------

export type ContactChannel = 'email' | 'phone' | 'sms' | 'post' | 'any';
export type ContactKind = 'email' | 'phone';
export type NeedStatus = 'open' | 'in_progress' | 'met' | 'closed';
export type ValueKind = 'membership' | 'donation' | 'ticket' | 'other';

export interface PatronContactsTable {
  id: Generated<number>;
  org_id: number;
  patron_id: number;
  kind: ContactKind;
  /** A lower-cased email or an E.164 phone number. */
  value: string;
  label: string | null;
  /** 1 for the preferred email / phone of its kind, else 0. */
  preferred: number;
  failing_at: number | null;
  failing_reason: string | null;
  created_at: number;
}
export type PatronContactRow = Selectable<PatronContactsTable>;

export interface PatronNeedsTable {
  id: Generated<number>;
  org_id: number;
  patron_id: number;
  title: string;
  status: NeedStatus;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface PatronNeedEventsTable {
  id: Generated<number>;
  need_id: number;
  status: NeedStatus;
  note: string | null;
  by_user_id: number | null;
  at: number;
}

export interface PatronValueRecordsTable {
  id: Generated<number>;
  org_id: number;
  patron_id: number;
  occurred_on: string;
  kind: ValueKind;
  amount_minor: number;
  currency: string;
  source: string;
  external_id: string | null;
  import_batch_id: number | null;
  created_by: number | null;
  created_at: number;
}

export interface PatronDuplicatesTable {
  org_id: number;
  patron_a: number;
  patron_b: number;
  score: number;
  reasons: string;
  computed_at: number;
}

export interface PatronDistinctTable {
  org_id: number;
  patron_a: number;
  patron_b: number;
  by_user_id: number | null;
  at: number;
}

export interface PatronMergesTable {
  id: Generated<number>;
  org_id: number;
  survivor_id: number;
  merged_id: number;
  by_user_id: number | null;
  at: number;
  undo_until: number;
  undone_at: number | null;
  undone_by: number | null;
  snapshot: string;
}

export interface PatronImportSourcesTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  mapping: string;
  updated_at: number;
}

export interface PatronExternalIdsTable {
  org_id: number;
  source: string;
  external_id: string;
  patron_id: number;
}

export interface PatronImportBatchesTable {
  id: Generated<number>;
  org_id: number;
  source: string;
  by_user_id: number | null;
  at: number;
  counts: string;
  undone_at: number | null;
}

export interface PatronImportChangesTable {
  id: Generated<number>;
  batch_id: number;
  patron_id: number | null;
  action: 'create' | 'update' | 'fill' | 'value';
  before: string | null;
  value_record_id: number | null;
}

export interface PatronErasedHashesTable {
  org_id: number;
  hash: string;
  at: number;
}
