/**
 * A run of dualCD: the dual iterate, the best primal point, the epochs spent and the current
 * duality gap, with the inner solve (epochs on D_b until its own gap is small enough), the
 * polish that may end it early, and the two ways it ends.
 */
import type { Progress } from '../../core/progress';
import { converged, type Ending, outOfIterations } from '../../core/stopping';
import type { Problem, SolverOutput, SolverSettings } from '../../types';
import type { SvmDual } from './dual';
import { polishHinge, polishSquaredHinge } from './polish';
import type { Incumbent } from './primal';

/** The measure dualCD stops on, as reasons name it. */
const MEASURE = 'duality gap';
/** Duality gap to which the first inner solve runs. */
export const FIRST_INNER_TOL = 1e-3;
/** Inner solves run to this fraction of the current outer gap (and of tol). */
export const INNER_SHARE = 0.1;
/** Gaps below which the active-set polish is tried (a failed attempt costs a few epochs). */
export const POLISH_BELOW = 1e-3;
/** Epochs between polish attempts inside a long inner solve. */
const POLISH_EVERY = 25;

export class DualRun {
  epochs = 0;
  /** F(best) minus the best certified lower bound on min F so far. */
  gap = Infinity;

  constructor(
    readonly p: Problem,
    readonly settings: SolverSettings,
    readonly dual: SvmDual,
    readonly best: Incumbent,
    readonly progress: Progress,
    private readonly isHinge: boolean,
  ) {}

  /**
   * Epochs on D_b from the current α until P(w, b) − D_b(α) ≤ innerTol (or maxIter). The
   * objective recorded after each epoch is F at the current (w, b). Slow inner solves (near a
   * degenerate optimum) try the polish now and then; true when it certified the answer.
   */
  solveInner(b: number, innerTol: number): boolean {
    const { dual, best, progress } = this;
    const { alpha, w } = dual;
    for (;;) {
      dual.epoch(b);
      this.epochs++;
      const primal = best.objectiveAt(w, b);
      progress.record(this.epochs, primal);
      const innerGap = primal - (dual.value(alpha, w) - this.p.l2 * b * dual.ySum(alpha));
      if (innerGap <= innerTol || this.epochs >= this.settings.maxIter) return false;
      if (this.gap <= POLISH_BELOW && this.epochs % POLISH_EVERY === 0 && this.polished(alpha, w, b)) return true;
    }
  }

  /** Offers a candidate primal point with its dual point; true (and the gap it certifies) when that gap is within tol. */
  readonly accept = (candidateW: Float64Array, candidateAlpha: Float64Array): boolean => {
    const { dual, best } = this;
    best.offer(candidateW, candidateAlpha);
    const lower = dual.value(candidateAlpha, candidateW) - Math.abs(this.p.l2 * best.b * dual.ySum(candidateAlpha));
    const candidateGap = Math.max(0, best.value - lower);
    if (candidateGap > this.settings.tol) return false;
    this.gap = candidateGap;
    return true;
  };

  /** Tries the exact active-set solution near (atW, atB), guessed from `alphaGuess`; true when it certifies. */
  polished(alphaGuess: Float64Array, atW: Float64Array, atB: number): boolean {
    return this.isHinge
      ? polishHinge(this.p, alphaGuess, atW, atB, this.accept)
      : polishSquaredHinge(this.p, atW, atB, this.accept);
  }

  converged(): SolverOutput {
    return this.end(converged(MEASURE, this.gap, this.settings.tol));
  }

  exhausted(): SolverOutput {
    return this.end(outOfIterations(this.settings.maxIter, 'epochs', MEASURE, this.gap, this.settings.tol));
  }

  private end(ending: Ending): SolverOutput {
    return this.best.output(ending, this.epochs, this.gap, this.progress, this.dual.C);
  }
}
