import type { Loss } from '../losses/types';
import type { Matrix, MatrixLike } from '../matrix';
import type { FitStatus } from './core/stopping';

export type { FitStatus } from './core/stopping';

/** One entry of a fit's history, also what `onIteration` receives. */
export interface IterationState {
  iteration: number;
  /** The full objective (mean loss + penalties) at this iterate. */
  objective: number;
  /**
   * The measure the solver compares with `tol` at this iterate, when it has one per iteration:
   * the same first-order residual as `LinearFit.optimality` for gd, sgd, subgradient, lbfgs,
   * newton and proximal (coordinateDescent records it at the start only, its sweeps the
   * objective alone); the relative duality gap for lp, whose interior iterates sit off the
   * kinks where a residual would mean something. dualCD records none.
   */
  optimality?: number;
  /**
   * The current weights (a copy), given to `onIteration` by the solvers that move one point
   * (w, b): gd, subgradient, sgd, lbfgs, newton, proximal and lp. Never stored in `history`.
   */
  weights?: Float64Array;
  /** The current intercept (0 without one), given to `onIteration` along with `weights`. */
  intercept?: number;
}

export type SolverName =
  | 'leastSquares'
  | 'lp'
  | 'lbfgs'
  | 'newton'
  | 'dualCD'
  | 'subgradient'
  | 'gd'
  | 'sgd'
  | 'proximal'
  | 'coordinateDescent';

export interface FitOptions {
  loss: Loss;
  /** Fit an unpenalised intercept b (default true). */
  fitIntercept?: boolean;
  /** Weight of the penalty l1 ‖w‖₁ (default 0). */
  l1?: number;
  /** Weight of the penalty (l2 / 2) ‖w‖₂² (default 0). */
  l2?: number;
  /** 'auto' (default) picks from the loss's properties; otherwise one of `SolverName`. */
  solver?: SolverName | 'auto';
  maxIter?: number;
  /**
   * Stopping tolerance (default 1e-10): on `optimality` (the gradient or KKT residual) for the
   * gradient and coordinate solvers, on the duality gap for dualCD, and on the duality gap
   * relative to the objective for lp. leastSquares is exact and ignores it.
   */
  tol?: number;
  /** Called after each iteration (epoch for sgd) with the objective and, for the solvers listed at `IterationState.weights`, the iterate. */
  onIteration?: (state: IterationState) => void;
  /** Starting point for iterative solvers (warm start); length d. */
  initialWeights?: ArrayLike<number>;
  initialIntercept?: number;
  /**
   * Step size for gd / sgd / subgradient: a number (fixed), or 'decaying' (η₀ / √(t + 1), with
   * η₀ = 1/L from the data's curvature: the objective's for gd, the worst example's for sgd).
   * Default: 1/L fixed for gd, decaying for sgd and subgradient.
   */
  stepSize?: number | 'decaying';
  /** Mini-batch size for sgd (default 1). */
  batchSize?: number;
  /** Seed for sgd's shuffling. */
  seed?: number;
}

/** The validated problem every solver receives. */
export interface Problem {
  /** The design matrix, column-scaled when `columnScale` is set. */
  X: Matrix;
  y: Float64Array;
  loss: Loss;
  n: number;
  d: number;
  fitIntercept: boolean;
  l1: number;
  l2: number;
  /**
   * Set on the column-scaled problem of `core/scaling.ts`: X holds X diag(c) and the solver's
   * parameters are v with w = c ⊙ v, so the penalties read l1 Σ c_j |v_j| + (l2/2) Σ (c_j v_j)².
   */
  columnScale?: Float64Array;
  /**
   * max |x_ij| over the caller's X, measured by the front door's finiteness check in the same
   * pass, so that `core/scaling.ts` need not look at X again when no column is large.
   */
  largestEntry?: number;
}

/** Settings with defaults filled in by the front door. */
export interface SolverSettings {
  maxIter: number;
  tol: number;
  onIteration: ((state: IterationState) => void) | undefined;
  initialWeights: Float64Array | undefined;
  initialIntercept: number;
  stepSize: number | 'decaying' | undefined;
  batchSize: number;
  seed: number;
}

