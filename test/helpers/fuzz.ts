/**
 * The machinery of test/fuzz-exports.spec.ts: the bad values, which of them an argument of
 * each kind may accept, and the judgement of one call. A call passes when it throws a
 * LossInputError naming the argument it was given the bad value in, or when it returns a
 * result that is right: no NaN anywhere, the baseline's shape, no function (an inherited
 * member looked up by a prototype name) where the baseline had data, and, for values that
 * only wrap the baseline's data (a Proxy, a frozen or null-prototype copy), the baseline's
 * own result.
 */
import { inspect } from 'node:util';
import { createRng, LossInputError, type Rng } from '../../src/index';

/**
 * What an argument is, which decides what it may accept: `number` takes any number but NaN
 * (extremes may be valid: the result is judged), `text` any string (prototype names are
 * text too), `id` only a name it knows (so '' and prototype names are refused), `flag` a
 * boolean, `fn` a function, `options` an object whose fields are optional, `any` anything;
 * `vec`, `matrix`, `list`, `data`, `loss` and `figure` only their own shape.
 */
export type Kind =
  | 'number'
  | 'text'
  | 'id'
  | 'flag'
  | 'fn'
  | 'options'
  | 'any'
  | 'vec'
  | 'matrix'
  | 'list'
  | 'data'
  | 'loss'
  | 'figure';

/** What a bad value is, for the policy below. */
type Tag =
  | 'undefined'
  | 'null'
  | 'nan'
  | 'number'
  | 'string'
  | 'protoName'
  | 'symbol'
  | 'bigint'
  | 'boolean'
  | 'function'
  | 'emptyObject'
  | 'oddObject'
  | 'emptyArray'
  | 'nested'
  | 'arrayLike'
  | 'nullProto'
  | 'circular'
  | 'throwing'
  // Derived from the argument's valid value:
  | 'wrapper'
  | 'holey'
  | 'nanInside';

/** Which tags each kind may accept (and must then answer correctly); every other tag must be refused. */
const MAY_ACCEPT: Record<Kind, readonly Tag[]> = {
  number: ['number'],
  text: ['string', 'protoName'],
  id: [],
  flag: ['boolean'],
  fn: ['function'],
  // An object with fields it does not know is still an options object.
  options: ['emptyObject', 'oddObject', 'arrayLike', 'nullProto', 'circular'],
  any: [
    'undefined',
    'null',
    'nan',
    'number',
    'string',
    'protoName',
    'symbol',
    'bigint',
    'boolean',
    'function',
    'emptyObject',
    'oddObject',
    'emptyArray',
    'nested',
    'arrayLike',
    'nullProto',
    'circular',
    'throwing',
    'holey',
    'nanInside',
  ],
  vec: [],
  matrix: [],
  list: [],
  data: [],
  loss: [],
  figure: [],
};

/** Kinds whose elements are read as data, so a hole or a NaN inside is an error. */
const ELEMENTWISE: readonly Kind[] = ['vec', 'matrix', 'list'];

export interface BadValue {
  label: string;
  make(): unknown;
  tag: Tag;
  /** For a value that counts its reads: whether the last one made had an element read twice during the call. */
  readTwice?(): boolean;
}

/** The error a trap or getter of ours throws, so that the judge can tell it from the library's own. */
export class TrapError extends Error {
  override readonly name = 'TrapError';
  /** How many have been thrown: a call that returns after one was thrown swallowed it. */
  static thrown = 0;

  constructor(message: string) {
    super(message);
    TrapError.thrown++;
  }
}

/** A Proxy whose every read throws: `get`, `has`, `ownKeys` and descriptors. */
function throwingProxy(target: object): object {
  const fail = (): never => {
    throw new TrapError('a trap that throws');
  };
  return new Proxy(target, {
    get: fail,
    has: fail,
    ownKeys: fail,
    getOwnPropertyDescriptor: fail,
    getPrototypeOf: fail,
  });
}

