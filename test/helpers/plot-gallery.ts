/**
 * Every kind of figure the package builds, with seeded data: each builder, each option, each
 * loss, and the awkward cases (infinite losses, floored gaps, boundaries off the plot, hostile
 * labels). The plot specs check these in Node; the browser spec validates and draws them all.
 */
import {
  calibrationCurve,
  convergence,
  decisionBoundaries,
  fitLines,
  huber,
  lossCurves,
  losses,
  riskConvergence,
  riskSurface,
  sigmoid,
  sliderFigure,
  sweep,
  type Figure,
  type Loss,
} from '../../src/index';
import { allLosses } from './losses';
import { mulberry32, type Rng } from './rng';

/** A label no chart may read as markup, template, entity or TeX. */
export const HOSTILE = '<b>bold?</b> & <a href="javascript:alert(1)">x</a> %{y} &amp; $x^2$ </script>';

/**
 * Text that would run script, or change what is shown, wherever user text met a page, a
 * template language or a typesetter unescaped: each sets `window.__pwned` (some also
 * `alert`) if it ever runs. Every one must come out exactly as typed.
 */
export const PAYLOADS: readonly string[] = [
  '"><img src=x onerror="window.__pwned=\'img\';alert(document.domain)">',
  "'><svg onload=window.__pwned='svg'>",
  '</script><script>window.__pwned="script"</script>',
  '</title><script>window.__pwned="title"</script>',
  '<!-- <script>window.__pwned="comment"</script> -->',
  '<a href="javascript:window.__pwned=\'link\'">link</a>',
  'javascript:window.__pwned="url"',
  '{{constructor.constructor("window.__pwned=\'angular\'")()}}',
  '$\\href{javascript:window.__pwned=1}{x}$ and $x^2$',
  '%{x} %{fullData.name} %{meta[0]}',
  'line\u2028separator\u2029paragraph',
  '&lt;b&gt;entity&lt;/b&gt; &amp; &#60;i&#62; &nbsp;',
  '<b>bold</b><br><i>italic</i><sup>2</sup>',
];

