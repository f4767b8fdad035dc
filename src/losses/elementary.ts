/**
 * e^x, e^x - 1 and ln(1 + x) for the loss formulas, in JavaScript that V8 compiles into each
 * loss's own loop. Math.exp and Math.log1p are calls into C++ that no loop can inline (a loop of
 * either took 15 and 18 ns per element here, one of these 4.3 and 4.4, best of 30 on a loaded
 * 2-core machine). Each is a table lookup and a short polynomial, without a data-dependent
 * branch on ordinary arguments.
 *
 * Accuracy (test/elementary.spec.ts measures it over 10^7 arguments for exp and log1pUnit, 2·10^6
 * for expm1Positive, against a double-double reference checked itself against decimal.js):
 * - exp: below 0.52 ulp for a normal result; a subnormal one rounds twice (its significand, then
 *   into the subnormal range), below 0.77 subnormal ulp, as Math.exp does there;
 * - expm1Positive: below 1.02 ulp on [0, 709] (two roundings beyond e^x = 2^53, see there);
 * - log1pUnit: below 0.9 ulp on [0, 1].
 * Each is within 2.3u relative of the exact value, where u = 2^-53; fdlibm's functions, which
 * V8's Math uses, promise less than 1 ulp.
 *
 * The tables come from scripts/generate-kernels.js (tables.generated.ts), computed there with
 * decimal.js; a test checks that file is current.
 */
import {
  EXP_BITS,
  EXP_HI,
  EXP_LO,
  EXP_SCALE,
  EXP_STEP_HI,
  EXP_STEP_LO,
  LOG_EXACT,
  LOG_HI,
  LOG_LO,
  LOG_STEPS,
  logTail,
} from './tables.generated';

/*
 * Module constants, so that the functions read them from their own scope rather than through
 * the generated module's exports on every call.
 */
/** Literals, not the imports: V8 folds a literal shift and mask into the instructions. */
const BITS = 7;
const MASK = 127;
if (EXP_BITS !== BITS) throw new Error('elementary.ts: the tables have another EXP_BITS; update BITS and MASK');
const SCALE = EXP_SCALE;
const STEP_HI = EXP_STEP_HI;
const STEP_LO = EXP_STEP_LO;
const T_HI = EXP_HI;
const T_LO = EXP_LO;
const L_HI = LOG_HI;
const L_LO = LOG_LO;

/** 1.5 · 2^52: for |v| < 2^51, v + SHIFT - SHIFT is v rounded to the nearest integer. */
const SHIFT = 6755399441055744;

/** 2^k at index k + POW2_BIAS, for k = -1074 … 1023: exact, each the last one halved or doubled. */
const POW2_BIAS = 1074;
const POW2 = ((): Float64Array => {
  const t = new Float64Array(POW2_BIAS + 1024);
  t[POW2_BIAS] = 1;
  for (let k = 1; k <= 1023; k++) t[POW2_BIAS + k] = 2 * t[POW2_BIAS + k - 1];
  for (let k = -1; k >= -1074; k--) t[POW2_BIAS + k] = 0.5 * t[POW2_BIAS + k + 1];
  return t;
})();

/**
 * e^x for any double. With k = round(x · 128 / ln 2), j = k mod 128 and m = (k - j) / 128,
 * e^x = 2^m · 2^(j/128) · e^r, where r = x - k ln 2 / 128 is exact up to 2^-86 relative (ln 2 /
 * 128 in two parts, the first short enough that k times it is exact) and |r| <= ln 2 / 256. The
 * polynomial r + r²/2 + … + r⁵/120 leaves out r⁶/720 < 5e-19 relative; 2^(j/128) is a double
 * and its correction, added after the small product: the result is the exact value rounded
 * once, plus errors of about 0.01 ulp. Outside [-708, 709] (where 2^m would leave the normal
 * range or the result overflows) `expOutside` splits 2^m in two factors.
 */
export function exp(x: number): number {
  if (!(x >= -708 && x <= 709)) return expOutside(x);
  const kd = x * SCALE + SHIFT - SHIFT;
  const k = kd | 0;
  const r = x - kd * STEP_HI - kd * STEP_LO;
  const r2 = r * r;
  const q = r + r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24 + r * (1 / 120)));
  const j = k & MASK;
  const t = T_HI[j];
  return (t + (T_LO[j] + t * q)) * POW2[(k >> BITS) + POW2_BIAS];
}

/**
 * e^x for x outside [-708, 709], NaN and ±Infinity: x is clamped to [-746, 710], beyond which
 * the result rounds to 0 or overflows, and 2^m is applied as 2^⌊m/2⌋ · 2^(m - ⌊m/2⌋) so that
 * the first product is exact and the second rounds once, into the subnormals or to Infinity.
 */
