/**
 * Chapter 08's computations: proper scoring rules (the log and Brier scores are minimised in
 * expectation by the true probability, the hinge and the absolute error are not), reading
 * probabilities back from the minimisers of the logistic and square losses, and the
 * calibration of fitted linear classifiers — logistic, square, hinge squashed naively and
 * hinge with Platt scaling — over many seeds, separations from easy to near-separable, and
 * two misspecified models.
 */
import { makeClassification } from '../../data/generators';
import { createRng } from '../../random/rng';
import { LossInputError, readGuarded } from '../../errors';
import { readOptions, readResult } from '../arguments';
import { fitLinear } from '../../fit/fitLinear';
import { optimalConstant } from '../../fit/optimalConstant';
import { losses } from '../../losses/registry';
import { sigmoid } from '../../losses/stable';
import type { Loss } from '../../losses/types';
import type { Vec } from '../../vec';
import type { Matrix } from '../../matrix';
import { binIndices, calibrationCurve, reliabilityBins, type CalibrationBinning } from '../../plot/calibrationCurve';
import type { Figure } from '../../plot/figure';
import { sweep } from '../../plot/sweep';
import { checkNumbers, materialise } from '../../validate';
import type { Experiment, ExperimentResult } from '../experiment';
import { meanInterval, type Interval } from '../stats';
import { minimiseConvex } from './calibrationTheory';

const CHAPTER = '08-probabilities.ipynb';
const EPS = Number.EPSILON;

// ---------------------------------------------------------------------------------------------
// §1–2: scoring rules and the minimisers of the margin losses

/** A scoring rule s(t, q): the penalty for announcing probability q of the event when its indicator is t ∈ {0, 1}. */
export interface ScoringRule {
  id: string;
  name: string;
  score(t: number, q: number): number;
  /** True when E_η s(T, q) is minimised by q = η alone. */
  proper: boolean;
}

/** The four rules of §1, each written with a loss of the package. */
/**
 * A score of the outcome t in {0, 1} for the forecast q in [0, 1], both checked here: the loss
 * behind a rule sees other names (y, f) and, for hinge, other values (2t − 1).
 */
function scored(t: number, q: number, score: () => number): number {
  if (t !== 0 && t !== 1)
    throw new LossInputError({ argument: 't', value: t, problem: 'is not an outcome', domain: '0 or 1' });
  if (typeof q !== 'number' || !(q >= 0 && q <= 1))
    throw new LossInputError({ argument: 'q', value: q, problem: 'is not a probability', domain: '[0, 1]' });
  return score();
}

export const scoringRules: readonly ScoringRule[] = [
  {
    id: 'crossEntropy',
    name: 'log score −ln q (cross-entropy)',
    score: (t, q) => scored(t, q, () => losses.crossEntropy.value(t, q)),
    proper: true,
  },
  { id: 'l2', name: 'Brier score (t − q)²', score: (t, q) => scored(t, q, () => losses.l2.value(t, q)), proper: true },
  {
    id: 'hinge',
    name: 'hinge on the score 2q − 1',
    score: (t, q) => scored(t, q, () => losses.hinge.value(2 * t - 1, 2 * q - 1)),
    proper: false,
  },
  {
    id: 'l1',
    name: 'absolute error |t − q|',
    score: (t, q) => scored(t, q, () => losses.l1.value(t, q)),
    proper: false,
  },
];

/** The expected score E s(T, q) = η s(1, q) + (1 − η) s(0, q) for T ~ Bernoulli(η). */
export function expectedScore(rule: ScoringRule, eta: number, q: number): number {
  // The score read once, under the guard: a getter or trap that throws is a LossInputError naming rule.
  const score = readGuarded(
    'rule',
    () => (typeof rule === 'object' && rule !== null ? rule.score : undefined),
    'an entry of scoringRules',
  );
  if (typeof score !== 'function')
    throw new LossInputError({
      argument: 'rule',
      value: rule,
      problem: 'is not a scoring rule',
      domain: 'an entry of scoringRules',
    });
  for (const [argument, v] of [
    ['eta', eta],
    ['q', q],
  ] as const) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new LossInputError({ argument, value: v, problem: 'is not a probability', domain: '[0, 1]' });
  }
  // 0 · ∞ is 0 here: an outcome that cannot happen costs nothing, however it is scored.
  const one = eta === 0 ? 0 : eta * score.call(rule, 1, q);
  const zero = eta === 1 ? 0 : (1 - eta) * score.call(rule, 0, q);
  return one + zero;
}

