/**
 * Dual coordinate descent for linear SVMs (hinge and squared hinge, l2 > 0), with an
 * unpenalised intercept and a duality-gap certificate.
 */
import { createRng } from '../../../random/rng';
import { dot, scores } from '../../../linalg/dense';
import { subgradientResidual } from '../../core/certificate';
import { columnScales, LARGE_COLUMN_TEXT } from '../../core/scaling';
import { objective } from '../../core/objective';
import { output, Progress } from '../../core/progress';
import { converged as convergedAt, outOfIterations, type Ending } from '../../core/stopping';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../../types';

/** The measure dualCD stops on, as reasons name it. */
const MEASURE = 'duality gap';
/** Duality gap to which the first inner solve runs. */
const FIRST_INNER_TOL = 1e-3;
/** Inner solves run to this fraction of the current outer gap (and of tol). */
const INNER_SHARE = 0.1;
/** Gaps below which the active-set polish is tried (a failed attempt costs a few epochs). */
const POLISH_BELOW = 1e-3;
/** Finite Newton steps the squared-hinge polish takes to settle its active set. */
const SQUARED_HINGE_ROUNDS = 5;
/** Epochs between polish attempts inside a long inner solve. */
const POLISH_EVERY = 25;
/** Thresholds s: α_i ≥ (1 - s) C counts as at the bound C, α_i ≤ s C as 0, for the polish's guess. */
const SUPPORT_THRESHOLDS = [1e-9, 1e-6, 1e-3];
/** Largest set of examples on the margin the polish solves for (a dense system of this size). */
const MAX_POLISH_MARGIN = 200;
/** Minorants (dual points, n numbers each) kept for the outer search. */
const MAX_MINORANTS = 8;

/**
 * Minimises F(w, b) = (1/n) Σ loss(y_i, w·x_i + b) + (l2/2)‖w‖² for loss = hinge or
 * squaredHinge and l2 > 0. Divided by l2 it is the SVM primal P(w, b) = ½‖w‖² + C Σ ξ_i with
 * C = 1/(n l2). For a fixed intercept b its dual is
 *   max D_b(α) = D(α) - b Σ α_i y_i,  D(α) = Σ α_i - ½‖Σ α_i y_i x_i‖² - (1/(4C)) Σ α_i²·[squared hinge],
 *   over 0 ≤ α_i ≤ C (hinge; no upper bound for the squared hinge),
 * and coordinate descent on it, one α_i at a time with w = Σ α_i y_i x_i kept up to date, in a
 * seeded random order, is Hsieh, Chang, Lin, Keerthi & Sundararajan, "A dual coordinate
 * descent method for large-scale linear SVM", ICML 2008 (Algorithm 1, without shrinking). An
 * inner solve stops when its own duality gap P(w, b) - D_b(α) is small enough.
 *
 * The intercept. Appending a constant feature (LIBLINEAR's bias) would penalise b, which this
 * objective does not; and with b free the dual gains the constraint Σ α_i y_i = 0, along which
 * no single coordinate can move. Instead b is found by an outer 1-D minimisation of the convex
 * g(b) = min_w P(w, b). By weak duality every α from an inner solve gives an affine minorant
 * g(b) ≥ D(α) - b Σ α_i y_i, valid for all b however inexact α is. The outer loop is Kelley's
 * cutting-plane method on these minorants (Kelley, "The cutting-plane method for solving convex
 * programs", J. SIAM 8(4), 1960): the next b is the minimiser of their upper envelope, which in
 * 1-D is where the best rising and falling minorants cross, so at a kink of g (common for the
 * hinge) the two tangents meet at the kink itself. Until minorants of both slopes exist, b moves
 * in doubling steps. Each inner solve is warm-started from the dual solution nearest in b and
 * runs to a tenth of the current gap. (The method of multipliers on Σ α_i y_i = 0 was tried
 * first, and a bracket on the sign of g': the first stalled for thousands of epochs on the
 * tests' problems, and inexact α's can give g' the wrong sign.)
 *
 * The certificate. The two crossing minorants come from α⁻ and α⁺ with Σ α⁻_i y_i > 0 >
 * Σ α⁺_i y_i; their mixture α = θα⁻ + (1-θ)α⁺ with Σ α_i y_i = 0 lies in the box, so D(α) ≤ F* / l2
 * is a certified lower bound (at least the envelope's minimum, by concavity). The primal point
 * is the best among the inner solutions' w and the mixture's w, each with its exact intercept
 * (the minimiser of F(w, ·): a sort of the n breakpoints). The run stops when the duality gap
 * l2 (P - D) ≥ F(w, b) - F* is ≤ tol. Until minorants of both slopes exist, the dual point is
 * α with the class of larger Σ α_i scaled down (feasible too, but weaker). Without an
 * intercept there is one inner problem (b = 0) and its own gap is the certificate.
 *
 * The polish. Near a degenerate optimum (points exactly on the margin, a kink of g) dual CD
 * crawls. Once the gap is below 1e-3, every 25 epochs and after each outer step the solver
 * guesses the active set and solves the optimality conditions exactly (`polishHinge`,
 * `polishSquaredHinge`); a guess that passes the duality-gap test ends the run, one that fails
 * costs a few epochs' worth of work. On the tests' problems this cuts hinge fits from thousands
 * of epochs to tens or hundreds. Dual CD stays slow for small l2 (large C), as Hsieh et al.
 * report; then `maxIter` ends the run with `converged: false`.
 *
 * `maxIter` counts epochs (passes over the data); `initialWeights` is ignored (the dual starts
 * at α = 0).
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * const y = [-1, -1, 1, -1, 1, 1];
 * const svm = fitLinear(X, y, { loss: losses.hinge, l2: 0.1, solver: 'dualCD' });
 * svm.converged;                // true
 * svm.weights[0].toFixed(6);    // "0.666667"
 * svm.intercept.toFixed(6);     // "-1.666667"
 * ```
 */
