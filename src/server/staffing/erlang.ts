// Queue figures for the staffing planner: Erlang C (M/M/N, callers wait forever) and Erlang A
// (M/M/N+M, callers hang up after an exponential patience). Pure arithmetic, no I/O.
//
// Notation: λ arrivals per second, μ = 1/handle, θ = 1/patience, a = λ/μ the offered load in
// Erlangs, N agents, t the target answer time. Nothing here uses a factorial or a power that
// can overflow: Erlang B comes from its recurrence, the Erlang A series from `series.ts`.
import { newSums, queueSeries, type SeriesInput, type SeriesSums } from './series.js';

/** Bounds beyond which an input is a mistake, not a call centre; shared with the API contract. */
export const LIMITS = {
  maxAgents: 5000,
  maxArrivalsPerHour: 100_000,
  /** A handle time or patience under a millisecond is a unit mix-up. */
  minSeconds: 0.001,
  /** A day: handle times, patience and targets beyond that are not phone or desk work. */
  maxSeconds: 86_400,
} as const;

/** A bad input, naming the field it came from (the route turns it into a 400). */
export class StaffingInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'StaffingInputError';
  }
}

/** One question to the calculator: the shape of `POST /api/staffing/calculate`. */
export interface QueueInput {
  arrivalsPerHour: number;
  handleSeconds: number;
  /** Mean patience before hanging up. Absent: Erlang C (nobody hangs up). */
  patienceSeconds?: number;
  agents: number;
  targetSeconds: number;
}

interface FiguresBase {
  agents: number;
  /** λ × handle time, in Erlangs: how many agents the calls would keep busy with no waiting. */
  offeredLoad: number;
  /** Share of callers who find every agent busy (PASTA: the time share with all agents busy). */
  probabilityOfWaiting: number;
  /**
   * Share of ALL arriving callers who are answered within the target time: answered at once,
   * or answered after a wait of at most `targetSeconds`. Under Erlang A a caller who hangs up
   * counts as not answered within target, however early they hung up.
   */
  serviceLevel: number;
  /** Share of ANSWERED callers answered within the target (equals `serviceLevel` in Erlang C). */
  answeredWithinTarget: number;
  /** Average speed of answer: the mean wait of answered callers, zero waits included. */
  averageWaitSeconds: number;
  /** Share of agents' time spent handling calls. */
  occupancy: number;
}

export interface ErlangCFigures extends FiguresBase {
  model: 'erlang-c';
}

export interface ErlangAFigures extends FiguresBase {
  model: 'erlang-a';
  /** Share of all arriving callers who hang up before being answered. */
  abandonmentShare: number;
}

export type QueueFigures = ErlangCFigures | ErlangAFigures;

/** Erlang C with a load at or above the number of agents: the queue grows without end. */
export interface Unstable {
  status: 'unstable';
  agents: number;
  offeredLoad: number;
  message: string;
}

export type ErlangCResult = { status: 'ok'; figures: ErlangCFigures } | Unstable;
export type QueueResult = { status: 'ok'; figures: QueueFigures } | Unstable;

// ---------------------------------------------------------------------------------------------
// Input checks

function check(
  field: string,
  value: unknown,
  min: number,
  max: number,
  minIncluded: boolean,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new StaffingInputError(field, 'must be a finite number');
  if (minIncluded ? value < min : value <= min) {
    throw new StaffingInputError(
      field,
      minIncluded ? `must be at least ${min}` : `must be greater than ${min}`,
    );
  }
  if (value > max) throw new StaffingInputError(field, `must be at most ${max}`);
  return value;
}

export const checkArrivals = (field: string, v: unknown, zeroAllowed = false) =>
  check(field, v, 0, LIMITS.maxArrivalsPerHour, zeroAllowed);
export const checkDuration = (field: string, v: unknown) =>
  check(field, v, LIMITS.minSeconds, LIMITS.maxSeconds, true);
export const checkTarget = (field: string, v: unknown) =>
  check(field, v, 0, LIMITS.maxSeconds, true);
export function checkAgents(field: string, v: unknown): number {
  const n = check(field, v, 1, LIMITS.maxAgents, true);
  if (!Number.isInteger(n)) throw new StaffingInputError(field, 'must be a whole number');
  return n;
}
export function checkShare(field: string, v: unknown): number {
  const s = check(field, v, 0, 1, false);
  if (s >= 1)
    throw new StaffingInputError(
      field,
      'must be less than 1 (no finite staff answers everyone in time)',
    );
  return s;
}

