/**
 * Losses over a sample: the empirical risk and per-example values and derivatives.
 * Each call reads its inputs once (typed arrays in place, anything else copied into a
 * Float64Array), then runs the loss's own loop on exactly the numbers it read, with the input
 * checks folded into that pass (see src/losses/kernel.ts). Only when the loop reports a value
 * outside its domain do the checks of validate.ts run, which find the first bad index and throw
 * the message a check-first pass would have thrown.
 */
import { LossInputError } from './errors';
import { checkedKernels, isBuiltInLoss } from './losses/brand';
import type { Loss } from './losses/types';
import type { Vec } from './vec';
import {
  checkLoss,
  checkOptions,
  checkOut,
  checkPair,
  checkWeights,
  isFloat64ArrayOfLength,
  materialise,
  overlapsShifted,
  type NumberArray,
} from './validate';

export type Reduction = 'mean' | 'sum';

export interface RiskOptions {
  /** `mean` (default): Σ l / n, or Σ w l / Σ w with weights. `sum`: Σ l, or Σ w l. */
  reduction?: Reduction;
  /** Non-negative sample weights, not all zero. A weight of k counts an example k times. */
  weights?: Vec;
}

/**
 * Empirical risk of predictions `f` for targets `y`:
 * R = (1/n) Σ_i l(y_i, f_i) (the default), Σ_i l(y_i, f_i) with `reduction: 'sum'`,
 * or Σ_i w_i l(y_i, f_i) / Σ_i w_i with weights. The sum and the mean have the same
 * minimisers; the mean is comparable across sample sizes.
 *
 * Summation: Ogita, Rump & Oishi's Sum2, a running sum whose rounding errors are recovered
 * exactly (TwoSum) and added back at the end (`src/losses/summation.ts`). The error is at
 * most u |Σ l_i| + γ_{n-1}² Σ|l_i| (u = 2^-53, γ_k = k u / (1 - k u)): one rounding of the
 * exact sum, plus a term below 1e-18 relative for n up to 10^7, where a plain running sum is
 * only bounded by (n - 1) u Σ l_i. Weights add u Σ w_i l_i for their products; the weight
 * total is summed the same way, and the mean adds one rounding.
 *
 * @example
 * ```ts
 * import { losses, risk } from 'losslab';
 * risk(losses.l2, [1, 2, 3], [1, 2, 5]);                       // 1.3333333333333333
 * risk(losses.l2, [1, 2, 3], [1, 2, 5], { reduction: 'sum' }); // 4
 * risk(losses.l1, [0, 10], [0, 0], { weights: [3, 1] });      // 2.5
 * ```
 */
export function risk(loss: Loss, y: Vec, f: Vec, opts: RiskOptions = {}): number {
  checkLoss(loss);
  // Each option and array is read once, all before any is checked (see `materialise`).
  const { reduction: r, weights } = checkOptions(loss.id, opts, ['reduction', 'weights']);
  const reduction = checkReduction(loss.id, r);
  const ys = materialise(loss.id, 'y', y, loss.target);
  const fs = materialise(loss.id, 'f', f, loss.prediction);
  const ws = weights === undefined ? undefined : materialise(loss.id, 'weights', weights, 'nonnegative');
  const n = ys.length;
  const checked = checkedKernels(loss);
  if (ws === undefined) {
    const s = n > 0 && fs.length === n ? checked.sum(ys, fs, n) : NaN;
    // Not finite: a bad input, or the honest Infinity of a finite input, or a formula's NaN.
    // checkPair throws on the first; past it, the sum is the loss's own.
    if (!(s - s === 0)) checkPair(loss, ys, fs);
    const sum = notNaN(loss, ys, fs, n, s);
    return reduction === 'mean' ? sum / n : sum;
  }
  let s = NaN;
  let total = NaN;
  if (n > 0 && fs.length === n && ws.length === n) {
    s = checked.weightedSum(ys, fs, ws, n, weightTotal);
    total = weightTotal[0];
  }
  if (!(s - s === 0) || !(total > 0) || total === Infinity) {
    // The checks in the order they always ran: y and f, then the weights and their total.
    checkPair(loss, ys, fs);
    checkWeights(loss.id, ws, n);
  }
  const sum = notNaN(loss, ys, fs, n, s);
  return reduction === 'mean' ? sum / total : sum;
}

/** Where the weighted loop leaves Σ w (risk runs synchronously; a formula calling risk again reads its own before this one writes). */
const weightTotal = new Float64Array(1);

/**
 * `sum` itself, unless it is NaN: on checked inputs only a loss's own formula can produce one
 * (a `defineLoss` formula such as 0 · Infinity, or Infinity − Infinity between examples), and
 * the risk must say where rather than return NaN. The diagnostic pass runs only then, so the
 * common path pays one comparison.
 */
