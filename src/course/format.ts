/**
 * Numbers as the course prints them: a few digits, never "-0.000", and intervals in one
 * consistent shape, so every figure quoted in a sentence or a table comes from the run.
 */
import { renamed } from './arguments';
import { LossInputError, readGuarded } from '../errors';
import type { Interval } from './stats';

function checkNumber(argument: string, x: unknown): number {
  if (typeof x !== 'number')
    throw new LossInputError({ argument, value: x, problem: 'is not a number', domain: 'a number' });
  return x;
}

function checkDigits(digits: unknown, max: number, min = 0): number {
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < min || digits > max) {
    throw new LossInputError({
      argument: 'digits',
      value: digits,
      problem: 'is not a usable number of digits',
      domain: `an integer in [${min}, ${max}]`,
    });
  }
  return digits;
}

/** A sign-less zero for values that round to zero: "-0.000" reads as a different number. */
const dropNegativeZero = (s: string): string => (/^-0(\.0*)?(e[+-]?\d+)?$/.test(s) ? s.slice(1) : s);

/**
 * A number with `digits` decimals (default 3); ±Infinity and NaN as words.
 *
 * @example
 * ```ts
 * import { fmt } from 'losslab/course';
 * fmt(Math.PI);      // "3.142"
 * fmt(-0.0001);      // "0.000"
 * fmt(2.5, 0);       // "3"
 * ```
 */
export function fmt(x: number, digits = 3): string {
  checkNumber('x', x);
  checkDigits(digits, 20);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  return dropNegativeZero(x.toFixed(digits));
}

/**
 * A number to `digits` significant digits (default 3), in plain notation between 1e-4 and
 * 1e6 and in scientific notation outside.
 *
 * @example
 * ```ts
 * import { sig } from 'losslab/course';
 * sig(0.000123456);   // "0.000123"
 * sig(1234.5678, 4);  // "1235"
 * sig(2.5e-9);        // "2.50e-9"
 * sig(2.50);          // "2.5"  (trailing zeros dropped in plain notation)
 * ```
 */
export function sig(x: number, digits = 3): string {
  checkNumber('x', x);
  checkDigits(digits, 17, 1);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const size = Math.abs(x);
  if (size >= 1e-4 && size < 1e6) return dropNegativeZero(String(Number(x.toPrecision(digits))));
  return dropNegativeZero(x.toExponential(digits - 1).replace('e+', 'e'));
}

/**
 * Scientific notation with `digits` decimals in the mantissa (default 1).
 *
 * @example
 * ```ts
 * import { sci } from 'losslab/course';
 * sci(0.000271828); // "2.7e-4"
 * ```
 */
export function sci(x: number, digits = 1): string {
  checkNumber('x', x);
  checkDigits(digits, 20);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  return dropNegativeZero(x.toExponential(digits).replace('e+', 'e'));
}

/**
 * An interval estimate as "estimate [lower, upper]", each to `digits` significant digits;
 * an exact computation (level 1 with a zero-width interval) as the estimate alone.
 *
 * @example
 * ```ts
 * import { fmtInterval } from 'losslab/course';
 * fmtInterval({ estimate: 0.6612, lower: 0.601, upper: 0.7321, level: 0.95, method: '' }); // "0.661 [0.601, 0.732]"
 * ```
 */
export function fmtInterval(interval: Interval, digits = 3): string {
  const domain = '{ estimate, lower, upper, level, method }';
  if (typeof interval !== 'object' || interval === null)
    throw new LossInputError({ argument: 'interval', value: interval, problem: 'is not an interval', domain });
  // Each end read once, under the guard: a getter or trap that throws is a LossInputError naming interval.
  const { estimate, lower, upper } = readGuarded(
    'interval',
    () => {
      const { estimate: e, lower: l, upper: u } = interval;
      return { estimate: e, lower: l, upper: u };
    },
    domain,
  );
  const text = (key: string, v: number): string => renamed(`interval.${key}`, 'x', () => sig(v, digits));
  if (lower === upper && lower === estimate) return text('estimate', estimate);
  return `${text('estimate', estimate)} [${text('lower', lower)}, ${text('upper', upper)}]`;
}
