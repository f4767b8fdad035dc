/**
 * fitSoftmaxRegression: its answer certified by the package's own softmax loss and gradient
 * (not the solver's code), a closed-form optimum (the saturated model reproduces the class
 * frequencies of each group), agreement with the binary logistic fit for K = 2 within a bound
 * from strong convexity, the endings, and bad input.
 */
import { expect } from 'chai';
import {
  createRng,
  fitLinear,
  fitSoftmaxRegression,
  losses,
  LossInputError,
  makeClassification,
  sigmoid,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
  type Matrix,
} from '../src/index';
import { jacobiSVD } from '../src/linalg/svd';

const EPS = Number.EPSILON;

/** Three Gaussian classes in the plane, seeded, with class means apart by about 1.5 sd. */
function threeClasses(n: number, seed: number): { X: Matrix; y: number[] } {
  const rng = createRng(seed);
  const centres = [
    [0, 0],
    [1.5, 0],
    [0, 1.5],
  ];
  const data = new Float64Array(2 * n);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    y.push(k);
    data[2 * i] = centres[k][0] + rng.normal();
    data[2 * i + 1] = centres[k][1] + rng.normal();
  }
  return { X: { rows: n, cols: 2, data }, y };
}

/** ∇F from the package's softmaxCrossEntropyGradient: (1/n) Σ (pᵢ − tᵢ) x̃ᵢᵀ + l2 (W, 0). */
function independentGradient(X: Matrix, y: number[], W: Matrix, b: Float64Array, l2: number): Float64Array {
  const { rows: n, cols: d } = X;
  const K = W.rows;
  const logits = Array.from({ length: n }, (_, i) =>
    Array.from({ length: K }, (_, k) => {
      let s = b[k];
      for (let j = 0; j < d; j++) s += W.data[k * d + j] * X.data[i * d + j];
      return s;
    }),
  );
  const r = softmaxCrossEntropyGradient(y, logits);
  const g = new Float64Array(K * (d + 1));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) g[k * d + j] += (r[i * K + k] * X.data[i * d + j]) / n;
      g[K * d + k] += r[i * K + k] / n;
    }
  }
  for (let j = 0; j < K * d; j++) g[j] += l2 * W.data[j];
  return g;
}

function objectiveByPackage(X: Matrix, y: number[], W: Matrix, b: Float64Array, l2: number): number {
  const { rows: n, cols: d } = X;
  const K = W.rows;
  const logits = Array.from({ length: n }, (_, i) =>
    Array.from({ length: K }, (_, k) => {
      let s = b[k];
      for (let j = 0; j < d; j++) s += W.data[k * d + j] * X.data[i * d + j];
      return s;
    }),
  );
  return softmaxCrossEntropy(y, logits) + 0.5 * l2 * W.data.reduce((s, v) => s + v * v, 0);
}

const maxAbs = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => Math.max(s, Math.abs(x)), 0);

