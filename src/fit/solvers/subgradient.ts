/**
 * The subgradient method, for teaching: θ ← θ - η_t g_t with g_t ∈ ∂F(θ_t), for any convex
 * loss and both penalties, recording the objective after every step.
 */
import { maxAbs, output, Progress, startingPoint } from '../core/progress';
import { l1At, l1Penalty } from '../core/scaling';
import { SmoothObjective } from '../core/smooth';
import {
  converged,
  diverged,
  noMinimiser,
  NOT_FINITE_AT_START,
  outOfIterations,
  stalled,
  type Ending,
} from '../core/stopping';
import { curvatureScale, stepAt } from '../core/stepSize';
import { firstReason, needsConvex } from '../core/support';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/** The optimality measure here: ‖g_t‖∞ for the subgradient the method steps along. */
const MEASURE = 'subgradient norm';

/**
 * Subgradient descent on F(w, b) = (1/n) Σ loss(y_i, w·x_i + b) + l1‖w‖₁ + (l2/2)‖w‖²
 * (Shor, *Minimization Methods for Non-Differentiable Functions*, 1985; Boyd's EE364b notes
 * "Subgradient methods", 2014). g_t combines the loss's subgradient of smallest magnitude at
 * each example (`derivative` at a kink), l2 w, and for the l1 term sign(w_j), or at w_j = 0 the
 * element of l1·[-1, 1] that brings g_j closest to 0.
 *
 * F need not decrease at every step, so the best iterate seen is returned. The default
 * schedule is 'decaying', η_t = η₀/√(t+1) with η₀ = 1/L, L = κ λ_max((1/n) X̃ᵀX̃) + l2 and κ
 * the loss's smoothness or, for non-smooth losses, Lipschitz constant; with it the best
 * objective approaches F* like O(log t / √t). A number is a fixed step, which only reaches a
 * neighbourhood of F* of size proportional to η. There is no practical stopping test for
 * non-smooth F: the run stops early only if ‖g_t‖∞ ≤ tol (then 0 is within tol of ∂F(θ_t)),
 * and otherwise ends at maxIter with status 'maxIterations', returning the best iterate.
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * const y = [-1, -1, 1, -1, 1, 1];
 * const fit = fitLinear(X, y, { loss: losses.hinge, l2: 0.1, solver: 'subgradient', maxIter: 100 });
 * fit.objective === Math.min(...fit.history.map((h) => h.objective)); // true  (the best iterate)
 * fit.converged; // false
 * fit.status;    // "maxIterations"
 * ```
 */
export function subgradient(p: Problem, settings: SolverSettings): SolverOutput {
  const S = new SmoothObjective(p);
  try {
    return subgradientOn(S, p, settings);
  } finally {
    S.release();
  }
}

function subgradientOn(S: SmoothObjective, p: Problem, settings: SolverSettings): SolverOutput {
  const { d } = p;
  const m = S.dim;
  const theta = startingPoint(p, settings);
  const grad = new Float64Array(m);
  const best = new Float64Array(m);

  const progress = new Progress(settings.onIteration, { p, theta });
  const evaluate = (): number => {
    const smooth = S.evaluate(theta, grad);
    if (p.l1 !== 0) {
      for (let j = 0; j < d; j++) {
        const w = theta[j];
        const g = grad[j];
        const l1 = l1At(p, j);
        grad[j] = w > 0 ? g + l1 : w < 0 ? g - l1 : Math.sign(g) * Math.max(0, Math.abs(g) - l1);
      }
    }
    return smooth + l1Penalty(p, theta);
  };
  let value = evaluate();
  let gnorm = maxAbs(grad, m);
  progress.record(0, value, gnorm);
  if (!Number.isFinite(value) || !Number.isFinite(gnorm)) {
    return output(
      p,
      theta,
      0,
      stalled(MEASURE, gnorm, settings.tol, `${NOT_FINITE_AT_START}; objective ${value}`),
      progress,
      gnorm,
    );
  }

  let bestValue = value;
  let bestGnorm = gnorm;
  let bestIteration = 0;
  best.set(theta);
  const bestIterate = (iterations: number): string => `the best iterate (iteration ${bestIteration} of ${iterations})`;
  const finishAtBest = (iterations: number, end: Ending): SolverOutput =>
    output(p, best, iterations, end, progress, bestGnorm);

  const base = 1 / curvatureScale(p, S.scores);
  const schedule = settings.stepSize ?? 'decaying';
  for (let k = 1; ; k++) {
    if (gnorm <= settings.tol) return output(p, theta, k - 1, converged(MEASURE, gnorm, settings.tol), progress, gnorm);
    const unbounded = S.noMinimiser(theta);
    if (unbounded !== null) return output(p, theta, k - 1, noMinimiser(unbounded), progress, gnorm);
    if (k > settings.maxIter) {
      return finishAtBest(
        k - 1,
        outOfIterations(
          settings.maxIter,
          'iterations',
          MEASURE,
          bestGnorm,
          settings.tol,
          `returned ${bestIterate(k - 1)}`,
        ),
      );
    }

    const eta = stepAt(schedule, base, k - 1);
    for (let j = 0; j < m; j++) theta[j] -= eta * grad[j];
    value = evaluate();
    gnorm = maxAbs(grad, m);
    if (!Number.isFinite(value) || !Number.isFinite(gnorm))
      return finishAtBest(k - 1, diverged(eta, bestIterate(k - 1)));
    progress.record(k, value, gnorm);
    if (value < bestValue) {
      bestValue = value;
      bestGnorm = gnorm;
      bestIteration = k;
      best.set(theta);
    }
  }
}

export const subgradientSolver: SolverEntry = {
  name: 'subgradient',
  columnScaled: true,
  solve: subgradient,
  unsupported: (p) => firstReason(needsConvex(p, 'subgradient')),
  preferredFor: () => true,
};
