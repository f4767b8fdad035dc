/**
 * The dense kernels of src/linalg/kernels.ts in AssemblyScript, compiled to WebAssembly with
 * 128-bit SIMD (two doubles per operation) by `npm run build:wasm`. Every kernel adds in the
 * order its JavaScript twin in src/linalg/kernels.ts documents (no fused multiply-add, which
 * baseline WebAssembly SIMD does not have), so both give the same bits; the tests check it.
 *
 * Arguments are byte offsets into the imported memory and counts of doubles. The memory is
 * the caller's: nothing here allocates.
 */

// The loss loops of ./loss.ts share this module, so that they read the arrays of the same memory.
export {
  crossEntropyWithLogitsAlong,
  crossEntropyWithLogitsSumAndDerivatives,
  logisticAlong,
  logisticSumAndDerivatives,
} from './loss';

/** Rows per chunk of Xᵀg: fixed, so that the sum's grouping never depends on who computes it. */
export const CHUNK_ROWS: i32 = 4096;

/**
 * out_i = (Σ_{j even} x_ij v_j + Σ_{j odd} x_ij v_j) + b, each half summed in column order
 * (the two lanes of a vector), the last column of an odd count added to the even half.
 * Four rows at a time so that four independent sums hide the latency of the adds.
 */
export function scores(x: usize, rows: i32, cols: i32, v: usize, b: f64, out: usize): void {
  const pairs = cols & ~1;
  const odd = cols & 1;
  const stride = (<usize>cols) << 3;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = x + <usize>i * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      const vj = v128.load(v + o);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(r0 + o), vj));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(r1 + o), vj));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(r2 + o), vj));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(r3 + o), vj));
    }
    const o = (<usize>i) << 3;
    store<f64>(out + o, finish(a0, r0, pairs, odd, v) + b);
    store<f64>(out + o + 8, finish(a1, r1, pairs, odd, v) + b);
    store<f64>(out + o + 16, finish(a2, r2, pairs, odd, v) + b);
    store<f64>(out + o + 24, finish(a3, r3, pairs, odd, v) + b);
  }
  for (; i < rows; i++) {
    const r0 = x + <usize>i * stride;
    let a0 = f64x2.splat(0);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(r0 + o), v128.load(v + o)));
    }
    store<f64>(out + ((<usize>i) << 3), finish(a0, r0, pairs, odd, v) + b);
  }
}

/** even + odd half of a row's dot product, the odd column count's last term in the even half. */
function finish(acc: v128, row: usize, pairs: i32, odd: i32, v: usize): f64 {
  let even = f64x2.extract_lane(acc, 0);
  if (odd) {
    const o = (<usize>pairs) << 3;
    even += load<f64>(row + o) * load<f64>(v + o);
  }
  return even + f64x2.extract_lane(acc, 1);
}

/** partial_j = Σ_{start <= i < end} g_i x_ij from zero, as `addRows` adds. */
export function transposeTimesChunk(x: usize, start: i32, end: i32, cols: i32, g: usize, partial: usize): void {
  memory.fill(partial, 0, (<usize>cols) << 3);
  addRows(x, start, end, cols, g, partial);
}

/**
 * partial_j += Σ_{i < rows} g_i x_ij as `transposeTimesChunk` sums a chunk, but onto what
 * partial holds: a chunk can then be taken a block at a time (blocks of a multiple of four rows
 * give the same groups, so the same bits).
 */
export function transposeTimesAdd(x: usize, rows: i32, cols: i32, g: usize, partial: usize): void {
  addRows(x, 0, rows, cols, g, partial);
}

/**
 * partial_j += the rows start <= i < end grouped by four from `start`:
 * ((g_i x_ij + g_{i+1} x_{i+1,j}) + g_{i+2} x_{i+2,j}) + g_{i+3} x_{i+3,j}, then the rows left
 * over one at a time.
 */
