/**
 * Where the dense kernels run: WebAssembly with SIMD when this engine has it, JavaScript
 * otherwise, with the same bits either way (./kernels.ts fixes the order of every sum).
 *
 * The module is compiled synchronously from bytes embedded in the package
 * (./wasm/denseBytes.ts), so fitting stays synchronous and works in bundlers and browsers.
 * Validating those bytes is the test for SIMD: an engine without it rejects the module.
 *
 * Memory: a fit asks for all its arrays at once (`workspace`): X copied in once, the vectors
 * of length n, the small ones. The instance's memory grows to hold them before any view is
 * made (growing would detach earlier views), and every iteration then runs in place. WebAssembly
 * memory cannot shrink, so after a fit an instance whose memory exceeds RETAIN_BYTES is
 * dropped for the garbage collector to free; a smaller one is kept for the next fit. A fit
 * that starts while another's workspace is in use (a fit inside onIteration) gets its own
 * instance. A workspace that does not fit in 32-bit memory, or that the engine refuses to
 * allocate, falls back to JavaScript arrays.
 *
 * `LOSSLAB_WASM=0` in the environment, or `setKernelPreference('js')`, forces JavaScript.
 */
import { type DenseKernels, jsKernels } from './kernels';
import { denseWasm } from './wasm/denseBytes';

/** Memory kept by an idle instance between fits. */
const RETAIN_BYTES = 64 * 2 ** 20;
const PAGE = 65536;
/** 32-bit addresses: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;
/** Arrays start on 16-byte boundaries, where a vector load never straddles a cache line needlessly. */
const ALIGN = 16;

interface DenseExports {
  scores(x: number, rows: number, cols: number, v: number, b: number, out: number): void;
  transposeTimes(x: number, rows: number, cols: number, g: number, out: number, partial: number): void;
  transposeTimesAdd(x: number, rows: number, cols: number, g: number, partial: number): void;
  gram(b: number, rows: number, stride: number, c: number): void;
  columnStats(raw: number, rows: number, d: number, sums: number, lo: number, hi: number): void;
  weightedGram(a: number, rows: number, cols: number, theta: number, scratch: number, c: number): void;
  centre(
    raw: number,
    rows: number,
    d: number,
    means: number,
    scales: number,
    y: number,
    yMean: number,
    yScale: number,
    work: number,
    stride: number,
  ): void;
  residualGradient(
    work: number,
    rows: number,
    stride: number,
    d: number,
    w: number,
    g: number,
    squares: number,
  ): number;
  weightedSquares(x: number, rows: number, cols: number, c: number, out: number): void;
  logisticSumAndDerivatives(y: number, f: number, out: number, n: number, tables: number): number;
  crossEntropyWithLogitsSumAndDerivatives(y: number, f: number, out: number, n: number, tables: number): number;
  logisticAlong: AlongExport;
  crossEntropyWithLogitsAlong: AlongExport;
}

type AlongExport = (
  y: number,
  s: number,
  ds: number,
  alpha: number,
  trial: number,
  out: number,
  n: number,
  tables: number,
  dotAt: number,
) => number;

/**
 * The fused loops of one loss (assembly/loss.ts), with `tables` holding src/losses/elementary.ts's
 * ELEMENTARY_TABLES; every array in the workspace. Same bits as the loss's JavaScript loop (for
 * cross-entropy, targets outside [1/4, 3/4] only):
 * - `sumAndDerivatives(y, f, out, n, tables)`: as `loss.kernels.sumAndDerivatives(y, f, out, n)`;
 * - `along(y, s, ds, alpha, trial, out, n, tables, dot)`: the same at the scores trial = s + alpha ds,
 *   which it stores, with dot[0] = Σ out_i ds_i in index order (core/smooth.ts `along`).
 */
export interface ResidentLoss {
  sumAndDerivatives(y: Float64Array, f: Float64Array, out: Float64Array, n: number, tables: Float64Array): number;
  along(
    y: Float64Array,
    s: Float64Array,
    ds: Float64Array,
    alpha: number,
    trial: Float64Array,
    out: Float64Array,
    n: number,
    tables: Float64Array,
    dot: Float64Array,
  ): number;
}

/** The losses with loops in WebAssembly. */
export interface ResidentLossLoops {
  logistic: ResidentLoss;
  crossEntropyWithLogits: ResidentLoss;
}

/**
 * The part of the WebAssembly JavaScript API used here, typed locally: the package is built
 * against ES2022 alone, whose library does not declare WebAssembly.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
}

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Arrays from one place, and the kernels that may read them. */
export interface Workspace {
  readonly kernels: DenseKernels;
  /** The loss loops that read these arrays, or null for JavaScript arrays. */
  readonly lossLoops: ResidentLossLoops | null;
  /** Arrays of the lengths asked for, in order; what they hold at first is unspecified (a reused memory keeps the last fit's numbers). */
  readonly arrays: Float64Array[];
  /** The `resident` array as the kernels read it (empty when none was given). */
  readonly resident: Float64Array;
  /** Gives the memory back for the next fit; the arrays must not be used afterwards. */
  release(): void;
}

export type KernelPreference = 'auto' | 'js';

let preference: KernelPreference = 'auto';
let lossLoopRuns = 0;
/** undefined: not tried yet; null: no WebAssembly SIMD here. */
let compiled: object | null | undefined;
const idle: Instance[] = [];

/** 'js' makes every later workspace use the JavaScript kernels (for tests and comparisons). */
export function setKernelPreference(p: KernelPreference): void {
  preference = p;
}

