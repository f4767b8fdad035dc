/**
 * The interior-point phase of lp: Mehrotra's predictor-corrector on the boxed dual program,
 * to a small relative duality gap (or to where rounding, a stall or maxIter stops it).
 */
import { choleskyInPlace, choleskySolve } from '../../../linalg/cholesky';
import { scores, transposeTimes } from '../../../linalg/dense';
import { weightedGram } from '../../../linalg/gram';
import type { IterationState, SolverSettings } from '../../types';
import { applyA, applyAT, type BoxLP, scaledObjective, separates } from './program';

/** Fraction of the distance to the boundary an interior-point step may cover. */
const STEP_FRACTION = 0.99995;

/** A pivot this small relative to its diagonal entry marks a dependent column of X. */
export const DEPENDENT_PIVOT = 1e-13;

/** Give up when this many iterations pass without halving the duality gap. */
export const STALL_ITERATIONS = 15;

export interface IpmResult {
  beta: Float64Array;
  /** The LP iterate x (shifted duals) and its bound multipliers that go with `beta`, for the vertex step. */
  x: Float64Array;
  zl: Float64Array;
  wu: Float64Array;
  iterations: number;
  converged: boolean;
  relativeGap: number;
  /** Lower bound on the scaled optimum, from the dual iterate (corrected for its small infeasibility). */
  lowerBound: number;
  history: IterationState[];
  /** Why an unconverged run stopped: out of iterations, no progress, or the iterate became non-finite. */
  failure?: 'maxIterations' | 'stalled' | 'lostInterior';
}

/**
 * Mehrotra's predictor-corrector for min cᵀx s.t. A x = b, 0 <= x <= u (S. Mehrotra, "On the
 * implementation of a primal-dual interior point method", SIAM J. Optim. 2(4), 1992; the
 * bounded form as in Lustig, Marsten & Shanno, ORSA J. Comput. 6(1), 1994). Each iteration
 * factors M = A Θ Aᵀ = X̃ᵀ diag(θ) X̃ (+ diagonal for the penalty variables) once and solves
 * with it twice. `onIteration` also receives the iterate (w, b) in the original units.
 */