function notNaN(loss: Loss, ys: NumberArray, fs: NumberArray, n: number, sum: number): number {
  if (!Number.isNaN(sum)) return sum;
  const each = new Float64Array(n);
  loss.kernels.values(ys, fs, each, n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(each[i])) {
      throw new LossInputError({
        loss: loss.id,
        argument: 'loss',
        problem: `has a formula that gives NaN at example ${i} (y = ${ys[i]}, f = ${fs[i]})`,
        domain: 'a loss defined at every admissible (y, f)',
      });
    }
  }
  throw new LossInputError({
    loss: loss.id,
    argument: 'loss',
    problem: 'gives losses of +Infinity and -Infinity on the same sample, whose sum is undefined',
    domain: 'a loss bounded below',
  });
}

/**
 * Per-example losses l(y_i, f_i). Fills and returns `out` when given (no allocation when y
 * and f are typed arrays; a number[] is copied once). `out` may be y or f itself.
 *
 * @example
 * ```ts
 * import { losses, values } from 'losslab';
 * values(losses.hinge, [1, -1], [0.5, 0.5]); // Float64Array [0.5, 1.5]
 * ```
 */
export function values(loss: Loss, y: Vec, f: Vec, out?: Float64Array): Float64Array {
  return perExample('values', loss, y, f, out);
}

/**
 * Per-example derivatives ∂l/∂f_i (unweighted, unreduced). Fills and returns `out` when given.
 *
 * @example
 * ```ts
 * import { losses, derivatives } from 'losslab';
 * derivatives(losses.l2, [1, 2], [0, 4]); // Float64Array [-2, 4]
 * ```
 */
export function derivatives(loss: Loss, y: Vec, f: Vec, out?: Float64Array): Float64Array {
  return perExample('derivatives', loss, y, f, out);
}

/**
 * Per-example second derivatives ∂²l/∂f_i² (zero where a piecewise-linear loss has none).
 *
 * @example
 * ```ts
 * import { losses, secondDerivatives } from 'losslab';
 * secondDerivatives(losses.crossEntropyWithLogits, [1], [0]); // Float64Array [0.25]
 * ```
 */
export function secondDerivatives(loss: Loss, y: Vec, f: Vec, out?: Float64Array): Float64Array {
  return perExample('secondDerivatives', loss, y, f, out);
}

/**
 * Fills `out` (or a fresh array) with one of the loss's per-example loops, its input checks
 * folded in; throws as validate.ts's checks do when an input is bad (`out` may have been
 * written by then). `out` may be `y` or `f` itself (element i is read before it is written):
 * then, and when it shares their memory in any other way, the inputs are checked first, since
 * the loop would overwrite what the checks must read; an input overlapping `out` at another
 * position is copied.
 */
function perExample(
  kernel: 'values' | 'derivatives' | 'secondDerivatives',
  loss: Loss,
  y: Vec,
  f: Vec,
  out: Float64Array | undefined,
): Float64Array {
  checkLoss(loss);
  let ys = materialise(loss.id, 'y', y, loss.target);
  let fs = materialise(loss.id, 'f', f, loss.prediction);
  const n = ys.length;
  // Problems with y and f are reported before problems with out, as they always were.
  if (n === 0 || fs.length !== n || (out !== undefined && !isFloat64ArrayOfLength(out, n))) checkPair(loss, ys, fs);
  const result = out === undefined ? new Float64Array(n) : checkOut(loss.id, out, n);
  if (sharesMemory(result, ys) || sharesMemory(result, fs)) {
    checkPair(loss, ys, fs);
    if (overlapsShifted(result, ys)) ys = ys.slice();
    if (overlapsShifted(result, fs)) fs = fs.slice();
    loss.kernels[kernel](ys, fs, result, n);
  } else if (!checkedKernels(loss)[kernel](ys, fs, result, n)) {
    checkPair(loss, ys, fs);
  }
  if (!isBuiltInLoss(loss)) {
    // Users' formulas may give NaN; the package's own never do on checked inputs, so only
    // theirs pay for this pass.
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(result[i])) {
        const what = kernel === 'values' ? 'formula' : kernel === 'derivatives' ? 'derivative' : 'second derivative';
        throw new LossInputError({
          loss: loss.id,
          argument: 'loss',
          problem: `has a ${what} that gives NaN at example ${i} (y = ${ys[i]}, f = ${fs[i]})`,
          domain: 'a loss defined at every admissible (y, f)',
        });
      }
    }
  }
  return result;
}

function sharesMemory(out: Float64Array, input: NumberArray): boolean {
  return ArrayBuffer.isView(input) && input.buffer === out.buffer;
}

function checkReduction(loss: string, reduction: unknown): Reduction {
  if (reduction === undefined) return 'mean';
  if (reduction === 'mean' || reduction === 'sum') return reduction;
  throw new LossInputError({
    loss,
    argument: 'reduction',
    value: reduction,
    problem: 'is not a reduction',
    domain: "'mean' or 'sum'",
  });
}