export function dualCD(p: Problem, settings: SolverSettings): SolverOutput {
  const { n, d, X, y, l2 } = p;
  const data = X.data;
  const isHinge = svmPower(p) === 1;
  const C = 1 / (n * l2);
  const upper = isHinge ? C : Infinity;
  const diag = isHinge ? 0 : 1 / (2 * C);
  const { tol, maxIter } = settings;

  const qii = new Float64Array(n);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let s = diag;
    for (let j = 0; j < d; j++) s += data[base + j] * data[base + j];
    qii[i] = s;
  }
  const alpha = new Float64Array(n);
  const w = new Float64Array(d);
  const rng = createRng(settings.seed);
  const order = rng.permutation(n);
  const buffer = new Float64Array(n);

  const progress = new Progress(settings.onIteration);
  let epochs = 0;
  let gap = Infinity;
  const bestW = new Float64Array(d);
  /** The dual point the best primal point came from: its multipliers at the hinge's kinks. */
  const bestAlpha = new Float64Array(n);
  let bestB = 0;
  let bestValue = Infinity;
  const done = (end: Ending): SolverOutput => {
    const theta = new Float64Array(d + (p.fitIntercept ? 1 : 0));
    theta.set(bestW);
    if (p.fitIntercept) theta[d] = bestB;
    // At the kink y_i f_i = 1 the hinge's derivative is −y_i β_i with β_i = α_i / C in [0, 1].
    const { residual } = subgradientResidual(p, bestW, bestB, undefined, (i) => -y[i] * bestAlpha[i] / C);
    return { ...output(p, theta, epochs, end, progress, residual), dualityGap: gap };
  };
  const converged = (): SolverOutput => done(convergedAt(MEASURE, gap, tol));
  const exhausted = (): SolverOutput => done(outOfIterations(maxIter, 'epochs', MEASURE, gap, tol));

  /** F(w, b) = l2 P(w, b), leaving the scores w·x_i + b in `buffer`. */
  const objectiveAt = (weights: Float64Array, b: number): number => objective(p, weights, b, buffer);
  /** l2 D(a) for dual variables a with w(a) = weights (the constraint Σ a_i y_i = 0 not included). */
  const dualValue = (a: Float64Array, weights: Float64Array): number => {
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      sum += a[i];
      sumSq += a[i] * a[i];
    }
    return l2 * (sum - 0.5 * dot(weights, weights, d) - 0.5 * diag * sumSq);
  };
  const ySumOf = (a: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i] * y[i];
    return s;
  };
  /** Keeps (weights, exact intercept) when it beats the best primal point so far; `from` is its dual point. */
  const offerPrimal = (weights: Float64Array, from: Float64Array): void => {
    scores(X, weights, 0, buffer);
    const b = p.fitIntercept ? (isHinge ? hingeIntercept(y, buffer, n) : squaredHingeIntercept(y, buffer, n)) : 0;
    const value = objectiveAt(weights, b);
    if (value < bestValue) {
      bestValue = value;
      bestW.set(weights);
      bestAlpha.set(from);
      bestB = b;
    }
  };

  /**
   * Dual CD epochs on D_b from the current α until P(w, b) - D_b(α) ≤ innerTol (or maxIter).
   * The objective recorded after each epoch is F at the current (w, b). Slow inner solves (near
   * a degenerate optimum) try the polish now and then; true when it certified the answer.
   */
  const solveInner = (b: number, innerTol: number): boolean => {
    for (;;) {
      rng.shuffle(order);
      for (let t = 0; t < n; t++) {
        const i = order[t];
        const yi = y[i];
        const base = i * d;
        let f = b;
        for (let j = 0; j < d; j++) f += data[base + j] * w[j];
        const a = alpha[i];
        const G = yi * f - 1 + diag * a;
        const PG = a === 0 ? Math.min(G, 0) : a === upper ? Math.max(G, 0) : G;
        if (PG === 0) continue;
        // A zero row (x_i = 0) leaves D_b linear in α_i: it goes to the bound G points to.
        const next = qii[i] === 0 ? (G < 0 ? upper : 0) : Math.min(Math.max(a - G / qii[i], 0), upper);
        const delta = (next - a) * yi;
        if (delta === 0) continue;
        alpha[i] = next;
        for (let j = 0; j < d; j++) w[j] += delta * data[base + j];
      }
      epochs++;
      const primal = objectiveAt(w, b);
      progress.record(epochs, primal);
      const innerGap = primal - (dualValue(alpha, w) - l2 * b * ySumOf(alpha));
      if (innerGap <= innerTol || epochs >= maxIter) return false;
      if (gap <= POLISH_BELOW && epochs % POLISH_EVERY === 0 && polished(alpha, w, b)) return true;
    }
  };

  /** Tries the exact active-set solution near the best primal point; true when it certifies. */
  const accept = (candidateW: Float64Array, candidateAlpha: Float64Array): boolean => {
    offerPrimal(candidateW, candidateAlpha);
    const lower = dualValue(candidateAlpha, candidateW) - Math.abs(l2 * bestB * ySumOf(candidateAlpha));
    const candidateGap = Math.max(0, bestValue - lower);
    if (candidateGap > tol) return false;
    gap = candidateGap;
    return true;
  };
  const polished = (alphaGuess: Float64Array, atW: Float64Array, atB: number): boolean =>
    isHinge ? polishHinge(p, alphaGuess, atW, atB, accept) : polishSquaredHinge(p, atW, atB, accept);

  if (!p.fitIntercept) {
    progress.record(0, objectiveAt(w, 0));
    let innerTol = Math.max(tol, FIRST_INNER_TOL);
    for (;;) {
      if (solveInner(0, innerTol)) return converged();
      offerPrimal(w, alpha);
      gap = Math.max(0, bestValue - dualValue(alpha, w));
      if (gap <= tol || polished(alpha, bestW, bestB)) return converged();
      if (epochs >= maxIter) return exhausted();
      innerTol = Math.max(tol, gap) * INNER_SHARE;
    }
  }

  /** Minorant g(b) ≥ (value - b slope) (times l2), from the dual point alpha with w(alpha) = w. */
  interface Minorant { b: number; value: number; slope: number; alpha: Float64Array; w: Float64Array }
  const minorants: Minorant[] = [];
  const mixAlpha = new Float64Array(n);
  const mixW = new Float64Array(d);
  /**
   * l2 D(α') for α' = α with the class of larger Σ α_i scaled down so that Σ α'_i y_i = 0
   * (feasible, as scaling down keeps the box); offers w(α') as a primal point.
   */
  const projectedLowerBound = (): number => {
    let sumPos = 0;
    let sumNeg = 0;
    for (let i = 0; i < n; i++) if (y[i] > 0) sumPos += alpha[i]; else sumNeg += alpha[i];
    const shrinkPositive = sumPos > sumNeg;
    const factor = sumPos === sumNeg ? 1 : shrinkPositive ? sumNeg / sumPos : sumPos / sumNeg;
    mixW.fill(0);
    for (let i = 0, base = 0; i < n; i++, base += d) {
      const a = (y[i] > 0) === shrinkPositive ? alpha[i] * factor : alpha[i];
      mixAlpha[i] = a;
      if (a !== 0) for (let j = 0; j < d; j++) mixW[j] += a * y[i] * data[base + j];
    }
    offerPrimal(mixW, mixAlpha);
    return dualValue(mixAlpha, mixW) - Math.abs(l2 * bestB * ySumOf(mixAlpha));
  };

  let b = settings.initialIntercept;
  progress.record(0, objectiveAt(w, b));
  let innerTol = Math.max(tol, FIRST_INNER_TOL);
  let step = 1;
  for (;;) {
    if (solveInner(b, innerTol)) return converged();
    const slope = l2 * ySumOf(alpha);
    minorants.push({ b, value: dualValue(alpha, w), slope, alpha: Float64Array.from(alpha), w: Float64Array.from(w) });
    offerPrimal(w, alpha);

    const pair = bestMixture(minorants);
    if (pair === null) {
      // Every minorant falls (or every one rises): the minimiser lies further on. Meanwhile
      // scaling down one class of α gives a feasible dual point, hence a (weaker) certificate.
      gap = Math.max(0, bestValue - projectedLowerBound());
      if (gap <= tol) return converged();
      if (epochs >= maxIter) return exhausted();
      b += slope > 0 ? step : -step;
      step *= 2;
      continue;
    }
    const { falling, rising, theta, at } = pair;
    for (let i = 0; i < n; i++) mixAlpha[i] = theta * falling.alpha[i] + (1 - theta) * rising.alpha[i];
    for (let j = 0; j < d; j++) mixW[j] = theta * falling.w[j] + (1 - theta) * rising.w[j];
    offerPrimal(mixW, mixAlpha);
    // Rounding leaves Σ α_i y_i ≈ 1e-16 Σ α_i; weak duality then holds up to |b Σ α_i y_i|.
    const lower = dualValue(mixAlpha, mixW) - Math.abs(l2 * bestB * ySumOf(mixAlpha));
    gap = Math.max(0, bestValue - lower);
    if (gap <= tol || (gap <= POLISH_BELOW && polished(mixAlpha, bestW, bestB))) return converged();
    if (epochs >= maxIter) return exhausted();

    innerTol = Math.max(tol, gap) * INNER_SHARE;
    b = at;
    let nearest = minorants[0];
    for (const m of minorants) if (Math.abs(m.b - b) < Math.abs(nearest.b - b)) nearest = m;
    alpha.set(nearest.alpha);
    w.set(nearest.w);
    // Memory: keep the two defining the envelope's minimum and the newest others.
    if (minorants.length > MAX_MINORANTS) {
      const drop = minorants.findIndex((m) => m !== falling && m !== rising);
      minorants.splice(drop, 1);
    }
  }
}

