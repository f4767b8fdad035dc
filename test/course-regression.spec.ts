/**
 * Chapter 03's experiment code (src/course/chapters/regression.ts): the jump finder, the work
 * counts, the lasso's optimality conditions and the fast experiments, each against a second
 * computation — a closed form, theory, or a fit the helper did not make.
 */
import { expect } from 'chai';
import { fitLinear, losses, LossInputError, risk } from '../src/index';
import {
  claims,
  countedWork,
  largestJump,
  lassoPenalty,
  lassoViolation,
  regressionDefinitions,
  regressionUniqueness,
  stabilityData,
} from '../src/course/index';

const EPS = Number.EPSILON;

/** The statistics the claims of an experiment read, as written in regression.claims.ts. */
function statisticsRead(experimentId: string): string[] {
  const keys = claims
    .filter((c) => c.experiment === experimentId)
    .flatMap((c) => [...c.readings, ...(c.asMeant?.readings ?? [])])
    .flatMap((r) => r.conditions.map((cond) => cond.statistic));
  return [...new Set(keys)].sort();
}

describe('course chapter 03: regression experiments', () => {
  describe('largestJump', () => {
    it('narrows a step down to the requested width and keeps its full size', () => {
      const step = 0.3141592653589793;
      const jump = largestJump((t) => (t < step ? 1 : 3), 0, 1, 10, 1e-9);
      expect(jump.change).to.equal(2);
      expect(jump.hi - jump.lo).to.be.at.most(1e-9);
      expect(jump.lo).to.be.below(step);
      expect(jump.hi).to.be.at.least(step);
    });
    it('leaves a continuous function with a change of at most L·width', () => {
      // Lipschitz constant 1e3 (the largest the chapter's rule allows), width 1e-9: at most 1e-6,
      // plus the rounding of 1e3·t near t = 1 (a few ulps of 1e3).
      const jump = largestJump((t) => 1e3 * t, 0, 1, 200, 1e-9);
      expect(jump.change).to.be.at.most(1e3 * 1e-9 + 8 * EPS * 1e3);
      expect(jump.gridStep).to.be.closeTo(5, 1e-9);
    });
    it('finds the largest of two jumps', () => {
      const jump = largestJump((t) => (t < 0.2 ? 0 : t < 0.7 ? 1 : 6), 0, 1, 20, 1e-9);
      expect(jump.change).to.equal(5);
      expect(jump.lo).to.be.within(0.65, 0.7);
    });
    it('refuses what is not a function, an interval, a step count or a width, and non-finite values of g', () => {
      expect(() => largestJump(3 as unknown as (t: number) => number, 0, 1, 10)).to.throw(LossInputError, /g/);
      expect(() => largestJump((t) => t, 1, 1, 10)).to.throw(LossInputError, /from, to/);
      expect(() => largestJump((t) => t, 0, Infinity, 10)).to.throw(LossInputError, /from, to/);
      expect(() => largestJump((t) => t, 0, 1, 0)).to.throw(LossInputError, /steps/);
      expect(() => largestJump((t) => t, 0, 1, 2.5)).to.throw(LossInputError, /steps/);
      expect(() => largestJump((t) => t, 0, 1, 10, 0)).to.throw(LossInputError, /width/);
      expect(() => largestJump(() => NaN, 0, 1, 10)).to.throw(LossInputError, /not a finite number/);
    });
  });

  describe('countedWork', () => {
    it('gives the stated flop counts', () => {
      // n = 1000, d = 10, p = 11: a QR of 1000 × 11 is 2·1000·121 flops; ridge adds 10 rows.
      expect(countedWork('leastSquares', 1000, 10, 1)).to.equal(242_000);
      expect(countedWork('ridge', 1000, 10, 1)).to.equal(2 * 1010 * 121);
      // LP: 9 + 1 iterations of 1000·11·12 + 10·1000·11 = 132000 + 110000.
      expect(countedWork('lp', 1000, 10, 9)).to.equal(10 * 242_000);
      // Lasso, every weight active: 4nd per sweep, one more, 3nd: 4·1000·10·8 + 30000.
      expect(countedWork('lasso', 1000, 10, 7)).to.equal(320_000 + 30_000);
      // Two weights idle after the first sweep: the six later sweeps charge 8 of 10.
      expect(countedWork('lasso', 1000, 10, 7, 8)).to.equal(40_000 + 6 * 32_000 + 40_000 + 30_000);
    });
    it('refuses counts that are not counts', () => {
      expect(() => countedWork('lp', -1, 10, 3)).to.throw(LossInputError, /n/);
      expect(() => countedWork('lp', 100, 10, 2.5)).to.throw(LossInputError, /iterations/);
      expect(() => countedWork('lasso', 100, 10, 3, 11)).to.throw(LossInputError, /active/);
      expect(() => countedWork('simplex' as 'lp', 100, 10, 3)).to.throw(LossInputError, /key/);
    });
  });

  describe('lassoPenalty', () => {
    it("is twice the universal threshold √(2 log p / n), for the package's objective without the ½", () => {
      expect(lassoPenalty(40, 60)).to.be.closeTo(2 * Math.sqrt((2 * Math.log(40)) / 60), 4 * EPS);
      // 2 log p / n = ¼ at p = e⁴, n = 32: the penalty is 2·½ = 1 (p rounded to 55 moves it by 0.1%).
      expect(lassoPenalty(55, 32)).to.be.closeTo(1, 2e-3);
    });
    it('refuses fewer than 2 features and non-positive row counts', () => {
      expect(() => lassoPenalty(1, 60)).to.throw(LossInputError, /features/);
      expect(() => lassoPenalty(10, 0)).to.throw(LossInputError, /rows/);
    });
  });

  describe('lassoViolation', () => {
    const X = { rows: 2, cols: 1, data: Float64Array.from([-1, 1]) };
    it('is 0 at the closed-form lasso of a two-point problem and positive away from it', () => {
      // Σ rᵢ = 0 forces b = 0; then g = −2(1 − w), and g + l1 = 0 gives w = 1 − l1/2.
      expect(lassoViolation(X, [-1, 1], [0.75], 0, 0.5)).to.deep.equal({ worst: 0, zeros: 0 });
      expect(lassoViolation(X, [-1, 1], [0.7], 0, 0.5).worst).to.be.closeTo(0.1, 1e-15);
      // Above l1 = 2 the closed form is w = 0, and |g| = 2 <= l1 there.
      expect(lassoViolation(X, [-1, 1], [0], 0, 2.5)).to.deep.equal({ worst: 0, zeros: 1 });
      expect(lassoViolation(X, [-1, 1], [0], 0, 1.5).worst).to.be.closeTo(0.5, 1e-15);
    });
    it('agrees with coordinate descent on a seeded problem, and catches a weight moved off zero', () => {
      const data = stabilityData(3);
      const wide = {
        rows: 40,
        cols: 3,
        data: Float64Array.from({ length: 120 }, (_, k) => (k % 3 === 0 ? data.X.data[k / 3] : Math.sin(k))),
      };
      const fit = fitLinear(wide, data.y, { loss: losses.l2, l1: 0.3, solver: 'coordinateDescent', tol: 1e-12 });
      const found = lassoViolation(wide, data.y, fit.weights, fit.intercept, 0.3);
      expect(found.worst).to.be.below(1e-9);
      expect(found.zeros).to.be.greaterThan(0);
      const moved = Float64Array.from(fit.weights, (w) => (w === 0 ? 0.05 : w));
      expect(lassoViolation(wide, data.y, moved, fit.intercept, 0.3).worst).to.be.greaterThan(1e-3);
    });
    it('refuses a matrix, vectors or a penalty of the wrong shape', () => {
      expect(() => lassoViolation({ rows: 2, cols: 1, data: new Float64Array(3) }, [0, 0], [0], 0, 1)).to.throw(
        LossInputError,
        /X/,
      );
      expect(() => lassoViolation(X, [0], [0], 0, 1)).to.throw(LossInputError, /y/);
      expect(() => lassoViolation(X, [0, NaN], [0], 0, 1)).to.throw(LossInputError, /y/);
      expect(() => lassoViolation(X, [0, 0], [0, 1], 0, 1)).to.throw(LossInputError, /weights/);
      expect(() => lassoViolation(X, [0, 0], [0], Infinity, 1)).to.throw(LossInputError, /intercept/);
      expect(() => lassoViolation(X, [0, 0], [0], 0, -1)).to.throw(LossInputError, /l1/);
    });
  });

  describe('regression-definitions', () => {
    const result = regressionDefinitions.run();
    it('measures exactly the statistics its claims read', () => {
      expect(Object.keys(result.measurements).sort()).to.deep.equal(statisticsRead('regression-definitions'));
    });
    it('finds the ratio ℓ2/ℓ1 = |r|: smallest at the first grid point, log–log slope 1', () => {
      const first = 10 ** (2 / 400);
      const m = result.measurements;
      expect(m.l2OverL1BeyondOne.estimate).to.be.closeTo(first, 4 * EPS * first);
      expect(m.l2OverL1Growth.estimate).to.be.closeTo(1, 1e-12);
      expect(m.l2OverL1Growth.upper - m.l2OverL1Growth.lower).to.be.below(1e-10);
    });
  });

  describe('regression-uniqueness', () => {
    const result = regressionUniqueness.run();
    const family = (label: string) => result.families.find((f) => f.label.startsWith(label))!;
    it('measures exactly the statistics its claims read', () => {
      expect(Object.keys(result.measurements).sort()).to.deep.equal(statisticsRead('regression-uniqueness'));
    });
    it('verifies two optima where theory says there are (even n, tied designs, a duplicated column) and none where there is one', () => {
      for (const label of ['L1, constant model, even', 'L1, line, tied', 'L2, duplicated']) {
        expect(family(label).verifiedNonUnique, label).to.equal(family(label).cases);
      }
      // The hand verification can say no: odd samples have one median, a full-rank Gram matrix is definite.
      for (const label of ['L1, constant model, odd', 'L2, full-rank'])
        expect(family(label).verifiedNonUnique, label).to.equal(0);
    });
    it('the verification of a tied design agrees with a brute-force search over lines', () => {
      // Two points at x = 0 (y = 0, 2), two at x = 1 (y = 1, 3): any value in [0, 2] at 0 and in [1, 3] at 1 is optimal.
      const X = [[0], [0], [1], [1]];
      const y = [0, 2, 1, 3];
      const fit = fitLinear(X, y, { loss: losses.l1, solver: 'lp' });
      const riskOf = (c0: number, c1: number) =>
        risk(
          losses.l1,
          y,
          X.map(([x]) => c0 + (c1 - c0) * x),
        );
      expect(fit.unique).to.equal(false);
      for (const [c0, c1] of [
        [0, 1],
        [2, 3],
        [0.5, 2.5],
        [2, 1],
      ])
        expect(riskOf(c0, c1)).to.be.closeTo(fit.objective, 4 * EPS);
      expect(riskOf(-0.01, 1)).to.be.greaterThan(fit.objective + 1e-3);
    });
  });

  describe('stability: a jump of the L1 fit is a jump of the optimum, not of the solver', () => {
    it('the lines on the two sides of the located jump are tied optima there, and far apart', () => {
      const data = stabilityData(1);
      let moved = 0;
      for (let i = 1; i < 40; i++) if (data.X.data[i] > data.X.data[moved]) moved = i;
      const fitAt = (shift: number) => {
        const X = { rows: 40, cols: 1, data: Float64Array.from(data.X.data) };
        X.data[moved] += shift;
        return { X, fit: fitLinear(X, data.y, { loss: losses.l1, solver: 'lp' }) };
      };
      const jump = largestJump((t) => fitAt(t).fit.weights[0], -2, 2, 200, 1e-9);
      expect(jump.change).to.be.greaterThan(1e-6);
      const left = fitAt(jump.lo);
      const right = fitAt(jump.hi);
      const l1Risk = (X: { data: Float64Array }, w: number, b: number) =>
        risk(
          losses.l1,
          data.y,
          Array.from(X.data, (x) => w * x + b),
        );
      // Across the bracket a line's risk changes by at most |w|·width/n. If the optimum is tied
      // between the two lines somewhere in [lo, hi], each line is within that much of the optimum
      // at both ends; a solver that returned a non-optimal line on one side would miss by more.
      const slack =
        ((Math.abs(left.fit.weights[0]) + Math.abs(right.fit.weights[0])) * (jump.hi - jump.lo)) / 40 +
        64 * EPS * left.fit.objective;
      expect(Math.abs(l1Risk(left.X, right.fit.weights[0], right.fit.intercept) - left.fit.objective)).to.be.at.most(
        slack,
      );
      expect(Math.abs(l1Risk(right.X, left.fit.weights[0], left.fit.intercept) - right.fit.objective)).to.be.at.most(
        slack,
      );
      expect(Math.abs(left.fit.weights[0] - right.fit.weights[0])).to.be.greaterThan(1e-6);
    });
    it('the L2 slope moves linearly in a target, by the closed form of the 2 × 2 normal equations', () => {
      const data = stabilityData(0);
      const x = data.X.data;
      const n = 40;
      let sx = 0;
      let sxx = 0;
      for (let i = 0; i < n; i++) {
        sx += x[i];
        sxx += x[i] * x[i];
      }
      const i = 7;
      const perUnit = (n * x[i] - sx) / (n * sxx - sx * sx);
      const base = fitLinear(data.X, data.y, { loss: losses.l2 }).weights[0];
      for (const delta of [-1.5, 0.25, 2]) {
        const y = Float64Array.from(data.y);
        y[i] += delta;
        expect(fitLinear(data.X, y, { loss: losses.l2 }).weights[0] - base).to.be.closeTo(delta * perUnit, 1e-12);
      }
    });
  });
});
