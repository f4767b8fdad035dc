/**
 * Chapter 02's computations: the derivatives of every loss checked three ways, convexity
 * tested three ways, population minimisers confirmed two ways, and the cross-entropy
 * identities that decide the claims ce-kl, ce-product and ce-labels.
 *
 * Every comparison of two floating-point evaluations is made in units of a rounding bound
 * stated beside it, so that "agrees" means "agrees to within what the arithmetic can
 * guarantee", never "to within a number that happened to pass".
 */
import { derivative, parse, type EvalFunction } from 'mathjs';
import { createRng, type Rng } from '../../random/rng';
import { LossInputError, readGuarded } from '../../errors';
import { renamed } from '../arguments';
import { optimalConstant } from '../../fit/optimalConstant';
import { losses } from '../../losses/registry';
import { sigmoid } from '../../losses/stable';
import type { Loss } from '../../losses/types';
import { values } from '../../risk';
import { checkLoss } from '../../validate';
import { derive, type DerivedPiece } from '../derive';
import type { Experiment, ExperimentResult } from '../experiment';
import { exactly } from '../stats';
import { measured } from '../verdict';

const CHAPTER = '02-derivations.ipynb';
const EPS = Number.EPSILON;
/**
 * Elementary operations a loss formula, its derivatives and the package's hand-written versions
 * take at most (mathjs's second derivative of the logistic loss is the longest, with ten).
 * Each rounds with relative error at most ε (u = ε/2 for + − × ÷, one ulp for exp and log), so
 * an evaluation errs by at most OPERATIONS · ε · S, where S bounds the result and every term
 * that is added or subtracted on the way (see `roundingScale`).
 */
const OPERATIONS = 12;

/** The losses of the package, in the registry's order. */
const ALL: readonly Loss[] = Object.values(losses);

/** The list is copied under the guard (a throwing getter or trap is a LossInputError naming it) and checked on the copy. */
function checkLosses(lossList: unknown): readonly Loss[] {
  const domain = 'Loss[], e.g. Object.values(losses)';
  const list = readGuarded(
    'lossList',
    () => (Array.isArray(lossList) ? Array.from(lossList as unknown[]) : undefined),
    domain,
  );
  if (list === undefined || list.length === 0) {
    throw new LossInputError({
      argument: 'lossList',
      value: lossList,
      problem: 'is not a non-empty list of losses',
      domain,
    });
  }
  for (let i = 0; i < list.length; i++) renamed(`lossList[${i}]`, 'loss', () => checkLoss(list[i]));
  return list as Loss[];
}

/**
 * S(y, f): a size no intermediate of the formulas can exceed where it is added or subtracted.
 * The formulas combine y and f at most quadratically before any exp or log ((y − f)²,
 * (1 − y f)²), their results are ℓ, ℓ′ and ℓ″ themselves, and a sum of terms of opposite sign
 * (−t/p + (1 − t)/(1 − p)) has terms no larger than ℓ″ on the probability scale.
 */
function roundingScale(loss: Loss, y: number, f: number): number {
  const second = loss.secondDerivative(y, f);
  return Math.max(
    1,
    Math.abs(loss.value(y, f)),
    Math.abs(loss.derivative(y, f)),
    Math.abs(second),
    (Math.abs(y) + Math.abs(f)) ** 2,
  );
}

/** ∂³ℓ/∂f³ and ∂⁴ℓ/∂f⁴ of each piece, by mathjs: the truncation error of a central difference needs them. */
const higher = new WeakMap<DerivedPiece, { third: EvalFunction; fourth: EvalFunction }>();

function higherDerivatives(piece: DerivedPiece): {
  third: (y: number, f: number) => number;
  fourth: (y: number, f: number) => number;
} {
  let known = higher.get(piece);
  if (known === undefined) {
    // Unsimplified: simplifying the fourth derivative of the logistic loss takes seconds, and
    // the truncation bound needs only its size.
    const third = derivative(parse(piece.second), 'f', { simplify: false });
    known = { third: third.compile(), fourth: derivative(third, 'f', { simplify: false }).compile() };
    higher.set(piece, known);
  }
  const { third, fourth } = known;
  return { third: (y, f) => Number(third.evaluate({ y, f })), fourth: (y, f) => Number(fourth.evaluate({ y, f })) };
}

