/**
 * The crossover of lp: from the interior point's iterate onto the optimal face, exactly (a
 * vertex when the face is a point), or onto the answers that need no face (separable data,
 * objective 0).
 */
import { scores } from '../../../linalg/dense';
import { QRAccumulator } from '../../../linalg/qr';
import { jacobiSVD, numericalRank, truncatedSolve } from '../../../linalg/svd';
import type { IpmResult } from './interiorPoint';
import { type BoxLP, scaledObjective, separates } from './program';

/** Rounds of rescaling a separating hinge fit to margins >= 1 (each doubles its margin of error). */
const SCALING_ROUNDS = 32;

interface Vertex {
  beta: Float64Array;
  rank: number;
}

/**
 * Whether LP variable k ends strictly inside its box: its distance to the nearer bound beats
 * its bound multiplier, after scaling both (then it is inside at every dual optimum).
 */
function insideTest(lp: BoxLP, ipm: IpmResult): (k: number) => boolean {
  const { x, zl, wu } = ipm;
  let dualScale = 0;
  for (let k = 0; k < lp.N; k++) dualScale += Math.abs(lp.cost[k]);
  dualScale = Math.max(dualScale / lp.N, 1e-300);
  return (k: number): boolean => {
    const uk = lp.upper[k];
    return Math.min(x[k], uk - x[k]) / uk > Math.max(zl[k], wu[k]) / dualScale;
  };
}

/**
 * The interior point leaves the weights an l1 penalty puts at 0 at 1e-19 or so. Sets them to
 * exactly 0 where that does not raise the objective beyond the rounding of its sum (64 ε
 * relative): first every one whose penalty variable ends strictly inside its box
 * (complementary slackness puts them at 0 at every optimum), then, one at a time from the
 * smallest, those below 2^-26 of the largest (where a run that stopped early has duals too
 * rough to tell). Returns β and its objective, unchanged when nothing qualified.
 */
function snapZeros(
  lp: BoxLP,
  ipm: IpmResult,
  beta: Float64Array,
  value: number,
  f: Float64Array,
): { beta: Float64Array; value: number; snapped: boolean } {
  const { s } = lp;
  const at = (b: Float64Array): number => scaledObjective(s, scores(lp.matrix, b, 0, f), b);
  const accept = (candidate: number): boolean => candidate <= value + 64 * Number.EPSILON * value;
  let best = beta;
  let snapped = false;
  const inside = insideTest(lp, ipm);
  const together = Float64Array.from(best);
  lp.penalised.forEach((j, k) => {
    if (inside(lp.exampleVars + k)) together[j] = 0;
  });
  if (together.some((v, j) => v !== best[j])) {
    const candidate = at(together);
    if (accept(candidate)) {
      best = together;
      value = candidate;
      snapped = true;
    }
  }
  let largest = 0;
  for (const j of lp.penalised) largest = Math.max(largest, Math.abs(best[j]));
  const small = Array.from(lp.penalised)
    .filter((j) => best[j] !== 0 && Math.abs(best[j]) < 2 ** -26 * largest)
    .sort((a, b) => Math.abs(best[a]) - Math.abs(best[b]));
  for (const j of small) {
    const trial = Float64Array.from(best);
    trial[j] = 0;
    const candidate = at(trial);
    if (accept(candidate)) {
      best = trial;
      value = candidate;
      snapped = true;
    }
  }
  return { beta: best, value, snapped };
}

/**
 * Moves β onto the optimal face. A variable strictly inside its box at the end of the
 * interior-point run (its distance to the nearer bound beats its bound multiplier, after
 * scaling both) is inside at every dual optimum, so by complementary slackness every primal
 * optimum has example i's residual at the kink (ỹᵢ − x̃ᵢ·β = 0, or ±ε̃), resp. β_j = 0 for a
 * penalty variable. The minimum-norm correction satisfying those equations lands on the face;
 * the face is a single point when they have full column rank. `f` holds the scores X̃β.
 */