/** What a solver returns; the front door adds the objective and `predict`. */
export interface SolverOutput {
  weights: Float64Array;
  intercept: number;
  iterations: number;
  /** How the solver stopped, from `core/stopping.ts` (the front door derives `converged` from it). */
  status: FitStatus;
  /** The same, in words ('gradient norm 3e-11 <= tol 1e-10', ...). */
  reason: string;
  history: IterationState[];
  /** False when the solver can tell the minimiser is not unique (e.g. LAD with a flat optimum). */
  unique?: boolean;
  /** See `LinearFit.optimality`. */
  optimality: number;
  /** See `LinearFit.dualityGap`. */
  dualityGap?: number;
  /**
   * X w + b at the returned weights and intercept, with the bits linalg/dense `scores` gives,
   * when the solver computed them anyway: the front door then takes the objective from them
   * instead of another pass over X.
   */
  scores?: Float64Array;
}

export type Solver = (problem: Problem, settings: SolverSettings) => SolverOutput;

export interface LinearFit {
  weights: Float64Array;
  intercept: number;
  /** (1/n) Σ loss(y_i, w·x_i + b) + l1 ‖w‖₁ + (l2/2) ‖w‖², at the returned parameters. */
  objective: number;
  iterations: number;
  /** Exactly `status === 'converged'`. */
  converged: boolean;
  /** How the fit ended; see `FitStatus` for what each value means. */
  status: FitStatus;
  /** The same ending for people: the measure, its value and tol, and what was returned. */
  reason: string;
  solver: SolverName;
  /**
   * The objective at the start (iteration 0) and after each iteration (epoch, sweep). Past
   * 10 000 entries it is thinned to every 2^k-th iteration plus the last, so that its memory
   * stays bounded whatever maxIter is; `onIteration` sees every iteration.
   */
  history: IterationState[];
  /** Present when the solver can tell; false means other parameters reach the same objective. */
  unique?: boolean;
  /**
   * The first-order optimality residual at the returned parameters, for every solver:
   * ‖g‖∞ for a subgradient g ∈ ∂F(w, b) the solver exhibits (over the weights and the
   * intercept), so an upper bound on the distance from 0 to ∂F, and 0 at a minimiser. For a
   * differentiable objective g is the gradient; with the l1 penalty or a kinked loss it is the
   * best subgradient the solver's own multipliers give (kinks counted within
   * `checkOptimality`'s default tolerance). It is in the units of the gradient of F, the same
   * quantity `checkOptimality(X, y, fit).residual` bounds from below by searching ∂F. The
   * gradient and coordinate solvers converge when it is <= tol; lp and dualCD converge on
   * `dualityGap` instead, since near a kink a point within 1e-12 of the optimal objective can
   * still have a residual of the size of one example's term.
   */
  optimality: number;
  /**
   * lp and dualCD: F(w, b) minus a certified lower bound on min F (from a dual feasible point),
   * so an upper bound on how far the objective is above the optimum.
   */
  dualityGap?: number;
  loss: Loss;
  fitIntercept: boolean;
  l1: number;
  l2: number;
  /** Scores w·x + b for new rows. */
  predict(X: MatrixLike): Float64Array;
}

/** A solver and what it can handle. */
export interface SolverEntry {
  name: SolverName;
  solve: Solver;
  /** Why this solver cannot minimise `p` exactly as posed, or null when it can. */
  unsupported(p: Problem): string | null;
  /** Whether `auto` should pick this solver for `p` (consulted in `AUTO_ORDER`, only if supported). */
  preferredFor(p: Problem): boolean;
  /** True when the solver works on the column-scaled problem of `core/scaling.ts` when there is one. */
  columnScaled?: boolean;
  /**
   * True when the solver's first pass over X refuses a non-finite entry with the front door's
   * own error (validate.ts `checkMatrix`), so that the front door need not scan X before it.
   */
  checksEntries?: boolean;
}
