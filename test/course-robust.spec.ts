/**
 * The robustness helpers of losslab/course (src/course/robust.ts) against computations they did
 * not make: distances summed by hand, order statistics picked from a sorted copy, the MAD of a
 * large normal sample against σ, and the two-step Huber fit rebuilt from its parts.
 */
import { expect } from 'chai';
import { createRng, fitLinear, huber, losses, LossInputError } from '../src/index';
import { fitScaledHuber, interquartileRange, madScale, parameterError } from '../src/course/index';

describe('course robustness helpers', () => {
  describe('parameterError', () => {
    it('is the Euclidean distance over the weights and the intercept', () => {
      // 3-4-12 → 13: exact in binary, so the comparison is exact.
      expect(parameterError({ weights: [5, -2], intercept: 13 }, { trueWeights: [2, 2], trueIntercept: 1 })).to.equal(
        13,
      );
      expect(
        parameterError({ weights: Float64Array.of(2), intercept: 1 }, { trueWeights: [2], trueIntercept: 1 }),
      ).to.equal(0);
    });
    it('stays finite for a fit thrown very far away', () => {
      expect(
        parameterError({ weights: [1e200], intercept: 1e200 }, { trueWeights: [0], trueIntercept: 0 }),
      ).to.be.closeTo(Math.SQRT2 * 1e200, 1e186);
    });
    it('refuses what is not a fit, a mismatch of lengths, or a non-finite parameter', () => {
      const truth = { trueWeights: [2], trueIntercept: 1 };
      expect(() => parameterError(null as never, truth)).to.throw(LossInputError, /fit/);
      expect(() => parameterError({ weights: [1, 2], intercept: 0 }, truth)).to.throw(
        LossInputError,
        /2 weights but the truth has 1/,
      );
      expect(() => parameterError({ weights: [NaN], intercept: 0 }, truth)).to.throw(LossInputError, /finite/);
      expect(() => parameterError({ weights: [1], intercept: Infinity }, truth)).to.throw(LossInputError, /finite/);
      expect(() => parameterError({ weights: [1], intercept: 0 }, undefined as never)).to.throw(
        LossInputError,
        /truth/,
      );
    });
  });

  describe('interquartileRange', () => {
    it('is q(¾) − q(¼) by type-7 interpolation, computed here from the sorted sample', () => {
      const xs = [9, 1, 7, 3, 5, 2, 8];
      // sorted 1 2 3 5 7 8 9: positions 1.5 and 4.5 → (2 + 3)/2 = 2.5 and (7 + 8)/2 = 7.5.
      expect(interquartileRange(xs)).to.equal(5);
    });
    it('ignores a shift and scales with the data', () => {
      const xs = [0.3, 1.7, -2.2, 4.1, 0.9, 3.3];
      expect(interquartileRange(xs.map((x) => x + 100))).to.be.closeTo(interquartileRange(xs), 1e-12);
      expect(interquartileRange(xs.map((x) => -4 * x))).to.be.closeTo(4 * interquartileRange(xs), 1e-12);
    });
    it('refuses an empty sample or a NaN', () => {
      expect(() => interquartileRange([])).to.throw(LossInputError);
      expect(() => interquartileRange([1, NaN])).to.throw(LossInputError);
    });
  });

  describe('madScale', () => {
    it('is median |x − median x| / Φ⁻¹(¾), recomputed by hand', () => {
      // median 4; deviations 3 2 0 1 5 → median 2; Φ⁻¹(¾) = 0.6744897501960817 (scipy.stats.norm.ppf(0.75)).
      expect(madScale([1, 2, 4, 5, 9])).to.be.closeTo(2 / 0.6744897501960817, 1e-13);
    });
    it('estimates σ for normal data: within 4 standard errors on 20 000 draws', () => {
      const rng = createRng(5);
      const xs = Float64Array.from({ length: 20_000 }, () => rng.normal(1, 3));
      // The normalised MAD has asymptotic variance 1.3605 σ²/n at the normal (Hampel et al., 1986,
      // §2.3): a standard error of 3 · √(1.3605 / 20 000) ≈ 0.025.
      expect(madScale(xs)).to.be.closeTo(3, 4 * 3 * Math.sqrt(1.3605 / 20_000));
    });
    it('moves by a bounded amount when fewer than half of the values are moved arbitrarily far', () => {
      const clean = [-1.2, -0.4, 0.1, 0.3, 0.8, 1.1, -0.7, 0.5, 2.0];
      const spoiled = clean.map((x, i) => (i < 4 ? x + 1e12 : x));
      expect(madScale(spoiled)).to.be.below(10);
    });
  });

  describe('fitScaledHuber', () => {
    const rng = createRng(21);
    const X = Array.from({ length: 60 }, () => [rng.normal()]);
    const y = X.map(([x], i) => 2 * x + 1 + 0.5 * rng.normal() + (i % 10 === 0 ? 30 : 0));

    it('is an L1 fit, the MAD of its residuals, then Huber with δ = k ŝ', () => {
      const robust = fitScaledHuber(X, y, { k: 1.5 });
      const pilot = fitLinear(X, y, { loss: losses.l1 });
      const f = pilot.predict(X);
      const scale = madScale(y.map((v, i) => v - f[i]));
      expect(robust.scale).to.equal(scale);
      expect(robust.delta).to.equal(1.5 * scale);
      const direct = fitLinear(X, y, { loss: huber(1.5 * scale) });
      expect(robust.fit.weights[0]).to.equal(direct.weights[0]);
      expect(robust.fit.intercept).to.equal(direct.intercept);
      expect(robust.pilot.weights[0]).to.equal(pilot.weights[0]);
    });
    it('changes units with the data, where a fixed δ does not', () => {
      const scaled = (c: number) =>
        fitScaledHuber(
          X,
          y.map((v) => c * v),
        ).fit;
      const fixed = (c: number) =>
        fitLinear(
          X,
          y.map((v) => c * v),
          { loss: huber(1.345) },
        );
      for (const c of [1e-3, 7, 1e4]) {
        // The L1 vertex scales exactly; the Huber fits stop at a gradient of 1e-10 and converge
        // quadratically, so 1e-9 of the size of the parameters is a safe margin.
        expect(scaled(c).weights[0]).to.be.closeTo(c * scaled(1).weights[0], 1e-9 * c * 3);
        expect(scaled(c).intercept).to.be.closeTo(c * scaled(1).intercept, 1e-9 * c * 3);
      }
      expect(Math.abs(fixed(1e-3).weights[0] - 1e-3 * fixed(1).weights[0])).to.be.above(1e-6);
    });
    it('refuses a zero scale, a bad k and bad options', () => {
      const exact = X.map(([x]) => 3 * x - 1);
      expect(() => fitScaledHuber(X, exact)).to.throw(LossInputError, /robust scale of the residuals is 0/);
      expect(() => fitScaledHuber(X, y, { k: 0 })).to.throw(LossInputError, /k/);
      expect(() => fitScaledHuber(X, y, { k: NaN })).to.throw(LossInputError, /k/);
      expect(() => fitScaledHuber(X, y, null as never)).to.throw(LossInputError, /opts/);
      expect(() => fitScaledHuber(X, y.slice(1))).to.throw(LossInputError);
    });
  });
});
