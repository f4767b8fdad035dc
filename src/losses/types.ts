import type { Vec } from '../vec';

export type Task = 'regression' | 'classification';

/**
 * What the first argument `y` of a loss may be.
 * - `real`: any finite number (regression targets);
 * - `sign`: exactly -1 or +1 (margin-based classification);
 * - `binary`: a probability t in [0, 1]: hard labels 0/1 or soft labels.
 */
export type TargetDomain = 'real' | 'sign' | 'binary';

/**
 * What the second argument `f` of a loss may be.
 * - `real`: any finite score;
 * - `probability`: a probability p in [0, 1].
 */
export type PredictionDomain = 'real' | 'probability';

/**
 * The variable a loss is naturally drawn against:
 * - `margin`: m = y f (margin-based classification losses depend on y and f only through it);
 * - `residual`: r = y - f (regression losses depend on y and f only through it);
 * - `probability` / `logit`: the prediction itself, for a fixed label.
 */
export type LossAxis = 'margin' | 'residual' | 'probability' | 'logit';

export interface LossProperties {
  /** Convex in f for every admissible y. */
  convex: boolean;
  /** Strictly convex in f (so an empirical risk over enough distinct data has one minimiser). */
  strictlyConvex: boolean;
  /** Differentiable in f everywhere on the admissible domain. */
  differentiable: boolean;
  /** Twice differentiable in f everywhere on the admissible domain. */
  twiceDifferentiable: boolean;
  /** Smallest L with |value(y, f) - value(y, g)| <= L |f - g| for all admissible y, f, g; null when unbounded. */
  lipschitz: number | null;
  /** Lipschitz constant of the derivative (the 'smoothness'), null when the derivative is unbounded or jumps. */
  smoothness: number | null;
  /** Depends on (y, f) only through the margin y f. */
  marginBased: boolean;
  /** The axis the loss is drawn against and on which `kinks` are given. */
  axis: LossAxis;
  /** Points on `axis` where the loss is not differentiable. */
  kinks: readonly number[];
  /** Points on `axis` where the second derivative jumps (the loss itself is differentiable there). */
  curvatureJumps: readonly number[];
  /** Grows at most linearly for large errors: a single outlier's influence on the gradient is bounded. */
  boundedInfluence: boolean;
  /** For classification: minimising the population risk gives the Bayes classifier's sign. */
  classificationCalibrated: boolean | null;
  /** In words, the minimiser f* of the population risk E[loss(Y, f) | x]; η = P(Y = 1 | x). */
  minimizer: string;
}

/** One smooth piece of a piecewise loss, both as mathjs source in the symbols y and f. */
export interface LossPiece {
  /** mathjs boolean expression selecting the region, e.g. `y * f < 1`. */
  where: string;
  /** mathjs expression equal to the loss on that region (differentiable there). */
  expression: string;
}

/**
 * A loss function l(y, f) of a target y and a prediction f, with everything needed to
 * evaluate, differentiate, display and reason about it. Modelled on scikit-learn's
 * `sklearn/_loss/loss.py`: a loss knows its domain, gradient, hessian and optimal constant.
 */
export interface Loss {
  /** Stable identifier, e.g. `hinge`. */
  readonly id: string;
  /** Human-readable name, e.g. `Hinge loss`. */
  readonly name: string;
  readonly task: Task;
  readonly target: TargetDomain;
  readonly prediction: PredictionDomain;
  /** l(y, f). Throws LossInputError outside the domain. */
  value(y: number, f: number): number;
  /** ∂l/∂f. At a kink: the subgradient of smallest magnitude. */
  derivative(y: number, f: number): number;
  /** ∂²l/∂f², where it exists (a.e. for piecewise losses); absent when it is zero or undefined everywhere that matters. */
  secondDerivative?(y: number, f: number): number;
  /** mathjs expression in the symbols `y` and `f`, equal to `value`. */
  readonly expression: string;
  /** Smooth pieces of the loss (one piece for smooth losses), for symbolic differentiation. */
  readonly pieces: readonly LossPiece[];
  /** LaTeX of the formula, in the usual notation of the literature. */
  readonly latex: string;
  readonly properties: LossProperties;
  /** Parameters of a parametrised family (`{ delta: 1 }` for huber), empty otherwise. */
  readonly params: Readonly<Record<string, number>>;
  /** Specialised array loops; risk/values/derivatives and the solvers run on these. */
  readonly kernels: LossKernels;
}

/**
 * Array loops specialised to one loss. They do not validate: callers check the inputs
 * once (see `validate.ts`) and then may call these many times, e.g. inside a solver.
 */
export interface LossKernels {
  /** Σ_{i<n} l(y_i, f_i). */
  sum(y: Vec, f: Vec, n: number): number;
  /** Σ_{i<n} w_i l(y_i, f_i). */
  weightedSum(y: Vec, f: Vec, w: Vec, n: number): number;
  /** out_i = l(y_i, f_i). */
  values(y: Vec, f: Vec, out: Float64Array, n: number): void;
  /** out_i = ∂l/∂f (y_i, f_i). */
  derivatives(y: Vec, f: Vec, out: Float64Array, n: number): void;
  /** out_i = ∂²l/∂f² (y_i, f_i) (zero where the loss has no second derivative). */
  secondDerivatives(y: Vec, f: Vec, out: Float64Array, n: number): void;
  /** Fills out_i = ∂l/∂f (y_i, f_i) and returns Σ l(y_i, f_i): one pass for solvers. */
  sumAndDerivatives(y: Vec, f: Vec, out: Float64Array, n: number): number;
}
