// Service modes and the staffing planner (issue 12): the calculator, a team's modes, hours and
// holidays, the forecast and its hand edits, the roster, the week plan, the live warning, and
// the slot calendar with its bookings (from the case screen and from the public help form).
import { z } from 'zod';
import { Channel } from './cases.js';
import { Id, RefId, formSchema, optionalText, text } from './common.js';
import { endpoint } from './endpoint.js';
import { BOOKING_FORM } from './form-rules.js';
import { OrgSlugParams } from './helpcenter.js';
import { ROUTES } from './routes.js';

/** Bounds beyond which an input is a mistake, not a desk (the same as `staffing/erlang.ts`). */
export const STAFFING_LIMITS = {
  maxAgents: 5000,
  maxArrivalsPerHour: 100_000,
  minSeconds: 0.001,
  maxSeconds: 86_400,
  /** The chart's curve: at most this many staff counts in one answer. */
  maxCurvePoints: 500,
} as const;

const finite = () => z.number({ error: 'must be a finite number' });
const seconds = () =>
  finite()
    .min(STAFFING_LIMITS.minSeconds, `must be at least ${STAFFING_LIMITS.minSeconds} s`)
    .max(STAFFING_LIMITS.maxSeconds, `must be at most ${STAFFING_LIMITS.maxSeconds} s (a day)`);
const arrivals = () =>
  finite()
    .gt(0, 'must be greater than 0')
    .max(STAFFING_LIMITS.maxArrivalsPerHour, `must be at most ${STAFFING_LIMITS.maxArrivalsPerHour}`);
const target = () => finite().min(0, 'must be at least 0').max(STAFFING_LIMITS.maxSeconds, 'must be at most 86400 s (a day)');
const agents = () =>
  z.number().int('must be a whole number').min(1, 'must be at least 1').max(STAFFING_LIMITS.maxAgents, `must be at most ${STAFFING_LIMITS.maxAgents}`);
const share = () => finite().gt(0, 'must be greater than 0').lt(1, 'must be less than 1 (no finite staff answers everyone in time)');
const fraction = () => z.number().min(0).max(1);

// ---- the calculator ------------------------------------------------------------------------

export const CalculateBody = z
  .object({
    arrivalsPerHour: arrivals(),
    handleSeconds: seconds(),
    /** Mean patience before hanging up; absent: Erlang C (nobody hangs up). */
    patienceSeconds: seconds().optional(),
    agents: agents(),
    targetSeconds: target(),
  })
  .meta({ id: 'StaffingQuestion' });
export type CalculateBody = z.output<typeof CalculateBody>;
export type CalculateBodyInput = z.input<typeof CalculateBody>;

export const QueueFigures = z
  .object({
    model: z.enum(['erlang-c', 'erlang-a']),
    agents: z.number(),
    /** Arrivals × handle time, in Erlangs. */
    offeredLoad: z.number(),
    /** Share of all callers answered within the target (a hang-up counts as not answered). */
    serviceLevel: fraction(),
    /** Share of callers who find every agent busy. */
    probabilityOfWaiting: fraction(),
    /** Mean wait of answered callers, zero waits included (ASA). */
    averageWaitSeconds: z.number().min(0),
    /** Share of agents' time spent handling. */
    occupancy: fraction(),
    /** Of the answered callers, the share answered within the target. */
    answeredWithinTarget: fraction(),
    /** Share of callers who hang up before an answer (Erlang A only). */
    abandonmentShare: fraction().optional(),
  })
  .meta({ id: 'StaffingFigures' });
export type QueueFigures = z.output<typeof QueueFigures>;
export type QueueFiguresInput = z.input<typeof QueueFigures>;

// ---- the curve behind the chart ------------------------------------------------------------

