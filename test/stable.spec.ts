/**
 * The stable formulas against decimal.js at 50 digits, for scores up to |z| = 1e4: relative
 * error <= 1e-14 wherever the true value is a normal double, and the honest 0 / Infinity
 * (never NaN) where it under- or overflows the double range.
 */
import { expect } from 'chai';
import { losses, type Loss } from '../src/index';
import * as stable from '../src/losses/stable';
import { D, exact, mismatch, referenceFor, UNIT_ROUNDOFF, type Dec } from './helpers/reference';
import * as ref from './helpers/reference';
import { mulberry32 } from './helpers/rng';

const REL = new D(1e-14);

const MAGNITUDES = [
  0, 1e-300, 1e-20, 1e-16, 1e-10, 1e-8, 1e-3, 0.25, 0.5, 1, 1.5, 2, 5, 10, 18, 20, 36, 37, 40, 50, 100, 354, 355, 500,
  700, 708, 709, 709.7, 710, 744, 745, 746, 800, 1e3, 5e3, 1e4,
];

/** The listed magnitudes with both signs, plus 60 log-uniform random ones in [1e-10, 1e4]. */
const SCORES: readonly number[] = (() => {
  const rng = mulberry32(20240601);
  const zs = new Set<number>();
  for (const m of MAGNITUDES) {
    zs.add(m);
    zs.add(-m);
  }
  for (let i = 0; i < 60; i++) zs.add((rng() < 0.5 ? -1 : 1) * 10 ** (-10 + 14 * rng()));
  return [...zs];
})();

function expectAccurate(what: string, got: number, truth: Dec, tol: Dec = truth.abs().mul(REL)): void {
  const why = mismatch(got, truth, tol);
  expect(why, `${what}: ${why}`).to.equal(null);
}

describe('stable primitives (stable.ts) against decimal.js', () => {
  const primitives: Array<[string, (x: number) => number, (x: Dec) => Dec]> = [
    ['softplus', stable.softplus, ref.softplus],
    ['sigmoid', stable.sigmoid, ref.sigmoid],
    ['sigmoidSlope', stable.sigmoidSlope, ref.sigmoidSlope],
    ['logcosh', stable.logcosh, ref.logcosh],
    ['sech2', stable.sech2, ref.sech2],
  ];
  for (const [name, fn, truth] of primitives) {
    it(`${name}(x): relative error <= 1e-14 for |x| <= 1e4, honest 0 / Infinity outside the double range`, () => {
      for (const x of SCORES) expectAccurate(`${name}(${x})`, fn(x), truth(exact(x)));
    });
  }
});

interface StableCase {
  loss: Loss;
  /** Points (y, f) whose every value and derivative must be accurate. */
  points: Array<[number, number]>;
}

const CASES: StableCase[] = [
  {
    loss: losses.logistic,
    points: SCORES.flatMap(
      (z) =>
        [
          [1, z],
          [-1, z],
        ] as Array<[number, number]>,
    ),
  },
  {
    loss: losses.exponential,
    points: SCORES.flatMap(
      (z) =>
        [
          [1, z],
          [-1, z],
        ] as Array<[number, number]>,
    ),
  },
  // f - y is exact for y = 0 and for f = 0, so the residual carries no rounding of its own.
  {
    loss: losses.logCosh,
    points: SCORES.flatMap(
      (z) =>
        [
          [0, z],
          [z, 0],
        ] as Array<[number, number]>,
    ),
  },
  {
    loss: losses.crossEntropyWithLogits,
    points: SCORES.flatMap(
      (z) =>
        [
          [0, z],
          [1, z],
        ] as Array<[number, number]>,
    ),
  },
];

