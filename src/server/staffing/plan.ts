// Staffing from the queue figures: the smallest team that meets a service-level target, and the
// week plan (every interval, every agent count, both models) behind the planner's chart and
// week view. Pure arithmetic, no I/O.
import {
  LIMITS,
  StaffingInputError,
  checkAgents,
  checkArrivals,
  checkDuration,
  checkShare,
  checkTarget,
  clamp01,
  erlangAFromB,
  erlangAFromSums,
  erlangAInterval,
  erlangAPoint,
  erlangBTable,
  erlangCFromB,
  newPoint,
  type Point,
  type QueueFigures,
} from './erlang.js';
import { newSums } from './series.js';
import { QueueSweep, sweepRange } from './sweep.js';

export interface StaffTarget {
  arrivalsPerHour: number;
  handleSeconds: number;
  /** Absent: Erlang C. */
  patienceSeconds?: number;
  targetSeconds: number;
  /** e.g. 0.8 for "80% of callers answered within targetSeconds" (share of all callers). */
  serviceLevelTarget: number;
  /** Stop looking beyond this many agents (default `LIMITS.maxAgents`). */
  maxAgents?: number;
}

export type StaffAnswer =
  | { status: 'ok'; agents: number; figures: QueueFigures }
  | { status: 'unreachable'; maxAgents: number; message: string };

/**
 * The smallest number of agents whose service level meets the target. The search starts where
 * the target first becomes possible (Erlang C: the first stable count, ⌊a⌋ + 1; Erlang A: no
 * fewer than target·a agents, since n agents answer at most nμ callers a second) and grows one
 * agent at a time, carrying Erlang B along, so it costs O(answer) steps.
 */
export function smallestStaff(target: StaffTarget): StaffAnswer {
  const perHour = checkArrivals('arrivalsPerHour', target.arrivalsPerHour);
  const handle = checkDuration('handleSeconds', target.handleSeconds);
  const patience =
    target.patienceSeconds === undefined
      ? undefined
      : checkDuration('patienceSeconds', target.patienceSeconds);
  const t = checkTarget('targetSeconds', target.targetSeconds);
  const goal = checkShare('serviceLevelTarget', target.serviceLevelTarget);
  const maxAgents =
    target.maxAgents === undefined ? LIMITS.maxAgents : checkAgents('maxAgents', target.maxAgents);
  const lambda = perHour / 3600;
  const a = lambda * handle;

  const start = Math.max(
    1,
    patience === undefined ? Math.floor(a) + 1 : Math.ceil(goal * a - 1e-9),
  );
  if (start <= maxAgents) {
    const interval = patience === undefined ? null : erlangAInterval(lambda, handle, patience, t);
    const point = newPoint();
    let b = erlangBTable(a, start)[start]!;
    for (let n = start; n <= maxAgents; n++) {
      if (n > start) b = (a * b) / (n + a * b);
      if (interval === null) {
        const figures = erlangCFromB(a, n, b, handle, t);
        if (figures.serviceLevel >= goal) return { status: 'ok', agents: n, figures };
      } else if (erlangAPoint(interval, n, b, point).serviceLevel >= goal) {
        return {
          status: 'ok',
          agents: n,
          figures: erlangAFromB(lambda, handle, patience!, n, b, t),
        };
      }
    }
  }
  return {
    status: 'unreachable',
    maxAgents,
    message: `Even ${maxAgents} agents would not answer ${Math.round(goal * 100)}% of callers within ${t} s.`,
  };
}

export interface IntervalDemand {
  arrivalsPerHour: number;
  handleSeconds: number;
  /** Absent: this interval gets Erlang C figures only. */
  patienceSeconds?: number;
}

export interface PlanInput {
  intervals: IntervalDemand[];
  targetSeconds: number;
  serviceLevelTarget: number;
  /** Figures for 1…maxAgents agents (default 200). */
  maxAgents?: number;
}

/**
 * Erlang C figures for agents fromAgents…maxAgents: entry i is for fromAgents + i agents.
 * Occupancy is not stored: it is offeredLoad / n.
 */