const PROTOTYPE_NAMES = ['toString', '__proto__', 'constructor', 'valueOf', 'hasOwnProperty'];

/** Bad values for any argument, the same every run: a fixed list and draws from a seeded generator. */
export function commonBadValues(seed: number): BadValue[] {
  const rng: Rng = createRng(seed);
  const v = (label: string, tag: Tag, make: () => unknown): BadValue => ({ label, tag, make });
  const drawn: BadValue[] = [];
  // Magnitudes from the subnormals to the top of the range, each sign.
  for (let i = 0; i < 3; i++) {
    const x = (rng.uniform() < 0.5 ? -1 : 1) * 10 ** rng.uniform(-323, 308);
    drawn.push(v(String(x), 'number', () => x));
  }
  return [
    v('undefined', 'undefined', () => undefined),
    v('null', 'null', () => null),
    v('NaN', 'nan', () => NaN),
    ...[Infinity, -Infinity, -0, 1e308, -1e308, 5e-324, -1, 2 ** 53 + 2].map((x) =>
      v(Object.is(x, -0) ? '-0' : String(x), 'number', () => x),
    ),
    ...drawn,
    v("''", 'string', () => ''),
    v("'1'", 'string', () => '1'),
    ...PROTOTYPE_NAMES.map((name) => v(`'${name}'`, 'protoName', () => name)),
    v('Symbol()', 'symbol', () => Symbol('fuzz')),
    v('10n', 'bigint', () => 10n),
    v('true', 'boolean', () => true),
    v('false', 'boolean', () => false),
    v('() => 0', 'function', () => () => 0),
    v('{}', 'emptyObject', () => ({})),
    v('Object.freeze({})', 'emptyObject', () => Object.freeze({})),
    v('[]', 'emptyArray', () => []),
    v('[[]]', 'nested', () => [[]]),
    v('[null]', 'nested', () => [null]),
    v('[{}]', 'nested', () => [{}]),
    v("['1']", 'nested', () => ['1']),
    v('{ data: null }', 'oddObject', () => ({ data: null, rows: 1, cols: 1, length: 1 })),
    ...[-1, NaN, 1e12, 2 ** 32].map((length) => v(`{ length: ${length} }`, 'arrayLike', () => ({ length, 0: 1 }))),
    v('Object.create(null)', 'nullProto', () => Object.create(null) as object),
    v('a circular object', 'circular', () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    }),
    v('a Proxy whose reads throw', 'throwing', () => throwingProxy({})),
    v('a revoked Proxy', 'throwing', () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }),
    v('{ valueOf() { throw } }', 'throwing', () => ({
      valueOf(): never {
        throw new TrapError('valueOf throws');
      },
      [Symbol.toPrimitive](): never {
        throw new TrapError('toPrimitive throws');
      },
    })),
  ];
}

/** Whether a fuzzed call is running: the flaky Proxy changes only then, not when the judge reads a result that is the Proxy itself. */
export const during = { call: false };

const isIndex = (key: string | symbol): key is string => typeof key === 'string' && /^(0|[1-9][0-9]*)$/.test(key);
const isTyped = (v: unknown): v is Float64Array => ArrayBuffer.isView(v) && !(v instanceof DataView);
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isTyped(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** Copies an array, a typed array or a plain object one level deep. */
function shallowCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.slice() as T;
  if (isTyped(v)) return v.slice() as T;
  return { ...(v as object) } as T;
}

/** The first number inside `v` at a seeded position, replaced by NaN; false when there is none. */
function putNaNInside(v: unknown, rng: Rng): boolean {
  if (isTyped(v)) {
    if (v.length === 0 || !((v as unknown) instanceof Float64Array || (v as unknown) instanceof Float32Array))
      return false;
    v[rng.integer(v.length)] = NaN;
    return true;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return false;
    const start = rng.integer(v.length);
    for (let k = 0; k < v.length; k++) {
      const i = (start + k) % v.length;
      if (typeof v[i] === 'number') {
        v[i] = NaN;
        return true;
      }
      if (typeof v[i] === 'object' && v[i] !== null) {
        const inner = shallowCopy(v[i] as object);
        if (putNaNInside(inner, rng)) {
          v[i] = inner;
          return true;
        }
      }
    }
  }
  return false;
}

