/**
 * Chapter 04's experiments: the margin losses as formulas (square, hinge, logistic), the hinge
 * as the loss of maximum-margin classifiers, and how fast the logistic and hinge losses get
 * somewhere — as statistics (exact excess 0–1 risk against n) and as optimisation (iterations
 * to a relative gap). Every random number is seeded; the rules that read these measurements
 * are in `classification.claims.ts`, written before any of this ran.
 */
import { bignumber, exp, log, type BigNumber } from 'mathjs';
import { makeClassification } from '../../data/generators';
import { trainTestSplit } from '../../data/split';
import { createRng } from '../../random/rng';
import { fitLinear } from '../../fit/fitLinear';
import type { LinearFit } from '../../fit/types';
import { losses } from '../../losses/registry';
import type { Loss } from '../../losses/types';
import type { Matrix } from '../../matrix';
import { convergence } from '../../plot/convergence';
import { decisionBoundaries } from '../../plot/decisionBoundaries';
import type { Figure } from '../../plot/figure';
import { sweep } from '../../plot/sweep';
import { risk } from '../../risk';
import { derive } from '../derive';
import { fmtInterval, sig } from '../format';
import { runExperiment, type Experiment, type ExperimentResult } from '../experiment';
import { bootstrapInterval, exactly, median, proportionInterval, ratioInterval, type Interval } from '../stats';
import { measured } from '../verdict';
import { LossInputError, readGuarded } from '../../errors';
import { readResult } from '../arguments';
import { gaussianClasses, linearRisk, linearZeroOneRisk, lowNoiseClasses, type LinearClasses } from './marginRisk';

const CHAPTER = '04-classification-losses.ipynb';
const EPS = Number.EPSILON;
const LABELS = [1, -1] as const;

/** [min, max] of computed values as a level-1 interval around their median: how a spread of exact results enters a rule. */
function spread(values: ArrayLike<number>, method: string): Interval {
  let lower = Infinity;
  let upper = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lower = Math.min(lower, values[i]);
    upper = Math.max(upper, values[i]);
  }
  return { estimate: median(values), lower, upper, level: 1, method };
}

/** Margins k/256 on [−5, 5]: dyadic, so y·f and 1 − y·f are exact for y = ±1 and the grid itself adds no rounding. */
const MARGIN_GRID = Float64Array.from({ length: 2561 }, (_, k) => -5 + k / 256);

// ---------------------------------------------------------------------------------------------
// 1–2. The margin losses as formulas

/**
 * The largest jump of a margin loss's derivative, in rounding units: over a grid of scores f
 * (both labels), |φ′(f + h) − φ′(f − h)| minus what a continuous derivative can change over
 * 2h (2h times the largest |φ″| of the pieces there, from `derive`), and at each kink of the
 * loss the difference between the derivatives of the pieces on either side. The rounding
 * unit of one comparison is ε (|φ′(f−h)| + |φ′(f+h)| + K (|f| + h) + |difference|): each
 * derivative within u of itself, the rounded f ± h moving it by at most K u |f ± h|, and the
 * subtraction; ε = 2u keeps a factor 2 in hand. Meaningful for losses whose φ″ changes
 * little over 2h (true of all the margin losses for h = 2⁻²⁰).
 */
export function derivativeJump(
  loss: Loss,
  grid: ArrayLike<number> = MARGIN_GRID,
  h = 2 ** -20,
): { largest: number; where: number } {
  const d = derive(loss);
  const curvature = (y: number, f: number): number =>
    Math.max(0, ...d.pieces.filter((p) => p.holds(y, f)).map((p) => Math.abs(p.secondAt(y, f))));
  let largest = 0;
  let where = NaN;
  for (const y of LABELS) {
    for (let k = 0; k < grid.length; k++) {
      const f = grid[k];
      const left = loss.derivative(y, f - h);
      const right = loss.derivative(y, f + h);
      const K = Math.max(curvature(y, f - h), curvature(y, f + h));
      const difference = Math.abs(right - left);
      const unit = EPS * (Math.abs(left) + Math.abs(right) + K * (Math.abs(f) + h) + difference);
      const jump = Math.max(0, difference - 2 * h * K) / Math.max(unit, Number.MIN_VALUE);
      if (jump > largest) [largest, where] = [jump, y * f];
    }
  }
  for (const kink of loss.properties.kinks) {
    // On the margin axis with y = 1: the pieces holding just left and just right of the kink.
    const left = d.pieceAt(1, kink - 2 ** -30).firstAt(1, kink);
    const right = d.pieceAt(1, kink + 2 ** -30).firstAt(1, kink);
    const jump = Math.abs(right - left) / Math.max(EPS * (Math.abs(left) + Math.abs(right)), Number.MIN_VALUE);
    if (jump > largest) [largest, where] = [jump, kink];
  }
  return { largest, where };
}

/**
 * ln(1 + e^{−m}) / ln 2 at 64 significant digits (mathjs BigNumber) for a dyadic m, whose
 * decimal form is exact. Written as max(−m, 0) + ln(1 + e^{−|m|}), with ln(1 + x) ≈ x − x²/2
 * below x = 1e-30 (the next term is below 1e-90 relative), so that no digit cancels.
 */
function logisticReference(m: number): number {
  const small = exp(bignumber(-Math.abs(m))) as BigNumber;
  const tail = small.lt(1e-30) ? small.minus(small.times(small).div(2)) : (log(small.plus(1)) as BigNumber);
  return Number(tail.plus(Math.max(-m, 0)).div(log(bignumber(2)) as BigNumber));
}

export interface MarginFormulasResult extends ExperimentResult {
  /** The hinge measured the same way as the square's `squareDerivativeJump`, for contrast. */
  hingeDerivativeJump: { largest: number; where: number };
  /** The literal ln(1 + e^{−m}) / ln 2 in doubles against the reference, largest gap in rounding units, and where. */
  literalLogisticGap: { largest: number; where: number };
  /** The symbolic derivatives of the square loss, as LaTeX. */
  squareTex: { value: string; first: string; second: string };
}

