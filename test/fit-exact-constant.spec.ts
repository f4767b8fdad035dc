/**
 * optimalConstant, fitThreshold and empiricalRisk against brute force computed here:
 * piecewise-linear risks evaluated at every breakpoint (where their minimum must lie),
 * smooth risks checked for a vanishing derivative by finite differences, log-odds from the
 * label counts, and threshold classifiers by trying every cut and both directions.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { allLosses } from './helpers/losses';
import {
  createRng,
  empiricalRisk,
  epsilonInsensitive,
  fitLinear,
  fitThreshold,
  huber,
  LossInputError,
  losses,
  optimalConstant,
  quantile,
  type Loss,
} from '../src/index';

/** (1/n) Σ loss(yᵢ, c), by a plain loop over the loss's own value function. */
function riskAt(loss: Loss, y: number[], c: number): number {
  return y.reduce((s, v) => s + loss.value(v, c), 0) / y.length;
}

/** Exact rationals [numerator, denominator > 0] over BigInt, for the closed-form checks. */
type Fraction = [bigint, bigint];

/** A double as an exact fraction: doubling a non-integer double is exact, and an integer is reached within 1074 steps. */
function exact(x: number): Fraction {
  let v = x;
  let den = 1n;
  while (!Number.isInteger(v)) {
    v *= 2;
    den *= 2n;
  }
  return [BigInt(v), den];
}
const add = (a: Fraction, b: Fraction): Fraction => [a[0] * b[1] + b[0] * a[1], a[1] * b[1]];
const sub = (a: Fraction, b: Fraction): Fraction => [a[0] * b[1] - b[0] * a[1], a[1] * b[1]];
const mul = (a: Fraction, b: Fraction): Fraction => [a[0] * b[0], a[1] * b[1]];
const div = (a: Fraction, b: Fraction): Fraction =>
  b[0] < 0n ? [-a[0] * b[1], a[1] * -b[0]] : [a[0] * b[1], a[1] * b[0]];
const sign = (a: Fraction): number => (a[0] > 0n ? 1 : a[0] < 0n ? -1 : 0);
const less = (a: Fraction, b: Fraction): boolean => sign(sub(a, b)) < 0;
/** Nearest double, through a decimal string long enough to round correctly. */
function toNumber(a: Fraction): number {
  const digits = 40n;
  const scaled = (a[0] * 10n ** digits) / a[1];
  return Number(`${scaled}e-${digits}`);
}

/**
 * The exact set where huber(δ)'s risk is least: the zero set [L, H] of the continuous,
 * non-decreasing, piecewise-linear h(c) = Σ clamp(c − yᵢ, −δ, δ), found from its exact values
 * at the breakpoints yᵢ ± δ (with the data and δ as the doubles they are).
 */
function exactHuberFlat(y: number[], deltaDouble: number): [Fraction, Fraction] {
  const delta = exact(deltaDouble);
  const ys = y.map(exact);
  const clamp = (r: Fraction): Fraction =>
    less(r, [-delta[0], delta[1]]) ? [-delta[0], delta[1]] : less(delta, r) ? delta : r;
  const h = (c: Fraction): Fraction => ys.reduce<Fraction>((s, v) => add(s, clamp(sub(c, v))), [0n, 1n]);
  const points = ys.flatMap((v) => [sub(v, delta), add(v, delta)]).sort((a, b) => sign(sub(a, b)));
  const values = points.map(h);
  // h = −nδ left of every breakpoint and +nδ right of them, linear in between.
  const j = values.findIndex((v) => sign(v) >= 0);
  const L =
    sign(values[j]) === 0
      ? points[j]
      : sub(points[j - 1], div(mul(values[j - 1], sub(points[j], points[j - 1])), sub(values[j], values[j - 1])));
  let k = values.length - 1;
  while (sign(values[k]) > 0) k--;
  const H =
    sign(values[k]) === 0
      ? points[k]
      : sub(points[k + 1], div(mul(values[k + 1], sub(points[k + 1], points[k])), sub(values[k + 1], values[k])));
  return [L, H];
}

/**
 * How far a computed end of huber(δ)'s flat set may sit from the exact one: the slope sum is
 * trusted only outside ±(n + 1)·eps·Σ|gᵢ| <= (n + 1)·eps·nδ (its rounding bound, with room), so an
 * end may move by that over the smallest slope of h next to it (1: one point in the quadratic
 * zone), counted twice for the error of the sum itself, plus an ulp for the bisection.
 */
