/**
 * The intercept search of dualCD. Appending a constant feature (LIBLINEAR's bias) would
 * penalise b, which this objective does not; and with b free the dual gains the constraint
 * Σ αᵢ yᵢ = 0, along which no single coordinate can move. Instead b is found by an outer 1-D
 * minimisation of the convex g(b) = min_w P(w, b). By weak duality every α from an inner solve
 * gives an affine minorant g(b) ≥ D(α) − b Σ αᵢ yᵢ, valid for all b however inexact α is. The
 * outer loop is Kelley's cutting-plane method on these minorants (Kelley, "The cutting-plane
 * method for solving convex programs", J. SIAM 8(4), 1960): the next b is the minimiser of their
 * upper envelope, which in 1-D is where the best rising and falling minorants cross, so at a
 * kink of g (common for the hinge) the two tangents meet at the kink itself. Until minorants of
 * both slopes exist, b moves in doubling steps. Each inner solve is warm-started from the dual
 * solution nearest in b and runs to a tenth of the current gap.
 *
 * Also here: the exact intercept of a fixed w (a sort of the n breakpoints), which every primal
 * point gets.
 */
import type { SolverOutput } from '../../types';
import { FIRST_INNER_TOL, INNER_SHARE, POLISH_BELOW, type DualRun } from './run';

/** Minorants (dual points, n numbers each) kept for the outer search. */
const MAX_MINORANTS = 8;

/** Minorant g(b) ≥ (value − b slope) (times l2), from the dual point alpha with w(alpha) = w. */
interface Minorant {
  b: number;
  value: number;
  slope: number;
  alpha: Float64Array;
  w: Float64Array;
}

/**
 * The outer search over b, from `settings.initialIntercept`, each inner solve certified by the
 * mixture of the two minorants that cross at the envelope's minimum (see `bestMixture`).
 */
export function searchIntercept(run: DualRun): SolverOutput {
  const { p, settings, dual, best, progress } = run;
  const { n, d, y, l2 } = p;
  const { tol } = settings;
  const { alpha, w } = dual;
  const minorants: Minorant[] = [];
  const mixAlpha = new Float64Array(n);
  const mixW = new Float64Array(d);
  /**
   * l2 D(α') for α' = α with the class of larger Σ αᵢ scaled down so that Σ α'ᵢ yᵢ = 0
   * (feasible, as scaling down keeps the box); offers w(α') as a primal point.
   */
  const projectedLowerBound = (): number => {
    let sumPos = 0;
    let sumNeg = 0;
    for (let i = 0; i < n; i++)
      if (y[i] > 0) sumPos += alpha[i];
      else sumNeg += alpha[i];
    const shrinkPositive = sumPos > sumNeg;
    const factor = sumPos === sumNeg ? 1 : shrinkPositive ? sumNeg / sumPos : sumPos / sumNeg;
    const data = p.X.data;
    mixW.fill(0);
    for (let i = 0, base = 0; i < n; i++, base += d) {
      const a = y[i] > 0 === shrinkPositive ? alpha[i] * factor : alpha[i];
      mixAlpha[i] = a;
      if (a !== 0) for (let j = 0; j < d; j++) mixW[j] += a * y[i] * data[base + j];
    }
    best.offer(mixW, mixAlpha);
    return dual.value(mixAlpha, mixW) - Math.abs(l2 * best.b * dual.ySum(mixAlpha));
  };

  let b = settings.initialIntercept;
  progress.record(0, best.objectiveAt(w, b));
  let innerTol = Math.max(tol, FIRST_INNER_TOL);
  let step = 1;
  for (;;) {
    if (run.solveInner(b, innerTol)) return run.converged();
    const slope = l2 * dual.ySum(alpha);
    minorants.push({ b, value: dual.value(alpha, w), slope, alpha: Float64Array.from(alpha), w: Float64Array.from(w) });
    best.offer(w, alpha);

    const pair = bestMixture(minorants);
    if (pair === null) {
      // Every minorant falls (or every one rises): the minimiser lies further on. Meanwhile
      // scaling down one class of α gives a feasible dual point, hence a (weaker) certificate.
      run.gap = Math.max(0, best.value - projectedLowerBound());
      if (run.gap <= tol) return run.converged();
      if (run.epochs >= settings.maxIter) return run.exhausted();
      b += slope > 0 ? step : -step;
      step *= 2;
      continue;
    }
    const { falling, rising, theta, at } = pair;
    for (let i = 0; i < n; i++) mixAlpha[i] = theta * falling.alpha[i] + (1 - theta) * rising.alpha[i];
    for (let j = 0; j < d; j++) mixW[j] = theta * falling.w[j] + (1 - theta) * rising.w[j];
    best.offer(mixW, mixAlpha);
    // Rounding leaves Σ α_i y_i ≈ 1e-16 Σ α_i; weak duality then holds up to |b Σ α_i y_i|.
    const lower = dual.value(mixAlpha, mixW) - Math.abs(l2 * best.b * dual.ySum(mixAlpha));
    run.gap = Math.max(0, best.value - lower);
    if (run.gap <= tol || (run.gap <= POLISH_BELOW && run.polished(mixAlpha, best.w, best.b))) return run.converged();
    if (run.epochs >= settings.maxIter) return run.exhausted();

    innerTol = Math.max(tol, run.gap) * INNER_SHARE;
    b = at;
    let nearest = minorants[0];
    for (const m of minorants) if (Math.abs(m.b - b) < Math.abs(nearest.b - b)) nearest = m;
    alpha.set(nearest.alpha);
    w.set(nearest.w);
    // Memory: keep the two defining the envelope's minimum and the newest others.
    if (minorants.length > MAX_MINORANTS) {
      const drop = minorants.findIndex((m) => m !== falling && m !== rising);
      minorants.splice(drop, 1);
    }
  }
}