export const CurveBody = z
  .object({
    arrivalsPerHour: finite().min(0).max(STAFFING_LIMITS.maxArrivalsPerHour),
    handleSeconds: seconds(),
    patienceSeconds: seconds().optional(),
    targetSeconds: target(),
    serviceLevelTarget: share(),
    fromAgents: agents().default(1),
    toAgents: agents(),
  })
  .refine((b) => b.toAgents >= b.fromAgents, { message: 'must be at least fromAgents', path: ['toAgents'] })
  .refine((b) => b.toAgents - b.fromAgents < STAFFING_LIMITS.maxCurvePoints, {
    message: `must be within ${STAFFING_LIMITS.maxCurvePoints} of fromAgents`,
    path: ['toAgents'],
  });
export type CurveBody = z.output<typeof CurveBody>;
export type CurveBodyInput = z.input<typeof CurveBody>;

export const CurvePoint = z.object({
  agents: z.number(),
  /** False where Erlang C has no answer (the load is at or above the staff): no figures then. */
  stable: z.boolean(),
  serviceLevel: fraction().nullable(),
  probabilityOfWaiting: fraction().nullable(),
  averageWaitSeconds: z.number().min(0).nullable(),
  occupancy: fraction(),
  abandonmentShare: fraction().nullable(),
});
export type CurvePoint = z.output<typeof CurvePoint>;
export type CurvePointInput = z.input<typeof CurvePoint>;

export const Curve = z.object({
  model: z.enum(['erlang-c', 'erlang-a']),
  offeredLoad: z.number(),
  /** The smallest staff meeting the target, or null when none in 1…5000 does. */
  requiredAgents: z.number().nullable(),
  points: z.array(CurvePoint),
});
export type Curve = z.output<typeof Curve>;
export type CurveInput = z.input<typeof Curve>;

// ---- modes, hours and holidays -------------------------------------------------------------

export const ServiceModeKind = z.enum(['answer_now', 'take_time']);
export type ServiceModeKind = z.output<typeof ServiceModeKind>;
export type ServiceModeKindInput = z.input<typeof ServiceModeKind>;

export const TeamParams = z.object({ teamId: Id });
export type TeamParams = z.output<typeof TeamParams>;
export type TeamParamsInput = z.input<typeof TeamParams>;
export const TeamChannelParams = z.object({ teamId: Id, channel: Channel });
export type TeamChannelParams = z.output<typeof TeamChannelParams>;
export type TeamChannelParamsInput = z.input<typeof TeamChannelParams>;

export const ServiceModeBody = z.object({
  mode: ServiceModeKind,
  /** Answer now: the target answer time (20 s for calls, 14,400 s = 4 h for emails). */
  targetSeconds: z.number().int().min(1).max(30 * 86_400),
  /** Share to answer within the target, e.g. 0.8. */
  serviceLevelTarget: share(),
  /** The target counts business hours only (emails within 4 working hours). */
  workingHours: z.boolean(),
  /** The team's average handling time, for the planner (never one person's). */
  handleSeconds: z.number().int().min(1).max(86_400),
  /** Average patience before hanging up, where known; null: Erlang C. */
  patienceSeconds: z.number().int().min(1).max(86_400).nullable(),
});
export type ServiceModeBody = z.output<typeof ServiceModeBody>;
export type ServiceModeBodyInput = z.input<typeof ServiceModeBody>;

export const ServiceModeView = ServiceModeBody.extend({ channel: Channel, updatedAt: z.number() });
export type ServiceModeView = z.output<typeof ServiceModeView>;
export type ServiceModeViewInput = z.input<typeof ServiceModeView>;

const HHMM = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, 'must be a time like 09:30');
export const OpeningHours = z
  .object({ weekday: z.number().int().min(0).max(6), opens: HHMM, closes: HHMM })
  .refine((h) => h.closes > h.opens, { message: 'must be after opens', path: ['closes'] });
export type OpeningHours = z.output<typeof OpeningHours>;
export type OpeningHoursInput = z.input<typeof OpeningHours>;

export const HoursBody = z.object({ hours: z.array(OpeningHours).max(28) });
export type HoursBody = z.output<typeof HoursBody>;
export type HoursBodyInput = z.input<typeof HoursBody>;