function addRows(x: usize, start: i32, end: i32, cols: i32, g: usize, partial: usize): void {
  const pairs = cols & ~1;
  const stride = (<usize>cols) << 3;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const r0 = x + <usize>i * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const gp = g + ((<usize>i) << 3);
    const g0 = load<f64>(gp);
    const g1 = load<f64>(gp, 8);
    const g2 = load<f64>(gp, 16);
    const g3 = load<f64>(gp, 24);
    const s0 = f64x2.splat(g0);
    const s1 = f64x2.splat(g1);
    const s2 = f64x2.splat(g2);
    const s3 = f64x2.splat(g3);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      let t = f64x2.mul(s0, v128.load(r0 + o));
      t = f64x2.add(t, f64x2.mul(s1, v128.load(r1 + o)));
      t = f64x2.add(t, f64x2.mul(s2, v128.load(r2 + o)));
      t = f64x2.add(t, f64x2.mul(s3, v128.load(r3 + o)));
      v128.store(partial + o, f64x2.add(v128.load(partial + o), t));
    }
    if (pairs < cols) {
      const o = (<usize>pairs) << 3;
      const t = g0 * load<f64>(r0 + o) + g1 * load<f64>(r1 + o) + g2 * load<f64>(r2 + o) + g3 * load<f64>(r3 + o);
      store<f64>(partial + o, load<f64>(partial + o) + t);
    }
  }
  for (; i < end; i++) {
    const r0 = x + <usize>i * stride;
    const gi = load<f64>(g + ((<usize>i) << 3));
    const s0 = f64x2.splat(gi);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(partial + o, f64x2.add(v128.load(partial + o), f64x2.mul(s0, v128.load(r0 + o))));
    }
    if (pairs < cols) {
      const o = (<usize>pairs) << 3;
      store<f64>(partial + o, load<f64>(partial + o) + gi * load<f64>(r0 + o));
    }
  }
}

/** out = Σ over chunks of CHUNK_ROWS rows, in chunk order from zero, of each chunk's partial Xᵀg. */
export function transposeTimes(x: usize, rows: i32, cols: i32, g: usize, out: usize, partial: usize): void {
  memory.fill(out, 0, (<usize>cols) << 3);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const end = min(start + CHUNK_ROWS, rows);
    transposeTimesChunk(x, start, end, cols, g, partial);
    addInto(out, partial, cols);
  }
}

/** a_j += b_j for j < count. */
export function addInto(a: usize, b: usize, count: i32): void {
  const pairs = count & ~1;
  for (let j = 0; j < pairs; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(a + o, f64x2.add(v128.load(a + o), v128.load(b + o)));
  }
  if (pairs < count) {
    const o = (<usize>pairs) << 3;
    store<f64>(a + o, load<f64>(a + o) + load<f64>(b + o));
  }
}

/**
 * C += BᵀB over the lower 4 × 4 tiles (and the whole of each diagonal tile) for a block B of
 * `rows` rows, `stride` (a multiple of 4) doubles apart; C is stride × stride. Each entry of a
 * tile is summed over the rows in order from zero in a register, then added to C, so a tile
 * reads C once per block and B's rows from cache.
 */
export function gram(b: usize, rows: i32, stride: i32, c: usize): void {
  const rowBytes = (<usize>stride) << 3;
  for (let jb = 0; jb < stride; jb += 4) {
    for (let kb = 0; kb <= jb; kb += 4) {
      let a00 = f64x2.splat(0);
      let a01 = f64x2.splat(0);
      let a10 = f64x2.splat(0);
      let a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0);
      let a21 = f64x2.splat(0);
      let a30 = f64x2.splat(0);
      let a31 = f64x2.splat(0);
      let row = b;
      const jo = (<usize>jb) << 3;
      const ko = (<usize>kb) << 3;
      for (let i = 0; i < rows; i++, row += rowBytes) {
        const k0 = v128.load(row + ko);
        const k1 = v128.load(row + ko + 16);
        const s0 = v128.load64_splat(row + jo);
        const s1 = v128.load64_splat(row + jo + 8);
        const s2 = v128.load64_splat(row + jo + 16);
        const s3 = v128.load64_splat(row + jo + 24);
        a00 = f64x2.add(a00, f64x2.mul(s0, k0));
        a01 = f64x2.add(a01, f64x2.mul(s0, k1));
        a10 = f64x2.add(a10, f64x2.mul(s1, k0));
        a11 = f64x2.add(a11, f64x2.mul(s1, k1));
        a20 = f64x2.add(a20, f64x2.mul(s2, k0));
        a21 = f64x2.add(a21, f64x2.mul(s2, k1));
        a30 = f64x2.add(a30, f64x2.mul(s3, k0));
        a31 = f64x2.add(a31, f64x2.mul(s3, k1));
      }
      const t = c + <usize>jb * rowBytes + ko;
      accumulate(t, a00, a01);
      accumulate(t + rowBytes, a10, a11);
      accumulate(t + 2 * rowBytes, a20, a21);
      accumulate(t + 3 * rowBytes, a30, a31);
    }
  }
}

function accumulate(at: usize, lo: v128, hi: v128): void {
  v128.store(at, f64x2.add(v128.load(at), lo));
  v128.store(at + 16, f64x2.add(v128.load(at + 16), hi));
}