export const marginFormulas: Experiment<MarginFormulasResult> = {
  id: 'classification-margin-losses',
  title: 'The square and logistic losses as formulas',
  design:
    'Deterministic, on the dyadic grid of scores f = k/256 in [−5, 5] with both labels y = ±1 (5122 points): ' +
    'the squared error (y − f)² (losses.l2) against the margin form (1 − y f)² (losses.square), in units of its rounding bound 3ε·max; ' +
    'the smallest second derivative of the square loss from its symbolic derivative (derive); ' +
    'the largest jump of its derivative across its pieces and between f ± 2⁻²⁰ on the grid, in rounding units (derivativeJump); ' +
    "its gap to the 0–1 loss at margins 0 and 1; and the package's logistic loss against ln(1 + e^{−m})/ln 2 at 64 digits " +
    'for m = k/8 in [−30, 30] and m = ±100, ±700, in units of 4ε times the value (exp and log1p within one ulp each, the sum, ln 2 and the division one rounding each).',
  evidence: { chapter: CHAPTER, heading: '2. The square loss, as the lecture note describes it' },
  run() {
    let marginGap = 0;
    let zeroOneGap = 0;
    let minSecond = Infinity;
    const square = derive(losses.square);
    for (const y of LABELS) {
      for (const f of MARGIN_GRID) {
        const a = losses.l2.value(y, f);
        const b = losses.square.value(y, f);
        marginGap = Math.max(marginGap, Math.abs(a - b) / Math.max(3 * EPS * Math.max(a, b), Number.MIN_VALUE));
        minSecond = Math.min(minSecond, square.pieceAt(y, f).secondAt(y, f));
      }
      for (const m of [0, 1])
        zeroOneGap = Math.max(
          zeroOneGap,
          Math.abs(losses.square.value(y, m * y) - losses.zeroOne.value(y, m * y)) / EPS,
        );
    }
    const squareJump = derivativeJump(losses.square);

    const margins = [...Array.from({ length: 481 }, (_, k) => -30 + k / 8), -700, -100, 100, 700];
    let packageGap = 0;
    let literal = { largest: 0, where: NaN };
    for (const m of margins) {
      const reference = logisticReference(m);
      const unit = 4 * EPS * reference;
      for (const y of LABELS)
        packageGap = Math.max(packageGap, Math.abs(losses.logistic.value(y, m * y) - reference) / unit);
      const naive = Math.log(1 + Math.exp(-m)) / Math.LN2;
      const gap = Number.isFinite(naive) ? Math.abs(naive - reference) / unit : Infinity;
      if (gap > literal.largest) literal = { largest: gap, where: m };
    }
    return {
      measurements: {
        squareMarginGap: measured(
          '|(y − f)² − square loss (1 − y f)²|, in rounding units (largest over 5122 points)',
          exactly(marginGap, 0, 'largest over the grid'),
        ),
        squareMinSecondDerivative: measured(
          'smallest ∂²φ/∂f² of the square loss, symbolic, over the grid',
          exactly(minSecond, 4 * EPS * Math.abs(minSecond), 'symbolic derivative evaluated on the grid'),
        ),
        squareDerivativeJump: measured(
          "largest jump of the square loss's derivative, in rounding units",
          exactly(squareJump.largest, 0, 'largest over the grid and the piece boundaries'),
        ),
        squareVsZeroOneAtNamedMargins: measured(
          '|square − 0–1 loss| at margins 0 and 1, in units of ε',
          exactly(zeroOneGap, 0, 'largest of 4 points'),
        ),
        logisticFormulaGap: measured(
          '|logistic loss − ln(1 + e^(−yf))/ln 2 at 64 digits|, in rounding units (largest over 485 margins × 2 labels)',
          exactly(packageGap, 0, 'largest over the margins'),
        ),
      },
      hingeDerivativeJump: derivativeJump(losses.hinge),
      literalLogisticGap: literal,
      squareTex: square.tex,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// 3. The hinge loss

/** Smallest distance between the sides in the separable sets: also a lower bound on their maximum margin. */
const SEPARABLE_GAP = 0.25;
const SEPARABLE_SETS = 24;
const SEPARABLE_N = 40;
/**
 * The penalty of the soft-margin fit. The soft-margin SVM (1/n) Σ hinge + (λ/2)‖w‖² has the
 * dual box 0 ≤ αᵢ ≤ 1/(nλ), and the hard-margin solution's multipliers satisfy Σ αᵢ = ‖w‖² =
 * 1/γ² (γ its margin), so every αᵢ ≤ 1/γ². When 1/(nλ) ≥ 1/γ², i.e. λ ≤ γ²/n, the hard-margin
 * solution satisfies the soft problem's KKT conditions and is its minimiser. With γ ≥ 0.25 and
 * n = 40 that is λ ≤ 1.6e-3; 1e-4 is 16 times smaller.
 */
const SEPARABLE_PENALTY = 1e-4;

/** A seeded separable set: a random line, points N(0, 1.5² I) kept only farther than SEPARABLE_GAP from it, classes alternating. */
export function separableSet(seed: number): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed);
  const angle = rng.uniform(0, 2 * Math.PI);
  const [u0, u1] = [Math.cos(angle), Math.sin(angle)];
  const offset = rng.uniform(-0.5, 0.5);
  const data = new Float64Array(2 * SEPARABLE_N);
  const y = new Float64Array(SEPARABLE_N);
  for (let i = 0; i < SEPARABLE_N; i++) {
    y[i] = i % 2 === 0 ? 1 : -1;
    // A point lands on the wanted side beyond the gap with probability about 0.4, so 1000 tries never all fail in practice.
    for (let attempt = 0; attempt < 1000; attempt++) {
      const x0 = rng.normal(0, 1.5);
      const x1 = rng.normal(0, 1.5);
      if (y[i] * (u0 * x0 + u1 * x1 - offset) >= SEPARABLE_GAP) {
        data[2 * i] = x0;
        data[2 * i + 1] = x1;
        break;
      }
      if (attempt === 999) throw new Error(`separableSet(${seed}): no point found on side ${y[i]}`);
    }
  }
  return { X: { rows: SEPARABLE_N, cols: 2, data }, y };
}

/** The geometric margin min yᵢ (w·xᵢ + b) / ‖w‖ of a rule in the plane. */
export function geometricMargin(X: Matrix, y: ArrayLike<number>, w: ArrayLike<number>, b: number): number {
  const norm = Math.hypot(w[0], w[1]);
  let least = Infinity;
  for (let i = 0; i < X.rows; i++)
    least = Math.min(least, (y[i] * (w[0] * X.data[2 * i] + w[1] * X.data[2 * i + 1] + b)) / norm);
  return least;
}

/**
 * The maximum margin of a separable set in the plane, by enumeration, independently of any
 * solver. The optimal hyperplane has support vectors from both classes (KKT: Σ αᵢ yᵢ = 0); if
 * only one from each, w is parallel to their difference and the plane bisects them; if two
 * from one class, the plane is parallel to the line through them and halfway to a support
 * vector of the other class. So it is among the candidates made from every opposite pair and
 * every (same-class pair, opposite point) triple, and the maximum margin is the largest
 * geometric margin of a candidate (each candidate's margin computed over all points, so no
 * feasibility tolerance is needed).
 */
export function maximumMargin(X: Matrix, y: ArrayLike<number>): { margin: number; w: [number, number]; b: number } {
  const n = X.rows;
  const px = (i: number) => X.data[2 * i];
  const py = (i: number) => X.data[2 * i + 1];
  let best = { margin: -Infinity, w: [NaN, NaN] as [number, number], b: NaN };
  const consider = (w: [number, number], b: number) => {
    const margin = geometricMargin(X, y, w, b);
    if (margin > best.margin) best = { margin, w, b };
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (y[i] > 0 && y[j] < 0) {
        const w: [number, number] = [px(i) - px(j), py(i) - py(j)];
        consider(w, -(w[0] * (px(i) + px(j)) + w[1] * (py(i) + py(j))) / 2);
      }
      if (j <= i || y[i] !== y[j]) continue;
      const dx = px(j) - px(i);
      const dy = py(j) - py(i);
      const length = Math.hypot(dx, dy);
      if (length === 0) continue;
      const normal: [number, number] = [-dy / length, dx / length];
      for (let c = 0; c < n; c++) {
        if (y[c] === y[i]) continue;
        const t = normal[0] * (px(c) - px(i)) + normal[1] * (py(c) - py(i));
        if (t === 0) continue;
        // Orient w so that point c is on its own side, and put the plane halfway (margin |t|/2).
        const sign = y[c] * Math.sign(t);
        const w: [number, number] = [sign * normal[0], sign * normal[1]];
        consider(w, -y[c] * (Math.abs(t) / 2) - (w[0] * px(i) + w[1] * py(i)));
      }
    }
  }
  return best;
}

