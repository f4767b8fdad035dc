/**
 * Optional worker threads for least squares' passes over large data (Node only, opt-in):
 * `LOSSLAB_THREADS=2` in the environment lets a fit of n >= THREAD_MIN_ROWS rows compute its
 * passes on the main thread and one worker (k: k − 1 workers): every pass when X lies in shared
 * memory, the Gram matrix alone otherwise (see below and `run`); the default is 1, no workers.
 *
 * X in the caller's own memory is not copied into shared memory: that would double a fit's
 * memory, and the first touch of that much fresh memory took longer here (2.5 s for 400 MB)
 * than the fit. The main thread hands spans of rows to the workers instead, through a small
 * ring of shared slots (RING_PER_WORKER spans per worker); a copy of a span costs a few
 * percent of computing its Gram matrix, but as much as the other passes, so only the Gram pass
 * is handed out. X that the caller put in a SharedArrayBuffer is read by the workers where it
 * is (fitLinear reads such an X in place): the ring then carries only the span's targets, and
 * every pass is handed out, the Check pass's scores coming back through the ring. Each span's
 * result goes to its own place in a shared array and the main thread adds them in span order,
 * so who computed which span does not change a bit (./spans.ts).
 *
 * Nothing here can hang: the main thread computes every span it cannot hand over at once, and
 * at the end of a pass takes back the spans no worker has started. It waits only for spans a
 * worker is computing, and after STALL_MS without progress it drops the workers (and the
 * shared buffers they may still write) and computes those spans itself. Workers are unref'd,
 * so an idle pool never keeps a process alive, and a worker gives up a pass after STALL_MS
 * without work. The shared buffers (a few megabytes) are kept for the next fit.
 */
import { LossInputError } from '../errors';
import type { Matrix } from '../matrix';
import { Pass, paramsLength, SPAN_ROWS, SpanExecutor, slotLength } from './spans';

/** Threads are offered from this many rows on: below, a fit takes well under a second. */
export const THREAD_MIN_ROWS = 1e6;
const MAX_THREADS = 64;
/** A worker that finishes no claimed span for this long is taken for dead. */
const STALL_MS = 30_000;
/** STALL_MS, unless a test shortened it (`setStallMsForTests`). */
let stallMs = STALL_MS;
/** In a worker: how long to hold the next span it takes of a pass before computing it (`stallWorkersForTests`). */
let holdNextSpanMs = 0;
let holdPass: Pass | undefined;
/** Each wait for a worker is this short, so that the stall clock is read often. */
const WAIT_MS = 50;

/** Ring slots per worker: one being computed, one waiting. */
const RING_PER_WORKER = 2;
/** Shared buffers kept between fits up to this size. */
const RETAIN_BYTES = 64 * 2 ** 20;

/** Control words: the pass running (its generation, 0 for none), posts so far, the pass's kind. */
const ACTIVE = 0;
const POSTED = 1;
const PASS = 2;
const HEADER = 3;
/** Per ring slot, after the header: its state, its span, its rows, the generation it was posted in. */
const FIELDS = 4;
const STATE = 0;
const SPAN = 1;
const ROWS = 2;
const GENERATION = 3;
/** Slot states. */
const EMPTY = 0;
const FULL = 1;
const TAKEN = 2;
const DONE = 3;

type WorkerThreads = typeof import('node:worker_threads');
type NodeWorker = InstanceType<WorkerThreads['Worker']>;

/** The shared buffers of the pool, and their layout for d columns. */
export interface Board {
  control: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  results: SharedArrayBuffer;
  params: SharedArrayBuffer;
  slots: number;
  d: number;
  stride: number;
}

/** Messages to a worker. */
export type WorkerMessage =
  /** x: the problem's X when it lies in shared memory (the worker reads its spans there), else null. */
  | { kind: 'bind'; board: Board; x: Float64Array | null }
  | { kind: 'run'; generation: number }
  | { kind: 'unbind' }
  | { kind: 'hold'; ms: number; pass?: Pass };

/** Doubles per ring slot: a span's rows (or, X being shared, its scores from a Check pass), then its targets. */
function ringSlot(d: number): number {
  return SPAN_ROWS * d + SPAN_ROWS;
}

/** Doubles per span in the results. */
function resultSlot(d: number, stride: number): number {
  return Math.max(stride * stride, d + 2);
}

