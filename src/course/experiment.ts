/**
 * Experiments: the seeded, repeated computations whose measurements decide the claims. Each
 * lives in the file of the chapter that studies it (`chapters/`), so the chapter and the
 * verdict table run exactly the same experiment, never a smaller re-run.
 */
import { LossInputError } from '../errors';
import type { Evidence, Measurements } from './verdict';

export interface ExperimentResult {
  measurements: Measurements;
}

export interface Experiment<R extends ExperimentResult = ExperimentResult> {
  id: string;
  /** A title for tables and progress lines. */
  title: string;
  /** The design in a few sentences: data, sizes, repetitions, seeds, the statistics measured. */
  design: string;
  evidence: Evidence;
  /** Runs the whole experiment; deterministic (every random number seeded). */
  run(): R;
}

const results = new Map<string, ExperimentResult>();

/**
 * Runs an experiment once per process and hands back the same result afterwards: the verdict
 * chapter decides several claims from one experiment, and a chapter may show a result in
 * several cells. Results are deterministic, so remembering them changes no number; the map
 * holds at most one entry per experiment of the course.
 */
export function runExperiment<R extends ExperimentResult>(experiment: Experiment<R>): R {
  if (typeof experiment !== 'object' || experiment === null || typeof experiment.run !== 'function' || typeof experiment.id !== 'string') {
    throw new LossInputError({ argument: 'experiment', value: experiment, problem: 'is not an experiment', domain: 'an entry of `experiments`' });
  }
  const known = results.get(experiment.id);
  if (known !== undefined) return known as R;
  const result = experiment.run();
  results.set(experiment.id, result);
  return result;
}
