/**
 * Chapter 05's experiments: how L2, L1 and Huber fits react to outliers in the target, to
 * leverage points, to heavy-tailed noise, and how margin losses react to flipped labels.
 * Two of them decide the note's claims (`robustness.claims.ts`): the distance exponents and
 * the efficiency ratios. The others give the chapter's illustrations their intervals.
 *
 * The data are always the line y = 2x + 1 with x ~ N(0, 1) and n = 100 rows
 * (`makeRegression`), so errors are in units of the clean noise's standard deviation.
 */
import { makeClassification, makeRegression, type Dataset } from '../../data/generators';
import { createRng } from '../../random/rng';
import { empiricalRisk } from '../../fit/empiricalRisk';
import { fitLinear } from '../../fit/fitLinear';
import { exponential, hinge, logistic, square, zeroOne } from '../../losses/margin';
import { huber, l1, l2 } from '../../losses/regression';
import type { Loss } from '../../losses/types';
import type { Figure } from '../../plot/figure';
import { fitLines } from '../../plot/fitLines';
import { sliderFigure } from '../../plot/slider';
import { values } from '../../risk';
import type { Experiment, ExperimentResult } from '../experiment';
import { interquartileRange, parameterError } from '../robust';
import {
  bootstrapInterval,
  logGammaRatio,
  meanInterval,
  median,
  normalCdf,
  proportionInterval,
  slopeInterval,
  type Interval,
} from '../stats';
import { measured } from '../verdict';

const CHAPTER = '05-robustness.ipynb';
const N = 100;
const LINE = { weights: [2], intercept: 1 } as const;
const HUBER = huber(1);

/** The three regression losses every section compares, in the order of the tables. */
export const robustnessLosses: readonly Loss[] = [l2, l1, HUBER];

/** A clean or contaminated sample of the line y = 2x + 1, n = 100. */
const line = (seed: number, extra: Partial<Parameters<typeof makeRegression>[0]> = {}): Dataset =>
  makeRegression({ n: N, d: 1, seed, ...LINE, ...extra });

const pick = (xs: ArrayLike<number>, idx: Uint32Array): Float64Array => Float64Array.from(idx, (i) => xs[i]);

/** The median of a sample with its percentile-bootstrap interval (2000 resamples, seeded). */
function medianInterval(xs: ArrayLike<number>, seed: number): Interval {
  return bootstrapInterval(xs.length, (idx) => median(pick(xs, idx)), { seed });
}

/** Least-squares slope of y on x measured from the first point, so equal y give exactly 0. */
function slopeFromFirst(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < x.length; k++) {
    sxx += (x[k] - mx) ** 2;
    sxy += (x[k] - mx) * (y[k] - y[0]);
  }
  return sxy / sxx;
}

// ---------------------------------------------------------------------------------------------
// §1: error against the share of vertical outliers

const LEVELS = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45];
const SWEEP_SAMPLES = 60;

export interface ContaminationSweep extends ExperimentResult {
  /** Percent of the rows made vertical outliers. */
  levels: number[];
  /** errors[loss][level][sample]: ‖θ̂ − θ*‖ over (w, b), losses as in `robustnessLosses`. */
  errors: Float64Array[][];
  /** Median error with its bootstrap interval, [loss][level]. */
  medianErrors: Interval[][];
  /** shifts[loss][level][sample]: the fitted intercept minus the true one. */
  shifts: Float64Array[][];
  /** Median L1 intercept shift with its bootstrap interval, per level. */
  l1MedianShift: Interval[];
}

