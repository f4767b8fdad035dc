/**
 * The certificate of lp: the status and reason of a run, from its duality gap and, on a
 * vertex, the exact optimality condition 0 ∈ ∂F.
 */
import { subgradientResidual } from '../../core/certificate';
import { certified, outOfIterations, stalled } from '../../core/stopping';
import type { Problem, SolverOutput, SolverSettings } from '../../types';
import { type IpmResult, STALL_ITERATIONS } from './interiorPoint';
import { type BoxLP, toOriginalCoordinates } from './program';
import type { Crossover } from './vertex';

/**
 * Largest ‖g‖∞ / scale of the smallest subgradient at which a vertex counts as the optimum:
 * rounding leaves ~1e-15 at the true vertex, while a neighbouring vertex misses by one
 * example's share, ~1/n, so 1e-9 separates the two for any n below 1e8.
 */
const VERTEX_CERTIFICATE = 1e-9;

/** The measure the interior point stops on, as reasons name it. */
const MEASURE = 'relative duality gap';

/**
 * How the run ended, with the certificate that says so: the relative duality gap always; at
 * a vertex, 0 ∈ ∂F itself (the gap bounds the objective's error, but a neighbouring vertex can
 * sit within it); and `optimality`, the residual at the kinks from the interior point's duals.
 */
export function certify(
  p: Problem,
  lp: BoxLP,
  ipm: IpmResult,
  settings: SolverSettings,
  found: Crossover,
): SolverOutput {
  const { s } = lp;
  const { beta, value, unique } = found;
  let { how, snapText } = found;
  const relativeGap = value === 0 ? 0 : Math.max(0, value - ipm.lowerBound) / value;
  const { weights, intercept } = toOriginalCoordinates(p, s, beta);
  let vertexResidual: number | undefined;
  let optimalVertex = false;
  if (found.onVertex) {
    // The gap bounds the objective's error, but a neighbouring vertex can sit within it: only
    // 0 ∈ ∂F at the vertex says it is the optimum itself, so check that before saying so.
    const { residual, scale } = subgradientResidual(p, weights, intercept);
    vertexResidual = residual;
    optimalVertex = residual <= VERTEX_CERTIFICATE * scale;
    how = optimalVertex
      ? `interior point, then the exact optimal vertex (0 ∈ ∂F to ${residual.toPrecision(3)})`
      : `interior point, then a vertex within the duality gap that is not certified optimal (0 ∈ ∂F only to ${residual.toPrecision(3)}: a smaller tol finds the optimal one)`;
    if (!ipm.converged) snapText = `; ${how}`;
  }
  const end =
    ipm.converged || optimalVertex
      ? certified(
          `certified: ${how}, relative duality gap ${relativeGap.toPrecision(3)} after ${ipm.iterations} iterations${ipm.converged ? '' : ' (where the interior point stalled)'}`,
        )
      : ipm.failure === 'stalled'
        ? stalled(
            MEASURE,
            relativeGap,
            settings.tol,
            `the duality gap stopped shrinking (${STALL_ITERATIONS} iterations without halving it)${snapText}`,
          )
        : ipm.failure === 'lostInterior'
          ? stalled(
              MEASURE,
              relativeGap,
              settings.tol,
              `the interior point came within rounding of its bounds (the best iterate is returned)${snapText}`,
            )
          : outOfIterations(
              settings.maxIter,
              'iterations',
              MEASURE,
              relativeGap,
              settings.tol,
              snapText === '' ? undefined : snapText.slice(2),
            );
  // The residual at the kinks from the interior point's duals aᵢ (the loss's slope in r = y − f,
  // so the derivative in f is −aᵢ; those of the best iterate when the run stopped early),
  // unless the vertex check above already searched ∂F.
  const duals = ipm.x;
  const multiplier = lp.paired
    ? (i: number): number => duals[i] - duals[s.n + i]
    : (i: number): number => duals[i] + lp.lower[i];
  const optimality =
    vertexResidual ?? subgradientResidual(p, weights, intercept, undefined, (i) => -multiplier(i)).residual;
  return {
    weights,
    intercept,
    iterations: ipm.iterations,
    status: end.status,
    reason: end.reason,
    history: ipm.history,
    ...(unique === undefined ? {} : { unique }),
    optimality,
    dualityGap: (relativeGap * value) / s.yScale,
  };
}
