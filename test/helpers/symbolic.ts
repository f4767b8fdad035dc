/**
 * The symbolic side of a loss, through mathjs: its `expression`, and for each smooth piece
 * the region, the expression and mathjs's symbolic first and second derivatives in f.
 */
import { compile, derivative, type EvalFunction } from 'mathjs';
import type { Loss } from '../../src/index';

export interface CompiledPiece {
  where: string;
  expression: string;
  /** mathjs's symbolic ∂/∂f and ∂²/∂f² of the piece, as text (for messages). */
  firstText: string;
  secondText: string;
  holds(y: number, f: number): boolean;
  value(y: number, f: number): number;
  first(y: number, f: number): number;
  second(y: number, f: number): number;
}

export interface CompiledLoss {
  expression(y: number, f: number): number;
  pieces: CompiledPiece[];
  /** The one piece whose region holds at (y, f); throws when none or several do. */
  pieceAt(y: number, f: number): CompiledPiece;
}

const toNumber =
  (fn: EvalFunction) =>
  (y: number, f: number): number =>
    Number(fn.evaluate({ y, f }));

const cache = new Map<Loss, CompiledLoss>();

export function compileLoss(loss: Loss): CompiledLoss {
  let compiled = cache.get(loss);
  if (compiled !== undefined) return compiled;
  const pieces = loss.pieces.map((p): CompiledPiece => {
    const d1 = derivative(p.expression, 'f');
    const d2 = derivative(d1, 'f');
    const region = compile(p.where);
    return {
      where: p.where,
      expression: p.expression,
      firstText: d1.toString(),
      secondText: d2.toString(),
      holds: (y, f) => region.evaluate({ y, f }) === true,
      value: toNumber(compile(p.expression)),
      first: toNumber(d1.compile()),
      second: toNumber(d2.compile()),
    };
  });
  compiled = {
    expression: toNumber(compile(loss.expression)),
    pieces,
    pieceAt(y, f) {
      const holding = pieces.filter((p) => p.holds(y, f));
      if (holding.length !== 1) {
        throw new Error(
          `${loss.id}: ${holding.length} pieces hold at (y, f) = (${y}, ${f}): ${holding.map((p) => p.where).join(' | ') || 'none'}`,
        );
      }
      return holding[0];
    },
  };
  cache.set(loss, compiled);
  return compiled;
}