function expOutside(x: number): number {
  if (Number.isNaN(x)) return x;
  const c = x < -746 ? -746 : x > 710 ? 710 : x;
  const kd = c * SCALE + SHIFT - SHIFT;
  const k = kd | 0;
  const r = c - kd * STEP_HI - kd * STEP_LO;
  const r2 = r * r;
  const q = r + r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24 + r * (1 / 120)));
  const j = k & MASK;
  const t = T_HI[j];
  const m = k >> BITS;
  const half = m >> 1;
  return (t + (T_LO[j] + t * q)) * POW2[half + POW2_BIAS] * POW2[m - half + POW2_BIAS];
}

/**
 * e^x - 1 for x in [0, 709] (its one caller, `coshTerm`, clamps at 350; beyond 709 the power of
 * two leaves the table), with relative precision where e^x is close to 1. Below 1/64 it is
 * x + x²/2 + … + x⁷/5040 (the rest is below 6e-18 relative), rounded once at the end. Above,
 * with exp's reduction, e^x - 1 = (2^m t - 1) + 2^m (t_lo + t q): the first part is exact for
 * m <= 52, and the second, at most 0.14 of the result, brings its roundings and the
 * polynomial's truncation, at most 0.36 ulp of the result, before one rounding adds them; for
 * m > 52 (x > 36.7) 2^m t - 1 rounds as well, so two roundings: below 1.02 ulp. The branch is
 * taken the same way unless residuals sit below 1/64.
 */
export function expm1Positive(x: number): number {
  if (x < 1 / 64) {
    const x2 = x * x;
    return x + x2 * (0.5 + x * (1 / 6) + x2 * (1 / 24 + x * (1 / 120)) + x2 * x2 * (1 / 720 + x * (1 / 5040)));
  }
  const kd = x * SCALE + SHIFT - SHIFT;
  const k = kd | 0;
  const r = x - kd * STEP_HI - kd * STEP_LO;
  const r2 = r * r;
  const q = r + r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24 + r * (1 / 120)));
  const j = k & MASK;
  const t = T_HI[j];
  const scale = POW2[(k >> BITS) + POW2_BIAS];
  return t * scale - 1 + (T_LO[j] + t * q) * scale;
}

/** a_j = 0 for j < LOG_EXACT, else j / LOG_STEPS (exact), and 1 / (1 + a_j) rounded once. */
const LOG_ANCHOR = Float64Array.from({ length: LOG_STEPS + 1 }, (_, j) => (j < LOG_EXACT ? 0 : j / LOG_STEPS));
const STEPS_PER_UNIT = 128;
if (LOG_STEPS !== STEPS_PER_UNIT) throw new Error('elementary.ts: the tables have another LOG_STEPS');
const LOG_INV = LOG_ANCHOR.map((a) => 1 / (1 + a));

/**
 * ln(1 + x) for x in [0, 1] (what the logistic family needs: x = e^-|z|); NaN gives NaN, and
 * anything else outside [0, 1] is not allowed. With j = ⌊128 x⌋ and a_j as above,
 * ln(1 + x) = ln(1 + a_j) + ln(1 + r), r = (x - a_j) / (1 + a_j) in [0, 1/16): x - a_j is exact
 * (Sterbenz), and below 1/16 a_j = 0, so there r = x exactly and the result keeps full relative
 * precision. Elsewhere r carries two roundings, but the result is at least ln(17/16) > 7.4 r,
 * which makes them weigh at most 0.27u. ln(1 + r) = r + r² (r g(r) - 1/2), g from
 * tables.generated.ts (its interpolation error is below 0.02u), so that the last addition rounds
 * once a sum whose other parts are already small.
 */
export function log1pUnit(x: number): number {
  const j = (x * STEPS_PER_UNIT) | 0;
  const r = (x - LOG_ANCHOR[j]) * LOG_INV[j];
  const r2 = r * r;
  return L_HI[j] + (r + (L_LO[j] + r2 * (r * logTail(r) - 0.5)));
}

/**
 * exp's and log1pUnit's constants and tables in one array, for the WebAssembly loops of the
 * logistic family (assembly/loss.ts reads this layout): SCALE, STEP_HI, STEP_LO, a pad, then
 * T_HI and T_LO (128 each), LOG_ANCHOR, LOG_INV, L_HI and L_LO (129 each). POW2 is not there:
 * those loops make 2^m from its bits.
 */
export const ELEMENTARY_TABLES: Float64Array = Float64Array.of(
  SCALE,
  STEP_HI,
  STEP_LO,
  0,
  ...T_HI,
  ...T_LO,
  ...LOG_ANCHOR,
  ...LOG_INV,
  ...L_HI,
  ...L_LO,
);
