/**
 * What the package's values look like in a notebook: a loss, a fit, an optimal constant and
 * a dataset show as cards, a figure as its chart. Loading this module registers the
 * renderers their hooks look up (see losses/display-hook.ts); the package's entry point loads
 * it. Values made elsewhere (the course's decisions, a user's own results) get a card with
 * `displayCard`.
 */
import { LossInputError, readGuarded } from '../errors';
import type { Dataset } from '../data/generators';
import type { OptimalConstant } from '../fit/optimalConstant';
import type { LinearFit } from '../fit/types';
import { displayAs, displayRenderers, type DisplayKind, type ValueRenderer } from '../losses/display-hook';
import type { Loss, LossAxis, PredictionDomain, TargetDomain } from '../losses/types';
import type { Figure } from '../plot/figure';
import { lossCurves } from '../plot/lossCurves';
import { cardData, type Card, type CardBundle } from './cards';
import { figureRenderer, rendererOf, sendOutput, type Presenter } from './output';
import { warnOnce } from './state';
import { kernelOutput } from './tslab';

/** A number as cards print it: up to `digits` significant digits, an exponent when tiny or huge, ∞ spelled out. */
export function formatValue(v: number, digits = 6): string {
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '-∞';
  if (Number.isNaN(v)) return 'NaN';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6
    ? String(Number(v.toPrecision(digits)))
    : v
        .toExponential(digits - 1)
        .replace(/\.?0+e/, 'e')
        .replace('e+', 'e');
}

