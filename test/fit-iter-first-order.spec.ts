/**
 * The teaching solvers: gradient descent, SGD and the subgradient method. They must reach the
 * optimum other solvers certify (when run long enough), record their history faithfully, be
 * reproducible from their seed, and stop honestly when they diverge or run out of iterations.
 */
import { expect } from 'chai';
import { fitLinear, LossInputError, losses } from '../src/index';
import { HISTORY_LIMIT } from '../src/fit/core/progress';
import { dataFor, maxAbs, objectiveOf } from './helpers/fit-iter';

describe('gradient descent', () => {
  const data = dataFor(losses.logistic, 300, 3, 14, 1.5);
  const exact = fitLinear(data.X, data.y, { loss: losses.logistic, l2: 0.05, solver: 'newton' });

  it('with its default step 1/L converges to the Newton optimum, monotonically', () => {
    const fit = fitLinear(data.X, data.y, { loss: losses.logistic, l2: 0.05, solver: 'gd', tol: 1e-9, maxIter: 20000 });
    expect(fit.converged, fit.reason).to.equal(true);
    expect(fit.objective).to.be.closeTo(exact.objective, 1e-12);
    // Monotone up to the rounding of the objective itself.
    for (let k = 1; k < fit.history.length; k++)
      expect(fit.history[k].objective).to.be.at.most(fit.history[k - 1].objective + 1e-15);
    expect(fit.history[0].objective).to.be.closeTo(objectiveOf(data, losses.logistic, [0, 0, 0], 0, 0, 0.05), 1e-14);
  });

  it("with stepSize 'decaying' still descends, more slowly", () => {
    const fixed = fitLinear(data.X, data.y, { loss: losses.logistic, l2: 0.05, solver: 'gd', maxIter: 200 });
    const decaying = fitLinear(data.X, data.y, {
      loss: losses.logistic,
      l2: 0.05,
      solver: 'gd',
      maxIter: 200,
      stepSize: 'decaying',
    });
    expect(decaying.converged).to.equal(false);
    expect(decaying.status).to.equal('maxIterations');
    expect(decaying.objective).to.be.below(decaying.history[0].objective);
    expect(decaying.objective - exact.objective).to.be.above(fixed.objective - exact.objective);
  });

  it('with too large a fixed step diverges, and stops at the last finite iterate', () => {
    const reg = dataFor(losses.l2, 100, 2, 3);
    const fit = fitLinear(reg.X, reg.y, { loss: losses.l2, solver: 'gd', stepSize: 5, maxIter: 100000 });
    expect(fit.converged).to.equal(false);
    expect(fit.status).to.equal('diverged');
    expect(fit.reason).to.match(/returned the last finite iterate \(use a smaller stepSize\)/);
    expect(fit.weights.every(Number.isFinite) && Number.isFinite(fit.intercept)).to.equal(true);
    expect(fit.history.every((h) => Number.isFinite(h.objective))).to.equal(true);
  });

  it('calls onIteration once per history entry, starting at iteration 0', () => {
    const seen: number[] = [];
    const fit = fitLinear(data.X, data.y, {
      loss: losses.logistic,
      solver: 'gd',
      maxIter: 7,
      onIteration: (s) => seen.push(s.iteration),
    });
    expect(seen).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(fit.history.length).to.equal(8);
  });
});

describe('stochastic gradient descent', () => {
  const data = dataFor(losses.huber, 400, 3, 6);
  const exact = fitLinear(data.X, data.y, { loss: losses.huber, l2: 0.01, solver: 'newton' });

  it('is reproducible from its seed, and the seed matters', () => {
    const a = fitLinear(data.X, data.y, { loss: losses.huber, l2: 0.01, solver: 'sgd', maxIter: 5, seed: 3 });
    const b = fitLinear(data.X, data.y, { loss: losses.huber, l2: 0.01, solver: 'sgd', maxIter: 5, seed: 3 });
    const c = fitLinear(data.X, data.y, { loss: losses.huber, l2: 0.01, solver: 'sgd', maxIter: 5, seed: 4 });
    expect(Array.from(a.weights)).to.deep.equal(Array.from(b.weights));
    expect(Array.from(a.weights)).to.not.deep.equal(Array.from(c.weights));
  });

  it('with one batch of all n examples and a fixed step is gradient descent with that step', () => {
    const n = data.X.length;
    const sgd = fitLinear(data.X, data.y, {
      loss: losses.huber,
      l2: 0.01,
      solver: 'sgd',
      batchSize: n,
      stepSize: 0.05,
      maxIter: 30,
    });
    const gd = fitLinear(data.X, data.y, { loss: losses.huber, l2: 0.01, solver: 'gd', stepSize: 0.05, maxIter: 30 });
    expect(maxAbs(sgd.weights.map((v, j) => v - gd.weights[j]))).to.be.below(1e-12);
    expect(sgd.intercept).to.be.closeTo(gd.intercept, 1e-12);
  });

  it('with the decaying default approaches the optimum, per epoch, in mini-batches too', () => {
    for (const batchSize of [1, 16]) {
      const fit = fitLinear(data.X, data.y, { loss: losses.huber, l2: 0.01, solver: 'sgd', batchSize, maxIter: 150 });
      expect(fit.converged).to.equal(false);
      expect(fit.status).to.equal('maxIterations');
      expect(fit.reason).to.match(/^maxIter 150 epochs reached with gradient norm \S+ > tol 1e-10$/);
      expect(fit.history.length).to.equal(151);
      expect(fit.objective - exact.objective)
        .to.be.below(2e-3 * exact.objective)
        .and.at.least(0);
    }
  });

  it('with a fixed step hovers at a noise floor above the optimum', () => {
    const fit = fitLinear(data.X, data.y, { loss: losses.huber, l2: 0.01, solver: 'sgd', stepSize: 0.2, maxIter: 40 });
    const tail = fit.history.slice(-10).map((h) => h.objective - exact.objective);
    expect(Math.min(...tail)).to.be.above(1e-6);
  });
});

