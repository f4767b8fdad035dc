/**
 * Summary statistics and interval estimates for the course's experiments.
 *
 * Every verdict of the course rests on an interval, not on a point estimate: a decision rule
 * compares the whole interval with a threshold fixed in advance (see `verdict.ts`). These are
 * the textbook constructions, each with its reference; the quantile functions are checked
 * against scipy in `test/course-stats.spec.ts`.
 */
import { erf } from 'mathjs';
import { createRng } from '../random/rng';
import { LossInputError, readGuarded } from '../errors';
import { sum } from '../linalg/dense';
import { readOptions } from './arguments';

/** An estimate with a two-sided confidence interval (or, for a computed quantity, its rounding bound). */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  /** Confidence level of [lower, upper], e.g. 0.95; 1 for an exact computation with its rounding bound. */
  level: number;
  /** How the interval was made, in a few words (shown beside verdicts). */
  method: string;
}

/** The longest sample: an array's longest length. */
const MAX_SAMPLE = 2 ** 32 - 1;

/**
 * The sample `xs`, read once into a copy that is checked and then computed on: its length and
 * each element are read one time, so a getter or Proxy cannot show the check one number and
 * the computation another.
 */
export function readSample(argument: string, xs: ArrayLike<number>, minimum = 1): Float64Array {
  return readGuarded(argument, () => copySample(argument, xs, minimum), 'an array of finite numbers');
}

function copySample(argument: string, xs: ArrayLike<number>, minimum: number): Float64Array {
  const length: unknown = typeof xs === 'object' && xs !== null ? xs.length : undefined;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < minimum || length > MAX_SAMPLE) {
    throw new LossInputError({
      argument,
      value: xs,
      problem: `is not a sample of at least ${minimum} number${minimum === 1 ? '' : 's'}`,
      domain: 'an array of finite numbers',
    });
  }
  const copy = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x: unknown = xs[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new LossInputError({
        argument,
        index: i,
        value: x,
        problem: 'is not a finite number',
        domain: 'finite numbers',
      });
    }
    copy[i] = x;
  }
  return copy;
}

/** Σ x / n of a checked sample. */
function meanOf(x: Float64Array): number {
  return sum(x, x.length) / x.length;
}

/** The unbiased variance of a checked sample of two or more, by two passes for accuracy. */
function varianceOf(x: Float64Array): number {
  const m = meanOf(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / (x.length - 1);
}

function checkLevel(level: unknown): number {
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new LossInputError({
      argument: 'level',
      value: level,
      problem: 'is not a confidence level',
      domain: 'a number in (0, 1), e.g. 0.95',
    });
  }
  return level;
}

function checkProbability(argument: string, p: unknown): number {
  if (typeof p !== 'number' || !(p > 0 && p < 1)) {
    throw new LossInputError({
      argument,
      value: p,
      problem: 'is not a probability strictly between 0 and 1',
      domain: '(0, 1)',
    });
  }
  return p;
}

/** The arithmetic mean. */
export function mean(xs: ArrayLike<number>): number {
  return meanOf(readSample('xs', xs));
}

/** The unbiased sample variance (divisor n − 1), by two passes for accuracy. */
export function variance(xs: ArrayLike<number>): number {
  return varianceOf(readSample('xs', xs, 2));
}

/** The sample standard deviation (divisor n − 1). */
export function sd(xs: ArrayLike<number>): number {
  return Math.sqrt(variance(xs));
}

/**
 * The q-quantile, interpolating linearly between order statistics: Hyndman & Fan's type 7,
 * the default of R and numpy.
 *
 * @example
 * ```ts
 * import { quantile } from 'losslab/course';
 * quantile([1, 2, 3, 4], 0.5);  // 2.5
 * quantile([1, 2, 3, 4], 0.25); // 1.75
 * ```
 */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const sorted = readSample('xs', xs);
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
    throw new LossInputError({ argument: 'q', value: q, problem: 'is not a quantile level', domain: '[0, 1]' });
  }
  return quantileOfSorted(sorted.sort(), q);
}

/** The type-7 q-quantile of a checked sample already in ascending order. */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const position = q * (n - 1);
  const below = Math.floor(position);
  return below + 1 < n ? sorted[below] + (position - below) * (sorted[below + 1] - sorted[below]) : sorted[below];
}

