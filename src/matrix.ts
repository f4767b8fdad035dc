/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Either a dense `Matrix` or an array of equally long rows. */
export type MatrixLike = Matrix | ReadonlyArray<ArrayLike<number>>;

export function isMatrix(x: unknown): x is Matrix {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    typeof (x as Matrix).rows === 'number' &&
    typeof (x as Matrix).cols === 'number' &&
    (x as Matrix).data instanceof Float64Array
  );
}
