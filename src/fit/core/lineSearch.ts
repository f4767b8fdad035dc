/**
 * A line search for the strong Wolfe conditions (Nocedal & Wright, *Numerical Optimization*,
 * 2nd ed. 2006, Algorithms 3.5 and 3.6, with safeguarded cubic interpolation), extended by the
 * approximate Wolfe conditions of Hager & Zhang ("A new conjugate gradient method with
 * guaranteed descent and an efficient line search", SIAM J. Optim. 16(1), 2005): close to a
 * minimiser, objective values differ by less than their rounding error, the sufficient-decrease
 * test becomes noise, and only the slope still carries information. Accepting a step on its
 * slope when the value is within rounding of φ(0) is what lets the solvers drive the gradient
 * norm to 1e-10 and below.
 */

/** φ(α) = S(θ + α p); `along` returns φ(α) and leaves φ'(α) in `slope`. */
export interface LineFunction {
  along(alpha: number): number;
  readonly slope: number;
}

export interface LineSearchResult {
  /** Accepted step, or 0 when no step decreased the objective. */
  alpha: number;
  value: number;
  /** True when α satisfies the (strong or approximate) Wolfe conditions. */
  wolfe: boolean;
  evaluations: number;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_EVALUATIONS = 40;
/** Relative size of the rounding error of an objective value (a sum of up to ~1e7 terms). */
const VALUE_NOISE = 1e-12;

/**
 * Searches along a descent direction (φ'(0) = `slope0` < 0) from the trial step `alpha1`.
 * A step is accepted when |φ'(α)| ≤ C2 |φ'(0)| and either φ(α) ≤ φ(0) + C1 α φ'(0) (strong
 * Wolfe) or φ(α) ≤ φ(0) + ε|φ(0)| with ε at the rounding level (approximate Wolfe).
 * Non-finite values (an overflowing loss) count as too long a step.
 */
export function wolfeLineSearch(line: LineFunction, value0: number, slope0: number, alpha1: number): LineSearchResult {
  const noise = VALUE_NOISE * Math.abs(value0);
  const decreases = (alpha: number, v: number): boolean => v <= value0 + C1 * alpha * slope0 || v <= value0 + noise;
  const curvatureOk = (s: number): boolean => Math.abs(s) <= -C2 * slope0;

  let evaluations = 0;
  let best = { alpha: 0, value: value0 };
  const evaluate = (alpha: number): { v: number; s: number } => {
    evaluations++;
    const v = line.along(alpha);
    const s = line.slope;
    if (Number.isFinite(v) && v < best.value) best = { alpha, value: v };
    return { v, s };
  };
  const done = (alpha: number, value: number): LineSearchResult => ({ alpha, value, wolfe: true, evaluations });
  const failed = (): LineSearchResult => ({ alpha: best.alpha, value: best.value, wolfe: false, evaluations });

  let prevAlpha = 0;
  let prevValue = value0;
  let prevSlope = slope0;
  let alpha = alpha1;
  for (let first = true; evaluations < MAX_EVALUATIONS; first = false) {
    const { v, s } = evaluate(alpha);
    if (!Number.isFinite(v) || !Number.isFinite(s) || !decreases(alpha, v) || (!first && v > prevValue + noise)) {
      return zoom(prevAlpha, prevValue, prevSlope, alpha, v, s);
    }
    if (curvatureOk(s)) return done(alpha, v);
    if (s >= 0) return zoom(alpha, v, s, prevAlpha, prevValue, prevSlope);
    prevAlpha = alpha;
    prevValue = v;
    prevSlope = s;
    alpha *= 4;
  }
  return failed();

  /** Narrows [lo, hi], where lo decreases the objective and the slope at lo points to hi. */
  function zoom(lo: number, vLo: number, sLo: number, hi: number, vHi: number, sHi: number): LineSearchResult {
    while (evaluations < MAX_EVALUATIONS) {
      const width = hi - lo;
      if (Math.abs(width) <= 1e-16 * Math.max(Math.abs(lo), Math.abs(hi))) break;
      const alpha = interpolate(lo, vLo, sLo, hi, vHi, sHi);
      const { v, s } = evaluate(alpha);
      if (!Number.isFinite(v) || !Number.isFinite(s) || !decreases(alpha, v) || v > vLo + noise) {
        hi = alpha;
        vHi = v;
        sHi = s;
        continue;
      }
      if (curvatureOk(s)) return done(alpha, v);
      if (s * (hi - lo) >= 0) {
        hi = lo;
        vHi = vLo;
        sHi = sLo;
      }
      lo = alpha;
      vLo = v;
      sLo = s;
    }
    return failed();
  }
}

/**
 * The minimiser of the cubic through (lo, vLo, sLo) and (hi, vHi, sHi) (Nocedal & Wright
 * eq. 3.59), kept at least a tenth of the interval away from both ends; bisection when the
 * cubic has no minimiser there, and a short step when hi overflowed.
 */
function interpolate(lo: number, vLo: number, sLo: number, hi: number, vHi: number, sHi: number): number {
  const width = hi - lo;
  if (!Number.isFinite(vHi) || !Number.isFinite(sHi)) return lo + 0.1 * width;
  const d1 = sLo + sHi - (3 * (vLo - vHi)) / (lo - hi);
  const disc = d1 * d1 - sLo * sHi;
  let alpha = lo + 0.5 * width;
  if (disc >= 0) {
    const d2 = Math.sign(width) * Math.sqrt(disc);
    const candidate = hi - width * ((sHi + d2 - d1) / (sHi - sLo + 2 * d2));
    if (Number.isFinite(candidate)) alpha = candidate;
  }
  const a = lo + 0.1 * width;
  const b = hi - 0.1 * width;
  return width > 0 ? Math.min(Math.max(alpha, a), b) : Math.min(Math.max(alpha, b), a);
}
