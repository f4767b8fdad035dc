/**
 * The elementary functions the loss loops call (src/losses/elementary.ts), measured in ulps over
 * 10^7 arguments each for exp and log1pUnit (and 2·10^6 for expm1Positive) against a
 * double-double reference (test/helpers/double-double.ts), which is first checked against
 * decimal.js at 60 digits. The bounds are those of the error analysis in elementary.ts, not the
 * numbers observed.
 */
import { expect } from 'chai';
import Decimal from 'decimal.js';
import { losses } from '../src/index';
import { exp, expm1Positive, log1pUnit } from '../src/losses/elementary';
import {
  type DD,
  expm1 as ddExpm1,
  expParts,
  log1p as ddLog1p,
  ulpsFrom,
  ulpsFromValue,
} from './helpers/double-double';

const D = Decimal.clone({ precision: 60, minE: -9e15, maxE: 9e15 });

/** The exact value of a double (new Decimal(x) would read its shortest decimal instead). */
function exact(x: number): Decimal {
  if (x === 0) return new D(0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (hi & 0xfffff) * 4294967296 + view.getUint32(4);
  const mantissa = biased === 0 ? fraction : fraction + 2 ** 52;
  const magnitude = new D(mantissa).mul(new D(2).pow((biased === 0 ? 1 : biased) - 1075));
  return x < 0 ? magnitude.neg() : magnitude;
}

/** Uniform in (0, 1), from a seeded 32-bit LCG with a second draw for the low bits: 53 random bits. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  return () => (next() * 2 ** 21 + (next() >>> 11) + 0.5) / 2 ** 53;
}

/**
 * n arguments in [lo, hi]: half uniform, half log-uniform in magnitude from 2^minLog2 up, so that
 * every binade of the range is visited, not only the wide ones.
 */
function argumentsIn(n: number, lo: number, hi: number, minLog2: number, seed: number): Float64Array {
  const u = uniform(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) out[i] = lo + (hi - lo) * u();
    else {
      const top = Math.log2(Math.max(Math.abs(lo), Math.abs(hi)));
      const magnitude = 2 ** (minLog2 + (top - minLog2) * u());
      const negative = lo < 0 && (hi <= 0 || u() < 0.5);
      out[i] = Math.min(hi, Math.max(lo, negative ? -magnitude : magnitude));
    }
  }
  return out;
}

/** The worst error in ulps of `f` over the arguments, and where. */
function worst(args: Float64Array, ulps: (x: number) => number): { ulps: number; at: number } {
  let max = 0;
  let at = Number.NaN;
  for (let i = 0; i < args.length; i++) {
    const e = ulps(args[i]);
    if (!(e <= max)) {
      max = e;
      at = args[i];
    }
  }
  return { ulps: max, at };
}

const ddValue = (v: DD): Decimal => exact(v[0]).add(exact(v[1]));

/** ln(1 + p) at 60 digits: by its series for small p, where 1 + p rounds to 1 at any fixed precision. */
function log1pTruth(p: number): Decimal {
  const x = exact(p);
  if (p >= 1 / 128) return x.add(1).ln();
  let power = x;
  let sum = x;
  // (1/128)^k / k falls below 10^-60 of p before k = 30.
  for (let k = 2; k <= 30; k++) {
    power = power.mul(x).neg();
    sum = sum.add(power.div(k));
  }
  return sum;
}

/** e^q - 1 at 60 digits: by its series for small q, where e^q rounds to 1 at any fixed precision. */
function expm1Truth(q: number): Decimal {
  const x = exact(q);
  if (q >= 1 / 64) return x.exp().sub(1);
  let term = x;
  let sum = x;
  // (1/64)^k / k! falls below 10^-60 of q before k = 30.
  for (let k = 2; k <= 30; k++) {
    term = term.mul(x).div(k);
    sum = sum.add(term);
  }
  return sum;
}

