/**
 * Input checks shared by every public entry point, so that each problem is reported once,
 * in one wording: the loss, the argument, the first offending index and value, and what
 * would have been accepted. Checks run once per call; the kernels they guard never check.
 * risk, values and derivatives fold the same checks into their loops (src/losses/kernel.ts)
 * and call these only to report a problem the loop found, so that the message is this one.
 */
import { LossInputError, readGuarded } from './errors';
import type { Loss, PredictionDomain, TargetDomain } from './losses/types';
import { isDefinedLoss } from './losses/brand';
import { compensatedSum } from './losses/summation';
import type { Matrix } from './matrix';

export type Domain = TargetDomain | PredictionDomain | 'nonnegative';

const DOMAIN_TEXT: Record<Domain, string> = {
  real: 'finite numbers',
  sign: 'labels -1 or +1',
  binary: 'targets t in [0, 1] (hard 0/1 or soft labels)',
  probability: 'probabilities p in [0, 1]',
  nonnegative: 'finite numbers >= 0',
};

export function describeDomain(domain: Domain): string {
  return DOMAIN_TEXT[domain];
}

/** True when `v` is in `domain` (NaN and ±Infinity are in none). */
export function inDomain(v: number, domain: Domain): boolean {
  switch (domain) {
    case 'real':
      return v - v === 0;
    case 'sign':
      return v === 1 || v === -1;
    case 'binary':
    case 'probability':
      return v >= 0 && v <= 1;
    case 'nonnegative':
      return v >= 0 && v - v === 0;
  }
}

function problemOf(v: unknown, domain: Domain): string {
  if (typeof v !== 'number') return 'is not a number';
  if (Number.isNaN(v)) return 'is NaN';
  if (!Number.isFinite(v)) return 'is infinite';
  return domain === 'nonnegative' ? 'is negative' : 'is outside the domain';
}

/** Throws unless `v` is a number in `domain`. */
export function checkScalar(loss: string | undefined, argument: string, v: unknown, domain: Domain): number {
  if (typeof v !== 'number' || !inDomain(v, domain)) {
    throw new LossInputError({
      loss,
      argument,
      value: v,
      domain: describeDomain(domain),
      problem: problemOf(v, domain),
    });
  }
  return v;
}

/** Typed arrays of numbers (not bigints): what validated vectors are, and what kernels read. */
export type NumberArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/*
 * The %TypedArray%.prototype getters, called directly: they answer only for genuine typed
 * arrays (a Proxy has none of their internals, so the tag is undefined for it), and no own
 * or inherited property can stand in for them.
 */
const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as object;
const intrinsic = <T>(key: PropertyKey): ((this: unknown) => T) =>
  Object.getOwnPropertyDescriptor(typedArrayPrototype, key)?.get as (this: unknown) => T;
const typedArrayTag = intrinsic<string | undefined>(Symbol.toStringTag);
const typedArrayLength = intrinsic<number>('length');
const typedArrayBuffer = intrinsic<ArrayBufferLike>('buffer');
const STANDARD_PROTOTYPES: ReadonlySet<object> = new Set(
  [
    Float64Array,
    Float32Array,
    Int32Array,
    Uint32Array,
    Int16Array,
    Uint16Array,
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
  ].map((T) => T.prototype),
);

/** The largest length a JavaScript array can have. */
const MAX_LENGTH = 2 ** 32 - 1;
const ARRAY_DOMAIN = 'number[], Float64Array or Float32Array';

/**
 * Step one of reading a vector argument: the typed array the computation will read, each
 * element read from `v` once. A plain typed array of numbers is returned as it is: reading it
 * runs none of the caller's code, so it cannot change while we work. Anything else is copied
 * once into a Float64Array, each element checked to be a number as it is read: number[] and
 * other array-likes (whose getters or Proxy traps could answer differently each time), a
 * typed array with its own or a subclass's `length`, one over memory another thread can
 * write. Materialise every argument of a call before checking any with `checkNumbers`: the
 * getters of one argument could otherwise change another that was already checked. `first`,
 * when given, is v[0] as the caller already read it (to tell a vector from rows, say), taken
 * instead of a second read.
 */
