/**
 * The few dense kernels the solvers share, over row-major `Matrix` data. Written by hand
 * because they are single passes that V8 compiles to tight loops.
 */
import type { Matrix } from '../matrix';
import { scoresJs, transposeTimesJs } from './kernels';

/*
 * The two products every solver iteration makes, over a Matrix in ordinary memory (a fit's
 * own passes run in a workspace of ./wasm.ts). They add in the order ./kernels.ts fixes, so
 * a score or a gradient computed here has the same bits as one from the WebAssembly kernels.
 */

/** out_i = Σ_j X_ij v_j + b  (scores of a linear model). */
export function scores(X: Matrix, v: ArrayLike<number>, b: number, out: Float64Array): Float64Array {
  scoresJs(X.data, X.rows, X.cols, v, b, out);
  return out;
}

/** Scratch for the chunk sums of `transposeTimes`, kept between calls (nothing here re-enters). */
let partial = new Float64Array(64);

/** out_j = Σ_i X_ij g_i  (Xᵀ g, the gradient of Σ_i l(y_i, f_i) with respect to w; the first `cols` entries of out). */
export function transposeTimes(X: Matrix, g: ArrayLike<number>, out: Float64Array): Float64Array {
  if (partial.length < X.cols) partial = new Float64Array(X.cols);
  transposeTimesJs(X.data, X.rows, X.cols, g, out, partial);
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

export function norm1(a: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(a[i]);
  return s;
}

/**
 * The mean of v[0..n), without overflow: summed as it is when the sum is finite (the usual
 * case), else as Σ vᵢ / n, whose terms and partial sums stay within range.
 */
export function mean(v: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i];
  if (Number.isFinite(s)) return s / n;
  s = 0;
  for (let i = 0; i < n; i++) s += v[i] / n;
  return s;
}

/** The largest of v[0..n) (−Infinity for n = 0). */
export function max(v: ArrayLike<number>, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (v[i] > m) m = v[i];
  return m;
}

/** The smallest of v[0..n) (Infinity for n = 0). */
export function min(v: ArrayLike<number>, n: number): number {
  let m = Infinity;
  for (let i = 0; i < n; i++) if (v[i] < m) m = v[i];
  return m;
}
