/**
 * Damped Newton's method on the smooth objective, with the (generalised) Hessian built from the
 * loss's second derivatives and solved by Cholesky. Stops when ‖∇S‖∞ ≤ tol.
 */
import { choleskyInPlace, choleskySolve } from '../../linalg/cholesky';
import { dot } from '../../linalg/dense';
import { wolfeLineSearch } from '../core/lineSearch';
import { maxAbs } from '../core/progress';
import { SmoothRun } from '../core/smoothRun';
import { firstReason, needsConvex, needsDifferentiable, needsNoL1 } from '../core/support';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/**
 * Up to this many parameters (d + 1) `auto` prefers Newton to L-BFGS. Forming the Hessian costs
 * n (d+1)²/2 multiply-adds per iteration against L-BFGS's 2 n d; measured on logistic
 * regression with n = 1e5 (bench/fit-smooth.bench.ts, --d): Newton and the preconditioned
 * L-BFGS take the same time up to d ≈ 10, and Newton is 1.5x slower at d = 20, 2x at d = 50.
 * Below the threshold Newton's few exact steps are the more robust choice.
 */
const AUTO_MAX_DIM = 16;
/** A Cholesky pivot below this fraction of its diagonal entry counts as zero. */
const PIVOT_TOLERANCE = 1e-12;
/**
 * Largest damping tried, relative to s = max diag H. For a finite positive semi-definite H,
 * μ = s already makes every Cholesky pivot at least λ_min(H + μI) >= s, at least half its
 * diagonal entry (<= 2s), far above the pivot tolerance; 1e6 s leaves room for rounding in H.
 */
const MAX_DAMPING = 1e6;

/**
 * Minimises S(θ) = (1/n) Σ loss(y_i, w·x_i + b) + (l2/2)‖w‖² by Newton steps
 * H Δ = -∇S with H = (1/n) X̃ᵀ diag(l''(y_i, f_i)) X̃ + l2 I_w, followed by a Wolfe line search
 * from the full step. Where H is singular or indefinite to rounding (l2 = 0 with collinear
 * columns, or no example on the curved part of squaredHinge), H + μI is factorised instead,
 * μ growing tenfold from 1e-12 · max diag(H) until Cholesky succeeds (Levenberg–Marquardt
 * damping; the factorisation is linalg/cholesky.ts's `choleskyInPlace`, which lp uses too). For losses whose curvature jumps (huber, squaredHinge, modifiedHuber) H is a
 * generalised Hessian and this is the finite Newton method (Mangasarian, "A finite Newton
 * method for classification", Optim. Methods Softw. 17(5), 2002; Keerthi & DeCoste, JMLR 6, 2005).
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * const y = [-1, -1, 1, -1, 1, 1];
 * const fit = fitLinear(X, y, { loss: losses.logistic, l2: 0.1, solver: 'newton' });
 * fit.iterations;             // 5
 * fit.weights[0].toFixed(6);  // "0.947954"
 * ```
 */
export function newton(p: Problem, settings: SolverSettings): SolverOutput {
  const run = new SmoothRun(p, settings);
  const { S, m, theta, grad } = run;
  const dir = new Float64Array(m);
  const negGrad = new Float64Array(m);
  const H = new Float64Array(m * m);
  const L = new Float64Array(m * m);
  const dependent = new Uint8Array(m);

  const bad = run.badStart();
  if (bad !== null) return bad;

  for (let k = 1; ; k++) {
    const stop = run.stopBefore(k, { recheck: true });
    if (stop !== null) return stop;

    S.hessian(H);
    const factored = dampedCholesky(H, L, m, dependent);
    for (let j = 0; j < m; j++) negGrad[j] = -grad[j];
    if (factored) choleskySolve(L, m, dependent, negGrad, dir);
    let slope0 = factored ? dot(grad, dir, m) : NaN;
    const steepest = !(slope0 < 0);
    if (steepest) {
      for (let j = 0; j < m; j++) dir[j] = -grad[j];
      slope0 = -dot(grad, grad, m);
    }
    if (S.setLine(theta, dir)) slope0 = dot(grad, dir, m);
    // Without a Hessian to size the step (it overflowed), start where no parameter moves by more than 1.
    let search = wolfeLineSearch(S, run.value, slope0, factored ? 1 : Math.min(1, 1 / maxAbs(dir, m)));
    if (search.alpha === 0 && !steepest) {
      // A Newton direction from a nearly singular Hessian can be all but orthogonal to the
      // gradient: before giving up, try steepest descent, sized so no parameter moves by more than 1.
      for (let j = 0; j < m; j++) dir[j] = -grad[j];
      slope0 = S.setLine(theta, dir) ? dot(grad, dir, m) : -dot(grad, grad, m);
      search = wolfeLineSearch(S, run.value, slope0, Math.min(1, 1 / maxAbs(dir, m)));
    }
    if (search.alpha === 0) return run.flat(k);
    run.value = S.step(theta, dir, search.alpha, grad);
    run.gnorm = maxAbs(grad, m);
    run.record(k);
  }
}

/**
 * Factors H + μI (lower triangle of H read) into L for the smallest μ in
 * {0, 1e-12 s, 1e-11 s, ..., MAX_DAMPING s} (s = max diag H) for which no pivot falls below
 * 1e-12 of its diagonal entry: such a pivot means H is singular to working precision, and a
 * Newton step along that direction would be rounding noise. False when no μ works, which for
 * the positive semi-definite H of a convex loss means H is not finite (curvature that
 * overflowed): then there is no Newton step to take.
 */
function dampedCholesky(H: Float64Array, L: Float64Array, m: number, dependent: Uint8Array): boolean {
  let scale = 0;
  for (let j = 0; j < m; j++) scale = Math.max(scale, Math.abs(H[j * m + j]));
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
  for (let mu = 0; mu <= MAX_DAMPING * scale; mu = mu === 0 ? 1e-12 * scale : mu * 10) {
    L.set(H);
    for (let j = 0; j < m; j++) L[j * m + j] += mu;
    if (choleskyInPlace(L, m, dependent, PIVOT_TOLERANCE) === 0) return true;
  }
  return false;
}

export const newtonSolver: SolverEntry = {
  name: 'newton',
  columnScaled: true,
  solve: newton,
  unsupported: (p) => firstReason(needsDifferentiable(p, 'newton'), needsConvex(p, 'newton'), needsNoL1(p, 'newton')),
  preferredFor: (p) => p.d + (p.fitIntercept ? 1 : 0) <= AUTO_MAX_DIM,
};