export function materialise(
  loss: string | undefined,
  argument: string,
  v: unknown,
  domain: Domain,
  first?: { value: unknown },
): NumberArray {
  if (typeof v !== 'object' || v === null) throw notAnArray(loss, argument, v);
  const tag = typedArrayTag.call(v);
  if (tag !== undefined && tag !== 'BigInt64Array' && tag !== 'BigUint64Array') {
    const a = v as NumberArray;
    if (isPlain(a) && !isShared(typedArrayBuffer.call(a))) return a;
    const n = typedArrayLength.call(a);
    const copy = new Float64Array(n);
    for (let i = 0; i < n; i++) copy[i] = a[i];
    return copy;
  }
  return copyArrayLike(loss, argument, v, domain, first);
}

/** A typed array of a standard class, not a subclass, with no `length` of its own. */
function isPlain(a: NumberArray): boolean {
  return STANDARD_PROTOTYPES.has(Object.getPrototypeOf(a) as object) && !Object.hasOwn(a, 'length');
}

/** A plain Float64Array over a SharedArrayBuffer. */
function isPlainShared(a: Float64Array): boolean {
  return typedArrayTag.call(a) === 'Float64Array' && isPlain(a) && isShared(typedArrayBuffer.call(a));
}

function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer;
}

function copyArrayLike(
  loss: string | undefined,
  argument: string,
  v: object,
  domain: Domain,
  first: { value: unknown } | undefined,
): Float64Array {
  let length: unknown;
  try {
    length = (v as { length?: unknown }).length;
  } catch (e) {
    throw new LossInputError({
      loss,
      argument,
      problem: `could not be read: its length threw ${String(e)}`,
      domain: ARRAY_DOMAIN,
      cause: e,
    });
  }
  if (typeof length !== 'number') throw notAnArray(loss, argument, v);
  if (!Number.isInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new LossInputError({
      loss,
      argument,
      problem: `has length ${length}`,
      domain: `an integer length from 1 to ${MAX_LENGTH}`,
    });
  }
  let copy: Float64Array;
  try {
    copy = new Float64Array(length);
  } catch (e) {
    throw new LossInputError({
      loss,
      argument,
      problem: `has length ${length}, too long to copy`,
      domain: 'an array that fits in memory (a Float64Array is read in place)',
      cause: e,
    });
  }
  const a = v as ArrayLike<unknown>;
  for (let i = 0; i < length; i++) {
    let x: unknown;
    try {
      x = i === 0 && first !== undefined ? first.value : a[i];
    } catch (e) {
      throw new LossInputError({
        loss,
        argument,
        index: i,
        problem: `could not be read: it threw ${String(e)}`,
        domain: describeDomain(domain),
        cause: e,
      });
    }
    if (typeof x !== 'number')
      throw new LossInputError({
        loss,
        argument,
        index: i,
        value: x,
        problem: 'is not a number',
        domain: describeDomain(domain),
      });
    copy[i] = x;
  }
  return copy;
}

function notAnArray(loss: string | undefined, argument: string, v: unknown): LossInputError {
  return new LossInputError({ loss, argument, value: v, problem: 'is not an array of numbers', domain: ARRAY_DOMAIN });
}

/**
 * Step two: throws unless the materialised `a` is non-empty with every element in `domain`;
 * returns its length. Runs none of the caller's code.
 */
export function checkNumbers(loss: string | undefined, argument: string, a: NumberArray, domain: Domain): number {
  const n = a.length;
  if (n === 0) throw new LossInputError({ loss, argument, problem: 'is empty', domain: 'at least one element' });
  const bad = firstOutside(a, n, domain);
  if (bad >= 0) {
    throw new LossInputError({
      loss,
      argument,
      index: bad,
      value: a[bad],
      domain: describeDomain(domain),
      problem: problemOf(a[bad], domain),
    });
  }
  return n;
}

/** A single vector argument, materialised and checked: the array to compute on. */
export function toVector(
  loss: string | undefined,
  argument: string,
  v: unknown,
  domain: Domain,
  first?: { value: unknown },
): NumberArray {
  const a = materialise(loss, argument, v, domain, first);
  checkNumbers(loss, argument, a, domain);
  return a;
}

/**
 * Checks `v` as `toVector` does and returns its length. Prefer `toVector` and compute on what
 * it returns: reading `v` again can meet other values than the ones checked (a Proxy, a getter).
 */
