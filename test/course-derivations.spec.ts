/**
 * Chapter 02's experiment code (src/course/chapters/derivations.ts): the entropy, KL divergence
 * and cross-entropy against decimal.js at 50 digits within the rounding bound the chapter
 * states, the derivative and convexity checks against losses made wrong on purpose (so that
 * they are seen to fail), the minimisers against their closed forms, and bad input.
 */
import { expect } from 'chai';
import { defineLoss, losses, LossInputError, type Loss, type LossSpec } from '../src/index';
import {
  binaryEntropy,
  binaryKl,
  conditionalRiskCurves,
  convexityChecks,
  derivationsCrossEntropy,
  derivativeChecks,
  minimiserChecks,
  runExperiment,
} from '../src/course/index';
import { createRng } from '../src/random/rng';
import { D, exact, type Dec } from './helpers/reference';

const EPS = Number.EPSILON;

/** The chapter's bound for Σ a ln b: 4ε Σ |a| (|ln b| + 1). */
const logTermsBound = (terms: Array<[number, number]>): number =>
  4 * EPS * terms.reduce((s, [a, b]) => s + (a === 0 ? 0 : Math.abs(a) * (Math.abs(Math.log(b)) + 1)), 0);

/** a ln b at 50 digits, with 0 ln b = 0. */
const xLog = (a: Dec, b: Dec): Dec => (a.isZero() ? new D(0) : a.times(b.ln()));

/** Targets and probabilities: seeded uniforms, and both ends down to 1e-12. */
function points(): Array<[number, number]> {
  const rng = createRng(11);
  const ends = [0, 1e-12, 1e-6, 0.5, 1 - 1e-6, 1 - 1e-12, 1];
  const out: Array<[number, number]> = [];
  for (const t of ends) for (const p of ends.slice(1, -1)) out.push([t, p]);
  for (let k = 0; k < 300; k++) out.push([rng.uniform(), rng.uniform(1e-9, 1 - 1e-9)]);
  return out;
}

/** A copy of the L2 loss with other formulas, for checks that must catch a wrong one. */
function variant(id: string, changes: Partial<LossSpec>): Loss {
  const base: LossSpec = {
    id,
    name: id,
    task: 'regression',
    target: 'real',
    prediction: 'real',
    value: (y, f) => (y - f) ** 2,
    derivative: (y, f) => -2 * (y - f),
    secondDerivative: () => 2,
    expression: '(y - f)^2',
    latex: '\\ell = (y - f)^2',
    properties: { ...losses.l2.properties },
  };
  return defineLoss({ ...base, ...changes });
}

