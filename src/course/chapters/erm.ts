/**
 * Chapter 01's experiments: the identities behind "risk", "average" and "objective", and
 * training as minimisation, each over 20 seeded data sets.
 */
import { makeClassification, makeRegression, type Dataset } from '../../data/generators';
import { fitLinear } from '../../fit/fitLinear';
import { losses } from '../../losses/registry';
import { risk, values } from '../../risk';
import type { Experiment, ExperimentResult } from '../experiment';
import { bootstrapInterval, exactly, median } from '../stats';
import { measured } from '../verdict';

const CHAPTER = '01-empirical-risk-minimisation.ipynb';
const DATA_SETS = 20;
const EPS = Number.EPSILON;

/**
 * A bound on the rounding error of a sum of n terms of total size Σ|xᵢ| added one by one:
 * n·ε·Σ|xᵢ| (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §4.2, which gives
 * (n − 1)u with u = ε/2; we keep the factor 2 as margin). The smallest positive double keeps
 * the unit defined when every term is 0.
 */
const sumRounding = (n: number, absoluteTotal: number): number => Math.max(n * EPS * absoluteTotal, Number.MIN_VALUE);

/** Σ|xᵢ| of an array. */
function absoluteTotal(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.abs(xs[i]);
  return s;
}

const blobs = (seed: number): Dataset => makeClassification({ n: 50, d: 2, seed });
const line = (seed: number): Dataset => makeRegression({ n: 50, d: 1, seed, weights: [2], intercept: 1, noiseScale: 0.8 });

/** Grid minimisers of the total and of the mean L2 risk of lines w x + b over one data set: do they agree? */
function argminsAgree(data: Dataset): boolean {
  const grid = Array.from({ length: 101 }, (_, k) => -1 + 0.04 * k);
  const f = new Float64Array(data.y.length);
  const best = { sum: { value: Infinity, at: -1 }, mean: { value: Infinity, at: -1 } };
  grid.forEach((w, a) => grid.forEach((b0, c) => {
    const b = b0 + 1;
    for (let i = 0; i < f.length; i++) f[i] = w * data.X.data[i] + b;
    const total = risk(losses.l2, data.y, f, { reduction: 'sum' });
    const average = risk(losses.l2, data.y, f);
    if (total < best.sum.value) best.sum = { value: total, at: a * grid.length + c };
    if (average < best.mean.value) best.mean = { value: average, at: a * grid.length + c };
  }));
  return best.sum.at === best.mean.at;
}

export interface ErmIdentities extends ExperimentResult {
  /** Per data set: the penalised objective minus the mean loss (the penalty's share). */
  penaltyShares: Float64Array;
  /** Per data set: the 0–1 error rate and the logistic risk of the same fit. */
  errorRates: Float64Array;
  surrogateRisks: Float64Array;
}

