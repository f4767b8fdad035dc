/**
 * High-precision reference formulas for every loss family, evaluated with decimal.js at 50
 * significant digits on the exact binary values of the double inputs. They are written from
 * the textbook definitions, independently of src/: a loss without an entry here makes the
 * suites fail, so a new loss cannot go untested.
 *
 * Where the literal formula would cancel even at 50 digits (ln(1 + e^x) for e^x below
 * 1e-50, σ(z) - 1 for large z), an algebraically equal form is used: 50 digits then give
 * far more than the 16 a double needs, which a literal form would not for scores up to 1e4.
 */
import Decimal from 'decimal.js';
import type { Loss } from '../../src/index';
import { familyOf } from './losses';

export const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
export type Dec = InstanceType<typeof D>;

const ZERO = new D(0);
const ONE = new D(1);
const TWO = new D(2);
const LN2 = TWO.ln();
const view = new DataView(new ArrayBuffer(8));
const powersOfTwo = new Map<number, Dec>();

function powerOfTwo(e: number): Dec {
  let p = powersOfTwo.get(e);
  if (p === undefined) {
    p = TWO.pow(e);
    powersOfTwo.set(e, p);
  }
  return p;
}

/** The exact value of a double (not the shortest decimal that rounds to it, as `new Decimal(x)` takes). */
export function exact(x: number): Dec {
  if (!Number.isFinite(x)) throw new Error(`exact(${x}): not a finite double`);
  if (x === 0) return ZERO;
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (hi & 0xfffff) * 4294967296 + lo; // < 2^52: exact in a double
  const mantissa = biased === 0 ? fraction : fraction + 2 ** 52; // < 2^53: still exact
  const magnitude = new D(mantissa).mul(powerOfTwo((biased === 0 ? 1 : biased) - 1075));
  return x < 0 ? magnitude.neg() : magnitude;
}

// decimal.js spends ~0.5 ms on one exp at this precision, and value, derivative and second
// derivative at a point all need e^x and e^-x: compute the pair once per argument.
const expCache = new Map<string, [Dec, Dec]>();

/** [e^x, e^-x], the second as 1 / e^x. */
function expPair(x: Dec): [Dec, Dec] {
  const key = x.toString();
  let pair = expCache.get(key);
  if (pair === undefined) {
    const e = x.exp();
    pair = [e, ONE.div(e)];
    if (expCache.size > 5000) expCache.clear();
    expCache.set(key, pair);
  }
  return pair;
}

/** ln(1 + x) for x > -1, keeping relative precision when |x| is far below the working precision. */
export function log1p(x: Dec): Dec {
  if (x.abs().lt(1e-20)) return x.sub(x.mul(x).div(2)).add(x.pow(3).div(3));
  return x.add(1).ln();
}

/** e^x - 1, by its Taylor series where e^x - 1 would cancel below the working precision. */
function expm1(x: Dec): Dec {
  if (x.abs().lt(1e-10)) return x.add(x.pow(2).div(2)).add(x.pow(3).div(6)).add(x.pow(4).div(24));
  return expPair(x)[0].sub(1);
}

/** ln(1 + e^x), as x + ln(1 + e^-x) for x > 0 so that no tiny term is lost beside 1. */
export function softplus(x: Dec): Dec {
  const [ePos, eNeg] = expPair(x);
  return x.gt(0) ? x.add(log1p(eNeg)) : log1p(ePos);
}

/** σ(x) = 1 / (1 + e^-x). */
export function sigmoid(x: Dec): Dec {
  return ONE.div(ONE.add(expPair(x)[1]));
}

/** σ(x) σ(-x) = 1 / ((1 + e^-x)(1 + e^x)). */
export function sigmoidSlope(x: Dec): Dec {
  const [ePos, eNeg] = expPair(x);
  return ONE.div(ONE.add(eNeg).mul(ONE.add(ePos)));
}

