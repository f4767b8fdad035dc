/**
 * Optimality certificates for a fitted linear model, shared by every solver and by
 * `checkOptimality`: how far 0 is from the subdifferential of the objective
 *   F(w, b) = (1/n) Σ loss(yᵢ, w·xᵢ + b) + l1 ‖w‖₁ + (l2/2) ‖w‖²
 * at the returned parameters. F is convex, so (w, b) minimises F exactly when
 * 0 ∈ ∂F(w, b) (Rockafellar, *Convex Analysis*, 1970, Thm 27.1); for a differentiable loss
 * without l1 penalty this is the gradient, and with it the lasso's soft-threshold
 * condition |∂ⱼ loss| <= l1 at every zero weight.
 */
import { boundedLeastSquares } from '../../linalg/bvls';
import { scores } from '../../linalg/dense';
import { powerOfTwoScale } from '../../linalg/scale';
import type { Loss } from '../../losses/types';
import { columnScales, scaleColumns } from './scaling';
import type { Problem } from '../types';

export interface OptimalityReport {
  /**
   * ‖g‖∞ for the smallest subgradient g ∈ ∂F(w, b) found (over the intercept too): 0 at a
   * minimiser. An upper bound on the distance from 0 to ∂F: at kinks the search over the
   * subdifferential is iterative. The partial derivative of a weight whose column has entries
   * beyond 2^64 in magnitude is measured per unit of that column's size (multiplied by the
   * power of two 2^-k >= its largest entry), the units in which every solver reports
   * `optimality`: otherwise rounding alone would leave it at 1e-16 × the column's size.
   * Infinity when the subgradient is beyond the largest double; never NaN.
   */
  residual: number;
  /** The size of the terms that make up the subgradient, for relative checks: residual / scale. */
  scale: number;
  /** Examples whose score sits at a kink of the loss (within `kinkTolerance`), where ∂loss is an interval. */
  atKink: number;
  /** Weights that are exactly 0 under an l1 penalty, where the penalty's subdifferential is [−l1, l1]. */
  zeroWeights: number;
}

/** `checkOptimality`'s default for `kinkTolerance`. */
export const DEFAULT_KINK_TOLERANCE = 1e-9;

/**
 * Every term of a residual is at most (largest double) × 2^64 (a derivative times an entry of
 * an ordinary column), and a sum has fewer than 2^53 of them: scaled by 2^-140 the sum stays
 * below 2^1001, so a second pass at that scale cannot overflow.
 */
const HEADROOM = 140;

/**
 * The residual `checkOptimality` reports, on an already validated problem (for solvers). The search over the
 * subdifferential: the loss terms at kinks contribute (1/n) tᵢ x̃ᵢ with tᵢ in the interval
 * of one-sided derivatives, zero weights contribute sⱼ ∈ [−l1, l1] to their coordinate;
 * bounded-variable least squares over these boxes finds the subgradient g of smallest
 * Euclidean norm, and its largest entry is reported. Any feasible choice is a subgradient,
 * so the residual is a valid upper bound even if the active-set search stops early.
 *
 * A solver that has multipliers for the kinks (the dual variables of lp and dualCD) passes
 * `kinkDerivative(i)`, the loss derivative it assigns to kink example i; clipped into the
 * interval it is a valid choice, and the search is skipped: the zero weights then decouple,
 * each sⱼ is the one closest to cancelling its coordinate, and the cost is one pass over X
 * however many examples sit at kinks.
 *
 * Units: a column beyond `LARGE_COLUMN` has its partial derivative measured per unit of its
 * largest entry (times the power of two `columnScales` gives it), as the solvers measure it;
 * in the original units a point optimal to rounding would show a residual of rounding error
 * times that entry. Terms that overflow (derivatives near the largest double) are summed
 * again scaled down by 2^-HEADROOM; a residual or scale beyond the largest double is
 * reported as Infinity, never NaN.
 */