export function interiorPoint(
  lp: BoxLP,
  settings: SolverSettings,
  toParameters: (beta: Float64Array) => { weights: Float64Array; intercept: number },
): IpmResult {
  const { s } = lp;
  const { n, m } = s;
  const ws = workspace(lp);
  const { beta, dbeta, rp, M, dependent, f } = ws;
  const history: IterationState[] = [];
  start(lp, ws);

  let relativeGap = Infinity;
  let lowerBound = -Infinity;
  let iterations = 0;
  let bestGap = Infinity;
  let bestAt = 0;
  const bestBeta = new Float64Array(m);
  const bestX = lp.arena.take(lp.N);
  const bestZl = lp.arena.take(lp.N);
  const bestWu = lp.arena.take(lp.N);
  let bestPrimal = Infinity;
  let failure: IpmResult['failure'];
  let converged = false;
  for (;;) {
    // Residuals and the certificate at the current iterate (f = X̃β is kept up to date by the steps).
    applyA(lp, ws.x, rp, lp.scratch);
    for (let j = 0; j < m; j++) rp[j] = lp.rhs[j] - rp[j];
    const { mu, dualSum, dualMagnitude } = dualResiduals(lp, ws);
    // The dual value bounds the optimum from below once A x = b; rᵀβ corrects for the
    // small remaining infeasibility (to first order).
    let infeasibility = 0;
    for (let j = 0; j < m; j++) infeasibility += Math.abs(rp[j] * beta[j]);
    const primal = scaledObjective(s, f, beta);
    const dualBound = (dualSum - infeasibility) / n;
    if (!Number.isFinite(primal) || !Number.isFinite(dualBound)) {
      // The step before put a variable onto its bound to rounding (1/0 since): keep the best iterate.
      failure = 'lostInterior';
      break;
    }
    if (primal < bestPrimal) {
      bestPrimal = primal;
      bestBeta.set(beta);
      bestX.set(ws.x);
      bestZl.set(ws.zl);
      bestWu.set(ws.wu);
    }
    // The losses are non-negative, so 0 is a lower bound too (it certifies perfect separation for hinge).
    lowerBound = Math.max(0, dualBound);
    const gap = Math.max(0, primal - lowerBound);
    relativeGap = gap / Math.max(Math.abs(primal), Number.MIN_VALUE);
    const state: IterationState = { iteration: iterations, objective: primal / s.yScale, optimality: relativeGap };
    history.push(state);
    if (settings.onIteration !== undefined) settings.onIteration({ ...state, ...toParameters(beta) });
    // Stop at the tolerance, or where rounding in the sums makes the gap meaningless.
    const roundoff = 16 * Number.EPSILON * (dualMagnitude / n + infeasibility / n + primal);
    if (gap <= settings.tol * primal || gap <= roundoff || (lp.separable && separates(s, f))) {
      converged = true;
      break;
    }
    if (gap < 0.5 * bestGap) {
      bestGap = gap;
      bestAt = iterations;
    } else if (iterations - bestAt >= STALL_ITERATIONS) {
      failure = 'stalled';
      break;
    }
    if (iterations >= settings.maxIter) {
      failure = 'maxIterations';
      break;
    }

    weightedGram(s.A, n, m, scaling(lp, ws), M);
    for (let k = 0; k < lp.penalised.length; k++) {
      const j = lp.penalised[k];
      M[j * m + j] += ws.theta[lp.exampleVars + k];
    }
    choleskyInPlace(M, m, dependent, DEPENDENT_PIVOT);

    // Predictor (affine-scaling) direction: μ = 0.
    predictorRhs(lp, ws);
    newtonDirection(lp, ws);
    predictorMultipliers(lp, ws);
    let ap = primalStep(lp, ws, 1);
    let ad = dualStep(lp, ws, 1);
    const sigma = (affineMu(lp, ws, ap, ad) / mu) ** 3;

    // Corrector: centring σμ plus the second-order term of the predictor.
    correctorRhs(lp, ws, sigma * mu);
    newtonDirection(lp, ws);
    correctorMultipliers(lp, ws);
    ap = primalStep(lp, ws, STEP_FRACTION);
    ad = dualStep(lp, ws, STEP_FRACTION);
    takeStep(lp, ws, ap, ad);
    for (let j = 0; j < m; j++) beta[j] += ad * dbeta[j];
    iterations++;
  }
  // Never hand back a worse iterate than one already seen (or a non-finite one).
  const last = converged
    ? { beta, x: ws.x, zl: ws.zl, wu: ws.wu }
    : { beta: bestBeta, x: bestX, zl: bestZl, wu: bestWu };
  return {
    ...last,
    iterations,
    converged,
    relativeGap,
    lowerBound,
    history,
    ...(failure === undefined ? {} : { failure }),
  };
}

/*
 * The per-element loops of the iteration, each its own small function over the workspace:
 * V8 optimises small monomorphic loops within a call or two, where one large function full
 * of loops kept being recompiled and ran several times slower in its first fits.
 */

/**
 * Start: every dual in the middle of its box; β the least-squares fit; bound multipliers
 * from the dual slack c − Aᵀβ, shifted to be positive.
 */
function start(lp: BoxLP, ws: Workspace): void {
  const { s, N, upper: u, cost: c } = lp;
  const { n, m } = s;
  const { x, zl, wu, M, dependent, beta, f } = ws;
  // rd is free until the first iteration computes it: here it holds Aᵀβ.
  const ATv = ws.rd;
  for (let k = 0; k < N; k++) x[k] = u[k] / 2;
  weightedGram(s.A, n, m, lp.scratch.fill(1), M);
  for (const j of lp.penalised) M[j * m + j] += 1;
  choleskyInPlace(M, m, dependent, DEPENDENT_PIVOT);
  choleskySolve(M, m, dependent, transposeTimes(lp.matrix, s.y, ws.rhsP), beta);
  scores(lp.matrix, beta, 0, f);
  applyAT(lp, beta, f, ATv);
  let slackScale = 0;
  for (let k = 0; k < N; k++) slackScale += Math.abs(c[k] - ATv[k]);
  const shift = Math.max(slackScale / N, 1e-3);
  for (let k = 0; k < N; k++) {
    const slack = c[k] - ATv[k];
    zl[k] = Math.max(slack, 0) + shift;
    wu[k] = Math.max(-slack, 0) + shift;
  }
}

