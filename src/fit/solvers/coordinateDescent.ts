/**
 * Cyclic coordinate descent for squared-error regression with l1 and l2 penalties (the lasso
 * and the elastic net), with exact zeros from soft-thresholding.
 */
import { mean } from '../../linalg/dense';
import { output, Progress, startingPoint } from '../core/progress';
import { l1At, l1Penalty, l2At, weightDot } from '../core/scaling';
import { converged, NOT_FINITE_AT_START, outOfIterations, stalled, type Ending } from '../core/stopping';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/** The optimality measure here, as reasons name it. */
const MEASURE = 'KKT residual';

/**
 * Minimises F(w, b) = (1/n) Σ (y_i - w·x_i - b)² + l1‖w‖₁ + (l2/2)‖w‖² (the l2 loss, or the
 * square loss, equal to it for labels ±1) by cyclic coordinate descent with "naive updates"
 * on a kept residual (Friedman, Hastie & Tibshirani, "Regularization paths for generalized
 * linear models via coordinate descent", J. Stat. Softw. 33(1), 2010, §2):
 *   w_j ← soft((2/n) X_jᵀ r + (2/n)‖X_j‖² w_j, l1) / ((2/n)‖X_j‖² + l2),  r ← r - X_j Δw_j.
 * With an intercept, X and y are centred first: for any w the best b is ȳ - x̄·w, so b
 * drops out and is recovered at the end, unpenalised. After a full sweep, sweeps run over
 * the non-zero coordinates only until they settle (the active-set strategy of the paper, §2.6),
 * then a full sweep checks the rest. Stops when the KKT residual ‖dist(0, ∂F)‖∞ ≤ tol,
 * computed on a freshly recomputed residual; `maxIter` counts sweeps.
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[1, 0], [0, 1], [1, 1], [2, 1], [0, 2]];
 * const y = [1, 2, 3, 4, 4];
 * const fit = fitLinear(X, y, { loss: losses.l2, l1: 0.5, solver: 'coordinateDescent' });
 * Array.from(fit.weights, (w) => w.toFixed(4)); // ["0.1848","0.9674"]
 * fit.converged;                                // true
 * ```
 */
export function coordinateDescent(p: Problem, settings: SolverSettings): SolverOutput {
  const { n, d, X, y } = p;
  const data = X.data;
  const theta = startingPoint(p, settings);
  const w = theta.subarray(0, d);

  // Column-major (centred) copy: each coordinate update reads one contiguous column.
  const cols = new Float64Array(n * d);
  const means = new Float64Array(d);
  let yMean = 0;
  if (p.fitIntercept) {
    for (let i = 0, base = 0; i < n; i++, base += d) for (let j = 0; j < d; j++) means[j] += data[base + j];
    for (let j = 0; j < d; j++) means[j] /= n;
    yMean = mean(y, n);
  }
  for (let i = 0, base = 0; i < n; i++, base += d)
    for (let j = 0; j < d; j++) cols[j * n + i] = data[base + j] - means[j];
  const scaledSq = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0, c = j * n; i < n; i++) s += cols[c + i] * cols[c + i];
    scaledSq[j] = (2 / n) * s;
  }
  const r = new Float64Array(n);
  const recomputeResidual = (): void => {
    for (let i = 0; i < n; i++) r[i] = y[i] - yMean;
    for (let j = 0; j < d; j++) {
      const wj = w[j];
      if (wj === 0) continue;
      for (let i = 0, c = j * n; i < n; i++) r[i] -= cols[c + i] * wj;
    }
  };
  const objective = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += r[i] * r[i];
    return s / n + l1Penalty(p, w) + 0.5 * p.l2 * weightDot(p, w, w);
  };
  /** ‖dist(0, ∂F(w))‖∞ with ∂_j S = -(2/n) X_jᵀ r + l2 w_j. */
  const kktResidual = (): number => {
    let worst = 0;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0, c = j * n; i < n; i++) s += cols[c + i] * r[i];
      const g = (-2 / n) * s + l2At(p, j) * w[j];
      const l1 = l1At(p, j);
      const wj = w[j];
      const v = wj > 0 ? Math.abs(g + l1) : wj < 0 ? Math.abs(g - l1) : Math.max(0, Math.abs(g) - l1);
      // NaN (residuals that overflowed) counts as Infinity: not finite, never NaN.
      if (!(v <= worst)) worst = Number.isNaN(v) ? Infinity : v;
    }
    return worst;
  };
  /** One pass over the coordinates (all, or only the non-zero ones); returns max_j a_j |Δw_j|. */
  const sweep = (activeOnly: boolean): number => {
    let largest = 0;
    for (let j = 0; j < d; j++) {
      const old = w[j];
      if (activeOnly && old === 0) continue;
      const a = scaledSq[j] + l2At(p, j);
      const l1 = l1At(p, j);
      let next = 0;
      if (a > 0) {
        let s = 0;
        for (let i = 0, c = j * n; i < n; i++) s += cols[c + i] * r[i];
        const z = (2 / n) * s + scaledSq[j] * old;
        next = z > l1 ? (z - l1) / a : z < -l1 ? (z + l1) / a : 0;
      }
      const delta = next - old;
      if (delta === 0) continue;
      w[j] = next;
      for (let i = 0, c = j * n; i < n; i++) r[i] -= cols[c + i] * delta;
      largest = Math.max(largest, a * Math.abs(delta));
    }
    return largest;
  };

  const progress = new Progress(settings.onIteration);
  recomputeResidual();
  let kkt = kktResidual();
  const start = objective();
  progress.record(0, start, kkt);
  const finish = (iterations: number, end: Ending): SolverOutput => {
    if (p.fitIntercept) {
      let xw = 0;
      for (let j = 0; j < d; j++) xw += means[j] * w[j];
      theta[d] = yMean - xw;
    }
    return output(p, theta, iterations, end, progress, kkt);
  };

  // Targets so large that the squared residuals overflow: no sweep can make sense of Infinity.
  if (!Number.isFinite(start) || !Number.isFinite(kkt))
    return finish(0, stalled(MEASURE, kkt, settings.tol, `${NOT_FINITE_AT_START}; objective ${start}`));
  let sweeps = 0;
  for (;;) {
    if (kkt <= settings.tol) return finish(sweeps, converged(MEASURE, kkt, settings.tol));
    if (sweeps >= settings.maxIter)
      return finish(sweeps, outOfIterations(settings.maxIter, 'sweeps', MEASURE, kkt, settings.tol));
    let change = sweep(false);
    sweeps++;
    progress.record(sweeps, objective());
    while (change > settings.tol && sweeps < settings.maxIter) {
      change = sweep(true);
      sweeps++;
      progress.record(sweeps, objective());
    }
    recomputeResidual();
    kkt = kktResidual();
  }
}

export const coordinateDescentSolver: SolverEntry = {
  name: 'coordinateDescent',
  columnScaled: true,
  solve: coordinateDescent,
  unsupported: (p) =>
    p.loss.capabilities.squaredError === true
      ? null
      : `coordinateDescent solves squared-error losses (l2, square, or a loss declaring capabilities.squaredError), not ${p.loss.id}`,
  preferredFor: (p) => p.l1 > 0,
};
