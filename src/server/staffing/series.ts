// The special functions Erlang A needs, computed so that no step overflows: log-gamma, digamma,
// and the queue series A(x, y) of Garnett, Mandelbaum & Reiman, summed outward from its peak.

const HALF_LOG_2PI = 0.9189385332046728;

/**
 * ln Γ(z) for z ≥ 1 (Stirling's series after shifting z to ≥ 15; good to a few 1e-15, relative).
 * `logZ`, when the caller has ln z already, saves the logarithm for z ≥ 15.
 */
export function logGamma(z: number, logZ = NaN): number {
  let shift = 0;
  if (z < 15) {
    let product = 1;
    while (z < 15) {
      product *= z;
      z += 1;
    }
    shift = Math.log(product);
  }
  const inv = 1 / z;
  const inv2 = inv * inv;
  const tail =
    inv *
    (1 / 12 -
      inv2 *
        (1 / 360 -
          inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188 - (inv2 * 691) / 360360)))));
  return (z - 0.5) * (shift === 0 && !Number.isNaN(logZ) ? logZ : Math.log(z)) - z + HALF_LOG_2PI + tail - shift;
}

/** ψ(z), the digamma function, for z ≥ 1 (asymptotic series after shifting z to ≥ 10); `logZ`
 * as for `logGamma`. */
export function digamma(z: number, logZ = NaN): number {
  let shift = 0;
  while (z < 10) {
    shift -= 1 / z;
    z += 1;
  }
  const inv2 = 1 / (z * z);
  return (
    shift +
    (shift === 0 && !Number.isNaN(logZ) ? logZ : Math.log(z)) -
    0.5 / z -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
  );
}

/** ln((x+1)(x+2)…(x+k)): a product while it is short and cannot overflow, log-gamma beyond. */
function logRising(x: number, k: number, logGammaX1 = NaN): number {
  if (k <= 32 && x < 1e9) {
    let product = 1;
    for (let i = 1; i <= k; i++) product *= x + i;
    return Math.log(product);
  }
  return logGamma(x + k + 1) - (Number.isNaN(logGammaX1) ? logGamma(x + 1) : logGammaX1);
}

/**
 * What `queueSeries` sums: A(x, y), and with 0 < r ≤ 1 the weighted series too (r = 0: none),
 * with ln y and ln r (the week plan has one y and r per interval and many x). An object the
 * caller reuses rather than five numbers: a number passed to a function that is not inlined is
 * boxed on the heap, and the week plan sums tens of thousands of series.
 */
export interface SeriesInput {
  x: number;
  y: number;
  r: number;
  logY: number;
  logR: number;
}

/** What `queueSeries` returns; one reusable object so the week plan allocates nothing per step. */
export interface SeriesSums {
  /** A(x, y) = Σ_{k≥0} t_k (t_0 = 1, t_k = t_{k−1}·y/(x+k)) is sum·e^logScale: the scale alone
   * may be far beyond a double (a heavy overload), and is 0 when the terms only fall. */
  sum: number;
  logScale: number;
  /** Σ t_k·(k+1)/(x+k+1) / A: among callers who wait, the share who abandon. */
  abandonRatio: number;
  /** Σ t_k·x/(x+k+1)·H_k / A with H_k = Σ_{j=1..k+1} 1/(x+j): the mean offered wait of those
   * who wait and are answered, times θ, weighted by their chance to be answered. */
  answeredWaitRatio: number;
  /** Σ_{k≥1} r^{k−1}·t_k / A for the `r` asked for is weightedRatio·e^weightedLogScale (the
   * scale alone may be far beyond a double); weightedRatio is NaN when not asked for or when the
   * weighted terms lie too far from the plain ones to share the pass (then sum them apart). */
  weightedRatio: number;
  weightedLogScale: number;
}

/** A fresh `SeriesSums`; the week plan reuses one per caller, so nothing is allocated per point. */
export const newSums = (): SeriesSums => ({
  sum: 0,
  logScale: 0,
  abandonRatio: 0,
  answeredWaitRatio: 0,
  weightedRatio: 0,
  weightedLogScale: 0,
});