export const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-24').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a date');
export type IsoDay = z.output<typeof IsoDay>;
export type IsoDayInput = z.input<typeof IsoDay>;

export const HolidayBody = z.object({ day: IsoDay, note: text(200) });
export type HolidayBody = z.output<typeof HolidayBody>;
export type HolidayBodyInput = z.input<typeof HolidayBody>;
export const HolidayView = z.object({ id: z.number(), day: z.string(), note: z.string() });
export type HolidayView = z.output<typeof HolidayView>;
export type HolidayViewInput = z.input<typeof HolidayView>;
export const HolidayParams = z.object({ teamId: Id, id: Id });
export type HolidayParams = z.output<typeof HolidayParams>;
export type HolidayParamsInput = z.input<typeof HolidayParams>;

export const TeamSettings = z.object({
  teamId: z.number(),
  timeZone: z.string(),
  modes: z.array(ServiceModeView),
  hours: z.array(OpeningHours),
  holidays: z.array(HolidayView),
});
export type TeamSettings = z.output<typeof TeamSettings>;
export type TeamSettingsInput = z.input<typeof TeamSettings>;

// ---- time to target on the queue -----------------------------------------------------------

export const DueBody = z.object({
  cases: z
    .array(z.object({ id: RefId, teamId: RefId.nullable(), channel: Channel, createdAt: z.number().int().min(0) }))
    .max(200),
});
export type DueBody = z.output<typeof DueBody>;
export type DueBodyInput = z.input<typeof DueBody>;
export const DueView = z.object({
  due: z.array(z.object({ id: z.number(), mode: ServiceModeKind, dueAt: z.number().nullable(), targetSeconds: z.number() })),
});
export type DueView = z.output<typeof DueView>;
export type DueViewInput = z.input<typeof DueView>;

// ---- forecast, roster, plan ----------------------------------------------------------------

export const PlanQuery = z.object({ channel: Channel, week: IsoDay.optional() });
export type PlanQuery = z.output<typeof PlanQuery>;
export type PlanQueryInput = z.input<typeof PlanQuery>;

export const ForecastEditKind = z.enum(['exclude', 'set', 'scale']);
export type ForecastEditKind = z.output<typeof ForecastEditKind>;
export type ForecastEditKindInput = z.input<typeof ForecastEditKind>;

export const ForecastEditBody = z
  .object({
    channel: Channel,
    /** exclude: leave a past day out of the history; set: arrivals per hour; scale: × factor. */
    kind: ForecastEditKind,
    day: IsoDay,
    fromHour: z.number().int().min(0).max(23).default(0),
    toHour: z.number().int().min(1).max(24).default(24),
    /** Arrivals per hour (set) or the factor (scale). */
    value: finite().min(0).max(STAFFING_LIMITS.maxArrivalsPerHour).optional(),
    note: text(200),
  })
  .refine((e) => e.toHour > e.fromHour, { message: 'must be after fromHour', path: ['toHour'] })
  .refine((e) => e.kind === 'exclude' || e.value !== undefined, { message: 'is required to set or scale', path: ['value'] });
export type ForecastEditBody = z.output<typeof ForecastEditBody>;
export type ForecastEditBodyInput = z.input<typeof ForecastEditBody>;

export const ForecastEditView = z.object({
  id: z.number(),
  channel: Channel,
  kind: ForecastEditKind,
  day: z.string(),
  fromHour: z.number(),
  toHour: z.number(),
  value: z.number().nullable(),
  note: z.string(),
});
export type ForecastEditView = z.output<typeof ForecastEditView>;
export type ForecastEditViewInput = z.input<typeof ForecastEditView>;
export const ForecastEditParams = z.object({ teamId: Id, id: Id });
export type ForecastEditParams = z.output<typeof ForecastEditParams>;
export type ForecastEditParamsInput = z.input<typeof ForecastEditParams>;

export const ShiftView = z
  .object({
    userId: RefId,
    weekday: z.number().int().min(0).max(6),
    fromHour: z.number().int().min(0).max(23),
    toHour: z.number().int().min(1).max(24),
  })
  .refine((s) => s.toHour > s.fromHour, { message: 'must be after fromHour', path: ['toHour'] });