/** r_d = c − Aᵀβ − z + w, and the sums for μ and the dual value cᵀ(x + lower). */
function dualResiduals(lp: BoxLP, ws: Workspace): { mu: number; dualSum: number; dualMagnitude: number } {
  const { N, upper: u, cost: c, lower } = lp;
  const { x, zl, wu, rd, beta, f } = ws;
  applyAT(lp, beta, f, rd);
  let mu = 0;
  let dualSum = 0;
  let dualMagnitude = 0;
  for (let k = 0; k < N; k++) {
    const xk = x[k];
    rd[k] = c[k] - rd[k] - zl[k] + wu[k];
    mu += xk * zl[k] + (u[k] - xk) * wu[k];
    const term = c[k] * (xk + lower[k]);
    dualSum -= term;
    dualMagnitude += Math.abs(term);
  }
  return { mu: mu / (2 * N), dualSum, dualMagnitude };
}

/**
 * Θ = (z/x + w/(u − x))⁻¹ and, once, the reciprocals 1/x and 1/(u − x) the other loops multiply
 * by; returns Θ per example, the weights of the normal matrix (in lp.scratch when each example
 * has two variables, whose Θ add up).
 */
function scaling(lp: BoxLP, ws: Workspace): Float64Array {
  const { N, upper: u } = lp;
  const { n } = lp.s;
  const { x, zl, wu, ix, is, theta } = ws;
  for (let k = 0; k < N; k++) {
    const ixk = 1 / x[k];
    const isk = 1 / (u[k] - x[k]);
    ix[k] = ixk;
    is[k] = isk;
    theta[k] = 1 / (zl[k] * ixk + wu[k] * isk);
  }
  if (!lp.paired) return theta.subarray(0, n);
  const perExample = lp.scratch;
  for (let i = 0; i < n; i++) perExample[i] = theta[i] + theta[n + i];
  return perExample;
}

function predictorRhs(lp: BoxLP, ws: Workspace): void {
  const { N } = lp;
  const { zl, wu, rd, rho } = ws;
  for (let k = 0; k < N; k++) rho[k] = -zl[k] + wu[k] - rd[k];
}

function predictorMultipliers(lp: BoxLP, ws: Workspace): void {
  const { N } = lp;
  const { zl, wu, dx, dzl, dwu, ix, is } = ws;
  for (let k = 0; k < N; k++) {
    dzl[k] = -zl[k] - zl[k] * ix[k] * dx[k];
    dwu[k] = -wu[k] + wu[k] * is[k] * dx[k];
  }
}

/** μ after the predictor step: how much centring the corrector needs (σ = (μ_aff / μ)³). */
function affineMu(lp: BoxLP, ws: Workspace, ap: number, ad: number): number {
  const { N, upper: u } = lp;
  const { x, zl, wu, dx, dzl, dwu } = ws;
  let sum = 0;
  for (let k = 0; k < N; k++) {
    const xk = x[k] + ap * dx[k];
    sum += xk * (zl[k] + ad * dzl[k]) + (u[k] - xk) * (wu[k] + ad * dwu[k]);
  }
  return sum / (2 * N);
}

/**
 * The corrector's complementarity residuals r_xz and r_sw go where the predictor's Δz and Δw
 * were (read here for the last time), until `correctorMultipliers` turns them into the new ones.
 */
function correctorRhs(lp: BoxLP, ws: Workspace, target: number): void {
  const { N, upper: u } = lp;
  const { x, zl, wu, dx, dzl, dwu, rd, rho, ix, is } = ws;
  for (let k = 0; k < N; k++) {
    const xk = x[k];
    const dxk = dx[k];
    const rxz = target - xk * zl[k] - dxk * dzl[k];
    const rsw = target - (u[k] - xk) * wu[k] + dxk * dwu[k];
    dzl[k] = rxz;
    dwu[k] = rsw;
    rho[k] = rxz * ix[k] - rsw * is[k] - rd[k];
  }
}

function correctorMultipliers(lp: BoxLP, ws: Workspace): void {
  const { N } = lp;
  const { zl, wu, dx, dzl, dwu, ix, is } = ws;
  for (let k = 0; k < N; k++) {
    dzl[k] = (dzl[k] - zl[k] * dx[k]) * ix[k];
    dwu[k] = (dwu[k] + wu[k] * dx[k]) * is[k];
  }
}

