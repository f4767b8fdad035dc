/**
 * Plain gradient descent, for teaching: θ ← θ - η ∇S(θ) with a fixed or decaying step and no
 * line search, recording the objective after every step.
 */
import { SmoothRun } from '../core/smoothRun';
import { curvatureScale, stepAt } from '../core/stepSize';
import { firstReason, needsDifferentiable, needsNoL1 } from '../core/support';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/**
 * Gradient descent on S(θ) = (1/n) Σ loss(y_i, w·x_i + b) + (l2/2)‖w‖².
 *
 * The default step is 1/L with L = κ λ_max((1/n) X̃ᵀX̃) + l2, κ the loss's smoothness
 * constant (the local curvature at the start when it has none, e.g. exponential): the
 * classic step for which S decreases monotonically and S(θ_t) - S* = O(1/t) (Nesterov,
 * *Introductory Lectures on Convex Optimization*, 2004, Thm 2.1.14). `stepSize: 'decaying'`
 * uses η_t = η₀/√(t+1) with η₀ = 1/L; a number is a fixed step. Stops when ‖∇S‖∞ ≤ tol; a
 * step that makes the objective overflow stops the run at the last finite iterate. On a
 * non-convex loss it finds a stationary point.
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * const y = [-1, -1, 1, -1, 1, 1];
 * const fit = fitLinear(X, y, { loss: losses.logistic, l2: 0.1, solver: 'gd', maxIter: 50 });
 * fit.history.length;                  // 51  (iteration 0 is the start)
 * fit.history[0].objective;            // 1
 * fit.history[50].objective.toFixed(4); // "0.6772"
 * fit.converged;                       // false
 * fit.status;                          // "maxIterations"
 * ```
 */
export function gd(p: Problem, settings: SolverSettings): SolverOutput {
  const run = new SmoothRun(p, settings);
  const { S, m, theta, grad } = run;
  const previous = new Float64Array(m);
  const bad = run.badStart();
  if (bad !== null) return bad;

  const base = 1 / curvatureScale(p, S.scores);
  const schedule = settings.stepSize ?? base;
  for (let k = 1; ; k++) {
    const stop = run.stopBefore(k);
    if (stop !== null) return stop;

    const eta = stepAt(schedule, base, k - 1);
    previous.set(theta);
    for (let j = 0; j < m; j++) theta[j] -= eta * grad[j];
    run.refresh();
    if (!run.finite()) return run.diverged(k, previous, eta);
    run.record(k);
  }
}

export const gdSolver: SolverEntry = {
  name: 'gd',
  columnScaled: true,
  solve: gd,
  unsupported: (p) => firstReason(needsDifferentiable(p, 'gd'), needsNoL1(p, 'gd')),
  preferredFor: () => false,
};
