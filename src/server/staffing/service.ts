// The staffing use cases: the calculator and its curve, a team's modes, hours and holidays,
// time to target for the queue, the week plan (forecast, required staff, roster), hand edits
// to the forecast and the roster. Slots and bookings are in slots.ts, the live warning in watch.ts.
import type {
  CalculateBody,
  Curve,
  CurveBody,
  DueBody,
  DueView,
  ForecastEditBody,
  ForecastEditView,
  HoursBody,
  PlanView,
  QueueFigures,
  RosterBody,
  RosterView,
  ServiceModeBody,
  TeamSettings,
  WarningView,
} from '../../contracts/staffing.js';
import type { CaseChannel, ServiceModesTable } from '../db/types.js';
import type { Selectable } from 'kysely';
import { findOrg } from '../admin/api.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform } from '../platform/context.js';
import { badRequest, conflict, isUniqueViolation, notFound } from '../platform/errors.js';
import { inTransaction } from '../platform/tx.js';
import { addWorkingTime, dayToIso, hhmmOf, isoToDay, localTime, minutesOf, mondayOf, type OpeningHours } from './calendar.js';
import { StaffingInputError, calculate, clamp01, erlangAFromB, erlangBTable, erlangCFromB } from './erlang.js';
import { forecastWeek, type ExcludedDay, type HourlyCount, type Override } from './forecast.js';
import { smallestStaff } from './plan.js';
import { requireTeamOf } from './policy.js';
import * as q from './queries.js';

/** Runs pure arithmetic, turning its input errors into a 400 naming the field. */
function arithmetic<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof StaffingInputError) throw badRequest(err.reason, err.field);
    throw err;
  }
}

/** Never NaN or Infinity in a reply: a figure that is not finite is a bug, not an answer. */
const finite = (v: number) => {
  if (!Number.isFinite(v)) throw new Error('staffing: a figure is not finite');
  return v;
};

// ---- the calculator --------------------------------------------------------------------------

export function calculateFigures(body: CalculateBody): QueueFigures {
  const result = arithmetic(() => calculate(body));
  if (result.status === 'unstable') throw badRequest(`is too few: unstable queue. ${result.message}`, 'agents');
  const f = result.figures;
  return {
    model: f.model,
    agents: f.agents,
    offeredLoad: finite(f.offeredLoad),
    serviceLevel: clamp01(finite(f.serviceLevel)),
    probabilityOfWaiting: clamp01(finite(f.probabilityOfWaiting)),
    averageWaitSeconds: Math.max(0, finite(f.averageWaitSeconds)),
    occupancy: clamp01(finite(f.occupancy)),
    answeredWithinTarget: clamp01(finite(f.answeredWithinTarget)),
    ...(f.model === 'erlang-a' ? { abandonmentShare: clamp01(finite(f.abandonmentShare)) } : {}),
  };
}

