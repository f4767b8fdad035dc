/**
 * Least squares' passes over the data, cut into spans of SPAN_ROWS rows. A span's sums start
 * from zero and the spans are added in span order, so the result does not depend on who
 * computes a span: the main thread alone, or any of the worker threads of ./threads.ts. One
 * thread or several, the bits are the same.
 *
 * Within a span the rows are copied in and used BLOCK_ROWS at a time, which keeps the working
 * block in cache (512 rows measured fastest for the Gram matrix at d = 50, 4096 15% slower). It
 * is a multiple of four, so a block-by-block Xᵀg groups its rows as one chunk does.
 */
import { CHUNK_ROWS, type DenseKernels } from './kernels';
import { workspace } from './wasm';

/** One chunk of Xᵀg (./kernels.ts), so a span's Xᵀg is a single partial sum from zero. */
export const SPAN_ROWS = CHUNK_ROWS;
export const BLOCK_ROWS = 512;

/** What a pass computes per span. */
export const Pass = {
  /** The Gram matrix of the centred, scaled [X y]: stride² numbers. */
  Gram: 1,
  /** X̃ᵀ(ỹ − X̃w) and the squared residuals: d + 1 numbers. */
  Residual: 2,
  /** The gradient of the mean squared error at (w, b) in the original units, Σ r², Σ (2/n) r: d + 2 numbers. */
  Check: 3,
  /** X's column sums, minima and maxima (the kernels' `columnStats`): 3d numbers. */
  Stats: 4,
} as const;
export type Pass = (typeof Pass)[keyof typeof Pass];

/** Numbers a pass leaves per span. */
export function slotLength(pass: Pass, d: number, stride: number): number {
  if (pass === Pass.Gram) return stride * stride;
  return pass === Pass.Stats ? 3 * d : d + 2;
}

/**
 * Everything a pass reads besides the span's rows, in one array so that it is copied in one go
 * to whoever computes spans: yMean, yScale, the intercept b (Check), the rows n of the whole
 * problem (Check's 2/n: a worker sees only spans), then the column means, the column scales and
 * the weights w (of the centred, scaled problem for Residual, in the original units for
 * Check), d each (see `passParams`).
 */
export function paramsLength(d: number): number {
  return 4 + 3 * d;
}

/** The parts of a parameter array. */
export function passParams(
  params: Float64Array,
  d: number,
): { means: Float64Array; scales: Float64Array; w: Float64Array } {
  return {
    means: params.subarray(4, 4 + d),
    scales: params.subarray(4 + d, 4 + 2 * d),
    w: params.subarray(4 + 2 * d, 4 + 3 * d),
  };
}

/**
 * Computes spans of one problem (X row-major, n × d, and y) in its own kernels' memory: the
 * span's rows are copied in, used and left, so X itself is never copied whole. A worker's
 * executor has no X (n = 0): it gets the rows handed to it (`runRows`), and the problem's n
 * with the parameters.
 */
export class SpanExecutor {
  private readonly k: DenseKernels;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly params: Float64Array;
  private readonly out: Float64Array;
  private readonly work: Float64Array;
  private readonly scores: Float64Array;
  private readonly partial: Float64Array;
  private readonly release: () => void;
  /** Where the Check pass leaves each row's score, or null (see `keepScores`). */
  private scoresOut: Float64Array | null = null;

  constructor(
    readonly data: Float64Array,
    readonly targets: Float64Array,
    readonly n: number,
    private readonly d: number,
    private readonly stride: number,
  ) {
    const ws = workspace([
      BLOCK_ROWS * d,
      SPAN_ROWS,
      paramsLength(d),
      Math.max(stride * stride, d + 2),
      BLOCK_ROWS * stride,
      BLOCK_ROWS,
      d,
    ]);
    this.k = ws.kernels;
    [this.x, this.y, this.params, this.out, this.work, this.scores, this.partial] = ws.arrays;
    this.release = () => ws.release();
  }

  /** Spans in this problem. */
  get spans(): number {
    return Math.ceil(this.n / SPAN_ROWS);
  }

  /** Takes the parameters of the next pass (see `paramsLength`). */
  load(params: Float64Array): void {
    this.params.set(params);
  }

  /**
   * Makes the Check passes that `run` computes write the scores Xw + b of their rows into `out`
   * (length n, row order; null stops it). Only this executor's own spans write there, so a
   * runner keeps the Check pass on this thread (threads.ts).
   */
  keepScores(out: Float64Array | null): void {
    this.scoresOut = out;
  }

