// Queues and saved views: keyset pages, cheap counts, a user's named filters.
import { QueueFilters, type QueuePage, type QueueQuery, type SavedView } from '../../contracts/cases.js';
import type { Actor, Platform } from '../platform/context.js';
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
  const rows = await p.db
    .selectFrom('saved_views')
    .select(['id', 'name', 'filters'])
    .where('user_id', '=', actor.userId)
    .orderBy('name')
    .limit(100)
    .execute();
  return rows.map(toSavedView);
}

export async function saveView(p: Platform, actor: Actor, input: { name: string; filters: QueueFilters }) {
  const clash = await p.db
    .selectFrom('saved_views')
    .select('id')
    .where('user_id', '=', actor.userId)
    .where('name', '=', input.name)
    .executeTakeFirst();
  if (clash) throw conflict(`You already have a view called "${input.name}".`, 'name');
  const row = await p.db
    .insertInto('saved_views')
    .values({
      org_id: actor.orgId,
      user_id: actor.userId,
      name: input.name,
      filters: JSON.stringify(input.filters),
      created_at: p.clock.now(),
    })
    .returning(['id', 'name', 'filters'])
    .executeTakeFirstOrThrow();
  return toSavedView(row);
}

export async function deleteView(p: Platform, actor: Actor, id: number) {
  const res = await p.db
    .deleteFrom('saved_views')
    .where('id', '=', id)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  if (!res.numDeletedRows) throw notFound('Saved view');
}
