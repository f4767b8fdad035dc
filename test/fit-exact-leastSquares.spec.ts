/**
 * leastSquares against independent solutions computed here: the normal equations solved by
 * mathjs's LU (full rank), and the Moore–Penrose pseudo-inverse from mathjs's `pinv`
 * (rank-deficient: the minimum-norm solution). Every fit also passes the gradient
 * certificate of certificate.ts, and never returns NaN.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { lusolve, multiply, pinv, transpose } from 'mathjs';
import { objective as objectiveAt } from '../src/fit/core/objective';
import { makeProblem } from '../src/fit/fitLinear';
import { checkOptimality, createRng, type FitOptions, fitLinear, losses, type LinearFit } from '../src/index';

interface Sample {
  X: number[][];
  y: number[];
}

/** x_ij = scale_j (N(0,1) + 3), y = Σ x_ij (j + 1) / scale_j + N(0,1) + 5: every column matters equally. */
function randomSample(seed: number, n: number, d: number, scales?: number[]): Sample {
  const rng = createRng(seed);
  const scale = (j: number): number => scales?.[j] ?? 1;
  const X = Array.from({ length: n }, () => Array.from({ length: d }, (_, j) => (rng.normal() + 3) * scale(j)));
  const y = X.map((r) => r.reduce((s, v, j) => s + (v * (j + 1)) / scale(j), 0) + rng.normal() + 5);
  return { X, y };
}

/** Minimiser of (1/n)‖y − Xw − b‖² + (l2/2)‖w‖² by the normal equations, with mathjs. */
function normalEquations({ X, y }: Sample, fitIntercept: boolean, l2: number): { w: number[]; b: number } {
  const n = X.length;
  const d = X[0].length;
  const A = X.map((r) => (fitIntercept ? [...r, 1] : [...r]));
  const AtA = multiply(transpose(A), A) as number[][];
  // Gradient: −(2/n) Aᵀ(y − A β) + l2 [w; 0] = 0  ⇔  (AᵀA + (n l2 / 2) D) β = Aᵀ y.
  for (let j = 0; j < d; j++) AtA[j][j] += (n * l2) / 2;
  const Aty = multiply(transpose(A), y) as number[];
  const beta = (lusolve(AtA, Aty) as number[][]).map((r) => r[0]);
  return { w: beta.slice(0, d), b: fitIntercept ? beta[d] : 0 };
}

function objective({ X, y }: Sample, w: ArrayLike<number>, b: number, l2: number): number {
  let s = 0;
  X.forEach((r, i) => {
    const f = r.reduce((acc, v, j) => acc + v * w[j], b);
    s += (y[i] - f) ** 2;
  });
  let sq = 0;
  for (let j = 0; j < w.length; j++) sq += w[j] * w[j];
  return s / X.length + (l2 / 2) * sq;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  for (let j = 0; j < want.length; j++)
    expect(Math.abs(got[j] - want[j]), `${what}[${j}]: ${got[j]} vs ${want[j]}`).to.be.below(tol * scale);
}

function expectCertified(s: Sample, fit: LinearFit): void {
  const report = checkOptimality(s.X, s.y, fit);
  expect(report.residual, `gradient ${report.residual} vs scale ${report.scale}`).to.be.below(1e-10 * report.scale);
  expect(Array.from(fit.weights).every(Number.isFinite) && Number.isFinite(fit.intercept)).to.equal(true);
}