export interface ErlangCCurve {
  /** The first stable agent count, ⌊a⌋ + 1; fewer agents are `Unstable` and have no entry. */
  fromAgents: number;
  /** Smallest agent count meeting the target, or null when none up to maxAgents does. */
  requiredAgents: number | null;
  serviceLevel: Float64Array;
  probabilityOfWaiting: Float64Array;
  averageWaitSeconds: Float64Array;
}

/**
 * Erlang A figures for agents 1…maxAgents: entry i is for i + 1 agents. Not stored, as each is
 * one line from the others: occupancy, min(1, offeredLoad·(1 − abandonmentShare)/n); the share
 * of answered callers answered in time, serviceLevel / (1 − abandonmentShare). (A week's
 * figures are a few MB; each curve left out is a tenth less for the garbage collector.)
 */
export interface ErlangACurve {
  requiredAgents: number | null;
  serviceLevel: Float64Array;
  probabilityOfWaiting: Float64Array;
  averageWaitSeconds: Float64Array;
  abandonmentShare: Float64Array;
}

export interface IntervalPlan {
  offeredLoad: number;
  erlangC: ErlangCCurve;
  erlangA: ErlangACurve | null;
}

/** Intervals in one plan: a week of quarter hours. */
export const MAX_PLAN_INTERVALS = 7 * 24 * 4;

/**
 * Figures for every interval (a week is 7 × 24 of them) and every agent count 1…maxAgents,
 * under both models. Per interval, one Erlang B recurrence serves every agent count, so an
 * Erlang C point is O(1) and an Erlang A point one walk of its series (none once nobody waits,
 * O(1) in a deep overload). Arrivals of zero are allowed here (a closed hour): every caller is
 * answered at once. All the curves share one buffer.
 */
export function weekPlan(input: PlanInput): IntervalPlan[] {
  if (!Array.isArray(input.intervals)) throw new StaffingInputError('intervals', 'must be a list');
  if (input.intervals.length > MAX_PLAN_INTERVALS) {
    throw new StaffingInputError('intervals', `must have at most ${MAX_PLAN_INTERVALS} entries`);
  }
  const t = checkTarget('targetSeconds', input.targetSeconds);
  const goal = checkShare('serviceLevelTarget', input.serviceLevelTarget);
  const maxAgents = input.maxAgents === undefined ? 200 : checkAgents('maxAgents', input.maxAgents);
  const b = new Float64Array(maxAgents + 1);
  const point = newPoint();
  const sweep = new QueueSweep();
  const demands = input.intervals.map((demand, i) => checkDemand(demand, i));
  const out: IntervalPlan[] = [];
  for (const d of demands) {
    // One buffer per interval, of exactly its curves' size: 3 Erlang C curves from the first
    // stable count, and 4 Erlang A curves where there is a patience. (One buffer for the whole
    // week, 3 MB, cost more than the arithmetic: a fresh block that size is mapped and faulted
    // in page by page on every plan, 7 ms on this machine, where blocks of a few kB are reused.)
    const length = 3 * Math.max(0, maxAgents - Math.floor((d.perHour / 3600) * d.handle)) + (d.patience === undefined ? 0 : 4 * maxAgents);
    out.push(planInterval(d, maxAgents, t, goal, b, point, sweep, new Slab(new Float64Array(length))));
  }
  return out;
}

/** Hands out consecutive pieces of one buffer (a class, not a closure per plan: the optimizer
 * inlines the call, and a fresh closure per call would undo that on every plan). */
class Slab {
  private used = 0;
  constructor(private readonly buffer: Float64Array) {}
  take(length: number): Float64Array {
    const from = this.used;
    this.used += length;
    return this.buffer.subarray(from, this.used);
  }
}

// The sweep pays for its rule (a few hundred exponentials) from this many agent counts near the
// load, and from this y: below, a walk of the series costs about what a step of the sweep does
// (measured side by side: the same at y = 15, 0.83–0.92 of the walk's time at y = 25–50, half
// at y = 100).
const SWEEP_FROM_Y = 24;
const SWEEP_FROM_RUN = 8;
// Reused for every sweep step: the plan allocates nothing per point.
const sums = newSums();

