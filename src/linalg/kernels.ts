/**
 * The dense kernels the solvers' passes over X are made of, with the order of every sum fixed
 * here, and their JavaScript implementation. assembly/dense.ts implements the same order with
 * WebAssembly SIMD (two doubles per operation); since neither fuses a multiply and an add, the
 * two give the same bits (test/linalg-kernels.spec.ts), so a fit does not depend on which
 * one ran. `workspace` in ./wasm.ts picks one.
 *
 * The orders are the ones that suit two-lane vectors: a row's dot product in two halves (even
 * and odd columns), Xᵀg in fixed chunks of rows whose partial sums are added in chunk order
 * (so that the grouping does not depend on who computes a chunk), and the Gram matrix of a
 * block entry by entry from zero, then added to the running total.
 */

/** Rows per chunk of Xᵀg (assembly/dense.ts has the same constant). */
export const CHUNK_ROWS = 4096;

/** Doubles per row of the blocks `gram` takes: a multiple of 4, the side of its tiles. */
export function gramStride(cols: number): number {
  return (cols + 3) & ~3;
}

/**
 * The kernels over row-major arrays. Every array passed to an implementation must come from
 * the workspace that gave it (the WebAssembly one reads them in its own memory).
 */
export interface DenseKernels {
  readonly name: 'wasm' | 'js';
  /**
   * out_i = (Σ_{j even} x_ij v_j + Σ_{j odd} x_ij v_j) + b, each half in column order, the last
   * column of an odd count added last to the even half.
   */
  scores(x: Float64Array, rows: number, cols: number, v: Float64Array, b: number, out: Float64Array): void;
  /**
   * out_j = Σ_i g_i x_ij (out of length cols, partial scratch of length cols): per chunk of
   * CHUNK_ROWS rows a partial sum from zero, rows grouped by four
   * (((g_i x_ij + g_{i+1} x_{i+1,j}) + g_{i+2} x_{i+2,j}) + g_{i+3} x_{i+3,j}) and the rest one
   * by one; out the sum of the partials in chunk order from zero.
   */
  transposeTimes(
    x: Float64Array,
    rows: number,
    cols: number,
    g: Float64Array,
    out: Float64Array,
    partial: Float64Array,
  ): void;
  /**
   * partial_j += Σ_i g_i x_ij, the rows grouped by four from the first as one chunk of
   * `transposeTimes` groups them, onto what `partial` holds: a chunk taken in blocks whose
   * lengths are multiples of four gives the chunk's bits.
   */
  transposeTimesAdd(x: Float64Array, rows: number, cols: number, g: Float64Array, partial: Float64Array): void;
  /**
   * C_jk += Σ_i b_ij b_ik (the sum over the block's rows in order, from zero) for k <= j at
   * least (whole 4 × 4 tiles: C's strict upper part holds some entries too); `stride` is a
   * multiple of 4 and C is stride × stride.
   */
  gram(b: Float64Array, rows: number, stride: number, c: Float64Array): void;
  /**
   * C_jk += Σ_i θ_i a_ij a_ik over a block of `rows` rows of `cols` (any width; C is cols ×
   * cols), each entry summed as (θ_i a_ij) a_ik over the rows in order from zero, then added
   * to C: for k <= j at least (whole 4 × 4 tiles up to the last full one). `scratch` holds
   * rows × cols + 4 × cols doubles.
   */
  weightedGram(
    a: Float64Array,
    rows: number,
    cols: number,
    theta: Float64Array,
    scratch: Float64Array,
    c: Float64Array,
  ): void;
  /**
   * Over `rows` rows of d: sums_j += x_ij row after row, lo_j = x_ij < lo_j ? x_ij : lo_j,
   * hi_j = hi_j < x_ij ? x_ij : hi_j. A NaN entry shows in the sum only, and ±0 are the same
   * to lo and hi (whichever came first stays).
   */
  columnStats(raw: Float64Array, rows: number, d: number, sums: Float64Array, lo: Float64Array, hi: Float64Array): void;
  /**
   * work_ij = (raw_ij − mean_j) scale_j (j < d), work_id = (y_i − yMean) yScale, zeros up to
   * `stride`; raw holds `rows` rows of d. No difference may overflow.
   */
  centre(
    raw: Float64Array,
    rows: number,
    d: number,
    means: Float64Array,
    scales: Float64Array,
    y: Float64Array,
    yMean: number,
    yScale: number,
    work: Float64Array,
    stride: number,
  ): void;
  /**
   * On rows of `centre`: r_i = work_id − x̃_i·w (the dot product as in `scores`), then
   * g_j += x̃_ij r_i row by row; returns `squares` + Σ r_i² in row order.
   */
  residualGradient(
    work: Float64Array,
    rows: number,
    stride: number,
    d: number,
    w: Float64Array,
    g: Float64Array,
    squares: number,
  ): number;
  /**
   * out_j = Σ_i (c_i x_ij) x_ij for j < cols, from zero, the rows added one after the other in
   * order: the diagonal of Xᵀ diag(c) X.
   */
  weightedSquares(x: Float64Array, rows: number, cols: number, c: Float64Array, out: Float64Array): void;
}

