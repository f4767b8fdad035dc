/**
 * Chapter 07's computations: classification calibration and the comparison inequality, the
 * theory that connects a margin loss to the 0–1 loss (Zhang, "Statistical behavior and
 * consistency of classification methods based on convex risk minimization", Ann. Statist.
 * 32(1), 2004; Bartlett, Jordan & McAuliffe, "Convexity, classification, and risk bounds",
 * JASA 101(473), 2006). Every closed form here is checked against a computation from the
 * definition: minimisers by `optimalConstant` and by golden-section search, the ψ-transform
 * by minimising the conditional risk with and without the sign constraint, and the
 * inequality on distributions whose risks are exact sums or exact integrals.
 */
import { createRng } from '../../random/rng';
import { optimalConstant } from '../../fit/optimalConstant';
import { defineLoss } from '../../losses/define';
import { losses } from '../../losses/registry';
import type { Loss } from '../../losses/types';
import type { Figure } from '../../plot/figure';
import { sweep } from '../../plot/sweep';
import { LossInputError, readGuarded } from '../../errors';
import { readResult } from '../arguments';
import { checkLoss } from '../../validate';
import type { Experiment, ExperimentResult } from '../experiment';
import { gaussianClasses, linearRisk, linearZeroOneRisk } from './marginRisk';

const CHAPTER = '07-classification-calibration.ipynb';

/**
 * The perceptron loss max(0, −m): convex, but with its kink at m = 0, so the conditional risk
 * is minimised at f = 0 whatever η is — the minimiser carries no sign.
 */
export const perceptronLoss: Loss = defineLoss({
  id: 'perceptron',
  name: 'Perceptron loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => Math.max(0, -y * f),
  derivative: (y, f) => (y * f < 0 ? -y : 0),
  secondDerivative: () => 0,
  expression: 'max(0, -y * f)',
  pieces: [
    { where: 'y * f < 0', expression: '-y * f' },
    { where: 'y * f > 0', expression: '0' },
  ],
  latex: '\\ell(y, f) = \\max(0, -y f)',
  properties: {
    convex: true,
    strictlyConvex: false,
    differentiable: false,
    twiceDifferentiable: false,
    lipschitz: 1,
    smoothness: null,
    marginBased: true,
    axis: 'margin',
    kinks: [0],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: false,
    minimizer: '0 for every η: no sign',
  },
});

/**
 * A hinge whose kink sits at m = −1 instead of +1, max(0, −1 − m): it charges only confident
 * mistakes, so every score in [−1, 1] costs nothing, of either sign.
 */
export const lateHingeLoss: Loss = defineLoss({
  id: 'lateHinge',
  name: 'Hinge with its kink at m = −1',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => Math.max(0, -1 - y * f),
  derivative: (y, f) => (y * f < -1 ? -y : 0),
  secondDerivative: () => 0,
  expression: 'max(0, -1 - y * f)',
  pieces: [
    { where: 'y * f < -1', expression: '-1 - y * f' },
    { where: 'y * f > -1', expression: '0' },
  ],
  latex: '\\ell(y, f) = \\max(0, -1 - y f)',
  properties: {
    convex: true,
    strictlyConvex: false,
    differentiable: false,
    twiceDifferentiable: false,
    lipschitz: 1,
    smoothness: null,
    marginBased: true,
    axis: 'margin',
    kinks: [-1],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: false,
    minimizer: 'every f in [−1, 1], of either sign',
  },
});

const entropyBits = (p: number): number => (p <= 0 || p >= 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p)));

/** A margin loss with its closed forms: the minimiser f*(η) of the conditional risk, its minimum H(η), and ψ(θ). */
export interface CalibrationForms {
  loss: Loss;
  /** One minimiser of C_η (where there are several, as for the hinge at η = ½, the one in the middle). */
  minimiser(eta: number): number;
  /** H(η) = inf over f of C_η(f). */
  bayes(eta: number): number;
  /** ψ(θ) = H⁻((1 + θ)/2) − H((1 + θ)/2) for θ ≥ 0 (convex already for these losses). */
  psi(theta: number): number;
}

const squareLike = (loss: Loss): CalibrationForms => ({
  loss,
  minimiser: (e) => 2 * e - 1,
  bayes: (e) => 4 * e * (1 - e),
  psi: (t) => t * t,
});