describe('leastSquares (exact l2 and ridge)', () => {
  it('matches the normal equations on random full-rank problems, with and without intercept and ridge', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.constantFrom(0, 0.01, 1),
        (seed, extra, d, fitIntercept, l2) => {
          const s = randomSample(seed, d + extra, d);
          const fit = fitLinear(s.X, s.y, { loss: losses.l2, fitIntercept, l2 });
          expect(fit.solver).to.equal('leastSquares');
          const want = normalEquations(s, fitIntercept, l2);
          expectClose(fit.weights, want.w, 1e-9, 'w');
          expect(Math.abs(fit.intercept - want.b)).to.be.below(1e-8 * Math.max(1, Math.abs(want.b)));
          expect(fit.unique).to.equal(true);
          expect(fit.converged).to.equal(true);
          const best = objective(s, want.w, want.b, l2);
          expect(Math.abs(fit.objective - best)).to.be.below(1e-12 * best);
          expectCertified(s, fit);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is exact on an exactly linear relation: the worked example', () => {
    const fit = fitLinear([[0], [1], [2], [3]], [1, 3, 5, 7], { loss: losses.l2 });
    expect(fit.weights[0]).to.be.closeTo(2, 1e-14);
    expect(fit.intercept).to.be.closeTo(1, 1e-14);
    expect(fit.objective).to.be.below(1e-28);
  });

  it('gives the minimum-norm solution (mathjs pinv) for collinear and duplicated columns', () => {
    const rng = createRng(3);
    const base = Array.from({ length: 30 }, () => [rng.normal(), rng.normal()]);
    const X = base.map(([a, b]) => [a, b, a + b, 2 * a]);
    const y = base.map(([a, b]) => 1 + 2 * a - b + 0.1 * rng.normal());
    const fit = fitLinear(X, y, { loss: losses.l2 });
    expect(fit.unique).to.equal(false);
    expect(fit.reason).to.match(/rank 2 of 4/);
    // Centre, then w = pinv(Xc) yc: the minimum-norm minimiser over w; b = ȳ − x̄·w.
    const means = [0, 1, 2, 3].map((j) => X.reduce((s, r) => s + r[j], 0) / X.length);
    const yMean = y.reduce((s, v) => s + v, 0) / y.length;
    const Xc = X.map((r) => r.map((v, j) => v - means[j]));
    const w = multiply(
      pinv(Xc),
      y.map((v) => v - yMean),
    ) as number[];
    expectClose(fit.weights, w, 1e-9, 'min-norm w');
    expect(fit.intercept).to.be.closeTo(yMean - means.reduce((s, m, j) => s + m * w[j], 0), 1e-9);
    expectCertified({ X, y }, fit);
  });

  it('handles more features than rows, and a constant column, with minimum norm and no NaN', () => {
    const rng = createRng(4);
    const X = Array.from({ length: 5 }, () => Array.from({ length: 8 }, () => rng.normal()));
    const y = X.map(() => rng.normal());
    const fit = fitLinear(X, y, { loss: losses.l2, fitIntercept: false });
    const w = multiply(pinv(X), y) as number[];
    expectClose(fit.weights, w, 1e-9, 'w');
    expect(fit.objective).to.be.below(1e-20);
    expect(fit.unique).to.equal(false);

    const withConstant = X.map((r) => [...r.slice(0, 2), 7]);
    const constantFit = fitLinear(withConstant, y, { loss: losses.l2 });
    expect(constantFit.weights[2]).to.equal(0);
    expect(constantFit.unique).to.equal(false);
    expectCertified({ X: withConstant, y }, constantFit);
  });

  it('ridge makes a rank-deficient problem unique', () => {
    const X = [
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ];
    const y = [1, 2, 2, 5];
    const fit = fitLinear(X, y, { loss: losses.l2, l2: 0.1 });
    expect(fit.unique).to.equal(true);
    const want = normalEquations({ X, y }, true, 0.1);
    expectClose(fit.weights, want.w, 1e-10, 'w');
    expect(fit.weights[0]).to.be.closeTo(fit.weights[1], 1e-12);
  });

  it('ridge with an enormous penalty: w ≈ (2 / (n l2)) Σ (xᵢ − x̄)(yᵢ − ȳ), rank full, unique, as the reason says', () => {
    // With l2 ≫ the data the normal equations (XcᵀXc + (n l2 / 2) I) w = Xcᵀyc give
    // w = Σ xc yc / (Σ xc² + n l2 / 2); here Σ xc yc = 2, Σ xc² = 2, n = 3.
    for (const l2 of [1e6, 1e100, 1e300, 1e308]) {
      const fit = fitLinear([[1], [2], [3]], [1, 2, 3], { loss: losses.l2, l2 });
      const want = 2 / (2 + 1.5 * l2);
      expect(fit.weights[0] / want, `l2 = ${l2}`).to.be.closeTo(1, 1e-12);
      expect(fit.intercept).to.be.closeTo(2 - 2 * want, 1e-12);
      expect(fit.unique).to.equal(true);
      expect(fit.reason, `l2 = ${l2}`).to.match(/rank 1 of 1/);
      expect(fit.reason).not.to.match(/deficient/);
      expect(fit.optimality, `l2 = ${l2}`).to.be.below(1e-14);
    }
    // Collinear columns with a ridge: unique, and the reason does not call X's deficiency a non-unique optimum.
    const collinear = fitLinear(
      [
        [1, 2],
        [2, 4],
        [3, 6],
      ],
      [1, 2, 3],
      { loss: losses.l2, l2: 1e308 },
    );
    expect(collinear.unique).to.equal(true);
    expect(collinear.reason).not.to.match(/deficient|null-space/);
  });

  it('is unaffected by the units of the features (columns scaled by 1e-8 and 1e8)', () => {
    const s = randomSample(11, 60, 3, [1e-8, 1, 1e8]);
    const fit = fitLinear(s.X, s.y, { loss: losses.l2 });
    // Full rank once the units are accounted for (numpy's unscaled rule would truncate it).
    expect(fit.unique).to.equal(true);
    expect(fit.reason).to.match(/rank 3 of 3/);
    expectCertified(s, fit);
    const want = normalEquations(s, true, 0);
    [0, 1, 2].forEach((j) => {
      expect(Math.abs(fit.weights[j] - want.w[j]) / Math.abs(want.w[j]), `w${j}`).to.be.below(1e-9);
    });
  });

  it('survives huge and tiny magnitudes without overflow (values near 1e150 and 1e-150)', () => {
    for (const scale of [1e150, 1e-150]) {
      const X = [[1], [2], [3], [4], [5]].map((r) => [r[0] * scale]);
      const y = [2, 4.1, 5.9, 8.2, 9.8].map((v) => v * scale);
      const fit = fitLinear(X, y, { loss: losses.l2 });
      const unitFit = fitLinear([[1], [2], [3], [4], [5]], [2, 4.1, 5.9, 8.2, 9.8], { loss: losses.l2 });
      expect(fit.weights[0]).to.be.closeTo(unitFit.weights[0], 1e-12);
      expect(fit.intercept / scale).to.be.closeTo(unitFit.intercept, 1e-12);
    }
  });

  describe('large problems: the Gram matrix, its Cholesky factor and refinement, or QR when ill-conditioned', () => {
    /**
     * Integer data whose least-squares solution is known exactly: rows come in identical pairs
     * whose residuals are +e and −e, so r ⟂ every column and the constant, and (w*, b*) is the
     * minimiser. n (d + 1)² = 20000 · 256 is past the size where the Gram method starts.
     */
    function exactDesign(d: number, pairs: number, seed: number) {
      const rng = createRng(seed);
      const w = Array.from({ length: d }, () => rng.integer(9) - 4);
      const b = 7;
      const X: number[][] = [];
      const y: number[] = [];
      for (let k = 0; k < pairs; k++) {
        const row = Array.from({ length: d }, () => rng.integer(7) - 3 + 10);
        const fit = row.reduce((s, v, j) => s + v * w[j], b);
        const e = rng.integer(5) - 2;
        X.push(row, [...row]);
        y.push(fit + e, fit - e);
      }
      return { X, y, w, b };
    }

    const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

    it('finds the exact minimiser within the forward error of a backward-stable solver', () => {
      const d = 15;
      const { X, y, w, b } = exactDesign(d, 10_000, 21);
      const fit = fitLinear(X, y, { loss: losses.l2 });
      expect(fit.reason).to.match(/Cholesky of the Gram matrix/);
      expect(fit.reason).to.match(/rank 15 of 15/);
      expect(fit.unique).to.equal(true);
      const kappa = Number(/condition number of the column-scaled X ([0-9.e+]+)/.exec(fit.reason)?.[1]);
      expect(kappa).to.be.within(1, 1e3);
      // Higham, ASNA 2nd ed., Thm 20.1 with the refinement's limiting backward error: residuals
      // rounded componentwise by γ_{d+1}|X||w| (normwise √d more), Xᵀr by m-term blocked sums
      // (m = 512 + n/512 + d, mapped by G⁻¹: κ² times), and a factor 4 for the constants dropped.
      const n = X.length;
      const u = Number.EPSILON / 2;
      const means = Array.from({ length: d }, (_, j) => X.reduce((s, q) => s + q[j], 0) / n);
      const rows = X.map((r) => r.map((v, j) => v - means[j]));
      const aNorm = Math.sqrt(rows.reduce((s, r) => s + r.reduce((t, v) => t + v * v, 0), 0));
      const rNorm = norm(y.map((v, i) => v - X[i].reduce((s, x, j) => s + x * w[j], b)));
      const m = 512 + n / 512 + d;
      const tol = 4 * Math.sqrt(d) * u * (kappa * (d + 2) + kappa * kappa * m * (rNorm / (aNorm * norm(w))));
      const error = norm(Array.from(fit.weights, (v, j) => v - w[j])) / norm(w);
      expect(error, `relative error ${error} vs bound ${tol}`).to.be.at.most(tol);
      expect(Math.abs(fit.intercept - b)).to.be.at.most(tol * (Math.abs(b) + 13 * norm(w)) + n * u * Math.abs(b));
      expectCertified({ X, y }, fit);
    });

    it('ridge: the certificate of the penalised objective holds', () => {
      const { X, y } = exactDesign(15, 10_000, 22);
      for (const l2 of [1e-6, 1, 1e6]) {
        const fit = fitLinear(X, y, { loss: losses.l2, l2 });
        expect(fit.reason, `l2 = ${l2}`).to.match(/Cholesky of the Gram matrix/);
        expect(fit.unique).to.equal(true);
        expectCertified({ X, y }, fit);
      }
    });

    it('a duplicated column goes to QR, which finds rank d − 1 and the minimum-norm solution', () => {
      const { X, y } = exactDesign(15, 10_000, 23);
      const doubled = X.map((r) => [...r, r[0]]);
      const fit = fitLinear(doubled, y, { loss: losses.l2 });
      expect(fit.reason).to.match(/Householder QR/);
      expect(fit.reason).to.match(/rank 15 of 16/);
      expect(fit.unique).to.equal(false);
      // Minimum norm splits the weight of two identical columns equally.
      expect(fit.weights[0]).to.be.closeTo(fit.weights[15], 1e-9 * Math.abs(fit.weights[0]));
      expectCertified({ X: doubled, y }, fit);
    });

    it('an ill-conditioned full-rank X (κ ≈ 1e8) goes to QR, past where refinement is guaranteed to converge', () => {
      const { X, y } = exactDesign(15, 10_000, 24);
      const rng = createRng(25);
      const near = X.map((r) => [...r, r[0] + 1e-7 * rng.normal()]);
      const fit = fitLinear(near, y, { loss: losses.l2 });
      expect(fit.reason).to.match(/Householder QR/);
      expect(fit.reason).to.match(/rank 16 of 16/);
      const kappa = Number(/condition number of the column-scaled X ([0-9.e+]+)/.exec(fit.reason)?.[1]);
      expect(kappa).to.be.within(1e7, 1e9);
      // A backward-stable solution's gradient is rounding times κ: 4 κ (d + 2) u relative to its scale.
      const report = checkOptimality(near, y, fit);
      expect(report.residual).to.be.below(4 * kappa * 18 * (Number.EPSILON / 2) * report.scale);
    });
  });
});