  /** Span `span` of `pass`: its slotLength numbers, valid until the next call. */
  run(pass: Pass, span: number): Float64Array {
    const { d, n } = this;
    const start = span * SPAN_ROWS;
    const rows = Math.min(SPAN_ROWS, n - start);
    return this.runRows(
      pass,
      this.data.subarray(start * d, (start + rows) * d),
      this.targets.subarray(start, start + rows),
      this.scoresOut?.subarray(start, start + rows),
    );
  }

  /**
   * `pass` over the rows `xs` (row-major, d wide) and their targets `ys`, at most SPAN_ROWS of
   * them; a Check pass copies the rows' scores into `keep` when given.
   */
  runRows(pass: Pass, xs: Float64Array, ys: Float64Array, keep?: Float64Array): Float64Array {
    const { d, stride } = this;
    const rows = ys.length;
    this.y.set(ys);
    const y = this.y.subarray(0, rows);
    if (pass === Pass.Check) {
      this.check(xs, y, rows, keep);
      return this.out.subarray(0, d + 2);
    }
    if (pass === Pass.Stats) return this.stats(xs, rows);
    const p = this.params;
    const yMean = p[0];
    const yScale = p[1];
    const { means, scales, w } = passParams(p, d);
    const gram = pass === Pass.Gram;
    const length = slotLength(pass, d, stride);
    const out = this.out.subarray(0, length);
    out.fill(0);
    let squares = 0;
    // Each block is copied in just before it is centred, into the same place, which the
    // centring then reads from cache.
    const x = this.x.subarray(0, BLOCK_ROWS * d);
    for (let at = 0; at < rows; at += BLOCK_ROWS) {
      const r = Math.min(BLOCK_ROWS, rows - at);
      x.set(xs.subarray(at * d, (at + r) * d));
      this.k.centre(
        x.subarray(0, r * d),
        r,
        d,
        means,
        scales,
        y.subarray(at, at + r),
        yMean,
        yScale,
        this.work,
        stride,
      );
      if (gram) this.k.gram(this.work, r, stride, out);
      else squares = this.k.residualGradient(this.work, r, stride, d, w, out, squares);
    }
    if (!gram) out[d] = squares;
    return out;
  }

  /**
   * Xᵀ((2/n)(Xw + b − y)) over the span (one chunk of Xᵀg), Σ (Xw + b − y)², Σ (2/n)(Xw + b − y).
   * The rows are copied in BLOCK_ROWS at a time and each block is used while it is in cache;
   * the chunk's sum runs on across the blocks (`transposeTimesAdd`), so the bits are the chunk's.
   */
  private check(xs: Float64Array, y: Float64Array, rows: number, keep: Float64Array | undefined): void {
    const { d } = this;
    const p = this.params;
    const n = p[3];
    const { w } = passParams(p, d);
    const partial = this.partial;
    partial.fill(0);
    let squares = 0;
    let sum = 0;
    for (let at = 0; at < rows; at += BLOCK_ROWS) {
      const r = Math.min(BLOCK_ROWS, rows - at);
      const x = this.x.subarray(0, r * d);
      x.set(xs.subarray(at * d, (at + r) * d));
      const f = this.scores.subarray(0, r);
      this.k.scores(x, r, d, w, p[2], f);
      keep?.set(f, at);
      for (let i = 0; i < r; i++) {
        const residual = f[i] - y[at + i];
        squares += residual * residual;
        f[i] = (2 / n) * residual;
        sum += f[i];
      }
      this.k.transposeTimesAdd(x, r, d, f, partial);
    }
    // As transposeTimes ends a chunk: out = 0 + partial.
    for (let j = 0; j < d; j++) this.out[j] = 0 + partial[j];
    this.out[d] = squares;
    this.out[d + 1] = sum;
  }

  /** The span's column sums (from zero), minima and maxima, one after the other. */
  private stats(xs: Float64Array, rows: number): Float64Array {
    const { d } = this;
    const out = this.out.subarray(0, 3 * d);
    const sums = out.subarray(0, d).fill(0);
    const lo = out.subarray(d, 2 * d).fill(Infinity);
    const hi = out.subarray(2 * d).fill(-Infinity);
    for (let at = 0; at < rows; at += BLOCK_ROWS) {
      const r = Math.min(BLOCK_ROWS, rows - at);
      const x = this.x.subarray(0, r * d);
      x.set(xs.subarray(at * d, (at + r) * d));
      this.k.columnStats(x, r, d, sums, lo, hi);
    }
    return out;
  }

  /** Gives the kernels' memory back; the executor must not be used afterwards. */
  dispose(): void {
    this.release();
  }
}