/** The median (type-7 quantile at ½). */
export function median(xs: ArrayLike<number>): number {
  return quantile(xs, 0.5);
}

/**
 * The continued fraction of the upper incomplete gamma function at b = ½ (modified Lentz;
 * Numerical Recipes §6.2): Q(½, x) = e^(−x) √(x/π) · h(x), returned as h(x) with no exponential,
 * so that callers whose own factors would underflow can divide them out. It converges in a few
 * dozen terms for x ≥ 2; at most 300.
 */
function gammaHalfFraction(x: number): number {
  const tiny = 1e-300;
  let b = x + 0.5;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= 300; i++) {
    const an = -i * (i - 0.5);
    b += 2;
    d = an * d + b;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return h;
}

/**
 * The tail Φ(−z) for z ≥ 2 as ½ Q(½, z²/2), Q the regularised upper incomplete gamma function,
 * by its continued fraction, which converges in a few dozen terms for z²/2 ≥ 2: 1 + erf(−z/√2)
 * would lose the tail's relative accuracy to cancellation (to 1e-7 at z = 6). Γ(½) = √π, so no
 * log-gamma enters.
 */
function normalUpperTail(z: number): number {
  const x = 0.5 * z * z;
  return 0.5 * Math.exp(-x) * Math.sqrt(x / Math.PI) * gammaHalfFraction(x);
}

/**
 * Φ(z), the standard normal distribution function: mathjs's `erf` in the middle, and a
 * continued fraction for |z| > 2, so both tails keep their relative accuracy (about 1e-14).
 */
export function normalCdf(z: number): number {
  if (typeof z !== 'number' || Number.isNaN(z))
    throw new LossInputError({ argument: 'z', value: z, problem: 'is not a number', domain: 'a number' });
  // Past ±40 the tail is below 1e-349, zero in double precision; the tail's continued fraction would divide ∞ by ∞.
  if (z < -40) return 0;
  if (z > 40) return 1;
  if (z < -2) return normalUpperTail(-z);
  if (z > 2) return 1 - normalUpperTail(z);
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** φ(z), the standard normal density. */
export function normalPdf(z: number): number {
  if (typeof z !== 'number' || Number.isNaN(z))
    throw new LossInputError({ argument: 'z', value: z, problem: 'is not a number', domain: 'a number' });
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * Inverts an increasing distribution function by bisection on [lo, hi], bracketing first.
 * 200 halvings take any bracket of doubles down to adjacent values, so the loop is bounded.
 */
function invert(cdf: (x: number) => number, p: number, lo: number, hi: number): number {
  for (let k = 0; k < 64 && cdf(lo) > p; k++) lo *= 2;
  for (let k = 0; k < 64 && cdf(hi) < p; k++) hi *= 2;
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Φ⁻¹(p), the standard normal quantile, for p in (0, 1). */
export function normalQuantile(p: number): number {
  checkProbability('p', p);
  if (p === 0.5) return 0;
  // Φ(z) is computed as 1 − tail for z > 0, so invert on the lower tail and reflect.
  const lowerTail = Math.min(p, 1 - p);
  const z = invert(normalCdf, lowerTail, -1, 0);
  return p < 0.5 ? z : -z;
}

/**
 * ln Γ(z + h) − ln Γ(z) for z ≥ 50 and 0 < h ≤ 1 by Stirling's series, whose next term is below
 * 1/(1188 z⁹) < 1e-18. The two log-gammas are huge and nearly equal: their difference taken
 * directly keeps only ε z ln z of accuracy, nothing at all once z passes 1e17.
 */
function logGammaStep(z: number, h: number): number {
  const series = (w: number): number => {
    const w2 = w * w;
    return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * w2)) / w2) / w2) / w;
  };
  return (z - 0.5) * Math.log1p(h / z) + h * Math.log(z + h) - h + series(z + h) - series(z);
}

const LN_SQRT_PI = 0.5 * Math.log(Math.PI);