function huberEndBound(n: number, delta: number): number {
  return 2 * (n + 1) * Number.EPSILON * n * delta + 2 * Number.EPSILON * Math.max(1, 5 + delta);
}

const integers = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 12 });

describe('optimalConstant', () => {
  const piecewise: Array<{ loss: Loss; breakpoints: (y: number[]) => number[] }> = [
    { loss: losses.l1, breakpoints: (y) => y },
    { loss: quantile(0.3), breakpoints: (y) => y },
    { loss: quantile(0.75), breakpoints: (y) => y },
    { loss: epsilonInsensitive(1.5), breakpoints: (y) => y.flatMap((v) => [v - 1.5, v + 1.5]) },
  ];
  for (const { loss, breakpoints } of piecewise) {
    it(`${loss.id}: the interval holds exactly the breakpoints of least risk, and nothing outside it does`, () => {
      fc.assert(
        fc.property(integers, (y) => {
          const got = optimalConstant(loss, y);
          const points = breakpoints(y);
          const values = points.map((c) => riskAt(loss, y, c));
          const min = Math.min(...values);
          const tol = 1e-12 * Math.max(1, min);
          expect(Math.abs(got.risk - min)).to.be.below(tol);
          const [lo, hi] = got.interval;
          points.forEach((c, k) => {
            const inside = c >= lo && c <= hi;
            expect(Math.abs(values[k] - min) <= tol, `c = ${c} (interval [${lo}, ${hi}])`).to.equal(inside);
          });
          expect(got.value).to.be.within(lo, hi);
          expect(got.unique).to.equal(lo === hi);
          expect(got.attained).to.equal(true);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('l2: the mean; l1: the median interval of an even sample', () => {
    expect(optimalConstant(losses.l2, [1, 2, 6]).value).to.equal(3);
    expect(optimalConstant(losses.l1, [1, 2, 6, 10]).interval).to.deep.equal([2, 6]);
    expect(optimalConstant(losses.l1, [10, 1, 6]).interval).to.deep.equal([6, 6]);
    // τ n = 3 for τ = 0.3, n = 10 although 0.3 · 10 rounds: the interval [y₍₃₎, y₍₄₎].
    expect(optimalConstant(quantile(0.3), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).interval).to.deep.equal([3, 4]);
  });

  it('hinge: the majority label, an interval on a tie, a half-line when one class is absent', () => {
    expect(optimalConstant(losses.hinge, [1, 1, -1]).interval).to.deep.equal([1, 1]);
    expect(optimalConstant(losses.hinge, [1, -1, -1, 1]).interval).to.deep.equal([-1, 1]);
    expect(optimalConstant(losses.hinge, [1, 1]).interval).to.deep.equal([1, Infinity]);
    expect(optimalConstant(losses.hinge, [-1]).interval).to.deep.equal([-Infinity, -1]);
    for (const y of [[1, 1, -1], [1, -1, -1, 1], [1, 1], [-1]]) {
      const got = optimalConstant(losses.hinge, y);
      const grid = Array.from({ length: 81 }, (_, k) => -4 + k / 10);
      const min = Math.min(...grid.map((c) => riskAt(losses.hinge, y, c)));
      expect(got.risk).to.be.closeTo(min, 1e-12);
    }
  });

  it('logistic, crossEntropyWithLogits and exponential: the log-odds (halved for exponential)', () => {
    const y = [1, 1, 1, -1, 1, -1, 1];
    const odds = Math.log(5 / 2);
    expect(optimalConstant(losses.logistic, y).value).to.be.closeTo(odds, 1e-15);
    expect(optimalConstant(losses.exponential, y).value).to.be.closeTo(odds / 2, 1e-15);
    const t = [0.9, 0.2, 1, 0.5];
    expect(optimalConstant(losses.crossEntropyWithLogits, t).value).to.be.closeTo(Math.log(0.65 / 0.35), 1e-15);
    expect(optimalConstant(losses.crossEntropy, t).value).to.be.closeTo(0.65, 1e-15);
    for (const loss of [losses.logistic, losses.exponential]) {
      const c = optimalConstant(loss, y).value;
      const h = 1e-5;
      const slope = (riskAt(loss, y, c + h) - riskAt(loss, y, c - h)) / (2 * h);
      expect(Math.abs(slope), loss.id).to.be.below(1e-9);
    }
  });

  it('when all labels agree the log-odds are ±Infinity: not attained, risk 0 (the infimum)', () => {
    for (const loss of [losses.logistic, losses.exponential]) {
      const up = optimalConstant(loss, [1, 1, 1]);
      expect(up).to.deep.include({ value: Infinity, risk: 0, attained: false });
      expect(optimalConstant(loss, [-1, -1]).value).to.equal(-Infinity);
      // Risk decreases without bound in c and never reaches 0.
      expect(riskAt(loss, [1, 1, 1], 30)).to.be.above(0);
      expect(riskAt(loss, [1, 1, 1], 30)).to.be.below(riskAt(loss, [1, 1, 1], 20));
    }
    expect(optimalConstant(losses.crossEntropyWithLogits, [0, 0]).value).to.equal(-Infinity);
    // crossEntropy's constant is a probability: 1 is attained.
    expect(optimalConstant(losses.crossEntropy, [1, 1])).to.deep.include({ value: 1, attained: true });
  });

  it('smooth losses: the derivative of the risk vanishes (finite differences), and nearby constants are worse', () => {
    const rng = createRng(12);
    const real = Array.from({ length: 30 }, () => rng.studentT(2) * 3);
    const signs = Array.from({ length: 30 }, () => (rng.uniform() < 0.7 ? 1 : -1));
    const cases: Array<[Loss, number[]]> = [
      [huber(1), real],
      [huber(0.1), real],
      [losses.logCosh, real],
      [losses.squaredHinge, signs],
      [losses.modifiedHuber, signs],
      [losses.square, signs],
    ];
    for (const [loss, y] of cases) {
      const got = optimalConstant(loss, y);
      const c = got.value;
      const h = 1e-6 * Math.max(1, Math.abs(c));
      const slope = (riskAt(loss, y, c + h) - riskAt(loss, y, c - h)) / (2 * h);
      expect(Math.abs(slope), `${loss.id} slope at ${c}`).to.be.below(1e-6);
      for (const delta of [1e-3, 0.1, 1]) {
        expect(riskAt(loss, y, c + delta) + 1e-14, loss.id).to.be.at.least(got.risk);
        expect(riskAt(loss, y, c - delta) + 1e-14, loss.id).to.be.at.least(got.risk);
      }
    }
  });

  it('huber on two far-apart points: a whole interval of minimisers, found', () => {
    const got = optimalConstant(huber(1), [0, 100]);
    expect(got.unique).to.equal(false);
    expect(got.interval[0]).to.be.closeTo(1, 1e-12);
    expect(got.interval[1]).to.be.closeTo(99, 1e-12);
    expect(riskAt(huber(1), [0, 100], 30)).to.be.closeTo(got.risk, 1e-12);
  });

  it('modifiedHuber with one class: the half-line [1, ∞) where the risk is 0', () => {
    const got = optimalConstant(losses.modifiedHuber, [1, 1, 1]);
    expect(got.interval[0]).to.be.closeTo(1, 1e-12);
    expect(got.interval[1]).to.equal(Infinity);
    expect(got.risk).to.equal(0);
  });

  describe('flat risks, input order and extreme targets', () => {
    const eps = Number.EPSILON;

    it('huber(0.1) on [0,0,0,1,1,1]: every c in [δ, 1 − δ] is a minimiser, whichever order the sample comes in', () => {
      // The slopes ±δ sum to 2.8e-17 in the given order, which a sign test without tolerance took for "positive".
      const loss = huber(0.1);
      const forward = optimalConstant(loss, [0, 0, 0, 1, 1, 1]);
      const backward = optimalConstant(loss, [1, 1, 1, 0, 0, 0]);
      expect(backward).to.deep.equal(forward);
      expect(forward.unique).to.equal(false);
      const [L, H] = exactHuberFlat([0, 0, 0, 1, 1, 1], 0.1);
      const bound = huberEndBound(6, 0.1);
      expect(Math.abs(forward.interval[0] - toNumber(L))).to.be.at.most(bound);
      expect(Math.abs(forward.interval[1] - toNumber(H))).to.be.at.most(bound);
      expect(riskAt(loss, [0, 0, 0, 1, 1, 1], 0.5)).to.be.closeTo(forward.risk, 1e-16);
    });

    it('squaredHinge on [1, −1]: the risk 2 + 2c² is strictly convex there, so the minimiser 0 is unique', () => {
      const got = optimalConstant(losses.squaredHinge, [1, -1]);
      expect(got.unique).to.equal(true);
      expect(got.interval[0]).to.equal(got.interval[1]);
      // R'(c) = 4c (in sum form), computed to within (n + 1)·eps·Σ|gᵢ| = 3·eps·4: c within that over the curvature 4, both sides.
      expect(Math.abs(got.value)).to.be.at.most((2 * 3 * eps * 4) / 4);
      expect(got.risk).to.equal(1);
    });

    /** Labels of the kind each loss takes: integers (many ties) for real targets, ±1, or probabilities with ties. */
    function sampleFor(loss: Loss): fc.Arbitrary<number[]> {
      const element =
        loss.target === 'sign'
          ? fc.constantFrom(-1, 1)
          : loss.target === 'binary'
            ? fc.constantFrom(0, 0.1, 0.3, 0.5, 1)
            : fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constantFrom(0.1, -0.1, 0.7, 2.3));
      return fc.array(element, { minLength: 1, maxLength: 14 });
    }

    for (const loss of allLosses) {
      it(`${loss.id}: the answer does not depend on the order of the sample`, () => {
        fc.assert(
          fc.property(
            sampleFor(loss).chain((y) =>
              fc.tuple(fc.constant(y), fc.shuffledSubarray(y, { minLength: y.length, maxLength: y.length })),
            ),
            ([y, shuffled]) => {
              if (!loss.properties.convex) {
                expect(() => optimalConstant(loss, shuffled)).to.throw(LossInputError);
                return;
              }
              expect(optimalConstant(loss, shuffled)).to.deep.equal(optimalConstant(loss, y));
            },
          ),
          { numRuns: 60 },
        );
      });
    }

    it('huber: the interval matches the exact zero set of Σ clamp(c − yᵢ, −δ, δ) (rational arithmetic)', () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 12 }),
          fc.constantFrom(0.1, 0.3, 1, 2.5),
          (y, delta) => {
            const got = optimalConstant(huber(delta), y);
            const [L, H] = exactHuberFlat(y, delta);
            const bound = huberEndBound(y.length, delta);
            expect(Math.abs(got.interval[0] - toNumber(L)), `lo, δ = ${delta}`).to.be.at.most(bound);
            expect(Math.abs(got.interval[1] - toNumber(H)), `hi, δ = ${delta}`).to.be.at.most(bound);
            const width = toNumber(sub(H, L));
            if (width === 0) expect(got.unique).to.equal(true);
            if (width > 4 * bound) expect(got.unique).to.equal(false);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('targets near ±1e308 and ±1.7e308: a finite, correct minimiser (nothing overflows on the way)', () => {
      const big = [1e308, 1.7e308];
      for (const loss of [losses.l2, losses.l1, huber(1), losses.logCosh]) {
        for (const v of big) {
          for (const sign of [1, -1]) {
            const got = optimalConstant(loss, [sign * v, sign * v]);
            expect(got.value, `${loss.id} [${sign * v} ×2]`).to.equal(sign * v);
            expect(got.risk, `${loss.id} [${sign * v} ×2]`).to.equal(0);
          }
        }
        // Symmetric about 0: the minimiser (or the middle of the minimisers) is 0, at a finite risk for the losses that grow linearly.
        const spread = optimalConstant(loss, [1.7e308, -1.7e308]);
        expect(spread.value, `${loss.id} ±1.7e308`).to.equal(0);
        if (loss !== losses.l2)
          expect(spread.risk, `${loss.id} ±1.7e308`).to.be.closeTo(loss.value(1.7e308, 0), 1e-15 * 1.7e308);
        const apart = optimalConstant(loss, [1e308, 1.7e308]);
        expect(Number.isFinite(apart.value), `${loss.id} [1e308, 1.7e308]`).to.equal(true);
        expect(apart.value).to.be.within(1e308, 1.7e308);
      }
      expect(optimalConstant(losses.l2, [1e308, 1.7e308]).value).to.equal(1.35e308);
      expect(optimalConstant(losses.l1, [1.7e308, -1.7e308]).interval).to.deep.equal([-1.7e308, 1.7e308]);
      // logCosh is symmetric about the middle of two points, the mean.
      expect(optimalConstant(losses.logCosh, [1e308, 1.7e308]).value).to.be.closeTo(1.35e308, 1e-15 * 1.35e308);
    });
  });

  it('rejects non-convex losses, bad labels, NaN and empty samples', () => {
    expect(() => optimalConstant(losses.zeroOne, [1, -1])).to.throw(LossInputError, /majority/);
    expect(() => optimalConstant(losses.hinge, [1, 0])).to.throw(LossInputError);
    expect(() => optimalConstant(losses.l2, [1, Number.NaN])).to.throw(LossInputError);
    expect(() => optimalConstant(losses.l1, [])).to.throw(LossInputError);
    expect(() => optimalConstant({} as Loss, [1])).to.throw(LossInputError);
  });
});

describe('fitThreshold (exhaustive 0–1 ERM in one dimension)', () => {
  /** Fewest mistakes over every cut between sorted values (and the two ends) and both directions. */
  function bruteForce(x: number[], y: number[]): number {
    const cuts = [-Infinity, ...[...new Set(x)].sort((a, b) => a - b).map((v) => v + 0.5e-9), Infinity];
    let best = Infinity;
    for (const t of cuts) {
      for (const s of [1, -1]) {
        const mistakes = x.reduce((m, v, i) => m + losses.zeroOne.value(y[i], s * (v > t ? 1 : -1)), 0);
        best = Math.min(best, mistakes);
      }
    }
    return best;
  }

  it('finds the fewest training mistakes, and its predictions make exactly that many', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.boolean()), { minLength: 1, maxLength: 15 }),
        (pairs) => {
          const x = pairs.map(([v]) => v);
          const y = pairs.map(([, pos]) => (pos ? 1 : -1));
          const h = fitThreshold(x, y);
          expect(h.mistakes).to.equal(bruteForce(x, y));
          expect(h.risk).to.equal(h.mistakes / x.length);
          const scores = h.predict(x);
          const made = x.reduce((m, _, i) => m + losses.zeroOne.value(y[i], scores[i]), 0);
          expect(made).to.equal(h.mistakes);
          // No training point sits on a threshold.
          for (const t of h.candidates.thresholds) expect(x.includes(t)).to.equal(false);
          expect(Math.min(...Array.from(h.candidates.risks, (r) => Math.min(r, 1 - r)))).to.be.closeTo(h.risk, 1e-15);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the worked example: one mistake with threshold 2.5', () => {
    const h = fitThreshold([1, 2, 3, 4, 5], [-1, -1, 1, -1, 1]);
    expect(h.threshold).to.equal(2.5);
    expect(h.direction).to.equal(1);
    expect(h.mistakes).to.equal(1);
  });

  it('separable data: zero mistakes; a flipped direction when negatives are on the right', () => {
    expect(fitThreshold([0, 1, 2, 3], [-1, -1, 1, 1]).mistakes).to.equal(0);
    const flipped = fitThreshold([0, 1, 2, 3], [1, 1, -1, -1]);
    expect(flipped.direction).to.equal(-1);
    expect(flipped.mistakes).to.equal(0);
  });

  it('rejects labels outside {−1, +1}, NaN and mismatched lengths', () => {
    expect(() => fitThreshold([1, 2], [0, 1])).to.throw(LossInputError);
    expect(() => fitThreshold([1, Number.NaN], [1, -1])).to.throw(LossInputError);
    expect(() => fitThreshold([1, 2, 3], [1, -1])).to.throw(LossInputError);
  });
});

describe('empiricalRisk', () => {
  it('is the mean loss of the model’s predictions, with any loss and risk options', () => {
    const fit = fitLinear([[0], [1], [2]], [0, 1, 2], { loss: losses.l2 });
    const X = [[3], [4], [-1]];
    const y = [3, 5, 0];
    const f = X.map((r) => fit.weights[0] * r[0] + fit.intercept);
    const mean = (loss: Loss): number => y.reduce((s, v, i) => s + loss.value(v, f[i]), 0) / y.length;
    expect(empiricalRisk(fit, X, y, losses.l2)).to.be.closeTo(mean(losses.l2), 1e-15);
    expect(empiricalRisk(fit, X, y, losses.l1)).to.be.closeTo(mean(losses.l1), 1e-15);
    expect(empiricalRisk(fit, X, y, losses.l1, { reduction: 'sum' })).to.be.closeTo(3 * mean(losses.l1), 1e-14);
    const h = fitThreshold([1, 2, 3, 4], [-1, -1, 1, 1]);
    expect(empiricalRisk(h, [0, 10, 2.6], [-1, -1, 1], losses.zeroOne)).to.be.closeTo(1 / 3, 1e-15);
  });

  it('rejects a model without predict, and bad labels for the loss', () => {
    expect(() => empiricalRisk({} as never, [[1]], [1], losses.l2)).to.throw(LossInputError);
    const h = fitThreshold([1, 2], [-1, 1]);
    expect(() => empiricalRisk(h, [1, 2], [0, 1], losses.zeroOne)).to.throw(LossInputError);
  });
});
