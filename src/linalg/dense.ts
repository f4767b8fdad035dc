/**
 * The few dense kernels the solvers share, over row-major `Matrix` data. Written by hand
 * because they are single passes that V8 compiles to tight loops.
 */
import type { Matrix } from '../matrix';
import { CHUNK_ROWS, scoresJs, transposeTimesJs } from './kernels';
import { kernelBackend, workspace } from './wasm';

/*
 * The two products every solver iteration makes, over a Matrix in ordinary memory (a fit's
 * own passes run in a workspace of ./wasm.ts). They add in the order ./kernels.ts fixes, so
 * they give the same bits whichever backend runs them. Large ones are streamed through the
 * WebAssembly kernels a chunk of rows at a time (copied in, multiplied, copied out): measured
 * at n = 1e5, d = 50, 2.5 ms against 4.4 ms in JavaScript, and at n = 1e6, d = 10, 4.5 against
 * 7.7 ms. Blocks of CHUNK_ROWS rows make each block's Xᵀg exactly one chunk of the sum.
 */

/** Below this many entries a product is not worth the copy into WebAssembly memory. */
const STREAM_MIN = 2 ** 15;

/** out_i = Σ_j X_ij v_j + b  (scores of a linear model). */
export function scores(X: Matrix, v: ArrayLike<number>, b: number, out: Float64Array): Float64Array {
  const { rows, cols, data } = X;
  const ws =
    rows * cols >= STREAM_MIN && kernelBackend() === 'wasm' ? workspace([CHUNK_ROWS * cols, cols, CHUNK_ROWS]) : null;
  if (ws === null || ws.kernels.name === 'js') {
    scoresJs(data, rows, cols, v, b, out);
    return out;
  }
  const [block, weights, f] = ws.arrays;
  for (let j = 0; j < cols; j++) weights[j] = v[j];
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const r = Math.min(CHUNK_ROWS, rows - start);
    block.set(data.subarray(start * cols, (start + r) * cols));
    ws.kernels.scores(block, r, cols, weights, b, f);
    out.set(f.subarray(0, r), start);
  }
  ws.release();
  return out;
}

/** Scratch for the chunk sums of `transposeTimes` in JavaScript, kept between calls (nothing here re-enters). */
let partial = new Float64Array(64);

/** out_j = Σ_i X_ij g_i  (Xᵀ g, the gradient of Σ_i l(y_i, f_i) with respect to w; the first `cols` entries of out). */
export function transposeTimes(X: Matrix, g: ArrayLike<number>, out: Float64Array): Float64Array {
  const { rows, cols, data } = X;
  const ws =
    rows * cols >= STREAM_MIN && kernelBackend() === 'wasm'
      ? workspace([CHUNK_ROWS * cols, CHUNK_ROWS, cols, cols])
      : null;
  if (ws === null || ws.kernels.name === 'js') {
    if (partial.length < cols) partial = new Float64Array(cols);
    transposeTimesJs(data, rows, cols, g, out, partial);
    return out;
  }
  const [block, gBlock, sum, chunk] = ws.arrays;
  out.fill(0, 0, cols);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const r = Math.min(CHUNK_ROWS, rows - start);
    block.set(data.subarray(start * cols, (start + r) * cols));
    for (let i = 0; i < r; i++) gBlock[i] = g[start + i];
    ws.kernels.transposeTimes(block, r, cols, gBlock, sum, chunk);
    for (let j = 0; j < cols; j++) out[j] += sum[j];
  }
  ws.release();
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
/** v_0 + v_1 + … + v_{n−1}, added in index order (the intercept's share of a gradient or curvature). */
export function sum(v: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i];
  return s;
}

export function mean(v: ArrayLike<number>, n: number): number {
  let s = sum(v, n);
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
