// A case's statuses and their names, with no zod, so that a patron's status page can name one
// without loading the schemas (cases.ts re-exports both and builds its enum from them).
export const STATUSES = ['new', 'open', 'waiting', 'promised', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  new: 'New',
  open: 'Open',
  waiting: 'Waiting on patron',
  promised: 'Promised',
  resolved: 'Resolved',
  closed: 'Closed',
};