describe('elementary functions of the loss loops', function () {
  this.timeout(180_000);

  it('the double-double reference agrees with decimal.js to far below the bounds tested (1e-4 ulp)', () => {
    const u = uniform(7);
    const rel = (got: Decimal, truth: Decimal): number => got.sub(truth).div(truth).abs().toNumber();
    // 2^-53 relative is at most 1 ulp; 1e-4 ulp is then below 2^-53 · 1e-4 relative.
    const limit = 2 ** -53 * 1e-4;
    for (let i = 0; i < 300; i++) {
      const x = i % 3 === 0 ? -745 + 1454 * u() : (u() < 0.5 ? -1 : 1) * 2 ** (-60 + 70 * u());
      const { k, m } = expParts(x);
      expect(rel(ddValue(m).mul(new D(2).pow(k)), exact(x).exp()), `exp(${x})`).to.be.below(limit);
      const p = i % 2 === 0 ? u() : 2 ** (-1074 + 1074 * u());
      expect(rel(ddValue(ddLog1p(p)), log1pTruth(p)), `log1p(${p})`).to.be.below(limit);
      const q = i % 2 === 0 ? 709 * u() : 2 ** (-1074 + 1080 * u());
      expect(rel(ddValue(ddExpm1(q)), expm1Truth(q)), `expm1(${q})`).to.be.below(limit);
    }
  });

  /*
   * The bounds (elementary.ts derives them): one final rounding, 0.5 ulp, plus what comes
   * before it, relative to the result:
   * - exp: the table's correction, the reduced argument and the polynomial, below 0.02 ulp;
   *   a subnormal result rounds twice (the significand, then into the subnormal), and the first
   *   rounding weighs at most half a subnormal ulp times the result over 2^-1022, i.e. 0.25.
   * - expm1Positive: below 1/64 the series adds under 0.07; above, for results below 2^53, the
   *   part t q · 2^m carries up to 0.36 ulp of roundings and truncation; beyond, 2^m t - 1 rounds
   *   too, and two roundings of 0.5 ulp plus 0.02 make 1.02.
   * - log1pUnit: the reduced argument's two roundings weigh at most 0.27 ulp, the rest 0.1.
   */
  it('exp: below 0.52 ulp for normal results and 0.77 subnormal ulp below 2^-1022, over 10^7 arguments in [-746, 709.78]', () => {
    const args = argumentsIn(1e7, -746, 709.782712893384, -60, 11);
    const normal = worst(
      args.filter((x) => x >= -708.39),
      (x) => {
        const { k, m } = expParts(x);
        return ulpsFrom(exp(x), k, m);
      },
    );
    const sub = worst(
      args.filter((x) => x < -708.4),
      (x) => {
        const { k, m } = expParts(x);
        return ulpsFrom(exp(x), k, m);
      },
    );
    expect(normal.ulps, `at ${normal.at}`).to.be.below(0.52);
    expect(sub.ulps, `at ${sub.at}`).to.be.below(0.77);
  });

  it('log1pUnit: below 0.9 ulp over 10^7 arguments in [0, 1], subnormals included', () => {
    const args = argumentsIn(1e7, 0, 1, -1074, 12);
    const w = worst(args, (x) => ulpsFromValue(log1pUnit(x), ddLog1p(x)));
    expect(w.ulps, `at ${w.at}`).to.be.below(0.9);
  });

  it('expm1Positive: below 1.02 ulp over 2·10^6 arguments in [0, 709]', () => {
    const args = argumentsIn(2e6, 0, 709, -1074, 13);
    const w = worst(args, (x) => ulpsFromValue(expm1Positive(x), ddExpm1(x)));
    expect(w.ulps, `at ${w.at}`).to.be.below(1.02);
  });

  it('special arguments give the exact answers', () => {
    const same = (got: number, want: number, what: string): void => {
      expect(Object.is(got, want), `${what}: ${got}, want ${want}`).to.equal(true);
    };
    same(exp(0), 1, 'exp(0)');
    same(exp(-0), 1, 'exp(-0)');
    same(exp(5e-324), 1, 'exp(5e-324)');
    same(exp(-5e-324), 1, 'exp(-5e-324)');
    same(exp(Infinity), Infinity, 'exp(Infinity)');
    same(exp(-Infinity), 0, 'exp(-Infinity)');
    same(exp(Number.NaN), Number.NaN, 'exp(NaN)');
    // The largest argument with a finite e^x, and the next double, whose e^x rounds to Infinity.
    expect(exp(709.782712893384)).to.be.below(Infinity);
    same(exp(709.7827128933841), Infinity, 'exp(709.7827128933841)');
    same(exp(1e308), Infinity, 'exp(1e308)');
    same(exp(-746), 0, 'exp(-746)');
    same(exp(-1e308), 0, 'exp(-1e308)');
    same(log1pUnit(0), 0, 'log1pUnit(0)');
    same(log1pUnit(5e-324), 5e-324, 'log1pUnit(5e-324)');
    same(log1pUnit(1e-300), 1e-300, 'log1pUnit(1e-300)');
    same(log1pUnit(1), Math.LN2, 'log1pUnit(1)');
    same(log1pUnit(Number.NaN), Number.NaN, 'log1pUnit(NaN)');
    same(expm1Positive(0), 0, 'expm1Positive(0)');
    same(expm1Positive(5e-324), 5e-324, 'expm1Positive(5e-324)');
    same(expm1Positive(1e-300), 1e-300, 'expm1Positive(1e-300)');
  });

  it('the losses built on them keep their special values: zero scores of either sign, subnormal and huge margins', () => {
    const { logistic, exponential, logCosh, crossEntropyWithLogits } = losses;
    const same = (got: number, want: number, what: string): void => {
      expect(Object.is(got, want), `${what}: ${got}, want ${want}`).to.equal(true);
    };
    // ln cosh and tanh are even and odd: a residual of -0 keeps its sign in the slope.
    same(logCosh.value(0, -0), 0, 'logCosh.value(0, -0)');
    same(logCosh.derivative(0, -0), -0, 'logCosh.derivative(0, -0)');
    same(logCosh.derivative(0, 0), 0, 'logCosh.derivative(0, 0)');
    same(logCosh.derivative(0, 5e-324), 5e-324, 'logCosh.derivative(0, 5e-324)');
    same(logCosh.derivative(0, -5e-324), -5e-324, 'logCosh.derivative(0, -5e-324)');
    same(logCosh.value(0, 5e-324), 0, 'logCosh.value(0, 5e-324)');
    same(logCosh.value(0, 1e308), 1e308, 'logCosh.value(0, 1e308)');
    same(logCosh.derivative(0, -1e308), -1, 'logCosh.derivative(0, -1e308)');
    const out = new Float64Array(1);
    same(
      logCosh.kernels.sumAndDerivatives(Float64Array.of(0), Float64Array.of(-0), out, 1),
      0,
      'fused logCosh value at -0',
    );
    same(out[0], -0, 'fused logCosh slope at -0');
    same(exponential.value(1, -0), 1, 'exponential.value(1, -0)');
    same(exponential.value(1, 1e4), 0, 'exponential.value(1, 1e4)');
    same(exponential.value(1, -1e4), Infinity, 'exponential.value(1, -1e4)');
    same(exponential.derivative(-1, 1e4), Infinity, 'exponential.derivative(-1, 1e4)');
    same(logistic.value(1, 1e308), 0, 'logistic.value(1, 1e308)');
    same(logistic.derivative(1, 1e308), -0, 'logistic.derivative(1, 1e308)');
    same(logistic.value(1, 0), 1, 'logistic.value(1, 0)');
    same(logistic.value(1, -0), 1, 'logistic.value(1, -0)');
    same(logistic.value(-1, 5e-324), 1, 'logistic.value(-1, 5e-324)');
    same(crossEntropyWithLogits.value(0, 1e308), 1e308, 'crossEntropyWithLogits.value(0, 1e308)');
    same(crossEntropyWithLogits.value(1, 1e308), 0, 'crossEntropyWithLogits.value(1, 1e308)');
    same(crossEntropyWithLogits.derivative(1, -1e308), -1, 'crossEntropyWithLogits.derivative(1, -1e308)');
  });
});
