/**
 * Every solver by name, and the order in which `solver: 'auto'` considers them: the first
 * that supports the problem and prefers it wins.
 */
import { coordinateDescentSolver } from './coordinateDescent';
import { dualCDSolver } from './dualCD/solve';
import { gdSolver } from './gd';
import { lbfgsSolver } from './lbfgs';
import { leastSquaresSolver } from './leastSquares';
import { lpSolver } from './lp/solve';
import { newtonSolver } from './newton';
import { proximalSolver } from './proximal';
import { sgdSolver } from './sgd';
import { subgradientSolver } from './subgradient';
import type { SolverEntry, SolverName } from '../types';

/**
 * A Map, not an object literal: a name the caller passes is looked up as data, so 'toString'
 * or '__proto__' finds nothing instead of a member of Object.prototype.
 */
export const solvers: ReadonlyMap<string, SolverEntry> = new Map<string, SolverEntry>(
  [
    leastSquaresSolver,
    lpSolver,
    lbfgsSolver,
    newtonSolver,
    dualCDSolver,
    gdSolver,
    sgdSolver,
    subgradientSolver,
    proximalSolver,
    coordinateDescentSolver,
  ].map((entry) => [entry.name, entry]),
);

export const AUTO_ORDER: readonly SolverName[] = [
  'leastSquares',
  'lp',
  'dualCD',
  'newton',
  'lbfgs',
  'coordinateDescent',
  'proximal',
  'subgradient',
];