// ---------------------------------------------------------------------------------------------
// Erlang B, the building block of both models

/**
 * Erlang B for 0…nMax agents at load a, by the recurrence B(0) = 1,
 * B(n) = a·B(n−1) / (n + a·B(n−1)): every step is a ratio of positive numbers below 1, so it
 * neither overflows nor loses precision for any a or n (Jagerman 1974).
 */
export function erlangBTable(
  a: number,
  nMax: number,
  out = new Float64Array(nMax + 1),
): Float64Array {
  let b = 1;
  out[0] = 1;
  for (let n = 1; n <= nMax; n++) {
    b = (a * b) / (n + a * b);
    out[n] = b;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The two models, given Erlang B for the same load and agent count

/**
 * Erlang C from B = Erlang B(n, a), for a < n:
 * P(wait) = B / (1 − ρ(1 − B)), P(wait > t) = P(wait)·e^{−(n−a)t/h}, ASA = P(wait)·h/(n − a).
 */
export function erlangCFromB(
  a: number,
  n: number,
  b: number,
  handle: number,
  target: number,
): ErlangCFigures {
  const rho = a / n;
  const wait = Math.min(1, b / (1 - rho * (1 - b)));
  const serviceLevel = clamp01(1 - wait * Math.exp((-(n - a) * target) / handle));
  return {
    model: 'erlang-c',
    agents: n,
    offeredLoad: a,
    probabilityOfWaiting: wait,
    serviceLevel,
    answeredWithinTarget: serviceLevel,
    averageWaitSeconds: (wait * handle) / (n - a),
    occupancy: rho,
  };
}

/**
 * Erlang A from B = Erlang B(n, a). The M/M/n+M chain (birth rate λ, death rate
 * min(k, n)μ + max(k − n, 0)θ) is summed with x = nμ/θ, y = λ/θ and the series A(x, y) of
 * Garnett, Mandelbaum & Reiman, "Designing a call center with impatient customers",
 * Manufacturing & Service Operations Management 4(3), 2002 (see `queueSeries`):
 * - P(wait) = A·B / (1 + (A − 1)·B), as in that paper.
 * - A caller who meets k others queued reaches an agent after exponential stages of rates
 *   nμ + jθ, j = k…0, and is answered with probability x/(x + k + 1) (the product of
 *   (nμ + jθ)/(nμ + (j+1)θ) telescopes); the mean wait of such answered callers, times that
 *   probability, is x/(x+k+1)·H_k/θ with H_k = Σ_{j=1..k+1} 1/(x+j). Weighting by the queue
 *   met on arrival (PASTA) gives the share abandoning and the ASA of answered callers.
 * - Answered within t: the offered wait V (what a caller would wait if infinitely patient)
 *   has density λπ_{n−1}·exp(y(1 − e^{−θu}) − nμu) for u > 0 (Baccelli & Hebuterne, "On
 *   queues with impatient customers", Performance '81). Integrating it against e^{−θu} (the
 *   chance to be still there) with z = y·e^{−θu} gives incomplete gamma functions, as in
 *   Mandelbaum & Zeltyn's summary of M/M/n+G performance measures (Technion note, M/M/n+M
 *   case), here written with the same series:
 *     P(wait, answered within t) = P(wait)·[S₁/A − x/(x+1)·e^{y(1−e^{−θt}) − (x+1)θt}·
 *                                            A(x+1, y·e^{−θt}) / A(x, y)]
 *   where S₁/A = P(answered | wait).
 * Every ratio of series is taken in log space, so an astronomically large A(x, y) (a heavy
 * overload) still gives finite figures.
 */
export function erlangAFromB(
  lambda: number,
  handle: number,
  patience: number,
  n: number,
  b: number,
  target: number,
): ErlangAFigures {
  const p = erlangAPoint(erlangAInterval(lambda, handle, patience, target), n, b, newPoint());
  return {
    model: 'erlang-a',
    agents: n,
    offeredLoad: lambda * handle,
    probabilityOfWaiting: p.wait,
    serviceLevel: p.serviceLevel,
    answeredWithinTarget: p.answeredWithinTarget,
    averageWaitSeconds: p.averageWait,
    occupancy: p.occupancy,
    abandonmentShare: p.abandonment,
  };
}

/** What Erlang A needs about an interval, worked out once for every agent count. */
export interface ErlangAInterval {
  patience: number;
  /** Offered load a = λ·handle. */
  a: number;
  /** y = λ/θ, and ln y. */
  y: number;
  logY: number;
  /** x per agent: μ/θ = patience/handle. */
  xPerAgent: number;
  /** θt, r = e^{−θt}, and ln r = −θt. */
  decay: number;
  r: number;
  logR: number;
  /** y(1 − e^{−θt}), without cancellation. */
  yMissed: number;
}

export function erlangAInterval(
  lambda: number,
  handle: number,
  patience: number,
  target: number,
): ErlangAInterval {
  const decay = target / patience;
  return {
    patience,
    a: lambda * handle,
    y: lambda * patience,
    logY: Math.log(lambda * patience),
    xPerAgent: patience / handle,
    decay,
    r: Math.exp(-decay),
    logR: -decay,
    yMissed: -lambda * patience * Math.expm1(-decay),
  };
}

/** Erlang A figures, written into a reused object so the week plan allocates nothing per point. */
export interface Point {
  wait: number;
  serviceLevel: number;
  answeredWithinTarget: number;
  averageWait: number;
  occupancy: number;
  abandonment: number;
}
export const newPoint = (): Point => ({
  wait: 0,
  serviceLevel: 0,
  answeredWithinTarget: 0,
  averageWait: 0,
  occupancy: 0,
  abandonment: 0,
});
// Reused for every series (see `SeriesInput`); the fields start as doubles and stay doubles.
const series: SeriesInput = { x: 0.5, y: 0.5, r: 0.5, logY: 0.5, logR: 0.5 };
const scratch = newSums();

// Below this chance of waiting, every figure equals its no-queue value to double precision.
const NOBODY_WAITS = 1e-18;

/** Erlang A for n agents, given Erlang B(n, a) (see `erlangAFromB` for the mathematics). */
export function erlangAPoint(k: ErlangAInterval, n: number, b: number, out: Point): Point {
  const x = n * k.xPerAgent;
  if (nobodyWaits(k, x, b)) return noQueue(k, n, out);
  series.x = x;
  series.y = k.y;
  series.r = k.r;
  series.logY = k.logY;
  series.logR = k.logR;
  return combine(k, n, x, b, queueSeries(series, true, scratch), out);
}

/** While y < x + 1 the series is below the geometric (x+1)/(x+1−y), so P(wait) ≤ that·B. */
export function nobodyWaits(k: ErlangAInterval, x: number, b: number): boolean {
  return k.y < x + 1 && b * (x + 1) < NOBODY_WAITS * (x + 1 - k.y);
}

function noQueue(k: ErlangAInterval, n: number, out: Point): Point {
  out.wait = out.abandonment = out.averageWait = 0;
  out.serviceLevel = out.answeredWithinTarget = 1;
  out.occupancy = k.a / n;
  return out;
}

/**
 * Erlang A for n agents from the series' sums at x = n·μ/θ (`queueSeries`, or a `QueueSweep`
 * for a run of agent counts), given Erlang B(n, a). A weighted sum left NaN is summed here.
 */
export function erlangAFromSums(
  k: ErlangAInterval,
  n: number,
  b: number,
  sums: SeriesSums,
  out: Point,
): Point {
  const x = n * k.xPerAgent;
  if (nobodyWaits(k, x, b)) return noQueue(k, n, out);
  return combine(k, n, x, b, sums, out);
}

/** `erlangAFromSums` once somebody waits. */
function combine(
  k: ErlangAInterval,
  n: number,
  x: number,
  b: number,
  sums: SeriesSums,
  out: Point,
): Point {
  const { a, y, decay, r } = k;
  const { sum, logScale, weightedRatio, weightedLogScale } = sums;
  const abandonIfWait = sums.abandonRatio;
  const answeredWaitIfWait = sums.answeredWaitRatio * k.patience;

  // P(wait) = 1 / (1 + (1/B − 1)/A); 1/B may overflow to Infinity, which gives P(wait) = 0.
  // A within a double's range is taken as it is (no transcendental when the terms only fall);
  // beyond, in log space.
  // Deep in an overload (A beyond e^700, B near 1) that is 1 without a logarithm.
  const odds = 1 / b - 1;
  const wait =
    logScale < 700
      ? 1 / (1 + odds / (logScale === 0 ? sum : sum * Math.exp(logScale)))
      : odds < 1e250 && sum > 1e-50
        ? 1
        : 1 / (1 + Math.exp(Math.log(odds) - logScale - Math.log(sum)));
  const abandonment = wait * abandonIfWait;
  const answered = 1 - abandonment;

  // Among callers who wait, the share answered later than the target:
  // x/(x+1)·e^{y(1−r) − (x+1)θt}·A(x+1, ry)/A(x, y), and A(x+1, ry) = ((x+1)/y)·Σ_{k≥1} r^{k−1}t_k.
  const exponent = k.yMissed - (x + 1) * decay;
  let late: number;
  if (Number.isNaN(weightedRatio)) {
    series.x = x + 1;
    series.y = y * r;
    series.r = 0;
    series.logY = Math.log(y * r);
    series.logR = -Infinity;
    const own = queueSeries(series, false, scratch);
    late = Math.exp(
      Math.log(((x / (x + 1)) * own.sum) / sum) + exponent + own.logScale - logScale,
    );
  } else {
    // (x/y)·weightedRatio is a moderate number; the scale goes with the exponent, which stays
    // within a double's range unless the share is nil (underflow) or the figures are extreme.
    const scale = exponent + weightedLogScale;
    late =
      scale < 700
        ? (x / y) * weightedRatio * Math.exp(scale)
        : Math.exp(Math.log((x / y) * weightedRatio) + scale);
  }
  const serviceLevel = clamp01(1 - wait + wait * Math.max(0, 1 - abandonIfWait - late));

  out.wait = wait;
  out.abandonment = abandonment;
  out.serviceLevel = serviceLevel;
  const perAnswered = 1 / answered;
  out.answeredWithinTarget = clamp01(serviceLevel * perAnswered);
  out.averageWait = wait * answeredWaitIfWait * perAnswered;
  out.occupancy = Math.min(1, (a * answered) / n);
  return out;
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

// ---------------------------------------------------------------------------------------------
// The calculator

/** Erlang C for one interval; `status: 'unstable'` when the load is at or above the agents. */
export function erlangC(input: Omit<QueueInput, 'patienceSeconds'>): ErlangCResult {
  const perHour = checkArrivals('arrivalsPerHour', input.arrivalsPerHour);
  const handle = checkDuration('handleSeconds', input.handleSeconds);
  const n = checkAgents('agents', input.agents);
  const target = checkTarget('targetSeconds', input.targetSeconds);
  const a = (perHour / 3600) * handle;
  if (a >= n) return unstable(a, n);
  return { status: 'ok', figures: erlangCFromB(a, n, erlangBTable(a, n)[n]!, handle, target) };
}

/** Erlang A for one interval: finite for every load, overloads included. */
export function erlangA(input: Required<QueueInput>): ErlangAFigures {
  const perHour = checkArrivals('arrivalsPerHour', input.arrivalsPerHour);
  const handle = checkDuration('handleSeconds', input.handleSeconds);
  const patience = checkDuration('patienceSeconds', input.patienceSeconds);
  const n = checkAgents('agents', input.agents);
  const target = checkTarget('targetSeconds', input.targetSeconds);
  const lambda = perHour / 3600;
  return erlangAFromB(lambda, handle, patience, n, erlangBTable(lambda * handle, n)[n]!, target);
}

/** The calculator route's call: Erlang A when a patience is given, Erlang C otherwise. */
export function calculate(input: QueueInput): QueueResult {
  if (input.patienceSeconds === undefined) return erlangC(input);
  return { status: 'ok', figures: erlangA({ ...input, patienceSeconds: input.patienceSeconds }) };
}

function unstable(a: number, n: number): Unstable {
  return {
    status: 'unstable',
    agents: n,
    offeredLoad: a,
    message:
      `The calls bring ${a.toFixed(2)} agents' worth of work and ${n} agent${n === 1 ? '' : 's'} ` +
      `cannot keep up: if nobody hung up, the queue would grow without end. ` +
      `Add agents beyond ${Math.floor(a)}, or give a patience to see who would hang up.`,
  };
}