/**
 * ln Γ(a + h) − ln Γ(a) for a ≥ ½ and 0 < h ≤ 1: `logGammaStep` after stepping a up to 50 by
 * ln Γ(z + 1) = ln Γ(z) + ln z (at most 50 steps), since mathjs's log-gamma carries 1e-12
 * relative, which the difference of two values near a ln a would multiply.
 */
export function logGammaRatio(a: number, h: number): number {
  let z = a;
  let steps = 0;
  for (; z < 50; z++) steps += Math.log1p(h / z);
  return logGammaStep(z, h) - steps;
}

/**
 * ln(a B(a, b)), where one of a and b is ½ (studentTCdf's only case): a B(a, ½) = √π Γ(a + 1)/Γ(a + ½)
 * and ½ B(½, b) = (√π/2) Γ(b + 1)/(b Γ(b + ½)), with the ratios of gammas from `logGammaRatio`
 * (mathjs's log-gamma is 3e-12 relative off already at ½). Γ(a + 1) rather than aΓ(a): when df/2
 * underflows to 0, a B(a, ½) is 1 and not 0 · ∞.
 */
function logOfATimesBeta(a: number, b: number): number {
  if (b === 0.5) return LN_SQRT_PI + logGammaRatio(a + 0.5, 0.5);
  return LN_SQRT_PI - Math.LN2 - Math.log(b) + logGammaRatio(b + 0.5, 0.5);
}

/**
 * The regularised incomplete beta function I_x(a, b) by its continued fraction, evaluated with
 * the modified Lentz method (Press et al., Numerical Recipes, 3rd ed., §6.4); at most 500 terms,
 * far more than the ~50 the arguments used here need.
 */
function incompleteBeta(logX: number, log1mX: number, a: number, b: number): number {
  if (logX === -Infinity) return 0;
  if (log1mX === -Infinity) return 1;
  // Given by its logarithms: x itself can underflow to 0 while x^a, for a tiny a, is near 1.
  const x = Math.exp(logX);
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(log1mX, logX, b, a);
  // x^a (1−x)^b / (a B(a, b)) with aΓ(a) folded into Γ(a + 1): dividing by a itself gives 0/0
  // when studentTCdf's df/2 underflows to 0, and a subnormal quotient just above it.
  const front = Math.exp(a * logX + b * log1mX - logOfATimesBeta(a, b));
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 500; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    c = 1 + even / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    f *= d * c;
    const odd = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    c = 1 + odd / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    const step = d * c;
    f *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return front * f;
}

/**
 * I_x(a, ½) for a > 15, by the asymptotic expansion of DiDonato and Morris (ACM TOMS Algorithm
 * 708, 1992, procedure BGRAT; Temme's expansion in incomplete gamma functions): with
 * ν = a − ¼ and z = −ν ln x, I_x(a, ½) = (Γ(a + ½)/Γ(a)) ν^(−½) (e^(−z) √z / √π) Σₙ dₙ Jₙ, where
 * J₀ = Q(½, z) √π e^z / √z and the Jₙ, dₙ follow their recurrences, a series in powers of
 * 1/(4ν²) < 0.0012. Near x = 1 with a large, the continued fraction loses about log₁₀ a
 * digits to cancellation (2e-8 relative at df = 1e9); this expansion does not. Returns undefined
 * if its partial sum is not positive, as TOMS 708 reports failure, so the caller falls back.
 */
function incompleteBetaLargeA(logX: number, a: number): number | undefined {
  const b = 0.5;
  const nu = a - 0.25;
  const z = -nu * logX;
  // J₀ = Q(½, z)/r with r = e^(−z) √z / √π: the continued fraction gives it without e^(−z), which
  // underflows in the far tail; below z = 2 the fraction is slow, and Q(½, z) = 2Φ(−√(2z)) there.
  let j = z >= 2 ? gammaHalfFraction(z) : 2 * normalCdf(-Math.sqrt(2 * z)) * Math.sqrt(Math.PI / z) * Math.exp(z);
  const v = 0.25 / (nu * nu);
  const t2 = 0.25 * logX * logX;
  const c: number[] = [];
  const d: number[] = [];
  let sum = j;
  let power = 1;
  let cn = 1;
  for (let n = 1; n <= 30; n++) {
    const bp2n = b + 2 * (n - 1);
    j = (bp2n * (bp2n + 1) * j + (z + bp2n + 1) * power) * v;
    power *= t2;
    cn /= 2 * n * (2 * n + 1);
    c.push(cn);
    let s = 0;
    let coefficient = b - n;
    for (let i = 1; i < n; i++) {
      s += coefficient * c[i - 1] * d[n - i - 1];
      coefficient += b;
    }
    d.push((b - 1) * cn + s / n);
    const term = d[n - 1] * j;
    sum += term;
    if (!(sum > 0)) return undefined;
    if (Math.abs(term) <= 1e-16 * sum) break;
  }
  const logFront = -z + 0.5 * Math.log(z) - LN_SQRT_PI + logGammaRatio(a, b) - b * Math.log(nu);
  return Math.exp(logFront) * sum;
}

