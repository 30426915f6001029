// The queue series for a run of agent counts at once: the week plan asks for A(x, y) at
// x = c·n for n = 1…200 with one y per interval, and near the load (x within a few √y of y) each
// walk of the series costs 6–8·√y terms (a few hundred at a large centre). Here one quadrature
// rule serves every x of the run, and moving to the next agent count costs one multiplication and
// three multiply-adds per node.
import type { SeriesSums } from './series.js';

/*
 * The series as a Laplace transform. With t_k = y^k / ((x+1)…(x+k)),
 *   A(x, y) = Σ t_k = x·∫₀^∞ e^(−x·u + y(1 − e^(−u))) du
 * (expand e^(−y·e^(−u)) and integrate term by term; the lower incomplete gamma function's
 * integral in other clothes). In u the integrand is a bell of width about 1/√y, at
 * u* = ln(y/x) when x < y (an overload) or falling from u = 0 when x ≥ y, at a rate up to a few
 * √y. So the rule is written in units of s = 1/√y, with the map
 *   u = s·(p + β·p²),   p = softplus(τ − e^(−τ)),   τ = τ₀ + j·h,
 * which packs nodes doubly exponentially towards u = 0, where a light load's integrand starts
 * at its largest, and spaces them s·h apart near u = s, spreading out gently beyond (by 2β·h·s
 * per s), as far into an overload as the bells sit and widen (β = 0.2 halves the nodes a week's
 * runs need against a uniform spacing, at the same accuracy). The trapezoid rule in τ then
 * converges geometrically (the integrand is analytic in a strip around the real τ axis): with
 * h = 1/4 every x from 9√y below y (but not below y/10) to 8√y above it (but not above 2y) is
 * summed to 1e-12 or better, for y from 4 to a million (the tests check this against the walk
 * and against 40-digit values). It pays where y is large: for a small y its widest bell has a
 * long tail in units of s, and the walk is short.
 *
 * Moving from x to x + c multiplies each node's weight by e^(−c·u), so each further agent count
 * costs, per node, one multiplication and three multiply-adds:
 *   I = Σ w,  J = Σ w·u,  W = Σ w·q,  with q = e^(−u − (1−r)·y·(1 − e^(−u))),
 * and then A = x·I, the answered-wait sum −x·A′/(y·A) = (x·J/I − 1)/y (A′ = I − x·J), and the
 * weighted sum Σ_(k≥1) r^(k−1)·t_k / A = (y/(x + 1))·A(x + 1, ry)/A = y·W/(x·I).
 */

/** Step of the rule in τ, and its first τ (the node there is below 1e-15·s). */
const H = 0.25;
/** How fast the nodes spread out beyond u = s (see the map above). */
const SPREAD = 0.2;
const TAU_FIRST = -3.5;
/** The rule's last τ: u up to several hundred s, far beyond any bell it is used for. */
const TAU_LAST = 40;
/** How far from the load (in √y) the rule is exact to 1e-12; beyond, the caller walks (and from
 * 9√y below, the overload's closed form needs next to no terms). */
export const SWEEP_BELOW = -9;
export const SWEEP_ABOVE = 8;
const SWEEP_FROM_SHARE = 0.1;
/** A node is dropped once its integrand is this far (in e-folds) below the bell's top. */
const DROP = 40;

/**
 * The agent counts a sweep serves at y = λ/θ, r = e^(−θt) and c = μ/θ: x = n·c from 9√y below y
 * (further into an overload the closed form needs next to no terms; and not below y/10, where a
 * small y's bells grow wide and need many nodes) to 8√y
 * above (but not above 2y, where the abandoning share would come from a difference that
 * cancels, and the walks are short), less the distance the weighted sum's bell sits further out,
 * (1 − r)·y + 1, so that the rule reaches it too.
 */
export function sweepRange(y: number, r: number, c: number): { first: number; last: number } {
  const spread = Math.sqrt(y);
  const reach = SWEEP_ABOVE * spread - (r > 0 ? 1 + (1 - r) * y : 0);
  return {
    first: Math.max(1, Math.ceil(Math.max(y * SWEEP_FROM_SHARE, y + SWEEP_BELOW * spread) / c)),
    last: Math.floor(Math.min(2 * y, y + reach) / c),
  };
}

// g(τ) = p + β·p² with p = softplus(τ − e^(−τ)), and h·g′(τ), once for the whole rule.
const BASE_U: Float64Array = new Float64Array(Math.floor((TAU_LAST - TAU_FIRST) / H) + 1);
const BASE_W: Float64Array = new Float64Array(BASE_U.length);
for (let j = 0; j < BASE_U.length; j++) {
  const tau = TAU_FIRST + j * H;
  const e = Math.exp(-tau);
  const v = tau - e;
  const p = v > 36 ? v : Math.log1p(Math.exp(v));
  BASE_U[j] = p + SPREAD * p * p;
  BASE_W[j] = (H * (1 + 2 * SPREAD * p) * (1 + e)) / (1 + Math.exp(-v));
}

/**
 * The sums `queueSeries` gives, for x = xFirst, xFirst + c, … at one y: `start` a run, then call
 * `next` once per agent count, in order. One sweep serves one run at a time (its buffers are
 * reused).
 */
