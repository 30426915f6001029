// SQL for cases: the queues (keyset-paginated, index-backed), counters, timelines.
import { sql, type Expression, type Insertable, type Kysely, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { QueueFilters } from '../../contracts/cases.js';
import { prepared, type Params } from '../db/prepared.js';
import type { CaseChannel, CaseEntriesTable, CasesTable, CaseStatus, Database } from '../db/types.js';

/**
 * The open-status condition, written literally and exactly as in the partial indexes of
 * migration 0001: SQLite only uses a partial index when the query repeats its WHERE term.
 */
export const OPEN_CONDITION = sql<boolean>`status in ('new', 'open', 'waiting', 'promised')`;

const bumpCaseSeq = prepared((db, param: Params<{ orgId: number }>) =>
  db
    .updateTable('organizations')
    .set((eb) => ({ case_seq: eb('case_seq', '+', 1) }))
    .where('id', '=', param('orgId'))
    .returning(['case_seq', 'case_prefix']),
);

export async function nextCaseNumber(tx: Kysely<Database>, orgId: number) {
  // One UPDATE ... RETURNING: the row lock (PostgreSQL) or the single writer (SQLite) makes
  // concurrent creations take distinct, gap-free numbers.
  return bumpCaseSeq.firstOrThrow(tx, { orgId });
}

/** A patron's id, if the patron belongs to the organization. */
export const patronOf = prepared((db, param: Params<{ orgId: number; id: number }>) =>
  db.selectFrom('patrons').select('id').where('org_id', '=', param('orgId')).where('id', '=', param('id')),
);

export const insertCase = (tx: Kysely<Database>, row: Insertable<CasesTable>) =>
  tx.insertInto('cases').values(row).returningAll().executeTakeFirstOrThrow();

export const updateCaseRow = (tx: Kysely<Database>, id: number, set: Updateable<CasesTable>) =>
  tx.updateTable('cases').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export async function setStatusToken(tx: Kysely<Database>, id: number, token: string, now: number): Promise<void> {
  await tx.updateTable('cases').set({ status_token: token, updated_at: now }).where('id', '=', id).execute();
}

export async function deleteCaseRow(tx: Kysely<Database>, id: number): Promise<void> {
  await tx.deleteFrom('cases').where('id', '=', id).execute();
}

export const insertEntry = async (tx: Kysely<Database>, row: Insertable<CaseEntriesTable>): Promise<number> =>
  (await tx.insertInto('case_entries').values(row).returning('id').executeTakeFirstOrThrow()).id;

export async function setEntryChannel(tx: Kysely<Database>, id: number, channel: CaseChannel): Promise<void> {
  await tx.updateTable('case_entries').set({ channel }).where('id', '=', id).execute();
}

export async function insertEntries(tx: Kysely<Database>, rows: Array<Insertable<CaseEntriesTable>>): Promise<void> {
  if (rows.length) await tx.insertInto('case_entries').values(rows).execute();
}

/**
 * `lock`: take the row lock (SELECT … FOR UPDATE) so that concurrent changes to one case queue
 * up instead of each deciding from a stale copy. PostgreSQL only: SQLite has one writer.
 */
export const findCaseByNumber = (db: Kysely<Database>, orgId: number, number: number, lock = false) =>
  db
    .selectFrom('cases')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('number', '=', number)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();

/** A case by its id within the organization (another domain holding an id), optionally locked. */
export const findCaseById = (db: Kysely<Database>, orgId: number, id: number, lock = false) =>
  db
    .selectFrom('cases')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();

export const findCaseByToken = (db: Kysely<Database>, token: string, lock = false) =>
  db
    .selectFrom('cases')
    .selectAll()
    .where('status_token', '=', token)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();

/** Moves one case between counter cells; deltas are applied in key order to avoid deadlocks. */
export async function adjustCounters(
  tx: Kysely<Database>,
  orgId: number,
  deltas: Array<{ teamId: number | null; assigneeId: number | null; status: CaseStatus; n: number }>,
): Promise<void> {
  const cells = new Map<string, { team_id: number; assignee_id: number; status: CaseStatus; n: number }>();
  for (const d of deltas) {
    const cell = { team_id: d.teamId ?? 0, assignee_id: d.assigneeId ?? 0, status: d.status };
    const key = `${cell.team_id}|${cell.assignee_id}|${cell.status}`;
    const prev = cells.get(key);
    cells.set(key, { ...cell, n: (prev?.n ?? 0) + d.n });
  }
  const sorted = [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [, c] of sorted) {
    if (c.n !== 0) await addToCounter.execute(tx, { orgId, teamId: c.team_id, assigneeId: c.assignee_id, status: c.status, n: c.n });
  }
}

const addToCounter = prepared(
  (db, param: Params<{ orgId: number; teamId: number; assigneeId: number; status: CaseStatus; n: number }>) =>
    db
      .insertInto('case_counters')
      .values({
        org_id: param('orgId'),
        team_id: param('teamId'),
        assignee_id: param('assigneeId'),
        status: param('status'),
        n: param('n'),
      })
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'team_id', 'assignee_id', 'status'])
          .doUpdateSet((eb) => ({ n: eb('case_counters.n', '+', eb.ref('excluded.n')) })),
      ),
);

