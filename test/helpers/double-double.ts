/**
 * e^x, e^x - 1 and ln(1 + x) in double-double arithmetic (a value hi + lo, about 106 bits): a
 * reference fast enough for 10^7 arguments, where decimal.js (0.1-0.2 ms per call) is not.
 * Written from the textbook algorithms (Dekker's products, Knuth's sums), independently of
 * src/losses/elementary.ts; test/elementary.spec.ts checks it against decimal.js before it
 * trusts it, and reads the error of a double against it in ulps.
 */

/** hi + lo with |lo| <= ulp(hi) / 2. */
export type DD = [number, number];

/** a + b = s + e exactly (Knuth's TwoSum). */
function twoSum(a: number, b: number): DD {
  const s = a + b;
  const z = s - a;
  return [s, a - (s - z) + (b - z)];
}

const SPLITTER = 134217729; // 2^27 + 1

/** a · b = p + e exactly (Dekker's product, with Veltkamp's split; no fused multiply-add in JS). */
function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

export function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [u, g] = twoSum(s, e + t);
  return twoSum(u, g + f);
}

export function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

const neg = (a: DD): DD => [-a[0], -a[1]];
const scale = (a: DD, s: number): DD => [a[0] * s, a[1] * s];

/** ln 2 in three parts (from decimal.js): LN2_A has 40 bits, so k · LN2_A is exact for |k| < 2^13. */
const LN2_A = 0.6931471805601177;
const LN2_B = -1.7239444525614835e-13;
const LN2_C = 1.94704509238075e-31;

/** e^r for |r| <= ln 2 / 2: (e^(r/256))^(2^8), the inner one by its Taylor series to r^11. */
function expSmall(r: DD): DD {
  const s = scale(r, 1 / 256);
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let k = 1; k <= 11; k++) {
    term = scale(mul(term, s), 1 / k);
    sum = add(sum, term);
  }
  for (let k = 0; k < 8; k++) sum = mul(sum, sum);
  return sum;
}

/**
 * e^x as 2^k · m with m a double-double in [0.7, 1.42], for x in [-746, 710]: the scale is kept
 * apart, so that a result below the normal range keeps its precision.
 */
export function expParts(x: number): { k: number; m: DD } {
  const k = Math.round(x / Math.LN2);
  // x - k ln 2: the first subtraction is exact (k · LN2_A is, and Sterbenz), the rest in double-double.
  let r: DD = [x - k * LN2_A, 0];
  r = add(r, neg(twoProd(k, LN2_B)));
  r = add(r, [-k * LN2_C, 0]);
  return { k, m: expSmall(r) };
}

/** e^x - 1 for x >= 0, as a double-double: the series where e^x - 1 would cancel, else e^x minus 1. */
export function expm1(x: number): DD {
  if (x < 1 / 64) {
    let term: DD = [x, 0];
    let sum: DD = [x, 0];
    for (let k = 2; k <= 14; k++) {
      term = scale(mul(term, [x, 0]), 1 / k);
      sum = add(sum, term);
    }
    return sum;
  }
  const { k, m } = expParts(x);
  return add(scale(m, 2 ** k), [-1, 0]);
}

/**
 * ln(1 + x) for x in [0, 1], as a double-double: the series x - x²/2 + … below 2^-7; above, one
 * Newton step y + (1 + x) e^-y - 1 from Math.log1p's y, which doubles its 53 correct bits.
 */
export function log1p(x: number): DD {
  if (x < 1 / 128) {
    let power: DD = [x, 0];
    let sum: DD = [x, 0];
    for (let k = 2; k <= 20; k++) {
      power = mul(power, [-x, 0]);
      sum = add(sum, scale(power, 1 / k));
    }
    return sum;
  }
  const y = Math.log1p(x);
  const { k, m } = expParts(-y);
  const onePlusX = twoSum(1, x);
  const correction = add(mul(onePlusX, scale(m, 2 ** k)), [-1, 0]);
  return add([y, 0], correction);
}

/** v · 2^p for any integer p with the product representable: two exact steps where 2^p alone is not. */
function times2(v: number, p: number): number {
  const half = Math.trunc(p / 2);
  return v * 2 ** half * 2 ** (p - half);
}

/** ⌊log2 |v|⌋ for a normal double v: Math.log2 rounds, and near a power of two it can round up to it. */
function exponentOf(v: number): number {
  let e = Math.floor(Math.log2(Math.abs(v)));
  if (2 ** e > Math.abs(v)) e--;
  else if (2 ** (e + 1) <= Math.abs(v)) e++;
  return e;
}

/** The distance of a double from 2^k · m in ulps of the exact value (subnormal ulps below 2^-1022). */
export function ulpsFrom(got: number, k: number, m: DD): number {
  // Exponent of the exact value m · 2^k, taken from its leading part (|m[1]| is far below its ulp).
  const e = exponentOf(m[0]) + k;
  const ulpExponent = Math.max(e, -1022) - 52;
  // In units of that ulp both are below 2^54: the difference is computed exactly enough.
  const p = k - ulpExponent;
  const d = add([times2(got, -ulpExponent), 0], neg([times2(m[0], p), times2(m[1], p)]));
  return Math.abs(d[0] + d[1]);
}

/** The same for a double-double value that is a normal number. */
export function ulpsFromValue(got: number, exact: DD): number {
  if (exact[0] === 0) return got === 0 ? 0 : Infinity;
  return ulpsFrom(got, 0, exact);
}
