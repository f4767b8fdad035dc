import { LossInputError } from '../errors';
import type { Vec } from '../vec';
import type { Matrix, MatrixLike } from '../matrix';
import { checkSameLength, checkVector, materialise, toMatrix } from '../validate';
import { orDefault, readOptions } from './options';
import { createRng } from '../random/rng';

export interface SplitOptions {
  /** Fraction of the rows put in the test set (default 0.25); the test set gets round(fraction · n) rows. */
  testFraction?: number;
  seed: number;
}

export interface Split {
  XTrain: Matrix;
  yTrain: Float64Array;
  XTest: Matrix;
  yTest: Float64Array;
  /** Row indices (into the original X) of the training and test rows, in their new order. */
  trainIndex: Uint32Array;
  testIndex: Uint32Array;
}

/**
 * Splits rows into a training and a test set at random (a seeded permutation, so the same
 * seed gives the same split). Each row goes to exactly one side.
 *
 * @example
 * ```ts
 * import { trainTestSplit } from 'losslab';
 * const s = trainTestSplit([[0], [1], [2], [3]], [0, 10, 20, 30], { testFraction: 0.5, seed: 3 });
 * s.XTrain.rows + s.XTest.rows;      // 4
 * Array.from(s.testIndex).length;    // 2
 * ```
 */
export function trainTestSplit(X: MatrixLike, y: Vec, options: SplitOptions): Split {
  const M = toMatrix(X, 'X');
  // One read of y: the split below copies from this, never from the caller's (maybe changing) array-like.
  const labels = materialise(undefined, 'y', y, 'real');
  const n = checkVector(undefined, 'y', labels, 'real');
  checkSameLength(undefined, 'y', n, 'the rows of X', M.rows);
  const opts = readOptions<SplitOptions>(
    options,
    ['testFraction', 'seed'],
    'an object such as { testFraction: 0.25, seed: 1 }',
  );
  const fraction = orDefault(opts.testFraction, 0.25);
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new LossInputError({
      argument: 'testFraction',
      value: fraction,
      problem: 'is not a fraction',
      domain: 'a number in [0, 1]',
    });
  }
  const order = createRng(opts.seed).permutation(n);
  const testCount = Math.round(fraction * n);
  const testIndex = order.slice(0, testCount);
  const trainIndex = order.slice(testCount);
  return {
    XTrain: takeRows(M, trainIndex),
    yTrain: take(labels, trainIndex),
    XTest: takeRows(M, testIndex),
    yTest: take(labels, testIndex),
    trainIndex,
    testIndex,
  };
}

function takeRows(M: Matrix, index: Uint32Array): Matrix {
  const { cols } = M;
  const data = new Float64Array(index.length * cols);
  for (let k = 0; k < index.length; k++) data.set(M.data.subarray(index[k] * cols, (index[k] + 1) * cols), k * cols);
  return { rows: index.length, cols, data };
}

function take(y: Vec, index: Uint32Array): Float64Array {
  const out = new Float64Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = y[index[k]];
  return out;
}
