/**
 * Regularisation paths: fits over a decreasing sequence of l1 penalties, each warm-started
 * from the previous one (Friedman, Hastie & Tibshirani, "Regularization paths for generalized
 * linear models via coordinate descent", J. Stat. Softw. 33(1), 2010, §2.5).
 */
import { LossInputError, UnsupportedProblemError } from '../errors';
import { transposeTimes } from '../linalg/dense';
import type { Vec } from '../vec';
import type { MatrixLike } from '../matrix';
import { checkScalar } from '../validate';
import { fitLinear, makeProblem, readFitOptions } from './fitLinear';
import { optional } from './core/options';
import { maxAbs } from './core/progress';
import { newton } from './solvers/newton';
import type { FitOptions, LinearFit, Problem } from './types';

export interface PathOptions extends Omit<FitOptions, 'l1' | 'initialWeights' | 'initialIntercept'> {
  /**
   * The l1 values to fit, in any order (fitted from the largest down; at most `MAX_PATH_VALUES`);
   * default: `nValues` from l1Max down.
   */
  l1Values?: ArrayLike<number>;
  /** Number of l1 values when `l1Values` is not given (default 100, at most `MAX_PATH_VALUES`). */
  nValues?: number;
  /** Smallest l1 as a fraction of l1Max (default 1e-4 when n > d, else 1e-2, as glmnet). */
  l1MinRatio?: number;
}

/** The fields of PathOptions, which readFitOptions copies. */
const PATH_KEYS = [
  'loss',
  'fitIntercept',
  'l2',
  'solver',
  'maxIter',
  'tol',
  'onIteration',
  'stepSize',
  'batchSize',
  'seed',
  'l1Values',
  'nValues',
  'l1MinRatio',
] as const satisfies readonly (keyof PathOptions)[];

export interface LinearPath {
  /** The smallest l1 at which every weight is 0. */
  l1Max: number;
  /** The l1 values fitted, largest first. */
  l1Values: number[];
  /** One fit per l1 value, in the same order, each with its own `status` and `reason`. */
  fits: LinearFit[];
}

const DEFAULT_VALUES = 100;
/**
 * Most l1 values a path fits: each is a whole fit kept in the result (weights and a history of
 * up to HISTORY_LIMIT entries), so the count is bounded like any size that allocates. Ten
 * times glmnet's default of 100.
 */
export const MAX_PATH_VALUES = 1000;

/**
 * Fits (1/n) Σ loss(y_i, w·x_i + b) + l1‖w‖₁ + (l2/2)‖w‖² for a decreasing sequence of l1,
 * each fit starting from the previous solution. The sequence starts at
 *   l1Max = ‖∇_w S(0, b₀)‖∞ = max_j |(1/n) Σ_i loss'(y_i, b₀) x_ij|,
 * with b₀ the best intercept of the model w = 0: the KKT conditions of the l1 penalty make
 * w = 0 optimal exactly when l1 ≥ l1Max. By default 100 values follow, evenly spaced in
 * log scale down to l1MinRatio · l1Max. Each fit goes through `fitLinear` (so `solver`
 * defaults to 'auto': coordinate descent for the l2 loss, proximal gradient otherwise), and
 * each has its own `status` (see `FitStatus`), `converged` and `reason`. The loss must be
 * differentiable and convex.
 *
 * @example
 * ```ts
 * import { fitPath, losses } from 'losslab';
 * const X = [[1, 0], [0, 1], [1, 1], [2, 1], [0, 2]];
 * const y = [1, 2, 3, 4, 4];
 * const path = fitPath(X, y, { loss: losses.l2, l1Values: [2, 1, 0.1] });
 * path.l1Max.toFixed(6);        // "1.200000"
 * path.fits[1].weights[0];      // 0  (an exact zero)
 * path.fits.map((f) => f.status); // ["converged","converged","converged"]
 * path.fits.map((f) => Array.from(f.weights, (w) => w.toFixed(3))); // [["0.000","0.000"],["0.000","0.250"],["0.837","1.793"]]
 * ```
 */