/** cosh x = (e^x + e^-x) / 2. */
function cosh(x: Dec): Dec {
  const [ePos, eNeg] = expPair(x);
  return ePos.add(eNeg).div(2);
}

/** ln cosh x, with its Taylor series where cosh x - 1 is below the working precision. */
export function logcosh(x: Dec): Dec {
  if (x.abs().lt(1e-12)) return x.pow(2).div(2).sub(x.pow(4).div(12));
  return cosh(x).ln();
}

/** tanh x = (e^x - e^-x) / (e^x + e^-x), with its Taylor series where the difference would cancel. */
export function tanh(x: Dec): Dec {
  if (x.abs().lt(1e-12)) return x.sub(x.pow(3).div(3));
  const [ePos, eNeg] = expPair(x);
  return ePos.sub(eNeg).div(ePos.add(eNeg));
}

/** sech² x = 1 / cosh² x. */
export function sech2(x: Dec): Dec {
  return ONE.div(cosh(x).pow(2));
}

/**
 * σ(z) - t over one denominator, written so that nothing cancels but σ(z) against t itself
 * (which 50 digits absorb): with e = e^-z it is ((1 - t) - t e) / (1 + e), multiplied
 * through by e^z for z <= -1, and with m = e^-z - 1 near 0 it is ((1 - 2t) - t m) / (2 + m),
 * so that σ(z) - 1/2 ≈ z/4 survives for |z| far below 1e-50.
 */
function logitGradient(t: Dec, z: Dec): Dec {
  if (z.gte(1)) {
    const e = expPair(z)[1];
    return ONE.sub(t).sub(t.mul(e)).div(ONE.add(e));
  }
  if (z.lte(-1)) {
    const e = expPair(z)[0];
    return ONE.sub(t).mul(e).sub(t).div(ONE.add(e));
  }
  const m = expm1(z.neg());
  return ONE.sub(t.mul(2)).sub(t.mul(m)).div(m.add(2));
}

const sign = (x: Dec): Dec => new D(x.gt(0) ? 1 : x.lt(0) ? -1 : 0);
const max0 = (x: Dec): Dec => (x.gt(0) ? x : ZERO);

export interface Reference {
  value(y: Dec, f: Dec): Dec;
  derivative(y: Dec, f: Dec): Dec;
  second(y: Dec, f: Dec): Dec;
  /**
   * What the derivative's error is measured against where the loss's formula leaves a
   * cancellation it states a bound for (crossEntropyWithLogits: |σ(z) - t| plus the distance
   * from t to the nearest of 0, 1/2, 1; see `uncheckedSigmoidMinus` in src/losses/stable.ts).
   * Absent when the derivative is accurate relative to itself (then |derivative| is the scale).
   */
  derivativeScale?(y: Dec, f: Dec): Dec;
}

/** The reference for one loss, by family; throws for a loss that has none. */
export function referenceFor(loss: Loss): Reference {
  const make = FAMILIES[familyOf(loss)];
  if (make === undefined)
    throw new Error(`no high-precision reference for loss '${loss.id}': add one to test/helpers/reference.ts`);
  return make(loss.params);
}

type Params = Readonly<Record<string, number>>;

function param(params: Params, name: string): Dec {
  const v = params[name];
  if (v === undefined) throw new Error(`reference: missing parameter ${name}`);
  return exact(v);
}

