/**
 * Numerically stable primitives, each written once. Every loss that needs ln(1 + e^x),
 * the logistic sigmoid or ln cosh calls these instead of the literal formula, which
 * overflows (e^x for x > 709) or cancels (1 - σ(x) for large x).
 *
 * Accuracy: each keeps a relative error of a few ulps over the whole double range where the
 * result is a normal number (checked against decimal.js at 50 digits in test/stable.spec.ts).
 * They are built on elementary.ts's exp, expm1 and log1p, which V8 inlines into the loss's
 * loops, and choose between forms by arithmetic rather than by branching on the sign of their
 * argument: over random labels and scores such a branch mispredicts about half the time.
 */
import { checkScalar } from '../validate';
import { exp, expm1Positive, log1pUnit } from './elementary';

/**
 * max(s, 0), exactly, without a data-dependent branch (V8 does not compile Math.max or a
 * ternary to one): s times the 0 or 1 of a comparison, for any s > -Infinity. (Adding the
 * halves 0.5 s + 0.5 |s| rounds subnormal s: 7 · 2^-1074 came out as 8 · 2^-1074.)
 * `+ 0` turns the -0 of a negative s into +0.
 */
export function positivePart(s: number): number {
  return s * +(s > 0) + 0;
}

/** -1, 0 or 1 as x is negative, zero (or NaN) or positive, without a branch. */
export function signOf(x: number): number {
  return +(x > 0) - +(x < 0);
}

/**
 * softplus(x) = ln(1 + e^x), without overflow: max(x, 0) + ln(1 + e^-|x|), two non-negative
 * terms, for any finite x. Unchecked: for kernels whose inputs were validated once per call
 * (see `softplus`).
 */
export function uncheckedSoftplus(x: number): number {
  return positivePart(x) + log1pUnit(exp(-Math.abs(x)));
}

/**
 * σ(x) = 1 / (1 + e^-x), evaluated so that the exponential never overflows and small tails
 * keep full relative precision (σ(-40) ≈ 4.2e-18, not 0): with e = e^-|x|, it is 1 / (1 + e)
 * for x >= 0 and e / (1 + e) otherwise, the numerator chosen by arithmetic.
 * Unchecked: for kernels whose inputs were validated once per call (see `sigmoid`).
 */
export function uncheckedSigmoid(x: number): number {
  const e = exp(-Math.abs(x));
  const one = +(x >= 0);
  return (one + (1 - one) * e) / (1 + e);
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
  if (t >= 0.25 && t <= 0.75) return 0.5 * Math.tanh(0.5 * z) - (t - 0.5);
  return outerSigmoidMinus(z, t, exp(-Math.abs(z)));
}

/**
 * The first two forms of `uncheckedSigmoidMinus` (t < 1/4 or t > 3/4) from a given
 * e = e^-|z|, so that a fused value-and-gradient loop needs one exponential. The form is chosen
 * by arithmetic: hard labels 0 and 1 in random order would make a branch on t mispredict. With
 * low = 1 for t < 1/4 it computes -t + σ(z), else (1 - t) - σ(-z), rounding exactly as those
 * two expressions do (every product below is by 0 or 1).
 */
export function outerSigmoidMinus(z: number, t: number, e: number): number {
  const low = +(t < 0.25);
  // σ(z)'s numerator is 1 for z >= 0, σ(-z)'s for z <= 0; otherwise it is e.
  const one = low * +(z >= 0) + (1 - low) * +(z <= 0);
  const s = (one + (1 - one) * e) / (1 + e);
  return (1 - low) * (1 - t) - low * t + (2 * low - 1) * s;
}

/** σ(x) σ(-x) = e^-|x| / (1 + e^-|x|)^2: the logistic density, accurate in both tails. */
export function sigmoidSlope(x: number): number {
  const e = exp(-Math.abs(x));
  const d = 1 + e;
  return e / (d * d);
}

/**
 * Beyond this |x|, ln cosh x = |x| - ln 2 and tanh x = ±1 to double precision (e^-700 is far
 * below u), so e^|x| - 1 is computed at this |x| at most, where it is finite and so is its square.
 */
const COSH_CLAMP = 350;

/** e^min(a, COSH_CLAMP) - 1 for a = |x|: the one exponential ln cosh and tanh share. */
export function coshTerm(a: number): number {
  return expm1Positive(a < COSH_CLAMP ? a : COSH_CLAMP);
}

/**
 * ln cosh a for a = |x| >= 0 from E = coshTerm(a), in one of two forms chosen by arithmetic:
 * - a < 1: ln(1 + (cosh a - 1)) with cosh a - 1 = E² / (2 (1 + E)) in [0, 0.55]: nothing
 *   cancels, and near 0 the result keeps the relative precision of E (≈ a²/2);
 * - a >= 1: a - ln 2 + ln(1 + e^-2a), with e^-2a = 1 / (1 + E)² <= e^-2: never overflows, and
 *   the logarithm's argument stays in [0, 1], where `log1pUnit` works.
 * Both arguments are finite for every a (E is at most e^350), so the one not chosen, multiplied
 * by 0, is exactly 0. a = Infinity (a residual of two huge finite numbers) gives Infinity.
 */
export function logcoshFrom(a: number, E: number): number {
  const small = +(a < 1);
  const inverse = 1 / (1 + E);
  const argument = small * (E * (E * inverse) * 0.5) + (1 - small) * (inverse * inverse);
  return (1 - small) * (a - Math.LN2) + log1pUnit(argument);
}

/**
 * tanh a for a = |x| from E = coshTerm(a): with q = E (E + 2) = e^2a - 1, tanh a = q / (q + 2),
 * which keeps the relative precision of E near 0 (q ≈ 2a) and is 1 beyond a ≈ 19.
 */
export function tanhFrom(E: number): number {
  const q = E * (E + 2);
  return q / (q + 2);
}

/**
 * ln cosh(x). Near 0 it is ln(1 + 2 sinh²(x/2)), which keeps relative precision where
 * cosh(x) - 1 cancels; elsewhere |x| + ln(1 + e^{-2|x|}) - ln 2, which never overflows (see
 * `logcoshFrom`). Unchecked: for kernels whose inputs were validated once per call (see
 * `logcosh`); it returns Infinity for an infinite x, which a residual f - y of two huge finite
 * numbers can be.
 */
export function uncheckedLogcosh(x: number): number {
  const a = Math.abs(x);
  return logcoshFrom(a, coshTerm(a));
}

/**
 * tanh(x), the slope of ln cosh, from the same exponential (see `tanhFrom`); ±1 for x = ±Infinity.
 * A zero is returned as it is, so that tanh(-0) = -0; for every other x that test goes the same
 * way. (Math.sign would keep the sign of a zero too, but V8 does not inline it: 13 against 3 ns
 * per element for the arithmetic sign.)
 */
export function uncheckedTanh(x: number): number {
  return x === 0 ? x : signOf(x) * tanhFrom(coshTerm(Math.abs(x)));
}

/** sech²(x) = 1 - tanh²(x) = 4 e^{-2|x|} / (1 + e^{-2|x|})², without overflow of cosh. */
export function sech2(x: number): number {
  const e = exp(-2 * Math.abs(x));
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
 * logcosh(1e-8);  // 5.000000000000002e-17  (≈ x²/2, where ln(cosh x) gives 0)
 * logcosh(1e4);   // 9999.30685281944
 * ```
 */
export function logcosh(x: number): number {
  return uncheckedLogcosh(checkScalar('logcosh', 'x', x, 'real'));
}