export function fitPath(X: MatrixLike, y: Vec, opts: PathOptions): LinearPath {
  const o = readFitOptions(opts, PATH_KEYS);
  const problem = makeProblem(X, y, { ...o, l1: 0 });
  const { loss } = problem;
  if (!loss.properties.differentiable || !loss.properties.convex) {
    throw new UnsupportedProblemError('fitPath', {
      loss: loss.id,
      argument: 'loss',
      problem:
        "is not differentiable and convex, which the path's solvers (proximal gradient, coordinate descent) need",
      domain: 'a differentiable convex loss such as l2, logistic or huber',
    });
  }

  const sequence = pathSequence(problem, o);
  const { intercept, l1Max } = startOfPath(problem, o.tol);
  const l1Values = sequence(l1Max);
  const { l1Values: _values, nValues: _n, l1MinRatio: _ratio, ...fitOptions } = o;
  const fits: LinearFit[] = [];
  let weights: Float64Array = new Float64Array(problem.d);
  let b = intercept;
  for (const l1 of l1Values) {
    const fit = fitLinear(problem.X, problem.y, { ...fitOptions, l1, initialWeights: weights, initialIntercept: b });
    fits.push(fit);
    weights = fit.weights;
    b = fit.intercept;
  }
  return { l1Max, l1Values, fits };
}

/** b₀ (the intercept-only fit, 0 without an intercept) and l1Max = ‖∇_w S(0, b₀)‖∞. */
function startOfPath(p: Problem, tol: number | undefined): { intercept: number; l1Max: number } {
  const { n, d, y, loss } = p;
  let intercept = 0;
  if (p.fitIntercept) {
    const constant: Problem = { ...p, X: { rows: n, cols: 0, data: new Float64Array(0) }, d: 0, l1: 0, l2: 0 };
    const fit = newton(constant, {
      maxIter: 100,
      tol: tol ?? 1e-10,
      onIteration: undefined,
      initialWeights: undefined,
      initialIntercept: 0,
      stepSize: undefined,
      batchSize: 1,
      seed: 0,
    });
    if (fit.status !== 'converged') {
      throw new LossInputError({
        loss: loss.id,
        argument: 'y',
        problem: `has no finite best constant prediction (${fit.reason})`,
        domain: 'targets whose intercept-only model has a minimiser (e.g. both classes present)',
      });
    }
    intercept = fit.intercept;
  }
  const f = new Float64Array(n).fill(intercept);
  const g = new Float64Array(n);
  loss.kernels.derivatives(y, f, g, n);
  const grad = transposeTimes(p.X, g, new Float64Array(d));
  return { intercept, l1Max: maxAbs(grad, d) / n };
}

/**
 * Validates the options that fix the l1 values before any fitting, and returns the function
 * that gives the values, largest first, once l1Max is known.
 */
function pathSequence(p: Problem, opts: PathOptions): (l1Max: number) => number[] {
  const id = p.loss.id;
  if (opts.l1Values !== undefined) {
    const given = opts.l1Values;
    if (typeof given !== 'object' || given === null || typeof given.length !== 'number') {
      throw new LossInputError({
        loss: id,
        argument: 'l1Values',
        value: given,
        problem: 'is not an array of numbers',
        domain: 'number[] or Float64Array of l1 values >= 0',
      });
    }
    if (given.length === 0)
      throw new LossInputError({
        loss: id,
        argument: 'l1Values',
        problem: 'is empty',
        domain: 'at least one l1 value >= 0',
      });
    if (given.length > MAX_PATH_VALUES) {
      throw new LossInputError({
        loss: id,
        argument: 'l1Values',
        problem: `has ${given.length} values`,
        domain: `at most ${MAX_PATH_VALUES} values`,
      });
    }
    const values = Array.from(given, (v, i) => checkScalar(id, `l1Values[${i}]`, v, 'nonnegative')).sort(
      (a, b) => b - a,
    );
    return () => values;
  }
  const count = optional(opts.nValues, DEFAULT_VALUES);
  if (!Number.isInteger(count) || count < 1 || count > MAX_PATH_VALUES) {
    throw new LossInputError({
      loss: id,
      argument: 'nValues',
      value: count,
      problem: `is not an integer from 1 to ${MAX_PATH_VALUES}`,
      domain: `an integer from 1 to ${MAX_PATH_VALUES}`,
    });
  }
  const ratio = optional(opts.l1MinRatio, p.n > p.d ? 1e-4 : 1e-2);
  if (!(typeof ratio === 'number' && ratio > 0 && ratio <= 1)) {
    throw new LossInputError({
      loss: id,
      argument: 'l1MinRatio',
      value: ratio,
      problem: 'is not in (0, 1]',
      domain: 'a number in (0, 1]',
    });
  }
  return (l1Max) => {
    if (l1Max === 0) return [0];
    if (count === 1) return [l1Max];
    return Array.from({ length: count }, (_, k) => l1Max * ratio ** (k / (count - 1)));
  };
}