/** How the definitions of chapter 01 hold up in the package, measured over 20 data sets. */
export const ermIdentities: Experiment<ErmIdentities> = {
  id: 'erm-identities',
  title: 'Risk, average, total and objective on 20 data sets',
  design: 'On 20 seeded data sets of 50 rows (Gaussian classes for the classification identities, a noisy line for the regression ones): '
    + 'the risk against the hand-computed average of per-example losses; the objective of an unpenalised and of an l2-penalised (λ = 0.1) logistic fit against its mean loss; '
    + 'its 0–1 error rate against its logistic risk; the grid minimisers (101 × 101 lines) of the total and of the mean L2 risk; each example\'s share of the total (leave-one-out); '
    + 'and, on 1000 random (target, two feature contributions) triples, whether the L2 loss of a sum of contributions is the sum of their losses. Gaps are in units of the rounding bound of the sums involved.',
  evidence: { chapter: CHAPTER, heading: '1. Loss and risk' },
  run() {
    let averageGap = 0;
    let unpenalisedGap = 0;
    let penalisedGap = Infinity;
    let errorGap = Infinity;
    let looGap = 0;
    let disagreements = 0;
    let totalOverAverage = NaN;
    const penaltyShares = new Float64Array(DATA_SETS);
    const errorRates = new Float64Array(DATA_SETS);
    const surrogateRisks = new Float64Array(DATA_SETS);
    for (let s = 0; s < DATA_SETS; s++) {
      const cls = blobs(100 + s);
      const plain = fitLinear(cls.X, cls.y, { loss: losses.logistic });
      const scores = plain.predict(cls.X);
      const perExample = values(losses.logistic, cls.y, scores);
      const n = perExample.length;
      let byHand = 0;
      for (let i = 0; i < n; i++) byHand += perExample[i];
      const unit = sumRounding(n, absoluteTotal(perExample)) / n;
      const mean = risk(losses.logistic, cls.y, scores);
      averageGap = Math.max(averageGap, Math.abs(mean - byHand / n) / unit);
      unpenalisedGap = Math.max(unpenalisedGap, Math.abs(plain.objective - mean) / unit);

      const penalised = fitLinear(cls.X, cls.y, { loss: losses.logistic, l2: 0.1 });
      const penalisedScores = penalised.predict(cls.X);
      const penalisedMean = risk(losses.logistic, cls.y, penalisedScores);
      penaltyShares[s] = penalised.objective - penalisedMean;
      penalisedGap = Math.min(penalisedGap, Math.abs(penaltyShares[s]) / unit);
      errorRates[s] = risk(losses.zeroOne, cls.y, penalisedScores);
      surrogateRisks[s] = penalisedMean;
      errorGap = Math.min(errorGap, Math.abs(errorRates[s] - penalisedMean) / unit);

      const reg = line(200 + s);
      if (!argminsAgree(reg)) disagreements++;
      const f = Float64Array.from(reg.X.data, (x) => 2 * x + 1);
      const regLosses = values(losses.l2, reg.y, f);
      const total = risk(losses.l2, reg.y, f, { reduction: 'sum' });
      totalOverAverage = total / risk(losses.l2, reg.y, f);
      const totalUnit = sumRounding(n, absoluteTotal(regLosses));
      for (let i = 0; i < n; i++) {
        const without = risk(losses.l2, [...reg.y.slice(0, i), ...reg.y.slice(i + 1)], [...f.slice(0, i), ...f.slice(i + 1)], { reduction: 'sum' });
        // Two sums and one subtraction: three rounding bounds of the total.
        looGap = Math.max(looGap, Math.abs(total - without - regLosses[i]) / (3 * totalUnit));
      }
    }

    const triples = makeRegression({ n: 1000, d: 2, seed: 300, weights: [0, 0], noiseScale: 1 });
    const ratios = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) {
      const y = triples.y[i];
      const f1 = triples.X.data[2 * i];
      const f2 = triples.X.data[2 * i + 1];
      const joint = losses.l2.value(y, f1 + f2);
      const split = losses.l2.value(y, f1) + losses.l2.value(y, f2);
      // Each squared error is within 2ε of itself, the sum adds one more rounding.
      ratios[i] = Math.abs(joint - split) / Math.max(4 * EPS * (Math.abs(joint) + Math.abs(split)), Number.MIN_VALUE);
    }
    const featureGap = bootstrapInterval(1000, (idx) => median(Array.from(idx, (i) => ratios[i])), { seed: 301 });

    const exact = (value: number, method: string) => exactly(value, 0, method);
    return {
      measurements: {
        averageGap: measured('|risk − average of per-example losses|, in rounding units (largest of 20)', exact(averageGap, 'largest of 20 data sets')),
        unpenalisedObjectiveGap: measured('|objective − mean loss| without a penalty, in rounding units (largest of 20)', exact(unpenalisedGap, 'largest of 20 data sets')),
        penalisedObjectiveGap: measured('|objective − mean loss| with an l2 penalty, in rounding units (smallest of 20)', exact(penalisedGap, 'smallest of 20 data sets')),
        errorRateVsSurrogateGap: measured('|0–1 error rate − logistic risk|, in rounding units (smallest of 20)', exact(errorGap, 'smallest of 20 data sets')),
        argminDisagreements: measured('data sets where the grid minimisers of the total and of the mean differ (of 20)', exact(disagreements, 'count over 20 data sets')),
        totalOverAverage: measured('total / average of the L2 losses (n = 50)', exact(totalOverAverage, 'computed')),
        exampleAdditivityGap: measured('|total − total without example i − loss of i|, in rounding units (largest over 20 × 50)', exact(looGap, 'largest over 1000 examples')),
        featureAdditivityGap: measured('|loss of f₁ + f₂ − (loss of f₁ + loss of f₂)|, in rounding units (median of 1000)', featureGap),
      },
      penaltyShares,
      errorRates,
      surrogateRisks,
    };
  },
};

export interface ErmTraining extends ExperimentResult {
  /** Per data set: the objective at each of the 101 iterates of gradient descent. */
  paths: Float64Array[];
}

/** Gradient descent on the logistic risk of 20 data sets: does training make the loss small? */
export const ermTraining: Experiment<ErmTraining> = {
  id: 'erm-training',
  title: 'Gradient descent on 20 logistic risks',
  design: '100 steps of gradient descent (step 1/L) on the logistic risk of a linear classifier, from w = 0, on 20 seeded data sets of 100 rows from two Gaussian classes; '
    + 'the statistic is the largest ratio of the final to the initial objective.',
  evidence: { chapter: CHAPTER, heading: '4b. By gradient descent on a surrogate' },
  run() {
    const paths: Float64Array[] = [];
    let worst = 0;
    for (let s = 0; s < DATA_SETS; s++) {
      const data = makeClassification({ n: 100, seed: 400 + s });
      const fit = fitLinear(data.X, data.y, { loss: losses.logistic, solver: 'gd', maxIter: 100, tol: 0 });
      const path = Float64Array.from(fit.history, (h) => h.objective);
      paths.push(path);
      worst = Math.max(worst, path[path.length - 1] / path[0]);
    }
    return {
      measurements: { trainingObjectiveRatio: measured('final / initial objective of gradient descent (largest of 20)', exactly(worst, 0, 'largest of 20 data sets')) },
      paths,
    };
  },
};

export const ermExperiments = [ermIdentities, ermTraining];
