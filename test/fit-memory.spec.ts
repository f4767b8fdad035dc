/**
 * No iteration allocates: the smooth solvers and the LP's interior point keep every vector of
 * length n in buffers made once per fit. Counted exactly: while a fit runs, Float64Array is a
 * subclass (from the first iteration on) that counts the arrays of at least n / 10 entries it creates with memory of their
 * own (views on an existing buffer, as the WebAssembly workspaces make, allocate nothing), and
 * `onIteration` reads the count, so the count between two iterations is what one iteration made.
 */
import { expect } from 'chai';
import {
  epsilonInsensitive,
  fitLinear,
  losses,
  makeRegression,
  type FitOptions,
  type Matrix,
  type SolverName,
} from '../src/index';

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

/** The first frame of a stack in a source file of this package: the code that made the array. */
function creator(stack: string): string {
  return stack.split('\n').find((line) => /[\\/]src[\\/].*\.ts:\d+/.test(line)) ?? '';
}

/**
 * Arrays of at least `least` entries with memory of their own that code in fit/solvers/lp/
 * creates during `run` (told apart by the stack of each creation), counted as above. The shared
 * certificate the LP calls (fit/core/) makes one residual vector per fit, as for every solver.
 */
function lpAllocations(least: number, run: () => void): number {
  const Original = globalThis.Float64Array;
  let created = 0;
  class Counting extends Original {
    // The inputs are checked with `instanceof Float64Array` while this class stands in for it.
    static override [Symbol.hasInstance](v: unknown): boolean {
      return v instanceof Original;
    }
    constructor(...args: unknown[]) {
      super(...(args as []));
      const owned = !(args[0] instanceof ArrayBuffer || args[0] instanceof SharedArrayBuffer);
      if (owned && this.length >= least && /solvers[\\/]lp[\\/]/.test(creator(new Error().stack ?? ''))) created++;
    }
  }
  globalThis.Float64Array = Counting as unknown as Float64ArrayConstructor;
  try {
    run();
  } finally {
    globalThis.Float64Array = Original;
  }
  return created;
}

describe('memory: the LP reuses its arrays from one fit to the next', () => {
  const m = 20_000;
  const data = makeRegression({ n: m, d: 5, seed: 9 });
  const labels = Float64Array.from(data.y, (v) => (v > 0 ? 1 : -1));
  const cases: Array<[string, FitOptions, ArrayLike<number>]> = [
    ['l1', { loss: losses.l1, solver: 'lp' }, data.y],
    ['epsilonInsensitive (two variables per example)', { loss: epsilonInsensitive(0.1), solver: 'lp' }, data.y],
    ['hinge', { loss: losses.hinge, solver: 'lp' }, labels],
    ['l1 with an l1 penalty', { loss: losses.l1, l1: 1e-3, solver: 'lp' }, data.y],
  ];
  for (const [name, opts, y] of cases) {
    it(`${name}: a second fit of the same size creates no array of n / 10 entries or more in the LP`, function () {
      this.timeout(60_000);
      const first = fitLinear(data.X, y, opts);
      let second = first;
      const created = lpAllocations(m / 10, () => {
        second = fitLinear(data.X, y, opts);
      });
      expect(created).to.equal(0);
      // Reused memory holds the last fit's numbers: the answer must not depend on them.
      expect(Array.from(second.weights)).to.deep.equal(Array.from(first.weights));
      expect(second.intercept).to.equal(first.intercept);
      expect(second.reason).to.equal(first.reason);
    });
  }
});