/** Figures for each staff count fromAgents…toAgents, one Erlang B table for them all. */
export function staffCurve(body: CurveBody): Curve {
  return arithmetic(() => {
    const lambda = body.arrivalsPerHour / 3600;
    const a = lambda * body.handleSeconds;
    const b = erlangBTable(a, body.toAgents);
    const points: Curve['points'] = [];
    for (let n = body.fromAgents; n <= body.toAgents; n++) {
      if (a === 0) {
        points.push({ agents: n, stable: true, serviceLevel: 1, probabilityOfWaiting: 0, averageWaitSeconds: 0, occupancy: 0, abandonmentShare: body.patienceSeconds ? 0 : null });
      } else if (body.patienceSeconds !== undefined) {
        const f = erlangAFromB(lambda, body.handleSeconds, body.patienceSeconds, n, b[n]!, body.targetSeconds);
        points.push({
          agents: n,
          stable: true,
          serviceLevel: clamp01(finite(f.serviceLevel)),
          probabilityOfWaiting: clamp01(finite(f.probabilityOfWaiting)),
          averageWaitSeconds: Math.max(0, finite(f.averageWaitSeconds)),
          occupancy: clamp01(finite(f.occupancy)),
          abandonmentShare: clamp01(finite(f.abandonmentShare)),
        });
      } else if (a >= n) {
        points.push({ agents: n, stable: false, serviceLevel: null, probabilityOfWaiting: null, averageWaitSeconds: null, occupancy: 1, abandonmentShare: null });
      } else {
        const f = erlangCFromB(a, n, b[n]!, body.handleSeconds, body.targetSeconds);
        points.push({
          agents: n,
          stable: true,
          serviceLevel: clamp01(finite(f.serviceLevel)),
          probabilityOfWaiting: clamp01(finite(f.probabilityOfWaiting)),
          averageWaitSeconds: Math.max(0, finite(f.averageWaitSeconds)),
          occupancy: clamp01(finite(f.occupancy)),
          abandonmentShare: null,
        });
      }
    }
    const required =
      a === 0
        ? 0
        : smallestStaff({
            arrivalsPerHour: body.arrivalsPerHour,
            handleSeconds: body.handleSeconds,
            ...(body.patienceSeconds !== undefined ? { patienceSeconds: body.patienceSeconds } : {}),
            targetSeconds: body.targetSeconds,
            serviceLevelTarget: body.serviceLevelTarget,
          });
    return {
      model: body.patienceSeconds !== undefined ? 'erlang-a' : 'erlang-c',
      offeredLoad: a,
      requiredAgents: typeof required === 'number' ? required : required.status === 'ok' ? required.agents : null,
      points,
    };
  });
}

// ---- modes, hours, holidays ------------------------------------------------------------------

type ModeRow = Selectable<ServiceModesTable>;

const toModeView = (m: ModeRow) => ({
  channel: m.channel,
  mode: m.mode,
  targetSeconds: m.target_seconds,
  serviceLevelTarget: m.service_level_target,
  workingHours: m.working_hours === 1,
  handleSeconds: m.handle_seconds,
  patienceSeconds: m.patience_seconds,
  updatedAt: m.updated_at,
});

export const parseHours = (json: string | null): OpeningHours[] => (json ? (JSON.parse(json) as OpeningHours[]) : []);

async function orgZone(db: Platform['db'], orgId: number): Promise<string> {
  const org = await findOrg(db, orgId);
  if (!org) throw notFound('Organization');
  return org.time_zone;
}

export async function teamSettings(p: Platform, actor: Actor, teamId: number): Promise<TeamSettings> {
  await requireTeamOf(p.db, actor, teamId);
  const timeZone = await orgZone(p.db, actor.orgId);
  const today = localTime(timeZone, p.clock.now()).day;
  const [modes, hours, holidays] = await Promise.all([q.teamModes(p.db, teamId), q.findHours(p.db, teamId), q.holidaysFrom(p.db, [teamId], today - 31)]);
  return {
    teamId,
    timeZone,
    modes: modes.map(toModeView),
    hours: parseHours(hours).map((h) => ({ weekday: h.weekday, opens: hhmmOf(h.opens), closes: hhmmOf(h.closes) })),
    holidays: holidays.map((h) => ({ id: h.id, day: dayToIso(h.day), note: h.note })),
  };
}

export async function setMode(p: Platform, actor: Actor, teamId: number, channel: CaseChannel, body: ServiceModeBody): Promise<TeamSettings> {
  await inTransaction(p, async (ctx) => {
    await requireTeamOf(ctx.tx, actor, teamId);
    await q.upsertMode(ctx.tx, {
      org_id: actor.orgId,
      team_id: teamId,
      channel,
      mode: body.mode,
      target_seconds: body.targetSeconds,
      service_level_target: body.serviceLevelTarget,
      working_hours: body.workingHours ? 1 : 0,
      handle_seconds: body.handleSeconds,
      patience_seconds: body.patienceSeconds,
      updated_at: ctx.clock.now(),
    });
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'team.service_mode_set', targetType: 'team', targetId: teamId, detail: { channel, ...body } });
  });
  return teamSettings(p, actor, teamId);
}