// A term is dropped once the whole remaining tail (bounded by a geometric series, since the
// ratio between terms only shrinks away from the peak) is below this share of the sum: every
// figure is then good to about 1e-13, ten digits beyond what the planner shows (0.1%) and well
// inside the tests' exact references (1e-10); 1e-17 cost a sixth more terms for nothing.
const TAIL = 1e-13;
// Below this many terms before the peak, H at the peak is summed directly (exact); above, it
// comes from the digamma function (two evaluations instead of thousands of divisions).
const DIRECT_HARMONIC = 16;

/**
 * Sums the series A(x, y) = 1 + Σ_{k≥1} y^k / ((x+1)(x+2)…(x+k)) of Garnett, Mandelbaum &
 * Reiman (2002); with x = Nμ/θ and y = λ/θ, t_k is the weight of "k callers queued" relative
 * to "all N agents busy, nobody queued" in the M/M/N+M chain.
 *
 * The terms rise while k ≤ y − x and then fall, and may pass 1e308 long before the peak, so the
 * sum starts at the peak (its logarithm from log-gamma) and walks outward in both directions
 * with every term relative to the peak term. The cost is O(√y) terms, never O(y). In an
 * overload (peak at k ≥ 1) the closed form less the terms below k = 0 (`overload`) costs less,
 * and nothing at all deep in one: the week plan's heaviest points are there.
 *
 * With `moments`, the two ratios of `SeriesSums` are summed in the same pass. With 0 < r ≤ 1,
 * so is Σ_{k≥1} r^{k−1}·t_k, which is (y/(x+1))·A(x+1, r·y): the series the service level needs
 * at y·e^{−θt}. Sharing the pass saves a second walk when the weighted terms peak near the plain
 * ones (a shift of at most a few √y terms); otherwise `weightedRatio` is NaN.
 */