/**
 * The threads LOSSLAB_THREADS asks for (1 when unset); a LossInputError when it is not a whole
 * number from 1 to MAX_THREADS, so a typo does not pass for the default.
 */
function threadsWanted(): number {
  const text = typeof process === 'undefined' ? undefined : process.env?.LOSSLAB_THREADS;
  if (text === undefined || text === '') return 1;
  const k = Number(text);
  if (!Number.isInteger(k) || k < 1 || k > MAX_THREADS) {
    throw new LossInputError({
      argument: 'LOSSLAB_THREADS',
      value: text,
      problem: 'is not a whole number of threads',
      domain: `an integer from 1 to ${MAX_THREADS} (environment variable)`,
    });
  }
  return k;
}

/**
 * Runs the passes of one problem over its spans, on this thread alone or with workers, and
 * hands the spans' results to `reduce` in span order.
 */
export interface SpanRunner {
  /** The next pass's parameters, to be filled before `run` (see spans.ts `paramsLength`; n is set here). */
  readonly inputs: Float64Array;
  run(pass: Pass, reduce: (slot: Float64Array) => void): void;
  /** Where Check passes leave the scores Xw + b (length n), or null (SpanExecutor.keepScores). */
  keepScores(out: Float64Array | null): void;
  release(): void;
}

/** A runner for X (n × d) and y: threaded when asked for, n is large enough and Node has worker threads. */
export function spanRunner(X: Matrix, y: Float64Array, stride: number): SpanRunner {
  const { rows: n, cols: d } = X;
  const wanted = n >= THREAD_MIN_ROWS ? threadsWanted() : 1;
  const api = wanted > 1 && typeof SharedArrayBuffer === 'function' ? workerThreads() : null;
  const executor = new SpanExecutor(X.data, y, n, d, stride);
  if (api === null) return new LocalRunner(executor, d);
  // X's data is a plain Float64Array by now (validate.ts readMatrix), so its buffer is its own.
  const sharedX = X.data.buffer instanceof SharedArrayBuffer;
  return new SharedRunner(executor, pool(api, wanted - 1), d, stride, sharedX);
}

class LocalRunner implements SpanRunner {
  readonly inputs: Float64Array;

  constructor(
    private readonly executor: SpanExecutor,
    d: number,
  ) {
    this.inputs = new Float64Array(paramsLength(d));
    this.inputs[3] = executor.n;
  }

  run(pass: Pass, reduce: (slot: Float64Array) => void): void {
    this.executor.load(this.inputs);
    for (let s = 0; s < this.executor.spans; s++) reduce(this.executor.run(pass, s));
  }

  keepScores(out: Float64Array | null): void {
    this.executor.keepScores(out);
  }

  release(): void {
    this.executor.dispose();
  }
}

let board: Board | null = null;
/** Passes run in this process: each pass's generation, unique so that no message of an old pass passes for a new one. */
let passes = 0;
/** Spans computed by workers so far, in this process (what the tests and benches check threads by). */
const spansByWorkers = new Map<Pass, number>();

/** Spans computed by workers in this process so far, of one kind of pass or of all. */
export function workerSpans(pass?: Pass): number {
  if (pass !== undefined) return spansByWorkers.get(pass) ?? 0;
  let all = 0;
  for (const count of spansByWorkers.values()) all += count;
  return all;
}

/** The pool's shared buffers for d columns and `spans` spans, kept from the last fit when they fit. */
function boardFor(d: number, stride: number, spans: number, slots: number): Board {
  const fits =
    board !== null &&
    board.d === d &&
    board.stride === stride &&
    board.slots >= slots &&
    board.results.byteLength >= spans * resultSlot(d, stride) * 8;
  if (board === null || !fits) {
    board = {
      control: new SharedArrayBuffer((HEADER + FIELDS * slots) * 4),
      ring: new SharedArrayBuffer(slots * ringSlot(d) * 8),
      results: new SharedArrayBuffer(spans * resultSlot(d, stride) * 8),
      params: new SharedArrayBuffer(paramsLength(d) * 8),
      slots,
      d,
      stride,
    };
  }
  return board;
}

function boardBytes(b: Board): number {
  return b.control.byteLength + b.ring.byteLength + b.results.byteLength + b.params.byteLength;
}

