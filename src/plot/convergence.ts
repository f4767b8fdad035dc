/** How fast each optimiser (or each loss's fit) closes in on its optimum. */
import { LossInputError, readGuarded } from '../errors';
import { checkFlag, checkLabel, checkList, checkLossId, optionalLabel, readOptions } from './checks';
import { builtFigure, type Figure, type Layout, type Trace } from './figure';
import { axis, baseConfig, baseLayout } from './layout';
import { seriesColor } from './palette';
import { formatNumber, plotText } from './text';

/** An optimisation run: the objective after each iteration (as `LinearFit.history`). */
export interface ConvergenceSeries {
  label: string;
  history: ReadonlyArray<{ iteration: number; objective: number }>;
  lossId?: string;
}

export interface ConvergenceOptions {
  /** J*: plot the gap J − J* instead of J; one number for all, or one per label. */
  optimum?: number | Readonly<Record<string, number>>;
  /** Logarithmic vertical axis (default true). */
  logY?: boolean;
  /**
   * Logarithmic iteration axis (default false): a gap falling like C·k^p is then a straight
   * line of slope p. Iteration 0 has no place on it and is left out of the traces.
   */
  logX?: boolean;
  title?: string;
}

/**
 * The objective J(w_k, b_k) against the iteration k, one line per run, or with `optimum`
 * the gap J(w_k, b_k) − J* (per run when `optimum` is a record keyed by label). On a log axis
 * (the default) linear convergence is a straight line and its slope the rate.
 *
 * A log axis cannot show 0 or negative values, and a gap that small is rounding anyway:
 * values below the floor ε · max(1, |J*|) (ε = 2⁻⁵², double precision; J* is the largest
 * |J| without `optimum`) are drawn at the floor with a hollow triangle, and their hover says
 * "at or below the floor" with the actual value. Non-finite objectives (a diverging run)
 * break the line, and the legend says from which iteration. `logX` puts the iterations on a
 * log axis too (without iteration 0), where a power law k^p is a straight line.
 *
 * @example
 * ```ts
 * import { convergence } from 'losslab';
 * const history = [{ iteration: 0, objective: 2 }, { iteration: 1, objective: 1.5 }, { iteration: 2, objective: 1 }];
 * const fig = convergence([{ label: 'gd', history }], { optimum: 1 });
 * fig.data[0].y;     // [1,0.5,2.220446049250313e-16]
 * ```
 */
export function convergence(histories: readonly ConvergenceSeries[], opts: ConvergenceOptions = {}): Figure {
  const series = checkList<ConvergenceSeries>('histories', histories).map((h, i) => checkSeries(h, i));
  const o = readOptions(opts, ['logX', 'logY', 'title', 'optimum']);
  const logX = checkFlag('logX', o.logX) ?? false;
  const logY = checkFlag('logY', o.logY) ?? true;
  const titleText = optionalLabel('title', o.title);
  const runs = logX ? series.map(positiveIterations) : series;
  const optimumOf = readGuarded('optimum', () =>
    optimumLookup(
      o.optimum,
      runs.map((r) => r.label),
    ),
  );
  const gap = o.optimum !== undefined;

  const shifted = runs.map((run) => {
    const star = optimumOf(run.label);
    return run.objective.map((v) => v - star);
  });
  let reference = 0;
  if (gap) for (const run of runs) reference = Math.max(reference, Math.abs(optimumOf(run.label)));
  else
    for (const ys of shifted) for (const v of ys) if (Number.isFinite(v)) reference = Math.max(reference, Math.abs(v));
  const floor = Number.EPSILON * Math.max(1, reference);
  const quantity = gap ? 'gap J − J*' : 'J';

  const data: Trace[] = runs.map((run, i) => {
    const ys = shifted[i];
    const firstBad = ys.findIndex((v) => !Number.isFinite(v));
    const floored = ys.map((v) => logY && Number.isFinite(v) && v < floor);
    const name =
      plotText(run.label) +
      (firstBad >= 0 ? ` (non-finite from iteration ${formatNumber(run.iteration[firstBad])})` : '');
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x: run.iteration,
      y: ys.map((v, k) => (!Number.isFinite(v) ? null : floored[k] ? floor : v)),
      text: ys.map((v, k) =>
        !Number.isFinite(v)
          ? `${quantity} = ${formatNumber(v)}`
          : floored[k]
            ? `${quantity} = ${formatNumber(v)}, at or below the floor ${formatNumber(floor)}: drawn at the floor`
            : `${quantity} = ${formatNumber(v)}`,
      ),
      line: { color: seriesColor(run.lossId, i), width: 2 },
      marker: {
        color: seriesColor(run.lossId, i),
        symbol: floored.map((f) => (f ? 'triangle-down-open' : 'circle')),
        size: floored.map((f) => (f ? 9 : run.iteration.length > 60 ? 0 : 5)),
      },
      connectgaps: false,
      hovertemplate: 'iteration %{x}<br>%{text}<extra>%{fullData.name}</extra>',
    };
  });

  const title =
    titleText !== undefined
      ? plotText(titleText)
      : gap
        ? 'Convergence: gap to the optimum J(w_k, b_k) − J*'
        : 'Convergence: objective J(w_k, b_k)';
  const layout: Layout = baseLayout(title);
  layout.height = 450;
  layout.xaxis = axis('iteration k', logX ? { type: 'log', exponentformat: 'power' } : {});
  layout.yaxis = axis(
    gap ? 'J(w_k, b_k) − J*' : 'objective J(w_k, b_k)',
    logY ? { type: 'log', exponentformat: 'power' } : {},
  );
  return builtFigure(data, layout, baseConfig());
}

