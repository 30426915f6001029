// Service modes and the staffing planner (issue 12): per team and channel a mode (answer now
// with a target, or take the time with slots), business hours and holidays, arrivals counted
// per team, channel and local hour as cases arrive, hand edits to the forecast, the weekly
// roster, the live understaffing warning, the slot calendar and its bookings. Frozen in time.
import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

const DAY_MS = 86_400_000;

export async function up(db: Kysely<any>): Promise<void> {
  // One row per team and channel that has a mode; none: no target shown, nothing to plan.
  await withId(db, db.schema.createTable('service_modes'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull()) // answer_now | take_time
    .addColumn('target_seconds', 'integer', (c) => c.notNull())
    .addColumn('service_level_target', 'double precision', (c) => c.notNull())
    .addColumn('working_hours', 'integer', (c) => c.notNull()) // 1: the target counts business hours only
    .addColumn('handle_seconds', 'integer', (c) => c.notNull())
    .addColumn('patience_seconds', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_modes_team_channel').unique().on('service_modes').columns(['team_id', 'channel']).execute();

  // Business hours: JSON [{ weekday 0 = Monday, opens, closes } in minutes of the local day].
  await db.schema
    .createTable('team_hours')
    .addColumn('team_id', 'integer', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Days closed, as local days since 1970-01-01 in the organization's time zone.
  await withId(db, db.schema.createTable('team_holidays'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_holidays_day').unique().on('team_holidays').columns(['team_id', 'day']).execute();

  // Arrivals: cases opened by patrons (or logged as they came in), counted per team, channel
  // and local hour in the transaction that opens the case. The forecast reads at most a few
  // thousand of these rows, never the cases.
  await db.schema
    .createTable('arrival_counts')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull()) // local days since 1970-01-01
    .addColumn('hour', 'integer', (c) => c.notNull()) // local hour 0…23
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('arrival_counts_pk', ['team_id', 'channel', 'day', 'hour'])
    .execute();

  // Hand edits to the forecast: exclude a past day, set or scale hours of a coming day.
  await withId(db, db.schema.createTable('forecast_edits'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // exclude | set | scale
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('from_hour', 'integer', (c) => c.notNull())
    .addColumn('to_hour', 'integer', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('forecast_edits_day').on('forecast_edits').columns(['team_id', 'channel', 'day']).execute();

  // The weekly roster: who is on shift, weekday 0 = Monday, hours [from, to) local.
  await withId(db, db.schema.createTable('roster_shifts'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('from_hour', 'integer', (c) => c.notNull())
    .addColumn('to_hour', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('roster_shifts_team').on('roster_shifts').columns(['team_id', 'weekday', 'from_hour']).execute();

  // The live warning per team and channel: set while arrivals outrun the staff on shift.
  await db.schema
    .createTable('staffing_warnings')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('arrivals_per_hour', 'double precision', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('on_shift', 'integer', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('staffing_warnings_pk', ['team_id', 'channel'])
    .execute();

  // The slot calendar: callbacks and appointments, each with a capacity.
  await withId(db, db.schema.createTable('slots'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('length_minutes', 'integer', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('booked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slots_team_start').on('slots').columns(['team_id', 'starts_at', 'id']).execute();

  await withId(db, db.schema.createTable('bookings'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('slot_id', 'integer', (c) => c.notNull().references('slots.id').onDelete('cascade'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('booked_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('promise_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .execute();
  await db.schema.createIndex('bookings_slot').on('bookings').columns(['slot_id', 'id']).execute();
  await db.schema.createIndex('bookings_case').on('bookings').columns(['case_id', 'id']).execute();

  await backfillArrivals(db);
}

/** Local day and hour of an instant in a time zone (frozen copy of the rule the domain uses). */
function localHour(fmt: Intl.DateTimeFormat, at: number): { day: number; hour: number } {
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(at))) parts[p.type] = p.value;
  const day = Math.floor(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS);
  return { day, hour: Number(parts.hour) % 24 };
}

/**
 * Counts the cases already there, once, in batches by id (a million cases: a few hundred
 * reads of 5,000 and one map of at most teams × channels × hours of history).
 */
export async function backfillArrivals(db: Kysely<any>): Promise<void> {
  const orgs = await db.selectFrom('organizations').select(['id', 'time_zone']).execute();
  for (const org of orgs as Array<{ id: number; time_zone: string }>) {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: org.time_zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    const counts = new Map<string, number>();
    let after = 0;
    for (;;) {
      const rows = (await db
        .selectFrom('cases')
        .select(['id', 'team_id', 'channel', 'created_at', 'created_by'])
        .where('org_id', '=', org.id)
        .where('id', '>', after)
        .orderBy('id')
        .limit(5000)
        .execute()) as Array<{ id: number; team_id: number | null; channel: string; created_at: number | string; created_by: number | null }>;
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      for (const r of rows) {
        if (r.team_id === null || r.channel === 'internal') continue;
        const { day, hour } = localHour(fmt, Number(r.created_at));
        const key = `${r.team_id}|${r.channel}|${day}|${hour}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const values = [...counts].map(([key, count]) => {
      const [team, channel, day, hour] = key.split('|');
      return { org_id: org.id, team_id: Number(team), channel, day: Number(day), hour: Number(hour), count };
    });
    for (let i = 0; i < values.length; i += 500) {
      await db.insertInto('arrival_counts').values(values.slice(i, i + 500)).execute();
    }
  }
}