/** §1: vertical outliers 10 noise units above the line, on 0 … 45% of the rows. */
export const robustnessContamination: Experiment<ContaminationSweep> = {
  id: 'robustness-contamination',
  title: 'Vertical outliers from 0% to 45% of the rows',
  design:
    `For each share α = 0%, 5%, …, 45%: ${SWEEP_SAMPLES} seeded samples (seed 50 000 + 100·(100α) + r) of n = 100 rows of y = 2x + 1 + N(0, 1), ` +
    'where a share α of the rows, picked at random, have y moved up by 10 + N(0, 1). Fits: L2, L1, Huber (δ = 1). ' +
    'Statistics: per level the median parameter error ‖θ̂ − θ*‖ with a bootstrap interval; the slope of the L2 intercept shift on α (t interval at 99%), whose expectation is exactly 10.',
  evidence: { chapter: CHAPTER, heading: '1. Vertical outliers: error against contamination' },
  run() {
    const errors = robustnessLosses.map(() => LEVELS.map(() => new Float64Array(SWEEP_SAMPLES)));
    const shifts = robustnessLosses.map(() => LEVELS.map(() => new Float64Array(SWEEP_SAMPLES)));
    LEVELS.forEach((pct, j) => {
      for (let r = 0; r < SWEEP_SAMPLES; r++) {
        const data = line(50_000 + 100 * pct + r, { outliers: { fraction: pct / 100, shift: 10 } });
        robustnessLosses.forEach((loss, k) => {
          const fit = fitLinear(data.X, data.y, { loss });
          errors[k][j][r] = parameterError(fit, data);
          shifts[k][j][r] = fit.intercept - data.trueIntercept;
        });
      }
    });
    const medianErrors = errors.map((byLevel, k) => byLevel.map((e, j) => medianInterval(e, 500 + 10 * k + j)));
    const alphas = LEVELS.flatMap((pct) => Array.from({ length: SWEEP_SAMPLES }, () => pct / 100));
    const l2Shifts = shifts[0].flatMap((s) => Array.from(s));
    return {
      measurements: {
        l2ShiftPerOutlierShare: measured(
          'slope of the L2 intercept shift on the outlier share α (theory: 10)',
          slopeInterval(alphas, l2Shifts, 0.99),
        ),
      },
      levels: LEVELS,
      errors,
      medianErrors,
      shifts,
      l1MedianShift: shifts[1].map((s, j) => medianInterval(s, 600 + j)),
    };
  },
};

/**
 * The contamination sweep of §1 as a knob: at each level its first sample (the same seed as
 * repetition 0 of the experiment), with the true line and the L2, L1 and Huber fits, as one
 * figure with a slider over the share of outliers.
 */
export function contaminationSlider(): Figure {
  return sliderFigure(
    LEVELS.map((pct) => {
      const data = line(50_000 + 100 * pct, { outliers: { fraction: pct / 100, shift: 10 } });
      const fits = robustnessLosses.map((loss) => ({ loss, fit: fitLinear(data.X, data.y, { loss }) }));
      return {
        label: `${pct}%`,
        figure: fitLines(
          { x: data.X.data, y: data.y, outlierMask: data.outlierMask },
          [
            { label: 'truth: y = 2x + 1', weights: [...LINE.weights], intercept: LINE.intercept },
            ...fits.map(({ loss, fit }) => ({
              label: loss.name,
              lossId: loss.id,
              weights: fit.weights,
              intercept: fit.intercept,
            })),
          ],
          {
            title: `${pct}% of the ${N} rows moved 10 units up: the true line and three fits`,
            xTitle: 'x',
            yTitle: 'y',
          },
        ),
      };
    }),
    { name: 'vertical outliers' },
  );
}

// ---------------------------------------------------------------------------------------------
// §2 and §4: how the error grows with the outliers' distance (decides l1-robust, l2-outliers)

const DISTANCES = [10, 100, 1000, 10_000];
const LOG_DISTANCES = [1, 2, 3, 4];

/** One kind of contamination moved further and further away. */
export interface DistanceScenario {
  id: 'vertical' | 'leverage' | 'single';
  title: string;
  /** Median parameter error over the samples, [loss][distance]. */
  medians: number[][];
  /** The same medians with their bootstrap intervals, [loss][distance]. */
  medianIntervals: Interval[][];
  /** Slope of log(median error) on log(distance), with its bootstrap interval, per loss. */
  exponents: Interval[];
}

export interface OutlierDistance extends ExperimentResult {
  distances: number[];
  scenarios: DistanceScenario[];
}

/**
 * The exponent of errors against distances: the least-squares slope of log₁₀(median error) on
 * log₁₀(distance), with a percentile-bootstrap interval that resamples the samples (one
 * resample of indices used at every distance, so the pairing is kept). `errorsByDistance[k][r]`
 * is the error of sample r at the k-th distance. Equal medians at every distance give exactly 0.
 */