/** The same number in TeX: `1.5e-12` as 1.5 × 10⁻¹². */
function texNumber(v: number): string {
  return formatValue(v)
    .replace(/^(-?[\d.]+)e(-?\d+)$/, '$1 \\times 10^{$2}')
    .replace('∞', '\\infty');
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const yesNo = (flag: boolean): string => (flag ? 'yes' : 'no');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------------- losses

const TARGET_TEXT: Record<TargetDomain, string> = {
  real: 'y ∈ ℝ',
  sign: 'y ∈ {−1, +1}',
  binary: 't ∈ [0, 1] (labels 0 or 1, or soft labels)',
};
const PREDICTION_TEXT: Record<PredictionDomain, string> = {
  real: 'f ∈ ℝ (a score)',
  probability: 'p ∈ [0, 1] (a probability)',
};
const AXIS_SYMBOL: Record<LossAxis, string> = { margin: 'm', residual: 'r', probability: 'p', logit: 'z' };

/**
 * A mathjs expression as a line of text: `max(0, 1 - y * f)` as `max(0, 1 − y f)`. A product
 * keeps a visible dot where two numbers would otherwise run together.
 */
export function formulaText(expression: string): string {
  return oneLine(expression)
    .replace(/\s*\*\s*(?=[\d.])/g, ' · ')
    .replace(/\s*\*\s*/g, ' ')
    .replace(/ - /g, ' − ')
    .replace(/(^|[(\s,:?])-(?=[\w(.])/g, '$1−')
    .replace(/<=/g, '≤')
    .replace(/>=/g, '≥');
}

function convexityText(loss: Loss): string {
  return loss.properties.strictlyConvex ? 'strictly convex' : loss.properties.convex ? 'convex' : 'not convex';
}

/** `Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz`. */
export function lossSummary(loss: Loss): string {
  const { lipschitz } = loss.properties;
  const lip = lipschitz === null ? 'not Lipschitz' : `${formatValue(lipschitz, 4)}-Lipschitz`;
  return `Loss ${oneLine(loss.id)}: ${formulaText(loss.expression)}, ${convexityText(loss)}, ${lip}`;
}

/**
 * The loss and its slope on the loss's own axis, small, for a card: no title or legend (the
 * card says which loss it is), and the axis title only under the slope, the lower row, where
 * the two rows share one axis.
 */
function lossChart(loss: Loss): Figure {
  const { data, layout, config } = lossCurves([loss], { derivative: true, points: 201 });
  const { title: _title, ...rest } = layout;
  const upper = typeof rest.xaxis === 'object' && rest.xaxis !== null && !Array.isArray(rest.xaxis) ? rest.xaxis : {};
  const font = typeof rest.font === 'object' && rest.font !== null && !Array.isArray(rest.font) ? rest.font : {};
  return {
    data,
    layout: {
      ...rest,
      xaxis: { ...upper, title: { text: '' } },
      height: 320,
      showlegend: false,
      margin: { l: 56, r: 8, t: 8, b: 44 },
      font: { ...font, size: 11 },
    },
    ...(config === undefined ? {} : { config }),
  };
}

/** The card of a loss: its formula, domains, properties, population minimiser, and its curve with its slope. */
export function lossCard(loss: Loss): Card {
  const p = loss.properties;
  const symbol = AXIS_SYMBOL[p.axis];
  const params = Object.entries(loss.params);
  const fields: Array<[string, string]> = [
    ['target', TARGET_TEXT[loss.target]],
    ['prediction', PREDICTION_TEXT[loss.prediction]],
    ['convexity', convexityText(loss)],
    [
      'differentiability',
      p.differentiable
        ? p.twiceDifferentiable
          ? 'twice differentiable'
          : 'differentiable'
        : p.kinks.length > 0
          ? `kink${p.kinks.length === 1 ? '' : 's'} at ${symbol} = ${p.kinks.map((k) => formatValue(k)).join(', ')}`
          : 'not differentiable',
    ],
    ['Lipschitz constant', p.lipschitz === null ? 'none (the slope is unbounded)' : formatValue(p.lipschitz)],
    [
      'smoothness',
      p.smoothness === null
        ? 'none (the slope jumps or grows without bound)'
        : `the slope is ${formatValue(p.smoothness)}-Lipschitz`,
    ],
  ];
  if (loss.task === 'classification') {
    fields.push(['margin-based', yesNo(p.marginBased)]);
    if (p.classificationCalibrated !== null)
      fields.push(['classification-calibrated', yesNo(p.classificationCalibrated)]);
  } else {
    fields.push(['bounded influence', yesNo(p.boundedInfluence)]);
  }
  fields.push(['population minimiser', p.minimizer]);
  if (params.length > 0)
    fields.push(['parameters', params.map(([name, value]) => `${name} = ${formatValue(value, 12)}`).join(', ')]);
  return {
    title: loss.name,
    subtitle: `${loss.id} · ${loss.task} loss`,
    summary: lossSummary(loss),
    math: loss.latex,
    fields,
    figure: lossChart(loss),
  };
}

// ------------------------------------------------------------------------------------ fits

/** At most this many weights are listed in a card; beyond, the largest in magnitude. */
export const MAX_LISTED_WEIGHTS = 20;

function countZeros(w: ArrayLike<number>): number {
  let zeros = 0;
  for (let j = 0; j < w.length; j++) if (w[j] === 0) zeros++;
  return zeros;
}

/** The indices of the weights a card lists: all of them, or the largest in magnitude (ties to the lower index), in order. */
function listedWeights(w: ArrayLike<number>): number[] {
  const all = Array.from({ length: w.length }, (_, j) => j);
  if (w.length <= MAX_LISTED_WEIGHTS) return all;
  return all
    .sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b)
    .slice(0, MAX_LISTED_WEIGHTS)
    .sort((a, b) => a - b);
}

function weightsTable(w: ArrayLike<number>, name: string): Card['table'] {
  const shown = listedWeights(w);
  const zeros = countZeros(w);
  const rest = shown.length < w.length ? `; the ${shown.length} largest in magnitude are listed` : '';
  return {
    columns: ['j', `${name}_j`],
    rows: shown.map((j) => [String(j), formatValue(w[j], 8)]),
    caption: `${plural(w.length, 'weight')}, ${zeros} exactly 0${rest}`,
  };
}

/** `LinearFit of hinge by lp: converged, objective 0.25, 9 iterations, optimality 0, 2 weights (1 exactly 0)`. */
export function fitSummary(fit: LinearFit): string {
  const d = fit.weights.length;
  return (
    `LinearFit of ${oneLine(fit.loss.id)} by ${fit.solver}: ${fit.status}, objective ${formatValue(fit.objective)}, ${plural(fit.iterations, 'iteration')}, ` +
    `optimality ${formatValue(fit.optimality, 3)}, ${plural(d, 'weight')} (${countZeros(fit.weights)} exactly 0)`
  );
}

/** The problem the fit solved, with its penalties, in TeX. */
function objectiveTeX(fit: LinearFit): string {
  const score = fit.fitIntercept ? 'w^\\top x_i + b' : 'w^\\top x_i';
  const penalties = [
    ...(fit.l1 > 0 ? [`${texNumber(fit.l1)}\\,\\lVert w \\rVert_1`] : []),
    ...(fit.l2 > 0 ? [`\\tfrac{${texNumber(fit.l2)}}{2}\\,\\lVert w \\rVert_2^2`] : []),
  ];
  return `\\min_{${fit.fitIntercept ? 'w,\\, b' : 'w'}}\\ \\frac{1}{n} \\sum_{i=1}^{n} \\ell(y_i,\\ ${score})${penalties.map((t) => ` + ${t}`).join('')}`;
}

/** The card of a fit: how it ended, its certificate, uniqueness, and its weights. */
export function fitCard(fit: LinearFit): Card {
  const fields: Array<[string, string]> = [
    ['status', fit.converged ? 'converged' : `${fit.status} (not converged)`],
    ['reason', fit.reason],
    ['objective', formatValue(fit.objective, 10)],
    ['iterations', String(fit.iterations)],
    ['optimality', `${formatValue(fit.optimality, 3)} (first-order residual ‖g‖∞ at the answer)`],
  ];
  if (fit.dualityGap !== undefined)
    fields.push(['duality gap', `${formatValue(fit.dualityGap, 3)} (objective above a certified lower bound)`]);
  fields.push([
    'unique',
    fit.unique === undefined
      ? 'not determined by this solver'
      : fit.unique
        ? 'yes'
        : 'no: other parameters reach the same objective',
  ]);
  fields.push(['penalties', `l1 = ${formatValue(fit.l1)}, l2 = ${formatValue(fit.l2)}`]);
  fields.push(['intercept', fit.fitIntercept ? formatValue(fit.intercept, 8) : 'none (fitIntercept: false)']);
  return {
    title: 'Linear fit',
    subtitle: `${fit.loss.name} · solver ${fit.solver}`,
    summary: fitSummary(fit),
    math: objectiveTeX(fit),
    fields,
    table: weightsTable(fit.weights, 'w'),
  };
}

// ------------------------------------------------------------------- optimal constants

function limitText(value: number): string {
  return value > 0 ? '+∞' : '−∞';
}

/** `Optimal constant c* = 3, risk 2.66667`, or the whole interval of minimisers, or that none is attained. */
export function optimalConstantSummary(c: OptimalConstant): string {
  if (!c.attained)
    return `Optimal constant: none attained; the risk decreases to ${formatValue(c.risk)} as c → ${limitText(c.value)}`;
  if (c.unique) return `Optimal constant c* = ${formatValue(c.value, 10)}, risk ${formatValue(c.risk)}`;
  return `Optimal constants: every c in [${formatValue(c.interval[0], 10)}, ${formatValue(c.interval[1], 10)}] (c = ${formatValue(c.value, 10)} returned), risk ${formatValue(c.risk)}`;
}

export function optimalConstantCard(c: OptimalConstant): Card {
  const [lo, hi] = c.interval;
  return {
    title: 'Optimal constant',
    subtitle: !c.attained ? 'not attained' : c.unique ? 'a unique minimiser' : 'a whole interval of minimisers',
    summary: optimalConstantSummary(c),
    math: 'c^\\ast \\in \\arg\\min_{c \\in \\mathbb{R}}\\ \\frac{1}{n} \\sum_{i=1}^{n} \\ell(y_i, c)',
    fields: [
      ['value', c.attained ? formatValue(c.value, 12) : `none (c → ${limitText(c.value)})`],
      [
        'minimisers',
        !c.attained
          ? 'none'
          : c.unique
            ? `the point ${formatValue(lo, 12)}`
            : `every c in [${formatValue(lo, 12)}, ${formatValue(hi, 12)}]`,
      ],
      [c.attained ? 'risk' : 'infimum of the risk', formatValue(c.risk, 10)],
      ['unique', yesNo(c.unique)],
      ['attained', yesNo(c.attained)],
    ],
  };
}

// ------------------------------------------------------------------------------- datasets

const PREVIEW_ROWS = 5;
const PREVIEW_FEATURES = 6;
const LISTED_TRUE_WEIGHTS = 8;

/** Label counts when every target is −1 or +1 (a classification set), else undefined. */
function signCounts(y: ArrayLike<number>): { positive: number; negative: number } | undefined {
  let positive = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) positive++;
    else if (y[i] !== -1) return undefined;
  }
  return { positive, negative: y.length - positive };
}

