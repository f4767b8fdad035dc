/**
 * L-BFGS (Nocedal, "Updating quasi-Newton matrices with limited storage", Math. Comp. 35,
 * 1980; Liu & Nocedal, Math. Program. 45, 1989) on the smooth objective, with the Wolfe line
 * search of `lineSearch.ts`. Stops when ‖∇S‖∞ ≤ tol.
 */
import { dot } from '../../linalg/dense';
import { wolfeLineSearch } from '../core/lineSearch';
import { maxAbs } from '../core/progress';
import { SmoothRun } from '../core/smoothRun';
import { firstReason, needsConvex, needsDifferentiable, needsNoL1 } from '../core/support';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/** Pairs (s, y) kept: scipy's and scikit-learn's default. */
const MEMORY = 10;

/**
 * Minimises S(θ) = (1/n) Σ loss(y_i, w·x_i + b) + (l2/2)‖w‖² for a differentiable convex loss
 * by limited-memory BFGS with the two-loop recursion (Nocedal & Wright, *Numerical
 * Optimization*, 2006, Algorithm 7.4). The initial matrix is H₀ = γ P with γ = sᵀy / yᵀPy and
 * P the inverse of the Hessian's diagonal at the start: this diagonal preconditioning makes
 * the iteration count insensitive to the scale of the features (logistic, n = 1e5, d = 20,
 * features spread over two orders of magnitude: 634 iterations without P, 11 with it).
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * const y = [-1, -1, 1, -1, 1, 1];
 * const fit = fitLinear(X, y, { loss: losses.logistic, l2: 0.1, solver: 'lbfgs' });
 * fit.converged;              // true
 * fit.weights[0].toFixed(6);  // "0.947954"
 * ```
 */
export function lbfgs(p: Problem, settings: SolverSettings): SolverOutput {
  const run = new SmoothRun(p, settings);
  const { S, m, theta, grad } = run;
  const dir = new Float64Array(m);
  const previousGrad = new Float64Array(m);
  const sHist = Array.from({ length: MEMORY }, () => new Float64Array(m));
  const yHist = Array.from({ length: MEMORY }, () => new Float64Array(m));
  const rho = new Float64Array(MEMORY);
  const alphaBuf = new Float64Array(MEMORY);
  let sNew = new Float64Array(m);
  let yNew = new Float64Array(m);
  let stored = 0;
  let newest = -1;

  const precondition = S.inverseHessianDiagonal();
  const bad = run.badStart();
  if (bad !== null) return bad;

  for (let k = 1; ; k++) {
    // The scores are updated incrementally; a small gradient is certified at fresh ones.
    const stop = run.stopBefore(k, { recheck: true });
    if (stop !== null) return stop;

    twoLoop(grad, dir);
    let slope0 = dot(grad, dir, m);
    if (!(slope0 < 0)) {
      stored = 0;
      twoLoop(grad, dir);
      slope0 = dot(grad, dir, m);
    }
    if (S.setLine(theta, dir)) slope0 = dot(grad, dir, m);
    let search = wolfeLineSearch(S, run.value, slope0, stored === 0 ? Math.min(1, 1 / maxAbs(dir, m)) : 1);
    if (search.alpha === 0 && stored > 0) {
      // A stale curvature model can point almost orthogonally to the gradient: restart from steepest descent.
      stored = 0;
      twoLoop(grad, dir);
      slope0 = dot(grad, dir, m);
      if (S.setLine(theta, dir)) slope0 = dot(grad, dir, m);
      search = wolfeLineSearch(S, run.value, slope0, Math.min(1, 1 / maxAbs(dir, m)));
    }
    if (search.alpha === 0) return run.flat(k);
    previousGrad.set(grad);
    run.value = S.step(theta, dir, search.alpha, grad);
    run.gnorm = maxAbs(grad, m);
    run.record(k);

    for (let j = 0; j < m; j++) {
      sNew[j] = search.alpha * dir[j];
      yNew[j] = grad[j] - previousGrad[j];
    }
    const sy = dot(sNew, yNew, m);
    // Without positive curvature along s (possible after an approximate-Wolfe step) the pair
    // would break the positive definiteness of H: skip it.
    if (sy > 1e-16 * dot(yNew, yNew, m) && sy > 0) {
      newest = (newest + 1) % MEMORY;
      [sHist[newest], sNew] = [sNew, sHist[newest]];
      [yHist[newest], yNew] = [yNew, yHist[newest]];
      rho[newest] = 1 / sy;
      stored = Math.min(stored + 1, MEMORY);
    }
  }

  /**
   * dir = -H g with H the L-BFGS inverse-Hessian approximation of the `stored` newest pairs,
   * built on H₀ = γ P (P the diagonal preconditioner, γ = sᵀy / yᵀPy from the newest pair).
   */
  function twoLoop(g: Float64Array, out: Float64Array): void {
    for (let j = 0; j < m; j++) out[j] = -g[j];
    if (stored === 0) {
      for (let j = 0; j < m; j++) out[j] *= precondition[j];
      return;
    }
    for (let t = 0, idx = newest; t < stored; t++, idx = (idx + MEMORY - 1) % MEMORY) {
      const a = rho[idx] * dot(sHist[idx], out, m);
      alphaBuf[idx] = a;
      const yv = yHist[idx];
      for (let j = 0; j < m; j++) out[j] -= a * yv[j];
    }
    const yn = yHist[newest];
    let yPy = 0;
    for (let j = 0; j < m; j++) yPy += yn[j] * precondition[j] * yn[j];
    const gamma = 1 / (rho[newest] * yPy);
    for (let j = 0; j < m; j++) out[j] *= gamma * precondition[j];
    for (let t = 0, idx = (newest + MEMORY - stored + 1) % MEMORY; t < stored; t++, idx = (idx + 1) % MEMORY) {
      const beta = rho[idx] * dot(yHist[idx], out, m);
      const sv = sHist[idx];
      const c = alphaBuf[idx] - beta;
      for (let j = 0; j < m; j++) out[j] += c * sv[j];
    }
  }
}

export const lbfgsSolver: SolverEntry = {
  name: 'lbfgs',
  columnScaled: true,
  solve: lbfgs,
  unsupported: (p) => firstReason(needsDifferentiable(p, 'lbfgs'), needsConvex(p, 'lbfgs'), needsNoL1(p, 'lbfgs')),
  preferredFor: () => true,
};