describe('the subgradient method', () => {
  const data = dataFor(losses.hinge, 150, 2, 9);

  it('returns the best iterate of its history, which is not monotone', () => {
    const fit = fitLinear(data.X, data.y, { loss: losses.hinge, l2: 0.1, solver: 'subgradient', maxIter: 500 });
    const values = fit.history.map((h) => h.objective);
    expect(fit.converged).to.equal(false);
    expect(fit.status).to.equal('maxIterations');
    expect(fit.reason).to.match(/; returned the best iterate \(iteration \d+ of 500\)$/);
    expect(fit.objective).to.be.closeTo(Math.min(...values), 1e-15);
    expect(values.some((v, k) => k > 0 && v > values[k - 1])).to.equal(true);
  });

  it('keeps at most HISTORY_LIMIT entries however large maxIter is: every 2^k-th iteration, and the last', () => {
    const small = dataFor(losses.hinge, 6, 1, 2);
    const maxIter = 5 * HISTORY_LIMIT + 3;
    const seen: number[] = [];
    const fit = fitLinear(small.X, small.y, {
      loss: losses.hinge,
      l2: 0.1,
      solver: 'subgradient',
      maxIter,
      onIteration: (s) => seen.push(s.objective),
    });
    expect(fit.iterations).to.equal(maxIter);
    expect(seen.length).to.equal(maxIter + 1);
    expect(fit.history.length).to.be.at.most(HISTORY_LIMIT);
    expect(fit.history.length).to.be.above(HISTORY_LIMIT / 4);
    const iterations = fit.history.map((h) => h.iteration);
    expect(iterations[0]).to.equal(0);
    expect(iterations[iterations.length - 1]).to.equal(maxIter);
    // Evenly thinned: all but the last entry on one stride, and each entry the objective of its iteration.
    const stride = iterations[1];
    expect(Number.isInteger(Math.log2(stride))).to.equal(true);
    iterations.slice(0, -1).forEach((it, k) => {
      expect(it).to.equal(k * stride);
    });
    for (const h of fit.history) expect(h.objective).to.equal(seen[h.iteration]);
  });

  it('handles the l1 penalty and any convex loss (l1 loss here), getting close to the exact answer', () => {
    const reg = dataFor(losses.l1, 120, 2, 10);
    const exact = fitLinear(reg.X, reg.y, { loss: losses.l1, solver: 'lp' });
    const fit = fitLinear(reg.X, reg.y, { loss: losses.l1, solver: 'subgradient', maxIter: 5000 });
    expect(fit.objective).to.be.at.least(exact.objective - 1e-12);
    expect(fit.objective).to.be.closeTo(exact.objective, 2e-3 * exact.objective);
    const pen = fitLinear(reg.X, reg.y, { loss: losses.l1, l1: 0.05, solver: 'subgradient', maxIter: 500 });
    expect(pen.objective).to.be.closeTo(objectiveOf(reg, losses.l1, pen.weights, pen.intercept, 0.05), 1e-12);
  });

  it('on a smooth loss with a fixed step stops when the gradient vanishes', () => {
    const reg = dataFor(losses.logCosh, 100, 2, 12);
    const exact = fitLinear(reg.X, reg.y, { loss: losses.logCosh, solver: 'newton' });
    const fit = fitLinear(reg.X, reg.y, {
      loss: losses.logCosh,
      solver: 'subgradient',
      stepSize: 0.5,
      tol: 1e-9,
      maxIter: 50000,
    });
    expect(fit.converged, fit.reason).to.equal(true);
    expect(fit.objective).to.be.closeTo(exact.objective, 1e-12);
  });
});

describe('what the teaching solvers refuse', () => {
  const data = dataFor(losses.hinge, 20, 2, 1);
  for (const solver of ['gd', 'sgd'] as const) {
    it(`${solver} refuses non-differentiable losses and the l1 penalty`, () => {
      expect(() => fitLinear(data.X, data.y, { loss: losses.hinge, solver })).to.throw(
        LossInputError,
        /not differentiable/,
      );
      expect(() => fitLinear(data.X, data.y, { loss: losses.logistic, solver, l1: 0.1 })).to.throw(
        LossInputError,
        /l1 penalty/,
      );
      expect(() => fitLinear(data.X, data.y, { loss: losses.zeroOne, solver })).to.throw(
        LossInputError,
        /piecewise constant/,
      );
    });
  }
});