/** The variable on which a loss declares its kinks and curvature jumps. */
function onAxis(loss: Loss, y: number, f: number): number {
  if (loss.properties.axis === 'margin') return y * f;
  if (loss.properties.axis === 'residual') return y - f;
  return f;
}

/** The prediction f at which the loss's axis takes the value `point`, for the target y. */
function predictionAt(loss: Loss, y: number, point: number): number {
  if (loss.properties.axis === 'margin') return point / y;
  if (loss.properties.axis === 'residual') return y - point;
  return point;
}

/** Within 1e-3 of a kink or a jump of curvature, on the loss's axis. */
function nearSpecial(loss: Loss, y: number, f: number): boolean {
  const at = onAxis(loss, y, f);
  return [...loss.properties.kinks, ...loss.properties.curvatureJumps].some((k) => Math.abs(at - k) < 1e-3);
}

function drawTarget(loss: Loss, rng: Rng): number {
  if (loss.target === 'sign') return rng.uniform() < 0.5 ? -1 : 1;
  if (loss.target === 'binary') return rng.uniform();
  return rng.normal(0, 2);
}

const drawPrediction = (loss: Loss, rng: Rng): number =>
  loss.prediction === 'probability' ? rng.uniform(0.05, 0.95) : rng.normal(0, 2);

/** The piece of the loss whose open region holds (y, f), if exactly one does. */
function pieceAt(loss: Loss, y: number, f: number): DerivedPiece | undefined {
  const holding = derive(loss).pieces.filter((p) => p.holds(y, f));
  return holding.length === 1 ? holding[0] : undefined;
}

/**
 * A central difference of g at f with half-step h ≈ 1e-5 max(1, |f|), and the bound on its
 * error: the truncation h² |g‴| / 6 (|g‴| taken as twice the largest of its values at f − h, f,
 * f + h, since it barely changes over 2h on a smooth piece), the two evaluations' rounding
 * divided by the actual step (f + h) − (f − h), and one rounding of the quotient.
 */
function centralDifference(
  g: (f: number) => number,
  gThird: (f: number) => number,
  f: number,
  evaluationError: number,
): { value: number; bound: number } {
  const h = 1e-5 * Math.max(1, Math.abs(f));
  const up = f + h;
  const down = f - h;
  const width = up - down;
  const value = (g(up) - g(down)) / width;
  const curvature = 2 * Math.max(Math.abs(gThird(down)), Math.abs(gThird(f)), Math.abs(gThird(up)));
  const half = width / 2;
  return { value, bound: (half * half * curvature) / 6 + (2 * evaluationError) / width + EPS * Math.abs(value) };
}

/** One loss's derivatives checked at random points; each entry is the largest disagreement in units of its bound. */
export interface DerivativeCheck {
  loss: Loss;
  /** Points used, of 300 drawn: those away from kinks and curvature jumps. */
  points: number;
  /** mathjs's ∂ℓ/∂f against the package's `derivative` (bound 2 · 12 ε S). */
  firstSymbolic: number;
  /** A central difference of `value` against `derivative`. */
  firstFinite: number;
  /** mathjs's ∂²ℓ/∂f² against the package's `secondDerivative`. */
  secondSymbolic: number;
  /** A central difference of `derivative` against `secondDerivative`. */
  secondFinite: number;
}

/**
 * The first and second derivatives of every loss, three ways: symbolically (mathjs, through
 * `derive`), by the package's hand-written functions, and by central differences, at 300
 * seeded random points per loss (labels ±1, soft targets in [0, 1], real targets and scores
 * from N(0, 2²), probabilities from U(0.05, 0.95); one generator, seed 2024), leaving out
 * points within 1e-3 of a kink or a jump of curvature. A value of at most 1 means the two
 * agree to within the rounding bound (and, for differences, the truncation bound). Any list of
 * losses made by `defineLoss` can be checked the same way.
 */