/**
 * The best lower bound the minorants give, min over b of max_k (value_k - b slope_k), and where
 * it is attained. By LP duality it equals the best convex combination Σ θ_k value_k with
 * Σ θ_k slope_k = 0, and an optimal combination has one minorant of slope 0, or one falling
 * (slope > 0: the lines are value - b·slope) and one rising: so each flat minorant and each
 * falling–rising pair is a candidate, the one with the largest value wins, and its θ mixes
 * the two dual points into a feasible one. Null until a candidate exists.
 */
function bestMixture<M extends { b: number; value: number; slope: number }>(
  lines: readonly M[],
): { falling: M; rising: M; theta: number; at: number } | null {
  let best: { falling: M; rising: M; theta: number; at: number } | null = null;
  let bestValue = -Infinity;
  for (const f of lines) {
    if (f.slope === 0 && f.value > bestValue) {
      bestValue = f.value;
      best = { falling: f, rising: f, theta: 1, at: f.b };
    }
    if (!(f.slope > 0)) continue;
    for (const r of lines) {
      if (!(r.slope < 0)) continue;
      const theta = -r.slope / (f.slope - r.slope);
      const value = theta * f.value + (1 - theta) * r.value;
      if (value > bestValue) {
        bestValue = value;
        best = { falling: f, rising: r, theta, at: (f.value - r.value) / (f.slope - r.slope) };
      }
    }
  }
  return best;
}

/**
 * argmin_b Σ max(0, 1 - y_i (s_i + b)). The slope in b rises by 1 at each breakpoint
 * b_i = y_i - s_i, from -#positives, so the minimisers are the interval between the P-th and
 * (P+1)-th smallest breakpoints (P = #positives); its midpoint is returned.
 */
export function hingeIntercept(y: Float64Array, s: Float64Array, n: number): number {
  const bp = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    bp[i] = y[i] - s[i];
    if (y[i] > 0) positives++;
  }
  bp.sort();
  if (positives === 0) return bp[0];
  if (positives === n) return bp[n - 1];
  return 0.5 * (bp[positives - 1] + bp[positives]);
}

/**
 * argmin_b Σ max(0, 1 - y_i (s_i + b))². With breakpoints b_i = y_i - s_i the derivative is
 * 2 [Σ_{positives, b_i > b} (b - b_i) + Σ_{negatives, b_i < b} (b - b_i)]: continuous,
 * non-decreasing and linear between breakpoints, so one merged scan of the sorted breakpoints
 * finds its zero exactly.
 */
export function squaredHingeIntercept(y: Float64Array, s: Float64Array, n: number): number {
  let np = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) np++;
  const pos = new Float64Array(np);
  const neg = new Float64Array(n - np);
  let sumPos = 0;
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    const v = y[i] - s[i];
    if (y[i] > 0) {
      pos[a++] = v;
      sumPos += v;
    } else neg[b++] = v;
  }
  pos.sort();
  neg.sort();
  // Left of the current breakpoint: positives not yet passed are active, negatives passed are.
  let kPos = np;
  let kNeg = 0;
  let sumNeg = 0;
  let last = -Infinity;
  for (let a = 0, b = 0; a < np || b < neg.length; ) {
    const fromPos = b >= neg.length || (a < np && pos[a] <= neg[b]);
    const v = fromPos ? pos[a] : neg[b];
    const slope = (kPos + kNeg) * v - sumPos - sumNeg;
    if (slope >= 0) return kPos + kNeg > 0 ? (sumPos + sumNeg) / (kPos + kNeg) : v;
    if (fromPos) {
      kPos--;
      sumPos -= v;
      a++;
    } else {
      kNeg++;
      sumNeg += v;
      b++;
    }
    last = v;
  }
  return kPos + kNeg > 0 ? (sumPos + sumNeg) / (kPos + kNeg) : last;
}