export function checkVector(loss: string | undefined, argument: string, v: unknown, domain: Domain): number {
  return toVector(loss, argument, v, domain).length;
}

/** Index of the first element outside `domain`, or -1. One tight loop per domain. */
function firstOutside(a: NumberArray, n: number, domain: Domain): number {
  switch (domain) {
    case 'real':
      for (let i = 0; i < n; i++) if (!(a[i] - a[i] === 0)) return i;
      return -1;
    case 'sign':
      // y² = 1 holds exactly for ±1 and for no other double (nor NaN); unlike
      // `y !== 1 && y !== -1` it has no data-dependent branch, which random labels mispredict
      // (9 ns vs 1.2 ns per element, bench/risk.bench.ts).
      for (let i = 0; i < n; i++) if (a[i] * a[i] !== 1) return i;
      return -1;
    case 'binary':
    case 'probability':
      for (let i = 0; i < n; i++) if (!(a[i] >= 0 && a[i] <= 1)) return i;
      return -1;
    case 'nonnegative':
      for (let i = 0; i < n; i++) if (!(a[i] >= 0 && a[i] - a[i] === 0)) return i;
      return -1;
  }
}

/** Throws unless the two arrays have the same length. */
export function checkSameLength(
  loss: string | undefined,
  argument: string,
  length: number,
  other: string,
  expected: number,
): void {
  if (length !== expected) {
    throw new LossInputError({
      loss,
      argument,
      problem: `has length ${length} but ${other} has length ${expected}`,
      domain: `length ${expected}`,
    });
  }
}

/**
 * Throws unless `loss` is a Loss that `defineLoss` made (every built-in loss is one): its
 * kernels run unchecked, so a look-alike object, a copy or a Proxy of a loss is refused. A
 * loss from another copy of this package (two versions installed side by side) is refused
 * too: use the `losses` of the copy whose `risk` you call.
 */
export function checkLoss(loss: unknown): asserts loss is Loss {
  if (!isDefinedLoss(loss)) {
    throw new LossInputError({
      argument: 'loss',
      value: loss,
      problem: 'is not a loss',
      domain: 'a Loss object such as losses.hinge, huber(2), or one made with defineLoss',
    });
  }
}

/** Checks materialised `y` and `f` for `loss` and that they pair up; returns n. */
export function checkPair(loss: Loss, y: NumberArray, f: NumberArray): number {
  const n = checkNumbers(loss.id, 'y', y, loss.target);
  const m = checkNumbers(loss.id, 'f', f, loss.prediction);
  checkSameLength(loss.id, 'f', m, 'y', n);
  return n;
}

/**
 * Materialised sample weights: n finite non-negative numbers, not all zero. Returns their
 * sum (compensated, as risk sums). `other` names what fixes n, in the message about a
 * length mismatch.
 */
export function checkWeights(
  loss: string | undefined,
  w: NumberArray,
  n: number,
  argument = 'weights',
  other = 'y',
): number {
  const m = checkNumbers(loss, argument, w, 'nonnegative');
  checkSameLength(loss, argument, m, other, n);
  const total = compensatedSum(w, n);
  if (!(total > 0))
    throw new LossInputError({ loss, argument, problem: 'are all zero', domain: 'at least one positive weight' });
  if (total === Infinity)
    throw new LossInputError({ loss, argument, problem: 'sum to Infinity', domain: 'weights with a finite sum' });
  return total;
}

/** Whether `checkOut(…, out, n)` would accept `out`, without throwing. */
export function isFloat64ArrayOfLength(out: unknown, n: number): boolean {
  return typedArrayTag.call(out) === 'Float64Array' && typedArrayLength.call(out) === n;
}

/**
 * Throws unless `out` is a Float64Array of length n; `other` names what fixes n. Only a
 * genuine one: writing into a Proxy would run the caller's code in the middle of a kernel.
 */
export function checkOut(loss: string | undefined, out: unknown, n: number, other = 'y'): Float64Array {
  if (typedArrayTag.call(out) !== 'Float64Array') {
    throw new LossInputError({
      loss,
      argument: 'out',
      value: out,
      problem: 'is not a Float64Array',
      domain: `a Float64Array of length ${n}`,
    });
  }
  checkSameLength(loss, 'out', typedArrayLength.call(out), other, n);
  return out as Float64Array;
}

