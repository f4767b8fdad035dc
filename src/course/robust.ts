/**
 * Helpers of the robustness chapters (05 and 09): how far a fitted line lands from the line
 * the data came from, a spread and a scale that outliers cannot inflate, and Huber's fit with
 * its threshold δ measured in units of that scale.
 */
import { readOptions, readRecord } from './arguments';
import { LossInputError, readGuarded } from '../errors';
import { fitLinear } from '../fit/fitLinear';
import type { LinearFit } from '../fit/types';
import { huber, l1 } from '../losses/regression';
import type { MatrixLike } from '../matrix';
import { median, normalQuantile, quantileOfSorted, readSample } from './stats';
import { materialise, readMatrix } from '../validate';

/** Parameters of a linear model: what a fit returns and what a generated data set was drawn from. */
export interface LineParameters {
  weights: ArrayLike<number>;
  intercept: number;
}

/** The truth a generated data set carries (`makeRegression` returns it). */
export interface TrueParameters {
  trueWeights: ArrayLike<number>;
  trueIntercept: number;
}

/** The longest array JavaScript allows; a longer length is a fake, not a model's weights. */
const MAX_WEIGHTS = 2 ** 32 - 1;

function checkFiniteNumber(argument: string, v: unknown, index?: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new LossInputError({
      argument,
      ...(index === undefined ? {} : { index }),
      value: v,
      problem: 'is not a finite number',
      domain: 'a finite number',
    });
  }
  return v;
}

/**
 * A copy of the weights, each read once under the guard: a second read of a getter or Proxy could
 * differ from what was checked, and one that throws is a LossInputError naming `argument`.
 */
function checkWeights(argument: string, w: unknown): number[] {
  const domain = 'an array of finite numbers, at least one';
  return readGuarded(
    argument,
    () => {
      const length = typeof w === 'object' && w !== null ? (w as ArrayLike<number>).length : undefined;
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > MAX_WEIGHTS) {
        throw new LossInputError({
          argument,
          value: w,
          problem: 'is not a non-empty array of numbers',
          domain,
        });
      }
      const a = w as ArrayLike<number>;
      // Grown entry by entry, so an object claiming a huge length fails at its first bad entry
      // instead of allocating for the length first.
      const copy: number[] = [];
      for (let j = 0; j < length; j++) copy.push(checkFiniteNumber(argument, a[j], j));
      return copy;
    },
    domain,
  );
}

/**
 * ‖θ̂ − θ*‖₂ over all the parameters θ = (w, b) of a linear model, intercept included: outliers
 * that all push one way mostly move the intercept, so an error on the weights alone would miss
 * most of what they do.
 *
 * @example
 * ```ts
 * import { parameterError } from 'losslab/course';
 * parameterError({ weights: [2.3], intercept: 0.6 }, { trueWeights: [2], trueIntercept: 1 }).toFixed(3); // "0.500"
 * ```
 */
export function parameterError(fit: LineParameters, truth: TrueParameters): number {
  const f = readRecord('fit', fit, 'is not a fitted model', '{ weights, intercept }');
  const d = readRecord('truth', truth, 'is not a data set with its true parameters', '{ trueWeights, trueIntercept }');
  const w = checkWeights('fit.weights', f.weights);
  const t = checkWeights('truth.trueWeights', d.trueWeights);
  if (w.length !== t.length) {
    throw new LossInputError({
      argument: 'fit.weights',
      value: w.length,
      problem: `has ${w.length} weights but the truth has ${t.length}`,
      domain: `${t.length} weights`,
    });
  }
  // hypot scales internally, so a fit thrown 1e200 away still gives a finite distance.
  const gaps = [
    checkFiniteNumber('fit.intercept', f.intercept) - checkFiniteNumber('truth.trueIntercept', d.trueIntercept),
  ];
  for (let j = 0; j < w.length; j++) gaps.push(w[j] - t[j]);
  return Math.hypot(...gaps);
}

/**
 * The interquartile range q(¾) − q(¼) (type-7 quantiles): a spread that exists for every
 * distribution, so it can compare estimators whose variance is infinite.
 *
 * @example
 * ```ts
 * import { interquartileRange } from 'losslab/course';
 * interquartileRange([1, 2, 3, 4, 5]); // 2
 * ```
 */