export interface ScoringResult extends ExperimentResult {
  etas: number[];
  /** Per rule: the minimiser of E s(T, q) over q ∈ [0, 1] for each η (golden-section search). */
  minimisers: Array<{ rule: ScoringRule; at: number[]; largestGapToEta: number; largestGapToSign: number }>;
  /** Largest |E s(T,q) − E s(T,η) − divergence| over a grid of (η, q), in rounding units, for the log (KL) and Brier ((q − η)²) scores. */
  divergenceGaps: { log: number; brier: number };
  /** Per margin loss and η: the minimiser f* of the risk over constants (optimalConstant on 1000 labels with 1000η positives) and the probability read back from it. */
  links: Array<{ loss: Loss; eta: number; minimiser: number; interval: [number, number]; recovered: number }>;
}

const LINK_ETAS = [0.1, 0.3, 0.5, 0.7, 0.9];

/** How each margin loss's minimiser is read back as a probability: σ(f) for the logistic loss, (1 + f)/2 clipped for the square and hinge losses. */
export function probabilityFromScore(loss: Loss, f: number): number {
  if (typeof f !== 'number' || Number.isNaN(f))
    throw new LossInputError({ argument: 'f', value: f, problem: 'is not a number', domain: 'a score' });
  // σ(±∞) is 1 or 0, the limit the score's probability tends to.
  if (loss === losses.logistic || loss === losses.crossEntropyWithLogits)
    return Number.isFinite(f) ? sigmoid(f) : f > 0 ? 1 : 0;
  if (loss === losses.square || loss === losses.hinge) return Math.min(1, Math.max(0, (1 + f) / 2));
  throw new LossInputError({
    argument: 'loss',
    value: loss,
    problem: 'has no link to a probability here',
    domain: 'losses.logistic, crossEntropyWithLogits, square or hinge',
  });
}

export const probabilitiesScoring: Experiment<ScoringResult> = {
  id: 'probabilities-scoring',
  title: 'Proper and improper scoring rules; probabilities read back from loss minimisers',
  design:
    'For η = 0.01, 0.02, …, 0.99 and each rule (log, Brier, hinge on 2q − 1, absolute error): the minimiser of η s(1, q) + (1 − η) s(0, q) over q ∈ [0, 1] by golden-section search; ' +
    'the expected score minus its value at q = η against KL(η‖q) and (q − η)² on a 99 × 99 grid of (η, q); ' +
    'for η = 0.1, 0.3, 0.5, 0.7, 0.9: optimalConstant of the logistic, square and hinge losses on 1000 labels of which 1000η are +1, and the probability read back from it.',
  evidence: { chapter: CHAPTER, heading: '1. Proper scoring rules' },
  run() {
    const etas = Array.from({ length: 99 }, (_, k) => (k + 1) / 100);
    const minimisers = scoringRules.map((rule) => {
      const at = etas.map((eta) => minimiseConvex((q) => expectedScore(rule, eta, q), 0, 1).at);
      return {
        rule,
        at,
        largestGapToEta: Math.max(...at.map((q, k) => Math.abs(q - etas[k]))),
        // η = ½ excluded: every q is then a minimiser of the hinge and absolute rules.
        largestGapToSign: Math.max(...at.map((q, k) => (etas[k] === 0.5 ? 0 : Math.abs(q - (etas[k] > 0.5 ? 1 : 0))))),
      };
    });
    let log = 0;
    let brier = 0;
    const [logRule, brierRule] = scoringRules;
    for (const eta of etas) {
      for (const q of etas) {
        const kl = eta * Math.log(eta / q) + (1 - eta) * Math.log((1 - eta) / (1 - q));
        const logExcess = expectedScore(logRule, eta, q) - expectedScore(logRule, eta, eta);
        // Two expected scores of size up to −ln 0.01 ≈ 4.6, each of a few roundings, against KL's own.
        const logUnit =
          8 * EPS * (expectedScore(logRule, eta, q) + expectedScore(logRule, eta, eta) + Math.abs(kl) + 1);
        log = Math.max(log, Math.abs(logExcess - kl) / logUnit);
        const brierExcess = expectedScore(brierRule, eta, q) - expectedScore(brierRule, eta, eta);
        brier = Math.max(brier, Math.abs(brierExcess - (q - eta) ** 2) / (8 * EPS * (1 + (q - eta) ** 2)));
      }
    }
    const links = [losses.logistic, losses.square, losses.hinge].flatMap((loss) =>
      LINK_ETAS.map((eta) => {
        const positives = Math.round(1000 * eta);
        const labels = Float64Array.from({ length: 1000 }, (_, i) => (i < positives ? 1 : -1));
        const fit = optimalConstant(loss, labels);
        return {
          loss,
          eta,
          minimiser: fit.value,
          interval: fit.interval,
          recovered: probabilityFromScore(loss, fit.value),
        };
      }),
    );
    return { measurements: {}, etas, minimisers, divergenceGaps: { log, brier }, links };
  },
};