export function derivativeChecks(lossList: readonly Loss[] = ALL): DerivativeCheck[] {
  const rng = createRng(2024);
  return checkLosses(lossList).map((loss): DerivativeCheck => {
    const row = { loss, points: 0, firstSymbolic: 0, firstFinite: 0, secondSymbolic: 0, secondFinite: 0 };
    const second = (y: number, f: number): number => loss.secondDerivative(y, f);
    for (let k = 0; k < 300; k++) {
      const y = drawTarget(loss, rng);
      const f = drawPrediction(loss, rng);
      const piece = pieceAt(loss, y, f);
      if (piece === undefined || nearSpecial(loss, y, f)) continue;
      row.points++;
      const unit = OPERATIONS * EPS * roundingScale(loss, y, f);
      const { third, fourth } = higherDerivatives(piece);
      row.firstSymbolic = Math.max(
        row.firstSymbolic,
        Math.abs(piece.firstAt(y, f) - loss.derivative(y, f)) / (2 * unit),
      );
      row.secondSymbolic = Math.max(row.secondSymbolic, Math.abs(piece.secondAt(y, f) - second(y, f)) / (2 * unit));
      const byValues = centralDifference(
        (g) => loss.value(y, g),
        (g) => third(y, g),
        f,
        unit,
      );
      row.firstFinite = Math.max(
        row.firstFinite,
        Math.abs(byValues.value - loss.derivative(y, f)) / (byValues.bound + unit),
      );
      const bySlopes = centralDifference(
        (g) => loss.derivative(y, g),
        (g) => fourth(y, g),
        f,
        unit,
      );
      row.secondFinite = Math.max(row.secondFinite, Math.abs(bySlopes.value - second(y, f)) / (bySlopes.bound + unit));
    }
    return row;
  });
}

const targetsFor = (loss: Loss): number[] =>
  loss.target === 'sign' ? [-1, 1] : loss.target === 'binary' ? [0, 0.3, 1] : [-1.3, 0, 0.7];

const gridFor = (loss: Loss): number[] =>
  loss.prediction === 'probability'
    ? Array.from({ length: 999 }, (_, k) => (k + 1) / 1000)
    : Array.from({ length: 1201 }, (_, k) => (k - 600) / 100);

/** One loss's convexity, tested three ways. */
export interface ConvexityCheck {
  loss: Loss;
  /** The smallest ∂²ℓ/∂f² over the grid, on the smooth pieces (mathjs). */
  minCurvature: number;
  /** Grid points where it is negative beyond its rounding bound. */
  negativeCurvature: number;
  kinks: number;
  /** Kinks where the slope drops (left slope above right slope beyond what the curvature and rounding explain). */
  slopeDrops: number;
  /** Kinks where the loss jumps (more than its slopes and rounding allow over the gap). */
  jumps: number;
  /** Of 2000 random triples (y, a, b, λ), those where ℓ at λa + (1 − λ)b lies above the chord beyond rounding; the first one found. */
  violations: number;
  example?: { y: number; a: number; b: number; lambda: number };
  /** All three tests passed. */
  convex: boolean;
}

/** Slope drops and jumps at the kinks, probing δ = 1e-7 max(1, |f|) to either side. */
function kinkTests(loss: Loss): { slopeDrops: number; jumps: number } {
  let slopeDrops = 0;
  let jumps = 0;
  for (const y of targetsFor(loss)) {
    for (const kink of loss.properties.kinks) {
      const f = predictionAt(loss, y, kink);
      const delta = 1e-7 * Math.max(1, Math.abs(f));
      const left = loss.derivative(y, f - delta);
      const right = loss.derivative(y, f + delta);
      const unit = OPERATIONS * EPS * Math.max(roundingScale(loss, y, f - delta), roundingScale(loss, y, f + delta));
      const bend =
        2 * delta * (Math.abs(loss.secondDerivative(y, f - delta)) + Math.abs(loss.secondDerivative(y, f + delta)));
      // Over δ on each side a slope changes by at most δ|ℓ″| (doubled as margin): more than that, plus rounding, is a drop.
      if (left - right > bend + 2 * unit) slopeDrops++;
      // A continuous loss moves by at most δ times its slope on each side (doubled as margin).
      if (
        Math.abs(loss.value(y, f + delta) - loss.value(y, f - delta)) >
        2 * delta * (Math.abs(left) + Math.abs(right)) + bend * delta + 2 * unit
      )
        jumps++;
    }
  }
  return { slopeDrops, jumps };
}

