/**
 * The few dense kernels the solvers share, over row-major `Matrix` data. Written by hand
 * because they are single passes that V8 compiles to tight loops; the factorisations live
 * beside the solvers that need them.
 */
import type { Matrix } from '../matrix';

/** out_i = Σ_j X_ij w_j + b  (scores of a linear model). */
export function scores(X: Matrix, w: ArrayLike<number>, b: number, out: Float64Array): Float64Array {
  const { rows, cols, data } = X;
  for (let i = 0, base = 0; i < rows; i++, base += cols) {
    let s = b;
    for (let j = 0; j < cols; j++) s += data[base + j] * w[j];
    out[i] = s;
  }
  return out;
}

/** out_j = Σ_i X_ij g_i  (Xᵀ g, the gradient of Σ_i l(y_i, f_i) with respect to w). */
export function transposeTimes(X: Matrix, g: ArrayLike<number>, out: Float64Array): Float64Array {
  const { rows, cols, data } = X;
  out.fill(0, 0, cols);
  for (let i = 0, base = 0; i < rows; i++, base += cols) {
    const gi = g[i];
    if (gi === 0) continue;
    for (let j = 0; j < cols; j++) out[j] += data[base + j] * gi;
  }
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm, scaled to avoid overflow and underflow of the squares. */
export function norm2(a: ArrayLike<number>, n: number): number {
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i] / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

export function norm1(a: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(a[i]);
  return s;
}
