/**
 * Columns of enormous magnitude, measured in units of their own size. A feature near 1e200
 * makes every quantity built on it overflow or leave the range tol lives in: its square (a
 * Hessian entry, a step size) is Infinity, its partial derivative cannot fall below
 * rounding error × 1e200, and a gradient step along it needs a length near 1e-400, below
 * the smallest double. Dividing the column by a power of two 2^k >= its largest entry is
 * exact, and in the new coordinates v_j = w_j · 2^k everything is of ordinary size. Columns
 * of ordinary size are left alone, so that fits on them stay what they were.
 */
import type { Matrix } from '../../matrix';
import { powerOfTwoScale } from '../../linalg/scale';
import { checkMatrix } from '../../validate';
import type { Problem } from '../types';

/**
 * A column is rescaled when its largest entry exceeds 2^64 ≈ 1.8e19 in magnitude: squares
 * stay below 2^128 up to there, far from overflow, while features of any physical unit fit.
 */
export const LARGE_COLUMN = 2 ** 64;
/** The same, for messages. */
export const LARGE_COLUMN_TEXT = '2^64 (1.8e19)';

/**
 * c_j = 2^-k with 2^k the power of two at or above max_i |x_ij| for the columns beyond
 * `LARGE_COLUMN`, 1 for the others; null when every column is ordinary. `largestEntry`, when
 * known (Problem.largestEntry), answers null without a pass over X.
 */
export function columnScales(X: Matrix, largestEntry = Infinity): Float64Array | null {
  if (largestEntry <= LARGE_COLUMN) return null;
  const { rows, cols, data } = X;
  const largest = new Float64Array(cols);
  for (let i = 0, base = 0; i < rows; i++, base += cols) {
    for (let j = 0; j < cols; j++) largest[j] = Math.max(largest[j], Math.abs(data[base + j]));
  }
  let any = false;
  const c = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const big = largest[j] > LARGE_COLUMN;
    any ||= big;
    c[j] = big ? powerOfTwoScale(largest[j]) : 1;
  }
  return any ? c : null;
}

/**
 * max |x_ij| over p's X, with X's entries checked on first use (validate's `checkMatrix`: a
 * LossInputError at the first that is not finite) and the answer kept in `p.largestEntry`.
 * Whatever looks at the size of X's entries before the front door has checked them (fitLinear
 * checks them after choosing the solver) asks here, so a NaN or an Infinity is named as such.
 */
export function largestEntry(p: Problem): number {
  p.largestEntry ??= checkMatrix(p.X, 'X', p.loss.id);
  return p.largestEntry;
}

/** The problem in the coordinates v = w / c: X diag(c), with the scales kept for the penalties. */
export function scaleColumns(p: Problem, c: Float64Array): Problem {
  const { rows, cols, data } = p.X;
  const scaled = new Float64Array(data.length);
  for (let i = 0, base = 0; i < rows; i++, base += cols) {
    for (let j = 0; j < cols; j++) scaled[base + j] = data[base + j] * c[j];
  }
  const { largestEntry: _unscaled, ...rest } = p;
  return { ...rest, X: { rows, cols, data: scaled }, columnScale: c };
}

/** l1 weight of coordinate j: l1, or l1 c_j in column-scaled coordinates. */
export function l1At(p: Problem, j: number): number {
  return p.columnScale === undefined ? p.l1 : p.l1 * p.columnScale[j];
}

/** l2 weight of coordinate j: l2, or l2 c_j² in column-scaled coordinates. */
export function l2At(p: Problem, j: number): number {
  return p.columnScale === undefined ? p.l2 : p.l2 * p.columnScale[j] * p.columnScale[j];
}

/** max_j of the l2 weights: what the penalty adds to the objective's curvature. */
export function largestL2(p: Problem): number {
  if (p.columnScale === undefined) return p.l2;
  let m = 0;
  for (let j = 0; j < p.d; j++) m = Math.max(m, l2At(p, j));
  return m;
}

/** Σ_j l1_j |θ_j| over the weights: l1 ‖w‖₁ whatever the coordinates. */
export function l1Penalty(p: Problem, theta: ArrayLike<number>): number {
  let s = 0;
  if (p.columnScale === undefined) {
    for (let j = 0; j < p.d; j++) s += Math.abs(theta[j]);
    return p.l1 * s;
  }
  for (let j = 0; j < p.d; j++) s += Math.abs(theta[j] * p.columnScale[j]);
  return p.l1 * s;
}

/** Σ_j u_j v_j with u, v the weights mapped back to w (u_j c_j, v_j c_j), over the first d entries. */
export function weightDot(p: Problem, u: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  const c = p.columnScale;
  if (c === undefined) {
    for (let j = 0; j < p.d; j++) s += u[j] * v[j];
    return s;
  }
  for (let j = 0; j < p.d; j++) s += u[j] * c[j] * (v[j] * c[j]);
  return s;
}
