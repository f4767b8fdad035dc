/**
 * Symbolic derivatives of a loss, by mathjs, piece by piece.
 *
 * mathjs differentiates sums, products, powers, exp, log, cosh, … but not `max`, `abs` or a
 * conditional, which the kinked losses need. Every loss therefore lists its smooth `pieces`
 * (a region and the formula that holds there); on each open region the formula is an
 * ordinary differentiable expression, and its derivative there is the loss's derivative.
 */
import { derivative, isConstantNode, isFunctionNode, isSymbolNode, parse, SymbolNode, type MathNode } from 'mathjs';
import { LossInputError } from '../errors';
import type { Loss } from '../losses/types';
import { checkLoss } from '../validate';

/**
 * One smooth piece of a loss with its first and second derivatives in f, as mathjs text and as
 * LaTeX. (Text, not mathjs expression trees: mathjs's type declarations are ES modules, which a
 * CommonJS package cannot name in its own declarations under node16 resolution.)
 */
export interface DerivedPiece {
  /** The region as mathjs source, e.g. `y * f < 1` (`true` for a loss of one piece). */
  where: string;
  /** The region in LaTeX; empty for a loss of one piece. */
  whereTex: string;
  /** The piece's formula, ∂ℓ/∂f and ∂²ℓ/∂f², as mathjs text. */
  formula: string;
  first: string;
  second: string;
  /** The same three in LaTeX. */
  formulaTex: string;
  firstTex: string;
  secondTex: string;
  holds(y: number, f: number): boolean;
  value(y: number, f: number): number;
  firstAt(y: number, f: number): number;
  secondAt(y: number, f: number): number;
}

export interface Derivation {
  loss: Loss;
  pieces: DerivedPiece[];
  /** ℓ, ∂ℓ/∂f and ∂²ℓ/∂f² in LaTeX, piecewise where the loss is (`\begin{cases}`). */
  tex: { value: string; first: string; second: string };
  /** The one piece whose region holds at (y, f); throws LossInputError when none or several do (a kink). */
  pieceAt(y: number, f: number): DerivedPiece;
}

/**
 * d/df of an expression with constant calls such as log(2) kept exact: mathjs folds constant
 * subexpressions into decimals while simplifying, so 1/ln 2 would come out as
 * 1.4426950408889634. Each constant call stands in as a placeholder symbol during the
 * differentiation and is put back after.
 */
function exactDerivative(expression: string | MathNode, variable = 'f'): MathNode {
  const held: MathNode[] = [];
  const tree = (typeof expression === 'string' ? parse(expression) : expression).transform((node: MathNode) => {
    if (isFunctionNode(node) && node.args.every((arg) => isConstantNode(arg))) {
      held.push(node);
      return new SymbolNode(`held${held.length - 1}`);
    }
    return node;
  });
  return derivative(tree, variable).transform((node: MathNode) =>
    isSymbolNode(node) && /^held\d+$/.test(node.name) ? held[Number(node.name.slice(4))] : node,
  );
}

const toNumber = (node: MathNode) => {
  const code = node.compile();
  return (y: number, f: number): number => Number(code.evaluate({ y, f }));
};

function casesTex(pieces: readonly DerivedPiece[], tex: (p: DerivedPiece) => string): string {
  if (pieces.length === 1 && pieces[0].whereTex === '') return tex(pieces[0]);
  return `\\begin{cases} ${pieces.map((p) => `${tex(p)} & ${p.whereTex}`).join(' \\\\ ')} \\end{cases}`;
}

const derivations = new WeakMap<Loss, Derivation>();

/**
 * The symbolic derivation of a loss: for each smooth piece, mathjs's first and second
 * derivative in f (with exact constants), as expression trees, as LaTeX and as functions.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * import { derive } from 'losslab/course';
 * const d = derive(losses.hinge);
 * d.pieces.length;                 // 2
 * d.pieceAt(1, 0.5).firstAt(1, 0.5); // -1
 * derive(losses.l2).pieces[0].first; // "-(2 * (y - f))"
 * ```
 */
export function derive(loss: Loss): Derivation {
  checkLoss(loss);
  const known = derivations.get(loss);
  if (known !== undefined) return known;
  const pieces = loss.pieces.map((piece): DerivedPiece => {
    const region = parse(piece.where).compile();
    const formula = parse(piece.expression);
    const first = exactDerivative(formula);
    const second = exactDerivative(first);
    return {
      where: piece.where,
      whereTex: piece.where === 'true' ? '' : parse(piece.where).toTex(),
      formula: formula.toString(),
      first: first.toString(),
      second: second.toString(),
      formulaTex: formula.toTex(),
      firstTex: first.toTex(),
      secondTex: second.toTex(),
      holds: (y, f) => region.evaluate({ y, f }) === true,
      value: toNumber(formula),
      firstAt: toNumber(first),
      secondAt: toNumber(second),
    };
  });
  const derivation: Derivation = {
    loss,
    pieces,
    tex: {
      value: casesTex(pieces, (p) => p.formulaTex),
      first: casesTex(pieces, (p) => p.firstTex),
      second: casesTex(pieces, (p) => p.secondTex),
    },
    pieceAt(y, f) {
      const holding = pieces.filter((p) => p.holds(y, f));
      if (holding.length !== 1) {
        throw new LossInputError({
          loss: loss.id,
          argument: '(y, f)',
          value: [y, f],
          problem:
            holding.length === 0
              ? 'lies in no piece of the loss'
              : `lies on the boundary of ${holding.length} pieces (a kink, where no derivative exists)`,
          domain: 'a point inside one smooth piece',
        });
      }
      return holding[0];
    },
  };
  derivations.set(loss, derivation);
  return derivation;
}
