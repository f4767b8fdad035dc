/**
 * Chapter 01's experiment code (src/course/chapters/erm.ts): the closed forms against scipy,
 * the naive threshold scan and the grid search against answers worked out by hand, the
 * contraction factor against mathjs's eigenvalues, the optimism experiment against a second,
 * naive ERM, and every new export against bad input.
 */
import { expect } from 'chai';
import { eigs } from 'mathjs';
import { fitLinear, fitThreshold, losses, LossInputError, makeClassification, makeRegression } from '../src/index';
import {
  exactly,
  gridMinimisers,
  hingeRiskOfShift,
  judgeRules,
  lineFitContraction,
  measured,
  normalCdf,
  pathRecorder,
  runExperiment,
  scanThresholds,
  thresholdRisk,
  ermThresholdOptimism,
  ermLawOfLargeNumbers,
  lawOfLargeNumbersRules,
  type Condition,
} from '../src/course/index';

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('chapter 01 experiment code', () => {
  describe('closed forms', () => {
    // scipy 1.17.1: scipy.integrate.quad of ½(1 − (x − s))φ(x − 1) below 1 + s plus ½(1 + (x − s))φ(x + 1)
    // above s − 1 (the hinge's two active pieces), each with a reported error below 2e-14.
    const HINGE: Array<[number, number]> = [
      [0.3, 0.4167612421172099],
      [0, 0.3989422804014328],
      [-1.5, 0.7793067937626047],
      [2, 1.0084907026168297],
    ];
    // scipy: 0.5 * (norm.cdf(t - 1) + norm.sf(t + 1)).
    const THRESHOLD: Array<[number, number]> = [
      [0, 0.15865525393145707],
      [0.5, 0.18767236999742248],
      [-2, 0.4213473220500865],
    ];

    it("the true hinge risk of x − s matches numerical integration (1e-12 relative: quad's 2e-14 plus Φ's 1e-14)", () => {
      for (const [shift, value] of HINGE)
        expect(relative(hingeRiskOfShift(shift), value), `shift ${shift}`).to.be.below(1e-12);
    });

    it('the true 0–1 risk of a threshold matches, flips with the direction, and is ½ for a constant classifier', () => {
      for (const [t, value] of THRESHOLD) {
        expect(relative(thresholdRisk(t, 1), value), `t = ${t}`).to.be.below(1e-13);
        expect(thresholdRisk(t, -1)).to.equal(1 - thresholdRisk(t, 1));
      }
      expect(thresholdRisk(0, 1)).to.equal(normalCdf(-1));
      expect(thresholdRisk(-Infinity, 1)).to.equal(0.5);
      expect(thresholdRisk(Infinity, -1)).to.equal(0.5);
    });
  });

  describe('the naive threshold scan', () => {
    it('gives the risks worked out by hand on five points', () => {
      // Predict +1 above t. Labels −1 −1 +1 −1 +1 at x = 1..5: all +1 is wrong on the three
      // negatives; t = 1.5 fixes x = 1; t = 2.5 fixes x = 2 too; t = 3.5 breaks x = 3; t = 4.5
      // fixes x = 4; all −1 is wrong on the two positives.
      const scan = scanThresholds([1, 2, 3, 4, 5], [-1, -1, 1, -1, 1]);
      expect(scan.thresholds).to.deep.equal([-Infinity, 1.5, 2.5, 3.5, 4.5, Infinity]);
      expect(scan.risksUp).to.deep.equal([0.6, 0.4, 0.2, 0.4, 0.2, 0.4]);
      expect(scan.best).to.deep.equal({ threshold: 2.5, direction: 1, risk: 0.2 });
    });

    it('agrees with fitThreshold on seeded samples, repeated x values included', () => {
      for (let seed = 0; seed < 10; seed++) {
        const data = makeClassification({ n: 30, d: 1, seed });
        const x = Array.from(data.X.data, (v) => Math.round(v * 4) / 4);
        const fast = fitThreshold(x, data.y);
        const naive = scanThresholds(x, data.y);
        expect(naive.best.risk, `seed ${seed}`).to.equal(fast.risk);
        expect(naive.risksUp).to.deep.equal(Array.from(fast.candidates.risks));
      }
    });
  });

  describe('the grid search over lines', () => {
    it('finds a line that fits exactly, for the total and for the mean', () => {
      const data = makeRegression({ n: 3, d: 1, seed: 1 });
      const exact = {
        ...data,
        X: { rows: 3, cols: 1, data: Float64Array.from([0, 1, 2]) },
        y: Float64Array.from([1, 3, 5]),
      };
      const best = gridMinimisers(exact, [0, 1, 2, 3], [0, 1, 2]);
      expect(best.sum).to.deep.equal({ w: 2, b: 1, value: 0 });
      expect(best.mean).to.deep.equal({ w: 2, b: 1, value: 0 });
    });

    it('puts the smallest total at the grid point nearest least squares on a fine grid', () => {
      const data = makeRegression({ n: 30, d: 1, seed: 2, weights: [2], intercept: 1, noiseScale: 0.8 });
      const fit = fitLinear(data.X, data.y, { loss: losses.l2 });
      const ws = Array.from({ length: 201 }, (_, k) => k * 0.02);
      const best = gridMinimisers(
        data,
        ws,
        ws.map((w) => w - 1),
      );
      // A quadratic's grid minimum lies within one grid step of its minimiser in each coordinate.
      expect(Math.abs(best.sum.w - fit.weights[0])).to.be.at.most(0.02);
      expect(Math.abs(best.sum.b - fit.intercept)).to.be.at.most(0.02);
    });
  });

  describe('the contraction factor of gradient descent on a line fit', () => {
    it('is 1 − λ_min/λ_max of [[E x², E x], [E x, 1]], against mathjs eigenvalues', () => {
      for (const x of [
        [-2, 2],
        [0, 1],
        [0.5, 1.5, 4, -3, 2.25],
        [1e3, 1e3 + 1],
      ]) {
        const m1 = x.reduce((s, v) => s + v, 0) / x.length;
        const m2 = x.reduce((s, v) => s + v * v, 0) / x.length;
        const values = eigs([
          [m2, m1],
          [m1, 1],
        ]).values as number[];
        const expected = 1 - Math.min(...values) / Math.max(...values);
        // mathjs's eigenvalues are good to about 1e-15 of the largest, so the ratio to about 1e-15.
        expect(Math.abs(lineFitContraction(x) - expected), String(x)).to.be.below(1e-12);
      }
      expect(lineFitContraction([-2, 2])).to.equal(0.75);
    });

    it('bounds what gradient descent with step 1/λ_max actually does, step by step', () => {
      const data = makeRegression({ n: 40, seed: 6, weights: [2], intercept: 1 });
      const rate = lineFitContraction(data.X.data);
      const exact = fitLinear(data.X, data.y, { loss: losses.l2 });
      const path = pathRecorder();
      fitLinear(data.X, data.y, {
        loss: losses.l2,
        solver: 'gd',
        maxIter: 10,
        tol: 0,
        initialWeights: [-2],
        initialIntercept: -2,
        onIteration: path.onIteration,
      });
      const distance = path.path.map((p) => Math.hypot(p.w - exact.weights[0], p.b - exact.intercept));
      expect(distance.length).to.equal(11);
      // Each step rounds the iterate by a few ε of its size (about 1e-15 here), against distances
      // of at least 1e-6 over these ten steps: 1e-9 relative covers it.
      for (let k = 1; k < distance.length; k++)
        expect(distance[k], `step ${k}`).to.be.at.most(rate * distance[k - 1] * (1 + 1e-9));
    });
  });

  describe('pathRecorder', () => {
    it('keeps the states that carry a point and skips the others', () => {
      const rec = pathRecorder();
      rec.onIteration({ iteration: 0, objective: 1, weights: Float64Array.from([3]), intercept: -1 });
      rec.onIteration({ iteration: 1, objective: 0.5 });
      expect(rec.path).to.deep.equal([{ w: 3, b: -1 }]);
    });
  });

  describe('judgeRules', () => {
    const rule: Condition = { statistic: 's', test: 'below', threshold: 1, because: 'a test rule' };
    it('judges each rule like a claim condition', () => {
      expect(judgeRules([rule], { s: measured('s', exactly(0.5)) })[0].truth).to.equal('true');
      expect(
        judgeRules([rule], { s: measured('s', { estimate: 1, lower: 0.5, upper: 1.5, level: 0.95, method: '' }) })[0]
          .truth,
      ).to.equal('undecided');
      expect(judgeRules([rule], { s: measured('s', exactly(2)) })[0].truth).to.equal('false');
    });
    it('refuses a missing statistic and malformed arguments', () => {
      expect(() => judgeRules([rule], {}))
        .to.throw(LossInputError, /names no measurement/)
        .with.property('argument', 'rules[0].statistic');
      expect(() => judgeRules([], { s: measured('s', exactly(0.5)) }))
        .to.throw(LossInputError)
        .with.property('argument', 'rules');
      expect(() => judgeRules(null as unknown as Condition[], {})).to.throw(LossInputError);
      expect(() => judgeRules([rule], null as unknown as Record<string, never>)).to.throw(LossInputError);
    });
    it('reads a rule and a measurement under guards: a throwing trap or getter is a LossInputError naming it, with its cause', () => {
      const boom = new Error('the caller threw');
      const trap = new Proxy({} as Condition, {
        get() {
          throw boom;
        },
      });
      const refusal = (call: () => unknown): LossInputError => {
        try {
          call();
        } catch (e) {
          return e as LossInputError;
        }
        throw new Error('returned instead of refusing');
      };
      const byRule = refusal(() => judgeRules([trap], { s: measured('s', exactly(0.5)) }));
      expect(byRule).to.be.instanceOf(LossInputError);
      expect(byRule.argument).to.equal('rules[0]');
      expect(byRule.cause).to.equal(boom);
      const label = {
        ...exactly(0.5),
        get label(): string {
          throw boom;
        },
      };
      const byLabel = refusal(() => judgeRules([rule], { s: label }));
      expect(byLabel).to.be.instanceOf(LossInputError);
      expect(byLabel.argument).to.equal('measurements.s');
      expect(byLabel.cause).to.equal(boom);
    });
  });

  describe('experiments', () => {
    it('erm-threshold-optimism: each training risk is the exact ERM minimum (by the naive scan), each true risk at least Bayes', function () {
      this.timeout(20_000);
      const result = runExperiment(ermThresholdOptimism);
      for (let r = 0; r < 20; r++) {
        const sample = makeClassification({ n: 40, d: 1, seed: 5000 + r });
        expect(result.trainingRisks[r], `sample ${r}`).to.equal(scanThresholds(sample.X.data, sample.y).best.risk);
      }
      for (const t of result.trueRisks) expect(t).to.be.at.least(result.bayesRisk);
      const gaps = Array.from(result.trueRisks, (t, r) => t - result.trainingRisks[r]);
      expect(
        relative(result.measurements.optimism.estimate, gaps.reduce((s, g) => s + g, 0) / gaps.length),
      ).to.be.below(1e-12);
    });

    it('erm-law-of-large-numbers: the quadrature is within its bound of the closed form, and the rule reads the slope', function () {
      this.timeout(60_000);
      const result = runExperiment(ermLawOfLargeNumbers);
      expect(Math.abs(result.quadrature.value - result.trueRisk)).to.be.at.most(result.quadrature.errorBound);
      expect(result.sizes.map((s) => s.n)).to.deep.equal([10, 20, 50, 100, 200, 500, 1000, 3000]);
      const findings = judgeRules(lawOfLargeNumbersRules, result.measurements);
      expect(findings).to.have.length(1);
      // A copy, read once when judged: equal to the slope's measurement, label included.
      expect(findings[0].measurement).to.deep.equal(result.measurements.spreadSlope);
    });
  });

  describe('bad arguments', () => {
    const data = makeRegression({ n: 5, d: 1, seed: 3 });
    const cases: Array<[string, () => unknown]> = [
      ['hingeRiskOfShift(NaN)', () => hingeRiskOfShift(Number.NaN)],
      ['hingeRiskOfShift(Infinity)', () => hingeRiskOfShift(Infinity)],
      ['thresholdRisk(NaN, 1)', () => thresholdRisk(Number.NaN, 1)],
      ['thresholdRisk(0, 0)', () => thresholdRisk(0, 0 as 1)],
      ['scanThresholds([], [])', () => scanThresholds([], [])],
      ['scanThresholds([NaN], [1])', () => scanThresholds([Number.NaN], [1])],
      ['scanThresholds with labels 0/1', () => scanThresholds([1, 2], [0, 1])],
      ['gridMinimisers(null)', () => gridMinimisers(null as never, [0], [0])],
      ['gridMinimisers with two features', () => gridMinimisers(makeRegression({ n: 5, d: 2, seed: 1 }), [0], [0])],
      ['gridMinimisers with an empty grid', () => gridMinimisers(data, [], [0])],
      ['gridMinimisers with NaN in the grid', () => gridMinimisers(data, [0], [Number.NaN])],
      ['lineFitContraction([1])', () => lineFitContraction([1])],
      ['lineFitContraction([2, 2])', () => lineFitContraction([2, 2])],
      ['lineFitContraction([0, NaN])', () => lineFitContraction([0, Number.NaN])],
    ];
    for (const [name, call] of cases) {
      it(`${name} throws LossInputError`, () => expect(call).to.throw(LossInputError));
    }
  });
});