/**
 * The best lower bound the minorants give, min over b of max_k (value_k - b slope_k), and where
 * it is attained. By LP duality it equals the best convex combination Σ θ_k value_k with
 * Σ θ_k slope_k = 0, and an optimal combination has one minorant of slope 0, or one falling
 * (slope > 0: the lines are value - b·slope) and one rising: so each flat minorant and each
 * falling–rising pair is a candidate, the one with the largest value wins, and its θ mixes
 * the two dual points into a feasible one. Null until a candidate exists.
 */
function bestMixture<M extends { b: number; value: number; slope: number }>(lines: readonly M[]): { falling: M; rising: M; theta: number; at: number } | null {
  let best: { falling: M; rising: M; theta: number; at: number } | null = null;
  let bestValue = -Infinity;
  for (const f of lines) {
    if (f.slope === 0 && f.value > bestValue) {
      bestValue = f.value;
      best = { falling: f, rising: f, theta: 1, at: f.b };
    }
    if (!(f.slope > 0)) continue;
    for (const r of lines) {
      if (!(r.slope < 0)) continue;
      const theta = -r.slope / (f.slope - r.slope);
      const value = theta * f.value + (1 - theta) * r.value;
      if (value > bestValue) {
        bestValue = value;
        best = { falling: f, rising: r, theta, at: (f.value - r.value) / (f.slope - r.slope) };
      }
    }
  }
  return best;
}

