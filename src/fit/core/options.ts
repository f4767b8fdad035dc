/**
 * Reading the optional fields of options objects the same way everywhere in fit/.
 */
import { LossInputError } from '../../errors';

/**
 * `value`, or `fallback` when it is undefined. Only undefined means "not given": `null` is
 * passed on to the checks, which reject it, where `??` would quietly take the default.
 */
export function optional<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

export function checkBoolean(loss: string | undefined, argument: string, v: unknown): boolean {
  if (typeof v !== 'boolean') {
    throw new LossInputError({ loss, argument, value: v, problem: 'is not a boolean', domain: 'true or false' });
  }
  return v;
}