/**
 * Convexity of every loss in f, three ways: the second derivative on each smooth piece over a
 * grid (1201 scores in [−6, 6] or 999 probabilities, at two or three targets), the slope and
 * continuity at each kink, and the chord inequality at 2000 random triples per loss (seed 7).
 */
export function convexityChecks(lossList: readonly Loss[] = ALL): ConvexityCheck[] {
  const rng = createRng(7);
  return checkLosses(lossList).map((loss): ConvexityCheck => {
    let minCurvature = Infinity;
    let negativeCurvature = 0;
    for (const y of targetsFor(loss)) {
      for (const f of gridFor(loss)) {
        const piece = pieceAt(loss, y, f);
        if (piece === undefined || nearSpecial(loss, y, f)) continue;
        const curvature = piece.secondAt(y, f);
        minCurvature = Math.min(minCurvature, curvature);
        if (curvature < -OPERATIONS * EPS * roundingScale(loss, y, f)) negativeCurvature++;
      }
    }
    const { slopeDrops, jumps } = kinkTests(loss);
    let violations = 0;
    let example: ConvexityCheck['example'];
    for (let k = 0; k < 2000; k++) {
      const y = drawTarget(loss, rng);
      const a = loss.prediction === 'probability' ? rng.uniform(0.01, 0.99) : rng.normal(0, 3);
      const b = loss.prediction === 'probability' ? rng.uniform(0.01, 0.99) : rng.normal(0, 3);
      const lambda = rng.uniform();
      const mid = lambda * a + (1 - lambda) * b;
      const chord = lambda * loss.value(y, a) + (1 - lambda) * loss.value(y, b);
      // Three evaluations and the chord's two products and sum; the midpoint itself is off by
      // at most ε(|a| + |b|), which moves ℓ by that times its slope.
      const allowance =
        OPERATIONS * EPS * (roundingScale(loss, y, a) + roundingScale(loss, y, b) + roundingScale(loss, y, mid)) +
        EPS * (Math.abs(a) + Math.abs(b)) * Math.abs(loss.derivative(y, mid));
      if (loss.value(y, mid) - chord > allowance) {
        violations++;
        example ??= { y, a, b, lambda };
      }
    }
    const convex = negativeCurvature === 0 && slopeDrops === 0 && jumps === 0 && violations === 0;
    return {
      loss,
      minCurvature,
      negativeCurvature,
      kinks: loss.properties.kinks.length,
      slopeDrops,
      jumps,
      violations,
      ...(example === undefined ? {} : { example }),
      convex,
    };
  });
}

/** The conditional probabilities η at which the minimisers are checked. */
export const ETAS: readonly number[] = [0.1, 0.25, 0.4, 0.6, 0.75, 0.9];

const logOdds = (eta: number): number => Math.log(eta / (1 - eta));

/** The derived population minimisers of the classification losses, as functions of η = P(Y = 1 | x). */
const MINIMISERS: ReadonlyArray<{ loss: Loss; formula: string; fStar: (eta: number) => number }> = [
  { loss: losses.square, formula: '$2\\eta - 1$', fStar: (eta) => 2 * eta - 1 },
  { loss: losses.logistic, formula: '$\\ln\\frac{\\eta}{1 - \\eta}$', fStar: logOdds },
  { loss: losses.crossEntropyWithLogits, formula: '$\\ln\\frac{\\eta}{1 - \\eta}$', fStar: logOdds },
  { loss: losses.crossEntropy, formula: '$p^* = \\eta$', fStar: (eta) => eta },
  { loss: losses.exponential, formula: '$\\tfrac12 \\ln\\frac{\\eta}{1 - \\eta}$', fStar: (eta) => logOdds(eta) / 2 },
  { loss: losses.hinge, formula: '$\\operatorname{sign}(2\\eta - 1)$', fStar: (eta) => Math.sign(2 * eta - 1) },
];

/** One loss's derived minimiser against a grid search and `optimalConstant`. */
export interface MinimiserCheck {
  loss: Loss;
  /** The derived minimiser, in LaTeX. */
  formula: string;
  /** At η = 0.75: the formula, the grid's best point and `optimalConstant`'s answer. */
  atThreeQuarters: { formula: number; grid: number; sample: number };
  /** Largest |grid minimiser − formula| over η, and the grid step. */
  gridError: number;
  step: number;
  /** Largest |optimalConstant − formula| over η, in units of its rounding bound. */
  sampleError: number;
}