/**
 * The exact hinge-SVM solution for a guessed active set, or null when every guess fails. Near
 * the optimum the examples split into L (margin y f < 1, β = 1), R (margin > 1, β = 0) and M
 * (margin exactly 1, β in [0, 1]), and the optimality conditions become linear:
 *   w = C (Σ_L y_i x_i + Σ_M β_i y_i x_i),  Σ_L y_i + Σ_M β_i y_i = 0,  y_i (w·x_i + b) = 1 (i ∈ M),
 * an (|M| + 1)-square system in β_M and b (no b and no middle equation without an intercept).
 * Generically |M| ≤ d + 1; more (degenerate data) get the minimum-norm solution. The split is guessed from the dual point α = C β (L: α_i near C,
 * M: strictly inside) for a few thresholds, and from the margins at the primal point (w, b)
 * (M: the k examples closest to the margin, k = d + 1, d, ..., 0). A solution with β_M in
 * [0, 1] gives a dual point and its w, which the caller certifies. This is the "polishing" of
 * active-set QP solvers (e.g. OSQP's): it turns an iterate that has nearly found the support
 * vectors into the exact solution.
 */
function polishHinge(p: Problem, alphaGuess: Float64Array, w: Float64Array, b: number, accept: (w: Float64Array, alpha: Float64Array) => boolean): boolean {
  const { n, d, X, y, l2 } = p;
  const data = X.data;
  const C = 1 / (n * l2);
  const split = new Int8Array(n); // -1: L (β = 1), 0: M, 1: R (β = 0)
  for (const share of SUPPORT_THRESHOLDS) {
    for (let i = 0; i < n; i++) split[i] = alphaGuess[i] >= (1 - share) * C ? -1 : alphaGuess[i] > share * C ? 0 : 1;
    if (trySplit(p, split, insideSums(p, split), accept)) return true;
  }
  const gaps = scores(X, w, b, new Float64Array(n));
  for (let i = 0; i < n; i++) gaps[i] = y[i] * gaps[i] - 1;
  const closest = nearestToZero(gaps, Math.min(d + (p.fitIntercept ? 1 : 0), n));
  for (let i = 0; i < n; i++) split[i] = gaps[i] < 0 ? -1 : 1;
  const all = insideSums(p, split);
  // Moving the k closest examples into M only changes their own terms of the sums over L.
  for (let k = closest.length; k >= 0; k--) {
    const sums = { inside: Float64Array.from(all.inside), insideY: all.insideY };
    for (let r = 0; r < closest.length; r++) {
      const i = closest[r];
      split[i] = r < k ? 0 : gaps[i] < 0 ? -1 : 1;
      if (r < k && gaps[i] < 0) {
        sums.insideY -= y[i];
        for (let j = 0; j < d; j++) sums.inside[j] -= y[i] * data[i * d + j];
      }
    }
    if (trySplit(p, split, sums, accept)) return true;
  }
  return false;
}