/**
 * The block of least squares' working rows: work_ij = (raw_ij − mean_j) · scale_j for j < d,
 * work_id = (y_i − yMean) · yScale, zeros up to `stride`. The caller has checked that no
 * difference overflows.
 */
export function centre(
  raw: usize,
  rows: i32,
  d: i32,
  means: usize,
  scales: usize,
  y: usize,
  yMean: f64,
  yScale: f64,
  work: usize,
  stride: i32,
): void {
  const pairs = d & ~1;
  const inBytes = (<usize>d) << 3;
  const outBytes = (<usize>stride) << 3;
  for (let i = 0; i < rows; i++) {
    const src = raw + <usize>i * inBytes;
    const dst = work + <usize>i * outBytes;
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(dst + o, f64x2.mul(f64x2.sub(v128.load(src + o), v128.load(means + o)), v128.load(scales + o)));
    }
    if (pairs < d) {
      const o = (<usize>pairs) << 3;
      store<f64>(dst + o, (load<f64>(src + o) - load<f64>(means + o)) * load<f64>(scales + o));
    }
    store<f64>(dst + inBytes, (load<f64>(y + ((<usize>i) << 3)) - yMean) * yScale);
    for (let j = d + 1; j < stride; j++) store<f64>(dst + ((<usize>j) << 3), 0);
  }
}

/**
 * For each working row (x̃_i, ỹ_i) of `centre`: r_i = ỹ_i − x̃_i·w, the dot product summed as
 * in `scores` (even and odd halves), then g_j += x̃_ij r_i row after row; returns Σ r_i² (in
 * row order) added to `squares`.
 */
export function residualGradient(work: usize, rows: i32, stride: i32, d: i32, w: usize, g: usize, squares: f64): f64 {
  const pairs = d & ~1;
  const odd = d & 1;
  const rowBytes = (<usize>stride) << 3;
  const yo = (<usize>d) << 3;
  for (let i = 0; i < rows; i++) {
    const row = work + <usize>i * rowBytes;
    let acc = f64x2.splat(0);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      acc = f64x2.add(acc, f64x2.mul(v128.load(row + o), v128.load(w + o)));
    }
    const r = load<f64>(row + yo) - finish(acc, row, pairs, odd, w);
    squares += r * r;
    const s = f64x2.splat(r);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(g + o, f64x2.add(v128.load(g + o), f64x2.mul(v128.load(row + o), s)));
    }
    if (odd) {
      const o = (<usize>pairs) << 3;
      store<f64>(g + o, load<f64>(g + o) + load<f64>(row + o) * r);
    }
  }
  return squares;
}

/**
 * Over `rows` rows of d: sums_j += x_ij row after row, lo_j = x_ij < lo_j ? x_ij : lo_j and
 * hi_j = hi_j < x_ij ? x_ij : hi_j (wasm's pmin and pmax, one instruction each where min and
 * max, which order −0 below +0 and carry NaN, take about eight). A NaN entry therefore shows
 * in the sum, not in lo or hi.
 */