export function subgradientResidual(
  p: Problem,
  w: ArrayLike<number>,
  b: number,
  kinkTolerance = DEFAULT_KINK_TOLERANCE,
  kinkDerivative?: (i: number) => number,
): OptimalityReport {
  const units = columnScales(p.X);
  const data = units === null ? p.X.data : scaleColumns(p, units).X.data;
  const first = residualTimes(p, data, units, w, b, kinkTolerance, kinkDerivative, 1);
  if (Number.isFinite(first.residual) && Number.isFinite(first.scale)) return first;
  const t = 2 ** -HEADROOM;
  const again = residualTimes(p, data, units, w, b, kinkTolerance, kinkDerivative, t);
  return { ...again, residual: notNaN(again.residual / t), scale: notNaN(again.scale / t) };
}

/** NaN (terms that overflowed with opposite signs) as +Infinity: no finite bound is known. */
function notNaN(v: number): number {
  return Number.isNaN(v) ? Infinity : v;
}

/**
 * The residual with every term multiplied by `t` (a power of two), on `data`: X with its large
 * columns scaled by `units` (null: none are).
 */
function residualTimes(
  p: Problem,
  data: Float64Array,
  units: Float64Array | null,
  w: ArrayLike<number>,
  b: number,
  kinkTolerance: number,
  kinkDerivative: ((i: number) => number) | undefined,
  t: number,
): OptimalityReport {
  const { X, y, loss, n, d } = p;
  const cols = d + (p.fitIntercept ? 1 : 0);
  const f = scores(X, w, b, new Float64Array(n));
  const g = new Float64Array(cols);
  const unit = (j: number): number => (units === null ? 1 : units[j]);
  let scale = 0;
  const kinkRows: number[] = [];
  const kinkLower: number[] = [];
  const kinkUpper: number[] = [];
  const kinks = loss.properties.kinks;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const fi = f[i];
    const at = kinks.length === 0 ? null : kinkScore(loss, yi, fi, kinkTolerance);
    let rowMax = p.fitIntercept ? 1 : 0;
    for (let j = 0, base = i * d; j < d; j++) rowMax = Math.max(rowMax, Math.abs(data[base + j]));
    const interval = at === null ? null : oneSidedDerivatives(loss, yi, at);
    const chosen =
      interval === null
        ? loss.derivative(yi, fi)
        : kinkDerivative === undefined
          ? null
          : Math.min(Math.max(kinkDerivative(i), interval[0]), interval[1]);
    if (chosen !== null) {
      const gi = (chosen * t) / n;
      scale += Math.abs(gi) * rowMax;
      for (let j = 0, base = i * d; j < d; j++) g[j] += gi * data[base + j];
      if (p.fitIntercept) g[d] += gi;
    } else if (interval !== null) {
      const [lo, hi] = interval;
      kinkRows.push(i);
      kinkLower.push((lo * t) / n);
      kinkUpper.push((hi * t) / n);
      scale += ((Math.max(Math.abs(lo), Math.abs(hi)) * t) / n) * rowMax;
    }
  }
  const zero: number[] = [];
  let l1Unit = 0;
  for (let j = 0; j < d; j++) {
    const u = unit(j) * t;
    if (p.l2 > 0) {
      const term = p.l2 * (w[j] * u);
      g[j] += term;
      scale += Math.abs(term);
    }
    if (p.l1 > 0) {
      if (w[j] === 0) zero.push(j);
      else g[j] += p.l1 * u * Math.sign(w[j]);
      l1Unit = Math.max(l1Unit, u);
    }
  }
  if (p.l1 > 0) scale += p.l1 * l1Unit;

  // The free part of the subgradient: one column per kink example (its row x̃ᵢ, coefficient
  // in [∂⁻, ∂⁺]/n) and per zero weight (eⱼ, coefficient in [−l1, l1]). Without kink columns
  // the zero weights decouple, and each sⱼ is the one closest to cancelling its coordinate.
  if (kinkRows.length === 0) {
    for (const j of zero) g[j] = Math.sign(g[j]) * Math.max(0, Math.abs(g[j]) - p.l1 * unit(j) * t);
  }
  const m = kinkRows.length === 0 ? 0 : kinkRows.length + zero.length;
  if (m > 0) {
    // Each column scaled to entries <= 1 and g to <= 1 by powers of two (exact), so that the
    // squares inside the least-squares solves cannot overflow; the boxes scale with them.
    const A = new Float64Array(cols * m);
    kinkRows.forEach((i, k) => {
      for (let j = 0; j < d; j++) A[j * m + k] = data[i * d + j];
      if (p.fitIntercept) A[d * m + k] = 1;
    });
    zero.forEach((j, k) => {
      A[j * m + kinkRows.length + k] = 1;
    });
    // sⱼ never needs to exceed what g and the kink columns can put in its coordinate; a box
    // far wider than that (l1 = 1e300) would only cost the search its precision.
    const reach = zero.map((j) => {
      let r = Math.abs(g[j]);
      kinkRows.forEach((_, k) => {
        r += Math.abs(A[j * m + k]) * Math.max(Math.abs(kinkLower[k]), Math.abs(kinkUpper[k]));
      });
      return Math.min(p.l1 * unit(j) * t, 2 * r);
    });
    const lower = [...kinkLower, ...reach.map((r) => -r)];
    const upper = [...kinkUpper, ...reach];
    const gScale = powerOfTwoScale(g.reduce((a, v) => Math.max(a, Math.abs(v)), 0));
    for (let k = 0; k < m; k++) {
      let largest = 0;
      for (let j = 0; j < cols; j++) largest = Math.max(largest, Math.abs(A[j * m + k]));
      const colScale = powerOfTwoScale(largest);
      for (let j = 0; j < cols; j++) A[j * m + k] *= colScale;
      lower[k] *= gScale / colScale;
      upper[k] *= gScale / colScale;
    }
    const coef = boundedLeastSquares(
      A,
      cols,
      m,
      g.map((v) => -v * gScale),
      lower,
      upper,
    );
    for (let j = 0; j < cols; j++) for (let k = 0; k < m; k++) g[j] += (A[j * m + k] * coef[k]) / gScale;
  }
  let residual = 0;
  for (let j = 0; j < cols; j++) residual = Math.max(residual, Math.abs(g[j]));
  return { residual, scale, atKink: kinkRows.length, zeroWeights: zero.length };
}

