/**
 * No iteration allocates: the smooth solvers and the LP's interior point keep every vector of
 * length n in buffers made once per fit. Counted exactly: while a fit runs, Float64Array is a
 * subclass (from the first iteration on) that counts the arrays of at least n / 10 entries it creates with memory of their
 * own (views on an existing buffer, as the WebAssembly workspaces make, allocate nothing), and
 * `onIteration` reads the count, so the count between two iterations is what one iteration made.
 */
import { expect } from 'chai';
import { fitLinear, losses, makeRegression, type FitOptions, type Matrix, type SolverName } from '../src/index';

const n = 200_000;

/** Large arrays created by each iteration after the first two, over a fit. */
function allocationsPerIteration(
  X: Matrix,
  y: ArrayLike<number>,
  opts: FitOptions,
): { largest: number; iterations: number } {
  const Original = globalThis.Float64Array;
  let created = 0;
  class Counting extends Original {
    constructor(...args: unknown[]) {
      super(...(args as []));
      const owned = !(args[0] instanceof ArrayBuffer || args[0] instanceof SharedArrayBuffer);
      if (owned && this.length >= n / 10) created++;
    }
  }
  const seen: number[] = [];
  let iterations: number;
  try {
    // Counting starts at the first iteration, once the inputs are checked (which asks
    // `instanceof Float64Array` of the caller's arrays).
    const onIteration = (): void => {
      globalThis.Float64Array = Counting as unknown as Float64ArrayConstructor;
      seen.push(created);
    };
    iterations = fitLinear(X, y, { ...opts, onIteration }).iterations;
  } finally {
    globalThis.Float64Array = Original;
  }
  let largest = 0;
  for (let k = 2; k < seen.length; k++) largest = Math.max(largest, seen[k] - seen[k - 1]);
  return { largest, iterations };
}

describe('memory: no allocation per iteration', () => {
  const data = makeRegression({ n, d: 5, seed: 8 });
  const labels = Float64Array.from(data.y, (v) => (v > 0 ? 1 : -1));
  const cases: Array<[SolverName, FitOptions, ArrayLike<number>]> = [
    ['lbfgs', { loss: losses.logistic, l2: 1e-4, solver: 'lbfgs', tol: 1e-14, maxIter: 30 }, labels],
    ['newton', { loss: losses.logistic, l2: 1e-4, solver: 'newton', tol: 1e-14, maxIter: 30 }, labels],
    ['gd', { loss: losses.logistic, solver: 'gd', maxIter: 30 }, labels],
    ['proximal', { loss: losses.logistic, l1: 1e-4, solver: 'proximal', tol: 1e-14, maxIter: 30 }, labels],
    ['lp', { loss: losses.l1, solver: 'lp', tol: 1e-14, maxIter: 30 }, data.y],
  ];
  for (const [name, opts, y] of cases) {
    it(`${name}: no iteration creates an array of n / 10 entries or more`, function () {
      this.timeout(60_000);
      const { largest, iterations } = allocationsPerIteration(data.X, y, opts);
      expect(iterations, 'enough iterations to see a pattern').to.be.at.least(4);
      expect(largest).to.equal(0);
    });
  }
});
