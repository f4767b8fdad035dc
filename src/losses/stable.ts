/**
 * Numerically stable primitives, each written once. Every loss that needs ln(1 + e^x),
 * the logistic sigmoid or ln cosh calls these instead of the literal formula, which
 * overflows (e^x for x > 709) or cancels (1 - σ(x) for large x).
 *
 * Accuracy: each keeps a relative error of a few ulps over the whole double range where the
 * result is a normal number (checked against decimal.js at 50 digits in test/stable.spec.ts).
 */
import { checkScalar } from '../validate';

/**
 * max(s, 0), exactly, without a data-dependent branch (V8 does not compile Math.max or a
 * ternary to one): s times the 0 or 1 of a comparison, for any s > -Infinity. (Adding the
 * halves 0.5 s + 0.5 |s| rounds subnormal s: 7 · 2^-1074 came out as 8 · 2^-1074.)
 * `+ 0` turns the -0 of a negative s into +0.
 */
export function positivePart(s: number): number {
  return s * +(s > 0) + 0;
}

/**
 * softplus(x) = ln(1 + e^x), without overflow: for x > 0 it is x + ln(1 + e^-x).
 * Unchecked: for kernels whose inputs were validated once per call (see `softplus`).
 */
export function uncheckedSoftplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * σ(x) = 1 / (1 + e^-x), evaluated so that the exponential never overflows and small
 * tails keep full relative precision (σ(-40) ≈ 4.2e-18, not 0).
 * Unchecked: for kernels whose inputs were validated once per call (see `sigmoid`).
 */
export function uncheckedSigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * σ(z) - t for a target t in [0, 1]: the gradient of cross-entropy on a logit. One of three
 * forms, chosen by t so that what cancels is only what must (u = 2^-53; σ from
 * `uncheckedSigmoid` is good to 5u and tanh to 2u; g = σ(z) - t; d(t) = the distance from t
 * to the nearest of 0, 1/2, 1):
 * - t < 1/4: σ(z) - t. Error <= 5u σ(z) + u |g| <= 6u (|g| + t).
 * - t > 3/4: (1 - t) - σ(-z), with 1 - t exact (Sterbenz). Error <= 6u (|g| + 1 - t).
 * - otherwise: tanh(z/2)/2 - (t - 1/2): σ(z) - 1/2 = tanh(z/2)/2 keeps relative precision
 *   near z = 0, where σ(z) itself rounds to 1/2, and t - 1/2 is exact (Sterbenz).
 *   Error <= 2u |σ(z) - 1/2| + u |g| <= 3u (|g| + |t - 1/2|).
 * So |error| <= 6u (|g| + d(t)): relative to g itself for hard labels, for t = 1/2, for tiny
 * t, and wherever σ(z) is not within a few d(t) of t. Only there a gradient much smaller than
 * d(t) <= 1/4 keeps an absolute error of up to 6u d(t) <= 3.4e-16; closing that gap would
 * take logit(t) to twice double precision.
 */
export function uncheckedSigmoidMinus(z: number, t: number): number {
  if (t < 0.25) return uncheckedSigmoid(z) - t;
  if (t > 0.75) return 1 - t - uncheckedSigmoid(-z);
  return 0.5 * Math.tanh(0.5 * z) - (t - 0.5);
}

/** σ(x) σ(-x) = e^-|x| / (1 + e^-|x|)^2: the logistic density, accurate in both tails. */
export function sigmoidSlope(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const d = 1 + e;
  return e / (d * d);
}

/**
 * ln cosh(x). Near 0 it is ln(1 + 2 sinh²(x/2)), which keeps relative precision where
 * cosh(x) - 1 cancels; elsewhere |x| + ln(1 + e^{-2|x|}) - ln 2, which never overflows.
 * Unchecked: for kernels whose inputs were validated once per call (see `logcosh`); it
 * returns Infinity for an infinite x, which a residual f - y of two huge finite numbers can be.
 */
export function uncheckedLogcosh(x: number): number {
  const a = Math.abs(x);
  if (a < 1) {
    const s = Math.sinh(0.5 * a);
    return Math.log1p(2 * s * s);
  }
  return a - Math.LN2 + Math.log1p(Math.exp(-2 * a));
}

/** sech²(x) = 1 - tanh²(x) = 4 e^{-2|x|} / (1 + e^{-2|x|})², without overflow of cosh. */
export function sech2(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  const d = 1 + e;
  return (4 * e) / (d * d);
}

/*
 * The public primitives check their argument like every public function (a NaN in, a
 * LossInputError out), then run the unchecked formula.
 */

/**
 * softplus(x) = ln(1 + e^x), for any finite x: x + ln(1 + e^-x) for x > 0, so that e^x never
 * overflows, and ln(1 + e^x) otherwise, where log1p keeps tiny values exact.
 *
 * @example
 * ```ts
 * import { softplus } from 'losslab';
 * softplus(0);     // 0.6931471805599453
 * softplus(1000);  // 1000
 * softplus(-40);   // 4.248354255291589e-18
 * softplus(-1e4);  // 0  (the true value e^-10000 is below the smallest double)
 * ```
 */
export function softplus(x: number): number {
  return uncheckedSoftplus(checkScalar('softplus', 'x', x, 'real'));
}

/**
 * The logistic sigmoid σ(x) = 1 / (1 + e^-x), for any finite x, with full relative precision
 * in both tails.
 *
 * @example
 * ```ts
 * import { sigmoid } from 'losslab';
 * sigmoid(0);    // 0.5
 * sigmoid(-40);  // 4.248354255291589e-18
 * sigmoid(1e4);  // 1
 * ```
 */
export function sigmoid(x: number): number {
  return uncheckedSigmoid(checkScalar('sigmoid', 'x', x, 'real'));
}

/**
 * ln cosh(x) for any finite x, without overflowing cosh and without cancelling near 0.
 *
 * @example
 * ```ts
 * import { logcosh } from 'losslab';
 * logcosh(1e-8);  // 5.0000000000000005e-17  (≈ x²/2, where ln(cosh x) gives 0)
 * logcosh(1e4);   // 9999.30685281944
 * ```
 */
export function logcosh(x: number): number {
  return uncheckedLogcosh(checkScalar('logcosh', 'x', x, 'real'));
}
