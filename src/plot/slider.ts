/**
 * A knob a reader can turn without a kernel: one figure holding the figures drawn at several
 * values of a parameter (Huber's δ, a contamination level, a step size), with a Plotly slider
 * that shows one of them at a time. Pure JSON: the slider's steps use `method: 'update'`,
 * which only switches traces on and off (and the title, annotations and shapes when those
 * differ), so it works wherever plotly.js draws the figure: a notebook with or without a
 * kernel, JupyterLab's and VS Code's Plotly renderers (VS Code's passes no animation frames,
 * so frames are not used), an exported page, the course site.
 */
import { LossInputError, readGuarded } from '../errors';
import { checkCount, checkLabel, checkList, optionalLabel, readFields, readOptions } from './checks';
import { builtFigure, type Config, type Figure, type Layout, type PlotlyValue, type Trace } from './figure';
import { plotText } from './text';

/** One position of the slider. */
export interface SliderStep {
  /** What the slider shows at this position, e.g. `'0.5'` (shown as typed). */
  label: string;
  /** The figure drawn at this position: a builder's figure or one written by hand. */
  figure: Figure;
}

export interface SliderOptions {
  /** The parameter's name, shown before the current value, e.g. `'δ'` (shown as typed). */
  name?: string;
  /** The position shown first; default 0. */
  active?: number;
  /** One title for every position (shown as typed); default: each position keeps its figure's own title. */
  title?: string;
}

/** More positions than a slider can show legibly, and megabytes of JSON. */
export const MAX_SLIDER_STEPS = 100;
/** Room under the plot for the slider and its current value, in CSS pixels. */
const SLIDER_ROOM = 100;
const DEFAULT_HEIGHT = 450;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkStepFigure(given: unknown, argument: string): Figure {
  // Checked and used as this shallow copy: each part of the caller's figure is read once.
  const figure = isRecord(given)
    ? {
        data: Array.isArray(given.data) ? [...given.data] : given.data,
        layout: isRecord(given.layout) ? { ...given.layout } : given.layout,
        config: given.config,
      }
    : given;
  if (!isRecord(figure) || !Array.isArray(figure.data) || !isRecord(figure.layout)) {
    throw new LossInputError({
      argument,
      value: given,
      problem: 'is not a Plotly figure',
      domain: '{ data: Trace[], layout: Layout, config? }',
    });
  }
  if (figure.config !== undefined && !isRecord(figure.config)) {
    throw new LossInputError({
      argument: `${argument}.config`,
      value: figure.config,
      problem: 'is not a config object',
      domain: '{ data: Trace[], layout: Layout, config? }',
    });
  }
  const bad = figure.data.findIndex(
    (trace: unknown) => !isRecord(trace) || (trace.type !== undefined && typeof trace.type !== 'string'),
  );
  if (bad >= 0) {
    throw new LossInputError({
      argument: `${argument}.data`,
      index: bad,
      value: figure.data[bad],
      problem: 'is not a trace',
      domain: 'objects with an optional string `type`',
    });
  }
  if (figure.layout.sliders !== undefined) {
    throw new LossInputError({
      argument: `${argument}.layout.sliders`,
      value: figure.layout.sliders,
      problem: 'is already set',
      domain: 'a figure without sliders of its own',
    });
  }
  return figure as unknown as Figure;
}

/** The figure's title text (its own markup, already escaped by whoever built it), or ''. */
function titleOf(layout: Layout): string {
  const title = layout.title;
  if (typeof title === 'string') return title;
  return isRecord(title) && typeof title.text === 'string' ? title.text : '';
}

/**
 * An axis range that holds every position's range, so the axes stay put while the knob turns
 * and the reader sees the curves move. Only where every position that sets a range sets an
 * increasing pair of numbers; an axis left to autorange is left to Plotly.
 */
function unionRange(ranges: unknown[]): [number, number] | undefined {
  const set = ranges.filter((r) => r !== undefined);
  if (set.length === 0) return undefined;
  const ok = set.every(
    (r) =>
      Array.isArray(r) &&
      r.length === 2 &&
      typeof r[0] === 'number' &&
      typeof r[1] === 'number' &&
      Number.isFinite(r[0]) &&
      Number.isFinite(r[1]) &&
      r[0] < r[1],
  );
  if (!ok) return undefined;
  const pairs = set as Array<[number, number]>;
  return [Math.min(...pairs.map((r) => r[0])), Math.max(...pairs.map((r) => r[1]))];
}

/** A layout attribute as JSON text, for comparing positions ('' when absent). */
const jsonOf = (value: PlotlyValue | undefined): string => (value === undefined ? '' : JSON.stringify(value));

