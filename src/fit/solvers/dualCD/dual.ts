/**
 * The dual epoch of dualCD: for a fixed intercept b the SVM dual
 *   max D_b(α) = D(α) − b Σ αᵢ yᵢ,  D(α) = Σ αᵢ − ½‖Σ αᵢ yᵢ xᵢ‖² − (1/(4C)) Σ αᵢ²·[squared hinge],
 * over 0 ≤ αᵢ ≤ C (hinge; no upper bound for the squared hinge), maximised one αᵢ at a time
 * with w = Σ αᵢ yᵢ xᵢ kept up to date, in a seeded random order: Hsieh, Chang, Lin, Keerthi &
 * Sundararajan, "A dual coordinate descent method for large-scale linear SVM", ICML 2008
 * (Algorithm 1, without shrinking).
 */
import { dot } from '../../../linalg/dense';
import { createRng, type Rng } from '../../../random/rng';
import type { Problem } from '../../types';

export class SvmDual {
  /** C = 1/(n l2): the SVM's weight on the losses once F is divided by l2. */
  readonly C: number;
  /** The box of each αᵢ: C for hinge, none for the squared hinge. */
  readonly upper: number;
  /** 1/(2C) for the squared hinge (its dual's diagonal term), 0 for hinge. */
  readonly diag: number;
  /** The dual point α and its primal weights w(α) = Σ αᵢ yᵢ xᵢ, kept in step. */
  readonly alpha: Float64Array;
  readonly w: Float64Array;
  /** Qᵢᵢ = ‖xᵢ‖² + diag: the curvature of D_b along αᵢ. */
  private readonly qii: Float64Array;
  private readonly rng: Rng;
  private readonly order: Uint32Array;

  constructor(
    private readonly p: Problem,
    isHinge: boolean,
    seed: number,
  ) {
    const { n, d, X, l2 } = p;
    const data = X.data;
    this.C = 1 / (n * l2);
    this.upper = isHinge ? this.C : Infinity;
    this.diag = isHinge ? 0 : 1 / (2 * this.C);
    this.qii = new Float64Array(n);
    for (let i = 0, base = 0; i < n; i++, base += d) {
      let s = this.diag;
      for (let j = 0; j < d; j++) s += data[base + j] * data[base + j];
      this.qii[i] = s;
    }
    this.alpha = new Float64Array(n);
    this.w = new Float64Array(d);
    this.rng = createRng(seed);
    this.order = this.rng.permutation(n);
  }

  /** One pass of coordinate maximisation of D_b over every αᵢ, in a fresh random order. */
  epoch(b: number): void {
    const { n, d, X, y } = this.p;
    const data = X.data;
    const { alpha, w, qii, order, upper, diag } = this;
    this.rng.shuffle(order);
    for (let t = 0; t < n; t++) {
      const i = order[t];
      const yi = y[i];
      const base = i * d;
      let f = b;
      for (let j = 0; j < d; j++) f += data[base + j] * w[j];
      const a = alpha[i];
      const G = yi * f - 1 + diag * a;
      const PG = a === 0 ? Math.min(G, 0) : a === upper ? Math.max(G, 0) : G;
      if (PG === 0) continue;
      // A zero row (x_i = 0) leaves D_b linear in α_i: it goes to the bound G points to.
      const next = qii[i] === 0 ? (G < 0 ? upper : 0) : Math.min(Math.max(a - G / qii[i], 0), upper);
      const delta = (next - a) * yi;
      if (delta === 0) continue;
      alpha[i] = next;
      for (let j = 0; j < d; j++) w[j] += delta * data[base + j];
    }
  }

  /** l2 D(a) for dual variables a with w(a) = weights (the constraint Σ aᵢ yᵢ = 0 not included). */
  value(a: Float64Array, weights: Float64Array): number {
    const { n, d, l2 } = this.p;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      sum += a[i];
      sumSq += a[i] * a[i];
    }
    return l2 * (sum - 0.5 * dot(weights, weights, d) - 0.5 * this.diag * sumSq);
  }

  /** Σ aᵢ yᵢ: the slope in b of the minorant a gives, and the constraint a feasible dual point meets. */
  ySum(a: Float64Array): number {
    const { n, y } = this.p;
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i] * y[i];
    return s;
  }
}
