// The special functions Erlang A needs, computed so that no step overflows: log-gamma, digamma,
// and the queue series A(x, y) of Garnett, Mandelbaum & Reiman, summed outward from its peak.

const HALF_LOG_2PI = 0.9189385332046728;

/** ln Γ(z) for z ≥ 1 (Stirling's series after shifting z to ≥ 15; good to a few 1e-15, relative). */
export function logGamma(z: number): number {
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
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + tail - shift;
}

/** ψ(z), the digamma function, for z ≥ 1 (asymptotic series after shifting z to ≥ 10). */
export function digamma(z: number): number {
  let shift = 0;
  while (z < 10) {
    shift -= 1 / z;
    z += 1;
  }
  const inv2 = 1 / (z * z);
  return (
    shift +
    Math.log(z) -
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

/** What `queueSeries` returns; one reusable object so the week plan allocates nothing per step. */
export interface SeriesSums {
  /** ln A(x, y), where A(x, y) = Σ_{k≥0} t_k, t_0 = 1, t_k = t_{k−1}·y/(x+k). */
  logSum: number;
  /** Σ t_k·(k+1)/(x+k+1) / A: among callers who wait, the share who abandon. */
  abandonRatio: number;
  /** Σ t_k·x/(x+k+1)·H_k / A with H_k = Σ_{j=1..k+1} 1/(x+j): the mean offered wait of those
   * who wait and are answered, times θ, weighted by their chance to be answered. */
  answeredWaitRatio: number;
  /** ln(Σ_{k≥1} r^{k−1}·t_k / A) for the `r` asked for; NaN when not asked for or when the
   * weighted terms lie too far from the plain ones to share the pass (then sum them apart). */
  logWeightedRatio: number;
}

// A term is dropped once the whole remaining tail (bounded by a geometric series, since the
// ratio between terms only shrinks away from the peak) is below this share of the sum.
const TAIL = 1e-17;
// Below this many terms before the peak, H at the peak is summed directly (exact); above, it
// comes from the digamma function (two evaluations instead of thousands of divisions).
const DIRECT_HARMONIC = 256;

/**
 * Sums the series A(x, y) = 1 + Σ_{k≥1} y^k / ((x+1)(x+2)…(x+k)) of Garnett, Mandelbaum &
 * Reiman (2002); with x = Nμ/θ and y = λ/θ, t_k is the weight of "k callers queued" relative
 * to "all N agents busy, nobody queued" in the M/M/N+M chain.
 *
 * The terms rise while k ≤ y − x and then fall, and may pass 1e308 long before the peak, so the
 * sum starts at the peak (its logarithm from log-gamma) and walks outward in both directions
 * with every term relative to the peak term. The cost is O(√y) terms, never O(y).
 *
 * With `moments`, the two ratios of `SeriesSums` are summed in the same pass. With 0 < r ≤ 1,
 * so is Σ_{k≥1} r^{k−1}·t_k, which is (y/(x+1))·A(x+1, r·y): the series the service level needs
 * at y·e^{−θt}. Sharing the pass saves a second walk when the weighted terms peak near the plain
 * ones (a shift of at most a few √y terms); otherwise `logWeightedRatio` is NaN.
 */
export function queueSeries(
  x: number,
  y: number,
  moments: boolean,
  out: SeriesSums,
  r = 0,
  /** ln y, when the caller has it (the week plan: one y per interval, many x). */
  logY = Math.log(y),
): SeriesSums {
  let logGammaX1 = NaN;
  if (y > x + 3) {
    logGammaX1 = logGamma(x + 1);
    if (farBeyond(x, y, logGammaX1, logY)) return deepOverload(x, y, moments, r, logGammaX1, out);
  }
  const peak = y > x + 1 ? Math.floor(y - x) : 0;
  // The weighted terms r^(k−1)·t_k peak about y(1 − r) terms below the plain ones.
  const weighted = r >= 0.5 && r <= 1 && y * (1 - r) <= 4 * Math.sqrt(y) + 4;
  const logPeak = peak > 0 ? peak * logY - logRising(x, peak, logGammaX1) : 0;

  // The peak term itself (relative weight 1). d_k = 1/(x+k+1) serves twice: the ratio
  // t_{k+1}/t_k = y·d_k, and the step H_k − H_{k−1} = d_k; so each term costs one division.
  // The weighted terms are kept relative to r^(peak−1)·t_peak. The abandonment sum needs no
  // division of its own: t_k·(k+1)·d_k = (k+1)·t_{k+1}/y, so it is Σ m·t_m / y (`counted`),
  // a sum of positive terms (the closed form 1 − (x/y)(1 − 1/A) cancels when y ≪ x). The
  // answered-wait sum Σ t_k·d_k·H_k is kept as H_peak·Σ t_k·d_k + Σ t_k·d_k·(H_k − H_peak): the
  // walk carries H relative to the peak, Σ t_k·d_k = (A − t_0)/y needs no terms, and H_peak
  // comes at the end from where the backward walk stopped (at k = 0, from the walk itself),
  // so its harmonic sum is not summed a second time. The factor x is applied at the end too.
  let d = 1 / (x + peak + 1);
  let sum = 1;
  let rest = 0;
  let counted = peak;
  let answeredWait = 0;
  let sumW = peak > 0 ? 1 : 0;

  // Forward from the peak, two terms a step: one division gives both d's (1/(pq) times q and
  // p), and the tail is tested once a step (at most one term more than needed). pw = r^(k − peak).
  let t = 1;
  let pw = 1;
  let h = 0;
  for (let k = peak + 1; ; k += 2) {
    const p = x + k + 1;
    const q = p + 1;
    const inv = 1 / (p * q);
    const d1 = q * inv;
    const d2 = p * inv;
    const t1 = t * y * d;
    t = t1 * y * d1;
    d = d2;
    rest += t1 + t;
    if (moments) {
      counted += k * (t1 + t) + t;
      const h1 = h + d1;
      h = h1 + d2;
      answeredWait += t1 * d1 * h1 + t * d2 * h;
    }
    const next = y * d;
    let done = t * next < TAIL * (sum + rest) * (1 - next) || t === 0;
    if (weighted) {
      const u1 = pw * r * t1;
      pw *= r * r;
      const u = pw * t;
      sumW += u1 + u;
      const nextW = next * r;
      done &&= u * nextW < TAIL * sumW * (1 - nextW) || u === 0;
    }
    if (done) break;
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
    t *= (x + k + 1) * invY;
    sum += t;
    if (moments) {
      counted += k * t;
      h -= dAbove;
      dAbove = 1 / (x + k + 1);
      answeredWait += t * dAbove * h;
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
  const logSum = Math.log(total);
  out.logSum = logPeak + logSum;
  if (moments) {
    out.abandonRatio = y > 0 ? Math.min(1, counted / (y * total)) : 1 / (x + 1);
    // H_low = Σ_{j=1..low+1} 1/(x+j): one term when the walk reached k = 0.
    let hLow = 0;
    if (low < DIRECT_HARMONIC) for (let j = low + 1; j >= 1; j--) hLow += 1 / (x + j);
    else hLow = digamma(x + low + 2) - digamma(x + 1);
    const hPeak = hLow - (low === peak ? 0 : h);
    // Σ t_k·d_k = (A − t_0)/y; t_0 is the walk's last term if it reached k = 0, else negligible.
    const sumTD = y > 0 ? (low === 0 ? (peak === 0 ? rest : total - tLow) : total) / y : 1 / (x + 1);
    out.answeredWaitRatio = (x * (hPeak * sumTD + answeredWait)) / total;
  } else {
    out.abandonRatio = out.answeredWaitRatio = 0;
  }
  out.logWeightedRatio = weighted ? (peak - 1) * Math.log(r) + Math.log(sumW) - logSum : NaN;
  return out;
}

// Beyond this (e^−40 ≈ 4e-18), a gamma tail is lost in double precision.
const NEGLIGIBLE_LOG = -40;

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
): SeriesSums {
  const logA = y - x * Math.log(y) + logGammaX1;
  const answeredIfWait = -(x / y) * Math.expm1(-logA);
  out.logSum = logA;
  out.abandonRatio = moments ? 1 - answeredIfWait : 0;
  out.answeredWaitRatio = moments ? answeredIfWait * (Math.log(y) - digamma(x + 1)) : 0;
  const weighted = r > 0 && r <= 1 && farBeyond(x + 1, r * y, logGammaX1 + Math.log(x + 1));
  // ln((y/(x+1))·A(x+1, ry)/A(x, y)) with A(x+1, z) = e^z·z^(−x−1)·Γ(x + 2).
  out.logWeightedRatio = weighted ? -y * (1 - r) - (x + 1) * Math.log(r) : NaN;
  return out;
}