describe('fitSoftmaxRegression', () => {
  for (const l2 of [0, 0.05]) {
    it(`certifies its optimum with the package's softmax gradient (three classes, l2 = ${l2})`, () => {
      const { X, y } = threeClasses(300, 11);
      const fit = fitSoftmaxRegression(X, y, { l2 });
      expect(fit.status).to.equal('converged');
      // The gradient from another code path: the only difference is rounding in two sums of n
      // terms of size ≤ max|x̃|, far below tol = 1e-10 (n ε max|x̃| ≈ 300 · 2.2e-16 · 5 ≈ 3e-13).
      const g = independentGradient(X, y, fit.weights, fit.intercepts, l2);
      expect(maxAbs(g)).to.be.at.most(1e-10 + 1e-12);
      expect(Math.abs(fit.optimality - maxAbs(g))).to.be.below(1e-12);
      // The objective as softmaxCrossEntropy computes it: equal up to the rounding of two sums of 300 terms near ln 3.
      expect(Math.abs(fit.objective - objectiveByPackage(X, y, fit.weights, fit.intercepts, l2))).to.be.below(
        2 * 300 * EPS * 2,
      );
      // Convex with a near-zero gradient: no nearby point may be lower by more than the
      // first-order term allows, ‖g‖₁ · 1e-3 ≤ 9 · 1e-10 · 1e-3, plus rounding of F.
      const rng = createRng(12);
      for (let trial = 0; trial < 20; trial++) {
        const W = { rows: 3, cols: 2, data: fit.weights.data.map((v) => v + 1e-3 * rng.uniform(-1, 1)) };
        const b = fit.intercepts.map((v) => v + 1e-3 * rng.uniform(-1, 1));
        expect(objectiveByPackage(X, y, W, b, l2)).to.be.at.least(fit.objective - 1e-12 - 4 * 300 * EPS);
      }
    });
  }

  it("reproduces the closed-form optimum of a saturated model: each group's class frequencies", () => {
    // One binary feature x ∈ {0, 1} and K = 3: the model softmax(b) at x = 0 and softmax(b + w) at
    // x = 1 can match any two distributions, so the unpenalised optimum is the empirical
    // conditional frequencies (the maximum-likelihood estimate of a multinomial per group).
    const counts = [
      [5, 3, 2],
      [1, 6, 9],
    ];
    const X: number[][] = [];
    const y: number[] = [];
    counts.forEach((row, x) => {
      row.forEach((c, k) => {
        for (let r = 0; r < c; r++) {
          X.push([x]);
          y.push(k);
        }
      });
    });
    const fit = fitSoftmaxRegression(X, y);
    expect(fit.status).to.equal('converged');
    const P = fit.probabilities([[0], [1]]).data;
    counts.forEach((row, x) => {
      const total = row.reduce((s, c) => s + c, 0);
      // ‖Δθ‖ ≤ ‖∇F‖₂/λ_min with λ_min of order the smallest frequency squared (≈ 0.01): |Δp| ≲ 1e-8.
      row.forEach((c, k) => {
        expect(P[3 * x + k]).to.be.closeTo(c / total, 1e-8);
      });
    });
    expect(Math.abs(fit.intercepts.reduce((s, v) => s + v, 0))).to.be.below(1e-14);
    expect(Math.abs(fit.weights.data.reduce((s, v) => s + v, 0))).to.be.below(1e-14);
  });

  for (const l2 of [0, 0.2]) {
    it(`for K = 2 gives the probabilities of the binary logistic fit with penalty l2/2 (l2 = ${l2})`, () => {
      const data = makeClassification({ n: 200, seed: 21, separation: 1.5, labels: 'binary' });
      const multi = fitSoftmaxRegression(data.X, data.y, { l2 });
      const binary = fitLinear(data.X, data.y, { loss: losses.crossEntropyWithLogits, l2: l2 / 2 });
      expect(multi.status).to.equal('converged');
      expect(binary.status).to.equal('converged');
      // Strong convexity bound: both answers have a binary gradient below tol = 1e-10 in each of
      // 3 coordinates (the softmax gradient of class 1 is the binary gradient at w = W₁ − W₀), so
      // each lies within √3·1e-10/λ of the optimum, λ the smallest eigenvalue of the binary
      // Hessian there (halved for the change of the Hessian over that distance); and
      // |Δσ| ≤ ¼ ‖x̃‖ ‖Δθ‖.
      const n = data.X.rows;
      const f = binary.predict(data.X);
      const H = new Float64Array(9);
      let largestRow = 0;
      for (let i = 0; i < n; i++) {
        const x = [data.X.data[2 * i], data.X.data[2 * i + 1], 1];
        const c = sigmoid(f[i]) * (1 - sigmoid(f[i]));
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) H[3 * a + b] += (c * x[a] * x[b]) / n;
        largestRow = Math.max(largestRow, Math.hypot(...x));
      }
      H[0] += l2 / 2;
      H[4] += l2 / 2;
      const lambda = Math.min(...jacobiSVD(H, 3).sigma);
      const bound = (0.25 * largestRow * (2 * Math.sqrt(3) * 1e-10)) / (lambda / 2);
      const P = multi.probabilities(data.X).data;
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(P[2 * i + 1] - sigmoid(f[i])));
      expect(worst).to.be.below(bound);
      expect(bound).to.be.below(1e-6);
      // And the parametrisation: centred weights ±w/2.
      for (let j = 0; j < 2; j++)
        expect(multi.weights.data[2 + j] - multi.weights.data[j]).to.be.closeTo(
          binary.weights[j],
          (2 * bound) / 0.25 + 1e-12,
        );
    });
  }

  it('reports no minimiser on separable data without a penalty, and a finite fit with one', () => {
    const X = [[0], [1], [2], [3], [4], [5]];
    const y = [0, 0, 1, 1, 2, 2];
    const free = fitSoftmaxRegression(X, y);
    expect(free.status).to.equal('noMinimiser');
    expect(free.converged).to.equal(false);
    const penalised = fitSoftmaxRegression(X, y, { l2: 0.01 });
    expect(penalised.status).to.equal('converged');
    expect(Array.from(penalised.predict(X))).to.deep.equal(y);
  });

  it('stops at maxIter with status maxIterations and one history entry per iteration', () => {
    const { X, y } = threeClasses(90, 3);
    const fit = fitSoftmaxRegression(X, y, { maxIter: 1, tol: 0 });
    expect(fit.status).to.equal('maxIterations');
    expect(fit.iterations).to.equal(1);
    expect(fit.history.map((h) => h.iteration)).to.deep.equal([0, 1]);
    expect(fit.history[0].objective).to.be.closeTo(Math.log(3), 1e-15);
    expect(fit.history[1].objective).to.be.below(fit.history[0].objective);
  });

  it('rejects bad input with LossInputError', () => {
    const X = [
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ];
    const y = [0, 1, 2, 0];
    const bad: Array<() => unknown> = [
      () => fitSoftmaxRegression(X, y, null as never),
      () => fitSoftmaxRegression(X, [0, 1, 2]),
      () => fitSoftmaxRegression(X, [0, 1, 1.5, 0]),
      () => fitSoftmaxRegression(X, [0, -1, 2, 0]),
      () => fitSoftmaxRegression(X, [0, NaN, 2, 0]),
      () => fitSoftmaxRegression(X, [0, 0, 0, 0]),
      () => fitSoftmaxRegression(X, [0, 1, 3, 0]),
      () => fitSoftmaxRegression(X, y, { classes: 2 }),
      () => fitSoftmaxRegression(X, y, { classes: 4 }),
      () => fitSoftmaxRegression(X, y, { classes: 2.5 }),
      () => fitSoftmaxRegression(X, y, { l2: -1 }),
      () => fitSoftmaxRegression(X, y, { l2: Infinity }),
      () => fitSoftmaxRegression(X, y, { maxIter: 0 }),
      () => fitSoftmaxRegression(X, y, { maxIter: '5' as never }),
      () => fitSoftmaxRegression(X, y, { tol: NaN }),
      () => fitSoftmaxRegression([[0, 1], [1]], [0, 1]),
      () =>
        fitSoftmaxRegression(
          [
            [0, NaN],
            [1, 0],
          ],
          [0, 1],
        ),
      () => fitSoftmaxRegression('X' as never, y),
      () => fitSoftmaxRegression(X, 'y' as never),
      () => fitSoftmaxRegression(X, y, { l2: 0.1 }).predict([[1, 2, 3]]),
      () => fitSoftmaxRegression(X, y, { l2: 0.1 }).probabilities([[NaN, 0]]),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
