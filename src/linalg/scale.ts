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
 * power-of-two scale that puts the centred values in [-1, 1] (from each column's extremes).
 */
export function centreAndScale(X: Matrix, centre: boolean): { means: Float64Array; scales: Float64Array } {
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
  for (let j = 0; j < d; j++) {
    if (centre) means[j] = sums[j] / n;
    scales[j] = powerOfTwoScale(Math.max(hi[j] - means[j], means[j] - lo[j]));
  }
  return { means, scales };
}
