// Rows to contract shapes, and case references ("SW-1042") to and from numbers.
import type { CaseDetail, CaseSummary, EntryView } from '../../contracts/cases.js';
import { MAX_ID } from '../../contracts/common.js';
import type { CaseRow, CaseStatus } from '../db/types.js';
import type { EntryRow, SummaryRow } from './queries.js';

export const formatRef = (prefix: string, number: number) => `${prefix}-${number}`;

export function parseRef(ref: string): { prefix: string; number: number } | null {
  const m = /^([A-Za-z]{1,10})-(\d{1,9})$/.exec(ref.trim());
  return m ? { prefix: m[1]!.toUpperCase(), number: Number(m[2]) } : null;
}

const named = (id: number | null, name: string | null) => (id !== null && name !== null ? { id, name } : null);

export const toCaseSummary = (r: SummaryRow, prefix: string): CaseSummary => ({
  id: r.id,
  ref: formatRef(prefix, r.number),
  subject: r.subject,
  status: r.status,
  priority: r.priority,
  channel: r.channel,
  patron: named(r.patron_id, r.patron_name),
  team: named(r.team_id, r.team_name),
  assignee: named(r.assignee_id, r.assignee_name),
  tags: r.tag_list ? r.tag_list.split(',') : [],
  createdAt: r.created_at,
  lastActivityAt: r.last_activity_at,
});

export function toEntryView(e: EntryRow): EntryView {
  // A message from the patron is the patron's, even when a staff member logged it.
  const author =
    e.kind === 'message_in' && e.author_patron_id !== null && e.patron_name !== null
      ? { type: 'patron' as const, id: e.author_patron_id, name: e.patron_name }
      : e.author_user_id !== null && e.user_name !== null
        ? { type: 'user' as const, id: e.author_user_id, name: e.user_name }
        : e.author_patron_id !== null && e.patron_name !== null
          ? { type: 'patron' as const, id: e.author_patron_id, name: e.patron_name }
          : null;
  return {
    id: e.id,
    kind: e.kind,
    channel: e.channel,
    body: e.body,
    road: e.road,
    author,
    eventType: e.event_type,
    eventData: e.event_data ? (JSON.parse(e.event_data) as Record<string, unknown>) : null,
    createdAt: e.created_at,
  };
}

export function toCaseDetail(x: {
  row: CaseRow;
  summary: SummaryRow;
  prefix: string;
  entries: EntryRow[];
  earlier: boolean;
  creator: { id: number; name: string } | null;
  allowed: CaseStatus[];
  publicUrl: string;
  showStatusLink: boolean;
}): CaseDetail {
  return {
    ...toCaseSummary(x.summary, x.prefix),
    statusUrl: x.showStatusLink ? `${x.publicUrl}/status/${x.row.status_token}` : null,
    createdBy: x.creator,
    firstResponseAt: x.row.first_response_at,
    firstResponseMs: x.row.first_response_ms,
    resolvedAt: x.row.resolved_at,
    resolutionMs: x.row.resolution_ms,
    closedAt: x.row.closed_at,
    allowedStatuses: x.allowed,
    entries: x.entries.map(toEntryView),
    earlierEntries: x.earlier,
  };
}

/** Keyset cursors are opaque to clients: base64url of [sort value, id]. */
export function encodeCursor(k: number, id: number): string {
  return Buffer.from(JSON.stringify([k, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [number, number] | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const [k, id] = Array.isArray(v) && v.length === 2 ? (v as unknown[]) : [];
    // A sort key is an instant (ms); an id is a 32-bit key. Anything else was not ours.
    if (Number.isSafeInteger(k) && (k as number) >= 0 && Number.isInteger(id) && (id as number) > 0 && (id as number) <= MAX_ID) {
      return [k as number, id as number];
    }
  } catch {
    // fall through
  }
  return null;
}