/**
 * One figure with a slider over the figures of `steps`: the reader drags it to see the figure
 * at each value, with no kernel (see the module comment for where it works). Traces that are
 * the same at several positions (same JSON) are stored once and stay on screen while the
 * slider moves among those positions; the layout is the first position's, with axis ranges
 * widened to hold every position's range, and the title, annotations and shapes switched
 * with the slider where positions differ in them. Labels and the name are shown as typed.
 *
 * @example
 * ```ts
 * import { lossCurves, losses, quantile, sliderFigure } from 'losslab';
 * const fig = sliderFigure([0.25, 0.5, 0.75].map((t) => ({ label: String(t), figure: lossCurves([quantile(t), losses.l1]) })), { name: 'τ' });
 * fig.data.length;                    // 4 (the L1 curve is the same at every τ: stored once)
 * fig.data.map((trace) => trace.visible); // [true,true,false,false]
 * ```
 */
export function sliderFigure(steps: readonly SliderStep[], opts: SliderOptions = {}): Figure {
  const o = readOptions(opts, ['name', 'active', 'title']);
  const list = checkList<SliderStep>('steps', steps);
  if (list.length > MAX_SLIDER_STEPS) {
    throw new LossInputError({
      argument: 'steps',
      value: `${list.length} steps`,
      problem: 'has too many positions',
      domain: `1 to ${MAX_SLIDER_STEPS} steps`,
    });
  }
  const checked = list.map((step, k) => {
    if (!isRecord(step))
      throw new LossInputError({
        argument: 'steps',
        index: k,
        value: step,
        problem: 'is not a step',
        domain: '{ label: string, figure: Figure }',
      });
    const { label, figure } = readFields(`steps[${k}]`, step, ['label', 'figure']);
    return {
      label: checkLabel(`steps[${k}].label`, label),
      figure: readGuarded(`steps[${k}].figure`, () => checkStepFigure(figure, `steps[${k}].figure`)),
    };
  });
  const name = optionalLabel('name', o.name);
  const active = o.active === undefined ? 0 : checkCount('active', o.active, 0, checked.length - 1);
  const fixedTitle = optionalLabel('title', o.title);

  // Every distinct trace once, in order of first appearance, with the positions that draw it.
  const traces: Trace[] = [];
  const members: Array<Set<number>> = [];
  const index = new Map<string, number>();
  checked.forEach(({ figure }, k) => {
    for (const trace of figure.data) {
      const key = JSON.stringify(trace);
      let t = index.get(key);
      if (t === undefined) {
        t = traces.length;
        index.set(key, t);
        traces.push(trace);
        members.push(new Set());
      }
      members[t].add(k);
    }
  });
  // A trace hidden or legend-only in its own figure stays so where it is drawn.
  const shown = (t: number, k: number): boolean | string =>
    members[t].has(k) ? (traces[t].visible === undefined ? true : (traces[t].visible as boolean | string)) : false;
  const visibleAt = (k: number): Array<boolean | string> => traces.map((_, t) => shown(t, k));

  const first = checked[0].figure.layout;
  const layout: Layout = { ...first };
  for (const key of new Set(checked.flatMap(({ figure }) => Object.keys(figure.layout)))) {
    if (!/^[xy]axis\d*$/.test(key) || !isRecord(first[key])) continue;
    const range = unionRange(
      checked.map(({ figure }) =>
        isRecord(figure.layout[key]) ? (figure.layout[key] as Record<string, unknown>).range : undefined,
      ),
    );
    if (range !== undefined) layout[key] = { ...(first[key] as Record<string, PlotlyValue>), range, autorange: false };
  }
  const titles = checked.map(({ figure }) => titleOf(figure.layout));
  if (fixedTitle !== undefined)
    layout.title = {
      ...(isRecord(first.title) ? (first.title as Record<string, PlotlyValue>) : {}),
      text: plotText(fixedTitle),
    };
  const switched = (['annotations', 'shapes'] as const).filter(
    (key) => new Set(checked.map(({ figure }) => jsonOf(figure.layout[key]))).size > 1,
  );
  const switchTitle = fixedTitle === undefined && new Set(titles).size > 1;
  const layoutAt = (k: number): Record<string, PlotlyValue> => {
    const update: Record<string, PlotlyValue> = {};
    if (switchTitle) update['title.text'] = titles[k];
    for (const key of switched) update[key] = checked[k].figure.layout[key] ?? [];
    return update;
  };
  if (switchTitle)
    layout.title = {
      ...(isRecord(first.title) ? (first.title as Record<string, PlotlyValue>) : {}),
      text: titles[active],
    };
  for (const key of switched) layout[key] = checked[active].figure.layout[key] ?? [];

  const slider: Record<string, PlotlyValue> = {
    active,
    currentvalue: { prefix: name === undefined ? '' : `${plotText(name)} = `, xanchor: 'left' },
    pad: { t: 56 },
    x: 0,
    len: 1,
    steps: checked.map(({ label }, k) => ({
      label: plotText(label),
      method: 'update',
      args: [{ visible: visibleAt(k) }, layoutAt(k)],
    })),
  };
  layout.sliders = [slider];
  layout.height = (typeof first.height === 'number' ? first.height : DEFAULT_HEIGHT) + SLIDER_ROOM;
  const data = traces.map((trace, t) => ({ ...trace, visible: shown(t, active) }));
  const config: Config = checked[0].figure.config ?? {};
  return builtFigure(data, layout, config);
}
