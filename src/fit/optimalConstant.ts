/**
 * The best constant prediction for a sample: the minimisers of the empirical risk
 * R(c) = (1/n) Σ loss(yᵢ, c) over constants c, i.e. the empirical version of each loss's
 * population minimiser (mean, median, τ-quantile, log-odds, ...).
 */
import { LossInputError } from '../errors';
import { crossEntropy, crossEntropyWithLogits } from '../losses/probability';
import { exponential, hinge, logistic } from '../losses/margin';
import { l1, l2 } from '../losses/regression';
import type { Loss, Vec } from '../losses/types';
import { checkLoss, checkVector } from '../validate';
import { quantileLevel, tubeWidth } from './recognise';

export interface OptimalConstant {
  /** A minimiser of R (the midpoint when there is a whole interval of them); ±Infinity when none is attained. */
  value: number;
  /** Every minimiser: [lo, hi], a single point when unique (ends may be ±Infinity for a half-line). */
  interval: [number, number];
  /** min R, or its infimum when it is not attained. */
  risk: number;
  /** Whether the interval is a single point. */
  unique: boolean;
  /** False when R decreases towards its infimum as c → ±∞ without reaching it (all labels agree, for logistic-type losses). */
  attained: boolean;
}

/**
 * The constant c minimising (1/n) Σ loss(yᵢ, c), with every minimiser when there are many:
 * - l2: the mean;
 * - l1: the median interval [y₍ₖ₎, y₍ₖ₊₁₎] for even n = 2k (a point for odd n);
 * - quantile(τ): the τ-quantile, the interval [y₍ₖ₎, y₍ₖ₊₁₎] when τn = k is an integer
 *   (compared allowing for the rounding of τ, so τ = 0.3 acts as 3/10), else y₍⌈τn⌉₎
 *   (Koenker, *Quantile Regression*, 2005, §1.3);
 * - epsilonInsensitive(ε): [e₍ₙ₎, e₍ₙ₊₁₎] of the 2n values yᵢ ± ε sorted (the slope of R is
 *   #{yᵢ + ε < c} − #{yᵢ − ε > c}, which is −n + the number of those values below c);
 * - hinge: 1 if positives outnumber negatives, −1 if the reverse, [−1, 1] on a tie
 *   (a half-line when one class is absent);
 * - logistic and crossEntropyWithLogits: the log-odds ln(p / (1 − p)) of the share p of
 *   positive labels (soft labels average); exponential: half of it; crossEntropy: p itself.
 *   When all labels agree the log-odds are ±Infinity: R tends to 0 as c → ±∞ but never
 *   reaches it, reported as `attained: false`, value ±Infinity and risk 0 (the infimum);
 * - any other convex loss: bisection on the monotone derivative of R for the ends of the
 *   interval where it changes sign (for a strictly convex loss, one point).
 *
 * @example
 * ```ts
 * import { optimalConstant, losses, quantile } from 'losslab';
 * optimalConstant(losses.l2, [1, 2, 6]).value;             // 3
 * optimalConstant(losses.l1, [1, 2, 6, 10]).interval;      // [2,6]
 * optimalConstant(quantile(0.9), [1, 2, 3, 4, 5]).value;   // 5
 * optimalConstant(losses.logistic, [1, 1, 1, -1]).value;   // 1.0986122886681096 (ln 3)
 * optimalConstant(losses.logistic, [1, 1]).attained;       // false
 * ```
 */
export function optimalConstant(loss: Loss, y: Vec): OptimalConstant {
  checkLoss(loss);
  const n = checkVector(loss.id, 'y', y, loss.target);
  if (!loss.properties.convex) {
    throw new LossInputError({
      loss: loss.id, argument: 'loss', problem: 'is not convex, so its risk over constants may have several separate minimisers',
      domain: 'a convex loss (for zeroOne the best constant is the majority label)',
    });
  }
  if (loss === l2) return point(loss, y, mean(y, n));
  const tau = loss === l1 ? 0.5 : quantileLevel(loss);
  if (tau !== null) return quantileInterval(loss, y, n, tau);
  const epsilon = tubeWidth(loss);
  if (epsilon !== null) return tubeInterval(loss, y, n, epsilon);
  if (loss === hinge) return hingeInterval(loss, y, n);
  if (loss === logistic || loss === crossEntropyWithLogits || loss === exponential) {
    const p = loss === crossEntropyWithLogits ? mean(y, n) : positiveShare(y, n);
    if (p === 0 || p === 1) {
      const value = p === 1 ? Infinity : -Infinity;
      return { value, interval: [value, value], risk: 0, unique: true, attained: false };
    }
    const logOdds = Math.log(p / (1 - p));
    return point(loss, y, loss === exponential ? logOdds / 2 : logOdds);
  }
  if (loss === crossEntropy) return point(loss, y, mean(y, n));
  return bisection(loss, y, n);
}

function risk(loss: Loss, y: Vec, c: number): number {
  const n = y.length;
  return loss.kernels.sum(y, new Float64Array(n).fill(c), n) / n;
}

function point(loss: Loss, y: Vec, c: number): OptimalConstant {
  return { value: c, interval: [c, c], risk: risk(loss, y, c), unique: true, attained: true };
}

