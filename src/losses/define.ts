/**
 * Turns the raw formulas of a loss into a `Loss`: checked scalar methods for users, and
 * specialised array loops for `risk` and the solvers. The loops of the built-in losses are
 * written ahead of time (scripts/generate-kernels.js); a user's loss gets the same loops,
 * compiled for it alone where the page allows code generation and as shared closures where it
 * does not.
 */
import { LossInputError, readGuarded } from '../errors';
import { checkScalar } from '../validate';
import { markDefined } from './brand';
import { readCapabilities } from './capabilities';
import { displayAs } from './display-hook';
import type { Formulas, KernelPair, LoopFactory, RawFn, RawValueAndDerivative } from './kernel';
import { USER_SOURCES, userKernels } from './kernels.generated';
import type {
  Loss,
  LossAxis,
  LossCapabilities,
  LossPiece,
  LossProperties,
  PredictionDomain,
  Task,
  TargetDomain,
} from './types';

export type { RawFn, RawValueAndDerivative } from './kernel';

export interface LossSpec {
  id: string;
  name: string;
  task: Task;
  target: TargetDomain;
  prediction: PredictionDomain;
  value: RawFn;
  derivative: RawFn;
  secondDerivative: RawFn;
  /** Optional fused form used by the solvers' hot loop; must agree with `value` and `derivative`. */
  valueAndDerivative?: RawValueAndDerivative;
  expression: string;
  /** Defaults to the single piece `expression` on the whole domain. */
  pieces?: readonly LossPiece[];
  latex: string;
  properties: LossProperties;
  params?: Readonly<Record<string, number>>;
  /** What the exact solvers may ask of the loss (see `LossCapabilities`); checked against `value`. */
  capabilities?: LossCapabilities;
}

/** `v`, unless a formula gave NaN on checked inputs: a user's formula may, and must say where. */
function definedAt(id: string, what: string, y: number, f: number, v: number): number {
  if (Number.isNaN(v)) {
    throw new LossInputError({
      loss: id,
      argument: 'loss',
      problem: `has a ${what} that gives NaN at y = ${y}, f = ${f}`,
      domain: 'a loss defined at every admissible (y, f)',
    });
  }
  return v;
}

/**
 * Builds a Loss from its formulas. The spec is checked field by field (a LossInputError names
 * the first bad one, e.g. `spec.target`) and read once: the loss keeps its own frozen copies,
 * so changing the spec afterwards changes nothing. The id may be any non-empty string; it is
 * only a label, and never pasted into code unescaped.
 *
 * `capabilities` declares what the exact solvers need (see `LossCapabilities`): a loss that
 * declares its linear-programming form is solved by `lp` as the built-in piecewise-linear
 * losses are, one that declares its SVM dual by `dualCD`. Each declaration is checked against
 * `value` at a few points.
 *
 * The loss's array loops (its `kernels`, and the checked loops `risk`, `values` and
 * `derivatives` run) call your formulas. Where code generation is allowed they are compiled for
 * this loss alone, once, with `new Function`, so that V8 inlines your formulas into them. Where
 * it is not (a page whose Content-Security-Policy has no 'unsafe-eval', or
 * `node --disallow-code-generation-from-strings`), they are closures shared with every other
 * loss you define on the same domains: the results are the same, the loops slower. The
 * package's own losses never need code generation: their loops are written ahead of time, and a
 * loss of yours never shares them, whatever its id.
 *
 * @example
 * ```ts
 * import { defineLoss, fitLinear, quantile } from 'losslab';
 * const tau = 0.3;
 * const pinball = defineLoss({
 *   id: 'myPinball', name: 'My pinball loss', task: 'regression', target: 'real', prediction: 'real',
 *   value: (y, f) => Math.max(tau * (y - f), (tau - 1) * (y - f)),
 *   derivative: (y, f) => (f > y ? 1 - tau : f < y ? -tau : 0),
 *   secondDerivative: () => 0,
 *   expression: 'max(0.3 * (y - f), -0.7 * (y - f))', latex: '\\rho_{0.3}(y - f)',
 *   properties: { ...quantile(tau).properties },
 *   capabilities: { linearProgram: { lower: tau - 1, upper: tau, flat: 0 } },
 * });
 * const X = [[0], [1], [2], [3], [4]];
 * const y = [0.5, 1.2, 1.9, 3.5, 3.8];
 * fitLinear(X, y, { loss: pinball }).solver;  // "lp"
 * fitLinear(X, y, { loss: pinball }).weights[0] === fitLinear(X, y, { loss: quantile(tau) }).weights[0]; // true
 * ```
 */