function checkDf(df: unknown): number {
  if (typeof df !== 'number' || !(df > 0) || !Number.isFinite(df)) {
    throw new LossInputError({
      argument: 'df',
      value: df,
      problem: 'is not a positive number of degrees of freedom',
      domain: 'a finite number > 0',
    });
  }
  return df;
}

/** The distribution function of Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (typeof t !== 'number' || Number.isNaN(t))
    throw new LossInputError({ argument: 't', value: t, problem: 'is not a number', domain: 'a number' });
  // Past 1e9 degrees of freedom the continued fraction below would need ~√df terms (x sits
  // within t²/df of the mean of its beta law), so use Fisher's expansion
  // F(t) = Φ(t) − φ(t)(t³ + t)/(4 df) + O(t⁷ φ(t) / df²), the neglected term below 0.4/df² < 1e-18.
  if (df > 1e9) return normalCdf(t) - (normalPdf(t) * (t * t * t + t)) / (4 * df);
  // ln x and ln(1 − x) for x = df/(df + t²), from whichever of t²/df and df/t² is at most 1, so
  // that neither t² nor x over- or underflows: with df near 5e-324, x is below the smallest double.
  const s = Math.abs(t);
  const small = s < Math.sqrt(df);
  const logRatio = 2 * Math.log(s) - Math.log(df);
  const logX = small ? -Math.log1p((s / df) * s) : -logRatio - Math.log1p(df / s / s);
  const log1mX = small ? logRatio - Math.log1p((s / df) * s) : -Math.log1p(df / s / s);
  const tail = 0.5 * tailFraction(logX, log1mX, df);
  return t > 0 ? 1 - tail : tail;
}

/**
 * I_x(df/2, ½), P(|T| ≥ |t|), choosing the method as TOMS 708's BRATIO does for these arguments:
 * the asymptotic expansion when a = df/2 > 15 and 1 − x = t²/(df + t²) lies in
 * [0.49/a, 0.3) (so that ((1 − x) a)^½ > 0.7), the continued fraction everywhere else.
 */
function tailFraction(logX: number, log1mX: number, df: number): number {
  const a = df / 2;
  const y = Math.exp(log1mX);
  if (a > 15 && y < 0.3 && y * a > 0.49) {
    const expanded = incompleteBetaLargeA(logX, a);
    if (expanded !== undefined) return expanded;
  }
  return incompleteBeta(logX, log1mX, a, 0.5);
}

/** The p-quantile of Student's t with `df` degrees of freedom. */
export function studentTQuantile(p: number, df: number): number {
  checkProbability('p', p);
  checkDf(df);
  if (p === 0.5) return 0;
  const lowerTail = Math.min(p, 1 - p);
  const t = invert((x) => studentTCdf(x, df), lowerTail, -1, 0);
  return p < 0.5 ? t : -t;
}

/**
 * The mean with its Student-t confidence interval, x̄ ± t_{(1+level)/2, n−1} s/√n: exact for
 * normal data, and by the central limit theorem close for the averages of many repetitions that
 * the course feeds it.
 *
 * @example
 * ```ts
 * import { meanInterval } from 'losslab/course';
 * const ci = meanInterval([1, 2, 3, 4, 5]);
 * ci.estimate;          // 3
 * ci.lower.toFixed(3);  // "1.037"
 * ```
 */
