/**
 * Every solver by name, and the order in which `solver: 'auto'` considers them: the first
 * that supports the problem and prefers it wins.
 */
import type { SolverEntry, SolverName } from './types';

export const solvers: Partial<Record<SolverName, SolverEntry>> = {};

export const AUTO_ORDER: readonly SolverName[] = [
  'leastSquares', 'lp', 'dualCD', 'newton', 'lbfgs', 'coordinateDescent', 'proximal', 'subgradient',
];
