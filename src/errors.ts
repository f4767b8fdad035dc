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
  /** What is wrong, in a few words, as in the message. */
  readonly problem: string;

  constructor(details: LossInputErrorDetails) {
    super(formatMessage(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.problem = details.problem;
    this.loss = details.loss;
    this.argument = details.argument;
    this.index = details.index;
    this.value = details.value;
    this.domain = details.domain;
  }
}

/**
 * A well-formed request that the method asked for cannot honour: a solver named for a loss or
 * penalty it does not handle, a loss no solver can fit (the 0–1 loss), a method whose
 * guarantee needs a convex loss. The input is valid; what it asks is out of this method's
 * reach, and the message says what would work instead.
 *
 * Why a subclass of LossInputError whose `name` is still 'LossInputError': code written
 * against 0.1 catches these with `instanceof LossInputError` or by `err.name`, and the API
 * contract promises exactly that for a bad solver name or an unsuitable loss. A caller that
 * wants to tell the two apart (to fall back to another solver, say) tests
 * `instanceof UnsupportedProblemError`, or reads `solver`.
 *
 * @example
 * ```ts
 * import { fitLinear, losses, LossInputError, UnsupportedProblemError } from 'losslab';
 * let err: unknown;
 * try { fitLinear([[0], [1], [2]], [1, 2, 4], { loss: losses.l1, solver: 'leastSquares' }); } catch (e) { err = e; }
 * err instanceof UnsupportedProblemError && err instanceof LossInputError; // true
 * err instanceof UnsupportedProblemError ? [err.name, err.solver] : [];    // ["LossInputError","leastSquares"]
 * ```
 */
export class UnsupportedProblemError extends LossInputError {
  /**
   * What declined: a solver's name; 'auto' (no solver takes the problem); 'fitLinear' (no
   * solver could fit this loss at all); 'fitPath', 'optimalConstant' or 'checkOptimality'.
   */
  readonly solver: string;

  constructor(solver: string, details: LossInputErrorDetails) {
    super(details);
    this.solver = solver;
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
    d.index === undefined
      ? d.argument
      : typeof d.index === 'number'
        ? `${d.argument}[${d.index}]`
        : `${d.argument}[${d.index[0]}][${d.index[1]}]`;
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
  if (typeof v !== 'object') return typeof v;
  // The value may be a Proxy whose traps throw, or a revoked one: describing the bad value must
  // not replace the error about it with the caller's own exception.
  try {
    if (Array.isArray(v)) return `an array of length ${v.length}`;
    const name: unknown = v.constructor?.name;
    return typeof name === 'string' ? name : 'object';
  } catch {
    return 'an unreadable object';
  }
}

/**
 * Runs `read`, a check that reads the caller's argument. The caller's own code may run during
 * those reads (a getter, a Proxy trap, a revoked Proxy) and throw: that exception becomes a
 * LossInputError naming `argument`, with it as the `cause`, so that a bad argument is always
 * reported as one. LossInputErrors of the check itself pass through unchanged.
 */
export function readGuarded<T>(argument: string, read: () => T, domain?: string, loss?: string): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof LossInputError) throw cause;
    throw new LossInputError({ loss, argument, problem: 'could not be read: reading it threw', domain, cause });
  }
}