export function queueSeries(input: SeriesInput, moments: boolean, out: SeriesSums): SeriesSums {
  const { x, y, r, logY, logR } = input;
  let logGammaX1 = NaN;
  // An overload whose weighted series (when asked for) is one too: from the closed form, less the
  // few terms below k = 0, rather than walking the whole bell.
  // (Where it pays: at a large y, or a √y or more below the peak of a moderate one; near the
  // peak of a small y the walk is shorter than its set-up. And where its terms get small: an
  // asymptotic series at y or ry under 30 may turn before they do, and then it is wasted.)
  if (
    y >= x + 1 &&
    y >= ASYMPTOTIC_FROM &&
    (y >= OVERLOAD_FROM_Y || (y - x) * (y - x) >= y) &&
    (r === 0 || (r <= 1 && r * y >= x + 2 && r * y >= ASYMPTOTIC_FROM))
  ) {
    const logX1 = Math.log(x + 1);
    logGammaX1 = logGamma(x + 1, logX1);
    if (overload(x, y, moments, r, logGammaX1, logX1, out, logY, logR)) return out;
  }
  if (y > x + 3 && !nearPeak(x, y)) {
    if (Number.isNaN(logGammaX1)) logGammaX1 = logGamma(x + 1);
    if (farBeyond(x, y, logGammaX1, logY)) {
      return deepOverload(x, y, moments, r, logGammaX1, out, logY, logR);
    }
  }
  // A light load where the walk would be long: by continued fractions. (Up to x = 1.5y, beyond
  // which the walk is short.)
  if (y >= FRACTION_FROM && x >= y + FRACTION_FROM_SPREAD * Math.sqrt(y) && 2 * x <= 3 * y) {
    if (lightLoad(x, y, moments, r, out)) return out;
  }
  const peak = y > x + 1 ? Math.floor(y - x) : 0;
  // The weighted terms r^(k−1)·t_k peak about y(1 − r) terms below the plain ones.
  const weighted = r >= 0.5 && r <= 1 && y * (1 - r) <= 4 * Math.sqrt(y) + 4;
  const logPeak = peak > 0 ? peak * logY - logRising(x, peak, logGammaX1) : 0;

  // The peak term itself (relative weight 1). d_k = 1/(x+k+1) serves twice: the ratio
  // t_{k+1}/t_k = y·d_k, and the step H_k − H_{k−1} = d_k; so each term costs one division.
  // The weighted terms are kept relative to r^(peak−1)·t_peak. The abandonment sum needs no
  // terms of its own where y ≥ x/2: Σ m·t_m = yA − x(A − 1) (sum (x+m)·t_m = y·t_{m−1} over
  // m ≥ 1), so it is 1 − (x/y)(1 − 1/A), a difference of numbers below 2 that loses nothing
  // that matters (at most a few 1e-16, absolute). Where y < x/2 that difference would cancel
  // (the share is about 1/(x+1)), and the walk sums it as Σ m·t_m / y (`counted`): the
  // abandonment term t_k·(k+1)·d_k is (k+1)·t_{k+1}/y, positive, with no division. The
  // answered-wait sum Σ t_k·d_k·H_k is kept as H_peak·Σ t_k·d_k + Σ t_k·d_k·(H_k − H_peak): the
  // walk carries H relative to the peak, Σ t_k·d_k = (A − t_0)/y needs no terms, and H_peak
  // comes at the end from where the backward walk stopped (at k = 0, from the walk itself),
  // so its harmonic sum is not summed a second time. The factor x is applied at the end too.
  let d = 1 / (x + peak + 1);
  let sum = 1;
  let rest = 0;
  const counting = moments && y < x / 2;
  let counted = peak;
  let answeredWait = 0;
  let sumW = peak > 0 ? 1 : 0;

  // Forward from the peak, two terms a step: one division gives both d's (1/(pq) times q and
  // p). pw = r^(k − peak).
  let t = 1;
  let pw = 1;
  let h = 0;
  const rr = r * r;
  let test = false;
  // p = x + k + 1 and kd = k, carried as doubles (no integer-to-double conversion per step).
  let kd = peak + 1;
  let p = x + kd + 1;
  for (; ; kd += 2, p += 2) {
    const q = p + 1;
    const inv = 1 / (p * q);
    const d1 = q * inv;
    const d2 = p * inv;
    // t_{k+2} from t_k by one multiplication (the ratios are computed beside the chain, not in it).
    const yd = y * d;
    const t1 = t * yd;
    t *= yd * (y * d1);
    d = d2;
    rest += t1 + t;
    if (moments) {
      if (counting) counted += kd * (t1 + t) + t;
      // t_k·d_k·(H_k − H_peak) = t_{k+1}·(H_k − H_peak)/y: the walk sums Σ t_m·(H_{m−1} − H_peak)
      // (its first term is nil) and divides by y at the end. h is H_{k−1} − H_peak here.
      const h1 = h + d1;
      answeredWait += t1 * h + t * h1;
      h += (p + q) * inv;
    }
    let u = 0;
    if (weighted) {
      const u1 = pw * r * t1;
      pw *= rr;
      u = pw * t;
      sumW += u1 + u;
    }
    // The tail is tested every other step (so at most three terms more than needed are added).
    test = !test;
    if (!test) continue;
    const next = y * d;
    if (t * next >= TAIL * (sum + rest) * (1 - next) && t !== 0) continue;
    const nextW = next * r;
    if (!weighted || u * nextW < TAIL * sumW * (1 - nextW) || u === 0) break;
  }

  // Backward from the peak: t_k = t_{k+1}·(x+k+1)/y and H_k = H_{k+1} − d_{k+1}. The weighted
  // terms may still be rising here (their peak is lower), so both must have faded to stop.
  const invY = 1 / y;
  const invR = weighted ? 1 / r : 1;
  t = 1;
  pw = 1;
  h = 0;
  let dAbove = 1 / (x + peak + 1);
  // Where the backward walk ended, and the (relative) term and H there.
  let low = peak;
  let tLow = 1;
  for (let k = peak - 1; k >= 0; k--) {
    const above = t;
    t *= (x + k + 1) * invY;
    sum += t;
    if (moments) {
      if (counting) counted += k * t;
      h -= dAbove;
      dAbove = 1 / (x + k + 1);
      answeredWait += above * h; // t_k·d_k = t_{k+1}/y, as forward
    }
    low = k;
    tLow = t;
    const next = (x + k) * invY;
    let done = t * next < TAIL * sum * (1 - next);
    if (weighted && k >= 1) {
      pw *= invR;
      const u = pw * t;
      sumW += u;
      const nextW = next * invR;
      done &&= nextW < 1 && u * nextW < TAIL * sumW * (1 - nextW);
    }
    if (done) break;
  }

  // Forward of the peak, `rest` holds the terms after the peak's; the others went to `sum`.
  const total = sum + rest;
  out.sum = total;
  out.logScale = logPeak;
  if (moments) {
    if (y === 0) out.abandonRatio = 1 / (x + 1);
    else if (counting) out.abandonRatio = Math.min(1, counted / (y * total));
    else {
      const inverseA = (logPeak === 0 ? 1 : Math.exp(-logPeak)) / total;
      out.abandonRatio = clampShare(1 - (x / y) * (1 - inverseA));
    }
    // H_low = Σ_{j=1..low+1} 1/(x+j): one term when the walk reached k = 0.
    let hLow = 0;
    if (low < DIRECT_HARMONIC) for (let j = low + 1; j >= 1; j--) hLow += 1 / (x + j);
    else hLow = digamma(x + low + 2) - digamma(x + 1);
    const hPeak = hLow - (low === peak ? 0 : h);
    // Σ t_k·d_k = (A − t_0)/y; t_0 is the walk's last term if it reached k = 0, else negligible.
    const sumTD = y > 0 ? (low === 0 ? (peak === 0 ? rest : total - tLow) : total) / y : 1 / (x + 1);
    out.answeredWaitRatio = (x * (hPeak * sumTD + (y > 0 ? answeredWait / y : 0))) / total;
  } else {
    out.abandonRatio = out.answeredWaitRatio = 0;
  }
  out.weightedRatio = weighted ? sumW / total : NaN;
  out.weightedLogScale = (peak - 1) * logR;
  return out;
}

