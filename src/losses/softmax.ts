/**
 * Multi-class cross-entropy on logits: for K classes, scores z ∈ R^K and a target
 * distribution t over the classes (a class index k means t = e_k),
 *   l(t, z) = -Σ_k t_k ln softmax(z)_k = logsumexp(z) - Σ_k t_k z_k.
 * This is the loss deep networks are trained with.
 *
 * Evaluated with the max shift: with M = max_j z_j and S = Σ_{j ≠ argmax} e^{z_j - M},
 * ln softmax(z)_k = (z_k - M) - log1p(S), so no exponential overflows and the loss of a
 * confident correct prediction keeps its relative precision. Gradient: softmax(z) - t.
 * Source: Goodfellow, Bengio & Courville, *Deep Learning* (2016), §6.2.2.3 and §4.1.
 */
import { LossInputError, readGuarded } from '../errors';
import {
  checkMatrix,
  checkOptions,
  checkOut,
  checkWeights,
  describeDomain,
  materialise,
  overlapsShifted,
  readMatrix,
  toMatrix,
  type NumberArray,
} from '../validate';
import { uncheckedSigmoidMinus } from './stable';
import { compensatedSum, compensatedWeightedSum } from './summation';
import type { Matrix, MatrixLike } from '../matrix';
import type { Vec } from '../vec';

const ID = 'softmaxCrossEntropy';

/** Class indices (integers in [0, K)) or a matrix of target distributions (rows in the simplex). */
export type SoftmaxTargets = Vec | MatrixLike;

export interface SoftmaxRiskOptions {
  reduction?: 'mean' | 'sum';
  weights?: Vec;
}

interface Prepared {
  z: Matrix;
  /** Class index per row (empty when `t` holds target rows). */
  labels: Int32Array;
  t: Matrix | null;
  /** Sample weights, read but not yet checked, when some were given. */
  w: NumberArray | undefined;
}

const SIMPLEX_TOLERANCE = 1e-9;

/**
 * Reads the logits, the labels and the weights once each, all before checking any: a getter
 * of one could otherwise change another already checked (see `materialise` in validate.ts).
 */
function prepare(targets: unknown, logits: unknown, weights?: unknown): Prepared {
  const z = readMatrix(logits, 'logits', ID);
  const n = z.rows;
  const K = z.cols;
  // Telling rows from indices, and copying indices, runs the caller's code on a Proxy or getter.
  // The first element, read to tell them apart, is the one the indices start with: read once.
  const shape = readGuarded(
    'labels',
    () => {
      if (!Array.isArray(targets)) {
        return { rows: typeof targets === 'object' && targets !== null && 'rows' in targets, first: undefined };
      }
      const first: unknown = targets[0];
      return { rows: typeof first === 'object' && first !== null, first: { value: first } };
    },
    undefined,
    ID,
  );
  const t = shape.rows ? readMatrix(targets, 'labels', ID) : null;
  const labels =
    t === null
      ? readGuarded('labels', () => classIndices(targets, n, K, shape.first), undefined, ID)
      : new Int32Array(0);
  const w = weights === undefined ? undefined : materialise(ID, 'weights', weights, 'nonnegative');
  checkMatrix(z, 'logits', ID);
  if (t !== null) checkTargetRows(t, n, K);
  return { z, labels, t, w };
}

/** Class indices, copied as they are checked: integers in [0, K), one per row (the first already read, when given). */
function classIndices(targets: unknown, n: number, K: number, first?: { value: unknown }): Int32Array {
  if (typeof targets !== 'object' || targets === null || typeof (targets as Vec).length !== 'number') {
    throw new LossInputError({
      loss: ID,
      argument: 'labels',
      value: targets,
      problem: 'is neither class indices nor target rows',
      domain: `integers in [0, ${K}) or an n x ${K} matrix`,
    });
  }
  const y = targets as Vec;
  const length = y.length;
  if (length !== n) {
    throw new LossInputError({
      loss: ID,
      argument: 'labels',
      problem: `has length ${length} but logits has ${n} rows`,
      domain: `length ${n}`,
    });
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k: unknown = i === 0 && first !== undefined ? first.value : y[i];
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= K) {
      throw new LossInputError({
        loss: ID,
        argument: 'labels',
        index: i,
        value: k,
        problem: 'is not a class index',
        domain: `integers in [0, ${K})`,
      });
    }
    labels[i] = k;
  }
  return labels;
}