/** The mean hinge of the label sign(w·x + b) and of the score itself, at a parameter vector θ = (w₁, w₂, b). */
function hingeRisks(
  X: Matrix,
  y: Float64Array,
  theta: ArrayLike<number>,
  scores: Float64Array,
  labels: Float64Array,
): { score: number; label: number; unit: number } {
  for (let i = 0; i < X.rows; i++) {
    scores[i] = theta[0] * X.data[2 * i] + theta[1] * X.data[2 * i + 1] + theta[2];
    labels[i] = Math.sign(scores[i]);
  }
  const score = risk(losses.hinge, y, scores);
  // Rounding of a mean of n non-negative terms: n ε Σ|l| / n (Higham §4.2, as in erm.ts).
  return { score, label: risk(losses.hinge, y, labels), unit: X.rows * EPS * score };
}

export interface HingeResult extends ExperimentResult {
  /** Per separable set: the fit's geometric margin, the exact maximum margin, and the fit's mean hinge (0 when it is the hard-margin solution). */
  separable: Array<{
    seed: number;
    data: { X: Matrix; y: Float64Array };
    fitMargin: number;
    maximumMargin: number;
    hingeRisk: number;
    fit: LinearFit;
    exact: { w: [number, number]; b: number };
  }>;
  /** Random directions with a non-zero slope, of `directions`. */
  slopes: { label: number; score: number; directions: number };
  /** Wrong-side grid steps where the hinge rises with f, per label. */
  rising: Record<'1' | '-1', { rising: number; steps: number }>;
}

const SLOPE_SETS = 20;
const DIRECTIONS_PER_SET = 10;
const SLOPE_STEP = 1e-6;

