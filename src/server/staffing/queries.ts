// The staffing domain's SQL, both dialects. Every read is bounded by an index on the team:
// the forecast reads at most weeks × 168 arrival rows, never the cases.
import type { Insertable, Kysely } from 'kysely';
import type { CaseChannel, Database, ServiceModesTable } from '../db/types.js';

type Db = Kysely<Database>;

// ---- arrivals --------------------------------------------------------------------------------

/** One more arrival in a team's channel and local hour: an atomic upsert on both dialects. */
export const countArrival = (tx: Db, r: { orgId: number; teamId: number; channel: CaseChannel; day: number; hour: number }) =>
  tx
    .insertInto('arrival_counts')
    .values({ org_id: r.orgId, team_id: r.teamId, channel: r.channel, day: r.day, hour: r.hour, count: 1 })
    .onConflict((oc) => oc.columns(['team_id', 'channel', 'day', 'hour']).doUpdateSet((eb) => ({ count: eb('arrival_counts.count', '+', 1) })))
    .execute();

/** Counts of days fromDay…toDay (inclusive), in primary-key order. */
export const arrivalCounts = (db: Db, teamId: number, channel: CaseChannel, fromDay: number, toDay: number) =>
  db
    .selectFrom('arrival_counts')
    .select(['day', 'hour', 'count'])
    .where('team_id', '=', teamId)
    .where('channel', '=', channel)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('day')
    .orderBy('hour')
    .execute();

/** The first day with any arrival of this team and channel (where history begins). */
export const firstArrivalDay = async (db: Db, teamId: number, channel: CaseChannel) =>
  (
    await db
      .selectFrom('arrival_counts')
      .select('day')
      .where('team_id', '=', teamId)
      .where('channel', '=', channel)
      .orderBy('day')
      .limit(1)
      .executeTakeFirst()
  )?.day ?? null;

// ---- modes, hours, holidays ------------------------------------------------------------------

export const teamModes = (db: Db, teamId: number) =>
  db.selectFrom('service_modes').selectAll().where('team_id', '=', teamId).orderBy('channel').execute();

export const findMode = (db: Db, teamId: number, channel: CaseChannel) =>
  db.selectFrom('service_modes').selectAll().where('team_id', '=', teamId).where('channel', '=', channel).executeTakeFirst();

export const modesOfTeams = (db: Db, orgId: number, teamIds: number[]) =>
  teamIds.length === 0
    ? Promise.resolve([])
    : db.selectFrom('service_modes').selectAll().where('org_id', '=', orgId).where('team_id', 'in', teamIds).execute();

export const upsertMode = (tx: Db, row: Insertable<ServiceModesTable>) =>
  tx
    .insertInto('service_modes')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['team_id', 'channel']).doUpdateSet({
        mode: row.mode,
        target_seconds: row.target_seconds,
        service_level_target: row.service_level_target,
        working_hours: row.working_hours,
        handle_seconds: row.handle_seconds,
        patience_seconds: row.patience_seconds ?? null,
        updated_at: row.updated_at,
      }),
    )
    .execute();

/** Answer-now modes after an id (the warning job walks them in pages). */
export const answerNowModesAfter = (db: Db, after: number, limit: number) =>
  db
    .selectFrom('service_modes')
    .selectAll()
    .where('mode', '=', 'answer_now')
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();

export const findHours = async (db: Db, teamId: number) =>
  (await db.selectFrom('team_hours').select('hours').where('team_id', '=', teamId).executeTakeFirst())?.hours ?? null;

export const hoursOfTeams = (db: Db, teamIds: number[]) =>
  teamIds.length === 0 ? Promise.resolve([]) : db.selectFrom('team_hours').select(['team_id', 'hours']).where('team_id', 'in', teamIds).execute();

export const upsertHours = (tx: Db, r: { teamId: number; orgId: number; hours: string; now: number }) =>
  tx
    .insertInto('team_hours')
    .values({ team_id: r.teamId, org_id: r.orgId, hours: r.hours, updated_at: r.now })
    .onConflict((oc) => oc.column('team_id').doUpdateSet({ hours: r.hours, updated_at: r.now }))
    .execute();