export function distanceExponent(
  logDistances: readonly number[],
  errorsByDistance: readonly Float64Array[],
  seed: number,
): Interval {
  const samples = errorsByDistance[0].length;
  return bootstrapInterval(
    samples,
    (idx) =>
      slopeFromFirst(
        logDistances,
        errorsByDistance.map((e) => Math.log10(median(pick(e, idx)))),
      ),
    { seed },
  );
}

/** Median errors over distances with their intervals, and the exponent, for one scenario and loss. */
function exponentOf(
  errorsByDistance: Float64Array[],
  seed: number,
): { medians: number[]; intervals: Interval[]; exponent: Interval } {
  return {
    medians: errorsByDistance.map((e) => median(e)),
    intervals: errorsByDistance.map((e, k) => medianInterval(e, seed + 1 + k)),
    exponent: distanceExponent(LOG_DISTANCES, errorsByDistance, seed),
  };
}

/** The contaminated data of a scenario for sample r at distance D (the same clean draw for every D). */
function distanceData(id: DistanceScenario['id'], r: number, distance: number): Dataset {
  if (id === 'vertical') return line(60_000 + r, { outliers: { fraction: 0.2, shift: distance } });
  if (id === 'leverage') {
    // Good leverage points (on the true line, x ≈ 10) made bad by moving their y up.
    const data = line(61_000 + r, { leverage: { fraction: 0.1, at: 10, weights: LINE.weights } });
    for (let i = 0; i < N; i++) if (data.outlierMask[i] === 1) data.y[i] += distance;
    return data;
  }
  const data = line(62_000 + r);
  // Rows are exchangeable, so the first one is a row picked at random.
  data.y[0] += distance;
  data.outlierMask[0] = 1;
  return data;
}

/**
 * §2 and §4: three kinds of contamination moved 10, 100, 1000 and 10 000 noise units away,
 * with `samples` samples per scenario (the course runs 60; tests run fewer).
 */
export function makeOutlierDistance(samples: number): Experiment<OutlierDistance> {
  return {
    id: 'robustness-outlier-distance',
    title: 'Errors as the contamination moves away: 20% vertical outliers, 10% leverage points, one outlier',
    design:
      `${samples} seeded samples of n = 100 rows of y = 2x + 1 + N(0, 1), x ~ N(0, 1), per scenario; each sample is contaminated at the distances D = 10, 100, 1000, 10 000 ` +
      '(the same clean draw and the same rows for every D, so only the distance changes): (a) vertical: 20% of the rows get y + D + N(0, 1); ' +
      '(b) leverage: 10% of the rows sit at x ≈ 10 (10 ± 0.5) on the true line, and their y is moved up by D; (c) single: one row gets y + D. ' +
      'Fits: L2, L1, Huber (δ = 1); statistic: the parameter error ‖θ̂ − θ*‖. Per scenario and loss, the exponent is the least-squares slope of log(median error) on log D over the four distances. ' +
      'Its interval is a percentile bootstrap over the samples (2000 resamples; one resample of the sample indices is used at all four distances, keeping the pairing). ' +
      'Why not the t interval of the slope through the four medians: those four points come from the same samples, so their scatter about a line is not independent noise, and with two degrees of freedom the interval would describe curvature, not sampling error. ' +
      'Why leverage points move vertically and not along a ray: a line through the clean cloud and a cluster at (a, c·a) has a slope that stays bounded as a grows, so a fit following such points would show a bounded error too and the exponent could not tell following from resisting.',
    evidence: { chapter: CHAPTER, heading: '4. Leverage points break L1 too' },
    run() {
      const titles: Record<DistanceScenario['id'], string> = {
        vertical: '20% vertical outliers',
        leverage: '10% leverage points at x ≈ 10',
        single: 'one outlier among 100 rows',
      };
      const scenarios = (['vertical', 'leverage', 'single'] as const).map((id, s): DistanceScenario => {
        const errors = robustnessLosses.map(() => DISTANCES.map(() => new Float64Array(samples)));
        for (let r = 0; r < samples; r++) {
          DISTANCES.forEach((distance, k) => {
            const data = distanceData(id, r, distance);
            robustnessLosses.forEach((loss, j) => {
              errors[j][k][r] = parameterError(fitLinear(data.X, data.y, { loss }), data);
            });
          });
        }
        const found = errors.map((byDistance, j) => exponentOf(byDistance, 700 + 100 * s + 10 * j));
        return {
          id,
          title: titles[id],
          medians: found.map((f) => f.medians),
          medianIntervals: found.map((f) => f.intervals),
          exponents: found.map((f) => f.exponent),
        };
      });
      const [vertical, leverage, single] = scenarios;
      const what = (loss: string, scenario: string) =>
        `exponent of the median ${loss} error against the distance of ${scenario}`;
      return {
        measurements: {
          l1VerticalOutlierExponent: measured(what('L1', '20% vertical outliers'), vertical.exponents[1]),
          l1LeverageExponent: measured(what('L1', '10% leverage points at x ≈ 10'), leverage.exponents[1]),
          l2SingleOutlierExponent: measured(what('L2', 'one outlier among 100 rows'), single.exponents[0]),
        },
        distances: DISTANCES,
        scenarios,
      };
    },
  };
}

