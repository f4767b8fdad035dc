/**
 * Per-kernel display state. It lives on `globalThis` under a registered symbol rather than in
 * module scope because one kernel can load losslab twice (the built package by name, and the
 * sources through a relative path); both copies must agree on where plotly.js was sent and
 * must not hand out the same element id twice.
 */
interface DisplayState {
  /**
   * The cell execution (tslab's writer for it) whose outputs last received plotly.js. A cell's
   * outputs are replaced together when it runs again, so each execution that draws a chart
   * carries its own copy; within one execution, one copy serves every chart.
   */
  plotlySentTo: object | undefined;
  /** Figures given an id so far: makes ids unique on the page yet identical on a re-run. */
  figureCount: number;
  /** Warnings already printed, so each shows once per kernel. */
  warned: Set<string>;
}

const STATE_KEY = Symbol.for('losslab.display.state');

export function displayState(): DisplayState {
  const host = globalThis as typeof globalThis & { [STATE_KEY]?: DisplayState };
  host[STATE_KEY] ??= { plotlySentTo: undefined, figureCount: 0, warned: new Set() };
  return host[STATE_KEY];
}

/** `console.warn(message)` the first time `key` is seen in this kernel. */
export function warnOnce(key: string, message: string): void {
  const { warned } = displayState();
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(message);
}