class SharedRunner implements SpanRunner {
  readonly inputs: Float64Array;
  private readonly board: Board;
  private readonly control: Int32Array;
  private readonly ring: Float64Array;
  /** Where each span's result goes: the shared array, or this thread's own once the workers are dropped. */
  private results: Float64Array;
  /** The span each ring slot was last given. */
  private readonly given: Int32Array;
  /** The ring slots' states when the workers were dropped (see `abandon`), or null while they work. */
  private dropped: Int32Array | null = null;
  private scoresOut: Float64Array | null = null;

  constructor(
    private readonly executor: SpanExecutor,
    private workers: NodeWorker[],
    private readonly d: number,
    private readonly stride: number,
    /** Whether X lies in shared memory, where the workers read it. */
    private readonly sharedX: boolean,
  ) {
    this.board = boardFor(d, stride, executor.spans, RING_PER_WORKER * workers.length);
    this.control = new Int32Array(this.board.control);
    this.ring = new Float64Array(this.board.ring);
    this.results = new Float64Array(this.board.results);
    this.inputs = new Float64Array(this.board.params);
    this.inputs[3] = executor.n;
    this.given = new Int32Array(this.board.slots);
    const x = sharedX ? executor.data : null;
    for (const w of workers) w.postMessage({ kind: 'bind', board: this.board, x } satisfies WorkerMessage);
  }

  run(pass: Pass, reduce: (slot: Float64Array) => void): void {
    const { control, executor, results } = this;
    // With X in the caller's memory only the Gram pass is handed out: its d² multiply-adds per
    // row dwarf copying the row into the ring, while the other passes do about d per row, as
    // much as the copy itself (measured at 1e6 × 50: 63 ms for the refinement pass alone, 78 ms
    // sharing it with a worker). X in shared memory is not copied, and every pass is shared.
    const shared = this.workers.length > 0 && (this.sharedX || pass === Pass.Gram);
    const slots = shared ? this.board.slots : 0;
    const size = resultSlot(this.d, this.stride);
    const generation = ++passes;
    for (let r = 0; r < this.board.slots; r++) Atomics.store(control, HEADER + r * FIELDS + STATE, EMPTY);
    Atomics.store(control, PASS, pass);
    // Publishes the parameters written before it: a worker reads them only once it sees this.
    Atomics.store(control, ACTIVE, generation);
    for (const w of this.workers) w.postMessage({ kind: 'run', generation } satisfies WorkerMessage);
    executor.load(this.inputs);
    try {
      for (let s = 0; s < executor.spans; s++) {
        const r = this.freeSlot(pass, slots);
        if (r >= 0) this.post(r, s, generation);
        else results.set(executor.run(pass, s), s * size);
      }
      this.collect(pass, slots);
    } finally {
      Atomics.store(control, ACTIVE, 0);
      Atomics.add(control, POSTED, 1);
      Atomics.notify(control, POSTED);
    }
    const length = slotLength(pass, this.d, this.stride);
    for (let s = 0; s < executor.spans; s++) reduce(this.results.subarray(s * size, s * size + length));
  }

  keepScores(out: Float64Array | null): void {
    this.executor.keepScores(out);
    this.scoresOut = out;
  }

  /** A ring slot a worker is not using, or −1. */
  private freeSlot(pass: Pass, slots: number): number {
    for (let r = 0; r < slots; r++) {
      const state = Atomics.load(this.control, HEADER + r * FIELDS + STATE);
      if (state === DONE) this.finished(pass, r);
      if (state === EMPTY || state === DONE) return r;
    }
    return -1;
  }

  /** Slot r's span, which a worker has computed: counted, and a Check pass's scores kept. */
  private finished(pass: Pass, r: number): void {
    spansByWorkers.set(pass, workerSpans(pass) + 1);
    const out = this.scoresOut;
    if (pass !== Pass.Check || out === null) return;
    const rows = this.control[HEADER + r * FIELDS + ROWS];
    const base = r * ringSlot(this.d);
    out.set(this.ring.subarray(base, base + rows), this.given[r] * SPAN_ROWS);
  }

  /** Slot r's span, computed on this thread. */
  private computeHere(pass: Pass, r: number): void {
    const span = this.given[r];
    this.results.set(this.executor.run(pass, span), span * resultSlot(this.d, this.stride));
  }

