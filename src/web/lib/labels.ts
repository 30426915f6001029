// Words for values the contracts do not label, and badge colours shared by lists and cases.
import type { Priority, Status } from '../../contracts/cases.js';

export { PRIORITY_LABELS } from '../../contracts/cases.js';

export const STATUS_COLORS: Record<Status, string> = {
  new: 'blue',
  open: 'cyan',
  waiting: 'grape',
  promised: 'orange',
  resolved: 'green',
  closed: 'gray',
};

/** Text colours, dark enough to read on white. */
export const PRIORITY_COLORS: Record<Priority, string> = {
  low: 'gray.7',
  normal: 'dark',
  high: 'dark',
  urgent: 'red.9',
};

export const ROLE_LABELS = {
  admin: 'Admin',
  supervisor: 'Supervisor',
  associate: 'Associate',
  volunteer: 'Volunteer',
} as const;