export async function setHours(p: Platform, actor: Actor, teamId: number, body: HoursBody): Promise<TeamSettings> {
  const hours: OpeningHours[] = body.hours.map((h) => ({ weekday: h.weekday, opens: minutesOf(h.opens), closes: minutesOf(h.closes) }));
  hours.sort((a, b) => a.weekday - b.weekday || a.opens - b.opens);
  hours.forEach((h, i) => {
    const prev = hours[i - 1];
    if (prev && prev.weekday === h.weekday && prev.closes > h.opens) throw badRequest('overlap on the same day', `hours.${i}.opens`);
  });
  await inTransaction(p, async (ctx) => {
    await requireTeamOf(ctx.tx, actor, teamId);
    await q.upsertHours(ctx.tx, { teamId, orgId: actor.orgId, hours: JSON.stringify(hours), now: ctx.clock.now() });
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'team.hours_set', targetType: 'team', targetId: teamId });
  });
  return teamSettings(p, actor, teamId);
}

export async function addHoliday(p: Platform, actor: Actor, teamId: number, body: { day: string; note: string }): Promise<TeamSettings> {
  try {
    await inTransaction(p, async (ctx) => {
      await requireTeamOf(ctx.tx, actor, teamId);
      await q.insertHoliday(ctx.tx, { orgId: actor.orgId, teamId, day: isoToDay(body.day), note: body.note });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('That day is already a holiday.', 'day');
    throw err;
  }
  return teamSettings(p, actor, teamId);
}

export async function deleteHoliday(p: Platform, actor: Actor, teamId: number, id: number): Promise<TeamSettings> {
  await inTransaction(p, async (ctx) => {
    await requireTeamOf(ctx.tx, actor, teamId);
    if ((await q.deleteHoliday(ctx.tx, teamId, id)) === 0) throw notFound('Holiday');
  });
  return teamSettings(p, actor, teamId);
}

// ---- time to target --------------------------------------------------------------------------

/** When each case reaches its team's target for its channel; cases with no mode are left out. */
export async function dueTimes(p: Platform, actor: Actor, body: DueBody): Promise<DueView> {
  const teamIds = [...new Set(body.cases.map((c) => c.teamId).filter((t): t is number => t !== null))];
  const modes = await q.modesOfTeams(p.db, actor.orgId, teamIds);
  if (modes.length === 0) return { due: [] };
  const timeZone = await orgZone(p.db, actor.orgId);
  const earliest = Math.min(...body.cases.map((c) => c.createdAt));
  const withHours = [...new Set(modes.filter((m) => m.working_hours === 1).map((m) => m.team_id))];
  const [hours, holidays] = await Promise.all([q.hoursOfTeams(p.db, withHours), q.holidaysFrom(p.db, withHours, localTime(timeZone, earliest).day)]);
  const hoursOf = new Map(hours.map((h) => [h.team_id, parseHours(h.hours)]));
  const closed = new Map<number, Set<number>>();
  for (const h of holidays) {
    if (!closed.has(h.team_id)) closed.set(h.team_id, new Set());
    closed.get(h.team_id)!.add(h.day);
  }
  const modeOf = new Map(modes.map((m) => [`${m.team_id}|${m.channel}`, m]));
  const due: DueView['due'] = [];
  for (const c of body.cases) {
    const m = c.teamId === null ? undefined : modeOf.get(`${c.teamId}|${c.channel}`);
    if (!m) continue;
    if (m.mode === 'take_time') {
      due.push({ id: c.id, mode: m.mode, dueAt: null, targetSeconds: m.target_seconds });
      continue;
    }
    const dueAt =
      m.working_hours === 1
        ? addWorkingTime(timeZone, c.createdAt, m.target_seconds, hoursOf.get(m.team_id) ?? [], closed.get(m.team_id) ?? new Set())
        : c.createdAt + m.target_seconds * 1000;
    due.push({ id: c.id, mode: m.mode, dueAt, targetSeconds: m.target_seconds });
  }
  return { due };
}

// ---- the week plan ---------------------------------------------------------------------------

/** Defaults for a channel with no mode yet: a typical phone desk (shown as such on the screen). */
const DEFAULT_MODE = { targetSeconds: 20, serviceLevelTarget: 0.8, handleSeconds: 300, patienceSeconds: null as number | null };
const HISTORY_WEEKS = 12;

const toEditView = (e: { id: number; channel: CaseChannel; kind: ForecastEditView['kind']; day: number; from_hour: number; to_hour: number; value: number | null; note: string }): ForecastEditView => ({
  id: e.id,
  channel: e.channel,
  kind: e.kind,
  day: dayToIso(e.day),
  fromHour: e.from_hour,
  toHour: e.to_hour,
  value: e.value,
  note: e.note,
});

/** onShift[weekday][hour] from a roster's shifts, each person counted once per hour. */
export function onShiftGrid(shifts: Array<{ user_id: number; weekday: number; from_hour: number; to_hour: number }>): number[][] {
  const seen = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => new Set<number>()));
  for (const s of shifts) for (let h = s.from_hour; h < s.to_hour; h++) seen[s.weekday]![h]!.add(s.user_id);
  return seen.map((day) => day.map((set) => set.size));
}

