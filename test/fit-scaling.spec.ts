/**
 * The front door's finiteness check of X also measures its largest entry (one pass for both),
 * and the column scaling of the fits (core/scaling.ts) reads that number instead of scanning X
 * again when no column is large.
 */
import { expect } from 'chai';
import { LossInputError } from '../src/errors';
import { fitLinear, losses } from '../src/index';
import { columnScales, LARGE_COLUMN } from '../src/fit/core/scaling';
import type { Matrix } from '../src/matrix';
import { checkMatrix } from '../src/validate';

function matrix(rows: number, cols: number, at: (i: number, j: number) => number): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = at(i, j);
  return { rows, cols, data };
}

describe('checkMatrix: finiteness and the largest entry in one pass', () => {
  it('returns max |x_ij|, as a plain reduction computes it', () => {
    const cases: Matrix[] = [
      matrix(7, 3, (i, j) => (i - 3) * (j + 1) * 0.37),
      matrix(1, 1, () => -0),
      matrix(2, 2, (i, j) => (i === 1 && j === 0 ? -1.7976931348623157e308 : 5e-324)),
      matrix(3, 5, (i, j) => ((i * 5 + j) % 4 === 0 ? -(2 ** 64) * 1.5 : Math.sin(i + j))),
    ];
    for (const M of cases) {
      const want = Array.from(M.data).reduce((m, v) => (Math.abs(v) > m ? Math.abs(v) : m), 0);
      expect(Object.is(checkMatrix(M), want), `${want}`).to.equal(true);
    }
  });

  it('names the first entry that is not finite, whichever kind comes first', () => {
    const first = (a: number, b: number): LossInputError => {
      const M = matrix(4, 3, () => 1);
      M.data[5] = a;
      M.data[9] = b;
      try {
        checkMatrix(M, 'X');
      } catch (e) {
        if (e instanceof LossInputError) return e;
        throw e;
      }
      throw new Error('no error');
    };
    for (const [a, b] of [
      [Infinity, NaN],
      [NaN, Infinity],
      [-Infinity, NaN],
      [NaN, -Infinity],
    ]) {
      const e = first(a, b);
      expect(e.argument).to.equal('X');
      expect(e.index).to.deep.equal([1, 2]);
      expect(Object.is(e.value, a), `${a} before ${b}`).to.equal(true);
    }
  });
});

describe('columnScales with the largest entry known', () => {
  const X = matrix(5, 2, (i, j) => (j === 1 ? 1e30 * (i + 1) : i));

  it('scans X when the largest entry is not given', () => {
    const c = columnScales(X);
    expect(c).to.not.equal(null);
    expect(c?.[0]).to.equal(1);
    expect(c?.[1]).to.be.below(1);
  });

  it('answers null from the largest entry alone when it is at most LARGE_COLUMN', () => {
    // X has a large column, so null can only come from not reading X.
    expect(columnScales(X, LARGE_COLUMN)).to.equal(null);
    expect(columnScales(X, 1)).to.equal(null);
    expect(columnScales(X, 1e30 * 5)).to.deep.equal(columnScales(X));
  });
});

describe("fitLinear: X's entries are checked once, by the front door or by the solver's first pass", () => {
  const make = (rows: number, cols: number): Matrix =>
    matrix(rows, cols, (i, j) => Math.sin(1 + i * cols + j) + (j === 0 ? i / rows : 0));
  const y = (rows: number): Float64Array => Float64Array.from({ length: rows }, (_, i) => Math.cos(i));

  it('dualCD, which looks at the size of the columns to decide whether it applies: the non-finite entry, not a large column', () => {
    // Its support test reads X; an Infinity there must be named as one, by the front door's error.
    const labels = Float64Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : -1));
    for (const solver of ['auto', 'dualCD'] as const) {
      for (const value of [Number.POSITIVE_INFINITY, Number.NaN]) {
        const X = make(40, 4);
        X.data[7 * 4 + 2] = value;
        let caught: unknown;
        try {
          fitLinear(X, labels, { loss: losses.hinge, l2: 0.1, solver });
        } catch (e) {
          caught = e;
        }
        expect(caught, `${solver}, ${value}`).to.be.instanceOf(LossInputError);
        const e = caught as LossInputError;
        expect(e.argument, `${solver}, ${value}`).to.equal('X');
        expect(e.index).to.deep.equal([7, 2]);
      }
    }
  });

  for (const rows of [40, 20_000]) {
    for (const solver of ['auto', 'leastSquares', 'lbfgs', 'coordinateDescent'] as const) {
      it(`${solver}, ${rows} rows: the first entry that is not finite, whichever method would run`, () => {
        for (const [at, value, later] of [
          [[rows - 1, 2], Number.NaN, null],
          [[3, 1], Number.POSITIVE_INFINITY, [rows - 2, 0]],
          [[0, 0], Number.NEGATIVE_INFINITY, [5, 3]],
        ] as const) {
          const X = make(rows, 4);
          X.data[at[0] * 4 + at[1]] = value;
          if (later !== null) X.data[later[0] * 4 + later[1]] = Number.NaN;
          let caught: unknown;
          try {
            fitLinear(X, y(rows), { loss: losses.l2, solver });
          } catch (e) {
            caught = e;
          }
          expect(caught, `${value} at ${at}`).to.be.instanceOf(LossInputError);
          const e = caught as LossInputError;
          expect(e.argument).to.equal('X');
          expect(e.index).to.deep.equal(at);
          expect(Object.is(e.value, value)).to.equal(true);
        }
      });
    }
  }
});