/** The calibrated losses of the package, and the two that are not. */
export const calibrationForms: readonly CalibrationForms[] = [
  squareLike(losses.square),
  {
    loss: losses.hinge,
    minimiser: (e) => Math.sign(2 * e - 1),
    bayes: (e) => 1 - Math.abs(2 * e - 1),
    psi: (t) => Math.abs(t),
  },
  {
    loss: losses.logistic,
    minimiser: (e) => Math.log(e / (1 - e)),
    bayes: entropyBits,
    psi: (t) => 1 - entropyBits((1 + Math.abs(t)) / 2),
  },
  {
    loss: losses.exponential,
    minimiser: (e) => 0.5 * Math.log(e / (1 - e)),
    bayes: (e) => 2 * Math.sqrt(e * (1 - e)),
    psi: (t) => 1 - Math.sqrt(1 - t * t),
  },
  squareLike(losses.squaredHinge),
  squareLike(losses.modifiedHuber),
  { loss: perceptronLoss, minimiser: () => 0, bayes: () => 0, psi: () => 0 },
  { loss: lateHingeLoss, minimiser: () => 0, bayes: () => 0, psi: () => 0 },
];

/** C_η(f) = η φ(f) + (1 − η) φ(−f), with φ(m) = loss(1, m) = loss(−1, −m). */
export function conditionalRisk(loss: Loss, eta: number, f: number): number {
  checkLoss(loss);
  if (typeof eta !== 'number' || !(eta >= 0 && eta <= 1))
    throw new LossInputError({ argument: 'eta', value: eta, problem: 'is not a probability', domain: '[0, 1]' });
  return eta * loss.value(1, f) + (1 - eta) * loss.value(-1, f);
}

/**
 * The smallest value of a convex function on [lo, hi] by golden-section search: 120 steps
 * shrink the bracket by 0.618¹²⁰ ≈ 1e-25, below the spacing of doubles there, so the loop
 * ends on rounding, not on a tolerance. Returns the minimum found and where.
 */
export function minimiseConvex(g: (f: number) => number, lo: number, hi: number): { at: number; value: number } {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [a, b] = [lo, hi];
  let best = { at: lo, value: g(lo) };
  const consider = (x: number) => {
    const v = g(x);
    if (v < best.value) best = { at: x, value: v };
    return v;
  };
  consider(hi);
  for (let k = 0; k < 120; k++) {
    const c = b - ratio * (b - a);
    const d = a + ratio * (b - a);
    if (consider(c) <= consider(d)) b = d;
    else a = c;
  }
  consider((a + b) / 2);
  return best;
}

/** Scores searched: the conditional risks' minimisers for η in [0.001, 0.999] lie within ±7, and e^{−40} is far below any value compared. */
const SEARCH = 40;

export interface MinimiserRow {
  loss: Loss;
  eta: number;
  closedForm: number;
  /** optimalConstant on 1000 labels with 1000η positives: its value and every minimiser. */
  sample: { value: number; interval: [number, number] };
  /** Golden-section minimiser of C_η on [−40, 40]. */
  golden: number;
}

export interface MinimisersResult extends ExperimentResult {
  rows: MinimiserRow[];
  /**
   * Per loss, on η = k/1000 (k ≠ 500): how often every score of the wrong sign costs strictly
   * more than the best score (H⁻(η) − H(η) > 1e-12, far above the rounding of C_η and far
   * below the smallest true gap of a calibrated loss here, ψ(0.002) ≈ 3e-6), and how often
   * the golden-section minimiser has the sign of 2η − 1 (meaningless where the minimum is flat
   * or at 0: any point of it can come out).
   */
  signAgreement: Array<{ loss: Loss; strictlyWorse: number; rightSign: number; of: number }>;
  /** Largest |optimalConstant − closed form| over the rows of each loss where the minimiser is unique. */
  largestGap: Array<{ loss: Loss; sample: number; golden: number }>;
}

const ETAS = Array.from({ length: 19 }, (_, k) => (k + 1) / 20);
const LABELS_PER_SAMPLE = 1000;

function labelsWithShare(eta: number): Float64Array {
  const positives = Math.round(LABELS_PER_SAMPLE * eta);
  return Float64Array.from({ length: LABELS_PER_SAMPLE }, (_, i) => (i < positives ? 1 : -1));
}