function toOptimalFace(lp: BoxLP, ipm: IpmResult, f: Float64Array): Vertex {
  const { s } = lp;
  const { n, m } = s;
  const { beta } = ipm;
  const inside = insideTest(lp, ipm);
  const cols = m + 1;
  const qr = new QRAccumulator(cols);
  const row = new Float64Array(cols);
  let equations = 0;
  const addRow = (): void => {
    qr.absorb(row, 1);
    equations++;
    row.fill(0);
  };
  for (let i = 0; i < n; i++) {
    let kink: number | null = null;
    if (lp.paired) {
      const above = inside(i);
      const below = inside(n + i);
      if (above !== below) kink = above ? s.epsilon : -s.epsilon;
    } else if (inside(i)) {
      kink = 0;
    }
    if (kink === null) continue;
    row.set(s.A.subarray(i * m, (i + 1) * m));
    row[m] = s.y[i] - kink - f[i];
    addRow();
  }
  const zeroed: number[] = [];
  const zero = (j: number): void => {
    zeroed.push(j);
    row[j] = 1;
    row[m] = -beta[j];
    addRow();
  };
  for (let k = 0; k < lp.penalised.length; k++) if (inside(lp.exampleVars + k)) zero(lp.penalised[k]);
  for (const j of s.fixedZero) zero(j);
  // No equations: every dual sits at a bound, so every nearby β is optimal too.
  if (equations === 0) return { beta: Float64Array.from(beta), rank: 0 };
  const R = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) R[i * m + j] = qr.R[i * cols + j];
    rhs[i] = qr.R[i * cols + m];
  }
  const svd = jacobiSVD(R, m);
  const rank = numericalRank(svd, 100 * Math.max(equations, m) * Number.EPSILON);
  const correction = truncatedSolve(svd, rhs, rank).x;
  const moved = new Float64Array(m);
  for (let j = 0; j < m; j++) moved[j] = beta[j] + correction[j];
  // β_j = 0 holds to rounding after the correction; the lasso's zeros should be exact.
  for (const j of zeroed) moved[j] = 0;
  return { beta: moved, rank };
}

/**
 * Whether the parameters with objective 0 form a single point, or undefined when that is not
 * settled cheaply. Hinge (a loss vanishing for margins y f >= 1 − ε with ε < 1): never (that
 * is an intersection of half-spaces, which is a single point only if their normals y x̃
 * positively span everything, and then Σ λᵢ yᵢ x̃ᵢ = 0 with λ > 0 would give
 * 0 = Σ λᵢ yᵢ x̃ᵢ·β >= (1 − ε) Σ λᵢ > 0). ε-insensitive: not a point when every residual is
 * strictly inside the tube and some coordinate is free. Residual losses without a flat part
 * and with a slope on both sides of every kink: the solutions of X̃ β = ỹ (and β_j = 0 for
 * penalised j), a point exactly when that system has rank m. Otherwise left open.
 */
function zeroSetIsPoint(lp: BoxLP, f: Float64Array): boolean | undefined {
  const { s } = lp;
  const { n, m } = s;
  if (lp.vanishesWithMargin) return s.epsilon < 1 ? false : undefined;
  if (s.epsilon > 0) {
    let strictlyInside = true;
    for (let i = 0; i < n && strictlyInside; i++) strictlyInside = Math.abs(s.y[i] - f[i]) < s.epsilon;
    return strictlyInside && lp.penalised.length + s.fixedZero.length < m ? false : undefined;
  }
  // A slope of 0 on one side makes a zero loss a half-line of residuals, not r = 0.
  for (let i = 0; i < n; i++) if (!(s.lower[i] < 0 && s.upper[i] > 0)) return undefined;
  const cols = m + 1;
  const qr = new QRAccumulator(cols);
  const zeros = [...lp.penalised, ...s.fixedZero];
  const rows = lp.arena.take((n + zeros.length) * cols);
  for (let i = 0; i < n; i++) rows.set(s.A.subarray(i * m, (i + 1) * m), i * cols);
  zeros.forEach((j, k) => {
    rows[(n + k) * cols + j] = 1;
  });
  qr.absorb(rows, n + zeros.length);
  const R = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) R[i * m + j] = qr.R[i * cols + j];
  return numericalRank(jacobiSVD(R, m), 100 * (n + m) * Number.EPSILON) === m;
}

/**
 * A bound on the rounding error of `scaledObjective` at beta that comes from computing the
 * residuals: |fl(yᵢ − x̃ᵢ·β) − (yᵢ − x̃ᵢ·β)| <= (m + 1)ε(|yᵢ| + Σⱼ |x̃ᵢⱼ βⱼ|) (the standard bound
 * for a dot product, to first order), times the example's largest slope, averaged as the
 * objective averages; the penalty's own rounding is ε per term.
 */