function targetsText(y: ArrayLike<number>): string {
  const signs = signCounts(y);
  if (signs !== undefined) return `${signs.positive} labelled +1, ${signs.negative} labelled −1`;
  if (y.length === 0) return 'no targets';
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    lo = Math.min(lo, y[i]);
    hi = Math.max(hi, y[i]);
    sum += y[i];
  }
  return `y from ${formatValue(lo, 4)} to ${formatValue(hi, 4)}, mean ${formatValue(sum / y.length, 4)}`;
}

/** `Dataset: n = 200, d = 2, y from -3.1 to 5.2, mean 0.12, 10 contaminated`. */
export function datasetSummary(data: Dataset): string {
  return `Dataset: n = ${data.X.rows}, d = ${data.X.cols}, ${targetsText(data.y)}, ${countMarked(data.outlierMask)} contaminated`;
}

function countMarked(mask: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) k++;
  return k;
}

export function datasetCard(data: Dataset): Card {
  const { rows: n, cols: d } = data.X;
  const marked = countMarked(data.outlierMask);
  const features = Math.min(d, PREVIEW_FEATURES);
  const shown = Math.min(n, PREVIEW_ROWS);
  const w = data.trueWeights;
  const listed = Array.from({ length: Math.min(w.length, LISTED_TRUE_WEIGHTS) }, (_, j) => formatValue(w[j], 4)).join(
    ', ',
  );
  return {
    title: 'Dataset',
    subtitle: `n = ${n}, d = ${d}`,
    summary: datasetSummary(data),
    fields: [
      ['examples', String(n)],
      ['features', String(d)],
      ['targets', targetsText(data.y)],
      ['contaminated', `${marked} (${n === 0 ? 0 : formatValue((100 * marked) / n, 3)}%)`],
      ['true weights', w.length > LISTED_TRUE_WEIGHTS ? `${listed}, … (${w.length} in all)` : listed],
      ['true intercept', formatValue(data.trueIntercept)],
    ],
    table: {
      columns: ['i', ...Array.from({ length: features }, (_, j) => `x${j}`), 'y', 'contaminated'],
      rows: Array.from({ length: shown }, (_, i) => [
        String(i),
        ...Array.from({ length: features }, (_, j) => formatValue(data.X.data[i * d + j], 4)),
        formatValue(data.y[i], 4),
        data.outlierMask[i] !== 0 ? 'yes' : '',
      ]),
      caption: `the first ${plural(shown, 'row')} of ${n}${d > features ? `, the first ${features} features of ${d}` : ''}`,
    },
  };
}

