/**
 * createRng: the numbers follow from the published algorithms (splitmix64 seeding and
 * xoroshiro128+, re-implemented here in BigInt from Vigna's C reference code), so they are
 * the same on every machine; the samplers have the right distributions (Kolmogorov–Smirnov
 * against closed-form CDFs); shuffles and samples are permutations / distinct.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { erf } from 'mathjs';
import { createRng, LossInputError } from '../src/index';

const MASK64 = (1n << 64n) - 1n;

/** splitmix64.c (Vigna, 2015), transcribed into BigInt. */
function referenceSplitmix(seed: bigint): () => bigint {
  let x = seed & MASK64;
  return () => {
    x = (x + 0x9e3779b97f4a7c15n) & MASK64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  };
}

/** xoroshiro128plus.c (Blackman & Vigna, 2018 version: a = 24, b = 16, c = 37), seeded by splitmix64. */
function referenceXoroshiro(seed: number): () => bigint {
  const sm = referenceSplitmix(BigInt.asUintN(64, BigInt(seed)));
  let s0 = sm();
  let s1 = sm();
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK64;
  return () => {
    const result = (s0 + s1) & MASK64;
    s1 ^= s0;
    s0 = rotl(s0, 24n) ^ s1 ^ ((s1 << 16n) & MASK64);
    s1 = rotl(s1, 37n);
    return result;
  };
}

/** Uniform doubles as documented: (high 27 bits · 2^26 + high 26 bits) / 2^53 of the low 32-bit halves of two outputs. */
function referenceUniforms(seed: number, count: number): number[] {
  const next = referenceXoroshiro(seed);
  const low32 = (): number => Number(next() & 0xffffffffn);
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const a = Math.floor(low32() / 32);
    const b = Math.floor(low32() / 64);
    out.push((a * 67108864 + b) / 9007199254740992);
  }
  return out;
}

/** Kolmogorov–Smirnov distance between a sample and a CDF. */
function ksDistance(sample: number[], cdf: (x: number) => number): number {
  const s = [...sample].sort((a, b) => a - b);
  const n = s.length;
  let d = 0;
  s.forEach((x, i) => {
    const F = cdf(x);
    d = Math.max(d, Math.abs(F - i / n), Math.abs((i + 1) / n - F));
  });
  return d;
}

/** Critical KS distance at level 0.001 (asymptotic): 1.95 / √n. */
const ksCritical = (n: number): number => 1.95 / Math.sqrt(n);

/** Φ(x) = ½ (1 + erf(x / √2)), with mathjs's erf. */
function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

