/**
 * What every benchmark here shares: a deterministic uniform stream for inputs (so a bench
 * does not depend on the data module it may be measuring) and timers over repeated runs.
 */

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
