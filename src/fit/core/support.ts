/**
 * The conditions solvers put on a problem, each worded once. Every function returns why the
 * problem is out of reach, or null; `SolverEntry.unsupported` chains them.
 */
import type { Problem } from '../types';

/** Gradient-based solvers need a derivative. */
export function needsDifferentiable(p: Problem, solver: string): string | null {
  return p.loss.properties.differentiable
    ? null
    : `${p.loss.id} is not differentiable, which ${solver} needs (use dualCD, lp or subgradient)`;
}

/** Solvers that claim the global minimiser need a convex objective. */
export function needsConvex(p: Problem, solver: string): string | null {
  return p.loss.properties.convex
    ? null
    : `${p.loss.id} is not convex, so ${solver} could not certify a global minimiser`;
}

/** Solvers of smooth objectives cannot take the non-differentiable l1 penalty. */
export function needsNoL1(p: Problem, solver: string): string | null {
  return p.l1 === 0
    ? null
    : `the l1 penalty is not differentiable, which ${solver} needs (use proximal or coordinateDescent)`;
}

/** The first reason in the list, or null when every condition holds. */
export function firstReason(...reasons: Array<string | null>): string | null {
  for (const r of reasons) if (r !== null) return r;
  return null;
}
