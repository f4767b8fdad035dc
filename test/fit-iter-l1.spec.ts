/**
 * The l1 penalty: coordinate descent (lasso, elastic net) and FISTA must agree, give exact
 * zeros, and satisfy the lasso's soft-threshold conditions computed in the test; `fitPath`
 * must start where every weight is zero and warm-start down the sequence.
 */
import { expect } from 'chai';
import { fitLinear, fitPath, LossInputError, losses, type LinearFit, type Loss } from '../src/index';
import { MAX_PATH_VALUES } from '../src/fit/path';
import {
  compassSearch,
  dataFor,
  finiteDifferenceGradient,
  gridMinimum,
  objectiveOf,
  type Data,
} from './helpers/fit-iter';

/** (2/n) X_jᵀ r for the l2 loss, r = y - Xw - b: minus the gradient of the mean squared error. */
function correlations(data: Data, w: ArrayLike<number>, b: number): number[] {
  const n = data.X.length;
  const d = w.length;
  const c = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    let r = data.y[i] - b;
    for (let j = 0; j < d; j++) r -= data.X[i][j] * w[j];
    for (let j = 0; j < d; j++) c[j] += (2 / n) * data.X[i][j] * r;
  }
  return c;
}

/** Worst violation of the lasso / elastic-net KKT conditions at (w, b), for F = mean (y - f)² + l1‖w‖₁ + (l2/2)‖w‖². */
function lassoViolation(data: Data, w: ArrayLike<number>, b: number, l1: number, l2: number): number {
  const c = correlations(data, w, b);
  let worst = 0;
  for (let j = 0; j < w.length; j++) {
    // zero weight: |X_jᵀ r (2/n)| <= l1 (the soft-threshold condition); else X_jᵀ r (2/n) = l2 w_j + l1 sign(w_j)
    const v = w[j] === 0 ? Math.max(0, Math.abs(c[j]) - l1) : Math.abs(c[j] - l2 * w[j] - l1 * Math.sign(w[j]));
    worst = Math.max(worst, v);
  }
  const n = data.X.length;
  let meanResidual = 0;
  for (let i = 0; i < n; i++) meanResidual += (data.y[i] - b - data.X[i].reduce((s, v, j) => s + v * w[j], 0)) / n;
  return Math.max(worst, Math.abs(meanResidual));
}

/** l1Max computed directly: (2/n) max_j |X_jᵀ (y - ȳ)|. */
function lassoL1Max(data: Data): number {
  const n = data.X.length;
  const ybar = data.y.reduce((s, v) => s + v, 0) / n;
  return Math.max(
    ...data.X[0].map((_, j) => Math.abs(data.X.reduce((s, row, i) => s + row[j] * (data.y[i] - ybar), 0) * (2 / n))),
  );
}

describe('lasso and elastic net: coordinate descent and FISTA', () => {
  const data = dataFor(losses.l2, 200, 6, 31);
  const l1Max = lassoL1Max(data);
  for (const fraction of [0.5, 0.1, 0.01]) {
    for (const l2 of [0, 0.2]) {
      it(`l1 = ${fraction} l1Max, l2 = ${l2}: same objective, same zeros, soft-threshold conditions hold`, () => {
        const l1 = fraction * l1Max;
        const cd = fitLinear(data.X, data.y, { loss: losses.l2, l1, l2, solver: 'coordinateDescent' });
        const px = fitLinear(data.X, data.y, { loss: losses.l2, l1, l2, solver: 'proximal', maxIter: 20000 });
        expect(cd.converged, cd.reason).to.equal(true);
        expect(px.converged, px.reason).to.equal(true);
        expect(px.objective).to.be.closeTo(cd.objective, 1e-9 * cd.objective);
        expect(Array.from(cd.weights, (v) => v === 0)).to.deep.equal(Array.from(px.weights, (v) => v === 0));
        for (const fit of [cd, px]) {
          expect(fit.objective).to.be.closeTo(objectiveOf(data, losses.l2, fit.weights, fit.intercept, l1, l2), 1e-12);
          expect(lassoViolation(data, fit.weights, fit.intercept, l1, l2)).to.be.below(1e-9);
        }
        if (fraction === 0.5) expect(cd.weights.some((v) => v === 0)).to.equal(true);
        // The conditions can fail: the same weights are not optimal for a smaller penalty.
        expect(lassoViolation(data, cd.weights, cd.intercept, l1 / 2, l2)).to.be.above(1e-3);
      });
    }
  }

  it('coordinate descent without an intercept, and with l1 = 0 (ridge) matching least squares', () => {
    const cd = fitLinear(data.X, data.y, {
      loss: losses.l2,
      l1: 0.05,
      solver: 'coordinateDescent',
      fitIntercept: false,
    });
    expect(cd.intercept).to.equal(0);
    const c = correlations(data, cd.weights, 0);
    cd.weights.forEach((w, j) => {
      expect(w === 0 ? Math.abs(c[j]) <= 0.05 + 1e-10 : Math.abs(c[j] - 0.05 * Math.sign(w)) < 1e-9).to.equal(true);
    });
    const ridge = fitLinear(data.X, data.y, { loss: losses.l2, l2: 0.3, solver: 'coordinateDescent' });
    const exact = fitLinear(data.X, data.y, { loss: losses.l2, l2: 0.3, solver: 'leastSquares' });
    expect(ridge.objective).to.be.closeTo(exact.objective, 1e-12 * exact.objective);
  });

  it('coordinate descent takes the square loss (equal to l2 for labels ±1)', () => {
    const cls = dataFor(losses.square, 150, 3, 2);
    const a = fitLinear(cls.X, cls.y, { loss: losses.square, l1: 0.05, solver: 'coordinateDescent' });
    const b = fitLinear(cls.X, cls.y, { loss: losses.l2, l1: 0.05, solver: 'coordinateDescent' });
    expect(a.objective).to.be.closeTo(b.objective, 1e-14);
    expect(() => fitLinear(cls.X, cls.y, { loss: losses.logistic, l1: 0.05, solver: 'coordinateDescent' })).to.throw(
      LossInputError,
      /squared-error/,
    );
  });

  it('stops at maxIter with converged false', () => {
    const fit = fitLinear(data.X, data.y, { loss: losses.l2, l1: 0.001, solver: 'coordinateDescent', maxIter: 1 });
    expect(fit.converged).to.equal(false);
    expect(fit.status).to.equal('maxIterations');
  });
});

