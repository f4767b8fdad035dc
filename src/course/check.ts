/**
 * `check`: the course's way of stating a claim next to the computation that tests it. A
 * notebook stops at the first check that fails, so a change to the package that breaks a
 * statement of the course cannot go unnoticed.
 */
import { LossInputError } from '../errors';

/** Thrown by `check` when the condition is false; the message is the claim that failed. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

/**
 * Prints "✔ claim" when `condition` is true; throws `CheckFailed` otherwise.
 *
 * @example
 * ```ts
 * import { check } from 'losslab/course';
 * check(1 + 1 === 2, 'arithmetic still works'); // undefined  (and prints "✔ arithmetic still works")
 * check(1 + 1 === 3, 'one and one make three'); // throws CheckFailed: check failed: one and one make three
 * ```
 */
export function check(condition: boolean, claim: string): void {
  if (typeof condition !== 'boolean') {
    throw new LossInputError({
      argument: 'condition',
      value: condition,
      problem: 'is not a boolean (a check must compare something)',
      domain: 'true or false',
    });
  }
  if (typeof claim !== 'string' || claim.trim() === '') {
    throw new LossInputError({
      argument: 'claim',
      value: claim,
      problem: 'is not a sentence',
      domain: 'a non-empty string saying what is checked',
    });
  }
  if (!condition) throw new CheckFailed(`check failed: ${claim}`);
  console.log(`✔ ${claim}`);
}
