/**
 * Input checks shared by every public entry point, so that each problem is reported once,
 * in one wording: the loss, the argument, the first offending index and value, and what
 * would have been accepted. Checks run once per call; the kernels they guard never check.
 */
import { LossInputError } from './errors';
import type { Loss, PredictionDomain, TargetDomain, Vec } from './losses/types';
import { compensatedSum } from './losses/summation';
import { isMatrix, type Matrix } from './matrix';

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
    throw new LossInputError({ loss, argument, value: v, domain: describeDomain(domain), problem: problemOf(v, domain) });
  }
  return v;
}

/** Throws unless `v` is a non-empty array-like of numbers in `domain`; returns its length. */
export function checkVector(loss: string | undefined, argument: string, v: unknown, domain: Domain): number {
  if (typeof v !== 'object' || v === null || typeof (v as Vec).length !== 'number') {
    throw new LossInputError({ loss, argument, value: v, problem: 'is not an array of numbers', domain: 'number[], Float64Array or Float32Array' });
  }
  const a = v as Vec;
  const n = a.length;
  if (n === 0) throw new LossInputError({ loss, argument, problem: 'is empty', domain: 'at least one element' });
  const bad = firstOutside(a, n, domain);
  if (bad >= 0) {
    throw new LossInputError({ loss, argument, index: bad, value: a[bad], domain: describeDomain(domain), problem: problemOf(a[bad], domain) });
  }
  return n;
}

/** Index of the first element outside `domain`, or -1. One tight loop per domain. */
function firstOutside(a: Vec, n: number, domain: Domain): number {
  // Typed arrays hold numbers by construction; plain arrays may hold strings that the
  // arithmetic checks below would coerce ('3' - '3' === 0), so look at their types first.
  if (!ArrayBuffer.isView(a)) {
    for (let i = 0; i < n; i++) if (typeof a[i] !== 'number') return i;
  }
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
export function checkSameLength(loss: string | undefined, argument: string, length: number, other: string, expected: number): void {
  if (length !== expected) {
    throw new LossInputError({
      loss, argument, problem: `has length ${length} but ${other} has length ${expected}`, domain: `length ${expected}`,
    });
  }
}

/** Throws unless `loss` is a Loss built by `defineLoss` (it carries the kernels risk runs on). */
export function checkLoss(loss: unknown): asserts loss is Loss {
  const l = loss as Partial<Loss> | null;
  if (typeof l !== 'object' || l === null || typeof l.id !== 'string' || typeof l.kernels !== 'object' || l.kernels === null) {
    throw new LossInputError({
      argument: 'loss', value: loss, problem: 'is not a loss',
      domain: 'a Loss object such as losses.hinge, huber(2), or one made with defineLoss',
    });
  }
}

/** Validates `y` and `f` for `loss` and that they pair up; returns n. */
export function checkPair(loss: Loss, y: unknown, f: unknown): number {
  const n = checkVector(loss.id, 'y', y, loss.target);
  const m = checkVector(loss.id, 'f', f, loss.prediction);
  checkSameLength(loss.id, 'f', m, 'y', n);
  return n;
}

/**
 * Sample weights: n finite non-negative numbers, not all zero. Returns their sum. `other`
 * names what fixes n, in the message about a length mismatch.
 */
export function checkWeights(loss: string | undefined, weights: unknown, n: number, argument = 'weights', other = 'y'): number {
  const m = checkVector(loss, argument, weights, 'nonnegative');
  checkSameLength(loss, argument, m, other, n);
  const w = weights as Vec;
  const total = compensatedSum(w, n);
  if (!(total > 0)) throw new LossInputError({ loss, argument, problem: 'are all zero', domain: 'at least one positive weight' });
  if (total === Infinity) throw new LossInputError({ loss, argument, problem: 'sum to Infinity', domain: 'weights with a finite sum' });
  return total;
}

/** Throws unless `out` is a Float64Array of length n; `other` names what fixes n. */
export function checkOut(loss: string | undefined, out: unknown, n: number, other = 'y'): Float64Array {
  if (!(out instanceof Float64Array)) {
    throw new LossInputError({ loss, argument: 'out', value: out, problem: 'is not a Float64Array', domain: `a Float64Array of length ${n}` });
  }
  checkSameLength(loss, 'out', out.length, other, n);
  return out;
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
 * Throws unless the options argument is an object (a default `= {}` covers `undefined`;
 * from JavaScript, `null` would otherwise surface as a TypeError on reading a field).
 */
export function checkOptions(loss: string | undefined, opts: unknown, argument = 'opts'): void {
  if (typeof opts !== 'object' || opts === null) {
    throw new LossInputError({ loss, argument, value: opts, problem: 'is not an options object', domain: 'an object such as { reduction, weights }, or nothing' });
  }
}

/**
 * Accepts a `Matrix` or an array of rows and returns a validated row-major `Matrix`
 * (the same object when it already is one). Throws on ragged rows, no rows or columns,
 * and non-finite entries.
 */
export function toMatrix(X: unknown, argument = 'X', loss?: string): Matrix {
  if (isMatrix(X)) {
    const { rows, cols, data } = X;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
      throw new LossInputError({ loss, argument, problem: `has shape ${rows} x ${cols}`, domain: 'at least one row and one column' });
    }
    if (data.length !== rows * cols) {
      throw new LossInputError({ loss, argument, problem: `has ${data.length} entries for shape ${rows} x ${cols}`, domain: `rows * cols = ${rows * cols} entries` });
    }
    const bad = firstOutside(data, data.length, 'real');
    if (bad >= 0) {
      const at = [Math.floor(bad / cols), bad % cols] as const;
      throw new LossInputError({ loss, argument, index: at, value: data[bad], domain: describeDomain('real'), problem: problemOf(data[bad], 'real') });
    }
    return X;
  }
  if (!Array.isArray(X)) {
    throw new LossInputError({ loss, argument, value: X, problem: 'is not a matrix', domain: 'number[][] or { rows, cols, data: Float64Array }' });
  }
  const rows = X.length;
  if (rows === 0) throw new LossInputError({ loss, argument, problem: 'has no rows', domain: 'at least one row' });
  const first: unknown = X[0];
  if (typeof first !== 'object' || first === null || typeof (first as Vec).length !== 'number') {
    throw new LossInputError({ loss, argument, index: 0, value: first, problem: 'is not a row of numbers', domain: 'number[][]' });
  }
  const cols = (first as Vec).length;
  if (cols === 0) throw new LossInputError({ loss, argument, problem: 'has rows of length 0', domain: 'at least one column' });
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row: unknown = X[i];
    if (typeof row !== 'object' || row === null || typeof (row as Vec).length !== 'number') {
      throw new LossInputError({ loss, argument, index: i, value: row, problem: 'is not a row of numbers', domain: 'number[][]' });
    }
    const r = row as Vec;
    if (r.length !== cols) {
      throw new LossInputError({ loss, argument, index: i, problem: `is ragged: row ${i} has ${r.length} entries, row 0 has ${cols}`, domain: `rows of length ${cols}` });
    }
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !(v - v === 0)) {
        throw new LossInputError({ loss, argument, index: [i, j], value: v, domain: describeDomain('real'), problem: problemOf(v, 'real') });
      }
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/** Throws unless `v` is a finite number >= 0 (penalties, tolerances, step sizes). */
export function checkNonNegative(loss: string | undefined, argument: string, v: unknown): number {
  return checkScalar(loss, argument, v, 'nonnegative');
}