export function meanInterval(xs: ArrayLike<number>, level = 0.95): Interval {
  const sample = readSample('xs', xs, 2);
  const n = sample.length;
  checkLevel(level);
  const m = meanOf(sample);
  const half = studentTQuantile(0.5 + level / 2, n - 1) * Math.sqrt(varianceOf(sample) / n);
  return { estimate: m, lower: m - half, upper: m + half, level, method: `mean of ${n}, t interval` };
}

/**
 * A seeded percentile-bootstrap interval (Efron & Tibshirani, An Introduction to the Bootstrap,
 * 1993, ch. 13) for `statistic` of `n` paired observations: each replicate draws n indices with
 * replacement and calls `statistic(indices)`. The estimate is `statistic` on the sample itself.
 *
 * @example
 * ```ts
 * import { bootstrapInterval, median } from 'losslab/course';
 * const xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
 * const ci = bootstrapInterval(xs.length, (idx) => median(Array.from(idx, (i) => xs[i])), { seed: 1 });
 * ci.estimate; // 4
 * ```
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Uint32Array) => number,
  opts: { replicates?: number; seed?: number; level?: number } = {},
): Interval {
  // The indices are a Uint32Array, so they cannot name an observation past 2^32 − 1.
  if (!Number.isInteger(n) || n < 2 || n > 2 ** 32) {
    throw new LossInputError({
      argument: 'n',
      value: n,
      problem: 'is not a sample size from 2 to 2^32',
      domain: 'an integer in [2, 2^32]',
    });
  }
  if (typeof statistic !== 'function')
    throw new LossInputError({
      argument: 'statistic',
      value: statistic,
      problem: 'is not a function',
      domain: '(indices: Uint32Array) => number',
    });
  const options = readOptions('opts', opts, '{ replicates?, seed?, level? }');
  // Only undefined means left out: a null is a bad value, not the default.
  const replicates = options.replicates === undefined ? 2000 : options.replicates;
  if (!Number.isInteger(replicates) || replicates < 100 || replicates > 1e6) {
    throw new LossInputError({
      argument: 'replicates',
      value: replicates,
      problem: 'is not a usable number of bootstrap replicates',
      domain: 'an integer in [100, 1e6]',
    });
  }
  const level = checkLevel(options.level === undefined ? 0.95 : options.level);
  const rng = createRng(options.seed === undefined ? 0 : options.seed);
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const estimate = statistic(all);
  const draws = new Float64Array(replicates);
  const indices = new Uint32Array(n);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < n; i++) indices[i] = rng.integer(n);
    draws[r] = statistic(indices);
  }
  for (let r = 0; r < replicates; r++) {
    if (!Number.isFinite(draws[r])) {
      throw new LossInputError({
        argument: 'statistic',
        index: r,
        value: draws[r],
        problem: 'returned a value that is not finite on a bootstrap replicate',
        domain: 'a statistic finite on every resample',
      });
    }
  }
  const alpha = (1 - level) / 2;
  return {
    estimate,
    lower: quantile(draws, alpha),
    upper: quantile(draws, 1 - alpha),
    level,
    method: `percentile bootstrap, ${replicates} resamples of ${n}`,
  };
}

/**
 * Wilson's score interval for a proportion k/n (Wilson, JASA 22, 1927), which unlike the Wald
 * interval keeps its coverage near 0 and 1: exactly the case of "it happened in 0 of 40 runs".
 *
 * @example
 * ```ts
 * import { proportionInterval } from 'losslab/course';
 * const ci = proportionInterval(0, 40);
 * ci.upper.toFixed(4); // "0.0876"
 * ```
 */
export function proportionInterval(k: number, n: number, level = 0.95): Interval {
  if (!Number.isInteger(n) || n < 1)
    throw new LossInputError({
      argument: 'n',
      value: n,
      problem: 'is not a positive count',
      domain: 'an integer >= 1',
    });
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new LossInputError({
      argument: 'k',
      value: k,
      problem: 'is not a count between 0 and n',
      domain: `an integer in [0, ${n}]`,
    });
  checkLevel(level);
  const z = normalQuantile(0.5 + level / 2);
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  // At k = 0 (k = n) the score interval ends exactly at 0 (1); computed, centre ∓ half can land
  // an ulp inside, which would leave the estimate outside its own interval.
  const lower = k === 0 ? 0 : Math.max(0, centre - half);
  const upper = k === n ? 1 : Math.min(1, centre + half);
  return { estimate: p, lower, upper, level, method: `Wilson interval, ${k} of ${n}` };
}

