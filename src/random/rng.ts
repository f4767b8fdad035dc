/**
 * A seeded pseudo-random number generator for reproducible experiments.
 *
 * Why pure-rand's xoroshiro128+: it is the package fast-check (already a dependency of the
 * tests) is built on, it is maintained, typed and small, and xoroshiro128+ (Blackman & Vigna,
 * "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021) is fast in
 * JavaScript because pure-rand runs it on 32-bit halves. mathjs's `random` wraps seedrandom,
 * whose last release is from 2019 and which ships no types.
 *
 * Three choices of our own, each for reproducibility or quality:
 * - seeding: pure-rand's `xoroshiro128plus(seed)` puts the seed straight into the state, so
 *   the first outputs of seeds 1, 2, 3 are consecutive integers. We expand the seed with
 *   splitmix64, as Vigna recommends, and start from that state;
 * - doubles: pure-rand's `uniformFloat64` builds the top of the mantissa from the lowest bits
 *   of each output, the bits of xoroshiro128+ with low linear complexity. We take the high
 *   27 + 26 bits of two outputs instead, as Matsumoto & Nishimura's `genrand_res53` does;
 * - every output is integer arithmetic (identical everywhere) followed by IEEE operations
 *   and V8's own `Math.log` / `Math.tan` (fdlibm ports, not the platform libm), so the same
 *   seed gives the same numbers on every machine running Node.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { LossInputError } from '../errors';

/** A seeded source of random numbers; see `createRng`. */
export interface Rng {
  /** The seed this generator started from. */
  readonly seed: number;
  /** Uniform on [low, high) (default [0, 1)), a multiple of 2⁻⁵³ before scaling. */
  uniform(low?: number, high?: number): number;
  /** Gaussian N(mean, sd²) by Marsaglia's polar method. */
  normal(mean?: number, sd?: number): number;
  /** Student's t with `df` > 0 degrees of freedom (Bailey's polar method). */
  studentT(df: number): number;
  /** Cauchy(location, scale) by inversion: location + scale · tan(π (U − ½)). */
  cauchy(location?: number, scale?: number): number;
  /** 1 with probability p, else 0. */
  bernoulli(p: number): 0 | 1;
  /** A uniform integer in {0, 1, …, n − 1} (exact: rejection sampling, no modulo bias). */
  integer(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
  /** A uniformly random permutation of 0 … n − 1. */
  permutation(n: number): Uint32Array;
  /** k distinct indices from {0, …, n − 1}, drawn without replacement, in random order. */
  sample(n: number, k: number): Uint32Array;
}

const TWO_POW_26 = 67108864;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;
const MASK_64 = (1n << 64n) - 1n;

/**
 * splitmix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014; constants as in Vigna's splitmix64.c): the generator Vigna recommends for
 * turning one 64-bit seed into the state of a xoroshiro generator. BigInt is fine here: it
 * runs twice per `createRng`.
 */
function splitmix64(state: bigint): { value: bigint; state: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK_64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return { value: z ^ (z >> 31n), state: next };
}

/** The 128-bit xoroshiro128+ state for `seed`, as pure-rand's [hi(s0), lo(s0), hi(s1), lo(s1)]. */
function stateFromSeed(seed: number): number[] {
  const first = splitmix64(BigInt.asUintN(64, BigInt(seed)));
  const second = splitmix64(first.state);
  const words: number[] = [];
  for (const s of [first.value, second.value]) {
    words.push(Number(BigInt.asIntN(32, s >> 32n)), Number(BigInt.asIntN(32, s)));
  }
  return words;
}

class XoroshiroRng implements Rng {
  private readonly source: RandomGenerator;
  /** The second normal of the last polar pair, when `hasSpare` (no NaN marker: the object is visible to users). */
  private spareNormal = 0;
  private hasSpare = false;

  constructor(readonly seed: number) {
    this.source = xoroshiro128plusFromState(stateFromSeed(seed));
  }

  uniform(low = 0, high = 1): number {
    if (low === 0 && high === 1) return this.unit();
    checkFinite('low', low);
    checkFinite('high', high);
    if (!(high > low)) throw rngError('high', high, 'is not greater than low', `a number > ${low}`);
    return low + (high - low) * this.unit();
  }

  normal(mean = 0, sd = 1): number {
    checkFinite('mean', mean);
    checkFinite('sd', sd);
    if (sd < 0) throw rngError('sd', sd, 'is negative', 'a finite number >= 0');
    return mean + sd * this.standardNormal();
  }

  studentT(df: number): number {
    if (typeof df !== 'number' || !(df > 0))
      throw rngError('df', df, 'is not positive', 'a number > 0 (Infinity gives the normal)');
    return this.standardT(df);
  }

  cauchy(location = 0, scale = 1): number {
    checkFinite('location', location);
    checkFinite('scale', scale);
    if (scale < 0) throw rngError('scale', scale, 'is negative', 'a finite number >= 0');
    return location + scale * this.standardCauchy();
  }

