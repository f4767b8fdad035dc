/**
 * Dual coordinate descent for the hinge and squared-hinge SVMs with an unpenalised intercept:
 * the duality gap it reports bounds the true suboptimality (checked against exact brute-force
 * optima of tiny problems), and its solutions pass independent optimality checks (Newton for
 * the squared hinge, the subdifferential certificate and long subgradient runs for the hinge).
 */
import { expect } from 'chai';
import { checkOptimality, fitLinear, LossInputError, losses, type Loss } from '../src/index';
import { hingeIntercept, squaredHingeIntercept } from '../src/fit/solvers/dualCD/intercept';
import { createRng } from '../src/index';
import { dataFor, finiteDifferenceGradient, maxAbs, objectiveOf, type Data } from './helpers/fit-iter';

/** Golden-section search for the minimum of a convex function on [lo, hi]. */
function golden(f: (x: number) => number, lo: number, hi: number): { x: number; value: number } {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  for (let k = 0; k < 200 && b - a > 1e-14 * (1 + Math.abs(a)); k++) {
    const c = b - r * (b - a);
    const e = a + r * (b - a);
    if (f(c) <= f(e)) b = e;
    else a = c;
  }
  const x = 0.5 * (a + b);
  return { x, value: f(x) };
}

/**
 * The exact optimum of a 1-feature SVM: for fixed w the objective is convex in b, piecewise
 * linear (hinge) or quadratic (squared hinge) between the breakpoints b = y_i - w x_i, so its
 * minimum over b is found by golden section; the result is convex in w, minimised the same way.
 */
function bruteForce(data: Data, loss: Loss, l2: number): number {
  const bOpt = (w: number): number => {
    const bps = data.X.map((row, i) => data.y[i] - w * row[0]);
    const lo = Math.min(...bps) - 1;
    const hi = Math.max(...bps) + 1;
    return golden((b) => objectiveOf(data, loss, [w], b, 0, l2), lo, hi).value;
  };
  return golden(bOpt, -50, 50).value;
}

