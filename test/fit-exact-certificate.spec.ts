/**
 * checkOptimality, the shared certificate: for smooth losses it is the gradient's largest
 * entry (checked against central finite differences of the objective, computed here); at a
 * kink it searches the subdifferential (zero at exact minimisers, clearly positive after a
 * perturbation); under an l1 penalty it is the soft-threshold condition of the lasso.
 */
import { expect } from 'chai';
import {
  checkOptimality,
  createRng,
  fitLinear,
  huber,
  LossInputError,
  losses,
  makeRegression,
  quantile,
  type Loss,
} from '../src/index';

function objective(loss: Loss, X: number[][], y: number[], w: number[], b: number, l1: number, l2: number): number {
  const mean =
    X.reduce(
      (s, r, i) =>
        s +
        loss.value(
          y[i],
          r.reduce((a, v, j) => a + v * w[j], b),
        ),
      0,
    ) / X.length;
  return mean + l1 * w.reduce((s, v) => s + Math.abs(v), 0) + (l2 / 2) * w.reduce((s, v) => s + v * v, 0);
}

function sample(seed: number, n: number, d: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  return { X, y: X.map((r) => r[0] - 2 * r[1] + rng.studentT(3)) };
}

describe('checkOptimality', () => {
  it('smooth losses: equals the largest partial derivative of the objective (finite differences)', () => {
    const { X, y } = sample(1, 40, 2);
    for (const [loss, l2] of [
      [losses.l2, 0],
      [huber(1), 0.3],
      [losses.logCosh, 0],
    ] as Array<[Loss, number]>) {
      const w = [0.3, -1.1];
      const b = 0.2;
      const report = checkOptimality(X, y, { weights: w, intercept: b, loss, l2 });
      const h = 1e-6;
      const partials = [0, 1, 2].map((k) => {
        const up = [...w, b];
        const down = [...w, b];
        up[k] += h;
        down[k] -= h;
        return (
          (objective(loss, X, y, up.slice(0, 2), up[2], 0, l2) -
            objective(loss, X, y, down.slice(0, 2), down[2], 0, l2)) /
          (2 * h)
        );
      });
      const largest = Math.max(...partials.map(Math.abs));
      expect(report.residual, loss.id).to.be.closeTo(largest, 1e-7 * Math.max(1, largest));
      expect(report.atKink).to.equal(0);
    }
  });

  it('piecewise-linear losses: 0 at the exact minimiser, and at least the convexity bound once moved off it', () => {
    const { X, y } = sample(2, 30, 2);
    for (const loss of [losses.l1, quantile(0.8)]) {
      const fit = fitLinear(X, y, { loss });
      const at = checkOptimality(X, y, fit);
      expect(at.residual).to.be.below(1e-14);
      expect(at.atKink).to.equal(3);
      const best = objective(loss, X, y, Array.from(fit.weights), fit.intercept, 0, 0);
      for (const [dw, db] of [
        [0.05, 0],
        [0, 0.05],
        [-0.05, 0.02],
      ]) {
        const w = [fit.weights[0] + dw, fit.weights[1]];
        const b = fit.intercept + db;
        const moved = checkOptimality(X, y, { ...fit, weights: w, intercept: b });
        // Convexity: F(θ) − F(θ*) <= g·(θ − θ*) <= ‖g‖∞ ‖θ − θ*‖₁ for every subgradient g at θ.
        const bound = (objective(loss, X, y, w, b, 0, 0) - best) / (Math.abs(dw) + Math.abs(db));
        expect(bound).to.be.above(0);
        expect(moved.residual, `${loss.id} moved by (${dw}, ${db})`).to.be.at.least(bound * (1 - 1e-9));
      }
    }
  });

  it('the lasso: zero weights pass exactly when |∂ⱼ (mean loss)| <= l1 (soft-threshold condition)', () => {
    const { X, y } = sample(3, 50, 2);
    // At w = 0 (and the best intercept, the mean of y), ∂ⱼ of the mean squared error is −(2/n) Σ xᵢⱼ (yᵢ − ȳ).
    const yMean = y.reduce((s, v) => s + v, 0) / y.length;
    const partials = [0, 1].map((j) => Math.abs((-2 / 50) * X.reduce((s, r, i) => s + r[j] * (y[i] - yMean), 0)));
    const l1Big = Math.max(...partials) * 1.01;
    const zero = { weights: [0, 0], intercept: yMean, loss: losses.l2, l1: l1Big };
    const passed = checkOptimality(X, y, zero);
    expect(passed.zeroWeights).to.equal(2);
    expect(passed.residual).to.be.below(1e-12);
    const l1Small = Math.max(...partials) * 0.9;
    const failed = checkOptimality(X, y, { ...zero, l1: l1Small });
    expect(failed.residual).to.be.closeTo(Math.max(...partials) - l1Small, 1e-12);
  });

  it('copes with values near 1e200 and 1e-200 (the search is scaled by powers of two)', () => {
    for (const scale of [1e200, 1e-200]) {
      const X = [[1], [2], [3], [4]].map((r) => [r[0] * scale]);
      const y = [1, 3, 2, 5].map((v) => v * Math.sqrt(scale));
      const fit = fitLinear(X, y, { loss: losses.l1 });
      const report = checkOptimality(X, y, fit);
      expect(report.residual / report.scale, `scale ${scale}`).to.be.below(1e-12);
    }
  });

  it('never NaN: derivatives near the largest double that overflow with opposite signs are summed again scaled down', () => {
    // l2 loss at w = 0, b = 0: the derivatives are -2y = ∓1.6e308, times x = 1e10 beyond range.
    // By symmetry both partial derivatives are exactly 0.
    const X = [[1e10], [1e10]];
    const balanced = checkOptimality(X, [8e307, -8e307], { weights: [0], intercept: 0, loss: losses.l2 });
    expect(balanced.residual).to.equal(0);
    expect(balanced.scale).to.be.above(1e308);
    // Unbalanced: ∂w = (-1.6e308 + 8e307) 1e10 / 2 = -4e317, beyond the largest double.
    const unbalanced = checkOptimality(X, [8e307, -4e307], { weights: [0], intercept: 0, loss: losses.l2 });
    expect(unbalanced.residual).to.equal(Infinity);
  });

  it('measures a column beyond 2^64 in units of its size, so a fit optimal to rounding certifies as one', () => {
    // Least squares on x = t·1e200: the scores are exact to rounding (~1e-16 of y), and in the
    // units of x the partial derivative for w is that rounding, not 1e-16 × 1e200.
    const t = [1, 2, -1, 0.5, 0.3];
    const y = [1, 2.5, -0.7, 0.2, 0.9];
    const X = t.map((v) => [v * 1e200]);
    const fit = fitLinear(X, y, { loss: losses.l2 });
    expect(checkOptimality(X, y, fit).residual).to.be.below(1e-14);
    // ...and a wrong weight still shows: moved by 1%, each residual moves by ~1% of |w x| ~ 1e-2.
    const off = checkOptimality(X, y, { ...fit, weights: [fit.weights[0] * 1.01] });
    expect(off.residual).to.be.above(1e-3);
  });

  it('accepts a LinearFit directly and validates what it is given', () => {
    const data = makeRegression({ n: 30, d: 2, seed: 4 });
    const fit = fitLinear(data.X, data.y, { loss: losses.l2, l2: 0.5 });
    expect(checkOptimality(data.X, data.y, fit).residual).to.be.below(1e-12);
    expect(() => checkOptimality(data.X, data.y, { ...fit, weights: [1] })).to.throw(LossInputError);
    expect(() => checkOptimality(data.X, data.y, { ...fit, intercept: Number.NaN })).to.throw(LossInputError);
    expect(() => checkOptimality(data.X, data.y.slice(1), fit)).to.throw(LossInputError);
    expect(() => checkOptimality(data.X, data.y, null as never)).to.throw(LossInputError);
    expect(() => checkOptimality([[1], [2]], [1, -1], { weights: [1], intercept: 0, loss: losses.zeroOne })).to.throw(
      LossInputError,
      /not convex/,
    );
  });

  it('null options, and null where a field of the fit is optional, are LossInputErrors (not TypeErrors, not defaults)', () => {
    const data = makeRegression({ n: 10, d: 1, seed: 5 });
    const fit = fitLinear(data.X, data.y, { loss: losses.l2 });
    expect(() => checkOptimality(data.X, data.y, fit, null as never)).to.throw(LossInputError, /opts/);
    expect(() => checkOptimality(data.X, data.y, fit, 'tight' as never)).to.throw(LossInputError, /opts/);
    expect(() => checkOptimality(data.X, data.y, fit, { kinkTolerance: null as never })).to.throw(
      LossInputError,
      /kinkTolerance/,
    );
    for (const field of ['fitIntercept', 'l1', 'l2'] as const) {
      expect(() => checkOptimality(data.X, data.y, { ...fit, [field]: null }), field).to.throw(
        LossInputError,
        new RegExp(field),
      );
    }
    expect(() => checkOptimality(data.X, data.y, { ...fit, fitIntercept: 'yes' as never })).to.throw(
      LossInputError,
      /fitIntercept/,
    );
  });
});