/** The experiment as the course runs it: 60 samples per scenario. */
export const outlierDistance = makeOutlierDistance(60);

// ---------------------------------------------------------------------------------------------
// §3: the breakdown point, for outliers on random rows and for an adversary

const BREAKDOWN_LEVELS = [40, 45, 48, 50, 52, 55, 60];
const BREAKDOWN_SAMPLES = 60;
/** A fit has broken when its error passes a tenth of the outliers' distance of 1000. */
const BROKEN_ERROR = 100;

export interface Breakdown extends ExperimentResult {
  levels: number[];
  /** Losses studied: L1 and Huber (L2 breaks with one point, §2). */
  losses: Loss[];
  /** Share of samples whose fit broke, with its Wilson interval, [loss][level]. */
  broken: Interval[][];
}

/** §3: outliers 1000 units above the line on 40 … 60% of the rows: when do L1 and Huber give way? */
export const robustnessBreakdown: Experiment<Breakdown> = {
  id: 'robustness-breakdown',
  title: 'Breakdown of L1 and Huber under far vertical outliers',
  design:
    `For each share 40, 45, 48, 50, 52, 55, 60% of vertical outliers (y + 1000 + N(0, 1), rows at random): ${BREAKDOWN_SAMPLES} seeded samples of n = 100 ` +
    `(seed 70 000 + 100·percent + r). A fit has broken when its parameter error exceeds ${BROKEN_ERROR}, a tenth of the outliers' distance: ` +
    'a fit that resists stays within a few noise units of the truth, one that gives way lands near the outliers. Statistic: the share of broken fits with its Wilson interval.',
  evidence: { chapter: CHAPTER, heading: '3. The breakdown point' },
  run() {
    const studied = [l1, HUBER];
    const broken = studied.map((loss) =>
      BREAKDOWN_LEVELS.map((pct) => {
        let count = 0;
        for (let r = 0; r < BREAKDOWN_SAMPLES; r++) {
          const data = line(70_000 + 100 * pct + r, { outliers: { fraction: pct / 100, shift: 1000 } });
          if (parameterError(fitLinear(data.X, data.y, { loss }), data) > BROKEN_ERROR) count++;
        }
        return proportionInterval(count, BREAKDOWN_SAMPLES);
      }),
    );
    return { measurements: {}, levels: BREAKDOWN_LEVELS, losses: studied, broken };
  },
};

const DESIGNS = 20;
/** The attack moves y by this many times x on the rows it takes. */
const ATTACK = 100;

export interface Adversary extends ExperimentResult {
  /** Per design: m*, the fewest largest-|x| rows holding more than half of Σ|xᵢ|. */
  mStar: number[];
  /** Per design: the fewest attacked rows that break the L1 fit. */
  breaksAt: number[];
  /** For the first design: the fitted slopes of L2, L1, Huber with m = 1 … 40 rows attacked. */
  attacked: number[];
  slopes: number[][];
}

