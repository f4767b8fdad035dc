/**
 * Runs `jobs` at most `width` at a time and returns their results in job order. Two is the
 * width the suite uses for kernels and Chromium pages: CI has two cores, and each job is one
 * mostly single-threaded process (a tslab kernel, a renderer).
 */
export async function pool<T>(jobs: ReadonlyArray<() => Promise<T>>, width = 2): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}
