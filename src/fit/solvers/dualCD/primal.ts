/**
 * The primal recovery of dualCD: every dual point offers its weights w(α), each with its exact
 * intercept (the minimiser of F(w, ·)), and the best primal point so far is kept with the dual
 * point it came from, whose multipliers at the hinge's kinks certify it.
 */
import { scores } from '../../../linalg/dense';
import { subgradientResidual } from '../../core/certificate';
import { objective } from '../../core/objective';
import { output, type Progress } from '../../core/progress';
import type { Ending } from '../../core/stopping';
import type { Problem, SolverOutput } from '../../types';
import { hingeIntercept, squaredHingeIntercept } from './intercept';

export class Incumbent {
  readonly w: Float64Array;
  /** The dual point the best primal point came from: its multipliers at the hinge's kinks. */
  readonly alpha: Float64Array;
  b = 0;
  /** F(w, b) at the best point. */
  value = Infinity;
  /** Scores of the last point evaluated. */
  private readonly buffer: Float64Array;

  constructor(
    private readonly p: Problem,
    private readonly isHinge: boolean,
  ) {
    this.w = new Float64Array(p.d);
    this.alpha = new Float64Array(p.n);
    this.buffer = new Float64Array(p.n);
  }

  /** F(w, b) = l2 P(w, b). */
  objectiveAt(weights: Float64Array, b: number): number {
    return objective(this.p, weights, b, this.buffer);
  }

  /** Keeps (weights, exact intercept) when it beats the best primal point so far; `from` is its dual point. */
  offer(weights: Float64Array, from: Float64Array): void {
    const { p, buffer } = this;
    scores(p.X, weights, 0, buffer);
    const b = p.fitIntercept
      ? this.isHinge
        ? hingeIntercept(p.y, buffer, p.n)
        : squaredHingeIntercept(p.y, buffer, p.n)
      : 0;
    const value = this.objectiveAt(weights, b);
    if (value < this.value) {
      this.value = value;
      this.w.set(weights);
      this.alpha.set(from);
      this.b = b;
    }
  }

  /** The best point as the solver's answer, with `gap` as its certificate and the residual its duals give. */
  output(end: Ending, epochs: number, gap: number, progress: Progress, C: number): SolverOutput {
    const { p, w, alpha, b } = this;
    const { d, y } = p;
    const theta = new Float64Array(d + (p.fitIntercept ? 1 : 0));
    theta.set(w);
    if (p.fitIntercept) theta[d] = b;
    // At the kink y_i f_i = 1 the hinge's derivative is −y_i β_i with β_i = α_i / C in [0, 1].
    const { residual } = subgradientResidual(p, w, b, undefined, (i) => (-y[i] * alpha[i]) / C);
    return { ...output(p, theta, epochs, end, progress, residual), dualityGap: gap };
  }
}