/**
 * Bad values made from an argument's valid value `make()`: wrappers that hold the same data
 * (Proxies that forward, one whose elements change after the first read, frozen and
 * null-prototype copies), and wrappers that break it (a Proxy or getter that throws, a hole,
 * a NaN inside, a length that lies).
 */
export function derivedBadValues(make: () => unknown, seed: number): BadValue[] {
  const sample = make();
  if (typeof sample !== 'object' || sample === null) return [];
  const rng = createRng(seed);
  const v = (label: string, tag: Tag, fn: () => unknown): BadValue => ({ label, tag, make: fn });
  const out: BadValue[] = [
    v('a Proxy with no traps', 'wrapper', () => new Proxy(make() as object, {})),
    v(
      'a Proxy that forwards reads',
      'wrapper',
      () => new Proxy(make() as object, { get: (t, k) => Reflect.get(t, k) as unknown }),
    ),
    v('a Proxy whose reads throw', 'throwing', () => throwingProxy(make() as object)),
  ];
  if (Array.isArray(sample) || isTyped(sample)) {
    const n = (sample as ArrayLike<unknown>).length;
    // A Proxy around a typed array is refused outright (it has no typed array's slots), so a
    // typed argument is read-counted through a Proxy over a plain array of its numbers.
    const flakyTarget = (): object => (isTyped(sample) ? Array.from(make() as ArrayLike<number>) : (make() as object));
    let reads = new Map<string, number>();
    out.push({
      ...v('a Proxy whose elements turn NaN after the first read', 'wrapper', () => {
        reads = new Map<string, number>();
        const counts = reads;
        return new Proxy(flakyTarget(), {
          get(t, k) {
            const value = Reflect.get(t, k) as unknown;
            // Only numbers change: an element that is an object is the same object at every read.
            if (!isIndex(k) || !during.call || typeof value !== 'number') return value;
            const count = (counts.get(k) ?? 0) + 1;
            counts.set(k, count);
            return count > 1 ? NaN : value;
          },
        });
      }),
      // A second read that meets the NaN may end in an error naming the argument, which alone
      // would pass for a refusal: the count tells the two apart.
      readTwice: () => [...reads.values()].some((count) => count > 1),
    });
    // A matrix as rows: each row a Proxy whose numbers turn NaN after their first read.
    const first: unknown = (sample as ArrayLike<unknown>)[0];
    if (Array.isArray(sample) && (Array.isArray(first) || isTyped(first))) {
      let cells = new Map<string, number>();
      out.push({
        ...v('rows that are Proxies whose numbers turn NaN after the first read', 'wrapper', () => {
          cells = new Map<string, number>();
          const counts = cells;
          return (make() as ArrayLike<unknown>[]).map(
            (row, r) =>
              new Proxy(Array.from(row), {
                get(t, k) {
                  const value = Reflect.get(t, k) as unknown;
                  if (!isIndex(k) || !during.call || typeof value !== 'number') return value;
                  const key = `${r},${String(k)}`;
                  const count = (counts.get(key) ?? 0) + 1;
                  counts.set(key, count);
                  return count > 1 ? NaN : value;
                },
              }),
          );
        }),
        readTwice: () => [...cells.values()].some((count) => count > 1),
      });
    }
    if (Array.isArray(sample))
      out.push(v('a frozen copy', 'wrapper', () => Object.freeze((make() as unknown[]).slice())));
    if (n > 0) {
      const hole = rng.integer(n);
      out.push(
        v(`a copy with a hole at ${hole}`, 'holey', () => {
          const a = Array.from(make() as ArrayLike<unknown>);
          delete a[hole];
          return a;
        }),
      );
      out.push(
        v(`an array-like of length 1e12 over the data`, 'arrayLike', () =>
          Object.assign({}, Array.from(make() as ArrayLike<unknown>), { length: 1e12 }),
        ),
      );
    }
    const probe = shallowCopy(sample);
    const nanSeed = rng.integer(2 ** 31);
    if (putNaNInside(probe, createRng(nanSeed))) {
      out.push(
        v('a copy with NaN inside', 'nanInside', () => {
          const copy = shallowCopy(make());
          putNaNInside(copy, createRng(nanSeed));
          return copy;
        }),
      );
    }
  } else if (isPlain(sample)) {
    out.push(
      v('a frozen copy', 'wrapper', () => Object.freeze({ ...(make() as object) })),
      v('a null-prototype copy', 'wrapper', () => Object.assign(Object.create(null) as object, make())),
      v('a copy whose first field is a getter that throws', 'throwing', () => {
        const o = { ...(make() as Record<string, unknown>) };
        const first = Object.keys(o)[0];
        if (first === undefined) return throwingProxy(o);
        Object.defineProperty(o, first, {
          enumerable: true,
          get(): never {
            throw new TrapError(`the getter of ${first} throws`);
          },
        });
        return o;
      }),
      v('a copy that refers to itself', 'circular', () => {
        const o = { ...(make() as Record<string, unknown>) };
        o.self = o;
        return o;
      }),
    );
  }
  return out;
}