/** The two halves of row `base`'s dot product with v, as `scores` adds them. */
function rowDot(x: Float64Array, base: number, cols: number, v: ArrayLike<number>): number {
  const pairs = cols & ~1;
  let even = 0;
  let odd = 0;
  for (let j = 0; j < pairs; j += 2) {
    even += x[base + j] * v[j];
    odd += x[base + j + 1] * v[j + 1];
  }
  if (pairs < cols) even += x[base + pairs] * v[pairs];
  return even + odd;
}

/** `scores` in JavaScript, on any array-like v (also used outside a workspace). */
export function scoresJs(
  x: Float64Array,
  rows: number,
  cols: number,
  v: ArrayLike<number>,
  b: number,
  out: Float64Array,
): void {
  const pairs = cols & ~1;
  let i = 0;
  // Four rows at a time share each load of v (1.3 against 1.8 ms at n = 1e5, d = 20).
  for (; i + 4 <= rows; i += 4) {
    const r0 = i * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    let e0 = 0;
    let o0 = 0;
    let e1 = 0;
    let o1 = 0;
    let e2 = 0;
    let o2 = 0;
    let e3 = 0;
    let o3 = 0;
    for (let j = 0; j < pairs; j += 2) {
      const ve = v[j];
      const vo = v[j + 1];
      e0 += x[r0 + j] * ve;
      o0 += x[r0 + j + 1] * vo;
      e1 += x[r1 + j] * ve;
      o1 += x[r1 + j + 1] * vo;
      e2 += x[r2 + j] * ve;
      o2 += x[r2 + j + 1] * vo;
      e3 += x[r3 + j] * ve;
      o3 += x[r3 + j + 1] * vo;
    }
    if (pairs < cols) {
      const vl = v[pairs];
      e0 += x[r0 + pairs] * vl;
      e1 += x[r1 + pairs] * vl;
      e2 += x[r2 + pairs] * vl;
      e3 += x[r3 + pairs] * vl;
    }
    out[i] = e0 + o0 + b;
    out[i + 1] = e1 + o1 + b;
    out[i + 2] = e2 + o2 + b;
    out[i + 3] = e3 + o3 + b;
  }
  for (; i < rows; i++) out[i] = rowDot(x, i * cols, cols, v) + b;
}

/** `transposeTimes` in JavaScript; `partial` may be any scratch of length cols. */
export function transposeTimesJs(
  x: Float64Array,
  rows: number,
  cols: number,
  g: ArrayLike<number>,
  out: Float64Array,
  partial: Float64Array,
): void {
  out.fill(0, 0, cols);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const end = Math.min(start + CHUNK_ROWS, rows);
    partial.fill(0, 0, cols);
    addRowsJs(x, start, end, cols, g, partial);
    for (let j = 0; j < cols; j++) out[j] += partial[j];
  }
}

