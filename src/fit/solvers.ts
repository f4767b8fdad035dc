/**
 * Every solver by name, and the order in which `solver: 'auto'` considers them: the first
 * that supports the problem and prefers it wins.
 */
import { coordinateDescentSolver } from './coordinateDescent';
import { dualCDSolver } from './dualCD';
import { gdSolver } from './gd';
import { lbfgsSolver } from './lbfgs';
import { leastSquaresSolver } from './leastSquares';
import { lpSolver } from './lp';
import { newtonSolver } from './newton';
import { proximalSolver } from './proximal';
import { sgdSolver } from './sgd';
import { subgradientSolver } from './subgradient';
import type { SolverEntry, SolverName } from './types';

export const solvers: Partial<Record<SolverName, SolverEntry>> = {
  leastSquares: leastSquaresSolver,
  lp: lpSolver,
  lbfgs: lbfgsSolver,
  newton: newtonSolver,
  dualCD: dualCDSolver,
  gd: gdSolver,
  sgd: sgdSolver,
  subgradient: subgradientSolver,
  proximal: proximalSolver,
  coordinateDescent: coordinateDescentSolver,
};

export const AUTO_ORDER: readonly SolverName[] = [
  'leastSquares', 'lp', 'dualCD', 'newton', 'lbfgs', 'coordinateDescent', 'proximal', 'subgradient',
];
