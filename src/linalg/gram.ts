/**
 * The weighted cross-product of the interior-point method's normal equations and of Newton's
 * Hessian, Aᵀ diag(θ) A, a block of rows at a time: each block's entries are summed from zero
 * (in the kernels of ./kernels.ts, WebAssembly SIMD when there is one: the block and its
 * weights are copied into its memory) and added to the total in block order, so both backends
 * give the same bits. Measured for n = 1e5, p = 51: ~18 ms in WebAssembly against ~75 ms for
 * the JavaScript loop four rows at a time that was here before (the JavaScript twin, which sums
 * in the kernels' order, ~100 ms).
 */
import { jsKernels } from './kernels';
import { kernelBackend, workspace } from './wasm';

/** Rows per block: fixed, so the grouping of the sums does not depend on the backend. */
export const GRAM_BLOCK_ROWS = 512;

/** The running total of the JavaScript path, kept between calls (nothing here re-enters). */
let total = new Float64Array(0);

/** Lower triangle of M = Aᵀ diag(θ) A (row-major p × p; the strict upper part is not touched). */
export function weightedGram(A: Float64Array, n: number, p: number, theta: Float64Array, M: Float64Array): void {
  const ws =
    kernelBackend() === 'wasm'
      ? workspace([GRAM_BLOCK_ROWS * p, GRAM_BLOCK_ROWS, (GRAM_BLOCK_ROWS + 4) * p, p * p])
      : null;
  let C: Float64Array;
  if (ws === null || ws.kernels.name === 'js') {
    if (total.length < p * p) total = new Float64Array(p * p);
    C = total;
    C.fill(0, 0, p * p);
    for (let start = 0; start < n; start += GRAM_BLOCK_ROWS) {
      const rows = Math.min(GRAM_BLOCK_ROWS, n - start);
      jsKernels.weightedGram(
        A.subarray(start * p, (start + rows) * p),
        rows,
        p,
        theta.subarray(start, start + rows),
        C, // the JavaScript kernel needs no scratch
        C,
      );
    }
  } else {
    const [block, weights, scratch, sum] = ws.arrays;
    C = sum;
    C.fill(0);
    for (let start = 0; start < n; start += GRAM_BLOCK_ROWS) {
      const rows = Math.min(GRAM_BLOCK_ROWS, n - start);
      block.set(A.subarray(start * p, (start + rows) * p));
      weights.set(theta.subarray(start, start + rows));
      ws.kernels.weightedGram(block, rows, p, weights, scratch, C);
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) M[j * p + k] = C[j * p + k];
  ws?.release();
}
