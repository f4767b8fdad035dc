/**
 * Proximal gradient with Nesterov acceleration (FISTA) for a smooth loss plus the l1 penalty:
 * the soft-thresholding step sets weights to exact zeros.
 */
import { output, Progress, startingPoint } from '../core/progress';
import { l1At, l1Penalty } from '../core/scaling';
import { SmoothObjective } from '../core/smooth';
import { converged, noMinimiser, NOT_FINITE_AT_START, outOfIterations, stalled, type Ending } from '../core/stopping';
import { curvatureScale } from '../core/stepSize';
import { firstReason, needsConvex, needsDifferentiable } from '../core/support';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/** Relative rounding level of an objective value, as slack in the backtracking test. */
const VALUE_NOISE = 1e-12;
/** The optimality measure here, as reasons name it. */
const MEASURE = 'KKT residual';

/**
 * Minimises F(w, b) = S(w, b) + l1‖w‖₁, S = (1/n) Σ loss(y_i, w·x_i + b) + (l2/2)‖w‖², for a
 * differentiable convex loss, by FISTA with backtracking (Beck & Teboulle, "A fast iterative
 * shrinkage-thresholding algorithm for linear inverse problems", SIAM J. Imaging Sci. 2(1),
 * 2009): from the extrapolated point z,
 *   x⁺ = prox(z - ∇S(z)/L),  prox soft-thresholds each w_j by l1/L (b is not penalised),
 * doubling L until S(x⁺) ≤ S(z) + ∇S(z)·(x⁺ - z) + (L/2)‖x⁺ - z‖². When F would increase,
 * the momentum is reset (adaptive restart, O'Donoghue & Candès, Found. Comput. Math. 15, 2015),
 * which keeps F monotone and recovers linear convergence on strongly convex problems. Stops
 * when the KKT residual ‖dist(0, ∂F(x))‖∞ ≤ tol: |∂_j S + l1 sign w_j| for w_j ≠ 0,
 * max(0, |∂_j S| - l1) for w_j = 0, and |∂_b S|.
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[0, 1], [1, 0.5], [2, 2], [3, 0], [4, 1.5], [5, 3]];
 * const y = [-1, -1, 1, -1, 1, 1];
 * const fit = fitLinear(X, y, { loss: losses.logistic, l1: 0.5, solver: 'proximal' });
 * fit.weights[1];             // 0  (an exact zero)
 * fit.weights[0].toFixed(4);  // "0.3402"
 * ```
 */
export function proximal(p: Problem, settings: SolverSettings): SolverOutput {
  const S = new SmoothObjective(p);
  try {
    return proximalOn(S, p, settings);
  } finally {
    S.release();
  }
}

function proximalOn(S: SmoothObjective, p: Problem, settings: SolverSettings): SolverOutput {
  const m = S.dim;
  const x = startingPoint(p, settings);
  const xPrev = new Float64Array(m);
  const z = new Float64Array(m);
  const trial = new Float64Array(m);
  const gx = new Float64Array(m);
  const gz = new Float64Array(m);

  const progress = new Progress(settings.onIteration, { p, theta: x });
  let value = S.evaluate(x, gx) + l1Penalty(p, x);
  let kkt = kktResidual(p, x, gx);
  progress.record(0, value, kkt);
  const { tol, maxIter } = settings;
  const finish = (iterations: number, end: Ending): SolverOutput => output(p, x, iterations, end, progress, kkt);
  if (!Number.isFinite(value) || !Number.isFinite(kkt))
    return finish(0, stalled(MEASURE, kkt, tol, `${NOT_FINITE_AT_START}; objective ${value}`));

  let L = curvatureScale(p, S.scores);
  let t = 1;
  z.set(x);
  for (let k = 1; ; k++) {
    if (kkt <= tol) return finish(k - 1, converged(MEASURE, kkt, tol));
    const unbounded = S.noMinimiser(x);
    if (unbounded !== null) return finish(k - 1, noMinimiser(unbounded));
    if (k > maxIter) return finish(k - 1, outOfIterations(maxIter, 'iterations', MEASURE, kkt, tol));

    const smoothZ = S.evaluate(z, gz);
    let smoothTrial: number;
    // Bounded by the range of doubles: L doubles from a positive finite value until the test
    // passes, and after at most ~2100 doublings it is Infinity, which ends the run.
    for (;;) {
      proxStep(p, z, gz, 1 / L, trial);
      smoothTrial = S.evaluate(trial, gx);
      let model = smoothZ;
      let sq = 0;
      for (let j = 0; j < m; j++) {
        const diff = trial[j] - z[j];
        model += gz[j] * diff;
        sq += diff * diff;
      }
      model += 0.5 * L * sq;
      if (smoothTrial <= model + VALUE_NOISE * Math.abs(smoothZ)) break;
      L *= 2;
      if (!Number.isFinite(L))
        return finish(
          k - 1,
          stalled(MEASURE, kkt, tol, 'backtracking found no step size: the loss overflows near the current point'),
        );
    }
    const trialValue = smoothTrial + l1Penalty(p, trial);
    if (trialValue > value + VALUE_NOISE * Math.abs(value) && t > 1) {
      // Momentum overshot: restart from x with a plain proximal-gradient step next time.
      t = 1;
      z.set(x);
      S.evaluate(x, gx); // the scores of x again, for the separability test
      progress.record(k, value, kkt);
      continue;
    }
    const tNext = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
    const beta = (t - 1) / tNext;
    xPrev.set(x);
    x.set(trial);
    for (let j = 0; j < m; j++) z[j] = x[j] + beta * (x[j] - xPrev[j]);
    t = tNext;
    value = trialValue;
    kkt = kktResidual(p, x, gx);
    progress.record(k, value, kkt);
  }
}

/** out = prox_{η l1‖·‖₁}(z - η g): a gradient step, then soft-thresholding of the weights. */
function proxStep(p: Problem, z: Float64Array, g: Float64Array, eta: number, out: Float64Array): void {
  for (let j = 0; j < p.d; j++) {
    const threshold = eta * l1At(p, j);
    const v = z[j] - eta * g[j];
    out[j] = v > threshold ? v - threshold : v < -threshold ? v + threshold : 0;
  }
  if (p.fitIntercept) out[p.d] = z[p.d] - eta * g[p.d];
}

/** ‖dist(0, ∂F(θ))‖∞ for F = S + l1‖w‖₁, given ∇S(θ). */
function kktResidual(p: Problem, theta: Float64Array, gradS: Float64Array): number {
  let r = 0;
  for (let j = 0; j < p.d; j++) {
    const w = theta[j];
    const g = gradS[j];
    const l1 = l1At(p, j);
    const v = w > 0 ? Math.abs(g + l1) : w < 0 ? Math.abs(g - l1) : Math.max(0, Math.abs(g) - l1);
    // NaN (a gradient that overflowed) counts as Infinity: not finite, never NaN.
    if (!(v <= r)) r = Number.isNaN(v) ? Infinity : v;
  }
  if (p.fitIntercept) r = Math.max(r, Math.abs(gradS[p.d]));
  return Number.isNaN(r) ? Infinity : r;
}

export const proximalSolver: SolverEntry = {
  name: 'proximal',
  columnScaled: true,
  solve: proximal,
  unsupported: (p) => firstReason(needsDifferentiable(p, 'proximal'), needsConvex(p, 'proximal')),
  preferredFor: (p) => p.l1 > 0,
};