/** How many times a WebAssembly loss loop has run in this process: tests tell by it which loop a fit used. */
export function lossLoopCount(): number {
  return lossLoopRuns;
}

/** Which kernels a workspace gets now: 'wasm' when WebAssembly SIMD is there and not turned off. */
export function kernelBackend(): 'wasm' | 'js' {
  return preference === 'auto' && loadModule() !== null ? 'wasm' : 'js';
}

function loadModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const off = typeof process !== 'undefined' && process.env?.LOSSLAB_WASM === '0';
  if (off || wasmApi === undefined) return null;
  const bytes = Uint8Array.from(atob(denseWasm), (c) => c.charCodeAt(0));
  if (wasmApi.validate(bytes)) compiled = new wasmApi.Module(bytes);
  return compiled;
}

/**
 * Float64Arrays of the given lengths, in the memory of the kernels that will run on them, and
 * `resident` (say X) where they can read it: a copy in WebAssembly memory, the array itself
 * for JavaScript. Copying X once per fit costs one pass over it, less than one iteration.
 */
export function workspace(lengths: readonly number[], resident?: Float64Array): Workspace {
  const all = resident === undefined ? lengths : [...lengths, resident.length];
  let bytes = 0;
  for (const length of all) bytes += align(length * 8);
  const mod = kernelBackend() === 'wasm' ? loadModule() : null;
  const instance =
    mod === null || wasmApi === undefined || bytes > MAX_PAGES * PAGE ? null : acquire(mod, bytes, wasmApi);
  if (instance === null) {
    return {
      kernels: jsKernels,
      lossLoops: null,
      arrays: lengths.map((n) => new Float64Array(n)),
      resident: resident ?? new Float64Array(0),
      release() {},
    };
  }
  const buffer = instance.memory.buffer;
  const arrays: Float64Array[] = [];
  let offset = 0;
  for (const length of all) {
    arrays.push(new Float64Array(buffer, offset, length));
    offset += align(length * 8);
  }
  const copy = resident === undefined ? new Float64Array(0) : (arrays.pop() as Float64Array);
  if (resident !== undefined) copy.set(resident);
  let released = false;
  return {
    kernels: instance.kernels,
    lossLoops: instance.lossLoops,
    arrays,
    resident: copy,
    release() {
      if (released) return;
      released = true;
      if (instance.memory.buffer.byteLength <= RETAIN_BYTES && idle.length === 0) idle.push(instance);
    },
  };
}

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/** An idle instance grown to `bytes`, or a new one; null when the engine cannot give the memory. */
function acquire(mod: object, bytes: number, api: WasmApi): Instance | null {
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const reused = idle.pop();
  try {
    if (reused !== undefined) {
      const have = reused.memory.buffer.byteLength / PAGE;
      if (have < pages) reused.memory.grow(pages - have);
      return reused;
    }
    return new Instance(mod, new api.Memory({ initial: pages, maximum: MAX_PAGES }), api);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

class Instance {
  readonly kernels: DenseKernels;
  readonly lossLoops: ResidentLossLoops;

  constructor(
    mod: object,
    readonly memory: WasmMemory,
    api: WasmApi,
  ) {
    const k = new api.Instance(mod, { env: { memory } }).exports as unknown as DenseExports;
    const at = (a: Float64Array): number => {
      // A plain array here would be read as whatever lies at its offset in this memory.
      if (a.buffer !== memory.buffer) throw new Error('losslab internal: an array outside the kernels memory');
      return a.byteOffset;
    };
    this.kernels = {
      name: 'wasm',
      scores: (x, rows, cols, v, b, out) => k.scores(at(x), rows, cols, at(v), b, at(out)),
      transposeTimes: (x, rows, cols, g, out, partial) =>
        k.transposeTimes(at(x), rows, cols, at(g), at(out), at(partial)),
      transposeTimesAdd: (x, rows, cols, g, partial) => k.transposeTimesAdd(at(x), rows, cols, at(g), at(partial)),
      gram: (b, rows, stride, c) => k.gram(at(b), rows, stride, at(c)),
      columnStats: (raw, rows, d, sums, lo, hi) => k.columnStats(at(raw), rows, d, at(sums), at(lo), at(hi)),
      weightedGram: (a, rows, cols, theta, scratch, c) =>
        k.weightedGram(at(a), rows, cols, at(theta), at(scratch), at(c)),
      centre: (raw, rows, d, means, scales, y, yMean, yScale, work, stride) =>
        k.centre(at(raw), rows, d, at(means), at(scales), at(y), yMean, yScale, at(work), stride),
      residualGradient: (work, rows, stride, d, w, g, squares) =>
        k.residualGradient(at(work), rows, stride, d, at(w), at(g), squares),
      weightedSquares: (x, rows, cols, c, out) => k.weightedSquares(at(x), rows, cols, at(c), at(out)),
    };
    const resident = (sum: DenseExports['logisticSumAndDerivatives'], along: AlongExport): ResidentLoss => ({
      sumAndDerivatives: (y, f, out, n, tables) => {
        lossLoopRuns++;
        return sum(at(y), at(f), at(out), n, at(tables));
      },
      along: (y, s, ds, alpha, trial, out, n, tables, dot) => {
        lossLoopRuns++;
        return along(at(y), at(s), at(ds), alpha, at(trial), at(out), n, at(tables), at(dot));
      },
    });
    this.lossLoops = {
      logistic: resident(k.logisticSumAndDerivatives, k.logisticAlong),
      crossEntropyWithLogits: resident(k.crossEntropyWithLogitsSumAndDerivatives, k.crossEntropyWithLogitsAlong),
    };
  }
}