export const calibrationMinimisers: Experiment<MinimisersResult> = {
  id: 'calibration-minimisers',
  title: 'The minimiser of the conditional risk, per loss',
  design:
    'For η = 0.05, 0.10, …, 0.95 and each loss: the closed-form minimiser of C_η(f) = η φ(f) + (1 − η) φ(−f); optimalConstant on 1000 labels of which 1000η are +1 ' +
    '(its risk over constants is exactly C_η); and a golden-section search of C_η on [−40, 40]. Then, on η = k/1000 (k ≠ 500), the share of golden-section minimisers with the sign of 2η − 1.',
  evidence: { chapter: CHAPTER, heading: '1. The conditional risk and its minimiser' },
  run() {
    const rows: MinimiserRow[] = [];
    for (const form of calibrationForms) {
      for (const eta of ETAS) {
        const fit = optimalConstant(form.loss, labelsWithShare(eta));
        rows.push({
          loss: form.loss,
          eta,
          closedForm: form.minimiser(eta),
          sample: { value: fit.value, interval: fit.interval },
          golden: minimiseConvex((f) => conditionalRisk(form.loss, eta, f), -SEARCH, SEARCH).at,
        });
      }
    }
    const signAgreement = calibrationForms.map((form) => {
      let strictlyWorse = 0;
      let rightSign = 0;
      let of = 0;
      for (let k = 1; k < 1000; k++) {
        if (k === 500) continue;
        const eta = k / 1000;
        const risk = (f: number) => conditionalRisk(form.loss, eta, f);
        const best = minimiseConvex(risk, -SEARCH, SEARCH);
        // The wrong sign for this η: f ≤ 0 when η > ½, f ≥ 0 when η < ½.
        const wrong = eta > 0.5 ? minimiseConvex(risk, -SEARCH, 0) : minimiseConvex(risk, 0, SEARCH);
        of++;
        if (wrong.value - best.value > 1e-12) strictlyWorse++;
        if (Math.sign(best.at) === Math.sign(2 * eta - 1)) rightSign++;
      }
      return { loss: form.loss, strictlyWorse, rightSign, of };
    });
    const largestGap = calibrationForms.map((form) => {
      const mine = rows.filter((r) => r.loss === form.loss && r.sample.interval[0] === r.sample.interval[1]);
      return {
        loss: form.loss,
        sample: Math.max(0, ...mine.map((r) => Math.abs(r.sample.value - r.closedForm))),
        golden: Math.max(0, ...mine.map((r) => Math.abs(r.golden - r.closedForm))),
      };
    });
    return { measurements: {}, rows, signAgreement, largestGap };
  },
};

export interface PsiResult extends ExperimentResult {
  thetas: number[];
  /** Per loss: ψ̃ from the definition, its convex envelope, and the closed form, on `thetas`. */
  curves: Array<{
    loss: Loss;
    fromDefinition: number[];
    envelope: number[];
    closedForm: number[];
    largestGap: number;
    envelopeGap: number;
  }>;
}

/** The lower convex envelope of points (x_k, v_k), x increasing, evaluated at the x_k (Andrew's monotone chain, lower hull). */
export function convexEnvelope(x: readonly number[], v: readonly number[]): number[] {
  const hull: number[] = [];
  for (let k = 0; k < x.length; k++) {
    while (hull.length >= 2) {
      const [i, j] = [hull[hull.length - 2], hull[hull.length - 1]];
      // Drop j when it lies on or above the segment from i to k.
      if ((v[j] - v[i]) * (x[k] - x[i]) >= (v[k] - v[i]) * (x[j] - x[i])) hull.pop();
      else break;
    }
    hull.push(k);
  }
  const out = new Array<number>(x.length);
  for (let h = 0; h + 1 < hull.length; h++) {
    const [i, j] = [hull[h], hull[h + 1]];
    for (let k = i; k <= j; k++) out[k] = v[i] + ((v[j] - v[i]) * (x[k] - x[i])) / (x[j] - x[i]);
  }
  if (hull.length === 1) out[0] = v[0];
  return out;
}