/**
 * True when a loop that reads element (or row) i of `input` and then writes the same position
 * of `out` could overwrite input it has not read yet: the two share memory starting at
 * different places, or with different element sizes. `out` being `input` itself is safe.
 */
export function overlapsShifted(out: Float64Array, input: unknown): boolean {
  if (!ArrayBuffer.isView(input) || input.buffer !== out.buffer) return false;
  const start = input.byteOffset;
  const end = start + input.byteLength;
  if (end <= out.byteOffset || out.byteOffset + out.byteLength <= start) return false;
  return !(start === out.byteOffset && (input as Float64Array).BYTES_PER_ELEMENT === 8);
}

/**
 * Throws unless the options argument is an object and not an array (a default `= {}` covers
 * `undefined`; from JavaScript, `null` would otherwise surface as a TypeError on reading a
 * field), and returns a copy of its fields in `keys`, absent ones left out.
 */
export function checkOptions<T extends object>(
  loss: string | undefined,
  opts: T,
  keys: readonly (keyof T & string)[],
  argument = 'opts',
  domain = 'an object such as { reduction, weights }, or nothing',
): Partial<T> {
  // Array.isArray and every field read run the caller's code on a Proxy or a getter: read them
  // once, under the guard, into a copy that the computation reads instead.
  return readGuarded(
    argument,
    () => {
      // An array is an object too, and its fields would read as absent options: refuse it rather
      // than run with the defaults the caller did not ask for.
      if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
        throw new LossInputError({
          loss,
          argument,
          value: opts,
          problem: 'is not an options object',
          domain,
        });
      }
      const copy: Partial<T> = {};
      for (const key of keys) {
        const value = opts[key];
        if (value !== undefined) copy[key] = value;
      }
      return copy;
    },
    undefined,
    loss,
  );
}

/**
 * Accepts a `Matrix` or an array of rows and returns a validated row-major `Matrix`:
 * `readMatrix`, then `checkMatrix`. Throws on ragged rows, no rows or columns, and
 * non-finite entries.
 */
export function toMatrix(X: unknown, argument = 'X', loss?: string): Matrix {
  const M = readMatrix(X, argument, loss);
  checkMatrix(M, argument, loss);
  return M;
}

/**
 * Step one for a matrix argument, as `materialise` is for vectors: its shape, and data that
 * the computation can read without running the caller's code: the caller's own Float64Array
 * when it is a plain one, else a copy (of a Proxy's data, or of an array of rows, each row
 * and entry read once and checked to be a number). The fields of a Matrix are read once.
 */
export function readMatrix(X: unknown, argument = 'X', loss?: string, shared: SharedMatrix = 'copy'): Matrix {
  return readGuarded(argument, () => copyMatrix(X, argument, loss, shared), MATRIX_DOMAIN, loss);
}

/**
 * What `readMatrix` does with a Matrix whose data lies in a SharedArrayBuffer: copy it, as any
 * memory another thread can write, or read it in place. In place is for the fits: a matrix is
 * put in shared memory so that worker threads can read it where it is (linalg/threads.ts),
 * and a private copy would double the memory of a large fit. The caller then promises not to
 * write it while the call runs, as numpy and BLAS ask of their threads.
 */
export type SharedMatrix = 'copy' | 'inPlace';

const MATRIX_DOMAIN = 'number[][] or { rows, cols, data: Float64Array }';