const SAMPLE = 20;

/**
 * How far `optimalConstant` may lie from the formula: both compute a log-odds (or a share) in a
 * few roundings, 4 ε max(1, |f*|) together; where it bisects on the risk's slope (the square
 * loss), the slope is zero only up to the rounding of its sum, n ε max|ℓ′|, which moves the
 * root by that over the curvature C″(f*) (doubled as margin).
 */
function minimiserTolerance(loss: Loss, eta: number, fStar: number, positive: number, negative: number): number {
  const slope = Math.max(Math.abs(loss.derivative(positive, fStar)), Math.abs(loss.derivative(negative, fStar)));
  const curvature = eta * loss.secondDerivative(positive, fStar) + (1 - eta) * loss.secondDerivative(negative, fStar);
  return 4 * EPS * Math.max(1, Math.abs(fStar)) + (curvature > 0 ? (2 * SAMPLE * EPS * slope) / curvature : 0);
}

/**
 * The derived minimiser f*(η) of each classification loss's conditional risk
 * C(f) = η ℓ(1, f) + (1 − η) ℓ(−1, f), two ways: the best point of a grid of step 1e-4 on
 * [−6, 6] (1e-5 on (0, 1) for probabilities), which for a convex C must lie within one step of
 * f*, and `optimalConstant` on 20 labels of which 20η are positive, whose empirical risk is C.
 */
export function minimiserChecks(): MinimiserCheck[] {
  const realGrid = Float64Array.from({ length: 120001 }, (_, k) => (k - 60000) / 10000);
  const probabilityGrid = Float64Array.from({ length: 99999 }, (_, k) => (k + 1) / 100000);
  return MINIMISERS.map(({ loss, formula, fStar }): MinimiserCheck => {
    const grid = loss.prediction === 'probability' ? probabilityGrid : realGrid;
    const positive = 1;
    const negative = loss.target === 'sign' ? -1 : 0;
    const ifPositive = values(loss, new Float64Array(grid.length).fill(positive), grid);
    const ifNegative = values(loss, new Float64Array(grid.length).fill(negative), grid);
    let gridError = 0;
    let sampleError = 0;
    let atThreeQuarters = { formula: NaN, grid: NaN, sample: NaN };
    for (const eta of ETAS) {
      let best = 0;
      for (let k = 1; k < grid.length; k++) {
        if (eta * ifPositive[k] + (1 - eta) * ifNegative[k] < eta * ifPositive[best] + (1 - eta) * ifNegative[best])
          best = k;
      }
      const labels = Array.from({ length: SAMPLE }, (_, i) => (i < Math.round(SAMPLE * eta) ? positive : negative));
      const fromSample = optimalConstant(loss, labels).value;
      const target = fStar(eta);
      gridError = Math.max(gridError, Math.abs(grid[best] - target));
      sampleError = Math.max(
        sampleError,
        Math.abs(fromSample - target) / minimiserTolerance(loss, eta, target, positive, negative),
      );
      if (eta === 0.75) atThreeQuarters = { formula: target, grid: grid[best], sample: fromSample };
    }
    return { loss, formula, atThreeQuarters, gridError, step: grid[1] - grid[0], sampleError };
  });
}

/**
 * The conditional risk η ℓ(1, f) + (1 − η) ℓ(−1, f) of margin losses over a range of scores, as
 * series for `sweep`.
 */
