// Queues and saved views: keyset pages, cheap counts, a user's named filters.
import { QueueFilters, type QueuePage, type QueueQuery, type SavedView } from '../../contracts/cases.js';
import type { Actor } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import * as q from './queries.js';
import { decodeCursor, encodeCursor, toCaseSummary } from './views.js';

const COUNT_CAP = 1000;

export async function listQueue(p: Platform, actor: Actor, query: QueueQuery): Promise<QueuePage> {
  const after = query.after === undefined ? undefined : decodeCursor(query.after);
  if (after === null) throw badRequest('is not a valid cursor', 'after');
  const scope = { orgId: actor.orgId, userId: actor.userId, teamId: actor.teamId };
  const found = await q.queuePage(p.db, scope, query, after, query.limit + 1);
  const rows = found.length > query.limit ? found.slice(0, query.limit) : found;
  const last = rows.at(-1);
  const key = (r: NonNullable<typeof last>) => (query.sort === 'activity' ? r.last_activity_at : r.created_at);
  return {
    items: rows.map((r) => toCaseSummary(r, actor.casePrefix)),
    nextCursor: found.length > query.limit && last ? encodeCursor(key(last), last.id) : null,
  };
}

export function queueCounts(p: Platform, actor: Actor) {
  return q.queueCounts(p.db, actor.orgId, actor.userId, actor.teamId);
}

/** A count for any filter, capped so that it stays cheap at a million cases. */
export async function filterCount(p: Platform, actor: Actor, filters: QueueFilters) {
  const scope = { orgId: actor.orgId, userId: actor.userId, teamId: actor.teamId };
  const n = await q.cappedCount(p.db, scope, filters, COUNT_CAP + 1);
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

// ---- saved views -------------------------------------------------------------------------

const toSavedView = (r: { id: number; name: string; filters: string }): SavedView => ({
  id: r.id,
  name: r.name,
  filters: QueueFilters.parse(JSON.parse(r.filters)),
});

export async function listViews(p: Platform, actor: Actor): Promise<SavedView[]> {
  return (await q.viewsOf(p.db, actor.userId)).map(toSavedView);
}

export async function saveView(p: Platform, actor: Actor, input: { name: string; filters: QueueFilters }) {
  if (await q.viewNamed(p.db, actor.userId, input.name)) {
    throw conflict(`You already have a view called "${input.name}".`, 'name');
  }
  const row = await q.insertView(p.db, {
    orgId: actor.orgId,
    userId: actor.userId,
    name: input.name,
    filters: JSON.stringify(input.filters),
    now: p.clock.now(),
  });
  return toSavedView(row);
}

export async function deleteView(p: Platform, actor: Actor, id: number) {
  if (!(await q.deleteView(p.db, actor.userId, id))) throw notFound('Saved view');
}
