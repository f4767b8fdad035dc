import type { Matrix } from '../matrix';

/**
 * 2^-k for the power of two 2^k at or above `largest` (1 for 0): multiplying by it puts
 * values in [-1, 1] without rounding anything, so squares cannot overflow or underflow and
 * the scaling can be undone exactly.
 */
export function powerOfTwoScale(largest: number): number {
  return largest === 0 ? 1 : 2 ** -Math.ceil(Math.log2(largest));
}

/**
 * In one pass over X: the column means (zeros when `centre` is false) and, per column, the
 * power-of-two scale that puts the centred values in [-1, 1] (from each column's extremes);
 * `finite` says whether every difference x_ij − mean_j is finite (no column spans more than
 * the largest double), so that it can be taken as it is.
 */
export function centreAndScale(
  X: Matrix,
  centre: boolean,
): { means: Float64Array; scales: Float64Array; finite: boolean } {
  const { rows: n, cols: d, data } = X;
  const sums = new Float64Array(d);
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    for (let j = 0; j < d; j++) {
      const v = data[base + j];
      sums[j] += v;
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  const means = new Float64Array(d);
  const scales = new Float64Array(d);
  let finite = true;
  for (let j = 0; j < d; j++) {
    if (centre) means[j] = Number.isFinite(sums[j]) ? sums[j] / n : columnMean(data, n, d, j);
    scales[j] = spreadScale(hi[j], means[j], lo[j]);
    finite &&= Number.isFinite(hi[j] - means[j]) && Number.isFinite(means[j] - lo[j]);
  }
  return { means, scales, finite };
}

/** Σᵢ X_ij / n term by term, for a column whose plain sum overflows. */
function columnMean(data: Float64Array, n: number, d: number, j: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += data[i * d + j] / n;
  return s;
}

/**
 * powerOfTwoScale(max(hi − centre, centre − lo)), also when those differences overflow
 * (values of both signs near the largest double): then on the halves, which are exact.
 */
export function spreadScale(hi: number, centre: number, lo: number): number {
  const spread = Math.max(hi - centre, centre - lo);
  if (Number.isFinite(spread)) return powerOfTwoScale(spread);
  return powerOfTwoScale(Math.max(hi / 2 - centre / 2, centre / 2 - lo / 2)) / 2;
}

/**
 * (a − b) · scale for a power of two `scale`, also when a − b overflows: then a · scale −
 * b · scale, which is the same number whenever neither product leaves the normal range.
 */
export function scaledDifference(a: number, b: number, scale: number): number {
  const difference = a - b;
  return Number.isFinite(difference) ? difference * scale : a * scale - b * scale;
}

/**
 * Σ vᵢ / n, the vᵢ multiplied by the power of two that puts the largest in [−1, 1] first:
 * exact unless a value becomes subnormal (then it is below eps times the largest and does not
 * count), so the result equals the plain mean when that does not overflow, and is finite
 * whenever the mean is. An infinite entry gives Infinity (for the non-negative values of a
 * loss, whose mean is then beyond the largest double too).
 */
export function scaledMean(v: ArrayLike<number>, n: number): number {
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(v[i]));
  if (largest === Infinity) return Infinity;
  const scale = powerOfTwoScale(largest);
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i] * scale;
  return s / n / scale;
}