/** x += α_p Δx; multipliers and scores f = X̃β += α_d (Δ, X̃Δβ). */
function takeStep(lp: BoxLP, ws: Workspace, ap: number, ad: number): void {
  const { N } = lp;
  const { n } = lp.s;
  const { x, zl, wu, dx, dzl, dwu, f, fd } = ws;
  for (let k = 0; k < N; k++) {
    x[k] += ap * dx[k];
    zl[k] += ad * dzl[k];
    wu[k] += ad * dwu[k];
  }
  for (let i = 0; i < n; i++) f[i] += ad * fd[i];
}

/** The arrays of one interior-point run, taken once from the fit's arena (the long ones). */
interface Workspace {
  x: Float64Array;
  zl: Float64Array;
  wu: Float64Array;
  dx: Float64Array;
  dzl: Float64Array;
  dwu: Float64Array;
  rd: Float64Array;
  theta: Float64Array;
  rho: Float64Array;
  /** 1 / x and 1 / (u − x). */
  ix: Float64Array;
  is: Float64Array;
  beta: Float64Array;
  dbeta: Float64Array;
  rp: Float64Array;
  rhsP: Float64Array;
  M: Float64Array;
  dependent: Uint8Array;
  f: Float64Array;
  fd: Float64Array;
}

function workspace(lp: BoxLP): Workspace {
  const { N, arena } = lp;
  const { n, m } = lp.s;
  const long = (k: number): Float64Array => arena.take(k);
  return {
    x: long(N),
    zl: long(N),
    wu: long(N),
    dx: long(N),
    dzl: long(N),
    dwu: long(N),
    rd: long(N),
    theta: long(N),
    rho: long(N),
    ix: long(N),
    is: long(N),
    beta: new Float64Array(m),
    dbeta: new Float64Array(m),
    rp: new Float64Array(m),
    rhsP: new Float64Array(m),
    M: new Float64Array(m * m),
    dependent: new Uint8Array(m),
    f: long(n),
    fd: long(n),
  };
}

/**
 * The Newton step for the current right-hand side ρ: M Δβ = r_p − A Θ ρ (M = A Θ Aᵀ, already
 * factored), then Δx = Θ (Aᵀ Δβ + ρ). Leaves X̃ Δβ in `fd` for updating the scores.
 */
function newtonDirection(lp: BoxLP, ws: Workspace): void {
  const { N } = lp;
  const { m } = lp.s;
  const { theta, rho, rhsP, rp, M, dependent, dbeta, fd, dx } = ws;
  // Δx holds Θρ, then Aᵀ Δβ, on the way to itself.
  for (let k = 0; k < N; k++) dx[k] = theta[k] * rho[k];
  applyA(lp, dx, rhsP, lp.scratch);
  for (let j = 0; j < m; j++) rhsP[j] = rp[j] - rhsP[j];
  choleskySolve(M, m, dependent, rhsP, dbeta);
  scores(lp.matrix, dbeta, 0, fd);
  applyAT(lp, dbeta, fd, dx);
  for (let k = 0; k < N; k++) dx[k] = theta[k] * (dx[k] + rho[k]);
}

/** Largest step ≤ 1 keeping x + α dx inside [0, u], times `fraction`. */
function primalStep(lp: BoxLP, ws: Workspace, fraction: number): number {
  const { N, upper: u } = lp;
  const { x, dx } = ws;
  let step = 1 / fraction;
  for (let k = 0; k < N; k++) {
    const d = dx[k];
    if (d < 0) step = Math.min(step, -x[k] / d);
    else if (d > 0) step = Math.min(step, (u[k] - x[k]) / d);
  }
  return Math.min(1, fraction * step);
}

/** Largest step ≤ 1 keeping both multipliers non-negative, times `fraction`. */
function dualStep(lp: BoxLP, ws: Workspace, fraction: number): number {
  const { N } = lp;
  const { zl, dzl, wu, dwu } = ws;
  let step = 1 / fraction;
  for (let k = 0; k < N; k++) {
    if (dzl[k] < 0) step = Math.min(step, -zl[k] / dzl[k]);
    if (dwu[k] < 0) step = Math.min(step, -wu[k] / dwu[k]);
  }
  return Math.min(1, fraction * step);
}