/**
 * The least-squares slope of y on x with its t interval (n − 2 degrees of freedom), e.g. the
 * exponent of a power law fitted on a log–log scale.
 *
 * @example
 * ```ts
 * import { slopeInterval } from 'losslab/course';
 * slopeInterval([1, 2, 3, 4], [2, 4.1, 5.9, 8]).estimate.toFixed(2); // "1.98"
 * ```
 */
export function slopeInterval(x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): Interval {
  const xs = readSample('x', x, 3);
  const ys = readSample('y', y, 3);
  const n = xs.length;
  if (ys.length !== n)
    throw new LossInputError({
      argument: 'y',
      value: y,
      problem: `has ${ys.length} values but x has ${n}`,
      domain: `${n} values`,
    });
  checkLevel(level);
  const mx = meanOf(xs);
  const my = meanOf(ys);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (!(sxx > 0))
    throw new LossInputError({
      argument: 'x',
      value: x,
      problem: 'has no spread, so no slope can be fitted',
      domain: 'at least two distinct values',
    });
  const slope = sxy / sxx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ys[i] - my - slope * (xs[i] - mx)) ** 2;
  const half = studentTQuantile(0.5 + level / 2, n - 2) * Math.sqrt(rss / (n - 2) / sxx);
  return {
    estimate: slope,
    lower: slope - half,
    upper: slope + half,
    level,
    method: `least-squares slope of ${n} points, t interval`,
  };
}

/**
 * The geometric mean of paired ratios aᵢ/bᵢ with its interval: a t interval on the mean of
 * ln(aᵢ/bᵢ), mapped back. The natural summary of "how many times larger" over repetitions,
 * symmetric in a and b (swapping them inverts the interval).
 */
export function ratioInterval(a: ArrayLike<number>, b: ArrayLike<number>, level = 0.95): Interval {
  const numerators = readSample('a', a, 2);
  const denominators = readSample('b', b, 2);
  const n = numerators.length;
  if (denominators.length !== n)
    throw new LossInputError({
      argument: 'b',
      value: b,
      problem: `has ${denominators.length} values but a has ${n}`,
      domain: `${n} values`,
    });
  const logs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(numerators[i] > 0))
      throw new LossInputError({
        argument: 'a',
        index: i,
        value: numerators[i],
        problem: 'is not positive',
        domain: 'positive numbers',
      });
    if (!(denominators[i] > 0))
      throw new LossInputError({
        argument: 'b',
        index: i,
        value: denominators[i],
        problem: 'is not positive',
        domain: 'positive numbers',
      });
    logs[i] = Math.log(numerators[i] / denominators[i]);
  }
  const spread = variance(logs);
  const inner =
    spread === 0 ? { estimate: mean(logs), lower: mean(logs), upper: mean(logs) } : meanInterval(logs, level);
  return {
    estimate: Math.exp(inner.estimate),
    lower: Math.exp(inner.lower),
    upper: Math.exp(inner.upper),
    level,
    method: `geometric mean of ${n} paired ratios, t interval on the logs`,
  };
}

/**
 * A computed quantity and its rounding bound as an interval of level 1: how deterministic
 * results (an identity checked on a grid, a count) enter the same decision rules as estimates.
 */
export function exactly(value: number, roundingBound = 0, method = 'computed'): Interval {
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new LossInputError({
      argument: 'value',
      value,
      problem: 'is not a number',
      domain: 'a number (±Infinity allowed)',
    });
  if (typeof roundingBound !== 'number' || !(roundingBound >= 0))
    throw new LossInputError({
      argument: 'roundingBound',
      value: roundingBound,
      problem: 'is not a non-negative bound',
      domain: 'a number >= 0',
    });
  if (typeof method !== 'string')
    throw new LossInputError({
      argument: 'method',
      value: method,
      problem: 'is not a string',
      domain: 'a few words on how the value was obtained',
    });
  return { estimate: value, lower: value - roundingBound, upper: value + roundingBound, level: 1, method };
}
