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
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type UserRow = Selectable<UsersTable>;
export type PatronRow = Selectable<PatronsTable>;
export type CaseRow = Selectable<CasesTable>;

export interface CasePresenceTable {
  case_id: number;
  user_id: number;
  org_id: number;
  state: 'viewing' | 'composing';
  since: number;
  expires_at: number;
}

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