function copyMatrix(X: unknown, argument: string, loss: string | undefined, shared: SharedMatrix): Matrix {
  if (typeof X === 'object' && X !== null && !Array.isArray(X)) {
    const { rows, cols, data: raw } = X as Partial<Matrix>;
    if (typeof rows === 'number' && typeof cols === 'number' && raw instanceof Float64Array) {
      if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
        throw new LossInputError({
          loss,
          argument,
          problem: `has shape ${rows} x ${cols}`,
          domain: 'at least one row and one column',
        });
      }
      // A Float64Array by its prototype chain; materialise copies anything but a plain one.
      const data =
        shared === 'inPlace' && isPlainShared(raw) ? raw : (materialise(loss, argument, raw, 'real') as Float64Array);
      if (data.length !== rows * cols) {
        throw new LossInputError({
          loss,
          argument,
          problem: `has ${data.length} entries for shape ${rows} x ${cols}`,
          domain: `rows * cols = ${rows * cols} entries`,
        });
      }
      return { rows, cols, data };
    }
  }
  if (!Array.isArray(X)) {
    throw new LossInputError({
      loss,
      argument,
      value: X,
      problem: 'is not a matrix',
      domain: MATRIX_DOMAIN,
    });
  }
  const rows = X.length;
  if (rows === 0) throw new LossInputError({ loss, argument, problem: 'has no rows', domain: 'at least one row' });
  let cols = 0;
  let data = new Float64Array(0);
  for (let i = 0; i < rows; i++) {
    const row: unknown = X[i];
    const length = typeof row === 'object' && row !== null ? (row as { length?: unknown }).length : undefined;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > MAX_LENGTH) {
      throw new LossInputError({
        loss,
        argument,
        index: i,
        value: row,
        problem: 'is not a row of numbers',
        domain: 'number[][]',
      });
    }
    if (i === 0) {
      if (length === 0)
        throw new LossInputError({ loss, argument, problem: 'has rows of length 0', domain: 'at least one column' });
      cols = length;
      try {
        data = new Float64Array(rows * cols);
      } catch (e) {
        throw new LossInputError({
          loss,
          argument,
          problem: `has shape ${rows} x ${cols}, too large to copy`,
          domain: 'a matrix that fits in memory',
          cause: e,
        });
      }
    } else if (length !== cols) {
      throw new LossInputError({
        loss,
        argument,
        index: i,
        problem: `is ragged: row ${i} has ${length} entries, row 0 has ${cols}`,
        domain: `rows of length ${cols}`,
      });
    }
    const r = row as ArrayLike<unknown>;
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number')
        throw new LossInputError({
          loss,
          argument,
          index: [i, j],
          value: v,
          domain: describeDomain('real'),
          problem: 'is not a number',
        });
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/**
 * Step two for a matrix from `readMatrix`: throws at the first entry that is not finite, and
 * returns the largest magnitude of an entry (the column scaling of the fits reads it instead
 * of making a pass of its own). One pass finds both: the running maximum of |x| is NaN or
 * Infinity exactly when some entry is not finite (Math.max propagates NaN), and only then is
 * the first such entry looked for.
 */
export function checkMatrix({ cols, data }: Matrix, argument = 'X', loss?: string): number {
  let largest = 0;
  for (let i = 0; i < data.length; i++) largest = Math.max(largest, Math.abs(data[i]));
  if (largest <= Number.MAX_VALUE) return largest;
  const bad = firstOutside(data, data.length, 'real');
  // Read once more, to name it. Only memory that another thread writes (a fit reads an X in
  // shared memory in place) can look different on the second look, and then the error says so.
  const value = bad >= 0 ? data[bad] : undefined;
  if (value !== undefined && !Number.isFinite(value)) {
    throw new LossInputError({
      loss,
      argument,
      index: [Math.floor(bad / cols), bad % cols],
      value,
      domain: describeDomain('real'),
      problem: problemOf(value, 'real'),
    });
  }
  throw new LossInputError({
    loss,
    argument,
    problem: 'changed while it was read (another thread writes it)',
    domain: 'data that nothing writes during the call',
  });
}

/**
 * For an argument read in place through a long call (fitLinear's X and a Float64Array y, which
 * an `onIteration` callback or another thread can write meanwhile): throws, naming the first
 * element now outside `domain`, that it was written during the call. `cols` names a matrix's
 * entries by row and column.
 */
export function checkUnwritten(
  loss: string | undefined,
  argument: string,
  a: NumberArray,
  domain: Domain,
  cols?: number,
): void {
  const bad = firstOutside(a, a.length, domain);
  if (bad < 0) return;
  const value = a[bad];
  throw new LossInputError({
    loss,
    argument,
    index: cols === undefined ? bad : [Math.floor(bad / cols), bad % cols],
    value,
    domain: describeDomain(domain),
    problem: `${problemOf(value, domain)} now: an onIteration callback or another thread wrote it during the fit`,
  });
}

/** Throws unless `v` is a finite number >= 0 (penalties, tolerances, step sizes). */
export function checkNonNegative(loss: string | undefined, argument: string, v: unknown): number {
  return checkScalar(loss, argument, v, 'nonnegative');
}