export async function queueCounts(
  db: Kysely<Database>,
  orgId: number,
  userId: number,
  teamId: number | null,
) {
  const row = await db
    .selectFrom('case_counters')
    .select([
      sql<number>`coalesce(sum(case when assignee_id = ${userId} then n else 0 end), 0)`.as('mine'),
      sql<number>`coalesce(sum(case when team_id = ${teamId ?? -1} then n else 0 end), 0)`.as('team'),
      sql<number>`coalesce(sum(case when assignee_id = 0 then n else 0 end), 0)`.as('unassigned'),
      sql<number>`coalesce(sum(n), 0)`.as('open'),
    ])
    .where('org_id', '=', orgId)
    .where(OPEN_CONDITION)
    .executeTakeFirstOrThrow();
  return {
    mine: Number(row.mine),
    team: Number(row.team),
    unassigned: Number(row.unassigned),
    open: Number(row.open),
  };
}

export interface QueueScope {
  orgId: number;
  userId: number;
  teamId: number | null;
}

/** The WHERE part of a queue, shared by the page and its capped count. */
function queueWhere(db: Kysely<Database>, scope: QueueScope, f: QueueFilters) {
  let q = db.selectFrom('cases as c').where('c.org_id', '=', scope.orgId);
  if (f.queue !== 'all') q = q.where(sql<boolean>`c.${OPEN_CONDITION}`);
  if (f.queue === 'mine') q = q.where('c.assignee_id', '=', scope.userId);
  if (f.queue === 'team') q = q.where('c.team_id', '=', scope.teamId ?? -1);
  if (f.queue === 'unassigned') q = q.where('c.assignee_id', 'is', null);
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.priority) q = q.where('c.priority', '=', f.priority);
  if (f.channel) q = q.where('c.channel', '=', f.channel);
  if (f.patronId) q = q.where('c.patron_id', '=', f.patronId);
  if (f.teamId) q = q.where('c.team_id', '=', f.teamId);
  if (f.assigneeId === 'none') q = q.where('c.assignee_id', 'is', null);
  else if (f.assigneeId) q = q.where('c.assignee_id', '=', f.assigneeId);
  if (f.tag) {
    const tag = f.tag;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('case_tags as ct')
          .select('ct.case_id')
          .whereRef('ct.case_id', '=', 'c.id')
          .where('ct.tag', '=', tag),
      ),
    );
  }
  return q;
}

export type Keyset = [number, number];

/** One queue page with its list columns, in one index-ordered query. */
export async function queuePage(
  db: Kysely<Database>,
  scope: QueueScope,
  f: QueueFilters,
  after: Keyset | undefined,
  limit: number,
) {
  const byActivity = f.sort === 'activity';
  const col = byActivity ? 'c.last_activity_at' : 'c.created_at';
  let q = withSummaryColumns(queueWhere(db, scope, f));
  if (after) {
    // Activity: newest first. Age: oldest first (longest waiting at the top).
    q = q.where(({ eb, refTuple, tuple }) =>
      eb(refTuple(col, 'c.id'), byActivity ? '<' : '>', tuple(after[0], after[1])),
    );
  }
  const dir = byActivity ? 'desc' : 'asc';
  return q.orderBy(col, dir).orderBy('c.id', dir).limit(limit).execute();
}