function checkSeries(
  series: unknown,
  i: number,
): { label: string; iteration: number[]; objective: number[]; lossId: string | undefined } {
  const s = series as Partial<ConvergenceSeries> | null;
  if (typeof s !== 'object' || s === null) {
    throw new LossInputError({
      argument: `histories[${i}]`,
      value: series,
      problem: 'is not a run',
      domain: '{ label, history: [{ iteration, objective }], lossId? }',
    });
  }
  const label = checkLabel(`histories[${i}].label`, s.label);
  const history = checkList<{ iteration: unknown; objective: unknown }>(`histories[${i}].history`, s.history);
  const iteration: number[] = [];
  const objective: number[] = [];
  history.forEach((h, k) => {
    const ok =
      typeof h === 'object' &&
      h !== null &&
      typeof h.iteration === 'number' &&
      Number.isFinite(h.iteration) &&
      typeof h.objective === 'number';
    if (!ok) {
      throw new LossInputError({
        argument: `histories[${i}].history`,
        index: k,
        value: h,
        problem: 'is not an entry { iteration, objective }',
        domain: '{ iteration: finite number, objective: number }',
      });
    }
    iteration.push(h.iteration as number);
    objective.push(h.objective as number);
  });
  return { label, iteration, objective, lossId: checkLossId(`histories[${i}].lossId`, s.lossId) };
}

/** The run without its entries at iterations <= 0, which a log axis cannot place. */
function positiveIterations<T extends { iteration: number[]; objective: number[] }>(run: T): T {
  const keep = run.iteration.map((k) => k > 0);
  return {
    ...run,
    iteration: run.iteration.filter((_, j) => keep[j]),
    objective: run.objective.filter((_, j) => keep[j]),
  };
}

function optimumLookup(optimum: unknown, labels: string[]): (label: string) => number {
  if (optimum === undefined) return () => 0;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (typeof optimum === 'number') {
    if (!finite(optimum))
      throw new LossInputError({
        argument: 'optimum',
        value: optimum,
        problem: 'is not finite',
        domain: 'a finite number',
      });
    return () => optimum;
  }
  if (typeof optimum !== 'object' || optimum === null || Array.isArray(optimum)) {
    throw new LossInputError({
      argument: 'optimum',
      value: optimum,
      problem: 'is neither a number nor a record',
      domain: 'a number, or { [label]: number }',
    });
  }
  const record = optimum as Record<string, unknown>;
  // Each label's value read once into this copy: a getter of the caller's is not run again per use.
  const values = new Map<string, number>();
  for (const label of labels) {
    const v = Object.hasOwn(record, label) ? record[label] : undefined;
    if (!finite(v)) {
      throw new LossInputError({
        argument: `optimum[${JSON.stringify(label)}]`,
        value: v,
        problem: 'is missing or not finite',
        domain: 'a finite number for every label',
      });
    }
    values.set(label, v);
  }
  return (label) => values.get(label) as number;
}