/** The rows of a design by decreasing |x|. */
function byReach(x: Float64Array): number[] {
  return Array.from(x, (_, i) => i).sort((a, b) => Math.abs(x[b]) - Math.abs(x[a]));
}

/** The attacked targets: y + 100·x on the m rows of largest |x|. */
function attack(data: Dataset, order: readonly number[], m: number): Float64Array {
  const y = Float64Array.from(data.y);
  for (const i of order.slice(0, m)) y[i] += ATTACK * data.X.data[i];
  return y;
}

/** §3b: an adversary corrupts the rows of largest |x|; does L1 break at m*? */
export const robustnessAdversary: Experiment<Adversary> = {
  id: 'robustness-adversary',
  title: 'An adversary picks the rows: L1 breaks at m*',
  design:
    `${DESIGNS} seeded clean designs of n = 100 (seed 80 000 + s). On each, the attack adds ${ATTACK}·xᵢ to the targets of the m rows of largest |x| (a purely vertical move along a steep line). ` +
    'm* is the fewest such rows whose |xᵢ| sum to more than half of Σ|xᵢ|; the breaking count is the fewest attacked rows for which the L1 slope is more than 50 away from 2 ' +
    '(halfway to the attacked slope 102), scanning m = 1, 2, … Statistic: the mean of (breaking count − m*) over the designs, with its t interval.',
  evidence: { chapter: CHAPTER, heading: '3. The breakdown point' },
  run() {
    const mStar: number[] = [];
    const breaksAt: number[] = [];
    for (let s = 0; s < DESIGNS; s++) {
      const data = line(80_000 + s);
      const order = byReach(data.X.data);
      const total = data.X.data.reduce((t, x) => t + Math.abs(x), 0);
      let held = 0;
      let m = 0;
      while (held <= total / 2) held += Math.abs(data.X.data[order[m++]]);
      mStar.push(m);
      let k = 1;
      while (k < N && Math.abs(fitLinear(data.X, attack(data, order, k), { loss: l1 }).weights[0] - 2) <= ATTACK / 2)
        k++;
      breaksAt.push(k);
    }
    const first = line(80_000);
    const order = byReach(first.X.data);
    const attacked = Array.from({ length: 40 }, (_, k) => k + 1);
    const slopes = robustnessLosses.map((loss) =>
      attacked.map((m) => fitLinear(first.X, attack(first, order, m), { loss }).weights[0]),
    );
    return {
      measurements: {
        breakMinusMStar: measured(
          'mean over 20 designs of (rows that break L1) − m*',
          meanInterval(breaksAt.map((b, s) => b - mStar[s])),
        ),
      },
      mStar,
      breaksAt,
      attacked,
      slopes,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// §4: how many leverage points break L1

const LEVERAGE_AT = 10;
const LEVERAGE_COUNTS = Array.from({ length: 15 }, (_, m) => m);
const LEVERAGE_SAMPLES = 40;
/** Between the truth and the mirror line y = −2x + 1, at parameter distance 4, halfway. */
const LEVERAGE_BROKEN = 2;

export interface LeverageCount extends ExperimentResult {
  counts: number[];
  /** m* = n E|x| / (a + E|x|), the count at which the leverage points outvote the rest. */
  mStar: number;
  /** Share of broken fits (error > 2) with its Wilson interval, [loss][count]. */
  broken: Interval[][];
  /** Median error per loss and count. */
  medians: number[][];
}

/** §4: m = 0 … 14 leverage points at x ≈ 10 whose y follows the mirror line. */
export const robustnessLeverage: Experiment<LeverageCount> = {
  id: 'robustness-leverage',
  title: 'How many leverage points break L1',
  design:
    `For m = 0, 1, …, 14: ${LEVERAGE_SAMPLES} seeded samples of n = 100 (seed 90 000 + 100m + r) in which m rows sit at x ≈ ${LEVERAGE_AT} (± 0.5) with y from the mirror line −2x + 1 plus noise. ` +
    `A fit has broken when its parameter error exceeds ${LEVERAGE_BROKEN}, halfway between the truth and the mirror line (which lies 4 away). Statistic: the share of broken fits with its Wilson interval.`,
  evidence: { chapter: CHAPTER, heading: '4. Leverage points break L1 too' },
  run() {
    const errors = robustnessLosses.map(() => LEVERAGE_COUNTS.map(() => new Float64Array(LEVERAGE_SAMPLES)));
    for (const m of LEVERAGE_COUNTS) {
      for (let r = 0; r < LEVERAGE_SAMPLES; r++) {
        const data = line(90_000 + 100 * m + r, { leverage: { fraction: m / N, at: LEVERAGE_AT } });
        robustnessLosses.forEach((loss, k) => {
          errors[k][m][r] = parameterError(fitLinear(data.X, data.y, { loss }), data);
        });
      }
    }
    const meanAbsX = Math.sqrt(2 / Math.PI);
    return {
      measurements: {},
      counts: LEVERAGE_COUNTS,
      mStar: (N * meanAbsX) / (LEVERAGE_AT + meanAbsX),
      broken: errors.map((byCount) =>
        byCount.map((e) => proportionInterval(e.filter((v) => v > LEVERAGE_BROKEN).length, LEVERAGE_SAMPLES)),
      ),
      medians: errors.map((byCount) => byCount.map((e) => median(e))),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// §5: efficiency under Gaussian, Laplace and heavy-tailed noise (decides l2-precise)

/** A noise law of the efficiency experiment. */
export interface NoiseLaw {
  id: string;
  name: string;
  /** Degrees of freedom for the Student-t family (Infinity for Gaussian, 1 for Cauchy); null for Laplace. */
  df: number | null;
  /** The asymptotic Var(L2 slope) / Var(L1 slope) = Var(ε) · 4 f(0)², Infinity when Var(ε) is. */
  theory: number;
}

/** f(0) of Student's t with ν degrees of freedom: Γ((ν+1)/2) / (√(νπ) Γ(ν/2)), the ratio of gammas without mathjs's 1e-12. */
function studentDensityAtZero(df: number): number {
  return Math.exp(logGammaRatio(df / 2, 0.5)) / Math.sqrt(df * Math.PI);
}

const studentLaw = (df: number): NoiseLaw => ({
  id: df === 1 ? 'cauchy' : `t${df}`,
  name: df === 1 ? 'Cauchy (t, ν = 1)' : `Student t, ν = ${df}`,
  df,
  theory: df > 2 ? (df / (df - 2)) * 4 * studentDensityAtZero(df) ** 2 : Infinity,
});

/** The laws in the order of the table: the three the claim reads, then the rest of the t family. */
export const noiseLaws: readonly NoiseLaw[] = [
  { id: 'gaussian', name: 'Gaussian', df: Infinity, theory: 2 / Math.PI },
  // Laplace with scale 1: variance 2, density ½ at 0.
  { id: 'laplace', name: 'Laplace', df: null, theory: 2 },
  studentLaw(2),
  studentLaw(10),
  studentLaw(5),
  studentLaw(3),
  studentLaw(1),
];

/** Sample r of the efficiency experiment under a law: the same design x for every law (x is drawn before the noise). */
export function noisyLine(law: NoiseLaw, r: number): Dataset {
  const seed = 100_000 + r;
  if (law.df === null) {
    const data = line(seed, { noiseScale: 0 });
    // Laplace as the difference of two Exp(1) draws; 1 − U lies in (0, 1], so the logs are finite.
    const rng = createRng(101_000 + r);
    for (let i = 0; i < N; i++) data.y[i] += Math.log((1 - rng.uniform()) / (1 - rng.uniform()));
    return data;
  }
  if (law.df === Infinity) return line(seed);
  return law.df === 1 ? line(seed, { noise: 'cauchy' }) : line(seed, { noise: 'studentT', df: law.df });
}

export interface Efficiency extends ExperimentResult {
  laws: readonly NoiseLaw[];
  /** slopes[law][loss][sample], losses L2, L1, Huber (δ = 1.345). */
  slopes: Float64Array[][];
  /** (IQR of the L2 slope / IQR of the other loss's slope)², per law: against L1 and against Huber. */
  l2OverL1: Interval[];
  l2OverHuber: Interval[];
}

/** (IQR(a)/IQR(b))² over paired samples, with a percentile-bootstrap interval. */
function spreadRatio(a: Float64Array, b: Float64Array, seed: number): Interval {
  return bootstrapInterval(
    a.length,
    (idx) => (interquartileRange(pick(a, idx)) / interquartileRange(pick(b, idx))) ** 2,
    { seed },
  );
}

/** §5: the spread of the fitted slope under seven noise laws, `samples` samples each (the course runs 400; tests run fewer). */
export function makeEfficiency(samples: number): Experiment<Efficiency> {
  return {
    id: 'robustness-efficiency',
    title: 'Spread of the L2, L1 and Huber slopes under seven noise laws',
    design:
      `${samples} seeded samples of n = 100 rows of y = 2x + 1 + ε per noise law (sample r uses design seed 100 000 + r under every law, so the x are shared): ` +
      'ε Gaussian, Laplace (scale 1, drawn as the difference of two exponentials from seed 101 000 + r), Student t with ν = 2, 10, 5, 3, and Cauchy. ' +
      'Fits: L2, L1 and Huber with δ = 1.345. Statistic: (IQR of the L2 slopes / IQR of the L1 slopes)², which for asymptotically normal estimators estimates the ratio of their variances ' +
      'and stays defined when the L2 slope has infinite variance; interval: percentile bootstrap over the samples (2000 resamples, paired). ' +
      'Power: the theory puts the ratios at 0.64 (Gaussian) and 2 (Laplace), a third below and twice above the threshold 1, and an IQR moves more from sample to sample ' +
      'than a standard deviation would; hence 400 samples per law in the course, more than its minimum of 300.',
    evidence: { chapter: CHAPTER, heading: '5. Gaussian vs heavy-tailed noise: who is efficient' },
    run() {
      const fitted = [l2, l1, huber(1.345)];
      const slopes = noiseLaws.map((law) => {
        const byLoss = fitted.map(() => new Float64Array(samples));
        for (let r = 0; r < samples; r++) {
          const data = noisyLine(law, r);
          fitted.forEach((loss, k) => {
            byLoss[k][r] = fitLinear(data.X, data.y, { loss }).weights[0];
          });
        }
        return byLoss;
      });
      const l2OverL1 = slopes.map((s, t) => spreadRatio(s[0], s[1], 900 + t));
      const l2OverHuber = slopes.map((s, t) => spreadRatio(s[0], s[2], 950 + t));
      const label = (law: string) =>
        `(IQR of the L2 slope / IQR of the L1 slope)², ${law} noise, ${samples} samples of n = 100`;
      return {
        measurements: {
          slopeVarianceRatioGaussian: measured(label('Gaussian'), l2OverL1[0]),
          slopeVarianceRatioLaplace: measured(label('Laplace'), l2OverL1[1]),
          slopeVarianceRatioHeavy: measured(label('Student t₂'), l2OverL1[2]),
        },
        laws: noiseLaws,
        slopes,
        l2OverL1,
        l2OverHuber,
      };
    },
  };
}

/** The experiment as the course runs it: 400 samples per noise law. */
export const robustnessEfficiency = makeEfficiency(400);

// ---------------------------------------------------------------------------------------------
// §6: flipped labels in classification

const FLIP_LEVELS = [0, 10, 20, 30, 40];
const LABEL_SAMPLES = 50;
const SEPARATION = 2.5;

/** The margin losses of §6, in the order of the tables. */
export const labelNoiseLosses: readonly Loss[] = [hinge, logistic, square, exponential];

export interface LabelNoise extends ExperimentResult {
  levels: number[];
  /** Accuracy on 5000 clean test points, [loss][level][sample]. */
  accuracy: Float64Array[][];
  /** Mean accuracy with its t interval, [loss][level]. */
  meanAccuracy: Interval[][];
  /** Mean paired accuracy difference (loss − logistic) with its t interval, [loss][level]. */
  versusLogistic: Interval[][];
  /** Samples whose fit has w = 0 (a constant classifier), [loss][level]. */
  constantFits: number[][];
  /** At 10% flipped, the Bayes scores: share of each loss carried by its 5 largest terms, median with bootstrap interval, per loss. */
  topFiveShare: Interval[];
  /** The same for the share carried by the flipped points. */
  flippedShare: Interval[];
  /** Φ(separation / 2): the accuracy of the Bayes rule. */
  bayesAccuracy: number;
}

/** Share of Σ terms held by the 5 largest, and by the flipped points. */
function shares(terms: Float64Array, mask: Uint8Array): { topFive: number; flipped: number } {
  const total = terms.reduce((s, v) => s + v, 0);
  const sorted = Float64Array.from(terms).sort();
  let top = 0;
  for (let k = 1; k <= 5; k++) top += sorted[sorted.length - k];
  const flipped = terms.reduce((s, v, i) => s + (mask[i] === 1 ? v : 0), 0);
  return { topFive: top / total, flipped: flipped / total };
}

/** §6: four margin losses trained with 0 … 40% of the labels flipped, tested on clean labels. */
export const robustnessLabelNoise: Experiment<LabelNoise> = {
  id: 'robustness-label-noise',
  title: 'Flipped training labels: hinge, logistic, square and exponential losses',
  design:
    `Two Gaussian classes in the plane with centres ${SEPARATION} apart (Bayes accuracy Φ(1.25)); for each share ρ = 0, 10, 20, 30, 40% of flipped training labels: ` +
    `${LABEL_SAMPLES} seeded training samples of n = 200 (seed 10 000 + 100·percent + r); every fit is scored on the same 5000 clean test points (seed 99). ` +
    'Statistics: mean accuracy (t interval); the paired difference of each loss from the logistic loss on the same samples (t interval); the count of fits with w = 0; ' +
    'and, at 10% flipped, at the Bayes scores f = 2.5 x₁: the share of each loss carried by its 5 largest terms and by the flipped points (median over samples, bootstrap interval).',
  evidence: { chapter: CHAPTER, heading: '6. Flipped labels in classification' },
  run() {
    const test = makeClassification({ n: 5000, seed: 99, separation: SEPARATION });
    const accuracy = labelNoiseLosses.map(() => FLIP_LEVELS.map(() => new Float64Array(LABEL_SAMPLES)));
    const constantFits = labelNoiseLosses.map(() => FLIP_LEVELS.map(() => 0));
    const topFive = labelNoiseLosses.map(() => new Float64Array(LABEL_SAMPLES));
    const flipped = labelNoiseLosses.map(() => new Float64Array(LABEL_SAMPLES));
    FLIP_LEVELS.forEach((pct, j) => {
      for (let r = 0; r < LABEL_SAMPLES; r++) {
        const train = makeClassification({
          n: 200,
          seed: 10_000 + 100 * pct + r,
          separation: SEPARATION,
          flipFraction: pct / 100,
        });
        const bayes = Float64Array.from(
          { length: train.X.rows },
          (_, i) =>
            train.trueWeights[0] * train.X.data[2 * i] +
            train.trueWeights[1] * train.X.data[2 * i + 1] +
            train.trueIntercept,
        );
        labelNoiseLosses.forEach((loss, k) => {
          const fit = fitLinear(train.X, train.y, { loss });
          accuracy[k][j][r] = 1 - empiricalRisk(fit, test.X, test.y, zeroOne);
          if (Math.hypot(...fit.weights) < 1e-9) constantFits[k][j]++;
          if (pct === 10) {
            const found = shares(values(loss, train.y, bayes), train.outlierMask);
            topFive[k][r] = found.topFive;
            flipped[k][r] = found.flipped;
          }
        });
      }
    });
    return {
      measurements: {},
      levels: FLIP_LEVELS,
      accuracy,
      meanAccuracy: accuracy.map((byLevel) => byLevel.map((a) => meanInterval(a))),
      versusLogistic: accuracy.map((byLevel) =>
        byLevel.map((a, j) => meanInterval(a.map((v, r) => v - accuracy[1][j][r]))),
      ),
      constantFits,
      topFiveShare: topFive.map((s, k) => medianInterval(s, 1000 + k)),
      flippedShare: flipped.map((s, k) => medianInterval(s, 1010 + k)),
      bayesAccuracy: normalCdf(SEPARATION / 2),
    };
  },
};

/** The experiments that decide claims, for the registry. */
export const robustnessExperiments = [outlierDistance, robustnessEfficiency];