describe('createRng', () => {
  it('expands seeds with splitmix64 as published (Rosetta Code test vector for seed 1234567)', () => {
    const next = referenceSplitmix(1234567n);
    const want = [
      6457827717110365317n,
      3203168211198807973n,
      9817491932198370423n,
      4593380528125082431n,
      16408922859458223821n,
    ];
    // The reference below seeds xoroshiro128+ with this splitmix64, and createRng must agree with it bit for bit.
    expect(want.map(() => next())).to.deep.equal(want);
  });

  it('produces the uniforms of xoroshiro128+ by its definition, bit for bit', () => {
    for (const seed of [0, 1, 2, 42, -7, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
      const rng = createRng(seed);
      const ours = Array.from({ length: 50 }, () => rng.uniform());
      expect(ours, `seed ${seed}`).to.deep.equal(referenceUniforms(seed, 50));
    }
  });

  it('gives unrelated first numbers for neighbouring seeds', () => {
    const firsts = Array.from({ length: 100 }, (_, s) => createRng(s).uniform());
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    expect(mean).to.be.within(0.35, 0.65);
    expect(ksDistance(firsts, (x) => Math.min(1, Math.max(0, x)))).to.be.below(ksCritical(100) * 1.2);
  });

  it('normal(): the polar method applied to the reference uniforms, and N(0,1) by KS', () => {
    const u = referenceUniforms(9, 400);
    const want: number[] = [];
    for (let k = 0; k + 1 < u.length && want.length < 100; k += 2) {
      const a = 2 * u[k] - 1;
      const b = 2 * u[k + 1] - 1;
      const s = a * a + b * b;
      if (s >= 1 || s === 0) continue;
      const factor = Math.sqrt((-2 * Math.log(s)) / s);
      want.push(a * factor, b * factor);
    }
    const rng = createRng(9);
    expect(want.map(() => rng.normal())).to.deep.equal(want);
    const big = createRng(11);
    const sample = Array.from({ length: 20000 }, () => big.normal());
    expect(ksDistance(sample, normalCdf)).to.be.below(ksCritical(sample.length));
    const scaled = createRng(12);
    const shifted = Array.from({ length: 20000 }, () => scaled.normal(3, 2));
    expect(ksDistance(shifted, (x) => normalCdf((x - 3) / 2))).to.be.below(ksCritical(shifted.length));
  });

  it('studentT(df) matches the closed-form CDFs for df = 1, 2, 3', () => {
    const cdfs: Record<number, (t: number) => number> = {
      1: (t) => 0.5 + Math.atan(t) / Math.PI,
      2: (t) => 0.5 + t / (2 * Math.sqrt(2 + t * t)),
      3: (t) => 0.5 + (t / (Math.sqrt(3) * (1 + (t * t) / 3)) + Math.atan(t / Math.sqrt(3))) / Math.PI,
    };
    for (const df of [1, 2, 3]) {
      const rng = createRng(100 + df);
      const sample = Array.from({ length: 20000 }, () => rng.studentT(df));
      expect(ksDistance(sample, cdfs[df]), `df ${df}`).to.be.below(ksCritical(sample.length));
    }
    const rng = createRng(5);
    const gaussian = Array.from({ length: 20000 }, () => rng.studentT(Infinity));
    expect(ksDistance(gaussian, normalCdf)).to.be.below(ksCritical(gaussian.length));
  });

  it('cauchy(location, scale) matches its CDF', () => {
    const rng = createRng(77);
    const sample = Array.from({ length: 20000 }, () => rng.cauchy(1, 3));
    expect(ksDistance(sample, (x) => 0.5 + Math.atan((x - 1) / 3) / Math.PI)).to.be.below(ksCritical(sample.length));
  });

  it('uniform(low, high), bernoulli(p) and integer(n) have the right frequencies', () => {
    const rng = createRng(3);
    const u = Array.from({ length: 20000 }, () => rng.uniform(-2, 6));
    expect(ksDistance(u, (x) => Math.min(1, Math.max(0, (x + 2) / 8)))).to.be.below(ksCritical(u.length));
    let ones = 0;
    for (let i = 0; i < 20000; i++) ones += rng.bernoulli(0.3);
    // Binomial(20000, 0.3): sd ≈ 64.8; 4.5 sd.
    expect(Math.abs(ones - 6000)).to.be.below(292);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.integer(6)]++;
    // Pearson χ² with 5 degrees of freedom; 20.5 is its 0.999 quantile.
    const chi2 = counts.reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).to.be.below(20.5);
    expect(rng.bernoulli(0)).to.equal(0);
    expect(rng.bernoulli(1)).to.equal(1);
  });

  it('shuffle, permutation and sample give permutations and distinct draws', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (seed, n, kRaw) => {
          const rng = createRng(seed);
          const perm = Array.from(rng.permutation(n));
          expect([...perm].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: n }, (_, i) => i));
          const k = Math.min(kRaw, n);
          const drawn = Array.from(rng.sample(n, k));
          expect(new Set(drawn).size).to.equal(k);
          for (const i of drawn) expect(i).to.be.within(0, n - 1);
          const items = ['a', 'b', 'c', 'd'];
          expect([...rng.shuffle([...items])].sort()).to.deep.equal(items);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('shuffles uniformly: each of the 6 orders of 3 items about equally often', () => {
    const rng = createRng(8);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60000; i++) {
      const key = rng.shuffle([0, 1, 2]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).to.equal(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).to.be.below(20.5);
  });

  it('is reproducible: same seed, same stream; different seeds, different streams', () => {
    const draw = (seed: number): number[] => {
      const rng = createRng(seed);
      return [rng.uniform(), rng.normal(), rng.studentT(3), rng.cauchy(), rng.integer(1000), ...rng.sample(100, 5)];
    };
    expect(draw(5)).to.deep.equal(draw(5));
    expect(draw(5)).to.not.deep.equal(draw(6));
  });

  it('rejects bad arguments with LossInputError', () => {
    const rng = createRng(1);
    const bad: Array<[string, () => unknown]> = [
      ['seed 1.5', () => createRng(1.5)],
      ['seed NaN', () => createRng(Number.NaN)],
      ['seed string', () => createRng('1' as unknown as number)],
      ['sd < 0', () => rng.normal(0, -1)],
      ['df 0', () => rng.studentT(0)],
      ['p > 1', () => rng.bernoulli(1.5)],
      ['integer(0)', () => rng.integer(0)],
      ['integer(2.5)', () => rng.integer(2.5)],
      ['sample k > n', () => rng.sample(3, 4)],
      ['uniform high <= low', () => rng.uniform(2, 1)],
      ['cauchy scale < 0', () => rng.cauchy(0, -2)],
    ];
    for (const [what, call] of bad) expect(call, what).to.throw(LossInputError);
  });
});
