/**
 * The best constant prediction for a sample: the minimisers of the empirical risk
 * R(c) = (1/n) Σ loss(yᵢ, c) over constants c, i.e. the empirical version of each loss's
 * population minimiser (mean, median, τ-quantile, log-odds, ...).
 */
import { LossInputError, UnsupportedProblemError } from '../errors';
import { scaledMean as mean } from '../linalg/scale';
import { displayAs } from '../losses/display-hook';
import type { ConstantMinimisers, Loss } from '../losses/types';
import type { Vec } from '../vec';
import { checkLoss, type NumberArray, toVector } from '../validate';

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
 * The constant c minimising (1/n) Σ loss(yᵢ, c), with every minimiser when there are many.
 * A loss that knows its minimisers declares them (`loss.capabilities.optimalConstant`, in
 * src/losses/constants.ts for the built-in ones):
 * - l2: the mean; crossEntropy: the mean target p;
 * - l1: the median interval [y₍ₖ₎, y₍ₖ₊₁₎] for even n = 2k (a point for odd n);
 * - quantile(τ): the τ-quantile, an interval when τn is an integer;
 * - epsilonInsensitive(ε): the middle pair of the 2n values yᵢ ± ε;
 * - hinge: 1 if positives outnumber negatives, −1 if the reverse, [−1, 1] on a tie
 *   (a half-line when one class is absent);
 * - logistic and crossEntropyWithLogits: the log-odds ln(p / (1 − p)) of the share p of
 *   positive labels (soft labels average); exponential: half of it. When all labels agree
 *   the log-odds are ±Infinity: R tends to 0 as c → ±∞ but never reaches it, reported as
 *   `attained: false`, value ±Infinity and risk 0 (the infimum).
 * Any other convex loss: bisection on the monotone derivative of R for the ends of the
 * interval where it is zero up to the rounding of its sum; that interval counts as a plateau
 * of minimisers only where R has no curvature, else it is one point.
 *
 * The sample is sorted first, so the answer is the same, bit for bit, for every ordering of
 * it; means and risks are summed after a power-of-two scaling, so targets near ±1.7e308 give
 * finite answers.
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
  return displayAs('optimalConstant', solveConstant(loss, y));
}

function solveConstant(loss: Loss, y: Vec): OptimalConstant {
  checkLoss(loss);
  // Sorted below from this copy: a second read of y could meet other values than the ones checked.
  const yv = toVector(loss.id, 'y', y, loss.target);
  const n = yv.length;
  if (!loss.properties.convex) {
    throw new UnsupportedProblemError('optimalConstant', {
      loss: loss.id,
      argument: 'loss',
      problem: 'is not convex, so its risk over constants may have several separate minimisers',
      domain: 'a convex loss (for zeroOne the best constant is the majority label)',
    });
  }
  // Every sum below runs over the sorted sample, so the answer depends on the multiset of
  // labels only, never on their order (rounding would otherwise differ between orders).
  const s = sorted(yv, n);
  const declared = loss.capabilities.optimalConstant;
  return declared === undefined ? bisection(loss, s, n) : fromMinimisers(loss, s, declared(s));
}

/** The answer from a loss's declared minimisers, which a user's loss may get wrong in shape. */
function fromMinimisers(loss: Loss, s: Float64Array, m: ConstantMinimisers): OptimalConstant {
  if (typeof m === 'object' && m !== null && 'limit' in m) {
    const { limit, infimum } = m;
    if (Math.abs(limit) === Infinity && Number.isFinite(infimum))
      return { value: limit, interval: [limit, limit], risk: infimum, unique: true, attained: false };
  } else if (typeof m === 'object' && m !== null) {
    const { lower, upper } = m as { lower: unknown; upper: unknown };
    if (
      typeof lower === 'number' &&
      typeof upper === 'number' &&
      lower <= upper &&
      lower < Infinity &&
      upper > -Infinity
    )
      return between(loss, s, lower, upper);
  }
  throw new LossInputError({
    loss: loss.id,
    argument: 'loss',
    value: m,
    problem: 'has a capabilities.optimalConstant that gave no interval',
    domain: '{ lower, upper } with lower <= upper, or { limit: ±Infinity, infimum } with a finite infimum',
  });
}

/**
 * (1/n) Σ loss(yᵢ, c), summed after an exact power-of-two scaling by the largest term, so
 * that it is finite whenever the mean is (terms near 1e308 would overflow a plain sum).
 */
function risk(loss: Loss, y: Float64Array, c: number): number {
  const n = y.length;
  const terms = new Float64Array(n);
  loss.kernels.values(y, new Float64Array(n).fill(c), terms, n);
  return mean(terms, n);
}

function point(loss: Loss, y: Float64Array, c: number): OptimalConstant {
  return { value: c, interval: [c, c], risk: risk(loss, y, c), unique: true, attained: true };
}

function between(loss: Loss, y: Float64Array, lo: number, hi: number): OptimalConstant {
  if (lo === hi) return point(loss, y, lo);
  const value = Number.isFinite(lo) && Number.isFinite(hi) ? midpoint(lo, hi) : Number.isFinite(lo) ? lo : hi;
  return { value, interval: [lo, hi], risk: risk(loss, y, value), unique: false, attained: true };
}

/** (lo + hi) / 2 without overflow when hi − lo exceeds the largest double (ends near ∓1.7e308). */
function midpoint(lo: number, hi: number): number {
  const width = hi - lo;
  return Number.isFinite(width) ? lo + width / 2 : lo / 2 + hi / 2;
}