export function columnStats(raw: usize, rows: i32, d: i32, sums: usize, lo: usize, hi: usize): void {
  // Columns outer, rows inner: the running sums, minima and maxima of eight columns stay in
  // registers down the block instead of a load and a store per entry. Each column is still
  // summed row after row. With pmin and pmax, 22 ms over 1e6 × 50 against 37 before.
  const pairs = d & ~1;
  const rowBytes = (<usize>d) << 3;
  let j = 0;
  for (; j + 8 <= pairs; j += 8) {
    const o = (<usize>j) << 3;
    let s0 = v128.load(sums + o);
    let s1 = v128.load(sums + o + 16);
    let s2 = v128.load(sums + o + 32);
    let s3 = v128.load(sums + o + 48);
    let l0 = v128.load(lo + o);
    let l1 = v128.load(lo + o + 16);
    let l2 = v128.load(lo + o + 32);
    let l3 = v128.load(lo + o + 48);
    let h0 = v128.load(hi + o);
    let h1 = v128.load(hi + o + 16);
    let h2 = v128.load(hi + o + 32);
    let h3 = v128.load(hi + o + 48);
    let at = raw + o;
    for (let i = 0; i < rows; i++, at += rowBytes) {
      const x0 = v128.load(at);
      const x1 = v128.load(at + 16);
      const x2 = v128.load(at + 32);
      const x3 = v128.load(at + 48);
      s0 = f64x2.add(s0, x0);
      s1 = f64x2.add(s1, x1);
      s2 = f64x2.add(s2, x2);
      s3 = f64x2.add(s3, x3);
      l0 = f64x2.pmin(l0, x0);
      l1 = f64x2.pmin(l1, x1);
      l2 = f64x2.pmin(l2, x2);
      l3 = f64x2.pmin(l3, x3);
      h0 = f64x2.pmax(h0, x0);
      h1 = f64x2.pmax(h1, x1);
      h2 = f64x2.pmax(h2, x2);
      h3 = f64x2.pmax(h3, x3);
    }
    v128.store(sums + o, s0);
    v128.store(sums + o + 16, s1);
    v128.store(sums + o + 32, s2);
    v128.store(sums + o + 48, s3);
    v128.store(lo + o, l0);
    v128.store(lo + o + 16, l1);
    v128.store(lo + o + 32, l2);
    v128.store(lo + o + 48, l3);
    v128.store(hi + o, h0);
    v128.store(hi + o + 16, h1);
    v128.store(hi + o + 32, h2);
    v128.store(hi + o + 48, h3);
  }
  for (; j < pairs; j += 2) {
    const o = (<usize>j) << 3;
    let s = v128.load(sums + o);
    let l = v128.load(lo + o);
    let h = v128.load(hi + o);
    let at = raw + o;
    for (let i = 0; i < rows; i++, at += rowBytes) {
      const x = v128.load(at);
      s = f64x2.add(s, x);
      l = f64x2.pmin(l, x);
      h = f64x2.pmax(h, x);
    }
    v128.store(sums + o, s);
    v128.store(lo + o, l);
    v128.store(hi + o, h);
  }
  if (pairs < d) {
    const o = (<usize>pairs) << 3;
    let s = load<f64>(sums + o);
    let l = load<f64>(lo + o);
    let h = load<f64>(hi + o);
    let at = raw + o;
    for (let i = 0; i < rows; i++, at += rowBytes) {
      const x = load<f64>(at);
      s += x;
      l = x < l ? x : l;
      h = h < x ? x : h;
    }
    store<f64>(sums + o, s);
    store<f64>(lo + o, l);
    store<f64>(hi + o, h);
  }
}

/**
 * C_jk += Σ_i θ_i a_ij a_ik for a block of `rows` rows of `cols` (any width), C cols × cols:
 * every entry summed as (θ_i a_ij) a_ik over the rows in order from zero, then added to C,
 * for k <= j (and the whole of each diagonal 4 × 4 tile). `scratch` holds rows × cols + 4 × cols
 * doubles: the rows times their weights first (so that the tiles load them as gram does), then
 * the sums of the columns past the last full tile, kept a row at a time in vectors.
 */
