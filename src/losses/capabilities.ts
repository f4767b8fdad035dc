/**
 * Reading the `capabilities` of a loss specification: each declared form is checked for its
 * shape and then against the loss's own `value` at a few points, so that a form that does not
 * describe the loss (a typo in a slope, a hinge declared with the wrong sign) is a
 * LossInputError when the loss is made, not a wrong fit later. The points are a spot check,
 * not a proof: they catch a wrong declaration, which differs from the value by O(1) somewhere
 * on them, while rounding in a correct one stays below 1e-15 of the values there.
 */
import { LossInputError } from '../errors';
import type { LinearProgramForm, LossCapabilities, PredictionDomain, TargetDomain } from './types';

type Raw = (y: number, f: number) => number;

/** The parts of a spec the checks read. */
interface Declaring {
  id: string;
  target: TargetDomain;
  prediction: PredictionDomain;
  value: Raw;
  derivative: Raw;
}

const KEYS: ReadonlyArray<keyof LossCapabilities> = [
  'optimalConstant',
  'linearProgram',
  'svmDual',
  'squaredError',
  'piecewiseConstant',
];

/** A declared form and the value disagree beyond rounding: relative to 1 + |value|. */
const AGREEMENT = 1e-9;

/** Targets of each domain at which declared forms are checked. */
const SAMPLE_TARGETS: Record<TargetDomain, readonly number[]> = {
  real: [-1.5, 0, 2],
  sign: [-1, 1],
  binary: [0, 0.5, 1],
};

export function readCapabilities(spec: Declaring, raw: unknown): LossCapabilities {
  if (raw === undefined) return {};
  const { id } = spec;
  const fail = (field: string, v: unknown, problem: string, domain: string): LossInputError =>
    new LossInputError({
      loss: id,
      argument: `spec.capabilities${field === '' ? '' : `.${field}`}`,
      value: v,
      problem,
      domain,
    });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw fail('', raw, 'is not allowed', `an object with some of ${KEYS.join(', ')}, or nothing`);
  }
  const given: Record<string, unknown> = { ...raw };
  for (const key of Object.keys(given)) {
    if (!(KEYS as readonly string[]).includes(key))
      throw fail(key, given[key], 'is not a capability', `one of ${KEYS.join(', ')}`);
  }
  const out: { -readonly [K in keyof LossCapabilities]: LossCapabilities[K] } = {};
  const { optimalConstant, linearProgram, svmDual, squaredError, piecewiseConstant } = given;
  if (optimalConstant !== undefined) {
    if (typeof optimalConstant !== 'function')
      throw fail(
        'optimalConstant',
        optimalConstant,
        'is not allowed',
        'a function (sorted targets) => { lower, upper } or { limit, infimum }',
      );
    out.optimalConstant = optimalConstant as LossCapabilities['optimalConstant'];
  }
  if (linearProgram !== undefined) out.linearProgram = readLinearProgram(spec, linearProgram, fail);
  if (svmDual !== undefined) out.svmDual = readSvmDual(spec, svmDual, fail);
  for (const [field, v] of [
    ['squaredError', squaredError],
    ['piecewiseConstant', piecewiseConstant],
  ] as const) {
    if (v !== undefined && typeof v !== 'boolean') throw fail(field, v, 'is not allowed', 'true, false or nothing');
  }
  if (squaredError === true) {
    needsScores(spec, 'squaredError', fail);
    agrees(spec, 'squaredError', '(y − f)²', [-2, 0, 0.75, 3], (y, f) => (y - f) * (y - f), fail);
    out.squaredError = true;
  }
  if (piecewiseConstant === true) {
    for (const y of SAMPLE_TARGETS[spec.target]) {
      for (const f of samplePredictions(spec.prediction)) {
        const g = spec.derivative(y, f);
        if (g !== 0)
          throw fail(
            'piecewiseConstant',
            true,
            `does not match the loss's derivative ${g} at y = ${y}, f = ${f}`,
            'a loss whose derivative is 0 wherever it exists',
          );
      }
    }
    out.piecewiseConstant = true;
  }
  return out;
}

type Fail = (field: string, v: unknown, problem: string, domain: string) => LossInputError;

