/**
 * Newton and L-BFGS on the smooth convex losses: agreement with each other, a vanishing
 * gradient computed independently (central differences of the objective written out with the
 * scalar loss methods), a brute-force optimum on a tiny problem, honest stops (maxIter, no
 * minimiser on separable data) and the pieces they are built from (Hessian, line search).
 */
import { expect } from 'chai';
import {
  type FitOptions,
  fitLinear,
  LossInputError,
  losses,
  type Loss,
  makeClassification,
  type SolverName,
} from '../src/index';
import { objective as objectiveAt } from '../src/fit/core/objective';
import { lbfgs } from '../src/fit/solvers/lbfgs';
import { solveLeastSquares } from '../src/fit/solvers/leastSquares';
import { newton } from '../src/fit/solvers/newton';
import { scores } from '../src/linalg/dense';
import { makeProblem } from '../src/fit/fitLinear';
import { wolfeLineSearch } from '../src/fit/core/lineSearch';
import { SmoothObjective } from '../src/fit/core/smooth';
import type { Problem, SolverOutput, SolverSettings } from '../src/fit/types';
import {
  compassSearch,
  dataFor,
  finiteDifferenceGradient,
  gridMinimum,
  maxAbs,
  objectiveOf,
  type Data,
} from './helpers/fit-iter';

const SMOOTH: Loss[] = [
  losses.logistic,
  losses.crossEntropyWithLogits,
  losses.huber,
  losses.logCosh,
  losses.squaredHinge,
  losses.exponential,
  losses.modifiedHuber,
  losses.square,
  losses.l2,
];

/** ‖∇F‖∞ at (w, b) by central differences of the independently written objective. */
function gradientNorm(
  data: Data,
  loss: Loss,
  w: ArrayLike<number>,
  b: number,
  l2: number,
  fitIntercept = true,
): number {
  const d = w.length;
  const F = (t: number[]): number => objectiveOf(data, loss, t.slice(0, d), fitIntercept ? t[d] : 0, 0, l2);
  const theta = [...Array.from(w), ...(fitIntercept ? [b] : [])];
  return maxAbs(finiteDifferenceGradient(F, theta, 1e-5));
}

describe('newton and lbfgs on smooth convex losses', () => {
  for (const loss of SMOOTH) {
    for (const l2 of [0, 0.05]) {
      it(`${loss.id}, l2 = ${l2}: both converge, agree to 1e-9, and the gradient vanishes`, () => {
        const data = dataFor(loss, 301, 3, 11, 1.5);
        const nt = fitLinear(data.X, data.y, { loss, l2, solver: 'newton' });
        const lb = fitLinear(data.X, data.y, { loss, l2, solver: 'lbfgs' });
        expect(nt.converged, nt.reason).to.equal(true);
        expect(lb.converged, lb.reason).to.equal(true);
        expect(Math.abs(nt.objective - lb.objective)).to.be.at.most(1e-9 * Math.abs(lb.objective));
        for (const fit of [nt, lb]) {
          expect(fit.objective).to.be.closeTo(objectiveOf(data, loss, fit.weights, fit.intercept, 0, l2), 1e-12);
          expect(gradientNorm(data, loss, fit.weights, fit.intercept, l2)).to.be.below(1e-7);
          expect(fit.optimality).to.be.at.most(1e-10);
        }
        // The check can fail: a small step away from the solution shows a clear gradient.
        const moved = Float64Array.from(nt.weights, (v, j) => (j === 0 ? v + 1e-3 : v));
        expect(gradientNorm(data, loss, moved, nt.intercept, l2)).to.be.above(1e-5);
      });
    }
  }

  it('fits without an intercept too (b stays 0, the gradient in w vanishes)', () => {
    const data = dataFor(losses.logistic, 200, 2, 5, 1.5);
    for (const solver of ['newton', 'lbfgs'] as SolverName[]) {
      const fit = fitLinear(data.X, data.y, { loss: losses.logistic, solver, fitIntercept: false, l2: 0.01 });
      expect(fit.intercept).to.equal(0);
      expect(gradientNorm(data, losses.logistic, fit.weights, 0, 0.01, false)).to.be.below(1e-7);
    }
  });

  it('matches a brute-force grid search refined by compass search on a tiny problem', () => {
    const data: Data = { X: [[0], [1], [2], [3], [4], [5], [1.5], [3.5]], y: [-1, -1, 1, -1, 1, 1, 1, -1] };
    for (const loss of [losses.logistic, losses.exponential, losses.huber, losses.squaredHinge]) {
      const y = loss.target === 'real' ? data.y.map((v, i) => v * 2 + i / 3) : data.y;
      const tiny: Data = { X: data.X, y };
      const F = (t: number[]): number => objectiveOf(tiny, loss, [t[0]], t[1]);
      const start = gridMinimum(F, 2, -5, 5, 41);
      const brute = compassSearch(F, start, 0.25, 1e-10);
      for (const solver of ['newton', 'lbfgs'] as SolverName[]) {
        const fit = fitLinear(tiny.X, tiny.y, { loss, solver });
        expect(fit.converged, `${loss.id} ${solver}: ${fit.reason}`).to.equal(true);
        expect(fit.objective).to.be.at.most(brute.value + 1e-12);
        expect(fit.objective).to.be.closeTo(brute.value, 1e-9 * brute.value);
      }
    }
  });

  it('reaches a tighter gradient tolerance when asked (1e-13)', () => {
    const data = dataFor(losses.logistic, 500, 4, 3, 1.5);
    for (const solver of ['newton', 'lbfgs'] as SolverName[]) {
      const fit = fitLinear(data.X, data.y, { loss: losses.logistic, solver, tol: 1e-13 });
      expect(fit.converged, fit.reason).to.equal(true);
      expect(fit.optimality).to.be.at.most(1e-13);
    }
  });

  it('starts from initialWeights: at the optimum it stops at once', () => {
    const data = dataFor(losses.huber, 200, 2, 8);
    const first = fitLinear(data.X, data.y, { loss: losses.huber, solver: 'newton' });
    const again = fitLinear(data.X, data.y, {
      loss: losses.huber,
      solver: 'lbfgs',
      initialWeights: first.weights,
      initialIntercept: first.intercept,
    });
    expect(again.iterations).to.equal(0);
    expect(again.converged).to.equal(true);
  });
});