/**
 * The series in an overload (y ≥ x + 1, the terms' peak at k ≥ 1), by the terms below k = 0.
 * The terms' recurrence t_(k−1) = t_k·(x + k)/y carried below k = 0 gives
 * t_(−j) = x(x − 1)…(x − j + 1)/y^j, and (integrating the upper incomplete gamma function by
 * parts, A = x·e^y·y^(−x)·(Γ(x) − Γ(x, y)))
 *   A(x, y) = C − Σ_(j≥1) t_(−j),   C = e^y·y^(−x)·Γ(x + 1),
 * where the sum is the asymptotic series of x·e^y·y^(−x)·Γ(x, y): its remainder after any
 * term is at most the next term (once the factors x − j turn negative, and they alternate) or
 * the next term over 1 − (x − j)/y (while they are positive and shrink), so it is summed until
 * that bound is below `TAIL` of the result. The terms start one below the peak's distance from
 * k = 0 and fall from there, so this costs the bell's lower tail beyond k = 0, not the bell:
 * a few terms deep in the overload, never more than the walk from the peak. With y small the
 * series may turn before it is small enough (its factors pass y); then it answers false and the
 * walk is used.
 *
 * The moments in the same pass, by no division per term: the answered-wait sum is −x·A′/(y·A)
 * (A′ = ∂A/∂x; see `deepOverload`), with C′ = C·(ψ(x + 1) − ln y) and the terms' derivatives
 * carried beside them (∂t_(−j−1) = (∂t_(−j)·(x − j) + t_(−j))/y); the weighted sum
 * Σ_(k≥1) r^(k−1)·t_k = (y/(x + 1))·A(x + 1, ry) by the same identity when ry ≥ x + 2.
 */