/** `guessed`: a field whose kind was inferred from its valid value; `partial`: declared with `~`. */
export type Looseness = 'strict' | 'partial' | 'guessed';

const PARTIAL: readonly Tag[] = [
  'undefined',
  'emptyArray',
  'emptyObject',
  'oddObject',
  'nullProto',
  'nested',
  'holey',
  'nanInside',
];

/** Whether an argument of `kind` given a value tagged `tag` must be refused, may answer, or must answer as its data does. */
export function policy(
  kind: Kind,
  tag: Tag,
  optional: boolean,
  loose: Looseness,
): 'refuse' | 'answer' | 'sameOrRefuse' {
  if (tag === 'wrapper') return 'sameOrRefuse';
  if (tag === 'undefined' && optional) return 'answer';
  // An extra field that refers back to its object is an unknown field: ignoring it is fine.
  if (tag === 'circular' && (kind === 'data' || kind === 'options' || kind === 'figure' || kind === 'matrix'))
    return 'answer';
  if ((tag === 'holey' || tag === 'nanInside') && !ELEMENTWISE.includes(kind)) return 'answer';
  // A field whose kind was only guessed from its baseline value may be optional, or not read at
  // all by this export: any value may be answered, and the answer is judged (no NaN, no crash).
  if (loose === 'guessed') return 'answer';
  // An argument that may be an empty or partial list or record: only the wrong type altogether must be refused.
  if (loose === 'partial' && (kind === 'vec' || kind === 'list' || kind === 'data') && PARTIAL.includes(tag))
    return 'answer';
  return MAY_ACCEPT[kind].includes(tag) ? 'answer' : 'refuse';
}

// ------------------------------------------------------------------------------------------
// Judging results

/** Paths (array indices written `[]`) where a value holds functions, e.g. `predict`. */
export function functionPaths(v: unknown): Set<string> {
  const paths = new Set<string>();
  walk(v, (path, x) => {
    if (typeof x === 'function') paths.add(path);
  });
  return paths;
}

const isLossLike = (x: object): boolean => typeof (x as { value?: unknown }).value === 'function' && 'kernels' in x;

