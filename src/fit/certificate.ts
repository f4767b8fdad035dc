/**
 * Optimality certificates for a fitted linear model, shared by every solver and by the
 * tests: how far 0 is from the subdifferential of the objective
 *   F(w, b) = (1/n) Σ loss(yᵢ, w·xᵢ + b) + l1 ‖w‖₁ + (l2/2) ‖w‖²
 * at the returned parameters. F is convex, so (w, b) minimises F exactly when
 * 0 ∈ ∂F(w, b) (Rockafellar, *Convex Analysis*, 1970, Thm 27.1); for a differentiable loss
 * without l1 penalty this is the gradient, and with it the lasso's soft-threshold
 * condition |∂ⱼ loss| <= l1 at every zero weight.
 */
import { LossInputError } from '../errors';
import { boundedLeastSquares } from '../linalg/bvls';
import { scores } from '../linalg/dense';
import { powerOfTwoScale } from '../linalg/scale';
import type { Loss, Vec } from '../losses/types';
import type { MatrixLike } from '../matrix';
import { checkLoss, checkNonNegative, checkSameLength, checkVector, toMatrix } from '../validate';
import { checkBoolean, optional } from './options';
import type { Problem } from './types';

export interface OptimalityReport {
  /**
   * ‖g‖∞ for the smallest subgradient g ∈ ∂F(w, b) found (over the intercept too): 0 at a
   * minimiser. An upper bound on the distance from 0 to ∂F: at kinks the search over the
   * subdifferential is iterative.
   */
  residual: number;
  /** The size of the terms that make up the subgradient, for relative checks: residual / scale. */
  scale: number;
  /** Examples whose score sits at a kink of the loss (within `kinkTolerance`), where ∂loss is an interval. */
  atKink: number;
  /** Weights that are exactly 0 under an l1 penalty, where the penalty's subdifferential is [−l1, l1]. */
  zeroWeights: number;
}

export interface CertificateOptions {
  /**
   * An example counts as at a kink when its residual (or margin) is within
   * `kinkTolerance · (1 + |y| + |f|)` of the kink (default 1e-9): exact solvers land on kinks
   * up to rounding, which this absorbs.
   */
  kinkTolerance?: number;
}

/** A fitted model's parameters and the problem they were fitted to. */
export interface FittedParameters {
  weights: ArrayLike<number>;
  intercept: number;
  loss: Loss;
  fitIntercept?: boolean;
  l1?: number;
  l2?: number;
}

/**
 * How far (w, b) is from satisfying the optimality condition 0 ∈ ∂F(w, b) of
 * F = (1/n) Σ loss(yᵢ, w·xᵢ + b) + l1 ‖w‖₁ + (l2/2) ‖w‖². Pass a `LinearFit` as `fit`.
 *
 * @example
 * ```ts
 * import { fitLinear, losses, checkOptimality } from 'losslab';
 * const X = [[0], [1], [2], [3], [4]];
 * const y = [0, 1.5, 1.8, 3.2, 3.9];
 * const fit = fitLinear(X, y, { loss: losses.l1 });
 * checkOptimality(X, y, fit).residual < 1e-12;  // true
 * checkOptimality(X, y, { ...fit, intercept: fit.intercept + 0.1 }).residual > 0.1;  // true
 * ```
 */
export function checkOptimality(X: MatrixLike, y: Vec, fit: FittedParameters, opts: CertificateOptions = {}): OptimalityReport {
  if (typeof fit !== 'object' || fit === null) {
    throw new LossInputError({ argument: 'fit', value: fit, problem: 'is missing', domain: '{ weights, intercept, loss, ... } (a LinearFit)' });
  }
  checkLoss(fit.loss);
  const id = fit.loss.id;
  if (!fit.loss.properties.convex) {
    throw new LossInputError({
      loss: id, argument: 'loss', problem: 'is not convex, so 0 ∈ ∂F would not certify a minimiser',
      domain: 'a convex loss (for zeroOne in one dimension, fitThreshold is exact)',
    });
  }
  const M = toMatrix(X, 'X', id);
  const n = checkVector(id, 'y', y, fit.loss.target);
  checkSameLength(id, 'y', n, 'the rows of X', M.rows);
  const d = checkVector(id, 'weights', fit.weights, 'real');
  checkSameLength(id, 'weights', d, 'the columns of X', M.cols);
  if (typeof fit.intercept !== 'number' || !Number.isFinite(fit.intercept)) {
    throw new LossInputError({ loss: id, argument: 'intercept', value: fit.intercept, problem: 'is not a finite number', domain: 'a finite number' });
  }
  const problem: Problem = {
    X: M, y: Float64Array.from(y), loss: fit.loss, n, d,
    fitIntercept: checkBoolean(id, 'fitIntercept', optional(fit.fitIntercept, true)),
    l1: checkNonNegative(id, 'l1', optional(fit.l1, 0)),
    l2: checkNonNegative(id, 'l2', optional(fit.l2, 0)),
  };
  if (typeof opts !== 'object' || opts === null) {
    throw new LossInputError({ loss: id, argument: 'opts', value: opts, problem: 'is not an options object', domain: 'an object such as { kinkTolerance }, or nothing' });
  }
  const kinkTolerance = checkNonNegative(id, 'kinkTolerance', optional(opts.kinkTolerance, DEFAULT_KINK_TOLERANCE));
  return subgradientResidual(problem, fit.weights, fit.intercept, kinkTolerance);
}