/** Indices of the k entries of smallest magnitude, closest first (one pass, k small). */
function nearestToZero(v: Float64Array, k: number): number[] {
  const picked: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (picked.length === k && !(a < Math.abs(v[picked[k - 1]]))) continue;
    let at = picked.length === k ? k - 1 : picked.length;
    while (at > 0 && Math.abs(v[picked[at - 1]]) > a) {
      picked[at] = picked[at - 1];
      at--;
    }
    picked[at] = i;
  }
  return picked;
}

/** Σ_L y_i x_i and Σ_L y_i over the examples the split puts in L. */
function insideSums(p: Problem, split: Int8Array): { inside: Float64Array; insideY: number } {
  const { n, d, X, y } = p;
  const data = X.data;
  const inside = new Float64Array(d);
  let insideY = 0;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    if (split[i] !== -1) continue;
    insideY += y[i];
    for (let j = 0; j < d; j++) inside[j] += y[i] * data[base + j];
  }
  return { inside, insideY };
}

/** Solves the linear optimality system of `polishHinge` for one split; offers the result to `accept`. */
function trySplit(p: Problem, split: Int8Array, sums: { inside: Float64Array; insideY: number }, accept: (w: Float64Array, alpha: Float64Array) => boolean): boolean {
  const { n, d, X, y, l2 } = p;
  const data = X.data;
  const C = 1 / (n * l2);
  const withB = p.fitIntercept ? 1 : 0;
  const { inside, insideY } = sums;
  const onMargin: number[] = [];
  for (let i = 0; i < n; i++) if (split[i] === 0) onMargin.push(i);
  const m = onMargin.length;
  if (m > MAX_POLISH_MARGIN) return false;
  const size = m + withB;
  const K = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  for (let r = 0; r < m; r++) {
    const i = onMargin[r];
    for (let c = 0; c < m; c++) {
      const k = onMargin[c];
      let xx = 0;
      for (let j = 0; j < d; j++) xx += data[i * d + j] * data[k * d + j];
      K[r * size + c] = C * y[i] * y[k] * xx;
    }
    let xv = 0;
    for (let j = 0; j < d; j++) xv += data[i * d + j] * inside[j];
    rhs[r] = 1 - C * y[i] * xv;
    if (withB) {
      K[r * size + m] = y[i];
      K[m * size + r] = y[i];
    }
  }
  if (withB) rhs[m] = -insideY;
  // More than d + 1 examples on the margin (degenerate, common in small symmetric data): the
  // system is singular but consistent, and its minimum-norm solution, from the normal
  // equations with a tiny ridge, is the natural candidate.
  if (size > 0) {
    const original = rhs.slice();
    if (!(m <= d + withB && solveDense(K.slice(), rhs, size))) {
      rhs.set(original);
      if (!minimumNormSolve(K, rhs, size)) return false;
    }
  }
  for (let r = 0; r < m; r++) if (!(rhs[r] >= -1e-9 && rhs[r] <= 1 + 1e-9)) return false;
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) if (split[i] === -1) alpha[i] = C;
  for (let r = 0; r < m; r++) alpha[onMargin[r]] = C * Math.min(Math.max(rhs[r], 0), 1);
  const w = new Float64Array(d);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    const c = alpha[i] * y[i];
    if (c !== 0) for (let j = 0; j < d; j++) w[j] += c * data[base + j];
  }
  return accept(w, alpha);
}