/** partial_j += the rows start <= i < end, grouped by four from `start` as transposeTimes groups them. */
function addRowsJs(
  x: Float64Array,
  start: number,
  end: number,
  cols: number,
  g: ArrayLike<number>,
  partial: Float64Array,
): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const r0 = i * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    const g0 = g[i];
    const g1 = g[i + 1];
    const g2 = g[i + 2];
    const g3 = g[i + 3];
    for (let j = 0; j < cols; j++) partial[j] += g0 * x[r0 + j] + g1 * x[r1 + j] + g2 * x[r2 + j] + g3 * x[r3 + j];
  }
  for (; i < end; i++) {
    const r0 = i * cols;
    const gi = g[i];
    for (let j = 0; j < cols; j++) partial[j] += gi * x[r0 + j];
  }
}

export const jsKernels: DenseKernels = {
  name: 'js',
  scores: scoresJs,
  transposeTimes: transposeTimesJs,
  transposeTimesAdd: (x, rows, cols, g, partial) => addRowsJs(x, 0, rows, cols, g, partial),
  gram(b, rows, stride, c) {
    // Four columns k at a time against one j: four sums in registers per pass over the rows.
    for (let j = 0; j < stride; j++) {
      const kEnd = (j & ~3) + 4;
      for (let k = 0; k < kEnd; k += 4) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0, p = 0; i < rows; i++, p += stride) {
          const bj = b[p + j];
          s0 += bj * b[p + k];
          s1 += bj * b[p + k + 1];
          s2 += bj * b[p + k + 2];
          s3 += bj * b[p + k + 3];
        }
        const at = j * stride + k;
        c[at] += s0;
        c[at + 1] += s1;
        c[at + 2] += s2;
        c[at + 3] += s3;
      }
    }
  },
  weightedGram(a, rows, cols, theta, _scratch, c) {
    const full = cols & ~3;
    for (let j = 0; j < cols; j++) {
      const kEnd = j < full ? (j & ~3) + 4 : j + 1;
      let k = 0;
      // Four entries per pass over the rows where the tiles allow, one otherwise.
      for (; k + 4 <= kEnd; k += 4) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0, p = 0; i < rows; i++, p += cols) {
          const v = theta[i] * a[p + j];
          s0 += v * a[p + k];
          s1 += v * a[p + k + 1];
          s2 += v * a[p + k + 2];
          s3 += v * a[p + k + 3];
        }
        const at = j * cols + k;
        c[at] += s0;
        c[at + 1] += s1;
        c[at + 2] += s2;
        c[at + 3] += s3;
      }
      for (; k < kEnd; k++) {
        let s = 0;
        for (let i = 0, p = 0; i < rows; i++, p += cols) s += theta[i] * a[p + j] * a[p + k];
        c[j * cols + k] += s;
      }
    }
  },
  columnStats(raw, rows, d, sums, lo, hi) {
    for (let i = 0, base = 0; i < rows; i++, base += d) {
      for (let j = 0; j < d; j++) {
        const v = raw[base + j];
        sums[j] += v;
        if (v < lo[j]) lo[j] = v;
        if (hi[j] < v) hi[j] = v;
      }
    }
  },
  centre(raw, rows, d, means, scales, y, yMean, yScale, work, stride) {
    for (let i = 0, src = 0, dst = 0; i < rows; i++, src += d, dst += stride) {
      for (let j = 0; j < d; j++) work[dst + j] = (raw[src + j] - means[j]) * scales[j];
      work[dst + d] = (y[i] - yMean) * yScale;
      for (let j = d + 1; j < stride; j++) work[dst + j] = 0;
    }
  },
  residualGradient(work, rows, stride, d, w, g, squares) {
    for (let i = 0, row = 0; i < rows; i++, row += stride) {
      const r = work[row + d] - rowDot(work, row, d, w);
      squares += r * r;
      for (let j = 0; j < d; j++) g[j] += work[row + j] * r;
    }
    return squares;
  },
  weightedSquares(x, rows, cols, c, out) {
    out.fill(0, 0, cols);
    for (let i = 0, base = 0; i < rows; i++, base += cols) {
      const ci = c[i];
      for (let j = 0; j < cols; j++) out[j] += ci * x[base + j] * x[base + j];
    }
  },
};