function between(loss: Loss, y: Vec, lo: number, hi: number): OptimalConstant {
  if (lo === hi) return point(loss, y, lo);
  const value = Number.isFinite(lo) && Number.isFinite(hi) ? lo + (hi - lo) / 2 : Number.isFinite(lo) ? lo : hi;
  return { value, interval: [lo, hi], risk: risk(loss, y, value), unique: false, attained: true };
}

function mean(y: Vec, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += y[i];
  return s / n;
}

function positiveShare(y: Vec, n: number): number {
  let positives = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) positives++;
  return positives / n;
}

function sorted(y: Vec, n: number): Float64Array {
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = y[i];
  return s.sort();
}

/** Slope of R between order statistics with k values below: k − τn (times 1/n). */
function quantileInterval(loss: Loss, y: Vec, n: number, tau: number): OptimalConstant {
  const s = sorted(y, n);
  const target = tau * n;
  const k = Math.round(target);
  if (Math.abs(target - k) <= n * Number.EPSILON && k >= 1 && k <= n - 1) return between(loss, y, s[k - 1], s[k]);
  const index = Math.min(n, Math.max(1, Math.ceil(target))) - 1;
  return point(loss, y, s[index]);
}

function tubeInterval(loss: Loss, y: Vec, n: number, epsilon: number): OptimalConstant {
  const events = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    events[2 * i] = y[i] - epsilon;
    events[2 * i + 1] = y[i] + epsilon;
  }
  events.sort();
  return between(loss, y, events[n - 1], events[n]);
}

function hingeInterval(loss: Loss, y: Vec, n: number): OptimalConstant {
  let positives = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) positives++;
  const negatives = n - positives;
  if (positives > negatives) return between(loss, y, 1, negatives === 0 ? Infinity : 1);
  if (negatives > positives) return between(loss, y, positives === 0 ? -Infinity : -1, -1);
  return between(loss, y, -1, 1);
}

/**
 * The interval where the non-decreasing R'(c) = (1/n) Σ ∂loss(yᵢ, c) changes sign: its left
 * end is the smallest c with R'(c) >= 0, its right end the largest with R'(c) <= 0, each
 * found by bisection to adjacent doubles after bracketing by doubling steps. Probabilities
 * stay in [0, 1], where a minimiser on the boundary is attained.
 */
function bisection(loss: Loss, y: Vec, n: number): OptimalConstant {
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const slope = (c: number): number => {
    f.fill(c);
    loss.kernels.derivatives(y, f, g, n);
    let s = 0;
    for (let i = 0; i < n; i++) s += g[i];
    return s;
  };
  if (loss.prediction === 'probability') {
    if (slope(0) >= 0) return point(loss, y, 0);
    if (slope(1) <= 0) return point(loss, y, 1);
    const lo = bracketSwitch(slope, 0, 1, (v) => v >= 0)[1];
    const hi = bracketSwitch(slope, 0, 1, (v) => v > 0)[0];
    return loss.properties.strictlyConvex || !(hi > lo) ? point(loss, y, lo + (hi - lo) / 2) : between(loss, y, lo, hi);
  }
  const start = mean(y, n);
  // Bracket [a, b] with R'(a) < 0 < R'(b). Failing that at ±∞, R either is flat out to
  // infinity (a half-line of minimisers) or keeps decreasing (no minimiser).
  let a = start;
  let slopeA = slope(a);
  let lowOpen = false;
  for (let width = 1 + Math.abs(start); slopeA >= 0; width *= 2) {
    const next = a - width;
    if (!Number.isFinite(next)) {
      if (slopeA > 0) return unattained(loss, y, a, -Infinity);
      lowOpen = true;
      break;
    }
    a = next;
    slopeA = slope(a);
  }
  let b = start;
  let slopeB = slope(b);
  let highOpen = false;
  for (let width = 1 + Math.abs(start); slopeB <= 0; width *= 2) {
    const next = b + width;
    if (!Number.isFinite(next)) {
      if (slopeB < 0) return unattained(loss, y, b, Infinity);
      highOpen = true;
      break;
    }
    b = next;
    slopeB = slope(b);
  }
  const lo = lowOpen ? -Infinity : bracketSwitch(slope, a, b, (v) => v >= 0)[1];
  const hi = highOpen ? Infinity : bracketSwitch(slope, a, b, (v) => v > 0)[0];
  if (loss.properties.strictlyConvex || !(hi > lo)) return point(loss, y, lo + (hi - lo) / 2);
  return between(loss, y, lo, hi);
}

/** R keeps decreasing up to the largest finite `last` tried: report its risk there as the infimum. */
function unattained(loss: Loss, y: Vec, last: number, limit: number): OptimalConstant {
  return { value: limit, interval: [limit, limit], risk: risk(loss, y, last), unique: true, attained: false };
}

/** Bisection for the switch point of a monotone predicate on [a, b] (false at a, true at b): the last false and first true doubles. */
function bracketSwitch(slope: (c: number) => number, a: number, b: number, holds: (s: number) => boolean): [number, number] {
  let left = a;
  let right = b;
  for (;;) {
    const mid = left + (right - left) / 2;
    if (mid === left || mid === right) return [left, right];
    if (holds(slope(mid))) right = mid;
    else left = mid;
  }
}