/**
 * The exact squared-hinge solution from a guess of its active set A = {i : y_i f_i < 1}: on a
 * fixed A the objective is quadratic, and its minimiser solves
 *   ((2/n) X̃_Aᵀ X̃_A + l2 I_w) θ = (2/n) X̃_Aᵀ y_A,
 * one finite Newton step (Keerthi & DeCoste, JMLR 6, 2005). A is taken from the margins at
 * (w, b) and updated from the new point, a few times; when it no longer changes, the dual point
 * α_i = 2C max(0, 1 - y_i f_i) satisfies Σ α_i y_i = 0 and w = Σ α_i y_i x_i, and the caller
 * certifies it.
 */
function polishSquaredHinge(p: Problem, w: Float64Array, b: number, accept: (w: Float64Array, alpha: Float64Array) => boolean): boolean {
  const { n, d, X, y, l2 } = p;
  const data = X.data;
  const C = 1 / (n * l2);
  const m = d + (p.fitIntercept ? 1 : 0);
  const f = scores(X, w, b, new Float64Array(n));
  const active = new Uint8Array(n);
  for (let i = 0; i < n; i++) active[i] = y[i] * f[i] < 1 ? 1 : 0;
  for (let round = 0; round < SQUARED_HINGE_ROUNDS; round++) {
    const H = new Float64Array(m * m);
    const theta = new Float64Array(m);
    for (let i = 0, base = 0; i < n; i++, base += d) {
      if (active[i] === 0) continue;
      for (let j = 0; j < m; j++) {
        const xj = j < d ? data[base + j] : 1;
        theta[j] += xj * y[i];
        for (let k = 0; k <= j; k++) H[j * m + k] += xj * (k < d ? data[base + k] : 1);
      }
    }
    for (let j = 0; j < m; j++) {
      theta[j] *= 2 / n;
      for (let k = 0; k <= j; k++) {
        H[j * m + k] *= 2 / n;
        H[k * m + j] = H[j * m + k];
      }
      if (j < d) H[j * m + j] += l2;
    }
    if (!solveDense(H, theta, m)) return false;
    scores(X, theta, p.fitIntercept ? theta[d] : 0, f);
    let changed = false;
    for (let i = 0; i < n; i++) {
      const now = y[i] * f[i] < 1 ? 1 : 0;
      if (now !== active[i]) changed = true;
      active[i] = now;
    }
    if (changed) continue;
    const alpha = new Float64Array(n);
    for (let i = 0; i < n; i++) alpha[i] = active[i] === 1 ? 2 * C * (1 - y[i] * f[i]) : 0;
    const wNew = new Float64Array(d);
    for (let i = 0, base = 0; i < n; i++, base += d) {
      const c = alpha[i] * y[i];
      if (c !== 0) for (let j = 0; j < d; j++) wNew[j] += c * data[base + j];
    }
    return accept(wNew, alpha);
  }
  return false;
}

