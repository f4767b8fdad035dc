/**
 * Bad input, walked through every public function of src/index.ts that takes data: each call
 * must throw LossInputError (a RangeError named 'LossInputError') whose message names the
 * loss, the argument, the first bad index and value, and the allowed domain. Then a
 * fast-check property: random arrays mixing NaN, ±Infinity, wrong labels and mismatched
 * lengths either give the plain scalar loop's finite (or crossEntropy's honest infinite)
 * answer, or throw LossInputError — never NaN, never another error.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  defineLoss,
  derivatives,
  epsilonInsensitive,
  fitLinear,
  huber,
  logcosh,
  losses,
  LossInputError,
  quantile,
  risk,
  secondDerivatives,
  sigmoid,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
  softmaxCrossEntropyValues,
  softplus,
  values,
  type FitOptions,
  type LinearFit,
  type Loss,
} from '../src/index';
import { checkMatrix } from '../src/validate';
import { allLosses } from './helpers/losses';

/** What the message must say, piece by piece; absent pieces are not applicable to the case. */
interface Expected {
  loss?: string;
  argument: string;
  index?: number | [number, number];
  /** The offending value as the message prints it (`got ...`). */
  got?: string;
  /** Text of the allowed domain. */
  allowed: string | RegExp;
}

function expectLossInputError(what: string, call: () => unknown, want: Expected): void {
  let caught: unknown;
  let returned: unknown;
  try {
    returned = call();
  } catch (e) {
    caught = e;
  }
  expect(caught, `${what}: expected a LossInputError, returned ${String(returned)}`).to.be.instanceOf(LossInputError);
  const err = caught as LossInputError;
  expect(err.name, what).to.equal('LossInputError');
  expect(err, what).to.be.instanceOf(RangeError);
  const m = err.message;
  if (want.loss !== undefined)
    expect(m.startsWith(`${want.loss}: `), `${what}: message names the loss: ${m}`).to.equal(true);
  const where =
    want.index === undefined
      ? want.argument
      : typeof want.index === 'number'
        ? `${want.argument}[${want.index}]`
        : `${want.argument}[${want.index[0]}][${want.index[1]}]`;
  expect(m, `${what}: message names the argument and index`).to.include(
    `${want.loss === undefined ? '' : ': '}${where} `,
  );
  // "is NaN (got NaN)" would say it twice: a NaN is named by the problem, not shown again.
  if (want.got === 'NaN' && m.includes(' is NaN')) expect(m, `${what}: NaN named once`).to.not.include('(got NaN)');
  else if (want.got !== undefined) expect(m, `${what}: message shows the value`).to.include(`(got ${want.got})`);
  if (typeof want.allowed === 'string')
    expect(m, `${what}: message names the domain`).to.include(`allowed: ${want.allowed}`);
  else expect(m, `${what}: message names the domain`).to.match(want.allowed);
  expect(err.argument, what).to.equal(want.argument);
  if (want.index !== undefined) expect(err.index, what).to.deep.equal(want.index);
}

const DOMAIN_TEXT: Record<string, string> = {
  real: 'finite numbers',
  sign: 'labels -1 or +1',
  binary: 'targets t in [0, 1] (hard 0/1 or soft labels)',
  probability: 'probabilities p in [0, 1]',
};

/** A valid target and prediction for the loss. */
function good(loss: Loss): [number, number] {
  return [
    loss.target === 'sign' ? 1 : loss.target === 'binary' ? 1 : 0.5,
    loss.prediction === 'probability' ? 0.5 : 0.25,
  ];
}

/** Values outside each domain (besides NaN and ±Infinity, which are outside all of them). */
const OUTSIDE: Record<string, Array<[unknown, string]>> = {
  real: [],
  sign: [
    [0.5, '0.5'],
    [0, '0'],
    [2, '2'],
    [-0.999, '-0.999'],
    [1 + 2 ** -52, String(1 + 2 ** -52)],
    [1 - 2 ** -53, String(1 - 2 ** -53)],
  ],
  binary: [
    [1.5, '1.5'],
    [-0.5, '-0.5'],
    [-1, '-1'],
  ],
  probability: [
    [1.5, '1.5'],
    [-0.1, '-0.1'],
    [1 + 2 ** -52, String(1 + 2 ** -52)],
  ],
};
const NON_FINITE: Array<[unknown, string]> = [
  [NaN, 'NaN'],
  [Infinity, 'Infinity'],
  [-Infinity, '-Infinity'],
];
const NON_NUMBERS: Array<[unknown, string]> = [
  ['1', '"1"'],
  [null, 'null'],
  [undefined, 'undefined'],
  [true, 'boolean'],
  [{}, 'Object'],
];

type VectorFn = (loss: Loss, y: ArrayLike<number>, f: ArrayLike<number>) => unknown;
const VECTOR_FNS: Array<[string, VectorFn]> = [
  ['risk', (l, y, f) => risk(l, y, f)],
  ['values', (l, y, f) => values(l, y, f)],
  ['derivatives', (l, y, f) => derivatives(l, y, f)],
  ['secondDerivatives', (l, y, f) => secondDerivatives(l, y, f)],
];