export type ShiftView = z.output<typeof ShiftView>;
export type ShiftViewInput = z.input<typeof ShiftView>;
export const RosterBody = z.object({ shifts: z.array(ShiftView).max(2000) });
export type RosterBody = z.output<typeof RosterBody>;
export type RosterBodyInput = z.input<typeof RosterBody>;
export const RosterView = z.object({
  shifts: z.array(ShiftView),
  /** onShift[weekday][hour]: people on shift. */
  onShift: z.array(z.array(z.number())),
});
export type RosterView = z.output<typeof RosterView>;
export type RosterViewInput = z.input<typeof RosterView>;

export const PlanView = z
  .object({
    teamId: z.number(),
    channel: Channel,
    /** Monday of the planned week, in the organization's calendar. */
    week: z.string(),
    timeZone: z.string(),
    mode: ServiceModeView.nullable(),
    /** arrivals[weekday][hour] (weekday 0 = Monday): expected arrivals per hour. */
    arrivals: z.array(z.array(z.number())),
    basis: z.array(z.array(z.enum(['history', 'override', 'no-history']))),
    history: z.object({
      weeks: z.array(z.object({ weekStart: z.string(), weight: z.number(), arrivals: z.number() })),
      halfLifeWeeks: z.number(),
      excludedDays: z.array(z.object({ weekStart: z.string(), weekday: z.number(), note: z.string().optional() })),
    }),
    edits: z.array(ForecastEditView),
    /** Smallest staff meeting the target per hour (Erlang C; Erlang A where patience is set); null: none up to 200. */
    requiredC: z.array(z.array(z.number().nullable())),
    requiredA: z.array(z.array(z.number().nullable())).nullable(),
    onShift: z.array(z.array(z.number())),
  })
  .meta({ id: 'StaffingPlan' });
export type PlanView = z.output<typeof PlanView>;
export type PlanViewInput = z.input<typeof PlanView>;

export const WarningView = z.object({
  warnings: z.array(
    z.object({ channel: Channel, arrivalsPerHour: z.number(), required: z.number(), onShift: z.number(), since: z.number() }),
  ),
});
export type WarningView = z.output<typeof WarningView>;
export type WarningViewInput = z.input<typeof WarningView>;

// ---- slots and bookings --------------------------------------------------------------------

export const SlotsQuery = z.object({ from: IsoDay.optional(), days: z.coerce.number().int().min(1).max(31).default(14) });
export type SlotsQuery = z.output<typeof SlotsQuery>;
export type SlotsQueryInput = z.input<typeof SlotsQuery>;

export const SlotView = z.object({
  id: z.number(),
  teamId: z.number(),
  channel: Channel,
  startsAt: z.number(),
  lengthMinutes: z.number(),
  capacity: z.number(),
  booked: z.number(),
});
export type SlotView = z.output<typeof SlotView>;
export type SlotViewInput = z.input<typeof SlotView>;
export const SlotList = z.object({ timeZone: z.string(), items: z.array(SlotView) });
export type SlotList = z.output<typeof SlotList>;
export type SlotListInput = z.input<typeof SlotList>;

/** A run of slots: on `day` from `from` to `to`, one every `lengthMinutes`, each for `capacity`. */
export const SlotsBody = z
  .object({
    channel: Channel,
    day: IsoDay,
    from: HHMM,
    to: HHMM,
    lengthMinutes: z.number().int().min(5).max(480),
    capacity: z.number().int().min(1).max(100),
  })
  .refine((b) => b.to > b.from, { message: 'must be after from', path: ['to'] });
export type SlotsBody = z.output<typeof SlotsBody>;
export type SlotsBodyInput = z.input<typeof SlotsBody>;
export const SlotParams = z.object({ id: Id });
export type SlotParams = z.output<typeof SlotParams>;
export type SlotParamsInput = z.input<typeof SlotParams>;

