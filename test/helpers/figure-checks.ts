/** Checks every Plotly figure must pass, whoever built it. */

/**
 * Paths to values that JSON cannot carry faithfully or Plotly would choke on: NaN and
 * ±Infinity (JSON.stringify writes null, silently), typed arrays (written as objects keyed
 * by index), undefined inside arrays, functions.
 */
export function unsafeValues(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (typeof value === 'function') return [`${path} is a function`];
  if (value === null || typeof value !== 'object') return [];
  if (ArrayBuffer.isView(value)) return [`${path} is a ${value.constructor.name}`];
  if (Array.isArray(value)) {
    return value.flatMap((v, i) =>
      v === undefined ? [`${path}[${i}] is undefined`] : unsafeValues(v, `${path}[${i}]`),
    );
  }
  return Object.entries(value).flatMap(([k, v]) => unsafeValues(v, `${path}.${k}`));
}

/** Every string in a value, with its path. */
export function strings(value: unknown, path = '$'): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return [{ path, text: value }];
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
}
