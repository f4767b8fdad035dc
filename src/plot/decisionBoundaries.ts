/** Two-feature classification data and the line each linear classifier draws through it. */
import { LossInputError } from '../errors';
import type { Vec } from '../vec';
import type { MatrixLike } from '../matrix';
import { checkSameLength, toMatrix, toVector } from '../validate';
import { checkList, checkModel, optionalLabel, readFields, readOptions } from './checks';
import { builtFigure, type Figure, type Layout, type Trace } from './figure';
import { axis, baseConfig, baseLayout, extent, padRange, pointsOrGap } from './layout';
import { seriesColor } from './palette';
import { formatNumber, plotText } from './text';

export interface ClassificationData2D {
  /** n rows of two features. */
  X: MatrixLike;
  /** Labels: ±1, or 0/1 (0 is the negative class). */
  y: Vec;
}

/** A linear classifier sign(w·x + b) on two features; `lossId` picks its colour. */
export interface LinearClassifier {
  label: string;
  weights: Vec;
  intercept: number;
  lossId?: string;
}

export interface DecisionBoundariesOptions {
  title?: string;
}

/**
 * The two classes of a two-feature sample (positives as dark circles, negatives as grey
 * crosses) and each model's decision boundary {x : w₁x₁ + w₂x₂ + b = 0}, clipped to the
 * plotted box (the data's range plus 5%). Both axes share one scale, so angles between
 * boundaries are true. A model whose boundary misses the box, or has w = 0 and no boundary,
 * keeps its legend entry, which says so. Each model takes its loss's colour.
 *
 * Traces: positives, negatives, then one line per model.
 *
 * @example
 * ```ts
 * import { decisionBoundaries } from 'losslab';
 * const fig = decisionBoundaries(
 *   { X: [[0, 0], [1, 1], [2, 0], [3, 1]], y: [-1, -1, 1, 1] },
 *   [{ label: 'hinge', weights: [1, 0], intercept: -1.5, lossId: 'hinge' }],
 * );
 * fig.data.length;   // 3
 * fig.data[2].x;     // [1.5,1.5]
 * ```
 */
export function decisionBoundaries(
  data2d: ClassificationData2D,
  models: readonly LinearClassifier[],
  opts: DecisionBoundariesOptions = {},
): Figure {
  const input = readFields('data2d', data2d, ['X', 'y']);
  const X = toMatrix(input.X, 'data2d.X');
  if (X.cols !== 2) {
    throw new LossInputError({
      argument: 'data2d.X',
      problem: `has ${X.cols} columns`,
      domain: 'two features per row',
    });
  }
  // Classified from this copy: a second read of data2d.y could meet other values than the ones checked.
  const y = toVector(undefined, 'data2d.y', input.y, 'real');
  checkSameLength(undefined, 'data2d.y', y.length, 'data2d.X', X.rows);
  const positive = classes(y);
  const list = checkList<LinearClassifier>('models', models).map((m, i) => checkModel(`models[${i}]`, m, 2));
  const title = optionalLabel('title', readOptions(opts, ['title']).title);

  const x1 = Array.from({ length: X.rows }, (_, i) => X.data[2 * i]);
  const x2 = Array.from({ length: X.rows }, (_, i) => X.data[2 * i + 1]);
  const box = { x: padRange(...extent(x1)), y: padRange(...extent(x2)) };
  const negativeName = positive.zeroOne ? 'y = 0' : 'y = −1';
  const pointHover = 'x₁ = %{x:.4g}<br>x₂ = %{y:.4g}<extra>%{fullData.name}</extra>';
  const select = (wanted: boolean): number[] => x1.map((_, i) => i).filter((i) => positive.labels[i] === wanted);
  const pos = select(true);
  const neg = select(false);
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'markers',
      name: `y = +1 (n = ${pos.length})`,
      x: pointsOrGap(pos.map((i) => x1[i])),
      y: pointsOrGap(pos.map((i) => x2[i])),
      marker: { symbol: 'circle', size: 8, color: '#404040', line: { color: '#ffffff', width: 1 } },
      hovertemplate: pointHover,
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: `${negativeName} (n = ${neg.length})`,
      x: pointsOrGap(neg.map((i) => x1[i])),
      y: pointsOrGap(neg.map((i) => x2[i])),
      marker: { symbol: 'x', size: 8, color: '#9a9a9a' },
      hovertemplate: pointHover,
    },
  ];
  list.forEach((m, i) => {
    const [w1, w2] = m.weights;
    const segment = clipLine(w1, w2, m.intercept, box.x, box.y);
    const label = plotText(m.label);
    const equation = `${formatNumber(w1)}·x₁ + ${formatNumber(w2)}·x₂ + ${formatNumber(m.intercept)} = 0`;
    const note =
      w1 === 0 && w2 === 0 ? ' (w = 0: no boundary)' : segment === undefined ? ' (boundary outside the plot)' : '';
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: label + note,
      x: pointsOrGap(segment === undefined ? [] : [segment[0][0], segment[1][0]]),
      y: pointsOrGap(segment === undefined ? [] : [segment[0][1], segment[1][1]]),
      line: { color: seriesColor(m.lossId, i), width: 2.5 },
      hovertemplate: `${equation}<extra>${label}</extra>`,
    });
  });

  const layout: Layout = baseLayout(title === undefined ? 'Decision boundaries w·x + b = 0' : plotText(title));
  layout.height = 500;
  layout.xaxis = axis('feature x₁', { range: box.x, constrain: 'domain' });
  layout.yaxis = axis('feature x₂', { range: box.y, scaleanchor: 'x', scaleratio: 1, constrain: 'domain' });
  return builtFigure(data, layout, baseConfig());
}