export const calibrationPsi: Experiment<PsiResult> = {
  id: 'calibration-psi',
  title: 'The ψ-transform of each loss, from its definition',
  design:
    'For θ = 0, 0.01, …, 1 and η = (1 + θ)/2: H(η), the minimum of C_η over f in [−40, 40], and H⁻(η), its minimum over the scores of the wrong sign (f ≤ 0), both by golden-section search; ' +
    'ψ̃(θ) = H⁻ − H, its lower convex envelope ψ on the grid, and the largest gap to the closed form.',
  evidence: { chapter: CHAPTER, heading: '3. The ψ-transform' },
  run() {
    const thetas = Array.from({ length: 101 }, (_, k) => k / 100);
    const curves = calibrationForms.map((form) => {
      const fromDefinition = thetas.map((t) => {
        const eta = (1 + t) / 2;
        const risk = (f: number) => conditionalRisk(form.loss, eta, f);
        return minimiseConvex(risk, -SEARCH, 0).value - minimiseConvex(risk, -SEARCH, SEARCH).value;
      });
      const envelope = convexEnvelope(thetas, fromDefinition);
      const closedForm = thetas.map((t) => form.psi(t));
      return {
        loss: form.loss,
        fromDefinition,
        envelope,
        closedForm,
        largestGap: Math.max(...envelope.map((v, k) => Math.abs(v - closedForm[k]))),
        envelopeGap: Math.max(...envelope.map((v, k) => Math.abs(v - fromDefinition[k]))),
      };
    });
    return { measurements: {}, thetas, curves };
  },
};

export interface ComparisonPoint {
  /** R₀₋₁(f) − R*, and R_φ(f) − R_φ*. */
  excessZeroOne: number;
  excessSurrogate: number;
}

export interface ComparisonResult extends ExperimentResult {
  /** Per loss: the points from the discrete distributions and from linear rules on Gaussian classes (hinge and logistic only). */
  perLoss: Array<{
    loss: Loss;
    discrete: ComparisonPoint[];
    gaussian: ComparisonPoint[];
    smallestSlack: number;
    smallestRatio: number;
  }>;
  distributions: number;
  functionsPerDistribution: number;
  /** Rules with the wrong sign at every atom, scores of size s: their excess risks under the non-calibrated losses. */
  failure: Array<{ loss: Loss; size: number; excessZeroOne: number; excessSurrogate: number }>;
}

const DISTRIBUTIONS = 200;
const ATOMS = 8;
const SCALES = [0.05, 0.3, 1, 3, 10];
const FAILURE_SIZES = [0.5, 0.05, 0.005];

/**
 * One seeded discrete distribution: ATOMS points with probabilities p (normalised Exp(1)
 * draws) and η uniform on (0, 1); then one score per atom for each scale s, f = s·z with
 * z ~ N(0, 1). Every risk is a finite sum, so the comparison needs no sampling.
 */
function discreteDistribution(seed: number): { p: number[]; eta: number[]; scores: number[][] } {
  const rng = createRng(seed);
  const raw = Array.from({ length: ATOMS }, () => -Math.log1p(-rng.uniform()));
  const total = raw.reduce((s, v) => s + v, 0);
  const eta = Array.from({ length: ATOMS }, () => rng.uniform());
  const scores = SCALES.map((s) => Array.from({ length: ATOMS }, () => s * rng.normal()));
  return { p: raw.map((v) => v / total), eta, scores };
}

function excessPoint(form: CalibrationForms, p: number[], eta: number[], f: number[]): ComparisonPoint {
  let excessZeroOne = 0;
  let excessSurrogate = 0;
  for (let k = 0; k < p.length; k++) {
    excessZeroOne += p[k] * (conditionalRisk(losses.zeroOne, eta[k], f[k]) - Math.min(eta[k], 1 - eta[k]));
    excessSurrogate += p[k] * (conditionalRisk(form.loss, eta[k], f[k]) - form.bayes(eta[k]));
  }
  return { excessZeroOne, excessSurrogate };
}