describe('honest stops', () => {
  const separable: Data = { X: [[0], [1], [2], [3], [4], [5]], y: [-1, -1, -1, 1, 1, 1] };
  const solvers: SolverName[] = ['newton', 'lbfgs', 'gd', 'sgd', 'proximal'];
  for (const loss of [losses.logistic, losses.exponential, losses.crossEntropyWithLogits]) {
    for (const solver of solvers) {
      it(`${loss.id} by ${solver} on separable data with l2 = 0: no minimiser, stops with a reason, no NaN`, () => {
        const y = loss.target === 'binary' ? separable.y.map((v) => (v + 1) / 2) : separable.y;
        const fit = fitLinear(separable.X, y, { loss, solver, maxIter: 100000 });
        expect(fit.converged).to.equal(false);
        expect(fit.status).to.equal('noMinimiser');
        expect(fit.reason).to.match(/^no minimiser: the data are linearly separable/);
        expect(fit.iterations).to.be.below(100000);
        expect(
          Number.isFinite(fit.objective) && Number.isFinite(fit.intercept) && fit.weights.every(Number.isFinite),
        ).to.equal(true);
        // The reason is true: the returned direction separates the data.
        fit.predict(separable.X).forEach((f, i) => {
          expect(f * separable.y[i]).to.be.above(0);
        });
      });
    }
  }

  it('the same data with l2 > 0 have a unique minimiser, found', () => {
    const fit = fitLinear(separable.X, separable.y, { loss: losses.logistic, l2: 0.01, solver: 'lbfgs' });
    expect(fit.converged, fit.reason).to.equal(true);
  });

  it('maxIter reached: converged false, the reason says so, history has maxIter + 1 entries', () => {
    const data = dataFor(losses.logistic, 300, 3, 2, 1.5);
    for (const solver of ['lbfgs', 'newton', 'gd'] as SolverName[]) {
      const fit = fitLinear(data.X, data.y, { loss: losses.logistic, solver, maxIter: 2 });
      expect(fit.converged).to.equal(false);
      expect(fit.status).to.equal('maxIterations');
      expect(fit.iterations).to.equal(2);
      expect(fit.history.map((h) => h.iteration)).to.deep.equal([0, 1, 2]);
    }
  });

  it('features scaled by 1e150 (one column, or all): the same fit, scaled, converged and certified in the column units', () => {
    // Without a penalty, scaling column j by s maps the minimiser's wⱼ to wⱼ / s and leaves
    // b and the objective as they were, so the unscaled fit is the independent answer.
    const data = dataFor(losses.logistic, 120, 3, 8, 1.5);
    for (const columns of [[0], [0, 1, 2]]) {
      const scaled: Data = {
        X: data.X.map((row) => row.map((v, j) => (columns.includes(j) ? v * 1e150 : v))),
        y: data.y,
      };
      for (const solver of ['lbfgs', 'newton', 'gd', 'proximal'] as SolverName[]) {
        const maxIter = solver === 'gd' ? 200000 : 1000;
        const base = fitLinear(data.X, data.y, { loss: losses.logistic, solver, maxIter, tol: 1e-9 });
        const fit = fitLinear(scaled.X, scaled.y, { loss: losses.logistic, solver, maxIter, tol: 1e-9 });
        const what = `${solver}, columns ${columns}`;
        expect(base.status, `${what}: ${base.reason}`).to.equal('converged');
        expect(fit.status, `${what}: ${fit.reason}`).to.equal('converged');
        // Both gradients are below 1e-9 (so ‖g‖₂ < 2e-9) and the Hessian's smallest eigenvalue
        // at the minimiser is 0.157 (computed aside), so each fit is within ~1.3e-8 of it.
        fit.weights.forEach((w, j) => {
          expect(columns.includes(j) ? w * 1e150 : w, `${what}: w${j}`).to.be.closeTo(base.weights[j], 1e-7);
        });
        expect(fit.intercept, what).to.be.closeTo(base.intercept, 1e-7);
        expect(fit.objective, what).to.be.closeTo(base.objective, 1e-12);
        expect(fit.optimality, what).to.be.at.most(1e-9);
      }
    }
  });

  it('onIteration sees exactly the recorded history, and the objective decreases', () => {
    const data = dataFor(losses.logCosh, 200, 3, 4);
    for (const solver of ['lbfgs', 'newton'] as SolverName[]) {
      const seen: Array<{ iteration: number; objective: number }> = [];
      const fit = fitLinear(data.X, data.y, {
        loss: losses.logCosh,
        solver,
        onIteration: (s) => seen.push({ iteration: s.iteration, objective: s.objective }),
      });
      expect(seen).to.deep.equal(fit.history.map((h) => ({ iteration: h.iteration, objective: h.objective })));
      expect(fit.history.length).to.equal(fit.iterations + 1);
      for (let k = 1; k < fit.history.length; k++)
        expect(fit.history[k].objective).to.be.at.most(fit.history[k - 1].objective + 1e-15);
      expect(fit.history[fit.history.length - 1].objective).to.be.closeTo(fit.objective, 1e-14);
    }
  });

  it('rejects problems they cannot solve exactly, with LossInputError', () => {
    const data = dataFor(losses.hinge, 20, 2, 1);
    expect(() => fitLinear(data.X, data.y, { loss: losses.hinge, solver: 'lbfgs' })).to.throw(
      LossInputError,
      /not differentiable/,
    );
    expect(() => fitLinear(data.X, data.y, { loss: losses.logistic, solver: 'newton', l1: 0.1 })).to.throw(
      LossInputError,
      /l1 penalty/,
    );
  });
});