describe('dualCD', () => {
  for (const loss of [losses.hinge, losses.squaredHinge]) {
    for (const l2 of [1, 0.1, 0.01]) {
      for (const fitIntercept of [true, false]) {
        it(`${loss.id}, l2 = ${l2}, fitIntercept = ${fitIntercept}: certified by a duality gap <= 1e-10, and independently optimal`, () => {
          const data = dataFor(loss, 200, 3, 21, 1);
          const fit = fitLinear(data.X, data.y, { loss, l2, fitIntercept, solver: 'dualCD', maxIter: 20000 });
          expect(fit.converged, fit.reason).to.equal(true);
          expect(fit.dualityGap).to.be.at.most(1e-10);
          expect(fit.objective).to.be.closeTo(objectiveOf(data, loss, fit.weights, fit.intercept, 0, l2), 1e-12);
          if (!fitIntercept) expect(fit.intercept).to.equal(0);
          if (loss === losses.squaredHinge) {
            const nt = fitLinear(data.X, data.y, { loss, l2, fitIntercept, solver: 'newton' });
            expect(fit.objective).to.be.closeTo(nt.objective, 1e-9 * nt.objective);
            const d = data.X[0].length;
            const F = (t: number[]): number => objectiveOf(data, loss, t.slice(0, d), fitIntercept ? t[d] : 0, 0, l2);
            expect(
              maxAbs(finiteDifferenceGradient(F, [...fit.weights, ...(fitIntercept ? [fit.intercept] : [])])),
            ).to.be.below(1e-7);
          } else {
            const report = checkOptimality(data.X, data.y, { ...fit, fitIntercept });
            expect(report.residual, JSON.stringify(report)).to.be.below(1e-8);
            // …and the certificate can fail: move the intercept a little.
            expect(
              checkOptimality(data.X, data.y, {
                ...fit,
                fitIntercept,
                intercept: fit.intercept + 1e-3,
                weights: fit.weights.map((v) => v * 1.01),
              }).residual,
            ).to.be.above(1e-5);
          }
        });
      }
    }
  }

  it('the reported gap bounds the distance to the exact optimum of tiny 1-feature problems', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 6; trial++) {
      const X = Array.from({ length: 9 }, () => [rng.normal(0, 2)]);
      const y = X.map((row) => (row[0] + rng.normal(0, 1.5) > 0.3 ? 1 : -1));
      if (y.every((v) => v === y[0])) continue;
      const data: Data = { X, y };
      for (const loss of [losses.hinge, losses.squaredHinge]) {
        for (const l2 of [0.5, 0.05]) {
          const best = bruteForce(data, loss, l2);
          const fit = fitLinear(X, y, { loss, l2, solver: 'dualCD', maxIter: 50000 });
          expect(fit.converged, `${loss.id} ${l2}: ${fit.reason}`).to.equal(true);
          expect(fit.objective - best).to.be.at.most((fit.dualityGap ?? Infinity) + 1e-12);
          expect(fit.objective).to.be.closeTo(best, 1e-9 * best);
        }
      }
    }
  });

  it('handles rows of zeros, whose dual coordinate has no curvature (x = 0, no intercept feature)', () => {
    const data: Data = { X: [[0], [1], [2], [3], [4], [5], [0]], y: [-1, -1, 1, -1, 1, 1, 1] };
    for (const loss of [losses.hinge, losses.squaredHinge]) {
      const fit = fitLinear(data.X, data.y, { loss, l2: 0.1, solver: 'dualCD' });
      expect(fit.converged, fit.reason).to.equal(true);
      expect(fit.objective).to.be.closeTo(bruteForce(data, loss, 0.1), 1e-9);
    }
  });

  it('with one class only: w = 0 and an intercept past the margin reach objective 0, certified', () => {
    for (const loss of [losses.hinge, losses.squaredHinge]) {
      const fit = fitLinear([[0], [1], [2]], [1, 1, 1], { loss, l2: 0.1, solver: 'dualCD' });
      expect(fit.converged, fit.reason).to.equal(true);
      expect(fit.objective).to.equal(0);
    }
  });

  it('agrees with subgradient descent run long (which never beats it)', () => {
    const data = dataFor(losses.hinge, 120, 2, 33, 1);
    const exact = fitLinear(data.X, data.y, { loss: losses.hinge, l2: 0.1, solver: 'dualCD' });
    const slow = fitLinear(data.X, data.y, { loss: losses.hinge, l2: 0.1, solver: 'subgradient', maxIter: 20000 });
    expect(slow.converged).to.equal(false);
    expect(slow.objective).to.be.at.least(exact.objective - (exact.dualityGap ?? Infinity) - 1e-15);
    expect(slow.objective).to.be.closeTo(exact.objective, 1e-3 * exact.objective);
  });

  it("is what 'auto' picks for hinge with l2 > 0, and it is reproducible from the seed", () => {
    const data = dataFor(losses.hinge, 150, 3, 4, 1);
    const a = fitLinear(data.X, data.y, { loss: losses.hinge, l2: 0.05 });
    const b = fitLinear(data.X, data.y, { loss: losses.hinge, l2: 0.05, solver: 'dualCD' });
    const c = fitLinear(data.X, data.y, { loss: losses.hinge, l2: 0.05, solver: 'dualCD', seed: 7 });
    expect(a.solver).to.equal('dualCD');
    expect(Array.from(a.weights)).to.deep.equal(Array.from(b.weights));
    expect(c.objective).to.be.closeTo(a.objective, 2e-10);
  });

  it('stops at maxIter with converged false and a finite, meaningful answer', () => {
    const data = dataFor(losses.hinge, 300, 3, 8, 1);
    const fit = fitLinear(data.X, data.y, { loss: losses.hinge, l2: 1e-4, solver: 'dualCD', maxIter: 3 });
    expect(fit.converged).to.equal(false);
    expect(fit.status).to.equal('maxIterations');
    expect(fit.iterations).to.equal(3);
    expect(Number.isFinite(fit.objective) && fit.weights.every(Number.isFinite)).to.equal(true);
    expect(fit.history.map((h) => h.iteration)).to.deep.equal([0, 1, 2, 3]);
  });

  it('rejects what it cannot solve, with LossInputError', () => {
    const data = dataFor(losses.hinge, 20, 2, 1);
    expect(() => fitLinear(data.X, data.y, { loss: losses.hinge, solver: 'dualCD' })).to.throw(
      LossInputError,
      /l2 > 0/,
    );
    expect(() => fitLinear(data.X, data.y, { loss: losses.hinge, l2: 1, l1: 0.1, solver: 'dualCD' })).to.throw(
      LossInputError,
      /l1/,
    );
    expect(() => fitLinear(data.X, data.y, { loss: losses.logistic, l2: 1, solver: 'dualCD' })).to.throw(
      LossInputError,
      /hinge/,
    );
  });
});

describe('exact intercepts for a fixed w', () => {
  const rng = createRng(12);
  for (let trial = 0; trial < 20; trial++) {
    it(`trial ${trial}: hinge and squared hinge intercepts minimise over b (checked on a fine scan)`, () => {
      const n = 1 + rng.integer(12);
      const y = Float64Array.from({ length: n }, () => (rng.bernoulli(0.5) ? 1 : -1));
      const s = Float64Array.from({ length: n }, () => rng.normal(0, 2));
      for (const [loss, solve] of [
        [losses.hinge, hingeIntercept],
        [losses.squaredHinge, squaredHingeIntercept],
      ] as const) {
        const F = (b: number): number => {
          let t = 0;
          for (let i = 0; i < n; i++) t += loss.value(y[i], s[i] + b);
          return t;
        };
        const b = solve(y, s, n);
        const value = F(b);
        // Every breakpoint and a fine grid around them: none is better.
        const candidates = Array.from(y, (v, i) => v - s[i]);
        for (let k = -400; k <= 400; k++) candidates.push(k / 40);
        for (const c of candidates) expect(value).to.be.at.most(F(c) + 1e-12 * (1 + Math.abs(F(c))));
      }
    });
  }
});
