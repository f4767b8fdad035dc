/**
 * The course's helpers pass their arguments on to the package (median, sigmoid, makeRegression),
 * whose errors name the argument as the package calls it (`xs`, `x`, `seed`). `renamed` puts
 * the caller's name back, so the error names what the caller wrote.
 */
import { LossInputError, readGuarded } from '../errors';

/** Runs `read`; a LossInputError about `inner` (or a field or entry of it) is re-thrown about `argument`. */
export function renamed<T>(argument: string, inner: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (
      !(e instanceof LossInputError) ||
      !(e.argument === inner || e.argument.startsWith(`${inner}[`) || e.argument.startsWith(`${inner}.`))
    )
      throw e;
    const details = {
      loss: e.loss,
      argument: argument + e.argument.slice(inner.length),
      problem: e.problem,
      domain: e.domain,
      cause: e,
    };
    throw new LossInputError({
      ...details,
      ...(e.index === undefined ? {} : { index: e.index }),
      ...('value' in e && e.value !== undefined ? { value: e.value } : {}),
    });
  }
}

/**
 * An experiment's result as a figure or table helper takes it, read once under the guard into a
 * shallow copy: a getter or Proxy trap that throws while it is read or checked is a LossInputError
 * naming the argument, with the caller's exception as its cause, and the helper then works on the
 * copy, so nothing the caller's object does later can change what was checked. `fits` says whether
 * the copy has the fields the helper needs; `experiment` names what should have been passed.
 */
export function readResult<T extends object>(
  argument: string,
  value: T,
  experiment: string,
  fits: (copy: T) => boolean,
): T {
  const domain = `the value runExperiment(${experiment}) returns`;
  const copy = readGuarded(
    argument,
    () => (typeof value === 'object' && value !== null ? { ...value } : undefined),
    domain,
  );
  if (copy === undefined || !readGuarded(argument, () => fits(copy), domain)) {
    throw new LossInputError({ argument, value, problem: `is not the result of ${experiment}`, domain });
  }
  return copy;
}

/**
 * A record argument (a claim, a data set, a fit, the measurements) copied once under the guard:
 * a getter or Proxy trap that throws, or a revoked Proxy, is a LossInputError naming the
 * argument with the caller's exception as its cause, and the function then reads each field
 * from the copy, so a getter cannot answer differently between its check and its use. The copy
 * is shallow: a field that is itself an object is still the caller's, to be read under a guard
 * naming that field. `problem` and `domain` say what a value that is no record should have been.
 */
export function readRecord<T extends object>(argument: string, value: T, problem: string, domain: string): T {
  const copy = readGuarded(
    argument,
    () => (typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : undefined),
    domain,
  );
  if (copy === undefined) throw new LossInputError({ argument, value, problem, domain });
  return copy;
}

/** Levels a claim nests at most (claim, readings, a reading, conditions, a condition, threshold), with room. */
const DATA_DEPTH = 8;

/**
 * `readRecord` for a record of plain data whose fields hold more records and arrays (a claim
 * with its readings and conditions, a condition with its threshold pair): every level is copied
 * in the same single read, so the checks and the judgement that follow see the same values.
 * Anything but plain arrays and objects (numbers, strings, functions) is kept as it is; a value
 * nested deeper than a claim can be (a cycle, say) is refused.
 */
export function readData<T extends object>(argument: string, value: T, problem: string, domain: string): T {
  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (depth > DATA_DEPTH) {
      throw new LossInputError({
        argument,
        problem: `nests deeper than ${DATA_DEPTH} levels (a cycle?)`,
        domain,
      });
    }
    if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => copy(v[i], depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(v)) out[key] = copy(field, depth + 1);
    return out;
  };
  const isRecord = readGuarded(
    argument,
    () => typeof value === 'object' && value !== null && !Array.isArray(value),
    domain,
  );
  if (!isRecord) throw new LossInputError({ argument, value, problem, domain });
  return readGuarded(argument, () => copy(value, 0), domain) as T;
}

/** An options object, read once like any record (see readRecord). */
export function readOptions<T extends object>(argument: string, opts: T, domain: string): T {
  return readRecord(argument, opts, 'is not an options object', domain);
}