describe('stable losses at extreme scores against decimal.js', () => {
  for (const { loss, points } of CASES) {
    const truth = referenceFor(loss);
    it(`${loss.id}: value, derivative and second derivative for |score| <= 1e4`, () => {
      for (const [y, f] of points) {
        const Y = exact(y);
        const F = exact(f);
        expectAccurate(`${loss.id}.value(${y}, ${f})`, loss.value(y, f), truth.value(Y, F));
        const d = truth.derivative(Y, F);
        expectAccurate(`${loss.id}.derivative(${y}, ${f})`, loss.derivative(y, f), d);
        const second = loss.secondDerivative;
        if (second === undefined) throw new Error(`${loss.id} has no secondDerivative`);
        expectAccurate(`${loss.id}.secondDerivative(${y}, ${f})`, second(y, f), truth.second(Y, F));
      }
    });
  }

  it('includes the scores the contract names: ±1e3, ±1e4, ±40, ±1e-8 and 0', () => {
    for (const z of [1e3, -1e3, 1e4, -1e4, 40, -40, 1e-8, -1e-8, 0]) expect(SCORES).to.include(z);
  });

  it('never returns NaN for any finite score, and the values stay finite wherever the truth is', () => {
    for (const { loss, points } of CASES) {
      for (const [y, f] of points) {
        const v = loss.value(y, f);
        expect(Number.isNaN(v), `${loss.id}.value(${y}, ${f})`).to.equal(false);
        expect(Number.isNaN(loss.derivative(y, f)), `${loss.id}.derivative(${y}, ${f})`).to.equal(false);
      }
    }
    // Spot checks that say what "honest" means: the true value, not a clamp.
    expect(losses.logistic.value(1, -1e4)).to.be.closeTo(1e4 / Math.LN2, 1e-9);
    expect(losses.crossEntropyWithLogits.value(0, 1e4)).to.equal(1e4);
    expect(losses.exponential.value(1, -1e3)).to.equal(Infinity);
    expect(losses.exponential.value(1, 1e3)).to.equal(0);
    // A residual of two huge finite numbers overflows to Infinity inside the loss: the true
    // value overflows too, so Infinity is the honest answer, not an input error.
    expect(losses.logCosh.value(-1e308, 1e308)).to.equal(Infinity);
    expect(losses.logCosh.derivative(-1e308, 1e308)).to.equal(1);
    expect(losses.logCosh.secondDerivative?.(-1e308, 1e308)).to.equal(0);
  });
});

describe('crossEntropyWithLogits with soft labels against decimal.js', () => {
  const loss = losses.crossEntropyWithLogits;
  const truth = referenceFor(loss);
  const SOFT = [1e-300, 1e-17, 1e-3, 0.1, 0.25, 0.3, 0.5, 0.7, 0.75, 0.9, 0.999, 1 - 2 ** -53];
  const u = UNIT_ROUNDOFF;
  /** Distance from t to the nearest of 0, 1/2 and 1: the labels whose gradient is exact relative to itself. */
  const distance = (t: number): Dec => D.min(exact(t), exact(t).sub(0.5).abs(), new D(1).sub(exact(t)));
  /*
   * Error budget, with exp, log1p and tanh within 1 ulp (2u relative) as V8's fdlibm ports are:
   * - value: (1 - t) z or -t z (two roundings) plus log1p(e^{-|z|}) (2u + 2u), both >= 0, one
   *   addition: relative error <= 5u.
   * - derivative σ(z) - t: σ(z) is good to 5u, tanh(z/2)/2 to 2u; what cancels against t is at
   *   most |σ(z) - t| + d(t) (see probability.ts), so the error is <= 6u (|σ(z) - t| + d(t)).
   */
  const valueTol = (v: Dec): Dec => v.abs().mul(u.mul(5));
  const derivativeTol = (t: number, g: Dec): Dec => g.abs().add(distance(t)).mul(u.mul(6));

  it('the examples of the report: t = 0.5 near z = 0 is exact relative to σ(z) - 1/2 ≈ z/4', () => {
    for (const z of [1e-16, 1e-20, 1e-10, -1e-300]) {
      const g = truth.derivative(exact(0.5), exact(z));
      expectAccurate(`derivative(0.5, ${z})`, loss.derivative(0.5, z), g, g.abs().mul(u.mul(6)));
    }
    expect(loss.derivative(0.5, 1e-16)).to.be.closeTo(2.5e-17, 2.5e-17 * 1e-15);
    expect(loss.derivative(0.5, 1e-20)).to.be.closeTo(2.5e-21, 2.5e-21 * 1e-15);
  });

  it('value and derivative from the scalar methods, for t from 1e-300 to 1 - 2^-53 and |z| from 1e-300 to 1e4', () => {
    for (const t of SOFT) {
      for (const z of SCORES) {
        const v = truth.value(exact(t), exact(z));
        expectAccurate(`value(${t}, ${z})`, loss.value(t, z), v, valueTol(v));
        const g = truth.derivative(exact(t), exact(z));
        expectAccurate(`derivative(${t}, ${z})`, loss.derivative(t, z), g, derivativeTol(t, g));
      }
    }
  });

  it("the array kernels (values, derivatives, and the solvers' fused sumAndDerivatives) within the same bounds", () => {
    for (const t of SOFT) {
      const z = Float64Array.from(SCORES);
      const n = z.length;
      const y = new Float64Array(n).fill(t);
      const vals = new Float64Array(n);
      const grads = new Float64Array(n);
      const fused = new Float64Array(n);
      loss.kernels.values(y, z, vals, n);
      loss.kernels.derivatives(y, z, grads, n);
      loss.kernels.sumAndDerivatives(y, z, fused, n);
      for (let i = 0; i < n; i++) {
        const v = truth.value(exact(t), exact(z[i]));
        const g = truth.derivative(exact(t), exact(z[i]));
        expectAccurate(`kernels.values at (${t}, ${z[i]})`, vals[i], v, valueTol(v));
        expectAccurate(`kernels.derivatives at (${t}, ${z[i]})`, grads[i], g, derivativeTol(t, g));
        expectAccurate(`kernels.sumAndDerivatives at (${t}, ${z[i]})`, fused[i], g, derivativeTol(t, g));
      }
    }
  });
});

