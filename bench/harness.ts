/**
 * What every benchmark here shares: a deterministic uniform stream for inputs (so a bench
 * does not depend on the data module it may be measuring) and timers over repeated runs.
 */
import { recordSection, textTable } from './targets-table';

/** Uniform numbers in (0, 1) from a 32-bit LCG (Numerical Recipes' constants), seeded. */
export function uniformStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
}

/** Median milliseconds of `reps` timed runs after `warmups` untimed ones (JIT, caches). */
export function medianMs(run: () => unknown, reps: number, warmups = 1): number {
  for (let w = 0; w < warmups; w++) run();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(reps / 2)];
}

/** Fastest of `reps` timed runs after one warm-up: on a shared machine the minimum is the stable estimate. */
export function fastestMs(run: () => unknown, reps: number): number {
  run();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
}

/** Timings of repeated runs: the best (the stable estimate on a shared machine) and the median. */
export interface Timing {
  best: number;
  median: number;
}

/** Best and median of a list of times. */
export function timing(times: readonly number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { best: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

/**
 * Times `ours` and `reference` in alternation, `rounds` rounds of `reps` runs each (after one
 * warm-up of each), so that a burst of load on the shared machine hits both sides alike. Returns
 * milliseconds per run for each side.
 */
export function interleaved(
  ours: () => unknown,
  reference: () => unknown,
  rounds: number,
  reps: number,
): { ours: Timing; reference: Timing } {
  return interleavedAll({ ours, reference }, rounds, reps);
}

/**
 * `interleaved` for any number of sides: each run once to warm up, then in each round every
 * side `reps` times in turn, so that a change in the machine's load falls on all of them.
 */
export function interleavedAll<K extends string>(
  sides: Record<K, () => unknown>,
  rounds: number,
  reps: number,
): Record<K, Timing> {
  const names = Object.keys(sides) as K[];
  const times = new Map<K, number[]>(names.map((name) => [name, []]));
  for (const name of names) sides[name]();
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      for (let k = 0; k < reps; k++) {
        const t0 = process.hrtime.bigint();
        sides[name]();
        times.get(name)?.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
  }
  return Object.fromEntries(names.map((name) => [name, timing(times.get(name) ?? [])])) as Record<K, Timing>;
}

/**
 * One target of an issue as a bench measured it in this run: ours against a reference, each the
 * best of its repeats, their ratio against the limit, and the noise of the machine beside it.
 */
export interface TargetRow {
  /** What is compared, e.g. `risk(hinge) n=1e6 / plain loop`. */
  target: string;
  ours: Timing;
  reference: Timing;
  /** Unit of the timings, e.g. `ns/elem` or `ms`. */
  unit: string;
  /** Met when best(ours) / best(reference) is at most this. */
  limit: number;
  /** Why a miss is a miss, or what the reference is. */
  note?: string;
  /**
   * The floor: the best time, in the same run and unit, of the least work any implementation of
   * the call must do whatever its arithmetic (moving the bytes it must read and write, and nothing
   * else). A miss whose floor exceeds limit × reference is out of reach (targets-table's `outOfReach`).
   */
  floor?: Timing;
}

/**
 * Prints a bench's targets (one line each: the two timings, the ratio, the limit, the noise and
 * met or missed) and keeps them in the targets record under `title` (./targets-table.ts).
 */
export function printTargets(title: string, rows: readonly TargetRow[]): void {
  console.log(`\n${textTable([{ title, rows }])}`);
  recordSection(title, rows);
}

/** Gaussian features (a third of the true weights 0), labels drawn from a logistic model: the smooth fits' data. */
export function logisticData(
  n: number,
  d: number,
): { X: { rows: number; cols: number; data: Float64Array }; y: Float64Array } {
  const u = uniformStream(20240601);
  const gauss = (): number => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const trueW = Array.from({ length: d }, (_, j) => (j % 3 === 0 ? 0 : gauss()));
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0.5;
    for (let j = 0; j < d; j++) {
      const v = gauss();
      data[i * d + j] = v;
      z += v * trueW[j];
    }
    y[i] = u() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { rows: n, cols: d, data }, y };
}