/** The score f_k at the kink example (y, f) sits at, or null when it is not within tolerance of one. */
function kinkScore(loss: Loss, y: number, f: number, tolerance: number): number | null {
  const { axis, kinks } = loss.properties;
  const slack = tolerance * (1 + Math.abs(y) + Math.abs(f));
  for (const kink of kinks) {
    if (axis === 'residual') {
      if (Math.abs(y - f - kink) <= slack) return y - kink;
    } else if (axis === 'margin') {
      if (Math.abs(y * f - kink) <= slack) return kink / y;
    }
  }
  return null;
}

/**
 * [∂⁻, ∂⁺] of the loss in f at the kink score fk: the derivative just left and right of it,
 * closer than any other kink, so both are on the pieces adjacent to this kink.
 */
function oneSidedDerivatives(loss: Loss, y: number, fk: number): [number, number] {
  const { kinks } = loss.properties;
  let spacing = Infinity;
  for (let a = 0; a < kinks.length; a++)
    for (let c = a + 1; c < kinks.length; c++) spacing = Math.min(spacing, Math.abs(kinks[a] - kinks[c]));
  const h = Math.min(1e-7 * (1 + Math.abs(fk)), spacing / 4);
  const left = loss.derivative(y, fk - h);
  const right = loss.derivative(y, fk + h);
  return left <= right ? [left, right] : [right, left];
}