/** Target rows: the logits' shape, finite entries in [0, 1], each row summing to 1. */
function checkTargetRows(t: Matrix, n: number, K: number): void {
  if (t.rows !== n || t.cols !== K) {
    throw new LossInputError({
      loss: ID,
      argument: 'labels',
      problem: `has shape ${t.rows} x ${t.cols} but logits has shape ${n} x ${K}`,
      domain: `shape ${n} x ${K}`,
    });
  }
  checkMatrix(t, 'labels', ID);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let k = 0; k < K; k++) {
      const v = t.data[i * K + k];
      if (v < 0 || v > 1) {
        throw new LossInputError({
          loss: ID,
          argument: 'labels',
          index: [i, k],
          value: v,
          problem: 'is outside the domain',
          domain: describeDomain('probability'),
        });
      }
      total += v;
    }
    if (Math.abs(total - 1) > SIMPLEX_TOLERANCE) {
      throw new LossInputError({
        loss: ID,
        argument: 'labels',
        index: i,
        value: total,
        problem: 'is a row that does not sum to 1',
        domain: `rows summing to 1 (±${SIMPLEX_TOLERANCE})`,
      });
    }
  }
}

/** Per-row losses into `out` (validated inputs). */
function rowLosses(p: Prepared, out: Float64Array): void {
  const { z, labels, t } = p;
  const K = z.cols;
  const d = z.data;
  for (let i = 0; i < z.rows; i++) {
    const base = i * K;
    let top = 0;
    for (let k = 1; k < K; k++) if (d[base + k] > d[base + top]) top = k;
    const M = d[base + top];
    let others = 0;
    for (let k = 0; k < K; k++) if (k !== top) others += Math.exp(d[base + k] - M);
    const logNormaliser = Math.log1p(others);
    if (t === null) {
      out[i] = M - d[base + labels[i]] + logNormaliser;
    } else {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const tk = t.data[base + k];
        if (tk !== 0) s += tk * (M - d[base + k] + logNormaliser);
      }
      out[i] = s;
    }
  }
}

/**
 * Per-example softmax cross-entropy losses.
 *
 * @example
 * ```ts
 * import { softmaxCrossEntropyValues } from 'losslab';
 * softmaxCrossEntropyValues([0, 2], [[2, 1, 0], [0, 0, 0]]); // Float64Array [0.4076059644443803, 1.0986122886681096]
 * ```
 */
export function softmaxCrossEntropyValues(
  labels: SoftmaxTargets,
  logits: MatrixLike,
  out?: Float64Array,
): Float64Array {
  const p = prepare(labels, logits);
  // Row i's loss lands at or before row i's first logit when out starts where the logits do.
  return fill(ID, out, p.z.rows, 'the rows of logits', [p.z.data, p.t?.data], (target) => rowLosses(p, target));
}

/**
 * Mean (or summed, or weighted-mean) softmax cross-entropy over a sample of n rows of K
 * logits. `labels` are class indices in [0, K) or rows of target probabilities.
 *
 * @example
 * ```ts
 * import { softmaxCrossEntropy } from 'losslab';
 * softmaxCrossEntropy([0, 1], [[3, 0], [0, 3]]); // 0.04858735157374206 (= ln(1 + e^-3))
 * softmaxCrossEntropy([[0.5, 0.5]], [[0, 0]]);   // 0.6931471805599453
 * ```
 */
export function softmaxCrossEntropy(labels: SoftmaxTargets, logits: MatrixLike, opts: SoftmaxRiskOptions = {}): number {
  const { reduction = 'mean', weights } = checkOptions(ID, opts, ['reduction', 'weights']);
  if (reduction !== 'mean' && reduction !== 'sum') {
    throw new LossInputError({
      loss: ID,
      argument: 'reduction',
      value: reduction,
      problem: 'is not a reduction',
      domain: "'mean' or 'sum'",
    });
  }
  const p = prepare(labels, logits, weights);
  const n = p.z.rows;
  const per = new Float64Array(n);
  rowLosses(p, per);
  if (p.w === undefined) {
    const s = compensatedSum(per, n);
    return reduction === 'mean' ? s / n : s;
  }
  const total = checkWeights(ID, p.w, n, 'weights', 'the rows of logits');
  const s = compensatedWeightedSum(p.w, per, n);
  return reduction === 'mean' ? s / total : s;
}

/**
 * Gradient of each row's loss with respect to its logits: softmax(z_i) - t_i, as an n x K
 * row-major Float64Array. `out` may be the data of `logits` or of the target rows (each row
 * is read whole before it is written), or overlap them anywhere else (then the result is
 * computed aside first).
 *
 * K = 2 is the binary case on the logit difference w = z_k - z_j: p_k - t_k is
 * `uncheckedSigmoidMinus(w, t_k)`, exact relative to itself near a tie with t = 1/2, where
 * p_k itself rounds to 1/2. Error <= (7 + Δ) u (|g_k| + d(t_k)), Δ = |w|, d as in stable.ts.
 *
 * K >= 3: p_j = e^{z_j - M} / Σ e^{z_l - M} is good to (K + 4 + 2Δ) u, Δ = max_j |z_j - M|.
 * For the class a row is confident about (its label, or t_k > 1/2), p_k - t_k is computed as
 * (1 - t_k) - Σ_{j≠k} p_j, since p_k - 1 would round to 0 for p_k near 1 (logits [40, 0, 0]
 * and class 0 give -8.5e-18, not 0); for the others as p_k - t_k. Error
 * <= (2K + 4 + 2Δ) u (|g_k| + m_k) with m_k = 1 - t_k for the confident class and t_k for the
 * others: relative for class labels, and for soft labels an absolute floor where p_k ≈ t_k
 * (no reference point like the binary 1/2 exists for K classes).
 *
 * @example
 * ```ts
 * import { softmaxCrossEntropyGradient } from 'losslab';
 * softmaxCrossEntropyGradient([1], [[0, 0]]); // Float64Array [0.5, -0.5]
 * ```
 */