export function conditionalRiskCurves(
  lossList: readonly Loss[],
  eta: number,
  scores: readonly number[],
): Array<{ label: string; lossId: string; x: number[]; mean: number[] }> {
  if (typeof eta !== 'number' || !(eta >= 0 && eta <= 1))
    throw new LossInputError({ argument: 'eta', value: eta, problem: 'is not a probability', domain: '[0, 1]' });
  // Both lists are copied under the guard (a throwing getter or trap is a LossInputError naming
  // them), then checked and used as copied.
  const margin = 'margin losses such as losses.hinge';
  const list = readGuarded(
    'lossList',
    () =>
      Array.isArray(lossList)
        ? Array.from(lossList as unknown[], (l) =>
            typeof l === 'object' && l !== null && (l as Loss).target === 'sign' ? (l as Loss) : undefined,
          )
        : [],
    margin,
  );
  const chosen = list.filter((l): l is Loss => l !== undefined);
  if (chosen.length === 0 || chosen.length !== list.length) {
    throw new LossInputError({
      argument: 'lossList',
      value: lossList,
      problem: 'is not a list of losses of labels ±1',
      domain: margin,
    });
  }
  const given = readGuarded(
    'scores',
    () => (Array.isArray(scores) ? Array.from(scores as unknown[]) : []),
    'finite numbers',
  );
  if (given.length === 0)
    throw new LossInputError({
      argument: 'scores',
      value: scores,
      problem: 'is not a non-empty array of scores',
      domain: 'finite numbers',
    });
  const x = given.map((f, i) => {
    if (typeof f !== 'number' || !Number.isFinite(f))
      throw new LossInputError({
        argument: 'scores',
        index: i,
        value: f,
        problem: 'is not a finite number',
        domain: 'finite numbers',
      });
    return f;
  });
  const ones = new Float64Array(x.length).fill(1);
  const minusOnes = new Float64Array(x.length).fill(-1);
  return chosen.map((loss) => {
    const pos = values(loss, ones, x);
    const neg = values(loss, minusOnes, x);
    return { label: loss.name, lossId: loss.id, x, mean: x.map((_, k) => eta * pos[k] + (1 - eta) * neg[k]) };
  });
}

function checkProbability(argument: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1))
    throw new LossInputError({ argument, value: p, problem: 'is not a probability', domain: '[0, 1]' });
  return p;
}

/** a ln b, with 0 ln b = 0 (the limit that makes entropy and KL continuous at 0 and 1). */
const xLog = (a: number, b: number): number => (a === 0 ? 0 : a * Math.log(b));

/**
 * The entropy of a Bernoulli(t) label in nats, −t ln t − (1 − t) ln(1 − t).
 *
 * @example
 * ```ts
 * import { binaryEntropy } from 'losslab/course';
 * binaryEntropy(0.5); // 0.6931471805599453 (ln 2)
 * binaryEntropy(1);   // 0
 * ```
 */
export function binaryEntropy(t: number): number {
  checkProbability('t', t);
  return -xLog(t, t) - xLog(1 - t, 1 - t);
}

/**
 * The Kullback–Leibler divergence KL(t ‖ p) = t ln(t/p) + (1 − t) ln((1 − t)/(1 − p)) of a
 * Bernoulli(p) prediction from a Bernoulli(t) label, in nats; Infinity where p gives zero
 * probability to something t does not.
 *
 * @example
 * ```ts
 * import { binaryKl } from 'losslab/course';
 * binaryKl(0.3, 0.3); // 0
 * binaryKl(1, 0.5);   // 0.6931471805599453
 * ```
 */
export function binaryKl(t: number, p: number): number {
  checkProbability('t', t);
  checkProbability('p', p);
  // A probability of -0 is 0, but t / -0 is -Infinity, whose log is NaN: the sign goes first.
  const tt = Math.abs(t);
  const pp = Math.abs(p);
  return xLog(tt, tt / pp) + xLog(1 - tt, (1 - tt) / (1 - pp));
}

/**
 * A bound on the rounding error of Σ a_k ln b_k, each a_k and b_k within three roundings of
 * their values (1 − t, t/p, (1 − t)/(1 − p) from doubles t and p): a term errs by at most
 * |a|(|ln b| (u + 2u + u) + 3u) ≤ 2ε|a|(|ln b| + 1) (the log within one ulp, a relative error of
 * b becoming an absolute one of ln b), and adding up to six terms by at most another
 * 2ε|a||ln b| each: 4ε Σ|a_k|(|ln b_k| + 1) in all. The package's log1p(−p) is within one ulp.
 */
function logTermsBound(terms: ReadonlyArray<readonly [number, number]>): number {
  let s = 0;
  for (const [a, b] of terms) if (a !== 0) s += Math.abs(a) * (Math.abs(Math.log(b)) + 1);
  return Math.max(4 * EPS * s, Number.MIN_VALUE);
}

