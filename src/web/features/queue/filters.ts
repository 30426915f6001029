// Queue filters live in the URL: parsed here from search params, turned into API queries and
// into the shape a saved view stores.
import {
  CHANNELS,
  PRIORITIES,
  QUEUES,
  STATUSES,
  type Channel,
  type Priority,
  type Queue,
  type QueueFilters,
  type Status,
} from '../../../contracts/cases.js';
import type { QueryValue } from '../../api/client.js';

export interface QueueSearch {
  status?: Status;
  priority?: Priority;
  channel?: Channel;
  teamId?: number;
  assigneeId?: number | 'none';
  tag?: string;
  sort?: 'age';
}

const oneOf = <T extends string>(list: readonly T[], v: unknown): T | undefined =>
  typeof v === 'string' && (list as readonly string[]).includes(v) ? (v as T) : undefined;

const positive = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

export function validateQueueSearch(raw: Record<string, unknown>): QueueSearch {
  const out: QueueSearch = {};
  const status = oneOf(STATUSES, raw.status);
  if (status) out.status = status;
  const priority = oneOf(PRIORITIES, raw.priority);
  if (priority) out.priority = priority;
  const channel = oneOf(CHANNELS, raw.channel);
  if (channel) out.channel = channel;
  const teamId = positive(raw.teamId);
  if (teamId) out.teamId = teamId;
  const assigneeId = raw.assigneeId === 'none' ? 'none' : positive(raw.assigneeId);
  if (assigneeId) out.assigneeId = assigneeId;
  if (typeof raw.tag === 'string' && raw.tag.trim()) out.tag = raw.tag.trim().toLowerCase().slice(0, 40);
  if (raw.sort === 'age') out.sort = 'age';
  return out;
}

export const isQueue = (v: string): v is Queue => (QUEUES as readonly string[]).includes(v);

export function toApiQuery(queue: Queue, s: QueueSearch): Record<string, QueryValue> {
  return {
    queue,
    status: s.status,
    priority: s.priority,
    channel: s.channel,
    teamId: s.teamId,
    assigneeId: s.assigneeId,
    tag: s.tag,
    sort: s.sort ?? 'activity',
  };
}

export function toSavedFilters(queue: Queue, s: QueueSearch): QueueFilters {
  const f: QueueFilters = { queue, sort: s.sort ?? 'activity' };
  if (s.status) f.status = s.status;
  if (s.priority) f.priority = s.priority;
  if (s.channel) f.channel = s.channel;
  if (s.teamId) f.teamId = s.teamId;
  if (s.assigneeId) f.assigneeId = s.assigneeId;
  if (s.tag) f.tag = s.tag;
  return f;
}

export function fromSavedFilters(f: QueueFilters): { queue: Queue; search: QueueSearch } {
  const { queue, sort, ...rest } = f;
  return { queue, search: validateQueueSearch({ ...rest, sort }) };
}