export async function weekPlanFor(p: Platform, actor: Actor, teamId: number, channel: CaseChannel, week?: string): Promise<PlanView> {
  await requireTeamOf(p.db, actor, teamId);
  const timeZone = await orgZone(p.db, actor.orgId);
  const monday = mondayOf(week ? isoToDay(week) : localTime(timeZone, p.clock.now()).day);
  const fromDay = monday - HISTORY_WEEKS * 7;
  const [mode, rows, first, edits, shifts] = await Promise.all([
    q.findMode(p.db, teamId, channel),
    q.arrivalCounts(p.db, teamId, channel, fromDay, monday - 1),
    q.firstArrivalDay(p.db, teamId, channel),
    q.forecastEdits(p.db, teamId, channel, fromDay, monday + 6),
    q.rosterOf(p.db, teamId),
  ]);
  const counts: HourlyCount[] = rows.map((r) => {
    const m = mondayOf(r.day);
    return { weekStart: dayToIso(m), weekday: r.day - m, hour: r.hour, count: r.count };
  });
  const excludeDays: ExcludedDay[] = [];
  const overrides: Override[] = [];
  for (const e of edits) {
    if (e.kind === 'exclude') {
      if (e.day < monday) excludeDays.push({ weekStart: dayToIso(mondayOf(e.day)), weekday: e.day - mondayOf(e.day), note: e.note });
    } else if (e.day >= monday) {
      overrides.push({ weekday: e.day - monday, fromHour: e.from_hour, toHour: e.to_hour, note: e.note, ...(e.kind === 'set' ? { arrivals: e.value ?? 0 } : { factor: e.value ?? 1 }) });
    }
  }
  const firstMonday = first === null ? null : mondayOf(first);
  const forecast = arithmetic(() =>
    forecastWeek({
      weekStart: dayToIso(monday),
      counts,
      weeks: HISTORY_WEEKS,
      ...(firstMonday !== null && firstMonday < monday ? { historyStart: dayToIso(firstMonday) } : {}),
      excludeDays,
      overrides,
    }),
  );
  const m = mode
    ? { targetSeconds: mode.target_seconds, serviceLevelTarget: mode.service_level_target, handleSeconds: mode.handle_seconds, patienceSeconds: mode.patience_seconds }
    : DEFAULT_MODE;
  const required = (patience: number | null) =>
    forecast.arrivals.map((day) =>
      day.map((perHour) => {
        if (perHour <= 0) return 0;
        const answer = arithmetic(() =>
          smallestStaff({
            arrivalsPerHour: perHour,
            handleSeconds: m.handleSeconds,
            ...(patience !== null ? { patienceSeconds: patience } : {}),
            targetSeconds: Math.min(m.targetSeconds, 86_400),
            serviceLevelTarget: m.serviceLevelTarget,
            maxAgents: 200,
          }),
        );
        return answer.status === 'ok' ? answer.agents : null;
      }),
    );
  return {
    teamId,
    channel,
    week: dayToIso(monday),
    timeZone,
    mode: mode ? toModeView(mode) : null,
    arrivals: forecast.arrivals,
    basis: forecast.basis,
    history: {
      weeks: forecast.history.weeks,
      halfLifeWeeks: forecast.history.halfLifeWeeks,
      excludedDays: forecast.history.excludedDays.map((d) => ({ weekStart: d.weekStart, weekday: d.weekday, ...(d.note ? { note: d.note } : {}) })),
    },
    edits: edits.map(toEditView),
    requiredC: required(null),
    requiredA: m.patienceSeconds !== null ? required(m.patienceSeconds) : null,
    onShift: onShiftGrid(shifts),
  };
}