function samplePredictions(prediction: PredictionDomain): number[] {
  return prediction === 'probability' ? [0.1, 0.5, 0.9] : [-2.5, -0.5, 0.25, 1.5, 3];
}

/** The forms below describe a loss of a real score: a probability prediction has none of them. */
function needsScores(spec: Declaring, field: string, fail: Fail): void {
  if (spec.prediction !== 'real') throw fail(field, true, 'needs a loss on real scores', "prediction: 'real'");
}

/** Throws unless value(y, f) = form(y, f) within rounding at every sample target and every f in `fs` (or from `fsAt(y)`). */
function agrees(
  spec: Declaring,
  field: string,
  formula: string,
  fs: readonly number[] | ((y: number) => readonly number[]),
  form: Raw,
  fail: Fail,
): void {
  for (const y of SAMPLE_TARGETS[spec.target]) {
    for (const f of typeof fs === 'function' ? fs(y) : fs) {
      const v = spec.value(y, f);
      const want = form(y, f);
      if (!(Math.abs(v - want) <= AGREEMENT * (1 + Math.abs(want)))) {
        throw fail(
          field,
          undefined,
          `does not match the loss's value at y = ${y}, f = ${f} (value ${v}, the declared form ${want})`,
          `a form equal to value: ${formula}`,
        );
      }
    }
  }
}

function readLinearProgram(spec: Declaring, raw: unknown, fail: Fail): LinearProgramForm {
  const domain =
    '{ lower, upper, flat }: slopes (numbers, or functions of y) with lower <= 0 <= upper, lower < upper, and flat >= 0';
  if (typeof raw !== 'object' || raw === null) throw fail('linearProgram', raw, 'is not allowed', domain);
  const { lower, upper, flat } = raw as Record<string, unknown>;
  const slope = (v: unknown): v is number | ((y: number) => number) =>
    (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'function';
  if (!slope(lower) || !slope(upper) || typeof flat !== 'number' || !(flat >= 0 && Number.isFinite(flat))) {
    throw fail('linearProgram', raw, 'is not allowed', domain);
  }
  needsScores(spec, 'linearProgram', fail);
  const form: LinearProgramForm = Object.freeze({ lower, upper, flat });
  for (const y of SAMPLE_TARGETS[spec.target]) {
    const [lo, hi] = slopesAt(form, y);
    if (!(lo <= 0 && hi >= 0 && lo < hi && Number.isFinite(lo) && Number.isFinite(hi))) {
      throw fail('linearProgram', raw, `has slopes ${lo} and ${hi} at y = ${y}`, domain);
    }
  }
  const residuals = [-(flat + 2), -(flat + 0.5), -flat / 2, 0, flat / 2, flat + 0.5, flat + 2];
  agrees(
    spec,
    'linearProgram',
    'max(0, upper·(r − flat), lower·(r + flat)) with r = y − f',
    (y) => residuals.map((r) => y - r),
    (y, f) => {
      const [lo, hi] = slopesAt(form, y);
      const r = y - f;
      return Math.max(0, hi * (r - flat), lo * (r + flat));
    },
    fail,
  );
  return form;
}

/** The slopes [lower, upper] of a linear-programming form at target y. */
export function slopesAt(form: LinearProgramForm, y: number): [number, number] {
  const { lower, upper } = form;
  return [typeof lower === 'number' ? lower : lower(y), typeof upper === 'number' ? upper : upper(y)];
}

function readSvmDual(spec: Declaring, raw: unknown, fail: Fail): { readonly power: 1 | 2 } {
  const power = typeof raw === 'object' && raw !== null ? (raw as { power?: unknown }).power : undefined;
  if (power !== 1 && power !== 2)
    throw fail('svmDual', raw, 'is not allowed', '{ power: 1 } (hinge) or { power: 2 } (squared hinge)');
  needsScores(spec, 'svmDual', fail);
  if (spec.target !== 'sign') throw fail('svmDual', raw, 'needs labels ±1', "target: 'sign'");
  agrees(
    spec,
    'svmDual',
    `max(0, 1 − y f)^${power}`,
    [-2, -0.5, 0, 0.5, 1, 2.5],
    (y, f) => Math.max(0, 1 - y * f) ** power,
    fail,
  );
  return Object.freeze({ power });
}