export const calibrationComparison: Experiment<ComparisonResult> = {
  id: 'calibration-comparison',
  title: 'The comparison inequality ψ(R₀₋₁ − R*) ≤ R_φ − R_φ*',
  design:
    `${DISTRIBUTIONS} seeded discrete distributions of ${ATOMS} atoms (probabilities from normalised Exp(1) draws, η uniform), each with ${SCALES.length} score functions f = s·z (s = ${SCALES.join(', ')}, z standard normal per atom): ` +
    'exact excess 0–1 and surrogate risks as sums, with H(η) from the closed forms. And 216 linear rules on the Gaussian classes of chapter 04 (directions every 10°, offsets −0.5, 0, 0.5, lengths 1 and 3) with exact risks (marginRisk.ts), for the hinge and the logistic loss. ' +
    'Per loss: the smallest slack R_φ − R_φ* − ψ(R₀₋₁ − R*), and the smallest ratio (R_φ − R_φ*)/ψ(R₀₋₁ − R*) where ψ > 1e-9. ' +
    `For the two non-calibrated losses: rules with the wrong sign at every atom of the first distribution, scores of size ${FAILURE_SIZES.join(', ')}.`,
  evidence: { chapter: CHAPTER, heading: '4. The comparison inequality' },
  run() {
    const samples = Array.from({ length: DISTRIBUTIONS }, (_, d) => discreteDistribution(7000 + d));
    const calibrated = calibrationForms.filter((form) => form.loss.properties.classificationCalibrated === true);
    const rules: Array<[number, number, number]> = [];
    for (let a = 0; a < 36; a++)
      for (const b of [-1, 0, 1])
        for (const r of [1, 3])
          rules.push([r * Math.cos((a * Math.PI) / 18), r * Math.sin((a * Math.PI) / 18), b * 0.5]);
    const gaussianBayes = gaussianClasses.bayesRisk;
    const perLoss = calibrated.map((form) => {
      const discrete = samples.flatMap(({ p, eta, scores }) => scores.map((f) => excessPoint(form, p, eta, f)));
      const gaussian =
        form.loss === losses.hinge || form.loss === losses.logistic
          ? rules.map(([w0, w1, b]) => ({
              excessZeroOne: linearZeroOneRisk(gaussianClasses, [w0, w1], b) - gaussianBayes,
              excessSurrogate:
                linearRisk(gaussianClasses, form.loss, [w0, w1], b) - gaussianClasses.bayesSurrogateRisk(form.loss),
            }))
          : [];
      const all = [...discrete, ...gaussian];
      const slack = all.map((q) => q.excessSurrogate - form.psi(q.excessZeroOne));
      const ratios = all
        .filter((q) => form.psi(q.excessZeroOne) > 1e-9)
        .map((q) => q.excessSurrogate / form.psi(q.excessZeroOne));
      return {
        loss: form.loss,
        discrete,
        gaussian,
        smallestSlack: Math.min(...slack),
        smallestRatio: Math.min(...ratios),
      };
    });
    // Rules with the wrong sign at every atom of the first distribution, ever smaller scores.
    const { p, eta } = samples[0];
    const failure = calibrationForms
      .filter((form) => form.loss.properties.classificationCalibrated === false)
      .flatMap((form) =>
        FAILURE_SIZES.map((size) => ({
          loss: form.loss,
          size,
          ...excessPoint(
            form,
            p,
            eta,
            eta.map((e) => -size * Math.sign(2 * e - 1)),
          ),
        })),
      );
    return {
      measurements: {},
      perLoss,
      distributions: DISTRIBUTIONS,
      functionsPerDistribution: SCALES.length,
      failure,
    };
  },
};

/** f*(η) against η, one line per loss (the perceptron's and the late hinge's middle minimiser, 0). */
export function minimiserFigure(given: MinimisersResult): Figure {
  const result = readResult('result', given, 'calibrationMinimisers', (r) => 'rows' in r);
  if (!Array.isArray(result.rows))
    throw new LossInputError({
      argument: 'result.rows',
      value: result.rows,
      problem: 'is not an array of rows',
      domain: 'the rows runExperiment returns',
    });
  return sweep(
    calibrationForms.map((form) => ({
      label: form.loss.name,
      lossId: form.loss.id,
      x: ETAS,
      mean: result.rows.filter((r) => r.loss === form.loss).map((r) => r.sample.value),
    })),
    {
      xTitle: 'η = P(Y = +1 | x)',
      yTitle: 'minimiser f*(η) of the conditional risk (optimalConstant)',
      title: 'Where each loss puts its best score, as a function of η',
    },
  );
}

/** ψ(θ) per loss, computed from its definition. */
export function psiFigure(given: PsiResult): Figure {
  const result = readResult('result', given, 'calibrationPsi', (r) => 'curves' in r);
  return sweep(
    [
      { label: '0–1 loss (ψ = θ)', lossId: 'zeroOne', x: result.thetas, mean: result.thetas },
      ...result.curves.map((c) => ({ label: c.loss.name, lossId: c.loss.id, x: result.thetas, mean: c.envelope })),
    ],
    {
      xTitle: 'θ = 2η − 1',
      yTitle: 'ψ(θ) = H⁻((1+θ)/2) − H((1+θ)/2)',
      title: 'The ψ-transform of each loss, computed from its definition',
    },
  );
}

