/**
 * optimalConstant, fitThreshold and empiricalRisk against brute force computed here:
 * piecewise-linear risks evaluated at every breakpoint (where their minimum must lie),
 * smooth risks checked for a vanishing derivative by finite differences, log-odds from the
 * label counts, and threshold classifiers by trying every cut and both directions.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  createRng, empiricalRisk, epsilonInsensitive, fitLinear, fitThreshold, huber, LossInputError, losses, optimalConstant, quantile,
  type Loss,
} from '../src/index';

/** (1/n) Σ loss(yᵢ, c), by a plain loop over the loss's own value function. */
function riskAt(loss: Loss, y: number[], c: number): number {
  return y.reduce((s, v) => s + loss.value(v, c), 0) / y.length;
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
      [huber(1), real], [huber(0.1), real], [losses.logCosh, real],
      [losses.squaredHinge, signs], [losses.modifiedHuber, signs], [losses.square, signs],
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
      fc.property(fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.boolean()), { minLength: 1, maxLength: 15 }), (pairs) => {
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
      }),
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