describe('FISTA with l1 on other smooth losses', () => {
  for (const loss of [losses.logistic, losses.huber]) {
    it(`${loss.id}: zeros satisfy |∂_j S| <= l1 and the rest ∂_j S = -l1 sign(w_j) (finite differences)`, () => {
      const data = dataFor(loss, 250, 5, 17, 1.5);
      const l1 = 0.03;
      const fit = fitLinear(data.X, data.y, { loss, l1, l2: 0.01, solver: 'proximal', maxIter: 20000 });
      expect(fit.converged, fit.reason).to.equal(true);
      expect(fit.solver).to.equal('proximal');
      const d = 5;
      const smooth = (t: number[]): number => objectiveOf(data, loss, t.slice(0, d), t[d], 0, 0.01);
      const g = finiteDifferenceGradient(smooth, [...fit.weights, fit.intercept]);
      fit.weights.forEach((w, j) => {
        if (w === 0) expect(Math.abs(g[j])).to.be.at.most(l1 + 1e-7);
        else expect(g[j] + l1 * Math.sign(w)).to.be.closeTo(0, 1e-7);
      });
      expect(g[d]).to.be.closeTo(0, 1e-7);
    });
  }

  it('matches a brute-force search on a tiny l1-penalised logistic problem', () => {
    const data: Data = {
      X: [
        [0, 1],
        [1, 0.5],
        [2, 2],
        [3, 0],
        [4, 1.5],
        [1.5, 3],
        [3.5, 2.5],
        [0.5, 0.2],
      ],
      y: [-1, -1, 1, -1, 1, 1, -1, 1],
    };
    const loss: Loss = losses.logistic;
    const F = (t: number[]): number => objectiveOf(data, loss, [t[0], t[1]], t[2], 0.1);
    const brute = compassSearch(F, gridMinimum(F, 3, -3, 3, 13), 0.25, 1e-10);
    const fit = fitLinear(data.X, data.y, { loss, l1: 0.1, solver: 'proximal', maxIter: 20000 });
    expect(fit.converged, fit.reason).to.equal(true);
    expect(fit.objective).to.be.at.most(brute.value + 1e-12);
    expect(fit.objective).to.be.closeTo(brute.value, 1e-9 * brute.value);
  });
});

