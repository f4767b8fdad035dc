/**
 * checkOptimality: whether a fitted linear model satisfies the optimality condition of its
 * objective, for any parameters a user brings (a fit, a fit moved by hand, another library's
 * answer). The computation is the solvers' own certificate (core/certificate.ts).
 */
import { LossInputError, readGuarded, UnsupportedProblemError } from '../errors';
import type { Loss } from '../losses/types';
import type { MatrixLike } from '../matrix';
import { checkLoss, checkNonNegative, checkOptions, checkSameLength, toMatrix, toVector } from '../validate';
import type { Vec } from '../vec';
import { DEFAULT_KINK_TOLERANCE, type OptimalityReport, subgradientResidual } from './core/certificate';
import { checkBoolean, optional } from './core/options';
import type { Problem } from './types';

export type { OptimalityReport } from './core/certificate';

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
export function checkOptimality(
  X: MatrixLike,
  y: Vec,
  fit: FittedParameters,
  opts: CertificateOptions = {},
): OptimalityReport {
  if (typeof fit !== 'object' || fit === null) {
    throw new LossInputError({
      argument: 'fit',
      value: fit,
      problem: 'is missing',
      domain: '{ weights, intercept, loss, ... } (a LinearFit)',
    });
  }
  // Each field and array is read once, and the computation runs on what was checked: a getter
  // or Proxy could answer differently on a second read.
  const { loss, weights, intercept, fitIntercept, l1, l2 } = readGuarded('fit', () => {
    const { loss, weights, intercept, fitIntercept, l1, l2 } = fit;
    return { loss, weights, intercept, fitIntercept, l1, l2 };
  });
  checkLoss(loss);
  const id = loss.id;
  if (!loss.properties.convex) {
    throw new UnsupportedProblemError('checkOptimality', {
      loss: id,
      argument: 'loss',
      problem: 'is not convex, so 0 ∈ ∂F would not certify a minimiser',
      domain: 'a convex loss (for zeroOne in one dimension, fitThreshold is exact)',
    });
  }
  const M = toMatrix(X, 'X', id);
  const yv = toVector(id, 'y', y, loss.target);
  const n = yv.length;
  checkSameLength(id, 'y', n, 'the rows of X', M.rows);
  const w = toVector(id, 'weights', weights, 'real');
  const d = w.length;
  checkSameLength(id, 'weights', d, 'the columns of X', M.cols);
  if (typeof intercept !== 'number' || !Number.isFinite(intercept)) {
    throw new LossInputError({
      loss: id,
      argument: 'intercept',
      value: intercept,
      problem: 'is not a finite number',
      domain: 'a finite number',
    });
  }
  const problem: Problem = {
    X: M,
    y: new Float64Array(yv),
    loss,
    n,
    d,
    fitIntercept: checkBoolean(id, 'fitIntercept', optional(fitIntercept, true)),
    l1: checkNonNegative(id, 'l1', optional(l1, 0)),
    l2: checkNonNegative(id, 'l2', optional(l2, 0)),
  };
  const o = checkOptions(id, opts, ['kinkTolerance'], 'opts', 'an object such as { kinkTolerance }, or nothing');
  const kinkTolerance = checkNonNegative(id, 'kinkTolerance', optional(o.kinkTolerance, DEFAULT_KINK_TOLERANCE));
  return subgradientResidual(problem, w, intercept, kinkTolerance);
}