function overload(
  x: number,
  y: number,
  moments: boolean,
  r: number,
  logGammaX1: number,
  logX1: number,
  out: SeriesSums,
  logY: number,
  logR: number,
): boolean {
  const logC = y - x * logY + logGammaX1;
  const weighted = r > 0;
  const ry = r * y;
  // 1/C and 1/C_w: nil once C is beyond e^40, and then so is everything below k = 0 relative to
  // it (the terms are relative to t_0 = 1 and sum to at most 1/(1 − x/y)); deep in an overload
  // that spares the exponentials and the terms.
  const invC = logC > NEGLIGIBLE_SCALE ? 0 : Math.exp(-logC);
  const logCW = weighted ? ry - (x + 1) * (logY + logR) + logGammaX1 + logX1 : Infinity;
  const invCW = logCW > NEGLIGIBLE_SCALE ? 0 : Math.exp(-logCW);
  // The answered-wait sum's scale: C·(ln y − ψ(x + 1)), positive as y ≥ x + 1; so is every
  // derivative term while x − j > 0.
  const logDrop = moments ? logY - digamma(x + 1, logX1) : 0;
  let n = 0;
  let dn = 0;
  let nw = 0;
  if (invC !== 0 || invCW !== 0) {
    const invY = 1 / y;
    const invRY = weighted ? 1 / ry : 0;
    const limit = TAIL / invC;
    const limitW = weighted ? TAIL / invCW : 0;
    const limitD = limit * logDrop;
    let t = 1;
    let dt = 0;
    let u = 1;
    let f = x;
    for (;;) {
      // Two terms a step, the remainder tested after the second: no division in the loop.
      const f2 = f - 1;
      const g1 = f * invY;
      const g2 = f2 * invY;
      if (moments) {
        const dt1 = (dt * f + t) * invY;
        dt = (dt1 * f2 + t * g1) * invY;
        dn += dt1 + dt;
      }
      const t1 = t * g1;
      t = t1 * g2;
      n += t1 + t;
      if (weighted) {
        const u1 = u * (f + 1) * invRY;
        u = u1 * f * invRY;
        nw += u1 + u;
      }
      f -= 2;
      // The next factor bounds the remainder: at most the next term once the factors alternate
      // (f < 0), the next term over (1 − ratio) while they are positive and shrink.
      const ratio = (f < 0 ? -f : f) * invY;
      if (ratio >= 1) return false;
      const keep = f > 0 ? 1 - ratio : 1;
      const size = (t < 0 ? -t : t) * ratio;
      if (size >= limit * keep) continue;
      if (moments) {
        // The derivatives' next term is (∂t·f + t)/y, not ∂t·ratio: where a factor x − j is near
        // 0 the terms all but stop (at an integer x, exactly) while their derivatives do not.
        const nextD = (dt * f + t) * invY;
        const ratioD = (f < 1 ? 1 - f : f - 1) * invY;
        if (ratioD >= 1) return false;
        if ((nextD < 0 ? -nextD : nextD) * 2 >= (limitD + TAIL * dn) * (1 - ratioD)) continue;
      }
      if (!weighted) break;
      const fw = f + 1;
      const ratioW = (fw < 0 ? -fw : fw) * invRY;
      if (ratioW >= 1) return false;
      if ((u < 0 ? -u : u) * ratioW < limitW * (fw > 0 ? 1 - ratioW : 1)) break;
    }
  }
  // A = C·(1 − n/C); relative to C, the part below k = 0 is at most about a half (x near y).
  const rest = 1 - n * invC;
  out.sum = rest;
  out.logScale = logC;
  if (moments) {
    out.abandonRatio = clampShare(1 - (x / y) * (1 - invC / rest));
    out.answeredWaitRatio = ((x / y) * (logDrop + dn * invC)) / rest;
  } else {
    out.abandonRatio = out.answeredWaitRatio = 0;
  }
  if (weighted) {
    // Σ_(k≥1) r^(k−1)·t_k / A = e^(−y(1−r) − (x+1)·ln r)·(A(x+1, ry)/C_w)/(A/C), as `deepOverload`.
    const restW = 1 - nw * invCW;
    out.weightedRatio = restW / rest;
    out.weightedLogScale = -y * (1 - r) - (x + 1) * logR;
  } else {
    out.weightedRatio = NaN;
    out.weightedLogScale = 0;
  }
  return true;
}

// The continued fraction costs about twice a term of the walk per step (four recurrences with
// their derivatives, and a second fraction for the weighted sum), and takes 2.5 times fewer
// steps at the peak, 6 times fewer a few √y beyond it: measured, it pays from this far beyond
// the peak (in √y) and from this y.
const FRACTION_FROM_SPREAD = 4;
const FRACTION_FROM = 1000;
// The overload's closed form pays everywhere from this y (below, see `queueSeries`), and its
// series below k = 0 reliably gets small enough from this y (and r·y).
const OVERLOAD_FROM_Y = 200;
const ASYMPTOTIC_FROM = 30;
// The continued fraction stops when two convergents agree to this (relative), value and
// derivative both; past the peak its convergents close in faster than geometrically.
const FRACTION_TOLERANCE = 1e-14;
const FRACTION_STEPS = 4000;