describe('fitPath', () => {
  const data = dataFor(losses.l2, 150, 5, 41);

  it('starts at l1Max, where every weight is 0, and frees weights just below it', () => {
    const path = fitPath(data.X, data.y, { loss: losses.l2, nValues: 20 });
    expect(path.l1Max).to.be.closeTo(lassoL1Max(data), 1e-12);
    expect(path.l1Values[0]).to.equal(path.l1Max);
    expect(path.l1Values.length).to.equal(20);
    for (let k = 1; k < 20; k++) expect(path.l1Values[k]).to.be.below(path.l1Values[k - 1]);
    expect(path.l1Values[19]).to.be.closeTo(path.l1Max * 1e-4, 1e-15);
    expect(Array.from(path.fits[0].weights)).to.deep.equal([0, 0, 0, 0, 0]);
    const below = fitLinear(data.X, data.y, { loss: losses.l2, l1: 0.99 * path.l1Max });
    expect(below.weights.some((w) => w !== 0)).to.equal(true);
    path.fits.forEach((fit: LinearFit, k) => {
      expect(fit.converged, fit.reason).to.equal(true);
      expect(fit.solver).to.equal('coordinateDescent');
      expect(lassoViolation(data, fit.weights, fit.intercept, path.l1Values[k], 0)).to.be.below(1e-9);
    });
    // Fewer non-zero weights for larger penalties (this design is well-conditioned).
    const counts = path.fits.map((f) => f.weights.filter((w) => w !== 0).length);
    expect(counts[0]).to.equal(0);
    expect(counts[19]).to.equal(5);
  });

  it('warm starts: the path costs fewer sweeps than the same fits from zero', () => {
    const path = fitPath(data.X, data.y, { loss: losses.l2, nValues: 15 });
    const cold = path.l1Values.map((l1) => fitLinear(data.X, data.y, { loss: losses.l2, l1 }).iterations);
    const warm = path.fits.map((f) => f.iterations);
    expect(warm.reduce((a, b) => a + b, 0)).to.be.below(cold.reduce((a, b) => a + b, 0));
  });

  it('takes explicit l1 values in any order and fits them largest first', () => {
    const path = fitPath(data.X, data.y, { loss: losses.l2, l1Values: [0.01, 0.5, 0.1] });
    expect(path.l1Values).to.deep.equal([0.5, 0.1, 0.01]);
    path.fits.forEach((fit, k) => {
      expect(fit.l1).to.equal(path.l1Values[k]);
    });
  });

  it('runs proximal gradient for a logistic path, whose first fit is the intercept-only model', () => {
    const cls = dataFor(losses.logistic, 200, 4, 3, 1.5);
    const path = fitPath(cls.X, cls.y, { loss: losses.logistic, nValues: 8, l1MinRatio: 0.05 });
    expect(path.fits[0].solver).to.equal('proximal');
    expect(Array.from(path.fits[0].weights)).to.deep.equal([0, 0, 0, 0]);
    // The first fit is the intercept-only model: the objective is flat in b there.
    const b = path.fits[0].intercept;
    const g = finiteDifferenceGradient((t) => objectiveOf(cls, losses.logistic, [0, 0, 0, 0], t[0]), [b]);
    expect(Math.abs(g[0])).to.be.below(1e-8);
    for (const fit of path.fits) expect(fit.converged, fit.reason).to.equal(true);
  });

  it('rejects what has no path', () => {
    expect(() => fitPath(data.X, data.y, { loss: losses.l1 })).to.throw(LossInputError, /not differentiable/);
    expect(() => fitPath([[0], [1], [2]], [1, 1, 1], { loss: losses.logistic })).to.throw(
      LossInputError,
      /no finite best constant/,
    );
    expect(() => fitPath(data.X, data.y, { loss: losses.l2, nValues: 0 })).to.throw(LossInputError, /nValues/);
    expect(() => fitPath(data.X, data.y, { loss: losses.l2, l1MinRatio: 2 })).to.throw(LossInputError, /l1MinRatio/);
    expect(() => fitPath(data.X, data.y, { loss: losses.l2, l1Values: [0.1, -1] })).to.throw(
      LossInputError,
      /l1Values\[1\]/,
    );
  });

  it('refuses more l1 values than MAX_PATH_VALUES (each is a whole fit kept in memory) before fitting any', () => {
    expect(MAX_PATH_VALUES).to.equal(1000);
    for (const nValues of [1e9, MAX_PATH_VALUES + 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      expect(() => fitPath(data.X, data.y, { loss: losses.l2, nValues }), String(nValues)).to.throw(
        LossInputError,
        /nValues/,
      );
    }
    const many = new Float64Array(MAX_PATH_VALUES + 1).fill(0.1);
    expect(() => fitPath(data.X, data.y, { loss: losses.l2, l1Values: many })).to.throw(LossInputError, /l1Values/);
  });

  it('null options, and null for an optional field, are LossInputErrors', () => {
    expect(() => fitPath(data.X, data.y, null as never)).to.throw(LossInputError, /opts/);
    expect(() => fitPath(data.X, data.y, { loss: losses.l2, nValues: null as never })).to.throw(
      LossInputError,
      /nValues/,
    );
    expect(() => fitPath(data.X, data.y, { loss: losses.l2, l1MinRatio: null as never })).to.throw(
      LossInputError,
      /l1MinRatio/,
    );
    expect(() => fitPath(data.X, data.y, { loss: losses.l2, l1Values: null as never })).to.throw(
      LossInputError,
      /l1Values/,
    );
  });
});