export function defineLoss(spec: LossSpec): Loss {
  const read = readSpec(spec);
  return build(read, userLoops(read.id, read.target, read.prediction, formulasOf(read)));
}

/**
 * A built-in loss: `defineLoss` with the loops written ahead of time for it (or its family) in
 * kernels.generated.ts, which check the domains they were written for.
 */
export function defineBuiltIn(loops: LoopFactory, spec: LossSpec): Loss {
  const read = readSpec(spec);
  if (loops.target !== read.target || loops.prediction !== read.prediction) {
    throw new Error(
      `${read.id}: its loops check ${loops.target}/${loops.prediction}, the loss declares ${read.target}/${read.prediction}`,
    );
  }
  return build(read, loops.make(formulasOf(read)));
}

const formulasOf = (spec: LossSpec): Formulas => ({
  value: spec.value,
  derivative: spec.derivative,
  second: spec.secondDerivative,
  fused: spec.valueAndDerivative,
});

function build(spec: LossSpec, { kernels, checked }: KernelPair): Loss {
  const {
    id,
    name,
    task,
    target,
    prediction,
    value,
    derivative,
    secondDerivative,
    expression,
    pieces,
    latex,
    properties,
    params,
    capabilities,
  } = spec;
  // Hooks first: a frozen object takes no new properties.
  const loss: Loss = Object.freeze(
    displayAs<Loss>('loss', {
      id,
      name,
      task,
      target,
      prediction,
      value(y: number, f: number): number {
        checkScalar(id, 'y', y, target);
        checkScalar(id, 'f', f, prediction);
        return definedAt(id, 'formula', y, f, value(y, f));
      },
      derivative(y: number, f: number): number {
        checkScalar(id, 'y', y, target);
        checkScalar(id, 'f', f, prediction);
        return definedAt(id, 'derivative', y, f, derivative(y, f));
      },
      secondDerivative(y: number, f: number): number {
        checkScalar(id, 'y', y, target);
        checkScalar(id, 'f', f, prediction);
        return definedAt(id, 'second derivative', y, f, secondDerivative(y, f));
      },
      expression,
      // readSpec's snapshots are ours to freeze.
      pieces: Object.freeze((pieces ?? [{ where: 'true', expression }]).map((p) => Object.freeze(p))),
      latex,
      properties: Object.freeze({
        ...properties,
        kinks: Object.freeze(properties.kinks),
        curvatureJumps: Object.freeze(properties.curvatureJumps),
      }),
      params: Object.freeze({ ...(params ?? {}) }),
      kernels: Object.freeze(kernels),
      capabilities: Object.freeze({ ...capabilities }),
    }),
  );
  markDefined(loss, Object.freeze(checked));
  return loss;
}

const TASKS: readonly Task[] = ['regression', 'classification'];
const TARGETS: readonly TargetDomain[] = ['real', 'sign', 'binary'];
const PREDICTIONS: readonly PredictionDomain[] = ['real', 'probability'];
const AXES: readonly LossAxis[] = ['margin', 'residual', 'probability', 'logit'];
const BOOLEAN_PROPERTIES = [
  'convex',
  'strictlyConvex',
  'differentiable',
  'twiceDifferentiable',
  'marginBased',
  'boundedInfluence',
] as const;