describe('chapter 02 experiment code', () => {
  describe('entropy, KL and cross-entropy against 50 digits', () => {
    it('each is within the rounding bound the chapter uses, at 349 points including t, p at 0, 1 and 1e-12 from them', () => {
      for (const [t, p] of points()) {
        const [T, P] = [exact(t), exact(p)];
        const [U, Q] = [new D(1).minus(T), new D(1).minus(P)];
        const h = xLog(T, T).plus(xLog(U, U)).neg();
        const kl = xLog(T, T.div(P)).plus(xLog(U, U.div(Q)));
        const ce = xLog(T, P).plus(xLog(U, Q)).neg();
        const at = `t = ${t}, p = ${p}`;
        expect(Math.abs(binaryEntropy(t) - h.toNumber()), `H, ${at}`).to.be.at.most(
          logTermsBound([
            [t, t],
            [1 - t, 1 - t],
          ]),
        );
        expect(Math.abs(binaryKl(t, p) - kl.toNumber()), `KL, ${at}`).to.be.at.most(
          logTermsBound([
            [t, t / p],
            [1 - t, (1 - t) / (1 - p)],
          ]),
        );
        expect(Math.abs(losses.crossEntropy.value(t, p) - ce.toNumber()), `CE, ${at}`).to.be.at.most(
          logTermsBound([
            [t, p],
            [1 - t, 1 - p],
          ]),
        );
      }
    });

    it('takes the values theory gives at special points', () => {
      expect(binaryEntropy(0.5)).to.equal(Math.LN2);
      expect(binaryEntropy(0)).to.equal(0);
      expect(binaryEntropy(1)).to.equal(0);
      expect(binaryKl(0.3, 0.3)).to.equal(0);
      expect(binaryKl(1, 0.25)).to.equal(-Math.log(0.25));
      expect(binaryKl(0, 1)).to.equal(Infinity);
    });
  });

  describe('the cross-entropy experiment', () => {
    it('measures the four statistics the claims read, each from a deterministic grid', function () {
      this.timeout(30_000);
      const { measurements, klGrid, argminOffset } = runExperiment(derivationsCrossEntropy);
      expect(Object.keys(measurements).sort()).to.deep.equal([
        'crossEntropyFormulaGap',
        'entropyPlusKlGap',
        'marginFormGap',
        'probabilityProductCounterexampleGap',
      ]);
      for (const m of Object.values(measurements)) expect(m.level).to.equal(1);
      expect(klGrid).to.deep.equal({ targets: 101, probabilities: 1007 });
      expect(argminOffset).to.equal(0);
    });

    it('the product statistic is at least the gap of the two most distant predictions, recomputed here', function () {
      this.timeout(30_000);
      const gap = runExperiment(derivationsCrossEntropy).measurements.probabilityProductCounterexampleGap.estimate;
      const [low, high] = [1e-12, 1 - 1e-12];
      const byHand =
        Math.abs(losses.crossEntropy.value(0, high) - losses.crossEntropy.value(0, low)) /
        (logTermsBound([[1, 1 - low]]) + logTermsBound([[1, 1 - high]]));
      expect(gap).to.be.at.least(byHand);
      expect(byHand).to.be.above(1e12);
    });
  });

  describe('the derivative checks', () => {
    it("pass the package's losses within their bounds", function () {
      this.timeout(30_000);
      for (const row of derivativeChecks([losses.l2, losses.logistic, losses.hinge])) {
        expect(row.points, row.loss.id).to.be.at.least(250);
        expect(
          Math.max(row.firstSymbolic, row.firstFinite, row.secondSymbolic, row.secondFinite),
          row.loss.id,
        ).to.be.at.most(1);
      }
    });

    it('catch a derivative off by one part in a million, and a second derivative likewise', function () {
      this.timeout(30_000);
      const [first] = derivativeChecks([variant('wrongSlope', { derivative: (y, f) => -2 * (y - f) * (1 + 1e-6) })]);
      expect(first.firstSymbolic).to.be.above(1);
      expect(first.firstFinite).to.be.above(1);
      expect(first.secondSymbolic).to.be.at.most(1);
      const [second] = derivativeChecks([variant('wrongCurvature', { secondDerivative: () => 2 * (1 + 1e-6) })]);
      expect(second.secondSymbolic).to.be.above(1);
      expect(second.secondFinite).to.be.above(1);
      expect(second.firstSymbolic).to.be.at.most(1);
    });
  });

  describe('the convexity checks', () => {
    it("find the package's convex losses convex and the 0–1 loss not", function () {
      this.timeout(30_000);
      const rows = convexityChecks([losses.l1, losses.hinge, losses.logistic, losses.zeroOne]);
      expect(rows.map((r) => r.convex)).to.deep.equal([true, true, true, false]);
      expect(rows[3].jumps).to.equal(2);
      expect(rows[3].violations).to.be.above(0);
    });

    it('catch a smooth loss that bends the wrong way: ln(1 + (y − f)²), which is concave beyond |y − f| = 1', function () {
      this.timeout(30_000);
      const cauchy = variant('cauchy', {
        value: (y, f) => Math.log1p((y - f) ** 2),
        derivative: (y, f) => (-2 * (y - f)) / (1 + (y - f) ** 2),
        secondDerivative: (y, f) => (2 * (1 - (y - f) ** 2)) / (1 + (y - f) ** 2) ** 2,
        expression: 'log(1 + (y - f)^2)',
        properties: { ...losses.l2.properties, convex: false, strictlyConvex: false, boundedInfluence: true },
      });
      const [row] = convexityChecks([cauchy]);
      expect(row.negativeCurvature).to.be.above(0);
      expect(row.violations).to.be.above(0);
      expect(row.convex).to.equal(false);
    });
  });

  describe('the minimisers', () => {
    it("match their closed forms within one grid step and within optimalConstant's bound", function () {
      this.timeout(30_000);
      const rows = minimiserChecks();
      expect(rows.map((r) => r.loss.id)).to.deep.equal([
        'square',
        'logistic',
        'crossEntropyWithLogits',
        'crossEntropy',
        'exponential',
        'hinge',
      ]);
      for (const r of rows) {
        expect(r.gridError, r.loss.id).to.be.at.most(r.step);
        expect(r.sampleError, r.loss.id).to.be.at.most(1);
      }
      expect(rows[1].atThreeQuarters.formula).to.equal(Math.log(3));
      expect(rows[5].atThreeQuarters).to.deep.equal({ formula: 1, grid: 1, sample: 1 });
    });

    it('conditional risk curves weigh the two labels by η', () => {
      const [hinge] = conditionalRiskCurves([losses.hinge], 0.75, [0, 1]);
      expect(hinge.mean).to.deep.equal([1, 0.5]);
      expect(hinge.lossId).to.equal('hinge');
    });
  });

  describe('bad arguments', () => {
    const cases: Array<[string, () => unknown]> = [
      ['binaryEntropy(NaN)', () => binaryEntropy(Number.NaN)],
      ['binaryEntropy(-0.1)', () => binaryEntropy(-0.1)],
      ['binaryEntropy(1.5)', () => binaryEntropy(1.5)],
      ['binaryKl(0.5, NaN)', () => binaryKl(0.5, Number.NaN)],
      ['binaryKl(2, 0.5)', () => binaryKl(2, 0.5)],
      ['derivativeChecks([])', () => derivativeChecks([])],
      ['derivativeChecks([{}])', () => derivativeChecks([{} as Loss])],
      ['convexityChecks(null)', () => convexityChecks(null as unknown as Loss[])],
      ['conditionalRiskCurves with η = 2', () => conditionalRiskCurves([losses.hinge], 2, [0])],
      ['conditionalRiskCurves with a regression loss', () => conditionalRiskCurves([losses.l2], 0.5, [0])],
    ];
    for (const [name, call] of cases) {
      it(`${name} throws LossInputError`, () => expect(call).to.throw(LossInputError));
    }
  });
});