/** Holidays from a day on (a team has a handful a year; capped anyway). */
export const holidaysFrom = (db: Db, teamIds: number[], fromDay: number) =>
  teamIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('team_holidays')
        .select(['id', 'team_id', 'day', 'note'])
        .where('team_id', 'in', teamIds)
        .where('day', '>=', fromDay)
        .orderBy('team_id')
        .orderBy('day')
        .limit(500)
        .execute();

export const insertHoliday = (tx: Db, r: { orgId: number; teamId: number; day: number; note: string }) =>
  tx.insertInto('team_holidays').values({ org_id: r.orgId, team_id: r.teamId, day: r.day, note: r.note }).execute();

export const deleteHoliday = async (tx: Db, teamId: number, id: number) =>
  Number((await tx.deleteFrom('team_holidays').where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst()).numDeletedRows);

// ---- forecast edits --------------------------------------------------------------------------

export const forecastEdits = (db: Db, teamId: number, channel: CaseChannel, fromDay: number, toDay: number) =>
  db
    .selectFrom('forecast_edits')
    .select(['id', 'channel', 'kind', 'day', 'from_hour', 'to_hour', 'value', 'note'])
    .where('team_id', '=', teamId)
    .where('channel', '=', channel)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('day')
    .orderBy('id')
    .limit(1000)
    .execute();

export const insertForecastEdit = (tx: Db, row: Insertable<Database['forecast_edits']>) =>
  tx.insertInto('forecast_edits').values(row).returning(['id', 'channel', 'kind', 'day', 'from_hour', 'to_hour', 'value', 'note']).executeTakeFirstOrThrow();

export const deleteForecastEdit = async (tx: Db, teamId: number, id: number) =>
  Number((await tx.deleteFrom('forecast_edits').where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst()).numDeletedRows);

// ---- roster ----------------------------------------------------------------------------------

export const rosterOf = (db: Db, teamId: number) =>
  db
    .selectFrom('roster_shifts')
    .select(['user_id', 'weekday', 'from_hour', 'to_hour'])
    .where('team_id', '=', teamId)
    .orderBy('weekday')
    .orderBy('from_hour')
    .orderBy('id')
    .limit(5000)
    .execute();

/** People on shift in one local hour of the week. */
export const onShiftAt = async (db: Db, teamId: number, weekday: number, hour: number) =>
  Number(
    (
      await db
        .selectFrom('roster_shifts')
        .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
        .where('team_id', '=', teamId)
        .where('weekday', '=', weekday)
        .where('from_hour', '<=', hour)
        .where('to_hour', '>', hour)
        .executeTakeFirstOrThrow()
    ).n,
  );

export async function replaceRoster(
  tx: Db,
  orgId: number,
  teamId: number,
  shifts: Array<{ userId: number; weekday: number; fromHour: number; toHour: number }>,
): Promise<void> {
  await tx.deleteFrom('roster_shifts').where('team_id', '=', teamId).execute();
  for (let i = 0; i < shifts.length; i += 500) {
    await tx
      .insertInto('roster_shifts')
      .values(shifts.slice(i, i + 500).map((s) => ({ org_id: orgId, team_id: teamId, user_id: s.userId, weekday: s.weekday, from_hour: s.fromHour, to_hour: s.toHour })))
      .execute();
  }
}

/** Which of these users are active staff of the organization. */
export const activeUsers = (db: Db, orgId: number, ids: number[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom('users').select('id').where('org_id', '=', orgId).where('id', 'in', ids).where('deactivated_at', 'is', null).execute();

// ---- the live warning ------------------------------------------------------------------------

export const warningsOf = (db: Db, teamId: number) =>
  db.selectFrom('staffing_warnings').selectAll().where('team_id', '=', teamId).orderBy('channel').execute();

export const findWarning = (db: Db, teamId: number, channel: CaseChannel) =>
  db.selectFrom('staffing_warnings').selectAll().where('team_id', '=', teamId).where('channel', '=', channel).executeTakeFirst();

export const upsertWarning = (tx: Db, row: Insertable<Database['staffing_warnings']>) =>
  tx
    .insertInto('staffing_warnings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['team_id', 'channel']).doUpdateSet({
        arrivals_per_hour: row.arrivals_per_hour,
        required: row.required,
        on_shift: row.on_shift,
        checked_at: row.checked_at,
      }),
    )
    .execute();