// ---------------------------------------------------------------------------- any value

const DESCRIBE = Symbol.for('losslab.display.describe');

type Described = { [DESCRIBE]?: (value: object) => Card };

function cardPresenter<T>(card: (value: T) => Card, summary: (value: T) => string): Presenter<T> {
  return {
    summary,
    output(value) {
      const { data, metadata, chart } = cardData(card(value));
      return { data: { ...data }, metadata, chart };
    },
  };
}

function describedCard(value: object): Card {
  const describe = (value as Described)[DESCRIBE];
  if (typeof describe !== 'function') throw new Error('the value has no card');
  return describe(value);
}

const RENDERERS: ReadonlyArray<readonly [DisplayKind, ValueRenderer]> = [
  ['figure', figureRenderer],
  ['loss', rendererOf(cardPresenter(lossCard, lossSummary))],
  ['fit', rendererOf(cardPresenter(fitCard, fitSummary))],
  ['optimalConstant', rendererOf(cardPresenter(optimalConstantCard, optimalConstantSummary))],
  ['dataset', rendererOf(cardPresenter(datasetCard, datasetSummary))],
  ['card', rendererOf(cardPresenter(describedCard, (value: object) => oneLine(describedCard(value).summary)))],
];

for (const [kind, renderer] of RENDERERS) displayRenderers().set(kind, renderer);