export function weightedGram(a: usize, rows: i32, cols: i32, theta: usize, scratch: usize, c: usize): void {
  const rowBytes = (<usize>cols) << 3;
  const pairs = cols & ~1;
  const full = cols & ~3;
  for (let i = 0; i < rows; i++) {
    const src = a + <usize>i * rowBytes;
    const dst = scratch + <usize>i * rowBytes;
    const ti = load<f64>(theta + ((<usize>i) << 3));
    const t = f64x2.splat(ti);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(dst + o, f64x2.mul(t, v128.load(src + o)));
    }
    if (pairs < cols) {
      const o = (<usize>pairs) << 3;
      store<f64>(dst + o, ti * load<f64>(src + o));
    }
  }
  for (let jb = 0; jb < full; jb += 4) {
    for (let kb = 0; kb <= jb; kb += 4) {
      let a00 = f64x2.splat(0);
      let a01 = f64x2.splat(0);
      let a10 = f64x2.splat(0);
      let a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0);
      let a21 = f64x2.splat(0);
      let a30 = f64x2.splat(0);
      let a31 = f64x2.splat(0);
      const jo = (<usize>jb) << 3;
      const ko = (<usize>kb) << 3;
      let row = a;
      let weighted = scratch;
      for (let i = 0; i < rows; i++, row += rowBytes, weighted += rowBytes) {
        const k0 = v128.load(row + ko);
        const k1 = v128.load(row + ko + 16);
        const s0 = v128.load64_splat(weighted + jo);
        const s1 = v128.load64_splat(weighted + jo + 8);
        const s2 = v128.load64_splat(weighted + jo + 16);
        const s3 = v128.load64_splat(weighted + jo + 24);
        a00 = f64x2.add(a00, f64x2.mul(s0, k0));
        a01 = f64x2.add(a01, f64x2.mul(s0, k1));
        a10 = f64x2.add(a10, f64x2.mul(s1, k0));
        a11 = f64x2.add(a11, f64x2.mul(s1, k1));
        a20 = f64x2.add(a20, f64x2.mul(s2, k0));
        a21 = f64x2.add(a21, f64x2.mul(s2, k1));
        a30 = f64x2.add(a30, f64x2.mul(s3, k0));
        a31 = f64x2.add(a31, f64x2.mul(s3, k1));
      }
      const out = c + <usize>jb * rowBytes + ko;
      accumulate(out, a00, a01);
      accumulate(out + rowBytes, a10, a11);
      accumulate(out + 2 * rowBytes, a20, a21);
      accumulate(out + 3 * rowBytes, a30, a31);
    }
  }
  if (full === cols) return;
  const tail = scratch + <usize>rows * rowBytes;
  memory.fill(tail, 0, <usize>(cols - full) * rowBytes);
  for (let i = 0; i < rows; i++) {
    const row = a + <usize>i * rowBytes;
    const weighted = scratch + <usize>i * rowBytes;
    for (let j = full; j < cols; j++) {
      const sj = load<f64>(weighted + ((<usize>j) << 3));
      const sv = f64x2.splat(sj);
      const sums = tail + <usize>(j - full) * rowBytes;
      const kPairs = (j + 1) & ~1;
      for (let k = 0; k < kPairs; k += 2) {
        const o = (<usize>k) << 3;
        v128.store(sums + o, f64x2.add(v128.load(sums + o), f64x2.mul(sv, v128.load(row + o))));
      }
      if (kPairs <= j) {
        const o = (<usize>j) << 3;
        store<f64>(sums + o, load<f64>(sums + o) + sj * load<f64>(row + o));
      }
    }
  }
  for (let j = full; j < cols; j++) {
    const sums = tail + <usize>(j - full) * rowBytes;
    const out = c + <usize>j * rowBytes;
    for (let k = 0; k <= j; k++) {
      const o = (<usize>k) << 3;
      store<f64>(out + o, load<f64>(out + o) + load<f64>(sums + o));
    }
  }
}

/**
 * out_j = Σ_i (c_i x_ij) x_ij from zero, each column's terms added in row order; four rows per
 * load and store of out, added one after the other.
 */
export function weightedSquares(x: usize, rows: i32, cols: i32, c: usize, out: usize): void {
  const pairs = cols & ~1;
  const stride = (<usize>cols) << 3;
  memory.fill(out, 0, stride);
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = x + <usize>i * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const cp = c + ((<usize>i) << 3);
    const c0 = load<f64>(cp);
    const c1 = load<f64>(cp, 8);
    const c2 = load<f64>(cp, 16);
    const c3 = load<f64>(cp, 24);
    const s0 = f64x2.splat(c0);
    const s1 = f64x2.splat(c1);
    const s2 = f64x2.splat(c2);
    const s3 = f64x2.splat(c3);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      const x0 = v128.load(r0 + o);
      const x1 = v128.load(r1 + o);
      const x2 = v128.load(r2 + o);
      const x3 = v128.load(r3 + o);
      let t = f64x2.add(v128.load(out + o), f64x2.mul(f64x2.mul(s0, x0), x0));
      t = f64x2.add(t, f64x2.mul(f64x2.mul(s1, x1), x1));
      t = f64x2.add(t, f64x2.mul(f64x2.mul(s2, x2), x2));
      v128.store(out + o, f64x2.add(t, f64x2.mul(f64x2.mul(s3, x3), x3)));
    }
    if (pairs < cols) {
      const o = (<usize>pairs) << 3;
      const x0 = load<f64>(r0 + o);
      const x1 = load<f64>(r1 + o);
      const x2 = load<f64>(r2 + o);
      const x3 = load<f64>(r3 + o);
      store<f64>(out + o, load<f64>(out + o) + c0 * x0 * x0 + c1 * x1 * x1 + c2 * x2 * x2 + c3 * x3 * x3);
    }
  }
  for (; i < rows; i++) {
    const r0 = x + <usize>i * stride;
    const ci = load<f64>(c + ((<usize>i) << 3));
    const s0 = f64x2.splat(ci);
    for (let j = 0; j < pairs; j += 2) {
      const o = (<usize>j) << 3;
      const x0 = v128.load(r0 + o);
      v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(f64x2.mul(s0, x0), x0)));
    }
    if (pairs < cols) {
      const o = (<usize>pairs) << 3;
      const x0 = load<f64>(r0 + o);
      store<f64>(out + o, load<f64>(out + o) + ci * x0 * x0);
    }
  }
}