  bernoulli(p: number): 0 | 1 {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      throw rngError('p', p, 'is not a probability', 'a number in [0, 1]');
    return this.unit() < p ? 1 : 0;
  }

  integer(n: number): number {
    checkCount('n', n, 1);
    return this.below(n);
  }

  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    // Only arrays and typed arrays: their length is memory they hold, so the loop is bounded by
    // what exists, where an array-like could claim a length of 1e12.
    try {
      if (!Array.isArray(items) && !(ArrayBuffer.isView(items) && !(items instanceof DataView))) {
        throw rngError('items', items, 'is not an array', 'an array or a typed array');
      }
      if (Object.isFrozen(items) && items.length > 1)
        throw rngError('items', items, 'is frozen', 'an array that can be shuffled in place');
      for (let i = items.length - 1; i > 0; i--) {
        const j = this.below(i + 1);
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
    } catch (e) {
      if (e instanceof LossInputError) throw e;
      // A Proxy's trap or an accessor of the caller's threw: theirs is the cause, the argument is named.
      throw new LossInputError({
        argument: 'items',
        problem: 'could not be read or written',
        domain: 'an array or a typed array',
        cause: e,
      });
    }
    return items;
  }

  permutation(n: number): Uint32Array {
    checkCount('n', n, 0);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  sample(n: number, k: number): Uint32Array {
    checkCount('n', n, 0);
    checkCount('k', k, 0);
    if (k > n) throw rngError('k', k, `is more than the ${n} items to draw from`, `an integer in [0, ${n}]`);
    // Partial Fisher–Yates: the first k slots of a shuffle, without finishing it.
    const pool = new Uint32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.below(n - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return pool.slice(0, k);
  }

  /** Uniform on [0, 1): (high 27 bits of one output · 2²⁶ + high 26 bits of the next) / 2⁵³, as genrand_res53. */
  unit(): number {
    const a = this.source.next() >>> 5;
    const b = this.source.next() >>> 6;
    return (a * TWO_POW_26 + b) * TWO_POW_MINUS_53;
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2³²; unchecked. */
  below(n: number): number {
    return uniformInt(this.source, 0, n - 1);
  }

  /**
   * Marsaglia & Bray, "A convenient method for generating normal variables", SIAM Review
   * 6(3), 1964: a point uniform in the unit disc gives two independent normals; the second
   * is kept for the next call.
   */
  standardNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.unit() - 1;
      v = 2 * this.unit() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    this.hasSpare = true;
    return u * factor;
  }

  /**
   * R. W. Bailey, "Polar generation of random variates with the t-distribution", Math. Comp.
   * 62(206), 1994: the polar method's disc point, transformed, is exactly t with df degrees
   * of freedom, for any real df > 0.
   */
  standardT(df: number): number {
    if (df === Infinity) return this.standardNormal();
    let u: number;
    let w: number;
    do {
      u = 2 * this.unit() - 1;
      const v = 2 * this.unit() - 1;
      w = u * u + v * v;
    } while (w >= 1 || w === 0);
    return u * Math.sqrt((df * (w ** (-2 / df) - 1)) / w);
  }

  /** Inversion of the Cauchy CDF; U = 0 gives tan(−π/2) ≈ −1.6e16, finite. */
  standardCauchy(): number {
    return Math.tan(Math.PI * (this.unit() - 0.5));
  }
}

/**
 * A seeded random number generator: xoroshiro128+ (via the `pure-rand` package) started
 * from a splitmix64 expansion of `seed`. The same seed gives the same sequence on every
 * machine; different seeds give unrelated sequences.
 *
 * @param seed any safe integer (negative allowed)
 *
 * @example
 * ```ts
 * import { createRng } from 'losslab';
 * const rng = createRng(42);
 * rng.uniform();                    // 0.884069414773014
 * rng.integer(6);                   // 0
 * rng.normal().toFixed(6);          // "-0.294797"
 * Array.from(rng.permutation(5));   // [2,1,0,4,3]
 * createRng(42).uniform() === createRng(42).uniform(); // true
 * ```
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw rngError('seed', seed, 'is not a safe integer', 'an integer with |seed| <= 2^53 - 1');
  }
  return new XoroshiroRng(seed);
}

/** The unchecked fast paths, for the data generators (which check their options once). */
export function internals(rng: Rng): {
  unit(): number;
  below(n: number): number;
  standardNormal(): number;
  standardT(df: number): number;
  standardCauchy(): number;
} {
  if (!(rng instanceof XoroshiroRng)) {
    throw rngError('rng', rng, 'is not a generator made by createRng', 'createRng(seed)');
  }
  return rng;
}

function rngError(argument: string, value: unknown, problem: string, domain: string): LossInputError {
  return new LossInputError({ argument, value, problem, domain });
}

function checkFinite(argument: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw rngError(argument, v, 'is not a finite number', 'a finite number');
}

function checkCount(argument: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 4294967296) {
    throw rngError(argument, v, 'is not a valid count', `an integer in [${min}, 2^32]`);
  }
}
