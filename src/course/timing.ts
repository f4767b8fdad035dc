/**
 * Wall-clock timing for the cost claims. A timing is a noisy measurement: the median of several
 * runs, with the spread beside it, and shown through `showTimed` so the determinism test skips it.
 */
import { LossInputError } from '../errors';
import { median } from './stats';

export interface Timing {
  /** Median of the runs, in milliseconds. */
  median: number;
  /** Fastest and slowest run, in milliseconds. */
  fastest: number;
  slowest: number;
  runs: number;
}

/**
 * Runs `work` once to warm up, then `runs` more times (default 7), and reports the median time.
 *
 * @example
 * ```ts
 * import { time } from 'losslab/course';
 * const t = time(() => Math.sqrt(2), 3);
 * t.runs; // 3
 * ```
 */
export function time(work: () => unknown, runs = 7): Timing {
  if (typeof work !== 'function')
    throw new LossInputError({ argument: 'work', value: work, problem: 'is not a function', domain: '() => unknown' });
  if (!Number.isInteger(runs) || runs < 1 || runs > 1000)
    throw new LossInputError({
      argument: 'runs',
      value: runs,
      problem: 'is not a usable number of runs',
      domain: 'an integer in [1, 1000]',
    });
  work();
  const times = new Float64Array(runs);
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    work();
    times[r] = performance.now() - start;
  }
  return { median: median(times), fastest: Math.min(...times), slowest: Math.max(...times), runs };
}