/** How many cases match, counted up to `cap` and never further. */
export async function cappedCount(
  db: Kysely<Database>,
  scope: QueueScope,
  f: QueueFilters,
  cap: number,
): Promise<number> {
  const inner = queueWhere(db, scope, f).select('c.id').limit(cap);
  const row = await db
    .selectFrom(inner.as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A case's tags in one column, so that a list row needs no second statement. One SQL text
 * serves both dialects (SQLite ≥ 3.44 has `string_agg … order by`); tags cannot hold a comma.
 */
const TAG_LIST = sql<string | null>`(select string_agg(ct.tag, ',' order by ct.tag) from case_tags as ct where ct.case_id = c.id)`;

/** The columns of a case's list row: the case, the names it points to, and its tags. */
function withSummaryColumns<Q extends SelectQueryBuilder<Database & { c: CasesTable }, 'c', object>>(qb: Q) {
  return qb
    .leftJoin('patrons as p', 'p.id', 'c.patron_id')
    .leftJoin('teams as t', 't.id', 'c.team_id')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .select([
      'c.id',
      'c.number',
      'c.subject',
      'c.status',
      'c.priority',
      'c.channel',
      'c.patron_id',
      'p.name as patron_name',
      'c.team_id',
      't.name as team_name',
      'c.assignee_id',
      'u.name as assignee_name',
      'c.created_at',
      'c.last_activity_at',
      TAG_LIST.as('tag_list'),
    ]);
}

/** The list-row shape of some cases, in the order of `ids`. */
export async function caseSummaries(db: Kysely<Database>, ids: number[]) {
  if (!ids.length) return [];
  const rows = await withSummaryColumns(db.selectFrom('cases as c')).where('c.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
}

/** A whole case by its number, with the names its list row shows and who created it. */
const caseWithNamesQuery = prepared((db, param: Params<{ orgId: number; number: number }>) =>
  withSummaryColumns(db.selectFrom('cases as c'))
    .leftJoin('users as creator', 'creator.id', 'c.created_by')
    .selectAll('c')
    .select('creator.name as creator_name')
    .where('c.org_id', '=', param('orgId'))
    .where('c.number', '=', param('number')),
);
export const caseWithNames = (db: Kysely<Database>, orgId: number, number: number) =>
  caseWithNamesQuery.first(db, { orgId, number });
export type SummaryRow = Awaited<ReturnType<typeof caseSummaries>>[number];

/** Timeline entries, newest first: all of them, or those before an entry id. */
const entriesOf = (db: Kysely<Database>, caseId: Expression<number>, limit: Expression<number>) =>
  db
    .selectFrom('case_entries as e')
    .leftJoin('users as u', 'u.id', 'e.author_user_id')
    .leftJoin('patrons as p', 'p.id', 'e.author_patron_id')
    .select([
      'e.id',
      'e.kind',
      'e.channel',
      'e.body',
      'e.road',
      'e.author_user_id',
      'u.name as user_name',
      'e.author_patron_id',
      'p.name as patron_name',
      'e.event_type',
      'e.event_data',
      'e.created_at',
    ])
    .where('e.case_id', '=', caseId)
    .orderBy('e.id', 'desc')
    .limit(limit);
const newestEntries = prepared((db, param: Params<{ caseId: number; limit: number }>) =>
  entriesOf(db, param('caseId'), param('limit')),
);
const entriesBefore = prepared((db, param: Params<{ caseId: number; before: number; limit: number }>) =>
  entriesOf(db, param('caseId'), param('limit')).where('e.id', '<', param('before')),
);

/** The newest `limit` timeline entries before `before` (or the newest overall), oldest first. */
export async function timeline(
  db: Kysely<Database>,
  caseId: number,
  opts: { before?: number | undefined; limit: number },
) {
  const rows = opts.before
    ? await entriesBefore.all(db, { caseId, before: opts.before, limit: opts.limit + 1 })
    : await newestEntries.all(db, { caseId, limit: opts.limit + 1 });
  const earlier = rows.length > opts.limit;
  return { rows: rows.slice(0, opts.limit).reverse(), earlier };
}
export type EntryRow = Awaited<ReturnType<typeof timeline>>['rows'][number];

export const caseTags = async (db: Kysely<Database>, caseId: number) =>
  (await db.selectFrom('case_tags').select('tag').where('case_id', '=', caseId).orderBy('tag').execute()).map(
    (r) => r.tag,
  );

export async function replaceTags(tx: Kysely<Database>, orgId: number, caseId: number, tags: string[]) {
  await tx.deleteFrom('case_tags').where('case_id', '=', caseId).execute();
  await addTags(tx, orgId, caseId, tags);
}

/** Tags of a case that has none yet (a new case): no delete first. */
export async function addTags(tx: Kysely<Database>, orgId: number, caseId: number, tags: string[]) {
  const unique = [...new Set(tags)];
  if (unique.length) {
    await tx
      .insertInto('case_tags')
      .values(unique.map((tag) => ({ case_id: caseId, org_id: orgId, tag })))
      .execute();
  }
}

/** The text a case is found by: its subject, and every message and note. */
export async function caseSearchText(tx: Kysely<Database>, caseId: number) {
  const entries = await tx
    .selectFrom('case_entries')
    .select('body')
    .where('case_id', '=', caseId)
    .where('kind', '!=', 'event')
    .orderBy('id')
    .execute();
  return entries.map((e) => e.body).join('\n');
}

// ---- saved views -------------------------------------------------------------------------

export const viewsOf = (db: Kysely<Database>, userId: number) =>
  db
    .selectFrom('saved_views')
    .select(['id', 'name', 'filters'])
    .where('user_id', '=', userId)
    .orderBy('name')
    .limit(100)
    .execute();

export const viewNamed = (db: Kysely<Database>, userId: number, name: string) =>
  db.selectFrom('saved_views').select('id').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();

export const insertView = (
  db: Kysely<Database>,
  row: { orgId: number; userId: number; name: string; filters: string; now: number },
) =>
  db
    .insertInto('saved_views')
    .values({ org_id: row.orgId, user_id: row.userId, name: row.name, filters: row.filters, created_at: row.now })
    .returning(['id', 'name', 'filters'])
    .executeTakeFirstOrThrow();

export const deleteView = async (db: Kysely<Database>, userId: number, id: number) =>
  Number((await db.deleteFrom('saved_views').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()).numDeletedRows);

// ---- the public status page ----------------------------------------------------------------

/** The conversation of a case as its patron sees it: messages in and out, never notes or events. */
export const conversation = (db: Kysely<Database>, caseId: number, limit: number) =>
  db
    .selectFrom('case_entries as e')
    .leftJoin('users as u', 'u.id', 'e.author_user_id')
    .select(['e.id', 'e.kind', 'e.body', 'e.created_at', 'u.name as user_name'])
    .where('e.case_id', '=', caseId)
    .where('e.kind', 'in', ['message_in', 'message_out'])
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();

// ---- search snippets -----------------------------------------------------------------------

/** Per case, the first `perCase` messages and notes, each cut to `chars` (search snippets). */
export const firstEntryTexts = (db: Kysely<Database>, caseIds: number[], perCase: number, chars: number) =>
  caseIds.length
    ? db
        .selectFrom((qb) =>
          qb
            .selectFrom('case_entries')
            .select((eb) => [
              'case_id',
              eb.fn<string>('substr', ['body', eb.val(1), eb.val(chars)]).as('body'),
              sql<number>`row_number() over (partition by case_id order by id)`.as('n'),
            ])
            .where('case_id', 'in', caseIds)
            .where('kind', '!=', 'event')
            .as('e'),
        )
        .select(['e.case_id', 'e.body'])
        .where('e.n', '<=', perCase)
        .execute()
    : Promise.resolve([]);