const FAMILIES: Record<string, (p: Params) => Reference> = {
  l1: () => ({
    value: (y, f) => y.sub(f).abs(),
    derivative: (y, f) => sign(f.sub(y)),
    second: () => ZERO,
  }),
  l2: () => ({
    value: (y, f) => y.sub(f).pow(2),
    derivative: (y, f) => f.sub(y).mul(2),
    second: () => TWO,
  }),
  square: () => ({
    value: (y, f) => ONE.sub(y.mul(f)).pow(2),
    derivative: (y, f) => y.mul(ONE.sub(y.mul(f))).mul(-2),
    second: (y) => y.mul(y).mul(2),
  }),
  hinge: () => ({
    value: (y, f) => max0(ONE.sub(y.mul(f))),
    derivative: (y, f) => (y.mul(f).lt(1) ? y.neg() : ZERO),
    second: () => ZERO,
  }),
  squaredHinge: () => ({
    value: (y, f) => max0(ONE.sub(y.mul(f))).pow(2),
    derivative: (y, f) => y.mul(max0(ONE.sub(y.mul(f)))).mul(-2),
    second: (y, f) => (y.mul(f).lt(1) ? TWO : ZERO),
  }),
  modifiedHuber: () => ({
    value: (y, f) => {
      const m = y.mul(f);
      return m.lt(-1) ? m.mul(-4) : max0(ONE.sub(m)).pow(2);
    },
    derivative: (y, f) => {
      const m = y.mul(f);
      return m.lt(-1) ? y.mul(-4) : y.mul(max0(ONE.sub(m))).mul(-2);
    },
    second: (y, f) => {
      const m = y.mul(f);
      return m.gt(-1) && m.lt(1) ? TWO : ZERO;
    },
  }),
  zeroOne: () => ({
    value: (y, f) => (y.mul(f).lte(0) ? ONE : ZERO),
    derivative: () => ZERO,
    second: () => ZERO,
  }),
  logistic: () => ({
    value: (y, f) => softplus(y.mul(f).neg()).div(LN2),
    derivative: (y, f) =>
      y
        .neg()
        .mul(sigmoid(y.mul(f).neg()))
        .div(LN2),
    second: (y, f) =>
      y
        .mul(y)
        .mul(sigmoidSlope(y.mul(f)))
        .div(LN2),
  }),
  exponential: () => ({
    value: (y, f) => expPair(y.mul(f))[1],
    derivative: (y, f) => y.neg().mul(expPair(y.mul(f))[1]),
    second: (y, f) => y.mul(y).mul(expPair(y.mul(f))[1]),
  }),
  crossEntropy: () => ({
    // 0 ln 0 = 0: a term with a zero coefficient is dropped before its logarithm is taken.
    value: (t, p) => {
      const a = t.isZero() ? ZERO : t.mul(p.ln()).neg();
      const b = t.eq(1) ? ZERO : ONE.sub(t).mul(log1p(p.neg())).neg();
      return a.add(b);
    },
    derivative: (t, p) => {
      const a = t.isZero() ? ZERO : t.div(p).neg();
      const b = t.eq(1) ? ZERO : ONE.sub(t).div(ONE.sub(p));
      return a.add(b);
    },
    second: (t, p) => {
      const a = t.isZero() ? ZERO : t.div(p.pow(2));
      const b = t.eq(1) ? ZERO : ONE.sub(t).div(ONE.sub(p).pow(2));
      return a.add(b);
    },
  }),
  crossEntropyWithLogits: () => ({
    // ln(1 + e^z) - t z = (1 - t) softplus(z) + t softplus(-z): two non-negative terms.
    value: (t, z) =>
      ONE.sub(t)
        .mul(softplus(z))
        .add(t.mul(softplus(z.neg()))),
    derivative: (t, z) => logitGradient(t, z),
    second: (_t, z) => sigmoidSlope(z),
    derivativeScale: (t, z) =>
      logitGradient(t, z)
        .abs()
        .add(D.min(t, t.sub(0.5).abs(), ONE.sub(t))),
  }),
  logCosh: () => ({
    value: (y, f) => logcosh(f.sub(y)),
    derivative: (y, f) => tanh(f.sub(y)),
    second: (y, f) => sech2(f.sub(y)),
  }),
  pseudoHuber: (p) => {
    const delta = param(p, 'delta');
    /** √(1 + (r/δ)²) for r = y − f. */
    const root = (y: Dec, f: Dec): Dec => ONE.add(y.sub(f).div(delta).pow(2)).sqrt();
    return {
      // δ² (√(1 + x²) − 1) = δ² x² / (√(1 + x²) + 1) = r² / (√(1 + x²) + 1): the textbook
      // form cancels for |x| below 1e-25 even at 50 digits, this one never.
      value: (y, f) => y.sub(f).pow(2).div(root(y, f).add(1)),
      derivative: (y, f) => f.sub(y).div(root(y, f)),
      second: (y, f) => ONE.div(root(y, f).pow(3)),
    };
  },
  huber: (p) => {
    const delta = param(p, 'delta');
    return {
      value: (y, f) => {
        const a = y.sub(f).abs();
        return a.lte(delta) ? a.pow(2).div(2) : delta.mul(a.sub(delta.div(2)));
      },
      derivative: (y, f) => D.min(delta, D.max(delta.neg(), f.sub(y))),
      second: (y, f) => (y.sub(f).abs().lt(delta) ? ONE : ZERO),
    };
  },
  quantile: (p) => {
    const tau = param(p, 'tau');
    return {
      value: (y, f) => {
        const r = y.sub(f);
        return r.gte(0) ? tau.mul(r) : tau.sub(1).mul(r);
      },
      derivative: (y, f) => {
        const r = y.sub(f);
        return r.gt(0) ? tau.neg() : r.lt(0) ? ONE.sub(tau) : ZERO;
      },
      second: () => ZERO,
    };
  },
  epsilonInsensitive: (p) => {
    const eps = param(p, 'epsilon');
    return {
      value: (y, f) => max0(y.sub(f).abs().sub(eps)),
      derivative: (y, f) => {
        const g = f.sub(y);
        return g.gt(eps) ? ONE : g.lt(eps.neg()) ? ONE.neg() : ZERO;
      },
      second: () => ZERO,
    };
  },
};