/** Whether the judge can look inside `x`: a result may hold the caller's own Proxy, whose traps throw. */
function readable(x: object): boolean {
  const before = TrapError.thrown;
  try {
    const ok = !isLossLike(x) && Array.isArray(Object.keys(x));
    TrapError.thrown = before;
    return ok;
  } catch {
    TrapError.thrown = before;
    return false;
  }
}

/** Visits every value inside `v` once (cycles and depth bounded), with its path. */
function walk(v: unknown, visit: (path: string, x: unknown) => void): void {
  const seen = new Set<unknown>();
  let budget = 200000;
  const go = (path: string, x: unknown, depth: number): void => {
    if (budget-- <= 0) return;
    visit(path, x);
    if (typeof x !== 'object' || x === null || seen.has(x) || depth > 8) return;
    // A loss in a result is the caller's or the registry's own object, methods and all: not data.
    if (!readable(x)) return;
    seen.add(x);
    if (isTyped(x)) {
      const a = x as unknown as ArrayLike<number>;
      for (let i = 0; i < a.length && budget-- > 0; i++) visit(`${path}[]`, a[i]);
      return;
    }
    if (x instanceof Map) {
      for (const [key, value] of x) go(`${path}.${String(key)}`, value, depth + 1);
      return;
    }
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) go(`${path}[]`, x[i], depth + 1);
      return;
    }
    for (const key of Object.keys(x)) {
      const desc = Object.getOwnPropertyDescriptor(x, key);
      if (desc !== undefined && 'value' in desc) go(`${path}.${key}`, desc.value, depth + 1);
    }
  };
  go('', v, 0);
}

/** What is wrong with a result the call returned, given the baseline's result. */
export function resultProblems(
  result: unknown,
  baseline: { result: unknown; functions: Set<string> } | undefined,
): string[] {
  const problems: string[] = [];
  walk(result, (path, x) => {
    if (typeof x === 'number' && Number.isNaN(x)) problems.push(`NaN at result${path}`);
    if (typeof x === 'function' && baseline !== undefined && !baseline.functions.has(path))
      problems.push(`a function at result${path} where the baseline has none`);
  });
  if (baseline !== undefined) {
    const want = describeShape(baseline.result);
    const got = describeShape(result);
    if (want !== got) problems.push(`returned ${got}, the baseline returns ${want}`);
  }
  return problems.slice(0, 3);
}

function describeShape(v: unknown): string {
  if (typeof v !== 'object' || v === null) return v === null ? 'null' : typeof v;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  return proto === null ? 'Object' : (proto.constructor?.name ?? 'object');
}

/** Deep equality for results: numbers by Object.is, functions ignored, typed arrays by element. */
export function sameResult(a: unknown, b: unknown, depth = 0): boolean {
  if (typeof a === 'function' && typeof b === 'function') return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (depth > 8) return true;
  if (describeShape(a) !== describeShape(b)) return false;
  if (isTyped(a) || Array.isArray(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameResult(x[i], y[i], depth + 1)) return false;
    return true;
  }
  if (a instanceof Map || b instanceof Map) return inspect(a) === inspect(b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameResult((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1));
}

/** Whether `error` is a LossInputError that names `path`: the argument itself, one of its fields or elements, or an alias. */
export function namesArgument(error: unknown, names: readonly string[]): boolean {
  if (!(error instanceof LossInputError)) return false;
  const a = error.argument;
  return names.some((name) => {
    if (a === name || a.startsWith(`${name}.`) || a.startsWith(`${name}[`)) return true;
    // A field is often named on its own (`maxIter`, not `opts.maxIter`), or under its parent's alias.
    const last = name.split('.').pop() ?? name;
    return (
      name.includes('.') &&
      (a === last || a.startsWith(`${last}.`) || a.startsWith(`${last}[`) || a.endsWith(`.${last}`))
    );
  });
}

/** A short description of a thrown value for failure messages. */
export function describeError(error: unknown): string {
  if (error instanceof LossInputError) return `LossInputError naming ${error.argument}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return `a thrown ${typeof error}`;
}
