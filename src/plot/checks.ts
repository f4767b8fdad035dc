/**
 * Input checks for the figure builders, in the wording of `validate.ts`: the argument, the
 * first offending index and value, and what would have been accepted.
 */
import { LossInputError, readGuarded } from '../errors';
import { checkOptions, checkSameLength, checkVector, materialise } from '../validate';

/** A label shown in a chart: any string (escaped where it is drawn). */
export function checkLabel(argument: string, label: unknown): string {
  if (typeof label !== 'string') {
    throw new LossInputError({ argument, value: label, problem: 'is not a string', domain: 'a string' });
  }
  return label;
}

/** An optional label: absent, or a string. */
export function optionalLabel(argument: string, label: unknown): string | undefined {
  return label === undefined ? undefined : checkLabel(argument, label);
}

/** An optional switch: absent, or a boolean (a string such as 'false' would read as true). */
export function checkFlag(argument: string, flag: unknown): boolean | undefined {
  if (flag !== undefined && typeof flag !== 'boolean') {
    throw new LossInputError({ argument, value: flag, problem: 'is not a boolean', domain: 'true or false' });
  }
  return flag;
}

const OPTIONS_DOMAIN = 'an object of options, or nothing';

/**
 * The options argument: an object, or absent (a default `= {}` covers `undefined`). From
 * JavaScript, `null` would otherwise be a TypeError on the first field read, and a number,
 * string, array or function would have its options silently ignored.
 */
export function checkOptionsObject(opts: unknown, argument = 'opts'): void {
  if (typeof opts !== 'object' || opts === null || readGuarded(argument, () => Array.isArray(opts))) {
    throw new LossInputError({
      argument,
      value: opts,
      problem: 'is not an options object',
      domain: OPTIONS_DOMAIN,
    });
  }
}

/**
 * The options argument, checked as by `checkOptionsObject`, with the fields in `keys` read
 * once into a plain copy (absent ones left out): later code reads the copy, so a getter of the
 * caller's runs once, and one that throws is an error naming `argument`. This is validate's
 * `checkOptions` with no loss to name and the charts' wording of what was expected.
 */
export function readOptions<T extends object>(
  opts: T,
  keys: readonly (keyof T & string)[],
  argument = 'opts',
): Partial<T> {
  return checkOptions(undefined, opts, keys, argument, OPTIONS_DOMAIN);
}

/**
 * The fields in `keys` of a record argument (data, a series, a step), read once into a plain
 * copy as `readOptions` does. A value that is no object gives no fields, so the checks of the
 * fields that follow say which one is missing.
 */
export function readFields<T extends object>(
  argument: string,
  record: T | null | undefined,
  keys: readonly (keyof T & string)[],
): Partial<T> {
  return readGuarded(argument, () => {
    const copy: Partial<T> = {};
    if (typeof record !== 'object' || record === null) return copy;
    for (const key of keys) {
      const value = record[key];
      if (value !== undefined) copy[key] = value;
    }
    return copy;
  });
}

/** An optional loss id used for colour. */
export function checkLossId(argument: string, lossId: unknown): string | undefined {
  return lossId === undefined ? undefined : checkLabel(argument, lossId);
}

/** An interval [lo, hi] of finite numbers with lo < hi. */
export function checkInterval(argument: string, range: unknown): [number, number] {
  return readGuarded(argument, () => readInterval(argument, range));
}

function readInterval(argument: string, range: unknown): [number, number] {
  // Each end read once: the checks and the interval returned are of the same two numbers.
  const ends: unknown[] = Array.isArray(range) && range.length === 2 ? [range[0], range[1]] : [];
  const [lo, hi] = ends;
  const ok = typeof lo === 'number' && typeof hi === 'number' && Number.isFinite(lo) && Number.isFinite(hi) && lo < hi;
  if (!ok) {
    throw new LossInputError({
      argument,
      value: range,
      problem: 'is not an interval',
      domain: '[lo, hi] with finite lo < hi',
    });
  }
  return [lo, hi];
}

/** An integer in [min, max]. */
export function checkCount(argument: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new LossInputError({
      argument,
      value: v,
      problem: 'is not an allowed count',
      domain: `an integer from ${min} to ${max}`,
    });
  }
  return v;
}

/** A non-empty array of finite numbers, optionally of a given length; returned as `number[]`. */
export function finiteArray(argument: string, v: unknown, length?: number, lengthOf = 'x'): number[] {
  // Read once: what is checked is what is drawn, whatever the caller's array-like does on a second read.
  const copy = materialise(undefined, argument, v, 'real');
  const n = checkVector(undefined, argument, copy, 'real');
  if (length !== undefined) checkSameLength(undefined, argument, n, lengthOf, length);
  return Array.from(copy);
}

/** A non-empty array (of series, models, ...). */
export function checkList<T>(argument: string, v: unknown): readonly T[] {
  return readGuarded(argument, () => readList<T>(argument, v));
}

function readList<T>(argument: string, v: unknown): readonly T[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw new LossInputError({
      argument,
      value: v,
      problem: 'is not a non-empty array',
      domain: 'an array with at least one entry',
    });
  }
  // A hole would be skipped by map and forEach: the entry would vanish from the chart unsaid.
  for (let i = 0; i < v.length; i++) {
    if (!(i in v))
      throw new LossInputError({
        argument,
        index: i,
        problem: 'is a hole in the array',
        domain: 'an array with an entry at every index',
      });
  }
  return v as readonly T[];
}

const MODEL_SHAPE: Record<number, string> = {
  1: 'one weight (a one-feature model)',
  2: 'two weights (a two-feature model)',
};

/** A linear model as the charts take it, validated. */
export interface CheckedModel {
  label: string;
  weights: number[];
  intercept: number;
  lossId: string | undefined;
}

/**
 * Validates `{ label, weights, intercept, lossId? }` at `argument` (e.g. `fits[2]`): a model of
 * exactly `features` weights, as `fitLines` (1) and `decisionBoundaries` (2) draw them.
 */
export function checkModel(argument: string, model: unknown, features: number): CheckedModel {
  const m = model as { label?: unknown; weights?: unknown; intercept?: unknown; lossId?: unknown } | null;
  if (typeof m !== 'object' || m === null) {
    throw new LossInputError({
      argument,
      value: model,
      problem: 'is not a model',
      domain: '{ label, weights, intercept, lossId? }',
    });
  }
  const label = checkLabel(`${argument}.label`, m.label);
  const weights = finiteArray(`${argument}.weights`, m.weights);
  if (weights.length !== features) {
    throw new LossInputError({
      argument: `${argument}.weights`,
      problem: `has ${weights.length} weights`,
      domain: MODEL_SHAPE[features] ?? `${features} weights`,
    });
  }
  if (typeof m.intercept !== 'number' || !Number.isFinite(m.intercept)) {
    throw new LossInputError({
      argument: `${argument}.intercept`,
      value: m.intercept,
      problem: 'is not a finite number',
      domain: 'finite numbers',
    });
  }
  return { label, weights, intercept: m.intercept, lossId: checkLossId(`${argument}.lossId`, m.lossId) };
}