describe('building blocks', () => {
  function problemOf(data: Data, loss: Loss, l2: number): Problem {
    const n = data.X.length;
    const d = data.X[0].length;
    return {
      X: { rows: n, cols: d, data: Float64Array.from(data.X.flat()) },
      y: Float64Array.from(data.y),
      loss,
      n,
      d,
      fitIntercept: true,
      l1: 0,
      l2,
    };
  }

  for (const loss of [losses.logistic, losses.exponential, losses.logCosh]) {
    it(`the ${loss.id} Hessian equals finite differences of the gradient`, () => {
      const data = dataFor(loss, 57, 3, 9);
      const S = new SmoothObjective(problemOf(data, loss, 0.1));
      const theta = Float64Array.from([0.3, -0.2, 0.1, 0.05]);
      const m = theta.length;
      const H = new Float64Array(m * m);
      S.evaluate(theta, new Float64Array(m));
      S.hessian(H);
      const gPlus = new Float64Array(m);
      const gMinus = new Float64Array(m);
      const h = 1e-6;
      for (let k = 0; k < m; k++) {
        const plus = theta.slice();
        const minus = theta.slice();
        plus[k] += h;
        minus[k] -= h;
        S.evaluate(plus, gPlus);
        S.evaluate(minus, gMinus);
        for (let j = k; j < m; j++) expect(H[j * m + k]).to.be.closeTo((gPlus[j] - gMinus[j]) / (2 * h), 1e-7);
      }
    });
  }

  it('the line search returns a strong-Wolfe step on a quadratic, and shrinks past an overflow', () => {
    // φ(α) = (α - 3)², from α = 0 (slope -6): 1 is acceptable (φ' = -4, |φ'| <= 0.9·6).
    const quadratic = {
      slope: 0,
      along(a: number): number {
        this.slope = 2 * (a - 3);
        return (a - 3) ** 2;
      },
    };
    const q = wolfeLineSearch(quadratic, 9, -6, 1);
    expect(q.wolfe).to.equal(true);
    expect(q.value).to.be.at.most(9 + 1e-4 * q.alpha * -6);
    expect(Math.abs(2 * (q.alpha - 3))).to.be.at.most(0.9 * 6);
    // e^{10 α} - 10 α overflows for α > 71; from α₁ = 1e3 the search must come back.
    const steep = {
      slope: 0,
      along(a: number): number {
        this.slope = 10 * Math.exp(10 * a) - 10 - 20;
        return Math.exp(10 * a) - 30 * a;
      },
    };
    const s = wolfeLineSearch(steep, 1, -20, 1e3);
    expect(s.alpha).to.be.above(0).and.below(1);
    expect(Number.isFinite(s.value)).to.equal(true);
  });
});