function sorted(y: NumberArray, n: number): Float64Array {
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = y[i];
  return s.sort();
}

/**
 * The interval where the non-decreasing R'(c) = (1/n) Σ ∂loss(yᵢ, c) is zero, found by
 * bisection to adjacent doubles after bracketing by doubling steps.
 *
 * The computed slope sum S(c) = Σ ĝᵢ is trusted for its sign only outside ±tol(c),
 * tol = (n + 1)·eps·Σ|ĝᵢ|: recursive summation is off by at most (n − 1)·u·Σ|ĝᵢ| (u = eps/2;
 * Higham, *Accuracy and Stability of Numerical Algorithms*, 2002, §4.2) and each ĝᵢ by about 2u|gᵢ|
 * (one rounded difference or product before a clamp, or tanh to an ulp), so the bound is twice
 * the first-order error. Without it, slopes ±δ that cancel exactly in real arithmetic sum to
 * ±2.8e-17 and a flat stretch of minimisers looks tilted (which way depends on the order).
 * The left end is the smallest c where S(c) is not surely negative, the right end the largest
 * where it is not surely positive.
 *
 * Inside that interval R' is zero only up to rounding: for a strictly convex R it is a few
 * ulps wide around the single minimiser. The interval is a genuine plateau exactly when R is
 * flat inside it, i.e. every term has zero curvature at its middle (each ∂loss(yᵢ, ·) is
 * non-decreasing and their sum is constant there, so each is constant); otherwise its middle
 * is reported as the unique minimiser. Probabilities stay in [0, 1], where a minimiser on the
 * boundary is attained.
 */
function bisection(loss: Loss, y: Float64Array, n: number): OptimalConstant {
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  /** −1 when R'(c) < 0 for sure, +1 when > 0 for sure, 0 when zero within rounding. */
  const slopeSign = (c: number): number => {
    f.fill(c);
    loss.kernels.derivatives(y, f, g, n);
    let sum = 0;
    let size = 0;
    for (let i = 0; i < n; i++) {
      sum += g[i];
      size += Math.abs(g[i]);
    }
    const tol = (n + 1) * Number.EPSILON * size;
    return sum < -tol ? -1 : sum > tol ? 1 : 0;
  };
  const notNegative = (c: number): boolean => slopeSign(c) >= 0;
  const positive = (c: number): boolean => slopeSign(c) > 0;
  const answer = (lo: number, hi: number): OptimalConstant =>
    !(hi > lo) ||
    (Number.isFinite(lo) &&
      Number.isFinite(hi) &&
      (loss.properties.strictlyConvex || curved(loss, y, midpoint(lo, hi))))
      ? point(loss, y, midpoint(lo, hi))
      : between(loss, y, lo, hi);
  if (loss.prediction === 'probability') {
    if (notNegative(0)) return point(loss, y, 0);
    if (!positive(1)) return point(loss, y, 1);
    return answer(bracketSwitch(notNegative, 0, 1)[1], bracketSwitch(positive, 0, 1)[0]);
  }
  const start = mean(y, n);
  // Bracket [a, b] with R' surely negative at a and surely positive at b, stepping out by
  // doubling widths and stopping at the largest finite doubles. Failing that, R is flat out to
  // infinity (a half-line of minimisers) or keeps decreasing (no minimiser).
  let a = start;
  let signA = slopeSign(a);
  let lowOpen = false;
  for (let width = 1 + Math.abs(start); signA >= 0; width *= 2) {
    if (a === -Number.MAX_VALUE) {
      if (signA > 0) return unattained(loss, y, a, -Infinity);
      lowOpen = true;
      break;
    }
    a = Math.max(a - width, -Number.MAX_VALUE);
    signA = slopeSign(a);
  }
  let b = start;
  let signB = slopeSign(b);
  let highOpen = false;
  for (let width = 1 + Math.abs(start); signB <= 0; width *= 2) {
    if (b === Number.MAX_VALUE) {
      if (signB < 0) return unattained(loss, y, b, Infinity);
      highOpen = true;
      break;
    }
    b = Math.min(b + width, Number.MAX_VALUE);
    signB = slopeSign(b);
  }
  const lo = lowOpen ? -Infinity : bracketSwitch(notNegative, a, b)[1];
  const hi = highOpen ? Infinity : bracketSwitch(positive, a, b)[0];
  return answer(lo, hi);
}

/** Whether R has positive curvature at c: some term's second derivative is non-zero there. */
function curved(loss: Loss, y: Float64Array, c: number): boolean {
  for (let i = 0; i < y.length; i++) if (loss.secondDerivative(y[i], c) > 0) return true;
  return false;
}

/** R keeps decreasing up to the largest finite `last` tried: report its risk there as the infimum. */
function unattained(loss: Loss, y: Float64Array, last: number, limit: number): OptimalConstant {
  return { value: limit, interval: [limit, limit], risk: risk(loss, y, last), unique: true, attained: false };
}

/** Bisection for the switch point of a monotone predicate on [a, b] (false at a, true at b): the last false and first true doubles. */
function bracketSwitch(holds: (c: number) => boolean, a: number, b: number): [number, number] {
  let left = a;
  let right = b;
  // Each step halves the gap; adjacent doubles are reached within about 2100 steps.
  for (;;) {
    const mid = midpoint(left, right);
    if (mid === left || mid === right) return [left, right];
    if (holds(mid)) right = mid;
    else left = mid;
  }
}