/** Probabilities from 1e-12 to 1 − 1e-12: steps of 1e-3, and powers of ten towards both ends. */
function probabilityGrid(): number[] {
  const ends = [1e-12, 1e-9, 1e-6, 1e-4];
  return [...ends, ...Array.from({ length: 999 }, (_, k) => (k + 1) / 1000), ...ends.map((e) => 1 - e).reverse()];
}

/** Scores from −40 to 40 by 0.1, and ±100, ±800. */
const SCORES: readonly number[] = [...Array.from({ length: 801 }, (_, k) => (k - 400) / 10), -800, -100, 100, 800];

export interface DerivationsCrossEntropy extends ExperimentResult {
  /** Grid sizes of the CE = H + KL check (targets × probabilities). */
  klGrid: { targets: number; probabilities: number };
  /** Largest −KL(t ‖ p) in units of its rounding bound: at most 1 means KL is never negative beyond rounding. */
  klNegativeInUnits: number;
  /** For every target t strictly inside (0, 1), the grid probability of smallest cross-entropy minus t (largest in size). */
  argminOffset: number;
  /** ln 2 · logistic(y, f) against crossEntropyWithLogits((1 + y)/2, f), largest over the scores, in rounding units. */
  logisticGap: number;
  /**
   * crossEntropy((1 + y)/2, sigmoid(f)) against ln 2 · logistic(y, f) for |f| ≤ 30: the largest
   * relative difference for |f| ≤ 5 and for 5 < |f| ≤ 30, and the largest absolute difference in
   * units of 4ε(1 + e^|f|), the digits 1 − σ(f) loses to cancellation.
   */
  probabilityForm: { relativeSmall: number; relativeLarge: number; inUnits: number };
}

/**
 * Cross-entropy as entropy + KL, on the probability and on the score scale, with labels
 * t = (1 + y)/2: every statistic is a largest gap over a grid in units of its rounding bound.
 */