describe('the objective a smooth solver reports', () => {
  it('is, to the bit, the objective computed afresh at the returned parameters', () => {
    // Solvers that certify at fresh scores hand them to the front door, which takes the
    // objective from them; stale (incrementally updated) scores would show here, as would a
    // column-scaled problem's scores taken for the caller's X.
    const { X, y } = makeClassification({ n: 3000, d: 6, seed: 8 });
    const t = Float64Array.from(y, (v) => (v + 1) / 2);
    const wide = {
      rows: X.rows,
      cols: X.cols,
      data: Float64Array.from(X.data, (v, k) => (k % X.cols === 2 ? v * 1e30 : v)),
    };
    const cases: Array<[string, Parameters<typeof fitLinear>[0], ArrayLike<number>, FitOptions]> = [
      ['logistic lbfgs', X, y, { loss: losses.logistic, l2: 1e-3, solver: 'lbfgs' }],
      ['crossEntropyWithLogits lbfgs', X, t, { loss: losses.crossEntropyWithLogits, l2: 1e-3, solver: 'lbfgs' }],
      ['logistic newton', X, y, { loss: losses.logistic, l2: 1e-3, solver: 'newton' }],
      ['huber lbfgs', X, y, { loss: losses.huber, l2: 1e-3, solver: 'lbfgs' }],
      ['logistic gd', X, y, { loss: losses.logistic, l2: 1e-2, solver: 'gd', maxIter: 50 }],
      [
        'logistic lbfgs, stopped after 3 iterations',
        X,
        y,
        { loss: losses.logistic, l2: 1e-3, solver: 'lbfgs', maxIter: 3 },
      ],
      ['huber lbfgs, stopped after 4 iterations', X, y, { loss: losses.huber, l2: 1e-3, solver: 'lbfgs', maxIter: 4 }],
      ['logistic lbfgs, a column near 1e30', wide, y, { loss: losses.logistic, l2: 1e-3, solver: 'lbfgs' }],
    ];
    for (const [what, A, b, opts] of cases) {
      const fit = fitLinear(A, b, opts);
      const afresh = objectiveAt(makeProblem(A, b, opts), fit.weights, fit.intercept);
      expect(Object.is(fit.objective, afresh), `${what}: ${fit.objective} against ${afresh}`).to.equal(true);
    }
  });

  it('comes from scores the solver hands over only when they are Xw + b afresh, with the bits of linalg/dense scores', () => {
    const { X, y } = makeClassification({ n: 3000, d: 6, seed: 9 });
    const settings = (maxIter: number): SolverSettings => ({
      maxIter,
      tol: 1e-10,
      onIteration: undefined,
      initialWeights: undefined,
      initialIntercept: 0,
      stepSize: undefined,
      batchSize: 1,
      seed: 0,
    });
    const cases: Array<[string, SolverOutput, Problem, boolean]> = [];
    const logistic = makeProblem(X, y, { loss: losses.logistic, l2: 1e-3 });
    const l2 = makeProblem(X, y, { loss: losses.l2 });
    cases.push(['lbfgs, converged', lbfgs(logistic, settings(1000)), logistic, true]);
    cases.push(['newton, converged', newton(logistic, settings(1000)), logistic, true]);
    cases.push(['leastSquares', solveLeastSquares(l2), l2, true]);
    // Stopped by maxIter, the scores are those updated along the line: not handed over.
    cases.push(['lbfgs, stopped after 3 iterations', lbfgs(logistic, settings(3)), logistic, false]);
    for (const [what, out, p, handed] of cases) {
      expect(out.scores !== undefined, `${what}: scores handed over`).to.equal(handed);
      if (out.scores === undefined) continue;
      const afresh = scores(p.X, out.weights, out.intercept, new Float64Array(p.n));
      expect(
        Buffer.from(out.scores.buffer).equals(Buffer.from(afresh.buffer)),
        `${what}: the bits of scores()`,
      ).to.equal(true);
    }
  });
});
