/**
 * The few dense kernels the solvers share, over row-major `Matrix` data. Written by hand
 * because they are single passes that V8 compiles to tight loops; the factorisations live
 * beside the solvers that need them.
 */
import type { Matrix } from '../matrix';

/*
 * The two products every solver iteration makes, four rows at a time: the four rows share
 * each load of v, and four independent sums hide the add latency. On n = 1e5, d = 20 they
 * take 1.3 and 1.25 ms against 2.4 and 2.6 ms one row at a time. Each score is summed in
 * row order, exactly as a one-row loop would; Xᵀg's sums are regrouped by four rows.
 */

/** out_i = Σ_j X_ij v_j + b  (scores of a linear model). */
export function scores(X: Matrix, v: ArrayLike<number>, b: number, out: Float64Array): Float64Array {
  const { rows, cols, data } = X;
  const full = rows - (rows % 4);
  let i = 0;
  for (; i < full; i += 4) {
    const r0 = i * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    let s0 = b,
      s1 = b,
      s2 = b,
      s3 = b;
    for (let j = 0; j < cols; j++) {
      const vj = v[j];
      s0 += data[r0 + j] * vj;
      s1 += data[r1 + j] * vj;
      s2 += data[r2 + j] * vj;
      s3 += data[r3 + j] * vj;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < rows; i++) {
    const r0 = i * cols;
    let s = b;
    for (let j = 0; j < cols; j++) s += data[r0 + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** out_j = Σ_i X_ij g_i  (Xᵀ g, the gradient of Σ_i l(y_i, f_i) with respect to w; the first `cols` entries of out). */
export function transposeTimes(X: Matrix, g: ArrayLike<number>, out: Float64Array): Float64Array {
  const { rows, cols, data } = X;
  out.fill(0, 0, cols);
  const full = rows - (rows % 4);
  let i = 0;
  for (; i < full; i += 4) {
    const r0 = i * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    const g0 = g[i],
      g1 = g[i + 1],
      g2 = g[i + 2],
      g3 = g[i + 3];
    for (let j = 0; j < cols; j++)
      out[j] += g0 * data[r0 + j] + g1 * data[r1 + j] + g2 * data[r2 + j] + g3 * data[r3 + j];
  }
  for (; i < rows; i++) {
    const r0 = i * cols;
    const gi = g[i];
    for (let j = 0; j < cols; j++) out[j] += gi * data[r0 + j];
  }
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