export class QueueSweep {
  // One set of buffers per sweep, as long as the whole rule, reused by every `start`.
  private readonly u = new Float64Array(BASE_U.length);
  private readonly w = new Float64Array(BASE_U.length);
  private readonly q = new Float64Array(BASE_U.length);
  private readonly step = new Float64Array(BASE_U.length);
  private nodes = 0;
  private y = 1;
  private c = 1;
  private x = 0;
  /** ln of the first bell's top: the weights are relative to it, so nothing overflows. */
  private logScale = 0;
  /** Whether `next` gives the weighted sum (else weightedRatio is NaN, for the caller to sum). */
  weighted = false;

  /**
   * Starts a run: y = λ/θ; r = e^(−θt) (0: no weighted sum wanted); c = μ/θ, the x per agent;
   * the run's x goes from xFirst to at most xLast, both within `SWEEP_BELOW`…`SWEEP_ABOVE` √y
   * of y. Then `next` once per agent count. Null when the first bell outlasts the rule (a small
   * y far into an overload): then sum each point on its own.
   */
  start(y: number, r: number, c: number, xFirst: number, xLast: number): this | null {
    const s = 1 / Math.sqrt(y);
    const missed = (1 - r) * y;
    // The weighted integrand is the plain one times e^(−u − (1−r)y(1 − e^(−u))): a bell like that
    // of x + 1 + (1−r)y, which the rule resolves while that, too, is within its reach.
    const weighted = r > 0 && (xLast + 1 + missed - y) * s <= SWEEP_ABOVE;
    // The widest bell of the run is its first (smallest x): nodes run until it has faded.
    const peakU = xFirst < y ? Math.log(y / xFirst) : 0;
    const top = xFirst < y ? y - xFirst - xFirst * Math.log(y / xFirst) : 0;
    const { u: us, w, q, step } = this;
    let count = 0;
    let faded = false;
    while (count < BASE_U.length) {
      const u = s * BASE_U[count]!;
      const fall = Math.expm1(-u); // e^(−u) − 1, exact for small u
      // ln of the first bell's integrand here, relative to its top: −x·u + y(1 − e^(−u)) − top.
      const level = -xFirst * u - y * fall - top;
      us[count] = u;
      step[count] = Math.exp(-c * u);
      w[count] = s * BASE_W[count]! * Math.exp(level);
      if (weighted) q[count] = Math.exp(-u + missed * fall);
      count++;
      if (u > peakU && level < -DROP) {
        faded = true;
        break;
      }
    }
    if (!faded) return null;
    this.nodes = count;
    this.y = y;
    this.c = c;
    this.x = xFirst;
    this.logScale = top;
    this.weighted = weighted;
    return this;
  }

  /** The sums at the next agent count of the run. */
  next(out: SeriesSums): SeriesSums {
    const { u, w, step } = this;
    const q = this.weighted ? this.q : null;
    const x = this.x;
    this.x += this.c;
    const n = this.nodes;
    // Two running sums of each kind (even and odd nodes), so that no addition waits on the last;
    // and two copies of the loop, with and without the weighted sum, so that the hottest loop of
    // the week plan tests nothing per node.
    let w0 = 0;
    let w1 = 0;
    let u0 = 0;
    let u1 = 0;
    let q0 = 0;
    let q1 = 0;
    let j = 0;
    if (q !== null) {
      for (; j + 1 < n; j += 2) {
        const v0 = w[j]!;
        const v1 = w[j + 1]!;
        w[j] = v0 * step[j]!;
        w[j + 1] = v1 * step[j + 1]!;
        w0 += v0;
        w1 += v1;
        u0 += v0 * u[j]!;
        u1 += v1 * u[j + 1]!;
        q0 += v0 * q[j]!;
        q1 += v1 * q[j + 1]!;
      }
      if (j < n) {
        const v0 = w[j]!;
        w[j] = v0 * step[j]!;
        w0 += v0;
        u0 += v0 * u[j]!;
        q0 += v0 * q[j]!;
      }
    } else {
      for (; j + 1 < n; j += 2) {
        const v0 = w[j]!;
        const v1 = w[j + 1]!;
        w[j] = v0 * step[j]!;
        w[j + 1] = v1 * step[j + 1]!;
        w0 += v0;
        w1 += v1;
        u0 += v0 * u[j]!;
        u1 += v1 * u[j + 1]!;
      }
      if (j < n) {
        const v0 = w[j]!;
        w[j] = v0 * step[j]!;
        w0 += v0;
        u0 += v0 * u[j]!;
      }
    }
    const sumW = w0 + w1;
    const sumU = u0 + u1;
    const sumQ = q0 + q1;
    // The bell moves towards u = 0 as x grows: drop the top nodes once they weigh nothing
    // against the sum (they only fall further, and would sink into slow subnormal numbers).
    // A top node's share only falls from step to step (its factor e^(−c·u) is the smallest), so
    // its weight in this sum says it is done with.
    let top = n;
    while (top > 1 && w[top - 1]! < NEGLIGIBLE * sumW * step[top - 1]!) top--;
    this.nodes = top;
    const y = this.y;
    out.sum = x * sumW;
    out.logScale = this.logScale;
    const inverseA = Math.exp(-this.logScale) / (x * sumW);
    out.abandonRatio = clampShare(1 - (x / y) * (1 - inverseA));
    out.answeredWaitRatio = ((x * sumU) / sumW - 1) / y;
    out.weightedRatio = q !== null ? (y * sumQ) / (x * sumW) : NaN;
    out.weightedLogScale = 0;
    return out;
  }
}

/** A node's weight below this share of the sum changes nothing (and never grows back). */
const NEGLIGIBLE = 1e-18;

const clampShare = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