export const BookingView = z.object({
  id: z.number(),
  slotId: z.number(),
  startsAt: z.number(),
  lengthMinutes: z.number(),
  caseRef: z.string(),
  note: z.string(),
  promiseId: z.number().nullable(),
  cancelledAt: z.number().nullable(),
});
export type BookingView = z.output<typeof BookingView>;
export type BookingViewInput = z.input<typeof BookingView>;

export const StaffBookingBody = z.object({ caseRef: z.string().max(40), note: optionalText(500) });
export type StaffBookingBody = z.output<typeof StaffBookingBody>;
export type StaffBookingBodyInput = z.input<typeof StaffBookingBody>;
export const BookingParams = z.object({ id: Id });
export type BookingParams = z.output<typeof BookingParams>;
export type BookingParamsInput = z.input<typeof BookingParams>;

export const PublicSlots = z.object({
  /** False when the team the help form reaches answers now: no booking offered. */
  offered: z.boolean(),
  timeZone: z.string(),
  items: z.array(z.object({ id: z.number(), startsAt: z.number(), lengthMinutes: z.number(), free: z.number() })),
});
export type PublicSlots = z.output<typeof PublicSlots>;
export type PublicSlotsInput = z.input<typeof PublicSlots>;

/** The rules of each field are in form-rules.ts, where the public page reads them too. */
export const PublicBookingBody = formSchema(BOOKING_FORM);
export type PublicBookingBody = z.output<typeof PublicBookingBody>;
export type PublicBookingBodyInput = z.input<typeof PublicBookingBody>;
export const PublicBookingResult = z.object({ reference: z.string().nullable(), statusUrl: z.string().nullable(), startsAt: z.number().nullable() });
export type PublicBookingResult = z.output<typeof PublicBookingResult>;
export type PublicBookingResultInput = z.input<typeof PublicBookingResult>;

const TAGS = ['staffing'] as const;

