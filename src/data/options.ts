/**
 * Reading a generator's options object: what is not an object is refused, and each field is
 * read exactly once, so that a getter or Proxy trap of the caller's runs once and its exception
 * becomes a LossInputError naming the field instead of escaping as itself.
 */
import { LossInputError, readGuarded } from '../errors';

export function readOptions<T extends object>(
  opts: unknown,
  keys: readonly (keyof T & string)[],
  domain: string,
  argument = 'opts',
): T {
  // Array.isArray runs the caller's code too: it throws on a revoked Proxy.
  if (typeof opts !== 'object' || opts === null || readGuarded(argument, () => Array.isArray(opts), domain)) {
    throw new LossInputError({ argument, value: opts, problem: 'is not an options object', domain });
  }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    try {
      copy[key] = (opts as Record<string, unknown>)[key];
    } catch (cause) {
      throw new LossInputError({
        argument: argument === 'opts' ? key : `${argument}.${key}`,
        problem: 'could not be read',
        domain,
        cause,
      });
    }
  }
  return copy as T;
}

/** `v`, or `fallback` when it is left out: only `undefined` means left out (`null` is a bad value, not a default). */
export function orDefault<T>(v: T | undefined, fallback: T): T {
  return v === undefined ? fallback : v;
}