function objectiveRounding(lp: BoxLP, beta: Float64Array): number {
  const { n, m, A, y, lower, upper } = lp.s;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let size = Math.abs(y[i]);
    for (let j = 0; j < m; j++) size += Math.abs(A[i * m + j] * beta[j]);
    sum += Math.max(Math.abs(lower[i]), Math.abs(upper[i])) * size;
  }
  let pen = 0;
  for (let j = 0; j < m; j++) pen += lp.s.penalty[j] * Math.abs(beta[j]);
  return (m + 1) * Number.EPSILON * (sum / n) + m * Number.EPSILON * pen;
}

/** Where the interior point's answer ends up, and what is known about it there. */
export interface Crossover {
  beta: Float64Array;
  /** The scaled objective at beta. */
  value: number;
  unique: boolean | undefined;
  /** How the answer was reached, in words for the reason. */
  how: string;
  /** On a vertex, which the certificate still has to check (0 ∈ ∂F). */
  onVertex: boolean;
  /** What setting weights to exactly 0 added to `how`, for the reason of a run that did not converge. */
  snapText: string;
}

/**
 * From the interior point's iterate to the answer: a separable hinge-type fit scaled to
 * margins >= 1, the zero set of a fit with objective 0, or the optimal face its duals
 * identify (a vertex when it is a point; see `toOptimalFace`), accepted only if it does not
 * raise the objective; else the iterate with the weights an l1 penalty leaves at rounding
 * level set to 0 (`snapZeros`).
 */
export function crossover(lp: BoxLP, ipm: IpmResult, tol: number): Crossover {
  const { s } = lp;
  const f = scores(lp.matrix, ipm.beta, 0, lp.arena.take(s.n));
  let beta = ipm.beta;
  let value = scaledObjective(s, f, beta);
  let unique: boolean | undefined;
  let how = 'interior point';
  let onVertex = false;
  if (ipm.converged && lp.separable && separates(s, f)) {
    // Scaling (w, b) by 1 / (smallest margin) makes every margin >= 1: hinge 0, the minimum.
    // The scaling rounds, so repeat it with a hair more, doubled each round, until no margin is
    // left below 1: the hair outgrows any rounding within a few rounds.
    for (let round = 0; value > 0 && round < SCALING_ROUNDS; round++) {
      let smallest = Infinity;
      for (let i = 0; i < s.n; i++) smallest = Math.min(smallest, s.y[i] * f[i]);
      const factor = (1 + 4 * 2 ** round * Number.EPSILON) / smallest;
      if (!(factor > 0 && Number.isFinite(factor))) break;
      const scaled = beta.map((v) => v * factor);
      const scaledValue = scaledObjective(s, scores(lp.matrix, scaled, 0, f), scaled);
      if (!(scaledValue <= value)) break;
      beta = scaled;
      value = scaledValue;
    }
    how = 'interior point, then scaled to margins >= 1 (the data are separable: every larger scaling is optimal too)';
    unique = false;
  } else if (ipm.converged && value === 0) {
    // The least possible objective: the minimisers are all parameters with zero loss (and
    // zero penalised weights), a set known without the interior-point iterates.
    unique = zeroSetIsPoint(lp, f);
    how = 'interior point, reaching the least possible objective 0';
  } else if (ipm.converged || ipm.failure === 'stalled' || ipm.failure === 'lostInterior') {
    // After a stall too: the duals of the best iterate usually identify the face already, and
    // a vertex that passes the certificate (0 ∈ ∂F) is optimal however the run ended.
    const face = toOptimalFace(lp, ipm, f);
    const faceValue = scaledObjective(s, scores(lp.matrix, face.beta, 0, f), face.beta);
    // Accept unless it is worse by more than the tolerance the interior point was held to (a
    // wrong identification costs far more); summing n terms can differ by rounding either way,
    // and where the objective is itself at rounding level (an interpolating fit) only the
    // rounding bound of the residuals can tell the two apart.
    const rounding = Math.max(objectiveRounding(lp, beta), objectiveRounding(lp, face.beta));
    if (faceValue <= value + Math.max(tol, 64 * Number.EPSILON) * value + rounding) {
      beta = face.beta;
      value = faceValue;
      unique = face.rank === s.m;
      onVertex = unique;
      how = unique
        ? 'interior point, then onto a vertex'
        : 'interior point, then onto the optimal face (not a single point: other parameters reach the same objective)';
    }
  }
  let snapText = '';
  if (how === 'interior point' && lp.penalised.length > 0) {
    const zeros = snapZeros(lp, ipm, beta, value, f);
    if (zeros.snapped) {
      ({ beta, value } = zeros);
      snapText = ', with the weights it leaves at rounding level set to exactly 0';
      how += snapText;
    }
  }
  return { beta, value, unique, how, onVertex, snapText };
}
