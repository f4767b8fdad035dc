/**
 * Dual coordinate descent for linear SVMs (the losses with an SVM dual: hinge and squared
 * hinge, l2 > 0), with an unpenalised intercept and a duality-gap certificate. One phase a
 * file: dual.ts (the dual and its epochs), intercept.ts (the search over b), primal.ts (the
 * primal points the dual points give, and the best of them), polish.ts (exact solutions for a
 * guessed active set), run.ts (what a run keeps and how it ends).
 */
import { Progress } from '../../core/progress';
import { columnScales, LARGE_COLUMN_TEXT, largestEntry } from '../../core/scaling';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../../types';
import { SvmDual } from './dual';
import { searchIntercept } from './intercept';
import { Incumbent } from './primal';
import { DualRun, FIRST_INNER_TOL, INNER_SHARE } from './run';

/**
 * Minimises F(w, b) = (1/n) Σ loss(y_i, w·x_i + b) + (l2/2)‖w‖² for a loss with an SVM dual
 * (`capabilities.svmDual`: hinge, squaredHinge) and l2 > 0. Divided by l2 it is the SVM primal P(w, b) = ½‖w‖² + C Σ ξ_i with
 * C = 1/(n l2). For a fixed intercept b its dual is
 *   max D_b(α) = D(α) - b Σ α_i y_i,  D(α) = Σ α_i - ½‖Σ α_i y_i x_i‖² - (1/(4C)) Σ α_i²·[squared hinge],
 *   over 0 ≤ α_i ≤ C (hinge; no upper bound for the squared hinge),
 * and coordinate descent on it, one α_i at a time with w = Σ α_i y_i x_i kept up to date, in a
 * seeded random order, is Hsieh, Chang, Lin, Keerthi & Sundararajan, "A dual coordinate
 * descent method for large-scale linear SVM", ICML 2008 (Algorithm 1, without shrinking;
 * dual.ts). An inner solve stops when its own duality gap P(w, b) - D_b(α) is small enough.
 *
 * The intercept (intercept.ts): an outer cutting-plane search on the convex
 * g(b) = min_w P(w, b), whose minorants the inner solves' dual points give. (The method of
 * multipliers on Σ α_i y_i = 0 was tried first, and a bracket on the sign of g': the first
 * stalled for thousands of epochs on the tests' problems, and inexact α's can give g' the
 * wrong sign.)
 *
 * The certificate. The two crossing minorants come from α⁻ and α⁺ with Σ α⁻_i y_i > 0 >
 * Σ α⁺_i y_i; their mixture α = θα⁻ + (1-θ)α⁺ with Σ α_i y_i = 0 lies in the box, so D(α) ≤ F* / l2
 * is a certified lower bound (at least the envelope's minimum, by concavity). The primal point
 * is the best among the inner solutions' w and the mixture's w, each with its exact intercept
 * (the minimiser of F(w, ·): a sort of the n breakpoints; primal.ts). The run stops when the duality gap
 * l2 (P - D) ≥ F(w, b) - F* is ≤ tol. Until minorants of both slopes exist, the dual point is
 * α with the class of larger Σ α_i scaled down (feasible too, but weaker). Without an
 * intercept there is one inner problem (b = 0) and its own gap is the certificate.
 *
 * The polish. Near a degenerate optimum (points exactly on the margin, a kink of g) dual CD
 * crawls. Once the gap is below 1e-3, every 25 epochs and after each outer step the solver
 * guesses the active set and solves the optimality conditions exactly (polish.ts); a guess that passes the duality-gap test ends the run, one that fails
 * costs a few epochs' worth of work. On the tests' problems this cuts hinge fits from thousands
 * of epochs to tens or hundreds. Dual CD stays slow for small l2 (large C), as Hsieh et al.
 * report; then `maxIter` ends the run with `converged: false`.
 *
 * `maxIter` counts epochs (passes over the data); `initialWeights` is ignored (the dual starts
 * at α = 0).
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * const y = [-1, -1, 1, -1, 1, 1];
 * const svm = fitLinear(X, y, { loss: losses.hinge, l2: 0.1, solver: 'dualCD' });
 * svm.converged;                // true
 * svm.weights[0].toFixed(6);    // "0.666667"
 * svm.intercept.toFixed(6);     // "-1.666667"
 * ```
 */
export function dualCD(p: Problem, settings: SolverSettings): SolverOutput {
  const isHinge = svmPower(p) === 1;
  const dual = new SvmDual(p, isHinge, settings.seed);
  const best = new Incumbent(p, isHinge);
  const run = new DualRun(p, settings, dual, best, new Progress(settings.onIteration), isHinge);
  if (p.fitIntercept) return searchIntercept(run);

  const { tol, maxIter } = settings;
  const { alpha, w } = dual;
  run.progress.record(0, best.objectiveAt(w, 0));
  let innerTol = Math.max(tol, FIRST_INNER_TOL);
  for (;;) {
    if (run.solveInner(0, innerTol)) return run.converged();
    best.offer(w, alpha);
    run.gap = Math.max(0, best.value - dual.value(alpha, w));
    if (run.gap <= tol || run.polished(alpha, best.w, best.b)) return run.converged();
    if (run.epochs >= maxIter) return run.exhausted();
    innerTol = Math.max(tol, run.gap) * INNER_SHARE;
  }
}

/** The power of the loss's SVM form max(0, 1 − y f)^power, or null when it declares none. */
function svmPower(p: Problem): 1 | 2 | null {
  return p.loss.capabilities.svmDual?.power ?? null;
}

export const dualCDSolver: SolverEntry = {
  name: 'dualCD',
  solve: dualCD,
  unsupported: (p) => {
    if (svmPower(p) === null)
      return `dualCD solves the SVM losses (hinge, squaredHinge, or a loss declaring capabilities.svmDual), not ${p.loss.id}`;
    if (!(p.l2 > 0)) return 'dualCD needs l2 > 0 (the dual box is 0 <= α <= C = 1/(n l2))';
    if (p.l1 !== 0) return 'dualCD does not handle the l1 penalty (use subgradient, or lp for hinge)';
    // Its dual has the isotropic ½‖w‖², so it cannot measure a column in its own units the way
    // the primal solvers do; with one column 1e150 times the others the coordinates crawl, and
    // beyond ~1e154 the squared row norms overflow.
    if (columnScales(p.X, largestEntry(p)) !== null) {
      return `dualCD works on the features as given, and a feature beyond ${LARGE_COLUMN_TEXT} in magnitude makes its dual badly conditioned or overflowing (use newton or lbfgs for squaredHinge, subgradient for hinge)`;
    }
    return null;
  },
  preferredFor: (p) => svmPower(p) === 1,
};
