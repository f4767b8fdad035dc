import { mean, norm1, scores } from '../../linalg/dense';
import type { Problem } from '../types';

/**
 * The ERM objective (1/n) Σ loss(y_i, w·x_i + b) + l1 ‖w‖₁ + (l2/2) ‖w‖². `buffer` (length n)
 * receives the scores, so callers in loops pass one to avoid allocating.
 */
export function objective(
  p: Problem,
  w: ArrayLike<number>,
  b: number,
  buffer: Float64Array = new Float64Array(p.n),
): number {
  return objectiveAtScores(p, w, scores(p.X, w, b, buffer));
}

/**
 * The objective from the scores f = X w + b already computed; f is overwritten when the sum of
 * the losses overflows.
 */
export function objectiveAtScores(p: Problem, w: ArrayLike<number>, f: Float64Array): number {
  const sum = p.loss.kernels.sum(p.y, f, p.n);
  if (Number.isFinite(sum)) return sum / p.n + penalty(p, w);
  // The sum overflowed: the mean term by term, finite whenever the mean itself is.
  p.loss.kernels.values(p.y, f, f, p.n);
  const value = mean(f, p.n) + penalty(p, w);
  return Number.isNaN(value) ? Infinity : value;
}

/** l1 ‖w‖₁ + (l2/2) ‖w‖² (the intercept is not penalised). */
export function penalty(p: Problem, w: ArrayLike<number>): number {
  let sq = 0;
  if (p.l2 !== 0) for (let j = 0; j < p.d; j++) sq += w[j] * w[j];
  return (p.l1 === 0 ? 0 : p.l1 * norm1(w, p.d)) + 0.5 * p.l2 * sq;
}