/** One interval's curves: Erlang C from the first stable count, Erlang A for every count. */
function planInterval(
  { perHour, handle, patience }: ReturnType<typeof checkDemand>,
  maxAgents: number,
  t: number,
  goal: number,
  b: Float64Array<ArrayBuffer>,
  point: Point,
  sweep: QueueSweep,
  slab: Slab,
): IntervalPlan {
  const lambda = perHour / 3600;
  const a = lambda * handle;
  erlangBTable(a, maxAgents, b);

  const fromAgents = Math.floor(a) + 1;
  const size = Math.max(0, maxAgents - fromAgents + 1);
  const c: ErlangCCurve = {
    fromAgents,
    requiredAgents: null,
    serviceLevel: slab.take(size),
    probabilityOfWaiting: slab.take(size),
    averageWaitSeconds: slab.take(size),
  };
  // erlangCFromB unrolled into the arrays; e^{−(n−a)t/h} by one multiplication per agent.
  const step = Math.exp(-t / handle);
  let late = Math.exp((-(fromAgents - a) * t) / handle);
  for (let n = fromAgents; n <= maxAgents; n++, late *= step) {
    const j = n - fromAgents;
    const bn = b[n]!;
    const wait = Math.min(1, bn / (1 - (a / n) * (1 - bn)));
    const serviceLevel = clamp01(1 - wait * late);
    c.serviceLevel[j] = serviceLevel;
    c.probabilityOfWaiting[j] = wait;
    c.averageWaitSeconds[j] = (wait * handle) / (n - a);
    if (c.requiredAgents === null && serviceLevel >= goal) c.requiredAgents = n;
  }

  let curveA: ErlangACurve | null = null;
  if (patience !== undefined) {
    curveA = {
      requiredAgents: null,
      serviceLevel: slab.take(maxAgents),
      probabilityOfWaiting: slab.take(maxAgents),
      averageWaitSeconds: slab.take(maxAgents),
      abandonmentShare: slab.take(maxAgents),
    };
    const interval = erlangAInterval(lambda, handle, patience, t);
    // Near the load, one quadrature rule for the whole run of agent counts (`QueueSweep`);
    // elsewhere each point is summed on its own, which is cheap there.
    const { y, xPerAgent: c } = interval;
    const { first, last: lastOfRange } = sweepRange(y, interval.r, c);
    const last = Math.min(maxAgents, lastOfRange);
    const run =
      y >= SWEEP_FROM_Y && last - first + 1 >= SWEEP_FROM_RUN
        ? sweep.start(y, interval.r, c, first * c, last * c)
        : null;
    for (let n = 1; n <= maxAgents; n++) {
      const f =
        run !== null && n >= first && n <= last
          ? erlangAFromSums(interval, n, b[n]!, run.next(sums), point)
          : erlangAPoint(interval, n, b[n]!, point);
      const j = n - 1;
      curveA.serviceLevel[j] = f.serviceLevel;
      curveA.probabilityOfWaiting[j] = f.wait;
      curveA.averageWaitSeconds[j] = f.averageWait;
      curveA.abandonmentShare[j] = f.abandonment;
      if (curveA.requiredAgents === null && f.serviceLevel >= goal) curveA.requiredAgents = n;
    }
  }
  return { offeredLoad: a, erlangC: c, erlangA: curveA };
}

/** Checks one interval, building a field name only for the error (a week has 168 intervals). */
function checkDemand(d: IntervalDemand, i: number) {
  const ok = (v: unknown, min: number, max: number) =>
    typeof v === 'number' && v >= min && v <= max;
  const perHour = ok(d.arrivalsPerHour, 0, LIMITS.maxArrivalsPerHour)
    ? d.arrivalsPerHour
    : checkArrivals(`intervals.${i}.arrivalsPerHour`, d.arrivalsPerHour, true);
  const handle = ok(d.handleSeconds, LIMITS.minSeconds, LIMITS.maxSeconds)
    ? d.handleSeconds
    : checkDuration(`intervals.${i}.handleSeconds`, d.handleSeconds);
  const patience =
    d.patienceSeconds === undefined || ok(d.patienceSeconds, LIMITS.minSeconds, LIMITS.maxSeconds)
      ? d.patienceSeconds
      : checkDuration(`intervals.${i}.patienceSeconds`, d.patienceSeconds);
  return { perHour, handle, patience };
}
