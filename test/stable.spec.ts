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
  0, 1e-300, 1e-8, 1e-3, 0.25, 0.5, 1, 1.5, 2, 5, 10, 18, 20, 36, 37, 40, 50, 100, 354, 355, 500, 700, 708, 709, 709.7,
  710, 744, 745, 746, 800, 1e3, 5e3, 1e4,
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
  /** Tolerance for the derivative at (y, f); default relative 1e-14. */
  derivativeTol?: (y: number, f: number, truth: Dec) => Dec;
}

const SOFT_LABELS = [1e-3, 0.25, 0.5, 0.9];

const CASES: StableCase[] = [
  { loss: losses.logistic, points: SCORES.flatMap((z) => [[1, z], [-1, z]] as Array<[number, number]>) },
  { loss: losses.exponential, points: SCORES.flatMap((z) => [[1, z], [-1, z]] as Array<[number, number]>) },
  // f - y is exact for y = 0 and for f = 0, so the residual carries no rounding of its own.
  { loss: losses.logCosh, points: SCORES.flatMap((z) => [[0, z], [z, 0]] as Array<[number, number]>) },
  { loss: losses.crossEntropyWithLogits, points: SCORES.flatMap((z) => [[0, z], [1, z]] as Array<[number, number]>) },
  {
    // Soft labels: σ(z) - t cancels when σ(z) ≈ t, so the derivative can only be accurate
    // relative to the size of its terms, |σ(z)| + |t|; the value and curvature stay strict.
    loss: losses.crossEntropyWithLogits,
    points: SCORES.flatMap((z) => SOFT_LABELS.map((t) => [t, z] as [number, number])),
    derivativeTol: (t, z) => ref.sigmoid(exact(z)).add(exact(t)).mul(REL),
  },
];

describe('stable losses at extreme scores against decimal.js', () => {
  for (const { loss, points, derivativeTol } of CASES) {
    const truth = referenceFor(loss);
    const labels = derivativeTol === undefined ? '' : ' (soft labels)';
    it(`${loss.id}${labels}: value, derivative and second derivative for |score| <= 1e4`, () => {
      for (const [y, f] of points) {
        const Y = exact(y);
        const F = exact(f);
        expectAccurate(`${loss.id}.value(${y}, ${f})`, loss.value(y, f), truth.value(Y, F));
        const d = truth.derivative(Y, F);
        expectAccurate(`${loss.id}.derivative(${y}, ${f})`, loss.derivative(y, f), d, derivativeTol?.(y, f, d) ?? d.abs().mul(REL));
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
});

describe('the accuracy check itself', () => {
  const rejects = (got: number, truth: Dec): boolean => mismatch(got, truth, truth.abs().mul(REL)) !== null;
  it('rejects the literal formulas the stable ones replace', () => {
    const naiveSoftplus = (x: number): number => Math.log(1 + Math.exp(x));
    expect(rejects(naiveSoftplus(-40), ref.softplus(exact(-40))), 'ln(1 + e^-40) rounds 1 + 4e-18 to 1').to.equal(true);
    expect(rejects(naiveSoftplus(800), ref.softplus(exact(800))), 'e^800 overflows').to.equal(true);
    const naiveGradient = 1 / (1 + Math.exp(-40)) - 1; // σ(40) - t for t = 1
    expect(rejects(naiveGradient, referenceFor(losses.crossEntropyWithLogits).derivative(exact(1), exact(40)))).to.equal(true);
    expect(rejects(Math.log(Math.cosh(1e3)), ref.logcosh(exact(1e3))), 'cosh(1e3) overflows').to.equal(true);
    expect(rejects(1 + 1e-13, exact(1)), 'a relative error of 1e-13').to.equal(true);
    expect(rejects(1 + 2e-16, exact(1)), 'one ulp').to.equal(false);
  });
});