export const derivationsCrossEntropy: Experiment<DerivationsCrossEntropy> = {
  id: 'derivations-cross-entropy',
  title: 'Cross-entropy: the label formula, entropy + KL, products and margins',
  design:
    'Deterministic grids, every gap divided by the rounding bound of the evaluations behind it (4ε Σ|a|(|ln b| + 1) for sums of terms a ln b; 6ε times the value for the score forms). ' +
    'CE = H + KL: 101 targets t = 0, 0.01, …, 1 × 1007 probabilities from 1e-12 to 1 − 1e-12. The label formula: y = ±1, t = (1 + y)/2, at the same 1007 probabilities. ' +
    'The product t·p: with t = 0 every prediction has t·p = 0, so the largest difference of cross-entropies among those pairs. ' +
    'The margin y·f: crossEntropyWithLogits(t, f) against ln 2 · logistic(1, y f), a function of the margin alone, at 805 scores from −800 to 800 and both labels.',
  evidence: { chapter: CHAPTER, heading: '6. The logistic loss is cross-entropy in disguise' },
  run() {
    const ps = probabilityGrid();
    const ts = Array.from({ length: 101 }, (_, k) => k / 100);
    let splitGap = 0;
    let klNegative = 0;
    let argminOffset = 0;
    for (const t of ts) {
      let bestP = NaN;
      let bestCe = Infinity;
      for (const p of ps) {
        const ce = losses.crossEntropy.value(t, p);
        const h = binaryEntropy(t);
        const kl = binaryKl(t, p);
        const klBound = logTermsBound([
          [t, t / p],
          [1 - t, (1 - t) / (1 - p)],
        ]);
        splitGap = Math.max(
          splitGap,
          Math.abs(ce - (h + kl)) /
            logTermsBound([
              [t, p],
              [1 - t, 1 - p],
              [t, t],
              [1 - t, 1 - t],
              [t, t / p],
              [1 - t, (1 - t) / (1 - p)],
            ]),
        );
        klNegative = Math.max(klNegative, -kl / klBound);
        if (ce < bestCe) {
          bestCe = ce;
          bestP = p;
        }
      }
      if (t > 0 && t < 1) argminOffset = Math.max(argminOffset, Math.abs(bestP - t));
    }

    let formulaGap = 0;
    for (const y of [-1, 1]) {
      const t = (1 + y) / 2;
      for (const f of ps) {
        const byFormula = -t * Math.log(f) - (1 - t) * Math.log(1 - f);
        formulaGap = Math.max(
          formulaGap,
          Math.abs(losses.crossEntropy.value(t, f) - byFormula) /
            logTermsBound([
              [t, f],
              [1 - t, 1 - f],
              [t, f],
              [1 - t, 1 - f],
            ]),
        );
      }
    }

    // With t = 0 the product t·p is 0 for every p: a function of t·p would give them all one value.
    const zeroProduct = ps.map((p) => ({ ce: losses.crossEntropy.value(0, p), bound: logTermsBound([[1, 1 - p]]) }));
    let productGap = 0;
    for (const a of zeroProduct)
      for (const b of zeroProduct) productGap = Math.max(productGap, Math.abs(a.ce - b.ce) / (a.bound + b.bound));

    let marginGap = 0;
    let logisticGap = 0;
    for (const y of [-1, 1]) {
      const t = (1 + y) / 2;
      for (const f of SCORES) {
        const ce = losses.crossEntropyWithLogits.value(t, f);
        // y = ±1, so y·f is exact, and logistic(1, m) sees nothing but the margin m.
        const ofMargin = Math.LN2 * losses.logistic.value(1, y * f);
        const logistic = Math.LN2 * losses.logistic.value(y, f);
        // Each side: two non-negative terms, exp and log1p within one ulp each and relative
        // errors that log1p does not amplify, one addition, one scaling by ln 2: 3ε of the
        // value each, 6ε for the difference.
        const unit = Math.max(6 * EPS * Math.max(ce, ofMargin, logistic), Number.MIN_VALUE);
        marginGap = Math.max(marginGap, Math.abs(ce - ofMargin) / unit);
        logisticGap = Math.max(logisticGap, Math.abs(ce - logistic) / unit);
      }
    }

    const probabilityForm = { relativeSmall: 0, relativeLarge: 0, inUnits: 0 };
    for (const y of [-1, 1]) {
      for (const f of SCORES.filter((s) => Math.abs(s) <= 30)) {
        const truth = Math.LN2 * losses.logistic.value(y, f);
        const onProbability = losses.crossEntropy.value((1 + y) / 2, sigmoid(f));
        const relative = Math.abs(onProbability - truth) / truth;
        if (Math.abs(f) <= 5) probabilityForm.relativeSmall = Math.max(probabilityForm.relativeSmall, relative);
        else probabilityForm.relativeLarge = Math.max(probabilityForm.relativeLarge, relative);
        probabilityForm.inUnits = Math.max(
          probabilityForm.inUnits,
          Math.abs(onProbability - truth) / (4 * EPS * (1 + Math.exp(Math.abs(f)))),
        );
      }
    }

    const largest = (what: string) => `largest over the grid, in rounding units (${what})`;
    return {
      measurements: {
        entropyPlusKlGap: measured(
          '|CE − (H + KL)|, in rounding units (largest of 101 × 1007)',
          exactly(splitGap, 0, largest('CE = H + KL')),
        ),
        probabilityProductCounterexampleGap: measured(
          'largest |CE(0, p) − CE(0, p′)| among predictions with t·p = 0, in rounding units',
          exactly(productGap, 0, largest('pairs of equal product')),
        ),
        marginFormGap: measured(
          '|CE with logits − ln 2 · logistic(y f)|, in rounding units (largest of 805 scores × 2 labels)',
          exactly(marginGap, 0, largest('function of the margin')),
        ),
        crossEntropyFormulaGap: measured(
          '|crossEntropy − (−t ln f − (1 − t) ln(1 − f))|, t = (1 + y)/2, in rounding units (largest of 2 × 1007)',
          exactly(formulaGap, 0, largest('label formula')),
        ),
      },
      klGrid: { targets: ts.length, probabilities: ps.length },
      klNegativeInUnits: klNegative,
      argminOffset,
      logisticGap,
      probabilityForm,
    };
  },
};

export const derivationsExperiments = [derivationsCrossEntropy];