describe('crossEntropy at extreme probabilities against decimal.js', () => {
  const truth = referenceFor(losses.crossEntropy);
  const targets = [0, 1e-300, 1e-200, 1e-3, 0.25, 0.5, 0.9, 1 - 2 ** -53, 1];
  const probabilities = [5e-324, 1e-300, 1e-200, 1e-100, 1e-8, 0.25, 0.5, 0.75, 1 - 1e-8, 1 - 2 ** -53];
  // t/p² + (1 - t)/(1 - p)²: two positive terms, each from at most four roundings (1 - t,
  // 1 - p, and two divisions), then one addition: relative error <= 9u.
  const SECOND = UNIT_ROUNDOFF.mul(9);

  it('secondDerivative keeps relative precision where p² would underflow (t/p/p, not t/(p p))', () => {
    const second = losses.crossEntropy.secondDerivative;
    if (second === undefined) throw new Error('crossEntropy has no secondDerivative');
    for (const t of targets) {
      for (const p of probabilities) {
        const h = truth.second(exact(t), exact(p));
        expectAccurate(`crossEntropy.secondDerivative(${t}, ${p})`, second(t, p), h, h.abs().mul(SECOND));
      }
    }
    expect(second(1e-300, 1e-200)).to.be.closeTo(1e100, 1e86);
  });

  it('derivative keeps relative precision where p is close to t: (p - t) / (p (1 - p)), no cancelling -t/p + (1 - t)/(1 - p)', () => {
    // p - t is exact when p and t are within a factor 2 (Sterbenz) and one rounding otherwise;
    // 1 - p at most one, the product and the quotient one each: relative error <= 4u.
    const tol = UNIT_ROUNDOFF.mul(4);
    const near = targets
      .filter((t) => t > 0 && t < 1)
      .flatMap((t) => [1, 2, 3, -1, -2].map((k) => Math.min(1, t * (1 + k * 2 ** -52))));
    for (const t of targets) {
      for (const p of [...probabilities, ...near, 0, 1]) {
        const d = truth.derivative(exact(t), exact(p));
        expectAccurate(
          `crossEntropy.derivative(${t}, ${p})`,
          losses.crossEntropy.derivative(t, p),
          d,
          d.abs().mul(tol),
        );
      }
    }
  });
});

describe('the accuracy check itself', () => {
  const rejects = (got: number, truth: Dec): boolean => mismatch(got, truth, truth.abs().mul(REL)) !== null;
  it('rejects the literal formulas the stable ones replace', () => {
    const naiveSoftplus = (x: number): number => Math.log(1 + Math.exp(x));
    expect(rejects(naiveSoftplus(-40), ref.softplus(exact(-40))), 'ln(1 + e^-40) rounds 1 + 4e-18 to 1').to.equal(true);
    expect(rejects(naiveSoftplus(800), ref.softplus(exact(800))), 'e^800 overflows').to.equal(true);
    const naiveGradient = 1 / (1 + Math.exp(-40)) - 1; // σ(40) - t for t = 1
    expect(
      rejects(naiveGradient, referenceFor(losses.crossEntropyWithLogits).derivative(exact(1), exact(40))),
    ).to.equal(true);
    expect(rejects(Math.log(Math.cosh(1e3)), ref.logcosh(exact(1e3))), 'cosh(1e3) overflows').to.equal(true);
    expect(rejects(1 + 1e-13, exact(1)), 'a relative error of 1e-13').to.equal(true);
    expect(rejects(1 + 2e-16, exact(1)), 'one ulp').to.equal(false);
  });
});