  private post(r: number, span: number, generation: number): void {
    const { control, d } = this;
    const at = HEADER + r * FIELDS;
    const start = span * SPAN_ROWS;
    const rows = Math.min(SPAN_ROWS, this.executor.n - start);
    const base = r * ringSlot(d);
    if (!this.sharedX) this.ring.set(this.executor.data.subarray(start * d, (start + rows) * d), base);
    this.ring.set(this.executor.targets.subarray(start, start + rows), base + SPAN_ROWS * d);
    this.given[r] = span;
    control[at + SPAN] = span;
    control[at + ROWS] = rows;
    control[at + GENERATION] = generation;
    Atomics.store(control, at + STATE, FULL);
    Atomics.add(control, POSTED, 1);
    Atomics.notify(control, POSTED);
  }

  /**
   * The end of a pass: spans still waiting in the ring are taken back and computed here; spans
   * a worker is computing are waited for, STALL_MS at most without one finishing.
   */
  private collect(pass: Pass, slots: number): void {
    const { control } = this;
    let progress = Date.now();
    for (let r = 0; r < slots; r++) {
      const at = HEADER + r * FIELDS + STATE;
      for (;;) {
        const state = this.dropped === null ? Atomics.load(control, at) : this.dropped[r];
        if (state === DONE) {
          this.finished(pass, r);
          break;
        }
        if (state === EMPTY) break;
        // Once the workers are dropped, a span they had not finished is computed here, as is
        // one still waiting in the ring (taken back first while they work).
        if (this.dropped !== null || (state === FULL && Atomics.compareExchange(control, at, FULL, EMPTY) === FULL)) {
          this.computeHere(pass, r);
          break;
        }
        if (state === FULL) continue;
        if (Atomics.wait(control, at, TAKEN, WAIT_MS) !== 'timed-out') {
          progress = Date.now();
        } else if (Date.now() - progress > stallMs) {
          this.abandon();
        }
      }
    }
  }

  /**
   * Drops the workers and the shared buffers they were given: a worker that is only slow may
   * still write there, so the results finished by now move to an array of this thread's own,
   * and the ring's states are frozen as they are (a Check pass's scores in a finished slot stay
   * put: no worker writes a finished slot).
   */
  private abandon(): void {
    if (this.workers.length === 0) return;
    this.dropped = Int32Array.from({ length: this.board.slots }, (_, r) =>
      Atomics.load(this.control, HEADER + r * FIELDS + STATE),
    );
    for (const w of this.workers) retire(w);
    this.workers = [];
    if (board === this.board) board = null;
    this.results = Float64Array.from(this.results);
  }

  release(): void {
    this.executor.dispose();
    const retained = board === this.board && boardBytes(this.board) <= RETAIN_BYTES;
    if (board === this.board && !retained) board = null;
    // A worker bound to a shared X would keep it alive after the fit.
    if (!retained || this.sharedX) {
      for (const w of this.workers) w.postMessage({ kind: 'unbind' } satisfies WorkerMessage);
    }
  }
}

/**
 * A worker's side of a board: takes posted spans of the running pass, computes them in its own
 * kernels and writes their results, until the pass ends (or nothing comes for STALL_MS).
 */
export class BoardWorker {
  private readonly control: Int32Array;
  private readonly ring: Float64Array;
  private readonly results: Float64Array;
  private readonly params: Float64Array;
  private readonly executor: SpanExecutor;

  /** x: the problem's X in shared memory, or null when the ring carries the rows. */
  constructor(
    private readonly board: Board,
    private readonly x: Float64Array | null,
  ) {
    this.control = new Int32Array(board.control);
    this.ring = new Float64Array(board.ring);
    this.results = new Float64Array(board.results);
    this.params = new Float64Array(board.params);
    const none = new Float64Array(0);
    this.executor = new SpanExecutor(none, none, 0, board.d, board.stride);
  }