/** The expected score minus its minimum over q, at one η, for the four rules (the chart of §1). */
export function scoringFigure(eta = 0.3): Figure {
  if (typeof eta !== 'number' || !(eta > 0 && eta < 1))
    throw new LossInputError({
      argument: 'eta',
      value: eta,
      problem: 'is not a probability strictly between 0 and 1',
      domain: '(0, 1)',
    });
  const qs = Array.from({ length: 199 }, (_, k) => (k + 1) / 200);
  return sweep(
    scoringRules.map((rule) => {
      const values = qs.map((q) => expectedScore(rule, eta, q));
      const lowest = Math.min(...values);
      return { label: rule.name, lossId: rule.id, x: qs, mean: values.map((v) => v - lowest) };
    }),
    {
      xTitle: 'announced probability q',
      yTitle: 'expected score − its smallest value',
      title: `Expected score when the event has probability η = ${eta}: the proper rules bottom out at q = η`,
    },
  );
}

// ---------------------------------------------------------------------------------------------
// §3–4: calibration of fitted classifiers

/**
 * The expected calibration error of predictions p against targets: labels (±1 or 0/1), or
 * the true probabilities η when they are known, which removes the noise of the labels and
 * leaves only the miscalibration (binned). `bins` (default 10) equal-mass bins by default.
 *
 * @example
 * ```ts
 * import { expectedCalibrationError } from 'losslab/course';
 * expectedCalibrationError([0, 1, 1, 0], [0.2, 0.6, 0.9, 0.4], { bins: 2 }); // 0.275  (bins {0.2, 0.4} and {0.6, 0.9})
 * ```
 */
export function expectedCalibrationError(
  targets: Vec,
  p: Vec,
  opts: { bins?: number; binning?: CalibrationBinning } = {},
): number {
  const options = readOptions('opts', opts, '{ bins?, binning? }');
  // Only undefined means left out: a null is a bad value, not the default.
  const bins = options.bins === undefined ? 10 : options.bins;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000)
    throw new LossInputError({
      argument: 'bins',
      value: bins,
      problem: 'is not a number of bins',
      domain: 'an integer from 1 to 1000',
    });
  const binning = options.binning === undefined ? 'mass' : options.binning;
  if (binning !== 'mass' && binning !== 'width')
    throw new LossInputError({
      argument: 'binning',
      value: binning,
      problem: 'is not a way of binning',
      domain: "'mass' or 'width'",
    });
  // Both read once, before either is checked, and binned from these copies: a getter or Proxy
  // could answer differently on a second read.
  const pv = materialise(undefined, 'p', p, 'probability');
  const tv = materialise(undefined, 'targets', targets, 'real');
  const n = checkNumbers(undefined, 'p', pv, 'probability');
  if (checkNumbers(undefined, 'targets', tv, 'real') !== n) {
    throw new LossInputError({
      argument: 'targets',
      problem: `has length ${tv.length} but p has ${n}`,
      domain: `${n} values`,
    });
  }
  const t = Float64Array.from(tv);
  const signs = t.every((v) => v === 1 || v === -1);
  if (signs) for (let i = 0; i < n; i++) t[i] = (1 + t[i]) / 2;
  const bad = t.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0)
    throw new LossInputError({
      argument: 'targets',
      index: bad,
      value: tv[bad],
      problem: 'is neither a ±1 label nor in [0, 1]',
      domain: 'labels ±1, or 0/1 labels and probabilities in [0, 1]',
    });
  return reliabilityBins(t, pv, bins, binning).ece;
}

/** A data-generating law with its true probability η(x) = P(y = +1 | x). */
export interface CalibrationScenario {
  id: string;
  name: string;
  /** Whether the linear logistic model contains the truth. */
  wellSpecified: boolean;
  /** n seeded draws: features, labels ±1 and η at each point. */
  draw(n: number, seed: number): { X: Matrix; y: Float64Array; eta: Float64Array };
}