/**
 * The series in a light load (y < x + 1, terms falling from k = 0), where walking them takes
 * up to 8√y terms. A(x, y) = x·e^y·y^(−x)·γ(x, y) = x/K(x, y), with K Perron's continued
 * fraction for the lower incomplete gamma function (DLMF 8.9.2):
 *   K = x − x·y/(x + 1 + y/(x + 2 − (x + 1)·y/(x + 3 + 2y/(x + 4 − …)))),
 * whose convergents close in several times faster than the terms fall (about 2.5× at the peak,
 * 6× a few √y beyond it). It is evaluated by the forward recurrences of its numerators and
 * denominators (no division per step, rescaled now and then), with their derivatives in x:
 * the answered-wait sum is −x·A′/(y·A) = (x·K′/K − 1)/y. The weighted sum is
 * (y/(x + 1))·A(x + 1, ry), a second fraction without derivatives. False when a fraction has
 * not settled after `FRACTION_STEPS` steps (then the walk is used).
 */
function lightLoad(x: number, y: number, moments: boolean, r: number, out: SeriesSums): boolean {
  if (!perron(x, y, moments)) return false;
  const k = fraction;
  const logDerivative = fractionLogDerivative;
  const a = x / k;
  out.sum = a;
  out.logScale = 0;
  if (moments) {
    out.abandonRatio = clampShare(1 - (x / y) * (1 - 1 / a));
    out.answeredWaitRatio = (x * logDerivative - 1) / y;
  } else {
    out.abandonRatio = out.answeredWaitRatio = 0;
  }
  if (r > 0) {
    if (!perron(x + 1, r * y, false)) return false;
    // (y/(x+1))·A(x+1, ry)/A(x, y) = y·K(x, y)/(x·K(x+1, ry)).
    out.weightedRatio = (y * k) / (x * fraction);
    out.weightedLogScale = 0;
  } else {
    out.weightedRatio = NaN;
    out.weightedLogScale = 0;
  }
  return true;
}

// What `perron` found: K, and K′/K when asked for.
let fraction = 0;
let fractionLogDerivative = 0;

/** K(x, y) of `lightLoad` into `fraction` (and K′/K into `fractionLogDerivative`). */
function perron(x: number, y: number, derivative: boolean): boolean {
  // Convergents P/Q with P_(−1) = 1, Q_(−1) = 0, P_0 = x, Q_0 = 1 and
  // P_n = b_n·P_(n−1) + a_n·P_(n−2) (Q likewise): b_n = x + n; a_n = −(x + m − 1)·y for n = 2m − 1,
  // m·y for n = 2m. The derivatives: b′ = 1; a′ = −y for odd n, 0 for even.
  let pm = 1;
  let qm = 0;
  let p = x;
  let q = 1;
  let dpm = 0;
  let dqm = 0;
  let dp = 1;
  let dq = 0;
  let last = p;
  let lastLog = 1 / x;
  let b = x;
  for (let n = 1; n <= FRACTION_STEPS; n++) {
    b += 1;
    const odd = (n & 1) === 1;
    const m = (n + 1) >> 1;
    const a = odd ? -(x + m - 1) * y : m * y;
    const np = b * p + a * pm;
    const nq = b * q + a * qm;
    if (derivative) {
      const da = odd ? -y : 0;
      const ndp = p + b * dp + da * pm + a * dpm;
      const ndq = q + b * dq + da * qm + a * dqm;
      dpm = dp;
      dqm = dq;
      dp = ndp;
      dq = ndq;
    }
    pm = p;
    qm = q;
    p = np;
    q = nq;
    // Tested after each even step (an odd and an even step make one step of the even part).
    if (odd) continue;
    // Keep the numbers within range: all eight scale together, the ratios do not change.
    const size = q < 0 ? -q : q;
    if (size > 1e150) {
      const s = 1 / size;
      p *= s;
      q *= s;
      pm *= s;
      qm *= s;
      dp *= s;
      dq *= s;
      dpm *= s;
      dqm *= s;
    }
    const value = p / q;
    const change = value - last;
    last = value;
    if ((change < 0 ? -change : change) > FRACTION_TOLERANCE * (value < 0 ? -value : value)) continue;
    if (!derivative) {
      fraction = value;
      return true;
    }
    const logDerivative = dp / p - dq / q;
    const changeLog = logDerivative - lastLog;
    lastLog = logDerivative;
    if ((changeLog < 0 ? -changeLog : changeLog) > FRACTION_TOLERANCE * Math.abs(logDerivative)) {
      continue;
    }
    fraction = value;
    fractionLogDerivative = logDerivative;
    return true;
  }
  return false;
}

