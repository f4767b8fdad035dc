/**
 * The one error type every public function throws for input it cannot honestly compute on.
 *
 * It is a `RangeError` so that generic handlers that already catch range problems keep
 * working, and it carries the details as fields so that callers (and tests) need not parse
 * the message.
 *
 * @example
 * ```ts
 * import { losses, risk, LossInputError } from 'losslab';
 * losses.hinge.value(0.5, 1); // throws LossInputError: hinge: y is outside the domain (got 0.5); allowed: labels -1 or +1
 * risk(losses.l2, [1, 2, 3], [1, NaN, 3]); // throws LossInputError: l2: f[1] is NaN; allowed: finite numbers
 * let err: unknown;
 * try { risk(losses.l2, [1, 2], [1]); } catch (e) { err = e; }
 * err instanceof LossInputError && err instanceof RangeError; // true
 * err instanceof LossInputError ? [err.argument, err.index, err.domain] : []; // ["f",null,"length 2"]
 * ```
 */
export class LossInputError extends RangeError {
  override readonly name = 'LossInputError';
  /** Id of the loss being evaluated, when there is one. */
  readonly loss: string | undefined;
  /** Name of the offending argument as the caller sees it, e.g. `y`, `f`, `weights`, `X`. */
  readonly argument: string;
  /** First offending index (or `[row, column]` for a matrix); undefined for scalar arguments. */
  readonly index: number | readonly [number, number] | undefined;
  /** The offending value, when a single value is at fault. */
  readonly value: unknown;
  /** What would have been accepted, in words or set notation. */
  readonly domain: string | undefined;

  constructor(details: LossInputErrorDetails) {
    super(formatMessage(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.loss = details.loss;
    this.argument = details.argument;
    this.index = details.index;
    this.value = details.value;
    this.domain = details.domain;
  }
}

export interface LossInputErrorDetails {
  loss?: string;
  argument: string;
  index?: number | readonly [number, number];
  value?: unknown;
  domain?: string;
  /** What is wrong, in a few words: 'is NaN', 'has length 3 but y has length 4', ... */
  problem: string;
  /** The error thrown by the caller's own code (a getter, a Proxy trap) while the argument was read. */
  cause?: unknown;
}

function formatMessage(d: LossInputErrorDetails): string {
  const who = d.loss === undefined ? '' : `${d.loss}: `;
  const where =
    d.index === undefined ? d.argument : typeof d.index === 'number' ? `${d.argument}[${d.index}]` : `${d.argument}[${d.index[0]}][${d.index[1]}]`;
  // A NaN has one spelling: "is NaN (got NaN)" would say it twice.
  const named = Number.isNaN(d.value) && d.problem.includes('NaN');
  const shown = 'value' in d && !named ? ` (got ${describeValue(d.value)})` : '';
  const allowed = d.domain === undefined ? '' : `; allowed: ${d.domain}`;
  return `${who}${where} ${d.problem}${shown}${allowed}`;
}

function describeValue(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
}
