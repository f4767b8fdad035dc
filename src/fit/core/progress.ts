/**
 * What every iterative solver shares: where it starts, what it records after each iteration
 * (the objective and its optimality measure, for `history` and `onIteration`), and how it
 * hands back θ = (w, b). Iteration 0 is the starting point, so a plot of `history` starts
 * where the solver started.
 */
import type { Ending } from './stopping';
import type { IterationState, Problem, SolverOutput, SolverSettings } from '../types';

/** The vector θ = (w, b) a solver moves in place, so `onIteration` can be shown where it is. */
export interface Iterate {
  p: Problem;
  theta: Float64Array;
}

/**
 * Most entries a history keeps. Beyond it the history is thinned to every 2^k-th iteration
 * (plus the newest), so its memory stays bounded for any maxIter while a convergence plot
 * keeps its shape; `onIteration` still sees every iteration.
 */
export const HISTORY_LIMIT = 10_000;

export class Progress {
  readonly history: IterationState[] = [];
  /** Entries other than the newest are at multiples of this iteration stride. */
  private stride = 1;

  /**
   * With `iterate`, every `onIteration` call also gets copies of the current weights and
   * intercept (an optimiser's path, e.g. for `riskSurface`). They are not kept in `history`:
   * d numbers per iteration would add up on large problems, and only a watcher needs them.
   */
  constructor(
    private readonly onIteration: ((state: IterationState) => void) | undefined,
    private readonly iterate?: Iterate,
  ) {}

  record(iteration: number, objective: number, optimality?: number): void {
    const state: IterationState =
      optimality === undefined ? { iteration, objective } : { iteration, objective, optimality };
    this.keep(state);
    if (this.onIteration === undefined) return;
    if (this.iterate === undefined) {
      this.onIteration({ ...state });
      return;
    }
    const { p, theta } = this.iterate;
    this.onIteration({ ...state, weights: weightsOf(p, theta), intercept: p.fitIntercept ? theta[p.d] : 0 });
  }

  private keep(state: IterationState): void {
    const { history } = this;
    const newest = history[history.length - 1];
    if (history.length > 1 && newest.iteration % this.stride !== 0) history.pop();
    if (history.length >= HISTORY_LIMIT) {
      const stride = 2 * this.stride;
      let kept = 0;
      for (const entry of history) if (entry.iteration % stride === 0) history[kept++] = entry;
      history.length = kept;
      this.stride = stride;
    }
    history.push(state);
  }
}

/**
 * Largest absolute entry: the optimality measure (gradient or KKT residual) the solvers stop
 * on. An entry that is NaN (a gradient whose terms overflowed with opposite signs) counts as
 * Infinity: the measure is then not finite, never NaN.
 */
export function maxAbs(a: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(a[i]);
    if (!(v <= m)) m = Number.isNaN(v) ? Infinity : v;
  }
  return m;
}

/** θ₀ = (initialWeights or 0, initialIntercept when the intercept is fitted), in the problem's coordinates. */
export function startingPoint(p: Problem, settings: SolverSettings): Float64Array {
  const theta = new Float64Array(p.d + (p.fitIntercept ? 1 : 0));
  if (settings.initialWeights !== undefined) {
    theta.set(settings.initialWeights.subarray(0, p.d));
    const c = p.columnScale;
    if (c !== undefined) for (let j = 0; j < p.d; j++) theta[j] /= c[j];
  }
  if (p.fitIntercept) theta[p.d] = settings.initialIntercept;
  return theta;
}

/** The weights w of θ (w = c ⊙ v in column-scaled coordinates), as a new array. */
export function weightsOf(p: Problem, theta: Float64Array): Float64Array {
  const w = theta.slice(0, p.d);
  const c = p.columnScale;
  if (c !== undefined) for (let j = 0; j < p.d; j++) w[j] *= c[j];
  return w;
}

/** Splits θ into weights and intercept for a solver's output, with how it ended. */
export function output(
  p: Problem,
  theta: Float64Array,
  iterations: number,
  end: Ending,
  progress: Progress,
  optimality: number,
): SolverOutput {
  return {
    weights: weightsOf(p, theta),
    intercept: p.fitIntercept ? theta[p.d] : 0,
    iterations,
    status: end.status,
    reason: end.reason,
    history: progress.history,
    optimality,
  };
}