const blobs = (separation: number): CalibrationScenario => ({
  id: `blobs-${separation}`,
  name: `Gaussian classes, centres ${separation} apart`,
  wellSpecified: true,
  draw(n, seed) {
    const data = makeClassification({ n, seed, separation });
    // Identity covariances and equal priors: the log-odds is exactly trueWeights·x + trueIntercept.
    const eta = Float64Array.from({ length: n }, (_, i) =>
      sigmoid(
        data.trueWeights[0] * data.X.data[2 * i] + data.trueWeights[1] * data.X.data[2 * i + 1] + data.trueIntercept,
      ),
    );
    return { X: data.X, y: data.y, eta };
  },
});

/** x ~ N(0, I₂) and y = +1 with probability η(x). */
const standardNormal = (id: string, name: string, eta: (a: number, b: number) => number): CalibrationScenario => ({
  id,
  name,
  wellSpecified: false,
  draw(n, seed) {
    const rng = createRng(seed);
    const data = new Float64Array(2 * n);
    const y = new Float64Array(n);
    const probability = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      data[2 * i] = rng.normal();
      data[2 * i + 1] = rng.normal();
      probability[i] = eta(data[2 * i], data[2 * i + 1]);
      y[i] = rng.uniform() < probability[i] ? 1 : -1;
    }
    return { X: { rows: n, cols: 2, data }, y, eta: probability };
  },
});

/** The scenarios of §4, fixed before any run: five separations of two Gaussian classes, then two laws a linear logistic model cannot represent. */
export const calibrationScenarios: readonly CalibrationScenario[] = [
  blobs(0.5),
  blobs(1),
  blobs(2),
  blobs(4),
  blobs(6),
  standardNormal(
    'noisy-link',
    'labels flipped with probability 0.1: η = 0.1 + 0.8 σ(4x₁)',
    (a) => 0.1 + 0.8 * sigmoid(4 * a),
  ),
  standardNormal('quadratic', 'curved boundary: η = σ(3(x₂ − x₁² + 1))', (a, b) => sigmoid(3 * (b - a * a + 1))),
];

/** The probability models compared: how each turns a fitted score into a probability. */
export const calibrationModels = [
  { id: 'logistic', name: 'logistic, σ(f)', lossId: 'logistic' },
  { id: 'logisticLarge', name: 'logistic, σ(f), 10× the training data', lossId: 'crossEntropyWithLogits' },
  { id: 'square', name: 'square, (1 + f)/2 clipped', lossId: 'square' },
  { id: 'hingeNaive', name: 'hinge, σ(f) (naive)', lossId: 'hinge' },
  { id: 'hingePlatt', name: 'hinge + Platt scaling', lossId: 'plattScaling' },
] as const;

export type CalibrationModelId = (typeof calibrationModels)[number]['id'];

const SEEDS = 30;
const N_TRAIN = 300;
const N_LARGE = 3000;
const N_TEST = 5000;
const BINS = 10;
const L2 = 1e-3;
/** One practical unit of probability: two percentage points. */
export const CALIBRATION_UNIT = 0.02;

export interface ModelCalibration {
  /** Per seed: ECE against the test labels, the binned error against the true η, and the mean |p̂ − η|. */
  eceLabels: Float64Array;
  eceTruth: Float64Array;
  distance: Float64Array;
  /** t intervals over the seeds. */
  eceLabelsInterval: Interval;
  eceTruthInterval: Interval;
  distanceInterval: Interval;
  /** The rule of §4: the interval of eceTruth below, above or across CALIBRATION_UNIT. */
  finding: 'calibrated' | 'miscalibrated' | 'undecided';
  /** The predictions and labels of each seed, for the reliability diagram. */
  runs: Array<{ y: Float64Array; p: Float32Array }>;
}

export interface ScenarioCalibration {
  scenario: CalibrationScenario;
  /** ECE of the true η against the test labels: the floor that label noise and binning alone give. */
  oracle: Interval;
  models: Record<CalibrationModelId, ModelCalibration>;
  /** Seeds whose unpenalised logistic fit would have had no minimiser (a linearly separable training sample). */
  separableSamples: number;
  /** Largest |mean of σ(f) − mean of t| over the training samples of the logistic fit: calibration in the large. */
  inTheLarge: number;
}

export interface CalibrationResult extends ExperimentResult {
  scenarios: ScenarioCalibration[];
  bins: number;
  seeds: number;
}

function judge(interval: Interval): ModelCalibration['finding'] {
  if (interval.upper < CALIBRATION_UNIT) return 'calibrated';
  if (interval.lower > CALIBRATION_UNIT) return 'miscalibrated';
  return 'undecided';
}