/**
 * The minimum-norm solution of a consistent but singular square system K x = b, in place of
 * b: (KᵀK + εI) x = Kᵀb with ε = 1e-13 trace(KᵀK). False when the system is not consistent
 * (residual above 1e-9 of b's size).
 */
function minimumNormSolve(K: Float64Array, b: Float64Array, m: number): boolean {
  const A = new Float64Array(m * m);
  const r = new Float64Array(m);
  let trace = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += K[k * m + i] * K[k * m + j];
      A[i * m + j] = s;
    }
    trace += A[i * m + i];
    let t = 0;
    for (let k = 0; k < m; k++) t += K[k * m + i] * b[k];
    r[i] = t;
  }
  for (let i = 0; i < m; i++) A[i * m + i] += 1e-13 * trace + 1e-300;
  if (!solveDense(A, r, m)) return false;
  let size = 0;
  let residual = 0;
  for (let i = 0; i < m; i++) {
    let s = -b[i];
    for (let k = 0; k < m; k++) s += K[i * m + k] * r[k];
    residual = Math.max(residual, Math.abs(s));
    size = Math.max(size, Math.abs(b[i]));
  }
  if (!(residual <= 1e-9 * (1 + size))) return false;
  b.set(r);
  return true;
}

/** Solves A x = b in place of b by Gaussian elimination with partial pivoting; false if A is singular to rounding. */
function solveDense(A: Float64Array, b: Float64Array, m: number): boolean {
  let scale = 0;
  for (let i = 0; i < m * m; i++) scale = Math.max(scale, Math.abs(A[i]));
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r * m + col]) > Math.abs(A[pivot * m + col])) pivot = r;
    if (!(Math.abs(A[pivot * m + col]) > 1e-13 * scale)) return false;
    if (pivot !== col) {
      for (let c = 0; c < m; c++) {
        const t = A[col * m + c];
        A[col * m + c] = A[pivot * m + c];
        A[pivot * m + c] = t;
      }
      const t = b[col];
      b[col] = b[pivot];
      b[pivot] = t;
    }
    for (let r = col + 1; r < m; r++) {
      const f = A[r * m + col] / A[col * m + col];
      if (f === 0) continue;
      for (let c = col; c < m; c++) A[r * m + c] -= f * A[col * m + c];
      b[r] -= f * b[col];
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let v = b[r];
    for (let c = r + 1; c < m; c++) v -= A[r * m + c] * b[c];
    b[r] = v / A[r * m + r];
  }
  return true;
}

