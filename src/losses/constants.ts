/**
 * The optimal constants of the built-in losses, declared as their `optimalConstant`
 * capability: each the empirical version of the loss's population minimiser (mean, median,
 * τ-quantile, log-odds, ...), computed from the sorted sample so that the answer depends on
 * the multiset of targets only, never on their order.
 */
import { scaledMean } from '../linalg/scale';
import type { ConstantMinimisers } from './types';

const at = (c: number): ConstantMinimisers => ({ lower: c, upper: c });

/** The mean: squared error, and cross-entropy on probabilities. Summed after a power-of-two scaling, so targets near ±1.7e308 give a finite mean. */
export function meanConstant(sorted: Float64Array): ConstantMinimisers {
  return at(scaledMean(sorted, sorted.length));
}

/**
 * The τ-quantile (τ = 1/2: the median of l1): the interval [y₍ₖ₎, y₍ₖ₊₁₎] when τn = k is an
 * integer (compared allowing for the rounding of τ, so τ = 0.3 acts as 3/10), else y₍⌈τn⌉₎;
 * the slope of the risk between order statistics with k values below is k − τn (times 1/n).
 * Koenker, *Quantile Regression* (2005), §1.3.
 */
export function quantileConstant(tau: number): (sorted: Float64Array) => ConstantMinimisers {
  return (s) => {
    const n = s.length;
    const target = tau * n;
    const k = Math.round(target);
    if (Math.abs(target - k) <= n * Number.EPSILON && k >= 1 && k <= n - 1) return { lower: s[k - 1], upper: s[k] };
    return at(s[Math.min(n, Math.max(1, Math.ceil(target))) - 1]);
  };
}

/**
 * ε-insensitive: [e₍ₙ₎, e₍ₙ₊₁₎] of the 2n values yᵢ ± ε sorted. The slope of the risk is
 * #{yᵢ + ε < c} − #{yᵢ − ε > c}, which is −n plus the number of those values below c.
 */
export function tubeConstant(epsilon: number): (sorted: Float64Array) => ConstantMinimisers {
  return (y) => {
    const n = y.length;
    const events = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      events[2 * i] = y[i] - epsilon;
      events[2 * i + 1] = y[i] + epsilon;
    }
    events.sort();
    return { lower: events[n - 1], upper: events[n] };
  };
}

/** Hinge: 1 if positives outnumber negatives, −1 if the reverse, [−1, 1] on a tie (a half-line when one class is absent). */
export function hingeConstant(y: Float64Array): ConstantMinimisers {
  const positives = countPositive(y);
  const negatives = y.length - positives;
  if (positives > negatives) return { lower: 1, upper: negatives === 0 ? Infinity : 1 };
  if (negatives > positives) return { lower: positives === 0 ? -Infinity : -1, upper: -1 };
  return { lower: -1, upper: 1 };
}

/**
 * `scale` times the log-odds ln(p / (1 − p)) of the share p of positive labels (`from:
 * 'labels'`, labels ±1) or of the mean target (`from: 'mean'`, soft targets in [0, 1]):
 * logistic and cross-entropy with logits (scale 1), exponential (scale ½). When all labels
 * agree the risk tends to 0 as c → ±∞ without reaching it.
 */
export function logOddsConstant(from: 'labels' | 'mean', scale: number): (sorted: Float64Array) => ConstantMinimisers {
  return (s) => {
    const p = from === 'mean' ? scaledMean(s, s.length) : countPositive(s) / s.length;
    if (p === 0 || p === 1) return { limit: p === 1 ? Infinity : -Infinity, infimum: 0 };
    const logOdds = Math.log(p / (1 - p));
    return at(scale * logOdds);
  };
}

function countPositive(y: Float64Array): number {
  let positives = 0;
  for (let i = 0; i < y.length; i++) if (y[i] > 0) positives++;
  return positives;
}