export const staffingApi = {
  calculate: endpoint({
    method: 'POST',
    path: '/api/staffing/calculate',
    tags: TAGS,
    summary: 'Queue figures for one interval: Erlang C, or Erlang A when patienceSeconds is given',
    description:
      'Shares are fractions 0–1. Rates must be positive and finite; with Erlang C, agents at or below the offered load ' +
      '(arrivalsPerHour × handleSeconds / 3600) make an unstable queue that never empties: a 400 naming `agents` says so. ' +
      'Erlang A (patience given) always has an answer. No reply carries NaN or Infinity.',
    body: CalculateBody,
    replies: { 200: QueueFigures },
  }),
  curve: endpoint({
    method: 'POST',
    path: '/api/staffing/curve',
    tags: TAGS,
    summary: 'Service level, waiting, occupancy and hang-ups for each staff count (the planner chart)',
    body: CurveBody,
    replies: { 200: Curve },
  }),
  settings: endpoint({ method: 'GET', path: '/api/staffing/teams/:teamId/settings', tags: TAGS, params: TeamParams, replies: { 200: TeamSettings } }),
  setMode: endpoint({
    method: 'PUT',
    path: '/api/staffing/teams/:teamId/modes/:channel',
    tags: TAGS,
    summary: "Sets a team's mode for one channel: answer now (with a target) or take the time (slots)",
    params: TeamChannelParams,
    body: ServiceModeBody,
    replies: { 200: TeamSettings },
  }),
  setHours: endpoint({ method: 'PUT', path: '/api/staffing/teams/:teamId/hours', tags: TAGS, params: TeamParams, body: HoursBody, replies: { 200: TeamSettings } }),
  addHoliday: endpoint({ method: 'POST', path: '/api/staffing/teams/:teamId/holidays', tags: TAGS, params: TeamParams, body: HolidayBody, replies: { 201: TeamSettings } }),
  deleteHoliday: endpoint({ method: 'DELETE', path: '/api/staffing/teams/:teamId/holidays/:id', tags: TAGS, params: HolidayParams, replies: { 200: TeamSettings } }),
  due: endpoint({
    method: 'POST',
    path: '/api/staffing/due',
    tags: TAGS,
    summary: 'When each listed case reaches its team’s target answer time (the queue’s time to target)',
    body: DueBody,
    replies: { 200: DueView },
  }),
  plan: endpoint({
    method: 'GET',
    path: '/api/staffing/teams/:teamId/plan',
    tags: TAGS,
    summary: 'The week plan: forecast arrivals with the history used, staff required per hour and the roster',
    params: TeamParams,
    query: PlanQuery,
    replies: { 200: PlanView },
  }),
  addForecastEdit: endpoint({
    method: 'POST',
    path: '/api/staffing/teams/:teamId/forecast-edits',
    tags: TAGS,
    summary: 'A hand edit to the forecast: leave a past day out, or set or scale hours of a coming day',
    params: TeamParams,
    body: ForecastEditBody,
    replies: { 201: ForecastEditView },
  }),
  deleteForecastEdit: endpoint({
    method: 'DELETE',
    path: '/api/staffing/teams/:teamId/forecast-edits/:id',
    tags: TAGS,
    params: ForecastEditParams,
    replies: { 200: z.object({ ok: z.literal(true) }) },
  }),
  roster: endpoint({ method: 'GET', path: '/api/staffing/teams/:teamId/roster', tags: TAGS, params: TeamParams, replies: { 200: RosterView } }),
  setRoster: endpoint({
    method: 'PUT',
    path: '/api/staffing/teams/:teamId/roster',
    tags: TAGS,
    summary: 'Replaces the weekly roster: who is on shift, by weekday and hour',
    params: TeamParams,
    body: RosterBody,
    replies: { 200: RosterView },
  }),
  warnings: endpoint({
    method: 'GET',
    path: '/api/staffing/teams/:teamId/warnings',
    tags: TAGS,
    summary: 'Channels where arrivals now outrun the staff on shift',
    params: TeamParams,
    replies: { 200: WarningView },
  }),
  slots: endpoint({ method: 'GET', path: '/api/staffing/teams/:teamId/slots', tags: TAGS, params: TeamParams, query: SlotsQuery, replies: { 200: SlotList } }),
  addSlots: endpoint({
    method: 'POST',
    path: '/api/staffing/teams/:teamId/slots',
    tags: TAGS,
    summary: 'Adds a run of slots to the team calendar',
    params: TeamParams,
    body: SlotsBody,
    replies: { 201: SlotList },
  }),
  deleteSlot: endpoint({ method: 'DELETE', path: '/api/staffing/slots/:id', tags: TAGS, params: SlotParams, replies: { 200: z.object({ ok: z.literal(true) }) } }),
  book: endpoint({
    method: 'POST',
    path: '/api/staffing/slots/:id/bookings',
    tags: TAGS,
    summary: 'Books a slot for a case (a callback or an appointment); a full slot is a 409',
    params: SlotParams,
    body: StaffBookingBody,
    replies: { 201: BookingView },
  }),
  caseBookings: endpoint({
    method: 'GET',
    path: '/api/staffing/cases/:ref/bookings',
    tags: TAGS,
    params: z.object({ ref: z.string().max(40) }),
    replies: { 200: z.object({ items: z.array(BookingView) }) },
  }),
  cancelBooking: endpoint({ method: 'DELETE', path: '/api/staffing/bookings/:id', tags: TAGS, params: BookingParams, replies: { 200: BookingView } }),
  publicSlots: endpoint({
    ...ROUTES.publicSlots,
    tags: ['public'],
    summary: 'Free callback slots of the team the help form reaches, when it takes the time',
    params: OrgSlugParams,
    replies: { 200: PublicSlots },
  }),
  publicBook: endpoint({
    ...ROUTES.publicBook,
    tags: ['public'],
    summary: 'A patron books a callback slot: opens a case with the booking',
    params: OrgSlugParams,
    body: PublicBookingBody,
    replies: { 201: PublicBookingResult, 202: PublicBookingResult },
  }),
};
