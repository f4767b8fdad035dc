/**
 * Every claim of the lecture note the course decides, and every experiment that decides one.
 * A claim names its experiment by id; the verdict chapter runs each experiment once and
 * decides all the claims from the same measurements the chapters show.
 */
import { LossInputError } from '../errors';
import { classificationClaims } from './chapters/classification.claims';
import { classificationExperiments } from './chapters/classification';
import { crossEntropyClaims } from './chapters/crossEntropy.claims';
import { derivationsExperiments } from './chapters/derivations';
import { ermClaims } from './chapters/erm.claims';
import { ermExperiments } from './chapters/erm';
import { networksExperiments } from './chapters/networks';
import { regressionClaims } from './chapters/regression.claims';
import { regressionExperiments } from './chapters/regression';
import { robustnessClaims } from './chapters/robustness.claims';
import { robustnessExperiments } from './chapters/robustness';
import { measurementsOf, type Experiment } from './experiment';
import { decide, type ClaimSpec, type Decision } from './verdict';

/** The topics in the order the note takes them. */
const NOTE_ORDER: readonly ClaimSpec['topic'][] = ['erm', 'l1', 'l2', 'square', 'hinge', 'logistic', 'crossEntropy'];

/** The claims, in the order of the lecture note. */
export const claims: readonly ClaimSpec[] = [
  ...ermClaims,
  ...regressionClaims,
  ...robustnessClaims,
  ...classificationClaims,
  ...crossEntropyClaims,
].sort((a, b) => NOTE_ORDER.indexOf(a.topic) - NOTE_ORDER.indexOf(b.topic));

/** The experiments by id. */
export const experiments: ReadonlyMap<string, Experiment> = new Map(
  [
    ...ermExperiments,
    ...derivationsExperiments,
    ...regressionExperiments,
    ...robustnessExperiments,
    ...classificationExperiments,
    ...networksExperiments,
  ].map((e) => [e.id, e as Experiment]),
);

/** The claim with this id. */
export function claim(id: string): ClaimSpec {
  const found = claims.find((c) => c.id === id);
  if (found === undefined) {
    throw new LossInputError({
      argument: 'id',
      value: id,
      problem: 'is not the id of a claim',
      domain: claims.map((c) => c.id).join(', '),
    });
  }
  return found;
}

/** The experiment with this id. */
export function experiment(id: string): Experiment {
  const found = typeof id === 'string' ? experiments.get(id) : undefined;
  if (found === undefined) {
    throw new LossInputError({
      argument: 'id',
      value: id,
      problem: 'is not the id of an experiment',
      domain: [...experiments.keys()].join(', '),
    });
  }
  return found;
}

/** Runs the claim's experiment (once per process) and decides the claim from its measurements. */
export function decideClaim(id: string): Decision {
  const spec = claim(id);
  return decide(spec, measurementsOf(experiment(spec.experiment)));
}

/**
 * Decides every claim, running each experiment once; `onExperiment` hears of each experiment
 * before it runs (for progress lines: some take seconds).
 */
export function decideAll(
  opts: { onExperiment?: (e: Experiment, index: number, count: number) => void } = {},
): Decision[] {
  // Checked before the first experiment starts: a bad option found after minutes of work wastes them.
  if (typeof opts !== 'object' || opts === null)
    throw new LossInputError({
      argument: 'opts',
      value: opts,
      problem: 'is not an options object',
      domain: '{ onExperiment? }',
    });
  let onExperiment: unknown;
  try {
    // Array.isArray throws on a revoked Proxy, and reading the field runs the caller's getters and traps.
    if (Array.isArray(opts))
      throw new LossInputError({
        argument: 'opts',
        value: opts,
        problem: 'is an array, not an options object',
        domain: '{ onExperiment? }',
      });
    onExperiment = opts.onExperiment;
  } catch (cause) {
    if (cause instanceof LossInputError) throw cause;
    throw new LossInputError({ argument: 'opts', problem: 'could not be read', domain: '{ onExperiment? }', cause });
  }
  if (onExperiment !== undefined && typeof onExperiment !== 'function') {
    throw new LossInputError({
      argument: 'onExperiment',
      value: onExperiment,
      problem: 'is not a function',
      domain: 'a function or nothing',
    });
  }
  const report = onExperiment as ((e: Experiment, index: number, count: number) => void) | undefined;
  const ids = [...new Set(claims.map((c) => c.experiment))];
  ids.forEach((id, k) => {
    const e = experiment(id);
    report?.(e, k, ids.length);
    measurementsOf(e);
  });
  return claims.map((c) => decideClaim(c.id));
}