function column(scores: Float64Array): Matrix {
  return { rows: scores.length, cols: 1, data: scores };
}

export const probabilitiesCalibration: Experiment<CalibrationResult> = {
  id: 'probabilities-calibration',
  title: 'Calibration of logistic, square and hinge probabilities over seeds, separations and misspecified laws',
  design:
    `For each of ${calibrationScenarios.length} laws (Gaussian classes with centres 0.5, 1, 2, 4 and 6 apart, where the logistic model is exact; labels flipped with probability 0.1; a curved boundary) and ${SEEDS} seeds: ` +
    `${N_TRAIN} training points, ${N_TRAIN} more for Platt scaling, ${N_TEST} test points and ${N_LARGE} training points for a larger fit (seeds 1000·(law + 1) + 4·seed + 0, 1, 2, 3). Fits with l2 = ${L2} (so a separable sample still has a minimiser): ` +
    `logistic (crossEntropyWithLogits, p = σ(f)), on ${N_TRAIN} and on ${N_LARGE} points; square (p = (1 + f)/2 clipped to [0, 1]); hinge (p = σ(f), naive); hinge with Platt scaling (a one-feature logistic regression p = σ(A f + B), also with l2, fitted on the second sample). ` +
    `On the test points: ECE against the labels and the binned error against the true η (${BINS} equal-mass bins), and the mean |p̂ − η|; t intervals over the seeds. ` +
    `Rule: calibrated when the interval of the error against η lies below ${CALIBRATION_UNIT}, miscalibrated when it lies above, undecided otherwise.`,
  evidence: { chapter: CHAPTER, heading: '4. Are fitted probabilities calibrated?' },
  run() {
    const scenarios = calibrationScenarios.map((scenario, law) => {
      const per = Object.fromEntries(
        calibrationModels.map((m) => [
          m.id,
          {
            eceLabels: new Float64Array(SEEDS),
            eceTruth: new Float64Array(SEEDS),
            distance: new Float64Array(SEEDS),
            runs: [] as Array<{ y: Float64Array; p: Float32Array }>,
          },
        ]),
      ) as Record<
        CalibrationModelId,
        {
          eceLabels: Float64Array;
          eceTruth: Float64Array;
          distance: Float64Array;
          runs: Array<{ y: Float64Array; p: Float32Array }>;
        }
      >;
      const oracle = new Float64Array(SEEDS);
      let separableSamples = 0;
      let inTheLarge = 0;
      for (let s = 0; s < SEEDS; s++) {
        const base = 1000 * (law + 1) + 4 * s;
        const train = scenario.draw(N_TRAIN, base);
        const calibration = scenario.draw(N_TRAIN, base + 1);
        const test = scenario.draw(N_TEST, base + 2);
        const large = scenario.draw(N_LARGE, base + 3);
        const zeroOne = Float64Array.from(train.y, (v) => (v + 1) / 2);
        const logistic = fitLinear(train.X, zeroOne, { loss: losses.crossEntropyWithLogits, l2: L2 });
        const logisticLarge = fitLinear(
          large.X,
          Float64Array.from(large.y, (v) => (v + 1) / 2),
          { loss: losses.crossEntropyWithLogits, l2: L2 },
        );
        const unpenalised = fitLinear(train.X, zeroOne, { loss: losses.crossEntropyWithLogits });
        if (unpenalised.status === 'noMinimiser') separableSamples++;
        const trainP = Array.from(logistic.predict(train.X), sigmoid);
        inTheLarge = Math.max(
          inTheLarge,
          Math.abs(trainP.reduce((a, b) => a + b, 0) - zeroOne.reduce((a, b) => a + b, 0)) / N_TRAIN,
        );
        const square = fitLinear(train.X, train.y, { loss: losses.square, l2: L2 });
        const hinge = fitLinear(train.X, train.y, { loss: losses.hinge, l2: L2 });
        const platt = fitLinear(
          column(hinge.predict(calibration.X)),
          Float64Array.from(calibration.y, (v) => (v + 1) / 2),
          { loss: losses.crossEntropyWithLogits, l2: L2 },
        );
        const hingeTest = hinge.predict(test.X);
        const predictions: Record<CalibrationModelId, Float64Array> = {
          logistic: logistic.predict(test.X).map(sigmoid),
          logisticLarge: logisticLarge.predict(test.X).map(sigmoid),
          square: square.predict(test.X).map((f) => probabilityFromScore(losses.square, f)),
          hingeNaive: hingeTest.map(sigmoid),
          hingePlatt: platt.predict(column(hingeTest)).map(sigmoid),
        };
        // Targets and predictions are made here and valid: the bins of each prediction vector are
        // found once and scored against the labels and against η.
        const labels01 = Float64Array.from(test.y, (v) => (v + 1) / 2);
        oracle[s] = reliabilityBins(labels01, test.eta, BINS, 'mass').ece;
        for (const m of calibrationModels) {
          const p = predictions[m.id];
          const which = binIndices(p, BINS, 'mass');
          per[m.id].eceLabels[s] = reliabilityBins(labels01, p, BINS, 'mass', which).ece;
          per[m.id].eceTruth[s] = reliabilityBins(test.eta, p, BINS, 'mass', which).ece;
          let d = 0;
          for (let i = 0; i < N_TEST; i++) d += Math.abs(p[i] - test.eta[i]);
          per[m.id].distance[s] = d / N_TEST;
          // Kept for the reliability diagrams; single precision is far finer than any bin.
          per[m.id].runs.push({ y: test.y, p: Float32Array.from(p) });
        }
      }
      const models = Object.fromEntries(
        calibrationModels.map((m) => {
          const r = per[m.id];
          const eceTruthInterval = meanInterval(r.eceTruth);
          return [
            m.id,
            {
              ...r,
              eceLabelsInterval: meanInterval(r.eceLabels),
              eceTruthInterval,
              distanceInterval: meanInterval(r.distance),
              finding: judge(eceTruthInterval),
            },
          ];
        }),
      ) as Record<CalibrationModelId, ModelCalibration>;
      return { scenario, oracle: meanInterval(oracle), models, separableSamples, inTheLarge };
    });
    return { measurements: {}, scenarios, bins: BINS, seeds: SEEDS };
  },
};