  run(generation: number): void {
    const { control, board } = this;
    if (Atomics.load(control, ACTIVE) !== generation) return;
    const pass = Atomics.load(control, PASS) as Pass;
    this.executor.load(this.params);
    const size = resultSlot(board.d, board.stride);
    let idle = Date.now();
    while (Atomics.load(control, ACTIVE) === generation) {
      const posted = Atomics.load(control, POSTED);
      let took = false;
      for (let r = 0; r < board.slots; r++) {
        const at = HEADER + r * FIELDS;
        if (Atomics.compareExchange(control, at + STATE, FULL, TAKEN) !== FULL) continue;
        if (control[at + GENERATION] !== generation) {
          // Posted for a later pass than this one: its worker run will take it.
          Atomics.store(control, at + STATE, FULL);
          return;
        }
        const span = control[at + SPAN];
        const rows = control[at + ROWS];
        if (holdNextSpanMs > 0 && (holdPass === undefined || holdPass === pass)) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdNextSpanMs);
          holdNextSpanMs = 0;
        }
        const base = r * ringSlot(board.d);
        const { d } = board;
        const start = span * SPAN_ROWS * d;
        const targets = this.ring.subarray(base + SPAN_ROWS * d, base + SPAN_ROWS * d + rows);
        const out =
          this.x === null
            ? this.executor.runRows(pass, this.ring.subarray(base, base + rows * d), targets)
            : this.executor.runRows(
                pass,
                this.x.subarray(start, start + rows * d),
                targets,
                this.ring.subarray(base, base + rows),
              );
        this.results.set(out, span * size);
        Atomics.store(control, at + STATE, DONE);
        Atomics.notify(control, at + STATE);
        took = true;
      }
      if (took) idle = Date.now();
      else if (Date.now() - idle > STALL_MS) return;
      else Atomics.wait(control, POSTED, posted, WAIT_MS);
    }
  }

  dispose(): void {
    this.executor.dispose();
  }
}

let workerApi: WorkerThreads | null | undefined;
const workers: NodeWorker[] = [];

/**
 * For tests of the give-up path: sets how long the main thread waits for a worker that makes no
 * progress (STALL_MS by default) and returns the previous value.
 */
export function setStallMsForTests(ms: number): number {
  const before = stallMs;
  stallMs = ms;
  return before;
}

/**
 * For tests of the give-up path: each worker in the pool holds the next span it takes (of
 * `pass`, when given) for `ms` before computing it, as a worker descheduled or stuck would.
 * Returns the workers told.
 */
export function stallWorkersForTests(ms: number, pass?: Pass): number {
  for (const w of workers) w.postMessage({ kind: 'hold', ms, pass } satisfies WorkerMessage);
  return workers.length;
}

/** Workers in the pool (a worker given up on has left it). */
export function pooledWorkers(): number {
  return workers.length;
}

/** In a worker: the 'hold' message of `stallWorkersForTests`. */
export function holdNextSpan(ms: number, pass?: Pass): void {
  holdNextSpanMs = ms;
  holdPass = pass;
}

/**
 * node:worker_threads, or null where there is none: a browser, or a Node before 20.16. Asked of
 * process.getBuiltinModule when threads are asked for, never imported, so that bundlers for the
 * browser find no Node module to resolve.
 */
function workerThreads(): WorkerThreads | null {
  if (workerApi === undefined) {
    const node = typeof process !== 'undefined' && typeof process.getBuiltinModule === 'function';
    workerApi = node ? process.getBuiltinModule('node:worker_threads') : null;
  }
  return workerApi;
}

/**
 * `count` workers, started as needed and kept between fits. The source of the worker sits next
 * to this file; run from TypeScript sources (the tests), the worker loads them through tsx
 * as its parent does.
 */
function pool(api: WorkerThreads, count: number): NodeWorker[] {
  const extension = __filename.endsWith('.ts') ? '.ts' : '.js';
  while (workers.length < count) {
    let w: NodeWorker;
    try {
      const file = `${__dirname}/threadWorker${extension}`;
      w =
        extension === '.ts'
          ? new api.Worker(file, { execArgv: [...process.execArgv, '--require', 'tsx/cjs'] })
          : new api.Worker(file);
    } catch {
      break;
    }
    w.unref();
    // A worker that fails to start or dies leaves the pool; its spans fall to the main thread.
    w.on('error', () => retire(w));
    w.on('exit', () => retire(w));
    workers.push(w);
  }
  return workers.slice(0, count);
}

function retire(w: NodeWorker): void {
  const at = workers.indexOf(w);
  if (at >= 0) workers.splice(at, 1);
  void w.terminate();
}
