/**
 * The LP's arrays of length n and more (X̃, the bounds and costs, the interior point's vectors,
 * the crossover's scores), carved from memory kept from one fit to the next. A fit of 1e5 rows
 * asked for some 30 such arrays, ~30 MB, and first writes to fresh memory cost 20–50 ns per
 * number on the development machine: a tenth of the fit before it had started. Memory beyond
 * RETAIN_BYTES is left to the garbage collector after the fit, so a large fit holds nothing.
 */

const RETAIN_BYTES = 64 * 2 ** 20;
/** Numbers per chunk at least: 1 MiB, so that the many vectors of a small fit share a few chunks. */
const CHUNK = 2 ** 17;

/** Chunks of the last fit, while no fit uses them (a fit inside onIteration gets its own). */
let idle: Float64Array[] | null = null;

export class Arena {
  private chunk = 0;
  private used = 0;
  private released = false;

  private constructor(private readonly chunks: Float64Array[]) {}

  /** The memory of the last fit when it is free, else new memory. */
  static acquire(): Arena {
    const chunks = idle ?? [];
    idle = null;
    return new Arena(chunks);
  }

  /**
   * `length` zeros (as a new Float64Array would be): a view of a chunk, valid until `release`.
   * The same sequence of lengths as the last fit takes the same chunks.
   */
  take(length: number): Float64Array {
    while (this.chunk < this.chunks.length && this.chunks[this.chunk].length - this.used < length) {
      this.chunk++;
      this.used = 0;
    }
    if (this.chunk === this.chunks.length) this.chunks.push(new Float64Array(Math.max(length, CHUNK)));
    const a = this.chunks[this.chunk].subarray(this.used, this.used + length);
    this.used += length;
    return a.fill(0);
  }

  /** Ends the fit: no array taken may be used afterwards. */
  release(): void {
    if (this.released) return;
    this.released = true;
    let bytes = 0;
    for (const c of this.chunks) bytes += c.byteLength;
    if (bytes <= RETAIN_BYTES) idle = this.chunks;
  }
}