describe('the objective a least-squares fit reports', () => {
  /** Rows of uniform features with a linear target plus noise, from a seeded stream. */
  function data(
    n: number,
    d: number,
    seed: number,
  ): { X: { rows: number; cols: number; data: Float64Array }; y: Float64Array } {
    const rng = createRng(seed);
    const X = new Float64Array(n * d);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let z = 0.5;
      for (let j = 0; j < d; j++) {
        X[i * d + j] = 2 * rng.uniform() - 1;
        z += X[i * d + j] * (j + 1);
      }
      y[i] = z + rng.uniform() - 0.5;
    }
    return { X: { rows: n, cols: d, data: X }, y };
  }

  it('is, to the bit, the objective computed afresh at the returned parameters, whichever method ran', () => {
    // The certificate's pass keeps its scores for the front door: a span left out or scored at
    // other parameters would show here. 20,000 rows are five spans of the Gram method.
    const big = data(20_000, 20, 3);
    const duplicated = data(20_000, 20, 4);
    for (let i = 0; i < 20_000; i++) duplicated.X.data[i * 20 + 19] = duplicated.X.data[i * 20 + 3];
    const small = data(40, 3, 5);
    const cases: Array<[string, ReturnType<typeof data>, FitOptions, RegExp]> = [
      ['Gram', big, { loss: losses.l2 }, /Cholesky of the Gram matrix/],
      ['Gram, ridge', big, { loss: losses.l2, l2: 1e-3 }, /Cholesky of the Gram matrix/],
      ['Gram, no intercept', big, { loss: losses.l2, fitIntercept: false }, /Cholesky of the Gram matrix/],
      ['QR, rank-deficient', duplicated, { loss: losses.l2 }, /Householder QR/],
      ['QR, small', small, { loss: losses.l2 }, /Householder QR/],
    ];
    for (const [what, { X, y }, opts, method] of cases) {
      const fit = fitLinear(X, y, opts);
      expect(fit.reason, what).to.match(method);
      const afresh = objectiveAt(makeProblem(X, y, opts), fit.weights, fit.intercept);
      expect(Object.is(fit.objective, afresh), `${what}: ${fit.objective} against ${afresh}`).to.equal(true);
    }
  });
});