export function softmaxCrossEntropyGradient(
  labels: SoftmaxTargets,
  logits: MatrixLike,
  out?: Float64Array,
): Float64Array {
  const p = prepare(labels, logits);
  return fill(ID, out, p.z.rows * p.z.cols, 'logits (rows × columns)', [p.z.data, p.t?.data], (target) =>
    gradientRows(p, target),
  );
}

/** softmax(z_i) - t_i row by row, each row read completely before its gradient is written. */
function gradientRows({ z, labels, t }: Prepared, out: Float64Array): void {
  const K = z.cols;
  const d = z.data;
  if (K === 2) {
    for (let i = 0; i < z.rows; i++) {
      const z0 = d[2 * i];
      const z1 = d[2 * i + 1];
      const t0 = t === null ? 1 - labels[i] : t.data[2 * i];
      const t1 = t === null ? labels[i] : t.data[2 * i + 1];
      out[2 * i] = uncheckedSigmoidMinus(z0 - z1, t0);
      out[2 * i + 1] = uncheckedSigmoidMinus(z1 - z0, t1);
    }
    return;
  }
  const p = new Float64Array(K);
  for (let i = 0; i < z.rows; i++) {
    const base = i * K;
    let M = d[base];
    for (let k = 1; k < K; k++) if (d[base + k] > M) M = d[base + k];
    let total = 0;
    for (let k = 0; k < K; k++) {
      p[k] = Math.exp(d[base + k] - M);
      total += p[k];
    }
    let confident = t === null ? labels[i] : -1;
    if (t !== null) {
      for (let k = 0; k < K; k++) {
        if (t.data[base + k] > 0.5) {
          confident = k;
          break;
        }
      }
    }
    let others = 0;
    for (let k = 0; k < K; k++) {
      p[k] /= total;
      if (k !== confident) others += p[k];
    }
    for (let k = 0; k < K; k++) {
      const tk = t === null ? +(k === confident) : t.data[base + k];
      out[base + k] = k === confident ? 1 - tk - others : p[k] - tk;
    }
  }
}

function softmaxRows(z: Matrix, out: Float64Array): void {
  const K = z.cols;
  const d = z.data;
  for (let i = 0; i < z.rows; i++) {
    const base = i * K;
    let M = d[base];
    for (let k = 1; k < K; k++) if (d[base + k] > M) M = d[base + k];
    let s = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(d[base + k] - M);
      out[base + k] = e;
      s += e;
    }
    for (let k = 0; k < K; k++) out[base + k] /= s;
  }
}

/**
 * Row-wise softmax of an n x K matrix of logits, with the max shift (never overflows).
 *
 * @example
 * ```ts
 * import { softmax } from 'losslab';
 * softmax([[2, 2], [0, 1e4]]); // Float64Array [0.5, 0.5, 0, 1]
 * ```
 */
export function softmax(logits: MatrixLike, out?: Float64Array): Float64Array {
  const z = toMatrix(logits, 'logits', 'softmax');
  // softmaxRows reads each logit before writing its own position: out = logits is safe.
  return fill('softmax', out, z.rows * z.cols, 'logits (rows × columns)', [z.data], (target) => softmaxRows(z, target));
}

/**
 * Runs `compute` into `out` (checked to be a Float64Array of `size`), or into a fresh array.
 * When out shares memory with an input at another position, the result is computed aside
 * and copied: writing in place would overwrite rows not yet read.
 */
function fill(
  loss: string,
  out: Float64Array | undefined,
  size: number,
  other: string,
  inputs: ReadonlyArray<Float64Array | undefined>,
  compute: (target: Float64Array) => void,
): Float64Array {
  if (out === undefined) {
    const result = new Float64Array(size);
    compute(result);
    return result;
  }
  const result = checkOut(loss, out, size, other);
  if (inputs.some((input) => input !== undefined && overlapsShifted(result, input))) {
    const aside = new Float64Array(size);
    compute(aside);
    result.set(aside);
  } else {
    compute(result);
  }
  return result;
}
