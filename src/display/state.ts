/**
 * Per-kernel display state. It lives on `globalThis` under a registered symbol rather than in
 * module scope because one kernel can load losslab twice (the built package by name, and the
 * sources through a relative path); both copies must agree that plotly.js was already sent and
 * must not hand out the same element id twice.
 */
interface DisplayState {
  /** plotly.js has been emitted into this kernel's notebook. */
  plotlyEmitted: boolean;
  /** Figures given an id so far: makes ids unique on the page yet identical on a re-run. */
  figureCount: number;
  /** Warnings already printed, so each shows once per kernel. */
  warned: Set<string>;
}

const STATE_KEY = Symbol.for('losslab.display.state');

export function displayState(): DisplayState {
  const host = globalThis as typeof globalThis & { [STATE_KEY]?: DisplayState };
  return (host[STATE_KEY] ??= { plotlyEmitted: false, figureCount: 0, warned: new Set() });
}

/** `console.warn(message)` the first time `key` is seen in this kernel. */
export function warnOnce(key: string, message: string): void {
  const { warned } = displayState();
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(message);
}
