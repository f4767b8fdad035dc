/**
 * Exact empirical risk minimisation of the 0–1 loss over 1-D threshold classifiers
 * h(x) = direction · sign(x − threshold): the one hypothesis class of the ERM chapter where
 * minimising the 0–1 loss itself is easy.
 */
import type { Vec } from '../vec';
import { checkSameLength, checkVector, materialise } from '../validate';

export interface ThresholdClassifier {
  /** Predict +direction above it, −direction below it; ±Infinity for a constant classifier. */
  threshold: number;
  direction: 1 | -1;
  /** Training 0–1 risk: the share of misclassified examples. */
  risk: number;
  /** Number of misclassified training examples. */
  mistakes: number;
  /**
   * Every candidate threshold (−Infinity, the midpoints between consecutive distinct x, +Infinity)
   * with the training risk of direction +1 there; direction −1 has risk 1 − that, since it flips
   * every prediction and no training point sits on a threshold.
   */
  candidates: { thresholds: Float64Array; risks: Float64Array };
  /** Scores direction · (x − threshold) (their sign is the predicted label) for new points. */
  predict(x: Vec): Float64Array;
}

/**
 * Minimises the 0–1 training risk over all thresholds and both directions by sorting x and
 * scanning the n + 1 places a threshold can fall: O(n log n), exact. Thresholds sit halfway
 * between consecutive distinct x values so that no training point lies on one (where the
 * 0–1 loss, counting y f <= 0 as a mistake, would call every prediction wrong). Ties in
 * risk go to the smallest threshold, direction +1 first.
 *
 * @example
 * ```ts
 * import { fitThreshold } from 'losslab';
 * const h = fitThreshold([1, 2, 3, 4, 5], [-1, -1, 1, -1, 1]);
 * h.threshold;                   // 2.5
 * h.direction;                   // 1
 * h.mistakes;                    // 1
 * Array.from(h.predict([0, 10])); // [-2.5,7.5]
 * ```
 */
export function fitThreshold(xs: Vec, ys: Vec): ThresholdClassifier {
  // Each element read once, then checked: the sort and the counts see what was checked.
  const x = materialise('zeroOne', 'x', xs, 'real');
  const y = materialise('zeroOne', 'y', ys, 'sign');
  const n = checkVector('zeroOne', 'x', x, 'real');
  const m = checkVector('zeroOne', 'y', y, 'sign');
  checkSameLength('zeroOne', 'y', m, 'x', n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) positives++;
  // Direction +1 with everything above the threshold: the negatives are the mistakes.
  let mistakes = n - positives;
  const thresholds: number[] = [-Infinity];
  const risks: number[] = [mistakes / n];
  let best = { threshold: -Infinity, direction: 1 as 1 | -1, mistakes: Math.min(mistakes, n - mistakes) };
  if (n - mistakes < mistakes) best.direction = -1;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    // Moving x_i below the threshold: it is now predicted −1.
    mistakes += y[i] > 0 ? 1 : -1;
    const next = k + 1 < n ? x[order[k + 1]] : Infinity;
    if (next === x[i]) continue;
    const threshold = next === Infinity ? Infinity : x[i] + (next - x[i]) / 2;
    thresholds.push(threshold);
    risks.push(mistakes / n);
    if (mistakes < best.mistakes) best = { threshold, direction: 1, mistakes };
    if (n - mistakes < best.mistakes) best = { threshold, direction: -1, mistakes: n - mistakes };
  }
  const { threshold, direction } = best;
  return {
    threshold,
    direction,
    risk: best.mistakes / n,
    mistakes: best.mistakes,
    candidates: { thresholds: Float64Array.from(thresholds), risks: Float64Array.from(risks) },
    predict(given: Vec): Float64Array {
      const points = materialise('zeroOne', 'x', given, 'real');
      const count = checkVector('zeroOne', 'x', points, 'real');
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = constantOrScore(direction, points[i], threshold);
      return out;
    },
  };
}

/** direction · (x − threshold), written so an infinite threshold gives ±1 instead of ±Infinity − ±Infinity. */
function constantOrScore(direction: 1 | -1, x: number, threshold: number): number {
  if (threshold === -Infinity) return direction;
  if (threshold === Infinity) return -direction;
  return direction * (x - threshold);
}