export const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Absolute error always allowed: 2^-1063, a thousand units of the last place of a subnormal.
 * Intermediate results that pass through the subnormal range lose that much honestly.
 */
const SUBNORMAL_SLACK = new D(2).pow(-1063);

/**
 * Why `got` is not an acceptable double for the true value `ref`, or null when it is.
 * - |ref| a normal double: |got - ref| <= tol (an absolute bound in the units of ref);
 * - |ref| below the normal range: got may also be 0 or subnormal, of the same sign;
 * - |ref| above the largest double: got must be the Infinity of ref's sign;
 * - never NaN.
 */
export function mismatch(got: number, ref: Dec, tol: Dec): string | null {
  if (Number.isNaN(got)) return `got NaN, expected ${ref.toSignificantDigits(17).toString()}`;
  const magnitude = ref.abs();
  if (magnitude.gt(Number.MAX_VALUE)) {
    return got === (ref.isNegative() ? -Infinity : Infinity)
      ? null
      : `true value ${ref.toSignificantDigits(6).toString()} overflows, expected ${ref.isNegative() ? '-' : ''}Infinity, got ${got}`;
  }
  if (!Number.isFinite(got)) return `got ${got}, expected ${ref.toSignificantDigits(17).toString()}`;
  const allowed = D.max(tol, SUBNORMAL_SLACK);
  const err = exact(got).sub(ref).abs();
  if (err.lte(allowed)) return null;
  if (magnitude.lt(MIN_NORMAL) && !ref.isZero()) {
    const sameSign = got === 0 || got > 0 === ref.isPositive();
    if (Math.abs(got) <= MIN_NORMAL && sameSign) return null;
    return `true value ${ref.toSignificantDigits(6).toString()} underflows, expected 0 or a subnormal, got ${got}`;
  }
  const rel = magnitude.isZero() ? err : err.div(magnitude);
  return `got ${got}, expected ${ref.toSignificantDigits(17).toString()} (relative error ${rel.toSignificantDigits(3).toString()}, allowed ${allowed
    .div(magnitude.isZero() ? 1 : magnitude)
    .toSignificantDigits(3)
    .toString()})`;
}

/** Unit roundoff of doubles, 2^-53. */
export const UNIT_ROUNDOFF = new D(2).pow(-53);