/** The two sides of the inequality: each (excess 0–1 risk, excess surrogate risk) as a point, and ψ as the curve they must lie above. */
export function comparisonFigure(given: ComparisonResult, loss: Loss): Figure {
  const result = readResult('result', given, 'calibrationComparison', (r) => 'perLoss' in r);
  const entry = result.perLoss.find((e) => e.loss === loss);
  const form = calibrationForms.find((f) => f.loss === loss);
  if (entry === undefined || form === undefined)
    throw new LossInputError({
      argument: 'loss',
      value: loss,
      problem: 'has no comparison in this result',
      domain: result.perLoss.map((e) => e.loss.id).join(', '),
    });
  const sorted = (points: ComparisonPoint[]) => [...points].sort((a, b) => a.excessZeroOne - b.excessZeroOne);
  const curveX = Array.from({ length: 101 }, (_, k) => k / 200);
  const series = [
    {
      label: 'discrete distributions',
      x: sorted(entry.discrete).map((q) => q.excessZeroOne),
      mean: sorted(entry.discrete).map((q) => q.excessSurrogate),
    },
    ...(entry.gaussian.length > 0
      ? [
          {
            label: 'linear rules, Gaussian classes',
            x: sorted(entry.gaussian).map((q) => q.excessZeroOne),
            mean: sorted(entry.gaussian).map((q) => q.excessSurrogate),
          },
        ]
      : []),
    { label: 'ψ(excess 0–1 risk)', lossId: loss.id, x: curveX, mean: curveX.map((t) => form.psi(t)) },
  ];
  const figure = sweep(series, {
    xTitle: 'excess 0–1 risk R₀₋₁(f) − R*',
    yTitle: `excess ${loss.name.toLowerCase()} risk R_φ(f) − R_φ*`,
    title: `${loss.name}: every rule lies above the curve ψ`,
  });
  // The sweep builder joins points with lines; the risks of different rules are separate points.
  figure.data.forEach((trace, k) => {
    if (k < series.length - 1) {
      trace.mode = 'markers';
      trace.marker = { size: 4, opacity: 0.6 };
    }
  });
  return figure;
}

/** C_η(f) against f at one η, for a few losses: where the minimum sits, and how flat it is. */
export function conditionalRiskFigure(eta: number, given: readonly Loss[]): Figure {
  if (typeof eta !== 'number' || !(eta > 0 && eta < 1))
    throw new LossInputError({
      argument: 'eta',
      value: eta,
      problem: 'is not a probability strictly between 0 and 1',
      domain: '(0, 1)',
    });
  // The list copied once under the guard (a throwing getter or trap is a LossInputError naming
  // chosen); Array.from reads holes as undefined, which the check below refuses.
  const chosen = readGuarded(
    'chosen',
    () => (Array.isArray(given) ? Array.from(given as unknown[]) : []),
    'margin losses such as [losses.hinge]',
  );
  if (chosen.length === 0)
    throw new LossInputError({
      argument: 'chosen',
      value: given,
      problem: 'is not a non-empty list of losses',
      domain: 'margin losses such as [losses.hinge]',
    });
  const checked: Loss[] = [];
  for (let i = 0; i < chosen.length; i++) {
    try {
      const loss = chosen[i];
      checkLoss(loss);
      checked.push(loss);
    } catch (cause) {
      throw new LossInputError({
        argument: `chosen[${i}]`,
        value: chosen[i],
        problem: 'is not a loss',
        domain: 'margin losses such as losses.hinge',
        cause,
      });
    }
  }
  const fs = Array.from({ length: 241 }, (_, k) => -3 + k / 40);
  return sweep(
    checked.map((loss) => ({
      label: loss.name,
      lossId: loss.id,
      x: fs,
      mean: fs.map((f) => conditionalRisk(loss, eta, f)),
    })),
    {
      xTitle: 'score f',
      yTitle: `conditional risk C_η(f), η = ${eta}`,
      title: `The conditional risk at η = ${eta}: a calibrated loss has its minimum on the positive side only`,
    },
  );
}

export const calibrationExperiments = [calibrationMinimisers, calibrationPsi, calibrationComparison];