const quoted = (options: readonly string[]): string => {
  const q = options.map((o) => `'${o}'`);
  return `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
};
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isFunction = (v: unknown): v is (...args: never[]) => unknown => typeof v === 'function';

const SPEC_KEYS = [
  'id',
  'name',
  'task',
  'target',
  'prediction',
  'value',
  'derivative',
  'secondDerivative',
  'valueAndDerivative',
  'expression',
  'pieces',
  'latex',
  'properties',
  'params',
  'capabilities',
] as const satisfies readonly (keyof LossSpec)[];

/** Each field of the spec read once, checked, and returned as a snapshot. */
function readSpec(raw: unknown): LossSpec {
  if (typeof raw !== 'object' || raw === null) {
    throw new LossInputError({
      argument: 'spec',
      value: raw,
      problem: 'is not a loss specification',
      domain:
        'an object with id, name, task, target, prediction, value, derivative, secondDerivative, expression, latex and properties',
    });
  }
  // Every field is read once, under the guard (a getter or Proxy trap may throw), and the checks
  // below read this copy.
  const spec = readGuarded('spec', () => {
    const copy = {} as Record<keyof LossSpec, unknown>;
    for (const key of SPEC_KEYS) copy[key] = (raw as Record<string, unknown>)[key];
    return copy;
  });
  const id = spec.id;
  if (typeof id !== 'string' || id === '')
    throw new LossInputError({ argument: 'spec.id', value: id, problem: 'is not an id', domain: 'a non-empty string' });
  const check = <T>(field: string, v: unknown, ok: (v: unknown) => boolean, domain: string): T => {
    if (!ok(v))
      throw new LossInputError({ loss: id, argument: `spec.${field}`, value: v, problem: 'is not allowed', domain });
    return v as T;
  };
  const string = (field: string, v: unknown): string => check(field, v, (x) => typeof x === 'string', 'a string');
  const fn = <F>(field: string, v: unknown): F => check(field, v, isFunction, 'a function of (y, f)');
  const oneOf = <T extends string>(field: string, v: unknown, options: readonly T[]): T =>
    check(field, v, (x) => options.includes(x as T), quoted(options));
  const pieces =
    spec.pieces === undefined
      ? undefined
      : readGuarded('spec.pieces', () => readPieces(id, spec.pieces), undefined, id);
  const params =
    spec.params === undefined
      ? undefined
      : readGuarded('spec.params', () => readParams(id, spec.params), undefined, id);
  const read: LossSpec = {
    id,
    name: string('name', spec.name),
    task: oneOf('task', spec.task, TASKS),
    target: oneOf('target', spec.target, TARGETS),
    prediction: oneOf('prediction', spec.prediction, PREDICTIONS),
    value: fn('value', spec.value),
    derivative: fn('derivative', spec.derivative),
    secondDerivative: fn('secondDerivative', spec.secondDerivative),
    valueAndDerivative: check(
      'valueAndDerivative',
      spec.valueAndDerivative,
      (x) => x === undefined || isFunction(x),
      'a function or nothing',
    ),
    expression: string('expression', spec.expression),
    latex: string('latex', spec.latex),
    properties: readProperties(id, spec.properties),
    ...(pieces === undefined ? {} : { pieces }),
    ...(params === undefined ? {} : { params }),
  };
  return { ...read, capabilities: readCapabilities(read, spec.capabilities) };
}

function readPieces(id: string, raw: unknown): LossPiece[] {
  const domain = 'an array of { where, expression } strings, or nothing';
  const bad = (): LossInputError =>
    new LossInputError({ loss: id, argument: 'spec.pieces', value: raw, problem: 'is not allowed', domain });
  if (!Array.isArray(raw)) throw bad();
  return raw.map((p: unknown) => {
    const where = typeof p === 'object' && p !== null ? (p as LossPiece).where : undefined;
    const expression = typeof p === 'object' && p !== null ? (p as LossPiece).expression : undefined;
    if (typeof where !== 'string' || typeof expression !== 'string') throw bad();
    return { where, expression };
  });
}

function readParams(id: string, raw: unknown): Record<string, number> {
  const entries = typeof raw === 'object' && raw !== null ? Object.entries(raw) : null;
  if (entries === null || !entries.every(([, v]) => isFiniteNumber(v))) {
    throw new LossInputError({
      loss: id,
      argument: 'spec.params',
      value: raw,
      problem: 'is not allowed',
      domain: 'an object of finite numbers, or nothing',
    });
  }
  return Object.fromEntries(entries) as Record<string, number>;
}

/** A snapshot of the properties (extra fields kept), with the known ones checked. */
function readProperties(id: string, raw: unknown): LossProperties {
  if (typeof raw !== 'object' || raw === null) {
    throw new LossInputError({
      loss: id,
      argument: 'spec.properties',
      value: raw,
      problem: 'is not allowed',
      domain: 'an object of LossProperties',
    });
  }
  const p: Record<string, unknown> = readGuarded('spec.properties', () => ({ ...raw }), undefined, id);
  const check = (field: string, ok: (v: unknown) => boolean, domain: string): void => {
    if (!ok(p[field]))
      throw new LossInputError({
        loss: id,
        argument: `spec.properties.${field}`,
        value: p[field],
        problem: 'is not allowed',
        domain,
      });
  };
  for (const field of BOOLEAN_PROPERTIES) check(field, (v) => typeof v === 'boolean', 'true or false');
  for (const field of ['lipschitz', 'smoothness'])
    check(field, (v) => v === null || (isFiniteNumber(v) && v >= 0), 'a finite number >= 0, or null');
  check('axis', (v) => AXES.includes(v as LossAxis), quoted(AXES));
  for (const field of ['kinks', 'curvatureJumps']) {
    const v = p[field];
    // A snapshot first: the array's own getters run once, and what is checked is what is kept.
    p[field] = readGuarded(
      `spec.properties.${field}`,
      () => (Array.isArray(v) ? [...(v as unknown[])] : v),
      undefined,
      id,
    );
    check(field, (a) => Array.isArray(a) && a.every(isFiniteNumber), 'an array of finite numbers');
  }
  check('classificationCalibrated', (v) => v === null || typeof v === 'boolean', 'true, false or null');
  check('minimizer', (v) => typeof v === 'string', 'a string');
  return p as unknown as LossProperties;
}

/** Whether `new Function` works here: not under a Content-Security-Policy without 'unsafe-eval'. */
let codeGeneration: boolean | undefined;

function canGenerateCode(): boolean {
  if (codeGeneration === undefined) {
    try {
      codeGeneration = new Function('return true')() === true;
    } catch {
      codeGeneration = false;
    }
  }
  return codeGeneration;
}

/** How many users' losses have had loops compiled: each gets the next number in its source text. */
let compiled = 0;

/**
 * The loops of a user's loss, compiled for it alone where code generation works: a closure made
 * by an ordinary factory shares its call-site feedback with every other closure from that
 * factory, so V8 would stop inlining the formulas once a few losses were in use. The source text
 * must differ per loss too, since V8 caches compilations by source text: a serial number makes
 * it unique even for two losses of one id (a user's 'hinge' beside ours); the id, cut down to
 * identifier characters, only helps profiles and stack traces.
 */
function userLoops(id: string, target: TargetDomain, prediction: PredictionDomain, formulas: Formulas): KernelPair {
  if (!canGenerateCode()) return userKernels(target, prediction, formulas);
  const tag = `L${++compiled}_${id.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}`;
  const source = USER_SOURCES[target][prediction].replaceAll('$TAG$', tag);
  const make = new Function('value', 'derivative', 'second', 'fused', source) as (
    value: RawFn,
    derivative: RawFn,
    second: RawFn,
    fused: RawValueAndDerivative | undefined,
  ) => KernelPair;
  return make(formulas.value, formulas.derivative, formulas.second, formulas.fused);
}
