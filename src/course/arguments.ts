/**
 * The course's helpers pass their arguments on to the package (median, sigmoid, makeRegression),
 * whose errors name the argument as the package calls it (`xs`, `x`, `seed`). `renamed` puts
 * the caller's name back, so the error names what the caller wrote.
 */
import { LossInputError } from '../errors';

/** Runs `read`; a LossInputError about `inner` (or a field or entry of it) is re-thrown about `argument`. */
export function renamed<T>(argument: string, inner: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof LossInputError) || !(e.argument === inner || e.argument.startsWith(`${inner}[`) || e.argument.startsWith(`${inner}.`))) throw e;
    const details = { loss: e.loss, argument: argument + e.argument.slice(inner.length), problem: e.problem, domain: e.domain, cause: e };
    throw new LossInputError({ ...details, ...(e.index === undefined ? {} : { index: e.index }), ...('value' in e && e.value !== undefined ? { value: e.value } : {}) });
  }
}
