// SQL for promises: each list reads one partial index range in due order; the kept rate counts
// over an index range of the period; the due-work reads and locks one promise by its id.
import { sql, type Expression, type Insertable, type Kysely, type Updateable } from 'kysely';
import { prepared, type Params } from '../db/prepared.js';
import type { Database, PromiseEventsTable, PromisesTable } from '../db/types.js';

/**
 * Written literally, exactly as in migration 0007's partial indexes: SQLite uses a partial
 * index only when the query repeats its WHERE term.
 */
const PENDING = sql<boolean>`p.state in ('open', 'broken')`;
const SETTLED = sql<boolean>`p.state in ('kept', 'kept_late', 'broken')`;

export const insertPromise = (tx: Kysely<Database>, row: Insertable<PromisesTable>) =>
  tx.insertInto('promises').values(row).returningAll().executeTakeFirstOrThrow();

export const updatePromise = (tx: Kysely<Database>, id: number, set: Updateable<PromisesTable>) =>
  tx.updateTable('promises').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export async function insertEvent(tx: Kysely<Database>, row: Insertable<PromiseEventsTable>): Promise<void> {
  await tx.insertInto('promise_events').values(row).execute();
}

/** One promise, locked for a read-then-write on PostgreSQL (`lock`). */
export const findPromise = (db: Kysely<Database>, id: number, lock = false) =>
  db
    .selectFrom('promises')
    .selectAll()
    .where('id', '=', id)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();

/** Promises by id, locked in id order for a read-then-write on PostgreSQL (`lock`): a batch of due work. */
export const findPromises = (db: Kysely<Database>, ids: readonly number[], lock = false) =>
  ids.length
    ? db
        .selectFrom('promises')
        .selectAll()
        .where('id', 'in', [...ids])
        .orderBy('id')
        .$if(lock, (qb) => qb.forUpdate())
        .execute()
    : Promise.resolve([]);

/** The same change to many promises, in one statement. */
export const updatePromises = (tx: Kysely<Database>, ids: readonly number[], set: Updateable<PromisesTable>) =>
  ids.length ? tx.updateTable('promises').set(set).where('id', 'in', [...ids]).returningAll().execute() : Promise.resolve([]);

export async function insertEvents(tx: Kysely<Database>, rows: ReadonlyArray<Insertable<PromiseEventsTable>>): Promise<void> {
  if (rows.length) await tx.insertInto('promise_events').values([...rows]).execute();
}

