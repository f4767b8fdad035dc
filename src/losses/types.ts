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
 * The minimisers of an empirical risk (1/n) Σ l(yᵢ, c) over constants c: either every one of
 * them, the interval [lower, upper] (a single point when the ends are equal; an end may be
 * ±Infinity for a half-line of minimisers), or, when there is none, the direction `limit`
 * (±Infinity) in which the risk decreases towards its `infimum`.
 */
export type ConstantMinimisers =
  | { readonly lower: number; readonly upper: number }
  | { readonly limit: number; readonly infimum: number };

/**
 * A convex piecewise-linear loss of the residual r = y − f with a flat bottom of half-width
 * `flat` around r = 0:
 *   l(y, f) = max(0, upper · (r − flat), lower · (r + flat)),  lower ≤ 0 ≤ upper, lower < upper,
 * the slopes of the loss in r left and right of the flat part. l1 has slopes −1 and 1,
 * quantile(τ) τ − 1 and τ, epsilonInsensitive(ε) −1 and 1 with flat ε. Slopes may depend on
 * the target, as functions of y: hinge is max(0, y r) for labels ±1 (1 − y f = y (y − f)), so
 * its slopes are 0 and 1 for y = +1, −1 and 0 for y = −1. Constant slopes make the loss a
 * function of the residual alone, which lets `lp` centre and rescale the targets.
 */
export interface LinearProgramForm {
  readonly lower: number | ((y: number) => number);
  readonly upper: number | ((y: number) => number);
  readonly flat: number;
}

/**
 * What a loss can tell the solvers beyond its values and derivatives, each part optional: a
 * loss declares what it knows, and a solver asks for what it needs instead of recognising
 * particular losses, so a loss made with `defineLoss` opts in to an exact solver by declaring
 * the same (scikit-learn's `sklearn/_loss/loss.py` does this with `fit_intercept_only` and
 * its intervals). `defineLoss` checks every declared form against the loss's own `value`.
 */
export interface LossCapabilities {
  /**
   * The minimisers of (1/n) Σ l(yᵢ, c) over constants c, from the sample sorted ascending
   * (n ≥ 1, every yᵢ in the target domain); `optimalConstant` answers with it instead of
   * searching.
   */
  readonly optimalConstant?: (sorted: Float64Array) => ConstantMinimisers;
  /** The loss as a piecewise-linear function of the residual: `lp` solves its ERM exactly as a linear program. */
  readonly linearProgram?: LinearProgramForm;
  /**
   * l(y, f) = max(0, 1 − y f)^power on labels ±1 (hinge: 1, squared hinge: 2), the losses of
   * the linear SVM whose dual `dualCD` solves.
   */
  readonly svmDual?: { readonly power: 1 | 2 };
  /**
   * l(y, f) = (y − f)² on the loss's domain (l2; square on labels ±1), so that ERM is least
   * squares: `leastSquares` solves it in closed form and `coordinateDescent` exactly per coordinate.
   */
  readonly squaredError?: boolean;
  /**
   * Piecewise constant in f (the 0–1 loss): its derivative is 0 wherever it exists, so no
   * solver can use it, and `fitLinear` says what to do instead.
   */
  readonly piecewiseConstant?: boolean;
}

/**
 * A loss function l(y, f) of a target y and a prediction f, with everything needed to
 * evaluate, differentiate, display and reason about it. Modelled on scikit-learn's
 * `sklearn/_loss/loss.py`: a loss knows its domain, gradient and hessian, and declares in
 * `capabilities` what the exact solvers need (its optimal constant, linear-programming form,
 * SVM dual, closed form).
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
  /** ∂²l/∂f², where it exists (a.e. for piecewise losses; 0 where the loss is linear or constant). */
  secondDerivative(y: number, f: number): number;
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
  /** What the solvers may ask of this loss beyond values and derivatives (empty for most losses). */
  readonly capabilities: LossCapabilities;
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