const DEFAULT_KINK_TOLERANCE = 1e-9;

/**
 * `checkOptimality` on an already validated problem (for solvers). The search over the
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
 */
export function subgradientResidual(
  p: Problem, w: ArrayLike<number>, b: number, kinkTolerance = DEFAULT_KINK_TOLERANCE, kinkDerivative?: (i: number) => number,
): OptimalityReport {
  const { X, y, loss, n, d } = p;
  const cols = d + (p.fitIntercept ? 1 : 0);
  const f = scores(X, w, b, new Float64Array(n));
  const g = new Float64Array(cols);
  let scale = 0;
  const kinkRows: number[] = [];
  const kinkLower: number[] = [];
  const kinkUpper: number[] = [];
  const kinks = loss.properties.kinks;
  const data = X.data;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const fi = f[i];
    const at = kinks.length === 0 ? null : kinkScore(loss, yi, fi, kinkTolerance);
    let rowMax = p.fitIntercept ? 1 : 0;
    for (let j = 0, base = i * d; j < d; j++) rowMax = Math.max(rowMax, Math.abs(data[base + j]));
    const interval = at === null ? null : oneSidedDerivatives(loss, yi, at);
    const chosen = interval === null ? loss.derivative(yi, fi)
      : kinkDerivative === undefined ? null : Math.min(Math.max(kinkDerivative(i), interval[0]), interval[1]);
    if (chosen !== null) {
      const gi = chosen / n;
      scale += Math.abs(gi) * rowMax;
      for (let j = 0, base = i * d; j < d; j++) g[j] += gi * data[base + j];
      if (p.fitIntercept) g[d] += gi;
    } else if (interval !== null) {
      const [lo, hi] = interval;
      kinkRows.push(i);
      kinkLower.push(lo / n);
      kinkUpper.push(hi / n);
      scale += (Math.max(Math.abs(lo), Math.abs(hi)) / n) * rowMax;
    }
  }
  const zero: number[] = [];
  for (let j = 0; j < d; j++) {
    if (p.l2 > 0) {
      g[j] += p.l2 * w[j];
      scale += Math.abs(p.l2 * w[j]);
    }
    if (p.l1 > 0) {
      if (w[j] === 0) zero.push(j);
      else g[j] += p.l1 * Math.sign(w[j]);
    }
  }
  if (p.l1 > 0) scale += p.l1;

  // The free part of the subgradient: one column per kink example (its row x̃ᵢ, coefficient
  // in [∂⁻, ∂⁺]/n) and per zero weight (eⱼ, coefficient in [−l1, l1]).
  if (kinkRows.length === 0 && kinkDerivative !== undefined) {
    for (const j of zero) g[j] = Math.sign(g[j]) * Math.max(0, Math.abs(g[j]) - p.l1);
  }
  const m = kinkRows.length === 0 && kinkDerivative !== undefined ? 0 : kinkRows.length + zero.length;
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
    const lower = [...kinkLower, ...zero.map(() => -p.l1)];
    const upper = [...kinkUpper, ...zero.map(() => p.l1)];
    const gScale = powerOfTwoScale(g.reduce((a, v) => Math.max(a, Math.abs(v)), 0));
    for (let k = 0; k < m; k++) {
      let largest = 0;
      for (let j = 0; j < cols; j++) largest = Math.max(largest, Math.abs(A[j * m + k]));
      const colScale = powerOfTwoScale(largest);
      for (let j = 0; j < cols; j++) A[j * m + k] *= colScale;
      lower[k] *= gScale / colScale;
      upper[k] *= gScale / colScale;
    }
    const coef = boundedLeastSquares(A, cols, m, g.map((v) => -v * gScale), lower, upper);
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
  for (let a = 0; a < kinks.length; a++) for (let c = a + 1; c < kinks.length; c++) spacing = Math.min(spacing, Math.abs(kinks[a] - kinks[c]));
  const h = Math.min(1e-7 * (1 + Math.abs(fk)), spacing / 4);
  const left = loss.derivative(y, fk - h);
  const right = loss.derivative(y, fk + h);
  return left <= right ? [left, right] : [right, left];
}