describe('bad input', () => {
  for (const loss of allLosses) {
    describe(loss.id, () => {
      const [gy, gf] = good(loss);
      const bad = (domain: string): Array<[unknown, string]> => [
        ...NON_FINITE,
        ...(OUTSIDE[domain] ?? []),
        ...NON_NUMBERS,
      ];

      it('value, derivative and secondDerivative reject every bad y and f', () => {
        for (const method of ['value', 'derivative', 'secondDerivative'] as const) {
          const fn = loss[method];
          if (fn === undefined) throw new Error(`${loss.id}.${method} missing`);
          for (const [v, shown] of bad(loss.target)) {
            expectLossInputError(`${loss.id}.${method}(${shown}, ${gf})`, () => fn(v as number, gf), {
              loss: loss.id,
              argument: 'y',
              got: shown,
              allowed: NON_NUMBERS.some(([n]) => Object.is(n, v)) ? /allowed: / : DOMAIN_TEXT[loss.target],
            });
          }
          for (const [v, shown] of bad(loss.prediction)) {
            expectLossInputError(`${loss.id}.${method}(${gy}, ${shown})`, () => fn(gy, v as number), {
              loss: loss.id,
              argument: 'f',
              got: shown,
              allowed: NON_NUMBERS.some(([n]) => Object.is(n, v)) ? /allowed: / : DOMAIN_TEXT[loss.prediction],
            });
          }
        }
      });

      it('risk, values, derivatives and secondDerivatives reject bad entries at the first bad index, in y and in f', () => {
        for (const [name, fn] of VECTOR_FNS) {
          for (const [v, shown] of bad(loss.target)) {
            const y = [gy, gy, v, gy, v];
            const isNumber = typeof v === 'number';
            expectLossInputError(
              `${name}(${loss.id}) with y[2] = ${shown}`,
              () => fn(loss, y as number[], [gf, gf, gf, gf, gf]),
              {
                loss: loss.id,
                argument: 'y',
                index: 2,
                got: shown,
                allowed: isNumber ? DOMAIN_TEXT[loss.target] : /allowed: /,
              },
            );
          }
          for (const [v, shown] of bad(loss.prediction)) {
            const f = [v, gf, gf];
            const isNumber = typeof v === 'number';
            expectLossInputError(
              `${name}(${loss.id}) with f[0] = ${shown}`,
              () => fn(loss, [gy, gy, gy], f as number[]),
              {
                loss: loss.id,
                argument: 'f',
                index: 0,
                got: shown,
                allowed: isNumber ? DOMAIN_TEXT[loss.prediction] : /allowed: /,
              },
            );
          }
          // Typed arrays hold numbers only, but NaN and Infinity fit in them.
          expectLossInputError(
            `${name}(${loss.id}) with a Float64Array f holding NaN`,
            () => fn(loss, [gy, gy], Float64Array.of(gf, NaN)),
            { loss: loss.id, argument: 'f', index: 1, got: 'NaN', allowed: DOMAIN_TEXT[loss.prediction] },
          );
          expectLossInputError(
            `${name}(${loss.id}) with a Float32Array y holding Infinity`,
            () => fn(loss, Float32Array.of(Infinity, gy), [gf, gf]),
            { loss: loss.id, argument: 'y', index: 0, got: 'Infinity', allowed: DOMAIN_TEXT[loss.target] },
          );
        }
      });

      it('risk, values, derivatives and secondDerivatives reject empty samples, length mismatches and non-arrays', () => {
        for (const [name, fn] of VECTOR_FNS) {
          expectLossInputError(`${name}(${loss.id}, [], [])`, () => fn(loss, [], []), {
            loss: loss.id,
            argument: 'y',
            allowed: 'at least one element',
          });
          expectLossInputError(`${name}(${loss.id}, [y], [])`, () => fn(loss, [gy], []), {
            loss: loss.id,
            argument: 'f',
            allowed: 'at least one element',
          });
          expectLossInputError(
            `${name}(${loss.id}) with 3 targets and 2 predictions`,
            () => fn(loss, [gy, gy, gy], [gf, gf]),
            { loss: loss.id, argument: 'f', allowed: 'length 3' },
          );
          expectLossInputError(
            `${name}(${loss.id}) with 1 target and 2 predictions`,
            () => fn(loss, [gy], new Float64Array([gf, gf])),
            { loss: loss.id, argument: 'f', allowed: 'length 1' },
          );
          expectLossInputError(
            `${name}(${loss.id}) with a number for y`,
            () => fn(loss, gy as unknown as number[], [gf]),
            { loss: loss.id, argument: 'y', got: String(gy), allowed: /number\[\], Float64Array or Float32Array/ },
          );
          expectLossInputError(
            `${name}(${loss.id}) with null for f`,
            () => fn(loss, [gy], null as unknown as number[]),
            { loss: loss.id, argument: 'f', got: 'null', allowed: /number\[\]/ },
          );
        }
      });

      it('risk rejects negative, non-finite, all-zero and mismatched weights, a bad reduction and bad options', () => {
        const y = [gy, gy, gy];
        const f = [gf, gf, gf];
        const w = (weights: unknown) => () => risk(loss, y, f, { weights: weights as number[] });
        expectLossInputError('negative weight', w([1, -2, 1]), {
          loss: loss.id,
          argument: 'weights',
          index: 1,
          got: '-2',
          allowed: 'finite numbers >= 0',
        });
        expectLossInputError('NaN weight', w([NaN, 1, 1]), {
          loss: loss.id,
          argument: 'weights',
          index: 0,
          got: 'NaN',
          allowed: 'finite numbers >= 0',
        });
        expectLossInputError('infinite weight', w(Float64Array.of(1, 1, Infinity)), {
          loss: loss.id,
          argument: 'weights',
          index: 2,
          got: 'Infinity',
          allowed: 'finite numbers >= 0',
        });
        expectLossInputError('string weight', w([1, '1', 1]), {
          loss: loss.id,
          argument: 'weights',
          index: 1,
          got: '"1"',
          allowed: /allowed: /,
        });
        expectLossInputError('all-zero weights', w([0, 0, 0]), {
          loss: loss.id,
          argument: 'weights',
          allowed: 'at least one positive weight',
        });
        expectLossInputError('weights summing to Infinity', w([Number.MAX_VALUE, Number.MAX_VALUE, 0]), {
          loss: loss.id,
          argument: 'weights',
          allowed: 'weights with a finite sum',
        });
        expectLossInputError('too few weights', w([1, 1]), { loss: loss.id, argument: 'weights', allowed: 'length 3' });
        expectLossInputError('empty weights', w([]), {
          loss: loss.id,
          argument: 'weights',
          allowed: 'at least one element',
        });
        expectLossInputError('reduction median', () => risk(loss, y, f, { reduction: 'median' as 'mean' }), {
          loss: loss.id,
          argument: 'reduction',
          got: '"median"',
          allowed: "'mean' or 'sum'",
        });
        expectLossInputError('opts null', () => risk(loss, y, f, null as unknown as object), {
          loss: loss.id,
          argument: 'opts',
          got: 'null',
          allowed: /an object/,
        });
      });

      it('values, derivatives and secondDerivatives reject an out buffer of the wrong type or length', () => {
        for (const fn of [values, derivatives, secondDerivatives]) {
          expectLossInputError(`${fn.name} with a short out`, () => fn(loss, [gy, gy], [gf, gf], new Float64Array(1)), {
            loss: loss.id,
            argument: 'out',
            allowed: 'length 2',
          });
          expectLossInputError(
            `${fn.name} with a Float32Array out`,
            () => fn(loss, [gy, gy], [gf, gf], new Float32Array(2) as unknown as Float64Array),
            { loss: loss.id, argument: 'out', got: 'Float32Array', allowed: 'a Float64Array of length 2' },
          );
        }
      });
    });
  }

  it("an argument whose getter or Proxy trap throws is a LossInputError naming it, with the caller's exception as cause", () => {
    const thrown = new Error("the caller's trap");
    const trap = new Proxy([[1]], {
      get: () => {
        throw thrown;
      },
      has: () => {
        throw thrown;
      },
    });
    const { proxy: revoked, revoke } = Proxy.revocable([[1]], {});
    revoke();
    const caught = (call: () => unknown): LossInputError => {
      try {
        call();
      } catch (e) {
        expect(e).to.be.instanceOf(LossInputError);
        return e as LossInputError;
      }
      throw new Error('returned');
    };
    const viaTrap = caught(() => fitLinear(trap as unknown as number[][], [1], { loss: losses.l2 }));
    expect([viaTrap.argument, viaTrap.cause]).to.deep.equal(['X', thrown]);
    // A revoked Proxy throws V8's own TypeError from Array.isArray: that is the cause, not a TypeError escaping.
    const viaRevoked = caught(() => fitLinear(revoked as unknown as number[][], [1], { loss: losses.l2 }));
    expect(viaRevoked.argument).to.equal('X');
    expect(viaRevoked.cause).to.be.instanceOf(TypeError);
  });

  it('risk and friends reject something that is not a loss', () => {
    for (const [name, fn] of VECTOR_FNS) {
      for (const notALoss of [undefined, null, {}, 'hinge', { id: 'fake', value: () => 0 }]) {
        expectLossInputError(`${name} with loss ${String(notALoss)}`, () => fn(notALoss as unknown as Loss, [1], [1]), {
          argument: 'loss',
          allowed: /a Loss object/,
        });
      }
    }
  });

  it('a NaN reads once in the message: "is NaN; allowed: ...", not "is NaN (got NaN)"', () => {
    const message = (call: () => unknown): string => {
      try {
        call();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(message(() => risk(losses.l2, [1, 2], [1, NaN]))).to.equal('l2: f[1] is NaN; allowed: finite numbers');
    expect(message(() => losses.hinge.value(NaN, 1))).to.equal('hinge: y is NaN; allowed: labels -1 or +1');
    expect(message(() => huber(NaN))).to.equal('huber: delta is NaN; allowed: a finite number > 0');
  });

  it('risk and friends reject a fake loss object that has no compiled kernels of its own', () => {
    for (const [name, fn] of VECTOR_FNS) {
      for (const fake of [
        { id: 'x', kernels: {} },
        { ...losses.l2 },
        Object.create(losses.l2) as Loss,
        new Proxy(losses.l2, {}),
      ]) {
        expectLossInputError(`${name} with a look-alike loss`, () => fn(fake as Loss, [1], [1]), {
          argument: 'loss',
          allowed: /a Loss object/,
        });
      }
    }
  });

  describe('array-likes with a bad length, unreadable elements, or elements that change between reads', () => {
    const lengths: Array<[unknown, string]> = [
      [-1, '-1'],
      [NaN, 'NaN'],
      [1.5, '1.5'],
      [2 ** 32, '4294967296'],
      [2 ** 53, '9007199254740992'],
      [Infinity, 'Infinity'],
      ['2', '"2"'],
    ];
    for (const [name, fn] of VECTOR_FNS) {
      it(`${name}: lengths that are not integers in [1, 2^32 - 1]`, () => {
        for (const [length, shown] of lengths) {
          const weird = { length, 0: 1, 1: 1 } as unknown as number[];
          const want =
            typeof length === 'number'
              ? { loss: 'l2', argument: 'y', allowed: /an integer length from 1 to 4294967295/ }
              : { loss: 'l2', argument: 'y', allowed: /number\[\], Float64Array or Float32Array/ };
          expectLossInputError(`${name} with y.length = ${shown}`, () => fn(losses.l2, weird, [1, 1]), want);
          expectLossInputError(`${name} with f.length = ${shown}`, () => fn(losses.l2, [1, 1], weird), {
            ...want,
            argument: 'f',
          });
        }
      });
    }

    it('a length that is not a number, or NaN, is named in the message, not compared as "NaN but y has length NaN"', () => {
      let caught: unknown;
      try {
        risk(losses.l2, { length: NaN } as unknown as number[], { length: NaN } as unknown as number[]);
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(LossInputError);
      expect((caught as Error).message).to.equal(
        'l2: y has length NaN; allowed: an integer length from 1 to 4294967295',
      );
    });

    it('a Proxy around a typed array (its length getter throws a TypeError) is rejected with a LossInputError', () => {
      const proxy = new Proxy(Float64Array.of(1, 2, 3), {});
      for (const [name, fn] of VECTOR_FNS) {
        expectLossInputError(`${name} with a proxied Float64Array`, () => fn(losses.l2, proxy, [1, 2, 3]), {
          loss: 'l2',
          argument: 'y',
          allowed: /number\[\], Float64Array or Float32Array/,
        });
      }
      // A proxy that forwards reads to its target is an ordinary array-like, and works.
      const forwarding = new Proxy(Float64Array.of(1, 2, 3), {
        get: (target, key) => Reflect.get(target, key) as unknown,
      });
      expect(risk(losses.l2, forwarding, [1, 2, 5])).to.equal(4 / 3);
    });

    it('every element of an array-like is read once per call, so validation and computation see the same numbers', () => {
      // Index 0 reads 1 the first time and NaN after: a second read would meet the NaN.
      const flaky = (): { array: number[]; reads: number[] } => {
        const reads = [0, 0, 0];
        const array = new Proxy([1, 2, 3], {
          get(target, key, receiver) {
            if (typeof key === 'string' && /^[0-9]+$/.test(key)) {
              const i = Number(key);
              reads[i]++;
              return i === 0 && reads[0] > 1 ? NaN : target[i];
            }
            return Reflect.get(target, key, receiver) as unknown;
          },
        });
        return { array, reads };
      };
      const cases: Array<[string, (a: number[]) => unknown, unknown]> = [
        ['risk', (a) => risk(losses.l2, a, [1, 2, 5]), 4 / 3],
        ['risk (weights)', (a) => risk(losses.l2, [1, 2, 3], [1, 2, 5], { weights: a }), 12 / 6],
        ['values', (a) => Array.from(values(losses.l2, a, [1, 2, 5])), [0, 0, 4]],
        ['derivatives', (a) => Array.from(derivatives(losses.l2, a, [1, 2, 5])), [0, 0, 4]],
        ['secondDerivatives', (a) => Array.from(secondDerivatives(losses.l2, a, [1, 2, 5])), [2, 2, 2]],
      ];
      for (const [name, call, want] of cases) {
        const { array, reads } = flaky();
        expect(call(array), name).to.deep.equal(want);
        expect(reads, `${name}: reads per element`).to.deep.equal([1, 1, 1]);
      }
      // Fits: the answer is the one for the plain array of the first reads.
      const X = { rows: 3, cols: 3, data: Float64Array.of(1, 0, 2, 0, 1, 1, 3, 1, 0) };
      const fits: Array<[string, (a: number[]) => LinearFit]> = [
        ['fitLinear (y)', (a) => fitLinear(X, a, { loss: losses.l2 })],
        [
          'fitLinear (initialWeights)',
          (a) => fitLinear(X, [1, 2, 5], { loss: losses.huber, solver: 'lbfgs', initialWeights: a, maxIter: 3 }),
        ],
      ];
      for (const [name, fit] of fits) {
        const { array, reads } = flaky();
        const got = fit(array);
        const plain = fit([1, 2, 3]);
        expect([Array.from(got.weights), got.intercept, got.objective], name).to.deep.equal([
          Array.from(plain.weights),
          plain.intercept,
          plain.objective,
        ]);
        expect(reads, `${name}: reads per element`).to.deep.equal([1, 1, 1]);
      }
    });

    it('a typed array whose own length property lies is read over its real length', () => {
      const lying = Float64Array.of(1, 2, 3);
      Object.defineProperty(lying, 'length', { value: 1000 });
      expect(risk(losses.l2, lying, [1, 2, 5])).to.equal(4 / 3);
      expect(Array.from(values(losses.l2, lying, [1, 2, 5]))).to.deep.equal([0, 0, 4]);
    });

    it('a typed array over shared memory is read once too, into a private copy', () => {
      const shared = new Float64Array(new SharedArrayBuffer(24));
      shared.set([1, 2, 3]);
      expect(risk(losses.l2, shared, [1, 2, 5])).to.equal(4 / 3);
    });

    it('checkMatrix, which a fit runs on X read in place, says that X changed when its second look finds no bad entry', () => {
      // Entry (0, 1) is NaN for its first `reads` reads and 2 after, as memory another thread
      // writes can be; `counted` tallies the reads.
      const counted = { reads: 0 };
      const changing = (reads: number): Float64Array => {
        const data = Float64Array.of(1, Number.NaN, 3, 4);
        counted.reads = 0;
        return new Proxy(data, {
          get(target, key) {
            if (key === '1' && ++counted.reads > reads) return 2;
            return Reflect.get(target, key);
          },
        });
      };
      const X = (data: Float64Array) => ({ rows: 2, cols: 2, data });
      expect(() => checkMatrix(X(changing(Infinity)))).to.throw(LossInputError, /X\[0\]\[1\] is NaN/);
      const all = counted.reads;
      expect(all, 'reads of the bad entry: a first look, a search, a last read to name it').to.be.at.least(3);
      // Changed before the search, or only before the last read that names it.
      for (const reads of [1, all - 1]) {
        expect(() => checkMatrix(X(changing(reads))), `NaN for ${reads} reads`).to.throw(
          LossInputError,
          'X changed while it was read (another thread writes it)',
        );
      }
    });

    it("fitLinear reads a Matrix's data in place when it lies in shared memory, as when it is a plain Float64Array", () => {
      // The callback zeroes X after the first sweep: a fit reading X in place sees it (its
      // objective is taken on the zeroed X at the end), one reading a copy does not.
      const rows = [
        [0, 1],
        [1, 0],
        [2, 3],
        [3, 1],
        [4, 4],
      ];
      const y = [1, 2, 6, 5, 9];
      const fitOn = (data: Float64Array | number[][]): LinearFit => {
        const X = Array.isArray(data) ? data : { rows: 5, cols: 2, data };
        let calls = 0;
        return fitLinear(X, y, {
          loss: losses.l2,
          l1: 0.01,
          solver: 'coordinateDescent',
          onIteration: () => {
            if (++calls === 1 && !Array.isArray(data)) data.fill(0);
          },
        });
      };
      const plain = fitOn(Float64Array.from(rows.flat()));
      const shared = new Float64Array(new SharedArrayBuffer(80));
      shared.set(rows.flat());
      const untouched = fitOn(rows.map((r) => [...r]));
      const inShared = fitOn(shared);
      expect(Array.from(shared), 'the callback zeroed it').to.deep.equal(new Array(10).fill(0));
      expect(inShared.objective, 'the shared X was read in place').to.equal(plain.objective);
      expect(inShared.objective, 'the zeroed X changed the objective').to.not.equal(untouched.objective);
    });

    it('a fit whose X or y an onIteration callback makes NaN is refused, naming the entry, never converged on NaN', () => {
      // Before, coordinateDescent and proximal called such a fit converged with objective
      // Infinity, lbfgs and newton did so after a NaN in y, and dualCD and lp blamed "f". lbfgs and
      // newton copy X into WebAssembly memory before their first iteration, so a write to X after
      // it does not reach them: they fit X as it was, and must say so with a finite objective.
      const n = 40;
      const d = 3;
      const base = Float64Array.from({ length: n * d }, (_, i) => Math.sin(1.7 * i));
      const real = Float64Array.from({ length: n }, (_, i) => Math.cos(i) + base[i * d]);
      const signs = real.map((v) => (v > 0 ? 1 : -1));
      const cases: Array<[FitOptions['solver'], keyof typeof losses, number]> = [
        ['coordinateDescent', 'l2', 0.01],
        ['gd', 'l2', 0],
        ['lbfgs', 'logistic', 0],
        ['newton', 'logistic', 0],
        ['proximal', 'l2', 0.01],
        ['sgd', 'l2', 0],
        ['subgradient', 'hinge', 0],
        ['dualCD', 'hinge', 0],
        ['lp', 'l1', 0],
      ];
      const copiesX = new Set(['lbfgs', 'newton']);
      for (const [solver, id, l1] of cases) {
        for (const written of ['X', 'y'] as const) {
          const data = base.slice();
          const y = (losses[id].target === 'sign' ? signs : real).slice();
          let calls = 0;
          const fit = () =>
            fitLinear({ rows: n, cols: d, data }, y, {
              loss: losses[id],
              l1,
              l2: id === 'hinge' ? 0.1 : 0,
              solver,
              onIteration: () => {
                if (++calls === 1) (written === 'X' ? data : y)[5] = Number.NaN;
              },
            });
          const what = `${solver}, NaN written into ${written}`;
          if (written === 'X' && copiesX.has(solver as string)) {
            const result = fit();
            expect(Number.isFinite(result.objective), what).to.equal(true);
            expect(Array.from(result.weights).every(Number.isFinite), what).to.equal(true);
            continue;
          }
          const index = written === 'X' ? 'X[1][2]' : 'y[5]';
          expect(fit, what).to.throw(
            LossInputError,
            `${index} is NaN now: an onIteration callback or another thread wrote it`,
          );
          expect(calls, `${what}: the callback ran`).to.be.above(0);
        }
      }
    });

    it("a non-finite objective on arguments nobody wrote stands: the overflow is the fit's own", () => {
      // The same look happens (the objective, about 1e320, overflows), and finds nothing written.
      const fit = fitLinear([[0], [1], [2], [3]], Float64Array.of(1e160, -1e160, 1e160, -1e160), {
        loss: losses.l2,
        solver: 'leastSquares',
      });
      expect(fit.objective).to.equal(Infinity);
      expect(fit.status).to.equal('converged');
      expect(fit.weights[0]).to.equal(-4e159);
    });
  });

  describe('defineLoss', () => {
    const spec = {
      id: 'myL2',
      name: 'My squared error',
      task: 'regression',
      target: 'real',
      prediction: 'real',
      value: (y: number, f: number) => (y - f) ** 2,
      derivative: (y: number, f: number) => 2 * (f - y),
      secondDerivative: () => 2,
      expression: '(y - f)^2',
      latex: '(y - f)^2',
      properties: { ...losses.l2.properties },
    } as const;
    type Spec = Parameters<typeof defineLoss>[0];

    it('a formula that gives NaN is named with the example, never returned (risk, values, derivatives, the scalars)', () => {
      const holey = defineLoss({
        ...spec,
        id: 'holey',
        value: (y: number, f: number) => (f > 1 ? NaN : (y - f) ** 2),
        derivative: (y: number, f: number) => (f > 1 ? NaN : 2 * (f - y)),
      });
      const allowed = /a loss defined at every admissible/;
      expectLossInputError('risk', () => risk(holey, [0, 0, 0], [0, 0.5, 2]), { argument: 'loss', allowed });
      expectLossInputError('weighted risk', () => risk(holey, [0, 0], [0, 2], { weights: [1, 1] }), {
        argument: 'loss',
        allowed,
      });
      expectLossInputError('values', () => values(holey, [0, 0], [0, 2]), { argument: 'loss', allowed });
      expectLossInputError('derivatives', () => derivatives(holey, [0, 0], [0, 2]), { argument: 'loss', allowed });
      expectLossInputError('value', () => holey.value(0, 2), { argument: 'loss', allowed });
      expectLossInputError('derivative', () => holey.derivative(0, 2), { argument: 'loss', allowed });
      expect(() => risk(holey, [0, 0, 0], [0, 0.5, 2])).to.throw(/example 2 \(y = 0, f = 2\)/);
      // Where the formula is defined, nothing changes.
      expect(risk(holey, [0, 0], [0, 0.5])).to.equal(0.125);
    });

    it('rejects a spec that is not an object, and each field of the wrong kind, naming the field', () => {
      for (const bad of [null, undefined, 'l2', 3]) {
        expectLossInputError(`defineLoss(${String(bad)})`, () => defineLoss(bad as unknown as Spec), {
          argument: 'spec',
          allowed: /an object/,
        });
      }
      const fields: Array<[string, unknown, RegExp]> = [
        ['id', '', /a non-empty string/],
        ['id', 3, /a non-empty string/],
        ['name', undefined, /a string/],
        ['task', 'ranking', /'regression' or 'classification'/],
        ['target', 'ordinal', /'real', 'sign' or 'binary'/],
        ['target', undefined, /'real', 'sign' or 'binary'/],
        ['prediction', 'sign', /'real' or 'probability'/],
        ['value', 'y - f', /a function/],
        ['derivative', null, /a function/],
        ['secondDerivative', undefined, /a function/],
        ['valueAndDerivative', 1, /a function or nothing/],
        ['expression', 1, /a string/],
        ['latex', null, /a string/],
        ['pieces', [{ where: 'y > f' }], /an array of \{ where, expression \} strings/],
        ['properties', null, /an object/],
        ['params', { delta: NaN }, /finite numbers/],
      ];
      for (const [field, value, allowed] of fields) {
        expectLossInputError(
          `defineLoss with ${field} = ${String(value)}`,
          () => defineLoss({ ...spec, [field]: value } as unknown as Spec),
          { argument: `spec.${field}`, allowed },
        );
      }
      const properties: Array<[string, unknown, RegExp]> = [
        ['convex', 'yes', /true or false/],
        ['lipschitz', -1, /a finite number >= 0, or null/],
        ['smoothness', NaN, /a finite number >= 0, or null/],
        ['axis', 'score', /'margin', 'residual', 'probability' or 'logit'/],
        ['kinks', [0, NaN], /an array of finite numbers/],
        ['curvatureJumps', 'none', /an array of finite numbers/],
        ['classificationCalibrated', 1, /true, false or null/],
        ['minimizer', undefined, /a string/],
      ];
      for (const [field, value, allowed] of properties) {
        expectLossInputError(
          `defineLoss with properties.${field} = ${String(value)}`,
          () => defineLoss({ ...spec, properties: { ...spec.properties, [field]: value } } as unknown as Spec),
          { argument: `spec.properties.${field}`, allowed },
        );
      }
    });

    it('accepts any id, including ones that are not identifiers ("01loss", "1st", "a b"), and computes with it', () => {
      for (const id of ['01loss', '1st', 'a b', 'huber(0.5)', '}); throw 1; ({', 'x'.repeat(10000)]) {
        const loss = defineLoss({ ...spec, id } as Spec);
        expect(loss.id).to.equal(id);
        expect(risk(loss, [1, 2, 3], [1, 2, 5])).to.equal(4 / 3);
        expect(loss.kernels.sumAndDerivatives(Float64Array.of(1), Float64Array.of(3), new Float64Array(1), 1)).to.equal(
          4,
        );
      }
    });

    it('never shares compiled kernels with another loss, a built-in of the same id included', () => {
      // V8 shares type feedback between functions compiled from the same source text, so the
      // source must differ: a user's 'hinge' must not slow down (or be inlined as) the built-in.
      const mine = defineLoss({ ...spec, id: 'hinge' } as Spec);
      const twin = defineLoss({ ...spec, id: 'hinge' } as Spec);
      for (const k of [
        'sum',
        'weightedSum',
        'values',
        'derivatives',
        'secondDerivatives',
        'sumAndDerivatives',
      ] as const) {
        expect(mine.kernels[k].toString(), k).to.not.equal(losses.hinge.kernels[k].toString());
        expect(mine.kernels[k].toString(), k).to.not.equal(twin.kernels[k].toString());
      }
      const a = defineLoss({ ...spec, id: '01loss' } as Spec);
      const b = defineLoss({ ...spec, id: '_1loss' } as Spec);
      expect(a.kernels.sum.toString()).to.not.equal(b.kernels.sum.toString());
    });

    it('reads the spec once and keeps its own copies: later changes to the spec do not reach the loss', () => {
      const kinks = [0];
      const properties = { ...spec.properties, kinks };
      const loss = defineLoss({ ...spec, properties } as Spec);
      kinks.push(5);
      properties.convex = false;
      expect(loss.properties.kinks).to.deep.equal([0]);
      expect(loss.properties.convex).to.equal(true);
      expect(Object.isFrozen(loss.properties.kinks)).to.equal(true);
    });
  });

  it('the family constructors reject parameters outside their range', () => {
    const cases: Array<[string, () => unknown, string, string, string]> = [
      ['huber(-1)', () => huber(-1), 'huber', 'delta', '-1'],
      ['huber(0)', () => huber(0), 'huber', 'delta', '0'],
      ['huber(NaN)', () => huber(NaN), 'huber', 'delta', 'NaN'],
      ['huber(Infinity)', () => huber(Infinity), 'huber', 'delta', 'Infinity'],
      ['quantile(0)', () => quantile(0), 'quantile', 'tau', '0'],
      ['quantile(1)', () => quantile(1), 'quantile', 'tau', '1'],
      ['quantile(1.5)', () => quantile(1.5), 'quantile', 'tau', '1.5'],
      ['quantile("0.5")', () => quantile('0.5' as unknown as number), 'quantile', 'tau', '"0.5"'],
      ['epsilonInsensitive(-0.1)', () => epsilonInsensitive(-0.1), 'epsilonInsensitive', 'epsilon', '-0.1'],
      ['epsilonInsensitive(NaN)', () => epsilonInsensitive(NaN), 'epsilonInsensitive', 'epsilon', 'NaN'],
    ];
    for (const [what, call, loss, argument, got] of cases)
      expectLossInputError(what, call, { loss, argument, got, allowed: /allowed: a .*number/ });
  });

  it('sigmoid, softplus and logcosh reject NaN, ±Infinity and non-numbers', () => {
    for (const [name, fn] of [
      ['sigmoid', sigmoid],
      ['softplus', softplus],
      ['logcosh', logcosh],
    ] as const) {
      for (const [v, shown] of [...NON_FINITE, ['2', '"2"'] as [unknown, string]]) {
        expectLossInputError(`${name}(${shown})`, () => fn(v as number), {
          loss: name,
          argument: 'x',
          got: shown,
          allowed: typeof v === 'number' ? 'finite numbers' : /allowed: /,
        });
      }
    }
  });

  describe('softmax family', () => {
    const Z = [
      [1, 2, 3],
      [0, 0, 0],
    ];
    const id = 'softmaxCrossEntropy';
    const withLogits: Array<[string, unknown, Expected]> = [
      [
        'NaN logit',
        [
          [1, NaN, 3],
          [0, 0, 0],
        ],
        { argument: 'logits', index: [0, 1], got: 'NaN', allowed: 'finite numbers' },
      ],
      [
        'infinite logit',
        [
          [1, 2, 3],
          [0, 0, -Infinity],
        ],
        { argument: 'logits', index: [1, 2], got: '-Infinity', allowed: 'finite numbers' },
      ],
      [
        'string logit',
        [
          [1, 2, 3],
          ['0', 0, 0],
        ],
        { argument: 'logits', index: [1, 0], got: '"0"', allowed: 'finite numbers' },
      ],
      [
        'ragged logits',
        [
          [1, 2, 3],
          [0, 0],
        ],
        { argument: 'logits', index: 1, allowed: 'rows of length 3' },
      ],
      ['no rows', [], { argument: 'logits', allowed: 'at least one row' }],
      ['empty rows', [[], []], { argument: 'logits', allowed: 'at least one column' }],
      ['a flat array', [1, 2, 3], { argument: 'logits', index: 0, got: '1', allowed: 'number[][]' }],
      [
        'a matrix with too few entries',
        { rows: 2, cols: 3, data: new Float64Array(5) },
        { argument: 'logits', allowed: /rows \* cols = 6/ },
      ],
      [
        'a matrix holding NaN',
        { rows: 1, cols: 2, data: Float64Array.of(0, NaN) },
        { argument: 'logits', index: [0, 1], got: 'NaN', allowed: 'finite numbers' },
      ],
    ];
    for (const [what, logits, want] of withLogits) {
      it(`${what}: every softmax function throws`, () => {
        const labels = Array.isArray(logits) ? logits.map(() => 0) : [0];
        expectLossInputError(`softmax with ${what}`, () => softmax(logits as number[][]), { ...want, loss: 'softmax' });
        expectLossInputError(
          `softmaxCrossEntropy with ${what}`,
          () => softmaxCrossEntropy(labels, logits as number[][]),
          { ...want, loss: id },
        );
        expectLossInputError(
          `softmaxCrossEntropyValues with ${what}`,
          () => softmaxCrossEntropyValues(labels, logits as number[][]),
          { ...want, loss: id },
        );
        expectLossInputError(
          `softmaxCrossEntropyGradient with ${what}`,
          () => softmaxCrossEntropyGradient(labels, logits as number[][]),
          { ...want, loss: id },
        );
      });
    }
    it('labels: non-integer, out of range, wrong length, rows off the simplex, wrong shape', () => {
      const cases: Array<[string, unknown, Expected]> = [
        ['non-integer label', [0, 0.5], { argument: 'labels', index: 1, got: '0.5', allowed: 'integers in [0, 3)' }],
        ['label out of range', [3, 0], { argument: 'labels', index: 0, got: '3', allowed: 'integers in [0, 3)' }],
        [
          'label NaN',
          Float64Array.of(0, NaN),
          { argument: 'labels', index: 1, got: 'NaN', allowed: 'integers in [0, 3)' },
        ],
        ['string label', [0, '1'], { argument: 'labels', index: 1, got: '"1"', allowed: 'integers in [0, 3)' }],
        ['too many labels', [0, 1, 2], { argument: 'labels', allowed: 'length 2' }],
        [
          'row summing to 0.9',
          [
            [0.5, 0.4, 0],
            [0, 0, 1],
          ],
          { argument: 'labels', index: 0, got: '0.9', allowed: /rows summing to 1/ },
        ],
        [
          'probability above 1',
          [
            [0, 0, 1],
            [1.5, -0.5, 0],
          ],
          { argument: 'labels', index: [1, 0], got: '1.5', allowed: 'probabilities p in [0, 1]' },
        ],
        [
          'rows of width 2',
          [
            [1, 0],
            [0, 1],
          ],
          { argument: 'labels', allowed: 'shape 2 x 3' },
        ],
        ['labels null', null, { argument: 'labels', got: 'null', allowed: /integers in \[0, 3\) or an n x 3 matrix/ }],
      ];
      for (const [what, labels, want] of cases) {
        for (const fn of [softmaxCrossEntropy, softmaxCrossEntropyValues, softmaxCrossEntropyGradient]) {
          expectLossInputError(`${fn.name} with ${what}`, () => fn(labels as number[], Z), { ...want, loss: id });
        }
      }
    });
    it('weights, reduction, options and out buffers', () => {
      expectLossInputError('negative weight', () => softmaxCrossEntropy([0, 1], Z, { weights: [1, -1] }), {
        loss: id,
        argument: 'weights',
        index: 1,
        got: '-1',
        allowed: 'finite numbers >= 0',
      });
      expectLossInputError('zero weights', () => softmaxCrossEntropy([0, 1], Z, { weights: [0, 0] }), {
        loss: id,
        argument: 'weights',
        allowed: 'at least one positive weight',
      });
      expectLossInputError('short weights', () => softmaxCrossEntropy([0, 1], Z, { weights: [1] }), {
        loss: id,
        argument: 'weights',
        allowed: 'length 2',
      });
      expectLossInputError('reduction', () => softmaxCrossEntropy([0, 1], Z, { reduction: 'max' as 'sum' }), {
        loss: id,
        argument: 'reduction',
        got: '"max"',
        allowed: "'mean' or 'sum'",
      });
      expectLossInputError('opts null', () => softmaxCrossEntropy([0, 1], Z, null as unknown as object), {
        loss: id,
        argument: 'opts',
        got: 'null',
        allowed: /an object/,
      });
      expectLossInputError('short out for values', () => softmaxCrossEntropyValues([0, 1], Z, new Float64Array(1)), {
        loss: id,
        argument: 'out',
        allowed: 'length 2',
      });
      expectLossInputError(
        'short out for the gradient',
        () => softmaxCrossEntropyGradient([0, 1], Z, new Float64Array(3)),
        { loss: id, argument: 'out', allowed: 'length 6' },
      );
      expectLossInputError(
        'plain-array out for softmax',
        () => softmax(Z, [0, 0, 0, 0, 0, 0] as unknown as Float64Array),
        { loss: 'softmax', argument: 'out', got: 'an array of length 6', allowed: /Float64Array of length 6/ },
      );
    });
  });

  describe('fitLinear input validation', () => {
    const X = [[0], [1], [2], [3]];
    const y = [1, 3, 5, 7];
    const cases: Array<[string, () => unknown, Expected]> = [
      [
        'ragged X',
        () => fitLinear([[0, 1], [1], [2, 2], [3, 3]], y, { loss: losses.l2 }),
        { loss: 'l2', argument: 'X', index: 1, allowed: 'rows of length 2' },
      ],
      [
        'NaN in X',
        () => fitLinear([[0], [NaN], [2], [3]], y, { loss: losses.l2 }),
        { loss: 'l2', argument: 'X', index: [1, 0], got: 'NaN', allowed: 'finite numbers' },
      ],
      [
        'Infinity in a Matrix X',
        () => fitLinear({ rows: 2, cols: 1, data: Float64Array.of(0, Infinity) }, [1, 2], { loss: losses.l2 }),
        { loss: 'l2', argument: 'X', index: [1, 0], got: 'Infinity', allowed: 'finite numbers' },
      ],
      [
        'empty X',
        () => fitLinear([], [], { loss: losses.l2 }),
        { loss: 'l2', argument: 'X', allowed: 'at least one row' },
      ],
      [
        'n ≠ len(y)',
        () => fitLinear(X, [1, 2, 3], { loss: losses.l2 }),
        { loss: 'l2', argument: 'y', allowed: 'length 4' },
      ],
      [
        'NaN in y',
        () => fitLinear(X, [1, NaN, 5, 7], { loss: losses.l1 }),
        { loss: 'l1', argument: 'y', index: 1, got: 'NaN', allowed: 'finite numbers' },
      ],
      [
        '0/1 labels for hinge',
        () => fitLinear(X, [0, 1, 1, 0], { loss: losses.hinge }),
        { loss: 'hinge', argument: 'y', index: 0, got: '0', allowed: 'labels -1 or +1' },
      ],
      [
        'label 1.5 for crossEntropyWithLogits',
        () => fitLinear(X, [0, 1, 1.5, 0], { loss: losses.crossEntropyWithLogits }),
        { loss: 'crossEntropyWithLogits', argument: 'y', index: 2, got: '1.5', allowed: DOMAIN_TEXT.binary },
      ],
      [
        'negative l1',
        () => fitLinear(X, y, { loss: losses.l2, l1: -1 }),
        { loss: 'l2', argument: 'l1', got: '-1', allowed: 'finite numbers >= 0' },
      ],
      [
        'negative l2',
        () => fitLinear(X, y, { loss: losses.l2, l2: -0.5 }),
        { loss: 'l2', argument: 'l2', got: '-0.5', allowed: 'finite numbers >= 0' },
      ],
      [
        'NaN l2',
        () => fitLinear(X, y, { loss: losses.l2, l2: NaN }),
        { loss: 'l2', argument: 'l2', got: 'NaN', allowed: 'finite numbers >= 0' },
      ],
      [
        'a probability loss',
        () => fitLinear(X, [0, 1, 1, 0], { loss: losses.crossEntropy }),
        { loss: 'crossEntropy', argument: 'loss', allowed: /crossEntropyWithLogits/ },
      ],
      ['no loss', () => fitLinear(X, y, {} as { loss: Loss }), { argument: 'loss', allowed: /a Loss object/ }],
      [
        'no options',
        () => fitLinear(X, y, undefined as unknown as { loss: Loss }),
        { argument: 'opts', allowed: /loss/ },
      ],
    ];
    for (const [what, call, want] of cases) it(what, () => expectLossInputError(`fitLinear with ${what}`, call, want));
  });

  describe('random bad input (fast-check)', () => {
    /** Entries that are sometimes in the domain and sometimes not. */
    function entry(domain: string): fc.Arbitrary<number> {
      const inDomain =
        domain === 'sign'
          ? fc.constantFrom(-1, 1)
          : domain === 'binary' || domain === 'probability'
            ? fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }))
            : fc.double({ min: -50, max: 50, noNaN: true });
      const outside = fc.constantFrom(NaN, Infinity, -Infinity, 0.5, 0, 2, -1, 1.5, -0.1, 1 + 2 ** -52);
      return fc.oneof({ weight: 4, arbitrary: inDomain }, { weight: 1, arbitrary: outside });
    }
    const ok = (v: number, domain: string): boolean =>
      Number.isFinite(v) && (domain === 'real' || (domain === 'sign' ? v === 1 || v === -1 : v >= 0 && v <= 1));

    for (const loss of allLosses) {
      it(`${loss.id}: risk, values, derivatives and secondDerivatives answer like a scalar loop or throw LossInputError`, () => {
        const scalar = { values: loss.value, derivatives: loss.derivative, secondDerivatives: loss.secondDerivative };
        fc.assert(
          fc.property(
            fc.array(entry(loss.target), { maxLength: 6 }),
            fc.array(entry(loss.prediction), { maxLength: 6 }),
            fc.option(
              fc.array(fc.oneof(fc.constantFrom(0, 1, 2, -1, NaN), fc.double({ min: 0, max: 10, noNaN: true })), {
                maxLength: 6,
              }),
            ),
            fc.constantFrom('number[]', 'Float64Array', 'Float32Array'),
            (y, f, w, container) => {
              const wrap = (a: number[]): ArrayLike<number> =>
                container === 'number[]'
                  ? a
                  : container === 'Float64Array'
                    ? Float64Array.from(a)
                    : Float32Array.from(a);
              const Y = wrap(y);
              const F = wrap(f);
              const yValid = Array.from(Y).every((v) => ok(v, loss.target));
              const fValid = Array.from(F).every((v) => ok(v, loss.prediction));
              const valid = y.length > 0 && y.length === f.length && yValid && fValid;
              const weightsValid =
                w === null ||
                (w.length === y.length && w.every((v) => Number.isFinite(v) && v >= 0) && w.some((v) => v > 0));
              const attempt = (name: string, call: () => unknown, expectValid: boolean): unknown => {
                try {
                  const result = call();
                  expect(
                    expectValid,
                    `${name} accepted bad input y=${JSON.stringify(Array.from(Y))} f=${JSON.stringify(Array.from(F))} w=${JSON.stringify(w)}`,
                  ).to.equal(true);
                  return result;
                } catch (e) {
                  if (!(e instanceof LossInputError))
                    throw new Error(`${name} threw ${String(e)} instead of a LossInputError`);
                  expect(expectValid, `${name} rejected valid input: ${e.message}`).to.equal(false);
                  return undefined;
                }
              };
              const total = attempt(
                'risk',
                () => risk(loss, Y, F, w === null ? {} : { weights: w }),
                valid && weightsValid,
              );
              if (typeof total === 'number') {
                let s = 0;
                let sw = 0;
                for (let i = 0; i < Y.length; i++) {
                  const wi = w === null ? 1 : w[i];
                  if (wi !== 0) s += wi * loss.value(Y[i], F[i]);
                  sw += wi;
                }
                const want = s / sw;
                if (loss.id === 'crossEntropy' && want === Infinity) expect(total).to.equal(Infinity);
                else {
                  expect(Number.isFinite(total), `risk ${total}`).to.equal(true);
                  expect(total).to.be.closeTo(want, 1e-12 * Math.max(1, Math.abs(want)));
                }
              }
              for (const [name, fn] of [
                ['values', values],
                ['derivatives', derivatives],
                ['secondDerivatives', secondDerivatives],
              ] as const) {
                const got = attempt(name, () => fn(loss, Y, F), valid);
                if (got instanceof Float64Array) {
                  got.forEach((v, i) => {
                    expect(Number.isNaN(v), `${name}[${i}] is NaN`).to.equal(false);
                    if (loss.id !== 'crossEntropy') expect(Number.isFinite(v), `${name}[${i}] = ${v}`).to.equal(true);
                    expect(v).to.equal(scalar[name](Y[i], F[i]));
                  });
                }
              }
            },
          ),
          { numRuns: 150 },
        );
      });
    }
  });
});