const clampShare = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

// A sum of terms below k = 0 (at most 1/(1 − x/y) ≤ y, as y ≥ x + 1) against C = e^this or more
// is lost beside 1 in double precision for every y the calculator takes (y·e^−60 < 1e-19).
const NEGLIGIBLE_SCALE = 60;

// Beyond this (e^−40 ≈ 4e-18), a gamma tail is lost in double precision.
const NEGLIGIBLE_LOG = -40;

/**
 * A cheap test that `farBeyond` would say no, so that most calls near the peak skip its
 * log-gamma. With s = x + 1 and Stirling's bound ln Γ(s+1) ≤ s·ln s − s + ½·ln(2πs) + 1/(12s),
 * the log of `farBeyond`'s bound is at least −s·h(y/s) − ½·ln(2πs) − 1/12, where
 * h(u) = u − 1 − ln u ≤ (u − 1)²/2 for u ≥ 1. For s ≤ 10⁶ (½·ln(2πs) < 7.8) that is above
 * −40 whenever (y − s)² < 64·s.
 */
function nearPeak(x: number, y: number): boolean {
  const s = x + 1;
  return s <= 1e6 && (y - s) * (y - s) < 64 * s;
}

/**
 * True when the queue is so long that the series' lower end (k near 0) weighs nothing: the
 * upper tail of a gamma variable of shape x + 2 beyond y, which bounds every tail the
 * closed forms of `deepOverload` drop, is below e^−40. The bound:
 * Γ(s, y) ≤ y^(s−1)·e^(−y) / (1 − (s−1)/y) for y > s − 1 (bound z^(s−1) by y^(s−1)·e^((s−1)(z−y)/y)).
 */
function farBeyond(x: number, y: number, logGammaX1: number, logY = Math.log(y)): boolean {
  if (y <= x + 1) return false;
  return (
    (x + 1) * logY - y - (logGammaX1 + Math.log(x + 1)) - Math.log1p(-(x + 1) / y) <
    NEGLIGIBLE_LOG
  );
}

/**
 * The series in a deep overload, in O(1). A(x, y) = x·e^y·y^(−x)·γ(x, y) (the lower incomplete
 * gamma function's own series), and when γ(x, y) = Γ(x) up to a negligible tail:
 *   A = e^y·y^(−x)·Γ(x + 1);  P(answered | wait) = (x/y)(1 − 1/A);
 *   the answered-wait sum = −x·F′(x)/A with F(x) = e^y·y^(−x−1)·γ(x+1, y) = (A − 1)/y, whose
 *   derivative (∂γ(s, y)/∂s = Γ(s)ψ(s) less a tail) gives (x/y)(1 − 1/A)·(ln y − ψ(x + 1));
 *   the weighted sum Σ_{k≥1} r^(k−1)·t_k = (y/(x+1))·A(x+1, ry) likewise, when ry is also far
 *   beyond x + 1.
 */
function deepOverload(
  x: number,
  y: number,
  moments: boolean,
  r: number,
  logGammaX1: number,
  out: SeriesSums,
  logY: number,
  logR: number,
): SeriesSums {
  const logA = y - x * logY + logGammaX1;
  const answeredIfWait = -(x / y) * Math.expm1(-logA);
  out.sum = 1;
  out.logScale = logA;
  out.abandonRatio = moments ? 1 - answeredIfWait : 0;
  out.answeredWaitRatio = moments ? answeredIfWait * (logY - digamma(x + 1)) : 0;
  const weighted =
    r > 0 && r <= 1 && farBeyond(x + 1, r * y, logGammaX1 + Math.log(x + 1), logY + logR);
  // ln((y/(x+1))·A(x+1, ry)/A(x, y)) with A(x+1, z) = e^z·z^(−x−1)·Γ(x + 2).
  out.weightedRatio = weighted ? 1 : NaN;
  out.weightedLogScale = -y * (1 - r) - (x + 1) * logR;
  return out;
}