export async function addForecastEdit(p: Platform, actor: Actor, teamId: number, body: ForecastEditBody): Promise<ForecastEditView> {
  return inTransaction(p, async (ctx) => {
    await requireTeamOf(ctx.tx, actor, teamId);
    if (body.kind === 'scale' && (body.value === undefined || body.value > 100)) throw badRequest('must be a factor of at most 100', 'value');
    const row = await q.insertForecastEdit(ctx.tx, {
      org_id: actor.orgId,
      team_id: teamId,
      channel: body.channel,
      kind: body.kind,
      day: isoToDay(body.day),
      from_hour: body.kind === 'exclude' ? 0 : body.fromHour,
      to_hour: body.kind === 'exclude' ? 24 : body.toHour,
      value: body.kind === 'exclude' ? null : (body.value ?? null),
      note: body.note,
      created_by: actor.userId,
      created_at: ctx.clock.now(),
    });
    return toEditView(row);
  });
}

export async function deleteForecastEdit(p: Platform, actor: Actor, teamId: number, id: number): Promise<{ ok: true }> {
  await inTransaction(p, async (ctx) => {
    await requireTeamOf(ctx.tx, actor, teamId);
    if ((await q.deleteForecastEdit(ctx.tx, teamId, id)) === 0) throw notFound('Forecast edit');
  });
  return { ok: true };
}

// ---- roster and warnings ---------------------------------------------------------------------

export async function roster(p: Platform, actor: Actor, teamId: number): Promise<RosterView> {
  await requireTeamOf(p.db, actor, teamId);
  const shifts = await q.rosterOf(p.db, teamId);
  return {
    shifts: shifts.map((s) => ({ userId: s.user_id, weekday: s.weekday, fromHour: s.from_hour, toHour: s.to_hour })),
    onShift: onShiftGrid(shifts),
  };
}

export async function setRoster(p: Platform, actor: Actor, teamId: number, body: RosterBody): Promise<RosterView> {
  await inTransaction(p, async (ctx) => {
    await requireTeamOf(ctx.tx, actor, teamId);
    const ids = [...new Set(body.shifts.map((s) => s.userId))];
    const active = new Set((await q.activeUsers(ctx.tx, actor.orgId, ids)).map((u) => u.id));
    const bad = body.shifts.findIndex((s) => !active.has(s.userId));
    if (bad >= 0) throw badRequest('is not an active user of this organization', `shifts.${bad}.userId`);
    await q.replaceRoster(ctx.tx, actor.orgId, teamId, body.shifts);
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'team.roster_set', targetType: 'team', targetId: teamId, detail: { shifts: body.shifts.length } });
  });
  return roster(p, actor, teamId);
}

export async function warnings(p: Platform, actor: Actor, teamId: number): Promise<WarningView> {
  await requireTeamOf(p.db, actor, teamId);
  const rows = await q.warningsOf(p.db, teamId);
  return { warnings: rows.map((w) => ({ channel: w.channel, arrivalsPerHour: w.arrivals_per_hour, required: w.required, onShift: w.on_shift, since: w.since })) };
}