export function interquartileRange(xs: ArrayLike<number>): number {
  // One copy, sorted once, for both quartiles.
  const sorted = readSample('xs', xs).sort();
  return quantileOfSorted(sorted, 0.75) - quantileOfSorted(sorted, 0.25);
}

/** Φ⁻¹(¾): the MAD of a normal sample estimates this multiple of its standard deviation. */
const MAD_OF_NORMAL = normalQuantile(0.75);

/**
 * The normalised median absolute deviation, median|rᵢ − median r| / Φ⁻¹(¾): a scale estimate
 * that equals σ for normal data in the limit and that changes by a bounded amount however far
 * fewer than half of the values are moved (Hampel, JASA 69, 1974). For the residuals of an L1
 * fit with p parameters, p residuals are exactly 0, a downward bias of order p/n.
 *
 * @example
 * ```ts
 * import { madScale } from 'losslab/course';
 * madScale([-1, 0, 1, 1000]).toFixed(4); // "1.4826"
 * ```
 */
export function madScale(residuals: ArrayLike<number>): number {
  const sample = readSample('residuals', residuals);
  const centre = median(sample);
  const deviations = sample.map((r) => Math.abs(r - centre));
  return median(deviations) / MAD_OF_NORMAL;
}

/** Huber's fit with a data-driven δ: the fit, the scale it used and the pilot fit that gave it. */
export interface ScaledHuberFit {
  /** The Huber fit with δ = k · scale. */
  fit: LinearFit;
  /** The robust scale ŝ of the pilot's residuals (`madScale`). */
  scale: number;
  /** δ = k · ŝ. */
  delta: number;
  /** The L1 (least absolute deviations) fit whose residuals gave ŝ. */
  pilot: LinearFit;
}

/**
 * Huber regression with δ in units of the noise scale, estimated from the data: an L1 fit
 * first, then ŝ = `madScale` of its residuals, then the Huber fit with δ = k ŝ (Huber,
 * *Robust Statistics*, 1981, §7.8). k = 1.345 (default) gives 95% of the least-squares
 * efficiency under normal noise. Multiplying y by c > 0 multiplies ŝ, δ and the fitted
 * parameters by c, which no fixed δ can do: with δ fixed, the same data in other units gets a
 * different estimator.
 *
 * Throws a LossInputError when ŝ = 0 (more than half of the points lie exactly on the L1
 * line), where no δ > 0 can be set from the data.
 *
 * @example
 * ```ts
 * import { fitScaledHuber } from 'losslab/course';
 * const x = [[0], [1], [2], [3], [4], [5], [6], [7]];
 * // about 2x, with one outlier at the end
 * const y = [0.1, 1.9, 4.2, 5.8, 8.1, 9.9, 12.2, 40];
 * const robust = fitScaledHuber(x, y);
 * robust.fit.weights[0].toFixed(2); // "2.06"  (least squares: 4.17)
 * robust.scale.toFixed(3);          // "0.297"
 * ```
 */
export function fitScaledHuber(X: MatrixLike, y: ArrayLike<number>, opts: { k?: number } = {}): ScaledHuberFit {
  const options = readOptions('opts', opts, '{ k? }');
  // Only undefined means left out: a null is a bad value, not the default.
  const k = options.k === undefined ? 1.345 : options.k;
  if (typeof k !== 'number' || !(k > 0) || !Number.isFinite(k)) {
    throw new LossInputError({
      argument: 'k',
      value: k,
      problem: 'is not a positive multiple of the scale',
      domain: 'a finite number > 0, e.g. 1.345',
    });
  }
  // X and y are read once here, and the three uses below see the same numbers: fitLinear
  // checks them on first use.
  const data = readMatrix(X, 'X', 'l1');
  const targets = materialise('l1', 'y', y, 'real');
  const pilot = fitLinear(data, targets, { loss: l1 });
  const fitted = pilot.predict(data);
  const residuals = Float64Array.from(fitted, (f, i) => targets[i] - f);
  const scale = madScale(residuals);
  if (!(scale > 0)) {
    throw new LossInputError({
      loss: 'huber',
      argument: 'y',
      problem:
        'has more than half of its points on the L1 line, so the robust scale of the residuals is 0 and no δ > 0 follows from it',
      domain: 'data whose residuals from the L1 fit are not mostly zero',
    });
  }
  const delta = k * scale;
  return { fit: fitLinear(data, targets, { loss: huber(delta) }), scale, delta, pilot };
}
