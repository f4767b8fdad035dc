/**
 * The bookkeeping shared by the solvers that move θ = (w, b) on a smooth objective (gd, sgd,
 * newton, lbfgs): the start, the record of each iterate, and the stopping tests, in one order
 * and with the endings of `stopping.ts`.
 */
import { maxAbs, output, Progress, startingPoint } from './progress';
import { SmoothObjective } from './smooth';
import {
  converged,
  diverged,
  NO_DECREASE,
  noMinimiser,
  NOT_FINITE_AT_START,
  outOfIterations,
  stalled,
  type Ending,
  type IterationUnit,
} from './stopping';
import type { Problem, SolverOutput, SolverSettings } from '../types';

/** The optimality measure of the smooth solvers, as reasons name it. */
const MEASURE = 'gradient norm';

export class SmoothRun {
  readonly S: SmoothObjective;
  /** Length of θ: d, plus 1 with an intercept. */
  readonly m: number;
  /** The iterate, moved in place by the solver. */
  readonly theta: Float64Array;
  /** The gradient at θ, kept current by `refresh` / the solver. */
  readonly grad: Float64Array;
  readonly progress: Progress;
  value: number;
  /** max |gradient|: the optimality measure the smooth solvers stop on. */
  gnorm: number;

  /** Evaluates the objective at the starting point and records it as iteration 0. */
  constructor(
    readonly p: Problem,
    readonly settings: SolverSettings,
  ) {
    this.S = new SmoothObjective(p);
    this.m = this.S.dim;
    this.theta = startingPoint(p, settings);
    this.grad = new Float64Array(this.m);
    this.progress = new Progress(settings.onIteration, { p, theta: this.theta });
    this.value = this.S.evaluate(this.theta, this.grad);
    this.gnorm = maxAbs(this.grad, this.m);
    this.progress.record(0, this.value, this.gnorm);
  }

  /**
   * The solver's output; the objective's workspace is given back, so nothing may evaluate after
   * it. `fresh`: the scores were just computed from X at θ (`refresh`), so the output carries a
   * copy for the front door's objective (SolverOutput.scores).
   */
  finish(iterations: number, end: Ending, fresh = false): SolverOutput {
    const out = output(this.p, this.theta, iterations, end, this.progress, this.gnorm);
    if (fresh) out.scores = this.S.scores.slice();
    this.S.release();
    return out;
  }

  /** The output to return at once when the start is already not finite, else null. */
  badStart(): SolverOutput | null {
    return this.finite()
      ? null
      : this.finish(
          0,
          stalled(MEASURE, this.gnorm, this.settings.tol, `${NOT_FINITE_AT_START}; objective ${this.value}`),
        );
  }

  finite(): boolean {
    return Number.isFinite(this.value) && Number.isFinite(this.gnorm);
  }

  /** Objective and gradient at θ computed afresh from X. */
  refresh(): void {
    this.value = this.S.evaluate(this.theta, this.grad);
    this.gnorm = maxAbs(this.grad, this.m);
  }

  /** Records iteration k at the current value and gradient. */
  record(k: number): void {
    this.progress.record(k, this.value, this.gnorm);
  }

  /**
   * The tests at the top of iteration k, in order: converged, no minimiser, out of iterations.
   * `recheck` certifies a small gradient at scores computed afresh, for solvers that update
   * the scores incrementally; `unit` names what maxIter counts when it is not iterations.
   */
  stopBefore(k: number, opts: { recheck?: boolean; unit?: IterationUnit } = {}): SolverOutput | null {
    const { tol, maxIter } = this.settings;
    if (this.gnorm <= tol) {
      if (opts.recheck === true) this.refresh();
      if (this.gnorm <= tol) return this.finish(k - 1, converged(MEASURE, this.gnorm, tol), opts.recheck === true);
    }
    const unbounded = this.S.noMinimiser(this.theta);
    if (unbounded !== null) return this.finish(k - 1, noMinimiser(unbounded));
    if (k > maxIter)
      return this.finish(k - 1, outOfIterations(maxIter, opts.unit ?? 'iterations', MEASURE, this.gnorm, tol));
    return null;
  }

  /** The end of a line search that found no decrease. */
  flat(k: number): SolverOutput {
    return this.finish(k - 1, stalled(MEASURE, this.gnorm, this.settings.tol, NO_DECREASE));
  }

  /** After the fixed step `step` overflowed: back to `previous` (the last finite iterate) and stop. */
  diverged(k: number, previous: Float64Array, step: number): SolverOutput {
    this.theta.set(previous);
    this.refresh();
    return this.finish(k - 1, diverged(step, 'the last finite iterate'));
  }
}