export const hingeExperiment: Experiment<HingeResult> = {
  id: 'classification-hinge',
  title: 'The hinge loss: zero set, wrong side, raw scores, maximum margin',
  design:
    `Maximum margin: ${SEPARABLE_SETS} seeded separable sets of ${SEPARABLE_N} points in the plane (a random line, points kept at distance ≥ ${SEPARABLE_GAP} from it), ` +
    `each fitted by the hinge loss with the l2 penalty λ = ${SEPARABLE_PENALTY} (below the bound γ²/n ≥ 1.6e-3 under which the soft-margin solution is the hard-margin one) to a duality gap of 1e-14; ` +
    "the statistic is the fit's geometric margin over the maximum margin found by enumerating candidate support-vector pairs and triples, its smallest and largest value over the sets. " +
    `Raw score or label: on ${SLOPE_SETS} seeded two-class Gaussian sets of 100 points, a random parameter vector θ and ${DIRECTIONS_PER_SET} random unit directions v each; ` +
    `a direction has a slope when the central difference of the mean hinge between θ ± ${SLOPE_STEP}·v exceeds the rounding of the two means; shares with Wilson intervals, for the hinge of the label sign(f) and of the score f. ` +
    'Formulas: on the dyadic grid f = k/128 in [−4, 4] and y = ±1, the largest hinge value where y f ≥ 1 (in units of ε max(1, |f|)), the gap to 1 + |f| on the wrong side (units ε (1 + |f|)), ' +
    'and the share of wrong-side grid steps, both labels pooled, on which the hinge rises as f rises.',
  evidence: { chapter: CHAPTER, heading: '3. The hinge loss, as the lecture note describes it' },
  run() {
    const separable: HingeResult['separable'] = [];
    for (let s = 0; s < SEPARABLE_SETS; s++) {
      const seed = 700 + s;
      const { X, y } = separableSet(seed);
      const fit = fitLinear(X, y, { loss: losses.hinge, l2: SEPARABLE_PENALTY, tol: 1e-14, maxIter: 100000 });
      const exact = maximumMargin(X, y);
      separable.push({
        seed,
        data: { X, y },
        fitMargin: geometricMargin(X, y, fit.weights, fit.intercept),
        maximumMargin: exact.margin,
        hingeRisk: risk(losses.hinge, y, fit.predict(X)),
        fit,
        exact,
      });
    }

    let labelSlopes = 0;
    let scoreSlopes = 0;
    for (let s = 0; s < SLOPE_SETS; s++) {
      const data = makeClassification({ n: 100, seed: 800 + s, separation: 2 });
      const X = data.X;
      const rng = createRng(900 + s);
      const theta = [rng.normal(), rng.normal(), rng.normal()];
      const scores = new Float64Array(X.rows);
      const labels = new Float64Array(X.rows);
      for (let k = 0; k < DIRECTIONS_PER_SET; k++) {
        const v = [rng.normal(), rng.normal(), rng.normal()];
        const norm = Math.hypot(...v);
        const plus = hingeRisks(
          X,
          data.y,
          theta.map((t, j) => t + (SLOPE_STEP * v[j]) / norm),
          scores,
          labels,
        );
        const minus = hingeRisks(
          X,
          data.y,
          theta.map((t, j) => t - (SLOPE_STEP * v[j]) / norm),
          scores,
          labels,
        );
        if (Math.abs(plus.label - minus.label) > 0) labelSlopes++;
        if (Math.abs(plus.score - minus.score) > plus.unit + minus.unit) scoreSlopes++;
      }
    }
    const directions = SLOPE_SETS * DIRECTIONS_PER_SET;

    const grid = Float64Array.from({ length: 1025 }, (_, k) => -4 + k / 128);
    let zeroGap = 0;
    let wrongGap = 0;
    const rising: HingeResult['rising'] = { '1': { rising: 0, steps: 0 }, '-1': { rising: 0, steps: 0 } };
    for (const y of LABELS) {
      for (let k = 0; k < grid.length; k++) {
        const f = grid[k];
        const value = losses.hinge.value(y, f);
        if (y * f >= 1) zeroGap = Math.max(zeroGap, value / (EPS * Math.max(1, Math.abs(f))));
        if (y * f < 0) wrongGap = Math.max(wrongGap, Math.abs(value - (1 + Math.abs(f))) / (EPS * (1 + Math.abs(f))));
        if (k + 1 < grid.length && y * f < 0 && y * grid[k + 1] < 0) {
          const tally = rising[String(y) as '1' | '-1'];
          tally.steps++;
          if (losses.hinge.value(y, grid[k + 1]) > value) tally.rising++;
        }
      }
    }
    const risingShare = (rising['1'].rising + rising['-1'].rising) / (rising['1'].steps + rising['-1'].steps);

    const ratios = separable.map((r) => r.fitMargin / r.maximumMargin);
    return {
      measurements: {
        hingeOverMaximumMargin: measured(
          `geometric margin of the hinge fit / exact maximum margin (smallest and largest of ${SEPARABLE_SETS} sets)`,
          spread(ratios, `smallest and largest of ${SEPARABLE_SETS} data sets, median as estimate`),
        ),
        labelHingeNonZeroGradientCount: measured(
          `random directions (of ${directions}) where the hinge of sign(f) has a slope`,
          exactly(labelSlopes, 0, `count over ${directions} directions`),
        ),
        scoreHingeNonZeroGradientShare: measured(
          `share of random directions where the hinge of the score f has a slope (of ${directions})`,
          proportionInterval(scoreSlopes, directions),
        ),
        hingeLargestWhereZeroExpected: measured(
          'largest hinge value where y f ≥ 1, in rounding units',
          exactly(zeroGap, 0, 'largest over the grid'),
        ),
        hingeGapToOnePlusSize: measured(
          '|hinge − (1 + |f|)| on the wrong side, in rounding units',
          exactly(wrongGap, 0, 'largest over the grid'),
        ),
        hingeRisingWithScoreShare: measured(
          'share of wrong-side grid steps (both labels) where the hinge rises as f rises',
          exactly(risingShare, 0, `count over ${rising['1'].steps + rising['-1'].steps} steps`),
        ),
      },
      separable,
      slopes: { label: labelSlopes, score: scoreSlopes, directions },
      rising,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// 5. Rates: statistical and optimisation

export const RATE_SIZES = [40, 160, 640, 2560] as const;
/**
 * Repetitions per sample size: 40, the course's minimum. The hinge fits (dual coordinate
 * descent to a duality gap of 1e-12) take about 0.3 s each at n = 2560, so 40 repetitions of
 * both distributions already cost about half a minute of the chapter's run.
 */
const RATE_SEEDS = 40;
/** The same small ridge penalty for both losses: it makes the minimiser unique for the hinge (whose LP optimum can be a face) and exist for the logistic on separable samples; both population minimisers stay the Bayes rule (both distributions are symmetric). */
export const RATE_PENALTY = 1e-3;
/** Bonferroni over the four sample sizes: each interval at 1 − 0.05/4, so all four hold together at 95%. */
const RATE_LEVEL = 1 - 0.05 / RATE_SIZES.length;

const ratioOfMeans =
  (a: Float64Array, b: Float64Array) =>
  (idx: Uint32Array): number => {
    let sa = 0;
    let sb = 0;
    for (const i of idx) {
      sa += a[i];
      sb += b[i];
    }
    return sa / sb;
  };

/** The ψ-transforms of the hinge (|θ|) and of the base-2 logistic loss (((1+θ)ln(1+θ) + (1−θ)ln(1−θ)) / (2 ln 2)). */
export function psiTransform(loss: Loss, theta: number): number {
  const t = Math.abs(theta);
  if (loss === losses.hinge) return t;
  if (loss === losses.logistic)
    return t >= 1 ? 1 : ((1 + t) * Math.log1p(t) + (1 - t) * Math.log1p(-t)) / (2 * Math.LN2);
  throw new LossInputError({
    loss: typeof loss === 'object' && loss !== null ? loss.id : undefined,
    argument: 'loss',
    value: loss,
    problem: 'has no ψ-transform in closed form here',
    domain: 'losses.hinge or losses.logistic',
  });
}

/** The largest excess 0–1 risk θ in [0, 1] with ψ(θ) ≤ v: the bound the comparison inequality gives (60 bisections reach the last bit). */
export function psiBound(loss: Loss, v: number): number {
  if (v <= 0) return 0;
  if (psiTransform(loss, 1) <= v) return 1;
  let [lo, hi] = [0, 1];
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (psiTransform(loss, mid) <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

export interface RateCell {
  n: number;
  /** Per repetition: the exact excess 0–1 risk and excess surrogate risk of each loss's fit. */
  excess: Record<'hinge' | 'logistic', Float64Array>;
  surrogateExcess: Record<'hinge' | 'logistic', Float64Array>;
  /** Ratio of the mean excess 0–1 risks, hinge / logistic, with its paired bootstrap interval. */
  ratio: Interval;
}

export interface RatesResult extends ExperimentResult {
  statistical: Record<'gaussian' | 'lowNoise', RateCell[]>;
  optimisation: {
    budget: number;
    /** Per data set: iterations to a relative gap of 1e-6 (the budget when never reached). */
    logisticIterations: Float64Array;
    hingeIterations: Float64Array;
    hingeReached: number;
    /** Per data set: relative gap after the budget, gradient descent on the logistic, and the best of three fixed steps on the hinge. */
    logisticFinalGap: Float64Array;
    hingeFixedFinalGap: Float64Array;
    /** Data set 0: best relative gap so far at every iteration, for the chart. */
    paths: Record<'gdLogistic' | 'subgradientHinge' | 'subgradientLogistic' | 'fixedStepHinge', Float64Array>;
  };
}

function excessCell(classes: LinearClasses, n: number, seedBase: number): RateCell {
  const excess = { hinge: new Float64Array(RATE_SEEDS), logistic: new Float64Array(RATE_SEEDS) };
  const surrogateExcess = { hinge: new Float64Array(RATE_SEEDS), logistic: new Float64Array(RATE_SEEDS) };
  for (let r = 0; r < RATE_SEEDS; r++) {
    const data = classes.sample(n, seedBase + r);
    for (const id of ['hinge', 'logistic'] as const) {
      const loss = losses[id];
      const fit = fitLinear(data.X, data.y, { loss, l2: RATE_PENALTY, tol: 1e-12, maxIter: 100000 });
      if (!fit.converged)
        throw new Error(
          `${classes.id}, n = ${n}, seed ${seedBase + r}: the ${id} fit did not converge (${fit.reason})`,
        );
      excess[id][r] = linearZeroOneRisk(classes, fit.weights, fit.intercept) - classes.bayesRisk;
      surrogateExcess[id][r] = linearRisk(classes, loss, fit.weights, fit.intercept) - classes.bayesSurrogateRisk(loss);
    }
  }
  const ratio = bootstrapInterval(RATE_SEEDS, ratioOfMeans(excess.hinge, excess.logistic), {
    seed: seedBase,
    level: RATE_LEVEL,
  });
  return { n, excess, surrogateExcess, ratio };
}

/** The cell whose ratio is farthest from 1 on a log scale: the n that decides a "within a factor" rule. */
export function worstCell(cells: readonly RateCell[]): RateCell {
  return cells.reduce((worst, c) =>
    Math.abs(Math.log(c.ratio.estimate)) > Math.abs(Math.log(worst.ratio.estimate)) ? c : worst,
  );
}

const OPT_SETS = 20;
const OPT_N = 200;
const OPT_BUDGET = 8000;
const OPT_TARGET = 1e-6;

/** λ_max((1/n) X̃ᵀX̃), X̃ = [X 1], by 500 power iterations on the 3 × 3 matrix (converged far below the 1% that matters for a step size). */
function curvature(X: Matrix): number {
  const A = new Float64Array(9);
  for (let i = 0; i < X.rows; i++) {
    const row = [X.data[2 * i], X.data[2 * i + 1], 1];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) A[3 * a + b] += (row[a] * row[b]) / X.rows;
  }
  let v = [1, 0.5, 0.25];
  let lambda = 0;
  for (let k = 0; k < 500; k++) {
    const next = [0, 1, 2].map((a) => A[3 * a] * v[0] + A[3 * a + 1] * v[1] + A[3 * a + 2] * v[2]);
    lambda = Math.hypot(...next);
    v = next.map((x) => x / lambda);
  }
  return lambda;
}

/**
 * Best relative gap (F − F*)/F* so far after each iteration of a run, from its history (which
 * keeps every iteration up to 10 000 entries; the budget stays below that). Read from the
 * history rather than `onIteration`, whose copy of the iterate per call makes these runs five
 * times slower.
 */
function bestGaps(X: Matrix, y: Float64Array, options: Parameters<typeof fitLinear>[2], optimum: number): Float64Array {
  const { history } = fitLinear(X, y, { ...options, maxIter: OPT_BUDGET, tol: 0 });
  const gaps = new Float64Array(OPT_BUDGET + 1);
  let best = Infinity;
  // With tol 0 a run ends early only on an exactly zero gradient, at its optimum: its best value then stands for the rest of the budget.
  for (let k = 0; k <= OPT_BUDGET; k++) {
    if (k < history.length) {
      if (history[k].iteration !== k)
        throw new Error(`bestGaps: history entry ${k} is iteration ${history[k].iteration}`);
      best = Math.min(best, history[k].objective);
    }
    gaps[k] = (best - optimum) / optimum;
  }
  return gaps;
}

const firstBelow = (gaps: Float64Array, level: number): number => {
  const k = gaps.findIndex((g) => g <= level);
  return k < 0 ? gaps.length - 1 : k;
};

export const ratesExperiment: Experiment<RatesResult> = {
  id: 'classification-rates',
  title: 'Logistic vs hinge: excess 0–1 risk against n, and iterations to a relative gap',
  design:
    `Statistics: two distributions on which a linear rule's 0–1 risk is exact (marginRisk.ts): Gaussian classes N(±(1.25, 0), I), and deterministic labels y = sign(x₁) with x₁ = y·Exp(1), x₂ ~ N(0, 1) (a low-noise distribution: η ∈ {0, 1}). ` +
    `For n = ${RATE_SIZES.join(', ')} and ${RATE_SEEDS} seeded samples each, both losses fitted with the same penalty λ = ${RATE_PENALTY}; the excess 0–1 risk of each fit is exact. ` +
    `Per n, the ratio of the mean excess risks hinge / logistic with a paired percentile bootstrap interval (2000 resamples) at level ${RATE_LEVEL} (Bonferroni over the four n); ` +
    'the statistic of each distribution is the interval of the n whose ratio is farthest from 1 on a log scale. The excess surrogate risks are exact too (quadrature), for the ψ-transform bounds. ' +
    `Optimisation: ${OPT_SETS} seeded Gaussian sets of ${OPT_N} points; exact optima by Newton (logistic) and the linear program (hinge); from (0, 0, 0), gradient descent with step 1/L on the logistic and the subgradient method with steps 1/(L√(t+1)) on the hinge, ` +
    `budget ${OPT_BUDGET} iterations each; iterations until the best relative gap (F − F*)/F* ≤ ${OPT_TARGET} (a run that never gets there counts as ${OPT_BUDGET}, so the hinge/logistic ratio is then a lower bound); ` +
    'geometric mean of the ratios with a t interval on the logs. After the same budget: the relative gap of gradient descent on the logistic, and of the subgradient method on the hinge with a fixed step, the best of 1/L, 1/(10L), 1/(100L) per data set (the range the decaying steps sweep through); their smallest and largest over the data sets.',
  evidence: {
    chapter: CHAPTER,
    heading: '5. Gradient descent on the logistic loss vs subgradient descent on the hinge loss',
  },
  run(onProgress) {
    // A step per cell of the statistical part and per data set of the optimisation part, whose fits take most of the time.
    const total = 2 * RATE_SIZES.length + OPT_SETS;
    const statistical = {
      gaussian: RATE_SIZES.map((n, k) => {
        onProgress?.(k, total, `excess risks, Gaussian classes, n = ${n}`);
        return excessCell(gaussianClasses, n, 40000 + 1000 * k);
      }),
      lowNoise: RATE_SIZES.map((n, k) => {
        onProgress?.(RATE_SIZES.length + k, total, `excess risks, low-noise classes, n = ${n}`);
        return excessCell(lowNoiseClasses, n, 50000 + 1000 * k);
      }),
    };

    const logisticIterations = new Float64Array(OPT_SETS);
    const hingeIterations = new Float64Array(OPT_SETS);
    const logisticFinalGap = new Float64Array(OPT_SETS);
    const hingeFixedFinalGap = new Float64Array(OPT_SETS);
    let hingeReached = 0;
    let paths = {} as RatesResult['optimisation']['paths'];
    for (let s = 0; s < OPT_SETS; s++) {
      onProgress?.(2 * RATE_SIZES.length + s, total, `optimisation, data set ${s + 1} of ${OPT_SETS}`);
      const { X, y } = makeClassification({ n: OPT_N, seed: 60000 + s, separation: 2.5 });
      const logisticOptimum = fitLinear(X, y, { loss: losses.logistic, solver: 'newton', tol: 1e-14 });
      const hingeOptimum = fitLinear(X, y, { loss: losses.hinge, solver: 'lp' });
      if (!logisticOptimum.converged || !hingeOptimum.converged)
        throw new Error(`optimisation set ${s}: the reference optimum is not certified`);
      const gd = bestGaps(X, y, { loss: losses.logistic, solver: 'gd' }, logisticOptimum.objective);
      const sub = bestGaps(X, y, { loss: losses.hinge, solver: 'subgradient' }, hingeOptimum.objective);
      const L = curvature(X);
      const fixed = [1, 0.1, 0.01].map((c) =>
        bestGaps(X, y, { loss: losses.hinge, solver: 'subgradient', stepSize: c / L }, hingeOptimum.objective),
      );
      logisticIterations[s] = firstBelow(gd, OPT_TARGET);
      hingeIterations[s] = firstBelow(sub, OPT_TARGET);
      if (sub[OPT_BUDGET] <= OPT_TARGET) hingeReached++;
      logisticFinalGap[s] = gd[OPT_BUDGET];
      const bestFixed = fixed.reduce((a, b) => (b[OPT_BUDGET] < a[OPT_BUDGET] ? b : a));
      hingeFixedFinalGap[s] = bestFixed[OPT_BUDGET];
      if (s === 0) {
        paths = {
          gdLogistic: gd,
          subgradientHinge: sub,
          fixedStepHinge: bestFixed,
          subgradientLogistic: bestGaps(
            X,
            y,
            { loss: losses.logistic, solver: 'subgradient' },
            logisticOptimum.objective,
          ),
        };
      }
    }

    const gaussianWorst = worstCell(statistical.gaussian);
    const lowNoiseWorst = worstCell(statistical.lowNoise);
    return {
      measurements: {
        excessRiskRatioGaussian: measured(
          `mean excess 0–1 risk, hinge / logistic, Gaussian classes, at the n farthest from 1 (n = ${gaussianWorst.n})`,
          gaussianWorst.ratio,
        ),
        excessRiskRatioLowNoise: measured(
          `mean excess 0–1 risk, hinge / logistic, deterministic labels, at the n farthest from 1 (n = ${lowNoiseWorst.n})`,
          lowNoiseWorst.ratio,
        ),
        iterationsRatio: measured(
          `iterations to a relative gap of ${OPT_TARGET}, subgradient on hinge / gradient descent on logistic (geometric mean of ${OPT_SETS}; ${OPT_SETS - hingeReached} hinge runs capped at ${OPT_BUDGET})`,
          ratioInterval(hingeIterations, logisticIterations),
        ),
        // Both readings are universal ("gradient descent minimises it", "it works on any continuous
        // loss"), so one data set where the method falls short refutes them: the statistic is the
        // largest gap over the data sets, exact, not the range (a range straddling the threshold
        // would read "undecided" where a counterexample has been found).
        logisticGradientDescentGap: measured(
          `relative gap of gradient descent on the logistic after ${OPT_BUDGET} iterations (largest of ${OPT_SETS})`,
          exactly(Math.max(...logisticFinalGap), 0, `largest of ${OPT_SETS} data sets`),
        ),
        hingeFixedStepGap: measured(
          `relative gap of the fixed-step method on the hinge after ${OPT_BUDGET} iterations, best of 3 steps (largest of ${OPT_SETS})`,
          exactly(Math.max(...hingeFixedFinalGap), 0, `largest of ${OPT_SETS} data sets`),
        ),
      },
      statistical,
      optimisation: {
        budget: OPT_BUDGET,
        logisticIterations,
        hingeIterations,
        hingeReached,
        logisticFinalGap,
        hingeFixedFinalGap,
        paths,
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// 4 and 6. Illustrations (no claim reads them): one classifier per loss, and points that are too correct

const FIT_PENALTIES = {
  hinge: 0,
  logistic: 0,
  square: 0,
  exponential: 0,
  squaredHinge: 1e-3,
  modifiedHuber: 1e-3,
} as const;
type FitLossId = keyof typeof FIT_PENALTIES;

export interface MarginFitsResult extends ExperimentResult {
  train: { X: Matrix; y: Float64Array };
  classifiers: Array<{ loss: Loss; fit: LinearFit; trainAccuracy: number; testAccuracy: number; angleToBayes: number }>;
  bayesTestAccuracy: number;
}

const accuracyOf = (scores: Float64Array, y: ArrayLike<number>): number => 1 - risk(losses.zeroOne, y, scores);

export const marginFits: Experiment<MarginFitsResult> = {
  id: 'classification-fits',
  title: 'One linear classifier per margin loss',
  design:
    'Gaussian classes N(±(1.25, 0), I), 400 points (seed 4), half for training and half for testing (seed 4); each margin loss fitted with no penalty, ' +
    'except λ = 1e-3 for the squared hinge and modified Huber losses, whose zero region makes the minimiser non-unique. The Bayes rule is the direction (1, 0) through the origin.',
  evidence: { chapter: CHAPTER, heading: '4. One linear classifier per loss' },
  run() {
    const blobs = makeClassification({ n: 400, seed: 4, separation: 2.5 });
    const split = trainTestSplit(blobs.X, blobs.y, { testFraction: 0.5, seed: 4 });
    const bayes = Float64Array.from(
      { length: split.XTest.rows },
      (_, i) =>
        blobs.trueWeights[0] * split.XTest.data[2 * i] +
        blobs.trueWeights[1] * split.XTest.data[2 * i + 1] +
        blobs.trueIntercept,
    );
    const classifiers = (Object.keys(FIT_PENALTIES) as FitLossId[]).map((id) => {
      const fit = fitLinear(split.XTrain, split.yTrain, { loss: losses[id], l2: FIT_PENALTIES[id] });
      return {
        loss: losses[id],
        fit,
        trainAccuracy: accuracyOf(fit.predict(split.XTrain), split.yTrain),
        testAccuracy: accuracyOf(fit.predict(split.XTest), split.yTest),
        angleToBayes: Math.abs((Math.atan2(fit.weights[1], fit.weights[0]) * 180) / Math.PI),
      };
    });
    return {
      measurements: {},
      train: { X: split.XTrain, y: split.yTrain },
      classifiers,
      bayesTestAccuracy: accuracyOf(bayes, split.yTest),
    };
  },
};

export interface TooCorrectResult extends ExperimentResult {
  data: { X: Matrix; y: Float64Array };
  added: number;
  rows: Array<{
    loss: Loss;
    before: LinearFit;
    after: LinearFit;
    smallestMargin: number;
    crossingBefore: number;
    crossingAfter: number;
    angleBefore: number;
    angleAfter: number;
  }>;
}

export const tooCorrect: Experiment<TooCorrectResult> = {
  id: 'classification-too-correct',
  title: 'Ten points far on the correct side',
  design:
    'The training half of the classes of section 4, plus 10 positive points at x₁ ~ N(8, 0.5²), x₂ ~ N(0, 1) (seed 99); square, logistic and hinge fits before and after, no penalty. ' +
    'Where each boundary crosses the x₁ axis, and its angle.',
  evidence: { chapter: CHAPTER, heading: '6. The square loss punishes points that are "too correct"' },
  run() {
    const { train } = runExperiment(marginFits);
    const added = 10;
    const rng = createRng(99);
    const n = train.X.rows + added;
    const data = new Float64Array(2 * n);
    data.set(train.X.data);
    const y = new Float64Array(n);
    y.set(train.y);
    for (let k = train.X.rows; k < n; k++) {
      data[2 * k] = rng.normal(8, 0.5);
      data[2 * k + 1] = rng.normal(0, 1);
      y[k] = 1;
    }
    const X: Matrix = { rows: n, cols: 2, data };
    const newPoints: Matrix = { rows: added, cols: 2, data: data.subarray(2 * train.X.rows) };
    const crossing = (f: LinearFit) => -f.intercept / f.weights[0];
    const angle = (f: LinearFit) => (Math.atan2(f.weights[1], f.weights[0]) * 180) / Math.PI;
    const rows = (['square', 'logistic', 'hinge'] as const).map((id) => {
      const before = fitLinear(train.X, train.y, { loss: losses[id] });
      const after = fitLinear(X, y, { loss: losses[id] });
      return {
        loss: losses[id],
        before,
        after,
        smallestMargin: Math.min(...before.predict(newPoints)),
        crossingBefore: crossing(before),
        crossingAfter: crossing(after),
        angleBefore: angle(before),
        angleAfter: angle(after),
      };
    });
    return { measurements: {}, data: { X, y }, added, rows };
  },
};

/** The boundaries before (dotted) and after the points were added. */
export function tooCorrectFigure(given: TooCorrectResult): Figure {
  const result = readResult('result', given, 'tooCorrect', (r) => 'rows' in r);
  if (!Array.isArray(result.rows))
    throw new LossInputError({
      argument: 'result.rows',
      value: result.rows,
      problem: 'is not an array of rows',
      domain: 'the rows runExperiment returns',
    });
  const figure = decisionBoundaries(
    result.data,
    result.rows.flatMap(({ loss, before, after }) => [
      { label: `${loss.name}, before`, weights: before.weights, intercept: before.intercept, lossId: loss.id },
      {
        label: `${loss.name}, after adding the ${result.added} points`,
        weights: after.weights,
        intercept: after.intercept,
        lossId: loss.id,
      },
    ]),
    { title: `${result.added} very correct points added at x₁ ≈ 8: which boundaries move?` },
  );
  // Traces 0 and 1 are the two classes; then before/after alternate.
  figure.data.forEach((trace, k) => {
    if (k >= 2 && k % 2 === 0) trace.line = { ...(trace.line as Record<string, never>), dash: 'dot' };
  });
  return figure;
}

/** Iterations 1 … 100, then 200 log-spaced up to the last: enough for a log-axis chart of a monotone curve. */
function logSpaced(last: number): number[] {
  const ks = new Set<number>();
  for (let k = 1; k <= Math.min(100, last); k++) ks.add(k);
  for (let j = 0; j <= 200; j++) ks.add(Math.round(100 * (last / 100) ** (j / 200)));
  return [...ks].filter((k) => k <= last).sort((a, b) => a - b);
}

/** The best relative gaps of data set 0, on log axes. */
export function ratesConvergenceFigure(given: RatesResult): Figure {
  const result = readResult('result', given, 'ratesExperiment', (r) => 'optimisation' in r);
  const { paths, budget } = result.optimisation;
  const ks = logSpaced(budget);
  const series = (label: string, gaps: Float64Array, lossId?: string) => ({
    label,
    lossId,
    history: ks.map((k) => ({ iteration: k, objective: gaps[k] })),
  });
  return convergence(
    [
      series('gradient descent (step 1/L), logistic', paths.gdLogistic, 'logistic'),
      series('subgradient method (steps 1/(L√(t+1))), hinge', paths.subgradientHinge, 'hinge'),
      series('fixed-step subgradient method (best of 3 steps), hinge', paths.fixedStepHinge),
      series('subgradient method (steps 1/(L√(t+1))), logistic', paths.subgradientLogistic),
    ],
    { optimum: 0, logX: true, title: 'Best relative gap (F − F*)/F* so far, data set 0 of the optimisation runs' },
  );
}

const meanOf = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
};

/** Mean excess 0–1 risk against n for both losses, with the 10–90% band over the repetitions. */
export function excessRiskFigure(given: RatesResult, distribution: 'gaussian' | 'lowNoise'): Figure {
  const result = readResult('result', given, 'ratesExperiment', (r) => 'statistical' in r);
  if (distribution !== 'gaussian' && distribution !== 'lowNoise')
    throw new LossInputError({
      argument: 'distribution',
      value: distribution,
      problem: 'is not one of the two distributions',
      domain: "'gaussian' or 'lowNoise'",
    });
  const cells = result.statistical[distribution];
  const quantileOf = (a: Float64Array, q: number) => {
    const sorted = Float64Array.from(a).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  };
  const name = distribution === 'gaussian' ? gaussianClasses.name : lowNoiseClasses.name;
  return sweep(
    (['hinge', 'logistic'] as const).map((id) => ({
      label: losses[id].name,
      lossId: id,
      x: cells.map((c) => c.n),
      mean: cells.map((c) => meanOf(c.excess[id])),
      lower: cells.map((c) => quantileOf(c.excess[id], 0.1)),
      upper: cells.map((c) => quantileOf(c.excess[id], 0.9)),
    })),
    {
      xTitle: 'training sample size n',
      yTitle: 'exact excess 0–1 risk',
      logX: true,
      logY: true,
      title: `Excess 0–1 risk against n (mean, 10–90% band over ${cells[0].excess.hinge.length} samples): ${name}`,
    },
  );
}

/** One table row per n: mean excess 0–1 risks, their ratio with its interval, and the bounds the ψ-transforms give from the exact excess surrogate risks. */
export function rateRows(given: readonly RateCell[]): Array<Array<string | number>> {
  const domain = 'result.statistical.gaussian or result.statistical.lowNoise';
  // The list copied once and checked under the guard (a getter or trap that throws is a
  // LossInputError naming cells); Array.from reads holes as undefined, which the check refuses.
  const isCell = (c: unknown): c is RateCell => typeof c === 'object' && c !== null && 'ratio' in c;
  const cells = readGuarded(
    'cells',
    () => {
      const copy = Array.isArray(given) ? Array.from(given as unknown[]) : undefined;
      return copy?.every(isCell) ? copy : undefined;
    },
    domain,
  );
  if (cells === undefined) {
    throw new LossInputError({
      argument: 'cells',
      value: given,
      problem: 'are not the cells of the rates experiment',
      domain,
    });
  }
  return cells.map((c) => [
    c.n,
    sig(meanOf(c.excess.hinge)),
    sig(meanOf(c.excess.logistic)),
    fmtInterval(c.ratio),
    sig(meanOf(c.surrogateExcess.hinge.map((v: number) => psiBound(losses.hinge, v)))),
    sig(meanOf(c.surrogateExcess.logistic.map((v: number) => psiBound(losses.logistic, v)))),
  ]);
}

export const classificationExperiments = [marginFormulas, hingeExperiment, ratesExperiment, marginFits, tooCorrect];