export interface GalleryEntry {
  name: string;
  figure: Figure;
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** y = 2x + 1 + noise with a few gross outliers, and the mask marking them. */
export function regressionSample(n: number, seed: number): { x: number[]; y: number[]; outlier: boolean[] } {
  const rng = mulberry32(seed);
  const x = Array.from({ length: n }, () => 4 * rng() - 2);
  const outlier = x.map((_, i) => i % 10 === 0);
  const y = x.map((v, i) => 2 * v + 1 + 0.3 * normal(rng) + (outlier[i] ? 8 : 0));
  return { x, y, outlier };
}

/** Two Gaussian blobs with labels ±1. */
export function classificationSample(n: number, seed: number): { X: number[][]; y: number[] } {
  const rng = mulberry32(seed);
  const y = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const X = y.map((label) => [label + normal(rng), 0.5 * label + normal(rng)]);
  return { X, y };
}

/** Data a loss can take in riskSurface: its target domain, one feature. */
function surfaceData(loss: Loss, n: number, seed: number): { x: number[]; y: number[] } {
  const rng = mulberry32(seed);
  const x = Array.from({ length: n }, () => 4 * rng() - 2);
  const y = x.map((v) => {
    if (loss.target === 'real') return 2 * v + 1 + 0.3 * normal(rng);
    const positive = rng() < sigmoid(3 * v);
    return loss.target === 'sign' ? (positive ? 1 : -1) : positive ? 1 : 0;
  });
  return { x, y };
}

export function gallery(): GalleryEntry[] {
  const out: GalleryEntry[] = [];
  const add = (name: string, figure: Figure): void => {
    out.push({ name, figure });
  };
  const classification = allLosses.filter((l) => l.task === 'classification');
  const regression = allLosses.filter((l) => l.task === 'regression');

  for (const loss of allLosses) add(`lossCurves ${loss.id}`, lossCurves([loss], { derivative: true }));
  add('lossCurves classification', lossCurves(classification));
  add('lossCurves regression', lossCurves(regression));
  add('lossCurves all with derivative', lossCurves(allLosses, { derivative: true }));
  add(
    'lossCurves far left (cross-entropy infinite)',
    lossCurves([losses.crossEntropy, losses.exponential, losses.logistic], { range: [-800, 5], derivative: true }),
  );
  add('lossCurves hostile title', lossCurves([losses.hinge, losses.l1], { title: HOSTILE, points: 11 }));

  for (const loss of allLosses) {
    const { x, y } = surfaceData(loss, 60, 7);
    add(`riskSurface contour ${loss.id}`, riskSurface(loss, x, y, { resolution: 15 }));
  }
  const reg = surfaceData(losses.l2, 80, 3);
  const path = [
    { w: -1, b: -1 },
    { w: 0.5, b: 0 },
    { w: 1.5, b: 0.8 },
    { w: 2, b: 1 },
  ];
  add(
    'riskSurface contour with path',
    riskSurface(losses.huber, reg.x, reg.y, { path, pathLabel: HOSTILE, title: HOSTILE }),
  );
  add(
    'riskSurface surface with path',
    riskSurface(
      losses.l1,
      reg.x.map((v) => [v]),
      reg.y,
      { type: 'surface', path, resolution: [20, 15] },
    ),
  );
  const cls = surfaceData(losses.crossEntropy, 80, 5);
  const expo = surfaceData(losses.exponential, 80, 5);
  add(
    'riskSurface exponential overflowing',
    riskSurface(losses.exponential, expo.x, expo.y, { wRange: [-400, 400], bRange: [-50, 50], resolution: 12 }),
  );
  add(
    'riskSurface cross-entropy saturated',
    riskSurface(losses.crossEntropy, cls.x, cls.y, { wRange: [-400, 400], bRange: [-50, 50], resolution: 12 }),
  );

  const sample = regressionSample(50, 11);
  const fits = [
    { label: 'L2', weights: [2.3], intercept: 1.8, lossId: 'l2' },
    { label: 'Huber', weights: [2.05], intercept: 1.1, lossId: 'huber' },
    { label: HOSTILE, weights: [2], intercept: 1 },
  ];
  add(
    'fitLines with outliers',
    fitLines({ x: sample.x, y: sample.y, outlierMask: sample.outlier }, fits, {
      title: HOSTILE,
      xTitle: HOSTILE,
      yTitle: 'y',
    }),
  );
  add('fitLines without mask', fitLines({ x: Float64Array.from(sample.x), y: sample.y }, fits.slice(0, 2)));

  const c2 = classificationSample(40, 13);
  const models = [
    { label: 'hinge', weights: [1.2, 0.4], intercept: 0.1, lossId: 'hinge' },
    { label: 'logistic', weights: [1, 0.6], intercept: -0.2, lossId: 'logistic' },
    { label: 'vertical', weights: [1, 0], intercept: 0 },
    { label: 'off the plot', weights: [1, 1], intercept: 100 },
    { label: HOSTILE, weights: [0, 0], intercept: 1 },
  ];
  add('decisionBoundaries ±1', decisionBoundaries(c2, models, { title: HOSTILE }));
  add('decisionBoundaries 0/1', decisionBoundaries({ X: c2.X, y: c2.y.map((v) => (v + 1) / 2) }, models.slice(0, 2)));

  const geometric = (rate: number, start: number, k: number, optimum: number) =>
    Array.from({ length: k }, (_, i) => ({ iteration: i, objective: optimum + start * rate ** i }));
  const runs = [
    { label: 'newton', history: geometric(0.01, 1, 12, 0.5), lossId: 'logistic' },
    { label: 'gd', history: geometric(0.7, 1, 80, 0.5), lossId: 'l2' },
    {
      label: HOSTILE,
      history: [
        { iteration: 0, objective: 1 },
        { iteration: 1, objective: 0.4 },
        { iteration: 2, objective: Infinity },
        { iteration: 3, objective: NaN },
      ],
    },
  ];
  add('convergence gap', convergence(runs, { optimum: 0.5, title: HOSTILE }));
  add('convergence gap per label', convergence(runs.slice(0, 2), { optimum: { newton: 0.5, gd: 0.49 } }));
  add('convergence objective', convergence(runs.slice(0, 2)));
  add('convergence linear', convergence(runs.slice(0, 2), { logY: false }));
  add('convergence log-log', convergence(runs, { optimum: 0.5, logX: true }));

  const levels = [0, 0.05, 0.1, 0.2, 0.3];
  add(
    'sweep with bands',
    sweep(
      [
        {
          label: 'L2',
          lossId: 'l2',
          x: levels,
          mean: [0.1, 0.9, 1.7, 3.2, 4.8],
          lower: [0.05, 0.6, 1.3, 2.7, 4.1],
          upper: [0.15, 1.2, 2.1, 3.7, 5.5],
        },
        {
          label: 'Huber',
          lossId: 'huber',
          x: levels,
          mean: [0.11, 0.2, 0.3, 0.6, 1.1],
          lower: [0.06, 0.1, 0.2, 0.4, 0.8],
          upper: [0.16, 0.3, 0.4, 0.8, 1.4],
        },
        { label: HOSTILE, x: levels, mean: [0.1, 0.15, 0.2, 0.3, 0.4] },
      ],
      { xTitle: 'fraction of outliers', yTitle: HOSTILE, title: HOSTILE },
    ),
  );
  add(
    'sweep log',
    sweep([{ label: 'L1', lossId: 'l1', x: levels, mean: [0.1, 0.12, 0.15, 0.2, 0.3] }], {
      xTitle: 'noise σ',
      yTitle: 'error',
      logY: true,
    }),
  );
  add(
    'sweep log-log',
    sweep([{ label: 'L1', lossId: 'l1', x: [10, 100, 1000], mean: [0.3, 0.1, 0.03] }], {
      xTitle: 'n',
      yTitle: 'error',
      logX: true,
      logY: true,
    }),
  );

  add(
    'riskConvergence',
    riskConvergence(
      {
        n: [10, 30, 100, 300, 1000, 3000],
        mean: [0.33, 0.3, 0.27, 0.26, 0.252, 0.25],
        lower: [0.1, 0.18, 0.22, 0.235, 0.24, 0.245],
        upper: [0.55, 0.42, 0.32, 0.285, 0.264, 0.256],
        trueRisk: 0.25,
      },
      { lossId: 'zeroOne', label: HOSTILE, title: HOSTILE, yTitle: HOSTILE },
    ),
  );
  add(
    'riskConvergence defaults',
    riskConvergence({ n: [1, 10], mean: [1, 1], lower: [0, 0.5], upper: [2, 1.5], trueRisk: 1 }),
  );

  const rng = mulberry32(17);
  const p = Array.from({ length: 400 }, () => rng());
  const yCal = p.map((q) => (rng() < q * q ? 1 : -1));
  add(
    'calibrationCurve',
    calibrationCurve(
      [
        { label: 'overconfident', lossId: 'logistic', y: yCal, p },
        { label: HOSTILE, y: yCal.map((v) => (v + 1) / 2), p: p.map((q) => q * q) },
      ],
      { title: HOSTILE, bins: 8 },
    ),
  );

  for (const [name, figure] of sliderFigures()) add(name, figure);
  return out;
}

/** Gradient descent on the mean squared error of y ≈ w x + b from (w, b) = (−1, −1): `steps` iterates. */
function gradientDescent(x: number[], y: number[], rate: number, steps: number): Array<{ w: number; b: number }> {
  let w = -1;
  let b = -1;
  const path = [{ w, b }];
  for (let k = 0; k < steps; k++) {
    let gw = 0;
    let gb = 0;
    for (let i = 0; i < x.length; i++) {
      const r = w * x[i] + b - y[i];
      gw += (2 * r * x[i]) / x.length;
      gb += (2 * r) / x.length;
    }
    w -= rate * gw;
    b -= rate * gb;
    path.push({ w, b });
  }
  return path;
}

/**
 * The knobs the course turns with sliders (issue #10): Huber's δ on the loss curves, the
 * contamination level on robust fits, the step size of gradient descent on a risk surface;
 * and one with hostile labels, name and titles.
 */
export function sliderFigures(): Array<[string, Figure]> {
  const deltas = [0.25, 0.5, 1, 2, 4];
  const huberSlider = sliderFigure(
    deltas.map((d) => ({
      label: String(d),
      figure: lossCurves([huber(d), losses.l2, losses.l1], { range: [-4, 4], points: 81 }),
    })),
    { name: 'δ', active: 2 },
  );

  const levels = [0, 0.1, 0.2, 0.3];
  const contamination = sliderFigure(
    levels.map((level, k) => {
      const sample = regressionSample(40, 21);
      const outlier = sample.x.map((_, i) => i < Math.round(level * sample.x.length));
      const y = sample.y.map((v, i) => (sample.outlier[i] ? v - 8 : v) + (outlier[i] ? 10 : 0));
      const fits = [
        { label: 'L2', weights: [2 + 0.8 * level], intercept: 1 + 10 * level, lossId: 'l2' },
        { label: 'Huber', weights: [2 + 0.1 * level], intercept: 1 + 1.5 * level, lossId: 'huber' },
      ];
      return {
        label: `${100 * level}%`,
        figure: fitLines({ x: sample.x, y, outlierMask: outlier }, fits, {
          title: `Fits with ${100 * level}% gross outliers (${k + 1} of ${levels.length})`,
        }),
      };
    }),
    { name: 'contamination' },
  );

  const reg = regressionSample(60, 5);
  const rates = [0.05, 0.2, 0.45, 0.55];
  const stepSize = sliderFigure(
    rates.map((rate) => ({
      label: String(rate),
      figure: riskSurface(losses.l2, reg.x, reg.y, {
        path: gradientDescent(reg.x, reg.y, rate, 12),
        pathLabel: `gradient descent, step ${rate}`,
        wRange: [-2, 4],
        bRange: [-2, 3],
        resolution: 30,
      }),
    })),
    { name: 'step size', title: 'Gradient descent on the squared-error risk' },
  );

  const hostile = sliderFigure(
    [1, 2].map((k) => ({
      label: `${HOSTILE} ${k}`,
      figure: lossCurves([losses.hinge], { title: `${HOSTILE} ${k}`, points: 11 }),
    })),
    { name: HOSTILE },
  );
  return [
    ['slider Huber δ', huberSlider],
    ['slider contamination', contamination],
    ['slider step size', stepSize],
    ['slider hostile labels', hostile],
  ];
}