/** The reliability diagram of one law: every model over the seeds, equal-mass bins, bands over the seeds. */
export function reliabilityFigure(
  given: CalibrationResult,
  scenarioId: string,
  modelIds: readonly CalibrationModelId[] = calibrationModels.map((m) => m.id),
): Figure {
  const result = readResult('result', given, 'probabilitiesCalibration', (r) => Array.isArray(r.scenarios));
  const entry = result.scenarios.find((s) => s.scenario.id === scenarioId);
  if (entry === undefined)
    throw new LossInputError({
      argument: 'scenarioId',
      value: scenarioId,
      problem: 'is not a scenario of the result',
      domain: result.scenarios.map((s) => s.scenario.id).join(', '),
    });
  const chosen = calibrationModels.filter((m) => modelIds.includes(m.id));
  if (chosen.length === 0)
    throw new LossInputError({
      argument: 'modelIds',
      value: modelIds,
      problem: 'names no model',
      domain: calibrationModels.map((m) => m.id).join(', '),
    });
  return calibrationCurve(
    chosen.map((m) => ({ label: m.name, lossId: m.lossId, runs: entry.models[m.id].runs })),
    {
      bins: result.bins,
      binning: 'mass',
      title: `${entry.scenario.name}: ${result.seeds} seeds, bands 5%–95%`,
    },
  );
}

/** The binned error against η with its interval, per model, across the five separations. */
export function separationFigure(given: CalibrationResult): Figure {
  const result = readResult('result', given, 'probabilitiesCalibration', (r) => Array.isArray(r.scenarios));
  const separated = result.scenarios.filter((s) => s.scenario.wellSpecified);
  const x = separated.map((s) => Number(s.scenario.id.slice('blobs-'.length)));
  return sweep(
    [
      ...calibrationModels.map((m) => ({
        label: m.name,
        lossId: m.lossId,
        x,
        mean: separated.map((s) => s.models[m.id].eceTruthInterval.estimate),
        lower: separated.map((s) => s.models[m.id].eceTruthInterval.lower),
        upper: separated.map((s) => s.models[m.id].eceTruthInterval.upper),
      })),
      {
        label: `practical unit ${CALIBRATION_UNIT}`,
        lossId: 'zeroOne',
        x: [x[0], x[x.length - 1]],
        mean: [CALIBRATION_UNIT, CALIBRATION_UNIT],
      },
    ],
    {
      logY: true,
      xTitle: 'distance between the class centres',
      yTitle: 'binned calibration error against η (mean, 95% t)',
      title: 'Calibration error as the classes separate',
    },
  );
}
