/**
 * How a fit ends: the typed `status` and the human `reason` of every way a solver can stop,
 * worded here once, so that the same ending reads the same whichever solver reached it.
 */

/**
 * How a fit ended. `fit.converged` is exactly `fit.status === 'converged'`.
 * - `'converged'`: the solver's optimality test passed: the gradient or KKT residual
 *   (`optimality`) is at most `tol`, the duality gap is within `tol` (dualCD absolute, lp
 *   relative to the objective, or at the rounding level of its sums), the solution is exact
 *   (leastSquares), or lp's vertex passes the exact certificate 0 ∈ ∂F.
 * - `'maxIterations'`: `maxIter` iterations (epochs for sgd and dualCD, sweeps for
 *   coordinateDescent) ran out before the test passed.
 * - `'diverged'`: with a fixed step (gd, sgd, subgradient) the iterates overflowed; the last
 *   finite iterate (the best one, for subgradient) is returned.
 * - `'noMinimiser'`: the objective has no minimiser, e.g. logistic or exponential loss on
 *   linearly separable data without a penalty: it decreases towards its infimum along a ray.
 * - `'stalled'`: the solver can make no further progress in floating point before reaching
 *   `tol`: no step lowers the objective by more than its rounding error, the duality gap stopped
 *   shrinking, or the objective is not finite where the solver starts.
 */
export type FitStatus = 'converged' | 'maxIterations' | 'diverged' | 'noMinimiser' | 'stalled';

/** A status and the same ending in words. */
export interface Ending {
  readonly status: FitStatus;
  readonly reason: string;
}

/** What `maxIter` counts, named in the reason. */
export type IterationUnit = 'iterations' | 'epochs' | 'sweeps';

/** A number for a reason: 3 significant digits. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v);
}

/** The optimality test passed: `measure` (e.g. 'gradient norm') is `value` <= `tol`. */
export function converged(measure: string, value: number, tol: number): Ending {
  return { status: 'converged', reason: `${measure} ${fmt(value)} <= tol ${fmt(tol)}` };
}

/** Solved with a certificate of its own kind (`how` says which): exact, or a certified gap. */
export function certified(how: string): Ending {
  return { status: 'converged', reason: how };
}

/** `maxIter` ran out with `measure` still above `tol`; `detail` adds what was returned, if special. */
export function outOfIterations(
  maxIter: number,
  unit: IterationUnit,
  measure: string,
  value: number,
  tol: number,
  detail?: string,
): Ending {
  const text = `maxIter ${maxIter} ${unit} reached with ${measure} ${fmt(value)} > tol ${fmt(tol)}`;
  return { status: 'maxIterations', reason: detail === undefined ? text : `${text}; ${detail}` };
}

/** A fixed step `step` made the objective overflow; `returned` says which iterate is handed back. */
export function diverged(step: number, returned: string): Ending {
  return {
    status: 'diverged',
    reason: `diverged: step ${fmt(step)} made the objective overflow; returned ${returned} (use a smaller stepSize)`,
  };
}

/** The objective has no minimiser, for the reason `why`. */
export function noMinimiser(why: string): Ending {
  return { status: 'noMinimiser', reason: `no minimiser: ${why}` };
}

/** No further progress in floating point with `measure` still above `tol`, because `why`. */
export function stalled(measure: string, value: number, tol: number, why: string): Ending {
  return { status: 'stalled', reason: `stalled with ${measure} ${fmt(value)} > tol ${fmt(tol)}: ${why}` };
}

/** Why a solver that cannot take a first step stops. */
export const NOT_FINITE_AT_START =
  "the objective or its gradient is not finite at the starting point (start closer to the data's scale)";
/** Why a line search that found no lower objective stops. */
export const NO_DECREASE = 'no step along the search direction lowers the objective by more than its rounding error';
