/**
 * Progress where a person waits for a long computation: in a Jupyter notebook (tslab) one
 * output that is replaced in place (display_data with a display id, then update_display_data),
 * in plain Node a few lines. A saved notebook keeps only the output's last state, and that
 * state names no time and no id, so two runs of a notebook save identical outputs (the
 * course's determinism test compares them).
 */
import { randomUUID } from 'node:crypto';
import { LossInputError } from '../errors';
import { checkLabel, optionalLabel } from '../plot/checks';
import { escapeHTML } from './bundle';
import { type KernelOutput, kernelOutput } from './tslab';

/** A task's progress, shown while it runs; see `progress`. Its methods need no `this`: `bar.update` may be passed as a callback. */
export interface Progress {
  /** `done` of `total` steps are finished; `detail` names what runs now (e.g. the next experiment). */
  update(done: number, total: number, detail?: string): void;
  /** Everything is finished: the last state, the same in every run (no time, no detail). */
  finish(): void;
}

/**
 * Least time between two redraws when the whole percentage has not moved: a loop of many
 * tiny steps then costs a few messages a second, not one per step.
 */
export const REDRAW_MS = 250;
/** Plain Node: a line per tenth of the work, or after this long without one. */
export const LINE_MS = 5000;

export interface Clock {
  now(): number;
}

interface State {
  done: number;
  total: number;
  detail: string | undefined;
  finished: boolean;
}

function checkSteps(done: unknown, total: unknown): { done: number; total: number } {
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1) {
    throw new LossInputError({
      argument: 'total',
      value: total,
      problem: 'is not a positive whole number of steps',
      domain: 'integers >= 1',
    });
  }
  if (typeof done !== 'number' || !Number.isInteger(done) || done < 0 || done > total) {
    throw new LossInputError({
      argument: 'done',
      value: done,
      problem: 'is not a count of finished steps',
      domain: `integers from 0 to total (${total})`,
    });
  }
  return { done, total };
}

const percentOf = (state: State): number => Math.floor((100 * state.done) / state.total);

/** The one-line text of a state: `Running the experiments: 3/12 (25%), now: Huber efficiency`. */
export function progressText(label: string, state: State): string {
  if (state.finished) return `${label}: done (${state.total}/${state.total})`;
  const now = state.detail === undefined ? '' : `, now: ${state.detail}`;
  return `${label}: ${state.done}/${state.total} (${percentOf(state)}%)${now}`;
}

function progressHTML(label: string, state: State): string {
  const done = state.finished ? state.total : state.done;
  // The MathJax classes keep a notebook's typesetter from reading a `$` in the label as math.
  return [
    '<div class="losslab-progress tex2jax_ignore mathjax_ignore" style="display:flex;align-items:center;gap:0.75em;font:13px system-ui,sans-serif">',
    `<progress value="${done}" max="${state.total}" style="width:14em"></progress>`,
    `<span>${escapeHTML(progressText(label, state))}</span>`,
    '</div>',
  ].join('');
}

/**
 * The Jupyter way: one output, created by the first state and replaced in place after. The
 * display id is random because front ends update every output carrying it, old ones from an
 * earlier kernel included; it travels in the message's transient part, which no notebook saves.
 * The output channel is looked up at each redraw, so a task finished in a later cell sends its
 * update there, with the first cell's display id: nbclient (and so a saved execution) replaces
 * the first cell's output; JupyterLab keeps display ids per cell and ignores it.
 */
function kernelProgress(
  label: string,
  first: KernelOutput,
  outputOf: () => KernelOutput | undefined,
  clock: Clock,
): (state: State) => void {
  const id = `losslab-progress-${randomUUID()}`;
  let shown = false;
  let lastTime = Number.NEGATIVE_INFINITY;
  let lastPercent = -1;
  return (state) => {
    const t = clock.now();
    const percent = percentOf(state);
    if (shown && !state.finished && percent === lastPercent && t - lastTime < REDRAW_MS) return;
    const output = outputOf() ?? first;
    const data = { 'text/html': progressHTML(label, state), 'text/plain': progressText(label, state) };
    lastTime = t;
    lastPercent = percent;
    // Without updates every send would be one more output: only the final state is shown.
    if (!output.updates) {
      if (state.finished) output.send(data, {});
      return;
    }
    try {
      output.send(data, {}, { id, update: shown });
    } catch (error) {
      // tslab's zeromq socket defers one send in 512 to the event loop, which a synchronous loop
      // never yields to, and refuses the next send meanwhile (EBUSY). A skipped redraw costs
      // nothing, so only the final state's failure reaches the caller.
      if (state.finished) throw error;
      return;
    }
    shown = true;
  };
}

/** Plain Node: a line when the work crosses a tenth, or after LINE_MS without one, and a last line. */
function lineProgress(label: string, clock: Clock): (state: State) => void {
  let lastTenth = -1;
  let lastTime = clock.now();
  return (state) => {
    const tenth = Math.floor((10 * state.done) / state.total);
    const t = clock.now();
    if (!state.finished && tenth === lastTenth && t - lastTime < LINE_MS) return;
    console.log(progressText(label, state));
    lastTenth = tenth;
    lastTime = t;
  };
}

/** `progress` with the kernel's output channel and the clock given (tests give stand-ins). */
export function makeProgress(label: string, outputOf: () => KernelOutput | undefined, clock: Clock): Progress {
  const name = checkLabel('label', label);
  const first = outputOf();
  const draw = first === undefined ? lineProgress(name, clock) : kernelProgress(name, first, outputOf, clock);
  const state: State = { done: 0, total: 1, detail: undefined, finished: false };
  return {
    update(done, total, detail) {
      const steps = checkSteps(done, total);
      const what = optionalLabel('detail', detail);
      if (state.finished) {
        throw new LossInputError({
          argument: 'done',
          value: done,
          problem: 'came after finish()',
          domain: 'updates before finish()',
        });
      }
      state.done = steps.done;
      state.total = steps.total;
      state.detail = what;
      draw(state);
    },
    finish() {
      if (state.finished) return;
      state.finished = true;
      state.detail = undefined;
      draw(state);
    },
  };
}

/**
 * Shows how far a long task has got, where a person waits for it. In a Jupyter notebook (tslab)
 * it is one output under the cell, replaced in place at each whole percent and at most four
 * times a second in between; its last state (`finish()`) says only that the task is done, so
 * a re-run saves the same notebook. Finish it in the cell that made it: JupyterLab applies a
 * cell's own updates only. In plain Node (a script, a test run) it prints a line per
 * tenth of the work, or every 5 seconds when a tenth takes longer, and a last line.
 *
 * @example
 * ```ts
 * import { progress } from 'losslab';
 * const bar = progress('Fitting the models');
 * const models = ['l1', 'l2', 'huber'];
 * models.forEach((name, k) => bar.update(k, models.length, name));
 * bar.finish();
 * // Outside a notebook the lines printed are "Fitting the models: 0/3 (0%), now: l1",
 * // one per tenth of the work crossed, and last "Fitting the models: done (3/3)".
 * ```
 */
export function progress(label: string): Progress {
  return makeProgress(label, kernelOutput, { now: () => Date.now() });
}
