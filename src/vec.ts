/** Numbers in any array-like container: `number[]`, `Float64Array`, `Float32Array`, ... */
export type Vec = ArrayLike<number>;