export const clearWarning = async (tx: Db, teamId: number, channel: CaseChannel) =>
  Number((await tx.deleteFrom('staffing_warnings').where('team_id', '=', teamId).where('channel', '=', channel).executeTakeFirst()).numDeletedRows);

// ---- slots and bookings ----------------------------------------------------------------------

const SLOT_COLUMNS = ['id', 'org_id', 'team_id', 'channel', 'starts_at', 'length_minutes', 'capacity', 'booked'] as const;

export const slotsBetween = (db: Db, teamId: number, from: number, to: number) =>
  db
    .selectFrom('slots')
    .select(SLOT_COLUMNS)
    .where('team_id', '=', teamId)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(2000)
    .execute();

export const insertSlots = (tx: Db, rows: Array<Insertable<Database['slots']>>) =>
  rows.length === 0 ? Promise.resolve([]) : tx.insertInto('slots').values(rows).returning(SLOT_COLUMNS).execute();

export const findSlot = (db: Db, orgId: number, id: number) =>
  db.selectFrom('slots').select(SLOT_COLUMNS).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/**
 * Takes one place in a slot if one is free: one conditional UPDATE, so parallel bookings of
 * the last place cannot both succeed (PostgreSQL re-checks the condition on the updated row;
 * SQLite has one writer). Returns whether a place was taken.
 */
export const takePlace = async (tx: Db, slotId: number) =>
  Number(
    (
      await tx
        .updateTable('slots')
        .set((eb) => ({ booked: eb('booked', '+', 1) }))
        .where('id', '=', slotId)
        .whereRef('booked', '<', 'capacity')
        .executeTakeFirst()
    ).numUpdatedRows,
  ) === 1;

export const givePlaceBack = (tx: Db, slotId: number) =>
  tx
    .updateTable('slots')
    .set((eb) => ({ booked: eb('booked', '-', 1) }))
    .where('id', '=', slotId)
    .where('booked', '>', 0)
    .execute();

/** Deletes a slot nobody has booked (a booked one stays: the promise stands). */
export const deleteFreeSlot = async (tx: Db, orgId: number, id: number) =>
  Number((await tx.deleteFrom('slots').where('org_id', '=', orgId).where('id', '=', id).where('booked', '=', 0).executeTakeFirst()).numDeletedRows);

export const insertBooking = (tx: Db, row: Insertable<Database['bookings']>) =>
  tx.insertInto('bookings').values(row).returning(['id']).executeTakeFirstOrThrow();

export const setBookingPromise = (tx: Db, id: number, promiseId: number | null) =>
  tx.updateTable('bookings').set({ promise_id: promiseId }).where('id', '=', id).execute();

const bookingRows = (db: Db) =>
  db
    .selectFrom('bookings as b')
    .innerJoin('slots as s', 's.id', 'b.slot_id')
    .innerJoin('cases as c', 'c.id', 'b.case_id')
    .select(['c.number as case_number', 'b.id', 'b.slot_id', 'b.case_id', 'b.note', 'b.promise_id', 'b.cancelled_at', 's.starts_at', 's.length_minutes', 'b.org_id']);

export const findBooking = (db: Db, orgId: number, id: number, lock = false) =>
  bookingRows(db)
    .where('b.org_id', '=', orgId)
    .where('b.id', '=', id)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();

export const bookingsOfCase = (db: Db, caseId: number) => bookingRows(db).where('b.case_id', '=', caseId).orderBy('b.id', 'desc').limit(50).execute();

export const cancelBookingRow = async (tx: Db, id: number, now: number) =>
  Number((await tx.updateTable('bookings').set({ cancelled_at: now }).where('id', '=', id).where('cancelled_at', 'is', null).executeTakeFirst()).numUpdatedRows);


export const orgTimeZone = async (db: Db, orgId: number) =>
  (await db.selectFrom('organizations').select('time_zone').where('id', '=', orgId).executeTakeFirst())?.time_zone ?? null;
