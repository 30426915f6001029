// The audit log's words: the kinds an entry belongs to (its filter), and a label for each
// action the server writes, so that screens show "Signed in", not "login.succeeded".
import { z } from 'zod';

export const AUDIT_KINDS = ['sign_in', 'user', 'team', 'case', 'patron', 'organization', 'job', 'other'] as const;
export const AuditKind = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKind>;

export const AUDIT_KIND_LABELS: Record<AuditKind, string> = {
  sign_in: 'Sign-ins',
  user: 'Users',
  team: 'Teams',
  case: 'Cases',
  patron: 'Patrons',
  organization: 'Organization',
  job: 'Background jobs',
  other: 'Other',
};

/** The kind of an action, by its prefix (migration 0004 wrote the same for older rows). */
const KIND_OF_PREFIX: Record<string, AuditKind> = {
  login: 'sign_in',
  user: 'user',
  password: 'user',
  team: 'team',
  case: 'case',
  patron: 'patron',
  organization: 'organization',
  setup: 'organization',
  mail: 'organization',
  job: 'job',
};
export const auditKindOf = (action: string): AuditKind => KIND_OF_PREFIX[action.split('.')[0]!] ?? 'other';

/** Every action the server writes, in words; an action missing here shows as its code. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'login.succeeded': 'Signed in',
  'login.failed': 'Sign-in failed',
  'login.locked': 'Account locked after failed sign-ins',
  'login.refused_locked': 'Sign-in refused: account locked',
  'password.changed': 'Changed their password',
  'mail.address_added': 'Added a team email address',
  'mail.address_removed': 'Removed a team email address',
  'mail.team_writing': 'Changed how a team writes email',
  'mail.relay_changed': 'Changed the outbound mail relay',
  'mail.imap_set': 'Set up fetching a team address’s mail by IMAP',
  'mail.imap_cleared': 'Stopped fetching a team address’s mail by IMAP',
  'setup.completed': 'Set up Servewell',
  'organization.updated': 'Changed the organization’s settings',
  'team.created': 'Created a team',
  'team.renamed': 'Renamed a team',
  'team.deleted': 'Deleted a team',
  'user.created': 'Added a user',
  'user.updated': 'Changed a user’s name or team',
  'user.role_changed': 'Changed a user’s role',
  'user.deactivated': 'Deactivated a user',
  'user.reactivated': 'Reactivated a user',
  'user.password_reset': 'Reset a user’s password',
  'case.deleted': 'Deleted a case',
  'case.status_override': 'Moved a case outside the usual steps',
  'case.status_link_rotated': 'Replaced a case’s status link',
  'patron.note_deleted': 'Deleted a note on a patron',
  'patron.personal_note_deleted': 'Deleted a personal note on a patron',
  'patron.value_deleted': 'Deleted a relationship value record',
  'patron.marked_distinct': 'Marked two patrons as not the same person',
  'patron.merged': 'Merged two patrons',
  'patron.merge_undone': 'Undid a merge of two patrons',
  'patron.erased': 'Erased a patron on request',
  'patron.exported': 'Exported everything held on a patron',
  'patron.list_exported': 'Exported the patron list as CSV',
  'job.retried': 'Retried a background job',
  'job.discarded': 'Discarded a background job',
  'team.promise_settings': 'Changed a team’s promise reminders',
  'team.service_mode_set': 'Set a team’s service mode',
  'team.hours_set': 'Set a team’s business hours',
  'team.roster_set': 'Changed a team’s roster',
};

// Output and input types of the schemas above (contracts.test.ts keeps this list whole).
export type AuditKindInput = z.input<typeof AuditKind>;
