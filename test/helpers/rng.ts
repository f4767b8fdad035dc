/**
 * Seeded randomness for the suites, so a failure reproduces: mulberry32 (Tommy Ettinger's
 * 32-bit generator), plus samplers for the points a loss accepts.
 */
import type { Loss } from '../../src/index';
import { axisValue } from './losses';

export type Rng = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();

/** A target in the loss's domain: ±1, hard 0/1 or soft t in (0, 1), or a real in [-scale, scale]. */
export function sampleTarget(loss: Loss, rng: Rng, scale = 5): number {
  switch (loss.target) {
    case 'sign':
      return rng() < 0.5 ? -1 : 1;
    case 'binary':
      return rng() < 0.5 ? (rng() < 0.5 ? 0 : 1) : uniform(rng, 0.01, 0.99);
    case 'real':
      return uniform(rng, -scale, scale);
  }
}

/** A prediction in the loss's domain: p in [0.02, 0.98], or a real score in [-scale, scale]. */
export function samplePrediction(loss: Loss, rng: Rng, scale = 6): number {
  return loss.prediction === 'probability' ? uniform(rng, 0.02, 0.98) : uniform(rng, -scale, scale);
}

/** Every point on the loss's axis where it or its derivative is not smooth. */
export function breakpoints(loss: Loss): number[] {
  return [...loss.properties.kinks, ...loss.properties.curvatureJumps];
}

/**
 * `count` admissible points (y, f) whose axis value stays at least `gap` away from every kink
 * and curvature jump, so that derivatives and finite differences are taken on one smooth piece.
 */
export function smoothPoints(loss: Loss, rng: Rng, count: number, gap = 1e-3): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  const stops = breakpoints(loss);
  while (points.length < count) {
    const y = sampleTarget(loss, rng);
    const f = samplePrediction(loss, rng);
    const a = axisValue(loss, y, f);
    if (stops.every((k) => Math.abs(a - k) > gap)) points.push([y, f]);
  }
  return points;
}

/** A number of either sign whose magnitude is log-uniform in [10^lo, 10^hi]. */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return (rng() < 0.5 ? -1 : 1) * 10 ** uniform(rng, lo, hi);
}

/**
 * An admissible point over many orders of magnitude: scores and real targets with
 * |x| in [1e-3, 1e3], probabilities anywhere in (0, 1) including within 1e-12 of either end.
 */
export function widePoint(loss: Loss, rng: Rng): [number, number] {
  const y = loss.target === 'real' ? logUniform(rng, -3, 3) : sampleTarget(loss, rng);
  let f: number;
  if (loss.prediction === 'probability') {
    const u = rng();
    const tail = 10 ** uniform(rng, -12, -0.5);
    f = u < 0.3 ? tail : u < 0.6 ? 1 - tail : uniform(rng, 0.001, 0.999);
  } else {
    f = logUniform(rng, -3, 3);
  }
  return [y, f];
}