/**
 * Gives `value` a card: as a notebook cell's last value it then shows `describe(value)` (see
 * `Card`), and `console.log` prints the card's summary line. For values made outside the
 * package's own functions, such as a course's decision or a table of results. `describe` runs
 * each time the value is shown, so the card follows changes to the value. The value is
 * returned; its enumerable properties are untouched. It must not be frozen.
 *
 * @example
 * ```ts
 * import { displayCard } from 'losslab';
 * import { inspect } from 'node:util';
 * const result = displayCard({ n: 3, mean: 2 }, (r) => ({ title: 'Sample mean', summary: `mean ${r.mean} of ${r.n} values`, fields: [['mean', String(r.mean)]] }));
 * inspect(result);     // "mean 2 of 3 values"
 * JSON.stringify(result); // "{\"n\":3,\"mean\":2}"
 * ```
 */
export function displayCard<T extends object>(value: T, describe: (value: T) => Card): T {
  // A Proxy's isExtensible and defineProperty traps are the caller's code: a throw there is the value's fault.
  if (typeof value !== 'object' || value === null || !readGuarded('value', () => Object.isExtensible(value))) {
    throw new LossInputError({
      argument: 'value',
      value,
      problem: typeof value === 'object' && value !== null ? 'is frozen, sealed or not extensible' : 'is not an object',
      domain: 'an extensible object',
    });
  }
  if (typeof describe !== 'function') {
    throw new LossInputError({
      argument: 'describe',
      value: describe,
      problem: 'is not a function',
      domain: 'a function from the value to a Card',
    });
  }
  return readGuarded('value', () => {
    Object.defineProperty(value, DESCRIBE, { value: describe, configurable: true });
    return displayAs('card', value);
  });
}

/**
 * The bundle a card is shown as: HTML, Markdown with `$…$` math, and its summary as plain
 * text. A card with a chart expects plotly.js on the page (see `init`).
 *
 * @example
 * ```ts
 * import { cardBundle } from 'losslab';
 * const bundle = cardBundle({ title: 'Risk <b>', summary: 'risk 0.5', fields: [['risk', '0.5']] });
 * Object.keys(bundle);                       // ["text/html","text/markdown","text/plain"]
 * bundle['text/plain'];                      // "risk 0.5"
 * bundle['text/html'].includes('Risk &#60;b&#62;'); // true
 * ```
 */
export function cardBundle(card: Card): CardBundle {
  return cardData(card).data;
}

/**
 * Shows a card as one output of a tslab cell (see `Card`), with plotly.js sent first when its
 * chart needs it. Outside a notebook it prints the summary line.
 *
 * @example
 * ```ts
 * import { showCard } from 'losslab';
 * showCard({ title: 'Experiment', summary: 'Experiment: 3 of 3 checks passed', fields: [['checks', '3 of 3 passed']] });
 * ```
 */
export function showCard(card: Card): void {
  const { data, metadata, chart } = cardData(card);
  const output = kernelOutput();
  if (output === undefined) {
    warnOnce('no-kernel-card', 'losslab: showCard() is not running in a tslab notebook; printing its summary.');
    console.log(data['text/plain']);
    return;
  }
  sendOutput(output, { ...data }, metadata, chart);
}