/**
 * argmin_b Σ max(0, 1 - y_i (s_i + b)). The slope in b rises by 1 at each breakpoint
 * b_i = y_i - s_i, from -#positives, so the minimisers are the interval between the P-th and
 * (P+1)-th smallest breakpoints (P = #positives); its midpoint is returned.
 */
export function hingeIntercept(y: Float64Array, s: Float64Array, n: number): number {
  const bp = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    bp[i] = y[i] - s[i];
    if (y[i] > 0) positives++;
  }
  bp.sort();
  if (positives === 0) return bp[0];
  if (positives === n) return bp[n - 1];
  return 0.5 * (bp[positives - 1] + bp[positives]);
}

/**
 * argmin_b Σ max(0, 1 - y_i (s_i + b))². With breakpoints b_i = y_i - s_i the derivative is
 * 2 [Σ_{positives, b_i > b} (b - b_i) + Σ_{negatives, b_i < b} (b - b_i)]: continuous,
 * non-decreasing and linear between breakpoints, so one merged scan of the sorted breakpoints
 * finds its zero exactly.
 */
export function squaredHingeIntercept(y: Float64Array, s: Float64Array, n: number): number {
  let np = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) np++;
  const pos = new Float64Array(np);
  const neg = new Float64Array(n - np);
  let sumPos = 0;
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    const v = y[i] - s[i];
    if (y[i] > 0) {
      pos[a++] = v;
      sumPos += v;
    } else neg[b++] = v;
  }
  pos.sort();
  neg.sort();
  // Left of the current breakpoint: positives not yet passed are active, negatives passed are.
  let kPos = np;
  let kNeg = 0;
  let sumNeg = 0;
  let last = -Infinity;
  for (let a = 0, b = 0; a < np || b < neg.length; ) {
    const fromPos = b >= neg.length || (a < np && pos[a] <= neg[b]);
    const v = fromPos ? pos[a] : neg[b];
    const slope = (kPos + kNeg) * v - sumPos - sumNeg;
    if (slope >= 0) return kPos + kNeg > 0 ? (sumPos + sumNeg) / (kPos + kNeg) : v;
    if (fromPos) {
      kPos--;
      sumPos -= v;
      a++;
    } else {
      kNeg++;
      sumNeg += v;
      b++;
    }
    last = v;
  }
  return kPos + kNeg > 0 ? (sumPos + sumNeg) / (kPos + kNeg) : last;
}

/** The power of the loss's SVM form max(0, 1 − y f)^power, or null when it declares none. */
function svmPower(p: Problem): 1 | 2 | null {
  return p.loss.capabilities.svmDual?.power ?? null;
}

export const dualCDSolver: SolverEntry = {
  name: 'dualCD',
  solve: dualCD,
  unsupported: (p) => {
    if (svmPower(p) === null) return `dualCD solves the SVM losses (hinge, squaredHinge, or a loss declaring capabilities.svmDual), not ${p.loss.id}`;
    if (!(p.l2 > 0)) return 'dualCD needs l2 > 0 (the dual box is 0 <= α <= C = 1/(n l2))';
    if (p.l1 !== 0) return 'dualCD does not handle the l1 penalty (use subgradient, or lp for hinge)';
    // Its dual has the isotropic ½‖w‖², so it cannot measure a column in its own units the way
    // the primal solvers do; with one column 1e150 times the others the coordinates crawl, and
    // beyond ~1e154 the squared row norms overflow.
    if (columnScales(p.X) !== null) {
      return `dualCD works on the features as given, and a feature beyond ${LARGE_COLUMN_TEXT} in magnitude makes its dual badly conditioned or overflowing (use newton or lbfgs for squaredHinge, subgradient for hinge)`;
    }
    return null;
  },
  preferredFor: (p) => svmPower(p) === 1,
};