/** The columns a list row needs: the promise with its case, patron, owner and colleague named. */
function withNames(db: Kysely<Database>) {
  return db
    .selectFrom('promises as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .innerJoin('users as o', 'o.id', 'p.owner_user_id')
    .leftJoin('patrons as pa', 'pa.id', 'p.patron_id')
    .leftJoin('users as tu', 'tu.id', 'p.to_user_id')
    .select([
      'p.id',
      'p.org_id',
      'p.case_id',
      'p.patron_id',
      'p.to_user_id',
      'p.owner_user_id',
      'p.team_id',
      'p.what',
      'p.how',
      'p.window_start',
      'p.due_at',
      'p.permission_asked',
      'p.patron_answer',
      'p.state',
      'p.version',
      'p.reminded_at',
      'p.broken_at',
      'p.escalated_at',
      'p.kept_at',
      'p.kept_entry_id',
      'p.created_at',
      'c.number as case_number',
      'c.subject as case_subject',
      'o.name as owner_name',
      'pa.name as patron_name',
      'tu.name as to_user_name',
    ]);
}
export type PromiseListRow = Awaited<ReturnType<typeof promisesByIds>>[number];

export const promisesByIds = (db: Kysely<Database>, ids: number[]) =>
  ids.length ? withNames(db).where('p.id', 'in', ids).execute() : Promise.resolve([]);

/** Rows after a (due_at, id) keyset, in that order: a row value, which both dialects read as one index range. */
const afterKeyset = ([due, id]: [number, number]) => sql<boolean>`(p.due_at, p.id) > (${due}, ${id})`;

/**
 * An owner's promises still to keep (open or broken, not yet kept late) after a (due_at, id)
 * keyset, soonest due first: one range of `promises_owner_pending`.
 */
export const ownerPendingQuery = (db: Kysely<Database>, ownerId: number, after: [number, number], limit: number) =>
  withNames(db)
    .where('p.owner_user_id', '=', ownerId)
    .where(PENDING)
    .where(afterKeyset(after))
    .orderBy('p.due_at')
    .orderBy('p.id')
    .limit(limit);
export const ownerPending = (db: Kysely<Database>, ownerId: number, after: [number, number], limit: number) =>
  ownerPendingQuery(db, ownerId, after, limit).execute();

/**
 * "My promises today" in one statement: the owner's promises still to keep that fall due before
 * the day's end (the soonest `pendingLimit`) and those kept since its start (the latest
 * `keptLimit`), each list one index range (`promises_owner_pending`, `promises_owner_kept`),
 * named in one join. One plan and one round trip instead of two: on PostgreSQL the planning of
 * the five-table join costs about as much as running it. Unordered: the caller sorts each list.
 * Values or prepared-statement parameters alike (`V`).
 */
function todayQuery<V extends number | Expression<number>>(
  db: Kysely<Database>,
  v: { ownerId: V; dayStart: V; dayEnd: V; pendingLimit: V; keptLimit: V },
) {
  return withNames(db).where('p.id', 'in', (eb) =>
    eb
      .selectFrom(
        db
          .selectFrom('promises as p')
          .select('p.id')
          .where('p.owner_user_id', '=', v.ownerId)
          .where(PENDING)
          .where('p.due_at', '<', v.dayEnd)
          .orderBy('p.due_at')
          .orderBy('p.id')
          .limit(v.pendingLimit)
          .as('pending'),
      )
      .select('pending.id')
      .unionAll(
        eb
          .selectFrom(
            db
              .selectFrom('promises as p')
              .select('p.id')
              .where('p.owner_user_id', '=', v.ownerId)
              .where('p.kept_at', '>=', v.dayStart)
              .orderBy('p.kept_at', 'desc')
              .limit(v.keptLimit)
              .as('kept'),
          )
          .select('kept.id'),
      ),
  );
}
export type TodayValues = { ownerId: number; dayStart: number; dayEnd: number; pendingLimit: number; keptLimit: number };
export const ownerTodayQuery = (db: Kysely<Database>, values: TodayValues) => todayQuery(db, values);
export const ownerToday = prepared((db, param: Params<TodayValues>) =>
  todayQuery(db, {
    ownerId: param('ownerId'),
    dayStart: param('dayStart'),
    dayEnd: param('dayEnd'),
    pendingLimit: param('pendingLimit'),
    keptLimit: param('keptLimit'),
  }),
);

/** A team's promises still to keep, soonest due first, after a (due_at, id) keyset. */
export const teamPending = (db: Kysely<Database>, teamId: number, after: [number, number] | null, limit: number) =>
  teamPendingQuery(db, teamId, after, limit).execute();
export const teamPendingQuery = (db: Kysely<Database>, teamId: number, after: [number, number] | null, limit: number) =>
  withNames(db)
    .where('p.team_id', '=', teamId)
    .where(PENDING)
    .$if(after !== null, (qb) => qb.where(afterKeyset(after!)))
    .orderBy('p.due_at')
    .orderBy('p.id')
    .limit(limit);

export const onCase = (db: Kysely<Database>, caseId: number, limit: number) =>
  withNames(db).where('p.case_id', '=', caseId).orderBy('p.id', 'desc').limit(limit).execute();

export const onPatron = (db: Kysely<Database>, orgId: number, patronId: number, before: number | null, limit: number) =>
  withNames(db)
    .where('p.patron_id', '=', patronId)
    .where('p.org_id', '=', orgId)
    .$if(before !== null, (qb) => qb.where('p.id', '<', before!))
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();

export const eventsOf = (db: Kysely<Database>, promiseIds: number[]) =>
  promiseIds.length
    ? db
        .selectFrom('promise_events as e')
        .leftJoin('users as u', 'u.id', 'e.by_user_id')
        .select(['e.promise_id', 'e.kind', 'e.at', 'e.by_user_id', 'u.name as by_name', 'e.old_due_at', 'e.new_due_at', 'e.entry_id', 'e.note'])
        .where('e.promise_id', 'in', promiseIds)
        .orderBy('e.promise_id')
        .orderBy('e.id')
        .execute()
    : Promise.resolve([]);

/** Promises on a case still open (not kept, not yet due). */
export async function openOnCase(tx: Kysely<Database>, caseId: number): Promise<number> {
  const rows = await tx.selectFrom('promises').select('id').where('case_id', '=', caseId).where('state', '=', 'open').limit(1).execute();
  return rows.length;
}

/** Settled promises falling due in [from, to), by state, for one scope. */
export async function keptCounts(
  db: Kysely<Database>,
  scope: { org: number } | { team: number } | { owner: number },
  from: number,
  to: number,
) {
  let qb = db.selectFrom('promises as p').select(['p.state', (eb) => eb.fn.countAll<number>().as('n')]);
  if ('org' in scope) qb = qb.where('p.org_id', '=', scope.org);
  else if ('team' in scope) qb = qb.where('p.team_id', '=', scope.team);
  else qb = qb.where('p.owner_user_id', '=', scope.owner);
  const rows = await qb.where('p.due_at', '>=', from).where('p.due_at', '<', to).where(SETTLED).groupBy('p.state').execute();
  const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return { kept: n('kept'), keptLate: n('kept_late'), broken: n('broken') };
}

/** A message to the patron on the case (an outbound reply or a logged call). */
export const outboundEntry = (db: Kysely<Database>, caseId: number, entryId: number) =>
  db
    .selectFrom('case_entries')
    .select(['id', 'kind', 'channel', 'created_at'])
    .where('case_id', '=', caseId)
    .where('id', '=', entryId)
    .executeTakeFirst();

export const teamSettings = (db: Kysely<Database>, teamId: number) =>
  db.selectFrom('team_promise_settings').selectAll().where('team_id', '=', teamId).executeTakeFirst();

export async function saveTeamSettings(
  tx: Kysely<Database>,
  row: { team_id: number; org_id: number; reminder_lead_ms: number; escalate_after_ms: number; updated_at: number },
): Promise<void> {
  await tx
    .insertInto('team_promise_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('team_id').doUpdateSet({
        reminder_lead_ms: row.reminder_lead_ms,
        escalate_after_ms: row.escalate_after_ms,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Who hears of an overdue promise: the team's active supervisors, else the organization's admins. */
export async function escalationRecipients(db: Kysely<Database>, orgId: number, teamId: number | null) {
  const supervisors = teamId
    ? await db
        .selectFrom('users')
        .select(['id', 'name', 'email'])
        .where('org_id', '=', orgId)
        .where('team_id', '=', teamId)
        .where('role', '=', 'supervisor')
        .where('deactivated_at', 'is', null)
        .orderBy('id')
        .limit(50)
        .execute()
    : [];
  if (supervisors.length) return supervisors;
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .where('deactivated_at', 'is', null)
    .orderBy('id')
    .limit(50)
    .execute();
}

export const userContact = (db: Kysely<Database>, id: number) =>
  db.selectFrom('users').select(['id', 'org_id', 'name', 'email', 'role', 'team_id', 'deactivated_at']).where('id', '=', id).executeTakeFirst();

export const patronInOrg = (db: Kysely<Database>, orgId: number, id: number) =>
  db.selectFrom('patrons').select(['id', 'name']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** What a reminder or escalation says, in one statement: the case, the organization, the patron, the owner. */
export const dueContext = (db: Kysely<Database>, promiseId: number) => dueContextQuery(db, promiseId).executeTakeFirstOrThrow();
export const dueContextQuery = (db: Kysely<Database>, promiseId: number) => dueContextBase(db).where('p.id', '=', promiseId);
/** The same for many promises at once, each row with its promise's id. */
export const dueContexts = (db: Kysely<Database>, promiseIds: readonly number[]) =>
  promiseIds.length ? dueContextBase(db).select('p.id as promise_id').where('p.id', 'in', [...promiseIds]).execute() : Promise.resolve([]);
const dueContextBase = (db: Kysely<Database>) =>
  db
    .selectFrom('promises as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .innerJoin('organizations as o', 'o.id', 'p.org_id')
    .innerJoin('users as u', 'u.id', 'p.owner_user_id')
    .leftJoin('patrons as pa', 'pa.id', 'p.patron_id')
    .select([
      'c.number as case_number',
      'c.subject as case_subject',
      'o.case_prefix',
      'o.locale',
      'o.time_zone',
      'pa.name as patron_name',
      'u.id as owner_id',
      'u.name as owner_name',
      'u.email as owner_email',
      'u.deactivated_at as owner_gone_at',
    ]);