/** Positive-class flags from ±1 or 0/1 labels (all one coding). */
function classes(y: Vec): { labels: boolean[]; zeroOne: boolean } {
  const values = Array.from(y);
  const signs = values.every((v) => v === 1 || v === -1);
  const zeroOne = values.every((v) => v === 0 || v === 1);
  if (!signs && !zeroOne) {
    const bad = values.findIndex((v) => v !== 1 && v !== -1 && v !== 0);
    const at = bad >= 0 ? bad : values.indexOf(0);
    throw new LossInputError({
      argument: 'data2d.y',
      index: at,
      value: values[at],
      problem: bad >= 0 ? 'is not a class label' : 'mixes the 0/1 and ±1 codings',
      domain: 'labels -1/+1 or 0/1',
    });
  }
  return { labels: values.map((v) => v === 1), zeroOne: zeroOne && !signs };
}

/**
 * The part of the line w₁x₁ + w₂x₂ + b = 0 inside the box [x0, x1] × [y0, y1]: its
 * crossings with the four edges, of which the two farthest apart are the ends.
 */
function clipLine(
  w1: number,
  w2: number,
  b: number,
  [x0, x1]: [number, number],
  [y0, y1]: [number, number],
): [[number, number], [number, number]] | undefined {
  const hits: Array<[number, number]> = [];
  if (w2 !== 0) {
    for (const x of [x0, x1]) {
      const y = 0 - (w1 * x + b) / w2; // 0 - v, not -v: no −0 in the JSON
      if (y >= y0 && y <= y1) hits.push([x, y]);
    }
  }
  if (w1 !== 0) {
    for (const y of [y0, y1]) {
      const x = 0 - (w2 * y + b) / w1;
      if (x >= x0 && x <= x1) hits.push([x, y]);
    }
  }
  let best: [[number, number], [number, number]] | undefined;
  let far = -1;
  for (let i = 0; i < hits.length; i++) {
    for (let j = i; j < hits.length; j++) {
      const d = Math.hypot(hits[i][0] - hits[j][0], hits[i][1] - hits[j][1]);
      if (d > far) {
        far = d;
        best = [hits[i], hits[j]];
      }
    }
  }
  return best;
}
