/**
 * Chapter 10's computations: softmax cross-entropy for K classes and the multinomial logistic
 * regression `fitSoftmaxRegression`; then what changes when the score is not linear in the
 * parameters: the one-hidden-unit network f(x) = v·tanh(u·x), whose cross-entropy risk has two
 * mirror-image minima and a chord above it between them, and stochastic gradient descent on
 * cross-entropy for a linear model and for that network.
 */
import { makeClassification } from '../../data/generators';
import { createRng } from '../../random/rng';
import { LossInputError, readGuarded } from '../../errors';
import { readResult } from '../arguments';
import { fitLinear } from '../../fit/fitLinear';
import { fitSoftmaxRegression } from '../../fit/softmaxRegression';
import { losses } from '../../losses/registry';
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyGradient } from '../../losses/softmax';
import { sigmoid } from '../../losses/stable';
import type { Matrix } from '../../matrix';
import { builtFigure, type Figure, type Trace } from '../../plot/figure';
import { axis, baseConfig, baseLayout } from '../../plot/layout';
import { sweep } from '../../plot/sweep';
import { risk } from '../../risk';
import { checkNumbers, materialise, type NumberArray } from '../../validate';
import { derive } from '../derive';
import type { Experiment, ExperimentResult } from '../experiment';
import { exactly, mean, meanInterval, normalCdf, normalPdf, quantile, type Interval } from '../stats';
import { measured } from '../verdict';

const CHAPTER = '10-multiclass-and-networks.ipynb';
const EPS = Number.EPSILON;
const ce = losses.crossEntropyWithLogits;

// ---------------------------------------------------------------------------------------------
// §1–3: softmax cross-entropy and multinomial logistic regression

export interface SoftmaxChecks extends ExperimentResult {
  /** Largest |softmaxCrossEntropy([0, z]) − crossEntropyWithLogits(t, z)| over the grid, in rounding units. */
  binaryIdentityGap: number;
  /** Largest |analytic − central-difference gradient| / its error bound, over 200 random rows of K = 4 logits. */
  gradientGap: number;
  /** The three-class fit of §2 and its data. */
  threeClass: {
    X: Matrix;
    y: Int32Array;
    fit: ReturnType<typeof fitSoftmaxRegression>;
    testAccuracy: number;
    bayesAccuracy: number;
  };
  /** §3, per data set and penalty: the largest |P(class 1) − σ(binary score)| and the bound it must stay under. */
  binaryAgreement: Array<{ seed: number; l2: number; largestGap: number; iterations: number; status: string }>;
}

/** Three Gaussian classes in the plane, centres on a circle of radius `radius`, identity covariance. */
export function threeClasses(n: number, seed: number, radius = 1.5): { X: Matrix; y: Int32Array } {
  if (!Number.isInteger(n) || n < 3 || n > 1e6)
    throw new LossInputError({
      argument: 'n',
      value: n,
      problem: 'is not a sample size of at least 3',
      domain: 'an integer in [3, 1e6]',
    });
  // createRng refuses a seed that is no safe integer, naming it, as the check here did.
  const rng = createRng(seed);
  if (typeof radius !== 'number' || !(radius > 0 && Number.isFinite(radius)))
    throw new LossInputError({
      argument: 'radius',
      value: radius,
      problem: 'is not a positive number',
      domain: 'a finite number > 0',
    });
  const data = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.integer(3);
    const angle = (2 * Math.PI * k) / 3;
    y[i] = k;
    data[2 * i] = radius * Math.cos(angle) + rng.normal();
    data[2 * i + 1] = radius * Math.sin(angle) + rng.normal();
  }
  return { X: { rows: n, cols: 2, data }, y };
}

/**
 * The accuracy of the Bayes rule of `threeClasses` (equal priors and covariances: the nearest
 * centre). A point of class 0, Z ~ N((r, 0), I), is classified right inside the 120° sector
 * |angle| < 60°, the intersection of the half-planes n₁·z > 0 and n₂·z > 0 with
 * n₁,₂ = (√3, ∓1)/2. The projections nᵢ·Z are N(√3 r/2, 1) with correlation n₁·n₂ = ½, so the
 * accuracy is Φ₂(μ, μ; ½) with μ = √3 r/2 = ∫_{−∞}^{μ} φ(a) Φ((μ − a/2)/√(3/4)) da, by Simpson's
 * rule on [μ − 12, μ] (the tail below is under φ(12) ≈ 1e-32).
 */
export function threeClassBayesAccuracy(radius: number): number {
  if (typeof radius !== 'number' || !(radius > 0 && Number.isFinite(radius)))
    throw new LossInputError({
      argument: 'radius',
      value: radius,
      problem: 'is not a positive number',
      domain: 'a finite number > 0',
    });
  const mu = (Math.sqrt(3) * radius) / 2;
  const steps = 2000;
  const h = 12 / steps;
  const g = (a: number) => normalPdf(a) * normalCdf((mu - a / 2) / Math.sqrt(0.75));
  let s = g(mu - 12) + g(mu);
  for (let k = 1; k < steps; k++) s += (k % 2 === 1 ? 4 : 2) * g(mu - 12 + k * h);
  return (s * h) / 3;
}

export const networksSoftmax: Experiment<SoftmaxChecks> = {
  id: 'networks-softmax',
  title: 'Softmax cross-entropy and multinomial logistic regression',
  design:
    'K = 2 identity: softmaxCrossEntropy of the logits [0, z] against crossEntropyWithLogits(t, z) for t ∈ {0, ¼, ½, ¾, 1}, z on [−30, 30] by 0.05. ' +
    'Gradient: softmaxCrossEntropyGradient against central differences on 200 seeded rows of K = 4 logits in [−5, 5] (seed 1000). ' +
    'Three classes: 600 training and 20 000 test points from three Gaussian classes (seed 10, 11); fitSoftmaxRegression with l2 = 0. ' +
    'K = 2 agreement: 20 seeded data sets (seeds 20–39) of 200 points, fitSoftmaxRegression(l2) against fitLinear with crossEntropyWithLogits and l2/2, for l2 = 0 and 0.1.',
  evidence: { chapter: CHAPTER, heading: '1. Softmax cross-entropy for K classes' },
  run() {
    let binaryIdentityGap = 0;
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      for (let k = 0; k <= 1200; k++) {
        const z = -30 + 0.05 * k;
        const multi = softmaxCrossEntropy([[1 - t, t]], [[0, z]]);
        const binary = ce.value(t, z);
        // Both evaluate ln(1 + e^{±z}) terms stably; each is within a few ε of itself relative
        // to the size of its terms, t|z| + log1p(e^{−|z|}) at most.
        const unit = 8 * EPS * (Math.abs(z) + Math.LN2 + Math.abs(binary));
        binaryIdentityGap = Math.max(binaryIdentityGap, Math.abs(multi - binary) / unit);
      }
    }
    const rng = createRng(1000);
    let gradientGap = 0;
    for (let r = 0; r < 200; r++) {
      const z = Array.from({ length: 4 }, () => rng.uniform(-5, 5));
      const label = rng.integer(4);
      const g = softmaxCrossEntropyGradient([label], [z]);
      for (let k = 0; k < 4; k++) {
        const h = 1e-5;
        const up = z.slice();
        const down = z.slice();
        up[k] += h;
        down[k] -= h;
        const difference = (softmaxCrossEntropy([label], [up]) - softmaxCrossEntropy([label], [down])) / (2 * h);
        // Central differences: truncation h²/6 · max|∂³ℓ| ≤ h²/6 (the third derivative of
        // logsumexp along a coordinate is p(1−p)(1−2p), below ¼), plus rounding 2 · 4ε(|ℓ| + 5)/(2h).
        const bound = (h * h) / 6 + (8 * EPS * (softmaxCrossEntropy([label], [z]) + 5)) / (2 * h);
        gradientGap = Math.max(gradientGap, Math.abs(g[k] - difference) / bound);
      }
    }
    const train = threeClasses(600, 10);
    const test = threeClasses(20_000, 11);
    const fit = fitSoftmaxRegression(train.X, train.y);
    const predicted = fit.predict(test.X);
    let right = 0;
    for (let i = 0; i < test.y.length; i++) if (predicted[i] === test.y[i]) right++;
    const binaryAgreement: SoftmaxChecks['binaryAgreement'] = [];
    for (let seed = 20; seed < 40; seed++) {
      const data = makeClassification({ n: 200, seed, separation: 2, labels: 'binary' });
      for (const l2 of [0, 0.1]) {
        const multi = fitSoftmaxRegression(data.X, data.y, { l2 });
        const binary = fitLinear(data.X, data.y, { loss: ce, l2: l2 / 2 });
        const P = multi.probabilities(data.X).data;
        const f = binary.predict(data.X);
        let largestGap = 0;
        for (let i = 0; i < data.X.rows; i++) largestGap = Math.max(largestGap, Math.abs(P[2 * i + 1] - sigmoid(f[i])));
        binaryAgreement.push({ seed, l2, largestGap, iterations: multi.iterations, status: multi.status });
      }
    }
    return {
      measurements: {},
      binaryIdentityGap,
      gradientGap,
      threeClass: {
        X: train.X,
        y: train.y,
        fit,
        testAccuracy: right / test.y.length,
        bayesAccuracy: threeClassBayesAccuracy(1.5),
      },
      binaryAgreement,
    };
  },
};

/** Softmax probabilities of the logits [z₀, z₁, z₂] as z₀ moves, for the chart of §1. */
export function softmaxFigure(others: readonly [number, number] = [0, 1]): Figure {
  // Each logit read once, under the guard: a getter or Proxy could give another value on a
  // second read, or throw, which is then a LossInputError naming `others`.
  const [z1, z2] = readGuarded(
    'others',
    (): unknown[] => (Array.isArray(others) && others.length === 2 ? [others[0], others[1]] : []),
    '[z₁, z₂]',
  );
  if (typeof z1 !== 'number' || typeof z2 !== 'number' || !Number.isFinite(z1) || !Number.isFinite(z2)) {
    throw new LossInputError({
      argument: 'others',
      value: others,
      problem: 'is not two finite logits',
      domain: '[z₁, z₂]',
    });
  }
  const zs = Array.from({ length: 161 }, (_, k) => -8 + 0.1 * k);
  const P = softmax(zs.map((z) => [z, z1, z2]));
  const series = [0, 1, 2].map((k) => ({
    label: `class ${k}: softmax(z)_${k}`,
    x: zs,
    mean: zs.map((_, i) => P[3 * i + k]),
  }));
  return sweep(series, {
    xTitle: 'logit z₀ of class 0',
    yTitle: 'probability',
    title: `Softmax of (z₀, ${z1}, ${z2}): raising one logit takes probability from the others`,
  });
}

const CLASS_COLOURS = ['#1f77b4', '#d62728', '#2ca02c'];

/** The three-class fit of §2: its predicted class over the plane, and the training points. */
export function classRegionsFigure(given: SoftmaxChecks): Figure {
  const result = readResult('result', given, 'networksSoftmax', (r) => typeof r.threeClass === 'object');
  const { X, y, fit } = result.threeClass;
  const grid = Array.from({ length: 121 }, (_, k) => -5 + k / 12);
  const rows = grid.flatMap((b) => grid.map((a) => [a, b]));
  const P = fit.probabilities(rows).data;
  const top = grid.map((_, j) =>
    grid.map((_, i) => {
      const r = j * grid.length + i;
      return Math.max(P[3 * r], P[3 * r + 1], P[3 * r + 2]);
    }),
  );
  const classOf = fit.predict(rows);
  const data: Trace[] = [
    {
      type: 'heatmap',
      x: grid,
      y: grid,
      z: grid.map((_, j) => grid.map((_, i) => classOf[j * grid.length + i])),
      colorscale: [
        [0, '#c6dbef'],
        [0.5, '#fcbba1'],
        [1, '#c7e9c0'],
      ],
      showscale: false,
      hoverinfo: 'skip',
      zmin: 0,
      zmax: 2,
    },
    {
      type: 'contour',
      x: grid,
      y: grid,
      z: top,
      showscale: true,
      contours: { coloring: 'none', showlabels: true, start: 0.4, end: 0.9, size: 0.1 },
      line: { color: '#555555', width: 1 },
      colorbar: { title: { text: 'largest probability' } },
      name: 'largest class probability',
      hovertemplate: 'x₁ = %{x:.2f}<br>x₂ = %{y:.2f}<br>max p = %{z:.3f}<extra></extra>',
    },
  ];
  for (let k = 0; k < 3; k++) {
    const idx = Array.from(y.keys()).filter((i) => y[i] === k);
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `class ${k}`,
      x: idx.map((i) => X.data[2 * i]),
      y: idx.map((i) => X.data[2 * i + 1]),
      marker: { color: CLASS_COLOURS[k], size: 5, line: { color: '#ffffff', width: 0.5 } },
    });
  }
  const layout = baseLayout('Three classes: predicted class (shading) and largest probability (contours)');
  layout.height = 560;
  layout.xaxis = axis('x₁', { range: [-5, 5], constrain: 'domain' });
  layout.yaxis = axis('x₂', { range: [-5, 5], scaleanchor: 'x', scaleratio: 1, constrain: 'domain' });
  return builtFigure(data, layout, baseConfig());
}

// ---------------------------------------------------------------------------------------------
// §4: the one-hidden-unit network f(x) = v·tanh(u·x)

/** The data of §4–5: x ~ N(0, 1), labels t ∈ {0, 1} with P(t = 1 | x) = σ(3·tanh(2x)), the network's own form. */
export interface NetworkData {
  x: Float64Array;
  t: Float64Array;
}

export const NETWORK_TRUTH = { u: 2, v: 3 } as const;

export function networkData(n: number, seed: number): NetworkData {
  if (!Number.isInteger(n) || n < 2 || n > 1e6)
    throw new LossInputError({
      argument: 'n',
      value: n,
      problem: 'is not a sample size of at least 2',
      domain: 'an integer in [2, 1e6]',
    });
  // createRng refuses a seed that is no safe integer, naming it, as the check here did.
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.normal();
    t[i] = rng.bernoulli(sigmoid(NETWORK_TRUTH.v * Math.tanh(NETWORK_TRUTH.u * x[i])));
  }
  return { x, t };
}

/**
 * The data as arrays the computation can read without running the caller's code, each field
 * and entry read once and checked (a Proxy around a Float64Array throws on its length and a
 * getter can change between reads).
 */
/** Read under the guard: a getter or Proxy trap of `data` that throws is a LossInputError naming it. */
function readNetworkData(data: NetworkData): NetworkData {
  return readGuarded('data', () => copyNetworkData(data), 'networkData(n, seed)');
}

function copyNetworkData(data: NetworkData): NetworkData {
  if (typeof data !== 'object' || data === null) {
    throw new LossInputError({
      argument: 'data',
      value: data,
      problem: 'is not network data',
      domain: 'networkData(n, seed)',
    });
  }
  const { x: rawX, t: rawT } = data;
  const x = materialise(undefined, 'data.x', rawX, 'real');
  const t = materialise(undefined, 'data.t', rawT, ce.target);
  checkNumbers(undefined, 'data.x', x, 'real');
  checkNumbers(undefined, 'data.t', t, ce.target);
  if (x.length !== t.length || x.length < 2) {
    throw new LossInputError({
      argument: 'data',
      value: data,
      problem: `has ${x.length} inputs and ${t.length} labels`,
      domain: 'networkData(n, seed): as many labels as inputs, at least 2',
    });
  }
  return { x: asFloat64(x), t: asFloat64(t) };
}

function asFloat64(a: NumberArray): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

function checkParameter(argument: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new LossInputError({ argument, value: v, problem: 'is not a finite number', domain: 'a finite number' });
  return v;
}

/** R(u, v) = (1/n) Σ CE(tᵢ, v·tanh(u·xᵢ)), the cross-entropy on the logit (crossEntropyWithLogits). */
export function networkRisk(data: NetworkData, u: number, v: number): number {
  const net = readNetworkData(data);
  checkParameter('u', u);
  checkParameter('v', v);
  return riskOf(net, u, v, new Float64Array(net.x.length));
}

function riskOf(data: NetworkData, u: number, v: number, f: Float64Array): number {
  for (let i = 0; i < f.length; i++) f[i] = v * Math.tanh(u * data.x[i]);
  return risk(ce, data.t, f);
}

/**
 * A bound on the rounding error of `networkRisk`: each score v·tanh(u x) is within 3ε|v| of
 * itself (tanh, two products), CE has slope at most 1 in the score and is itself within 4ε
 * of its value, and the compensated mean adds ε: 4ε (R + |v|) + ε R, taken as 8ε (R + |v|).
 */
function riskRounding(r: number, v: number): number {
  return 8 * EPS * (r + Math.abs(v));
}

/** ∇R(u, v) and the Hessian of R, full batch (for polishing a minimum by Newton's method). */
function networkDerivatives(
  data: NetworkData,
  u: number,
  v: number,
): { gu: number; gv: number; huu: number; huv: number; hvv: number } {
  const n = data.x.length;
  let gu = 0;
  let gv = 0;
  let huu = 0;
  let huv = 0;
  let hvv = 0;
  for (let i = 0; i < n; i++) {
    const x = data.x[i];
    const h = Math.tanh(u * x);
    const s = 1 - h * h;
    const f = v * h;
    const r = sigmoid(f) - data.t[i];
    const c = sigmoid(f) * (1 - sigmoid(f));
    const fu = v * x * s;
    const fv = h;
    gu += r * fu;
    gv += r * fv;
    huu += c * fu * fu + r * v * x * x * (-2 * h * s);
    huv += c * fu * fv + r * x * s;
    hvv += c * fv * fv;
  }
  return { gu: gu / n, gv: gv / n, huu: huu / n, huv: huv / n, hvv: hvv / n };
}

/**
 * Newton's method on R(u, v) from (u, v) with the Hessian's eigenvalues replaced by their
 * absolute values (at least 1e-6), so that a direction of negative curvature is followed
 * downhill instead of uphill (the "saddle-free" Newton step of Dauphin et al., NeurIPS 2014),
 * steps capped at 1 per weight and backtracking; at most 500 iterations, stopping when the
 * gradient's largest entry is below 1e-12.
 */
export function polishNetworkMinimum(
  data: NetworkData,
  u: number,
  v: number,
): { u: number; v: number; risk: number; gradient: number } {
  const net = readNetworkData(data);
  let [a, b] = [checkParameter('u', u), checkParameter('v', v)];
  const f = new Float64Array(net.x.length);
  let value = riskOf(net, a, b, f);
  let gradient = Infinity;
  for (let k = 0; k < 500; k++) {
    const d = networkDerivatives(net, a, b);
    gradient = Math.max(Math.abs(d.gu), Math.abs(d.gv));
    if (gradient < 1e-12) break;
    // Eigen-decomposition of the symmetric 2 × 2 Hessian: eigenvalues m ± r, first eigenvector at angle φ.
    const m = (d.huu + d.hvv) / 2;
    const r = Math.hypot((d.huu - d.hvv) / 2, d.huv);
    const phi = 0.5 * Math.atan2(2 * d.huv, d.huu - d.hvv);
    const [c, sn] = [Math.cos(phi), Math.sin(phi)];
    const along1 = (c * d.gu + sn * d.gv) / Math.max(Math.abs(m + r), 1e-6);
    const along2 = (-sn * d.gu + c * d.gv) / Math.max(Math.abs(m - r), 1e-6);
    let [du, dv] = [-(c * along1 - sn * along2), -(sn * along1 + c * along2)];
    // A step of at most 1 per weight: a Newton step from a flat region could otherwise jump out to the saturated plateau.
    const longest = Math.max(Math.abs(du), Math.abs(dv));
    if (longest > 1) [du, dv] = [du / longest, dv / longest];
    let accepted = false;
    for (let h = 0; h < 60; h++, du /= 2, dv /= 2) {
      const trial = riskOf(net, a + du, b + dv, f);
      if (trial <= value) {
        [a, b, value] = [a + du, b + dv, trial];
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  return { u: a, v: b, risk: value, gradient };
}

export interface NetworkConvexity extends ExperimentResult {
  /** The smallest second derivative of CE found on each grid, with the grid's extent. */
  secondDerivative: { probability: Interval; score: Interval; scoreRange: number };
  /** R at (2, 3), (−2, −3) and (0, 0): the pair the first edition compared. */
  classic: { plus: number; minus: number; origin: number };
  /** The loss surface over (u, v). */
  surface: { us: number[]; vs: number[]; risk: number[][] };
  /** The distinct minima Newton's method reached from the 24 starts (gradient below 1e-9), with how many starts reached each. */
  minima: Array<{ u: number; v: number; risk: number; gradient: number; starts: number }>;
  /** The starts that had not reached a gradient below 1e-9 after 500 iterations: where they stopped. */
  unfinished: Array<{ u: number; v: number; risk: number; gradient: number }>;
  /** R along the segment from the minimum with u > 0 to its mirror image, and the chord between them. */
  segment: { lambda: number[]; risk: number[]; chord: number[] };
  /** Over 2000 random pairs in the box: the share whose midpoint lies above the chord, and the largest violation in rounding units. */
  pairs: {
    count: number;
    violating: number;
    largest: number;
    largestAt: { a: [number, number]; b: [number, number]; lambda: number };
  };
}

const NETWORK_N = 200;
const NETWORK_SEED = 7;
const U_RANGE = 4;
const V_RANGE = 6;

export const networksConvexity: Experiment<NetworkConvexity> = {
  id: 'networks-convexity',
  title: 'Convexity of cross-entropy: in the score, and in a one-unit network',
  design:
    "Second derivatives: mathjs's symbolic ∂²/∂p² of crossEntropy on p ∈ [0.001, 0.999] by 0.001 and ∂²/∂f² of crossEntropyWithLogits on f ∈ [−20, 20] by 0.01, " +
    't ∈ {0, ¼, ½, ¾, 1}, each value with its rounding bound (the score formula cancels for f > 0: relative error 8ε(e^f + 1)). ' +
    `Network: f(x) = v·tanh(u·x) on ${NETWORK_N} points x ~ N(0, 1) with P(t = 1 | x) = σ(3 tanh 2x) (seed ${NETWORK_SEED}); the risk R(u, v) = mean crossEntropyWithLogits. ` +
    `Surface on a 121 × 121 grid of [−${U_RANGE}, ${U_RANGE}] × [−${V_RANGE}, ${V_RANGE}]; minima by Newton's method from 24 seeded starts (seed 70); ` +
    'the chord test R(λa + (1−λ)b) ≤ λR(a) + (1−λ)R(b) on 2000 seeded random pairs (a, b) in the box and λ uniform (seed 71), violations in units of the rounding bound 8ε(R + |v|) of the three risks.',
  evidence: { chapter: CHAPTER, heading: '4. A network with one hidden unit is not convex' },
  run() {
    const ts = [0, 0.25, 0.5, 0.75, 1];
    const inProbability = derive(losses.crossEntropy).pieces[0];
    const inScore = derive(ce).pieces[0];
    let pLow = Infinity;
    let pHigh = Infinity;
    let pEstimate = Infinity;
    for (const t of ts) {
      for (let k = 1; k < 1000; k++) {
        const value = inProbability.secondAt(t, k / 1000);
        // Two divisions, two squares and a sum of positive terms: within 6ε of itself.
        pLow = Math.min(pLow, value * (1 - 6 * EPS));
        pHigh = Math.min(pHigh, value * (1 + 6 * EPS));
        pEstimate = Math.min(pEstimate, value);
      }
    }
    let sLow = Infinity;
    let sHigh = Infinity;
    let sEstimate = Infinity;
    for (const t of ts) {
      for (let k = 0; k <= 4000; k++) {
        const f = -20 + 0.01 * k;
        const value = inScore.secondAt(t, f);
        // (e^f − e^{2f}/(e^f + 1))/(e^f + 1): the subtraction loses e^f/(its result) digits for f > 0.
        const relative = 8 * EPS * (Math.exp(Math.max(f, 0)) + 1);
        sLow = Math.min(sLow, value * (1 - relative));
        sHigh = Math.min(sHigh, value * (1 + relative));
        sEstimate = Math.min(sEstimate, value);
      }
    }
    const probability: Interval = {
      estimate: pEstimate,
      lower: pLow,
      upper: pHigh,
      level: 1,
      method: 'smallest on the grid, with rounding bounds',
    };
    const score: Interval = {
      estimate: sEstimate,
      lower: sLow,
      upper: sHigh,
      level: 1,
      method: 'smallest on the grid, with rounding bounds',
    };
    const smaller = score.estimate < probability.estimate ? score : probability;

    const data = networkData(NETWORK_N, NETWORK_SEED);
    const scratch = new Float64Array(NETWORK_N);
    const R = (u: number, v: number) => riskOf(data, u, v, scratch);
    const us = Array.from({ length: 121 }, (_, k) => -U_RANGE + (2 * U_RANGE * k) / 120);
    const vs = Array.from({ length: 121 }, (_, k) => -V_RANGE + (2 * V_RANGE * k) / 120);
    const surface = { us, vs, risk: vs.map((v) => us.map((u) => R(u, v))) };

    const startRng = createRng(70);
    const found: NetworkConvexity['minima'] = [];
    const unfinished: NetworkConvexity['unfinished'] = [];
    for (let s = 0; s < 24; s++) {
      const m = polishNetworkMinimum(data, startRng.uniform(-U_RANGE, U_RANGE), startRng.uniform(-V_RANGE, V_RANGE));
      if (!(m.gradient < 1e-9)) {
        unfinished.push(m);
        continue;
      }
      const same = found.find((q) => Math.hypot(q.u - m.u, q.v - m.v) < 1e-6);
      if (same !== undefined) same.starts++;
      else found.push({ ...m, starts: 1 });
    }
    found.sort((a, b) => a.risk - b.risk || b.u - a.u);
    const plus = found.find((m) => m.u > 0);
    if (plus === undefined)
      throw new LossInputError({
        argument: 'starts',
        problem: 'reached no minimum with u > 0',
        domain: 'starts that reach the minima',
      });
    const lambda = Array.from({ length: 101 }, (_, k) => k / 100);
    const segment = {
      lambda,
      risk: lambda.map((l) => R((1 - l) * plus.u - l * plus.u, (1 - l) * plus.v - l * plus.v)),
      chord: lambda.map((l) => (1 - l) * R(plus.u, plus.v) + l * R(-plus.u, -plus.v)),
    };

    const pairRng = createRng(71);
    let violating = 0;
    let largest = -Infinity;
    let largestAt: NetworkConvexity['pairs']['largestAt'] = { a: [0, 0], b: [0, 0], lambda: 0 };
    const count = 2000;
    for (let k = 0; k < count; k++) {
      const a: [number, number] = [pairRng.uniform(-U_RANGE, U_RANGE), pairRng.uniform(-V_RANGE, V_RANGE)];
      const b: [number, number] = [pairRng.uniform(-U_RANGE, U_RANGE), pairRng.uniform(-V_RANGE, V_RANGE)];
      const l = pairRng.uniform();
      const mid: [number, number] = [l * a[0] + (1 - l) * b[0], l * a[1] + (1 - l) * b[1]];
      const [ra, rb, rm] = [R(...a), R(...b), R(...mid)];
      const chord = l * ra + (1 - l) * rb;
      const unit = riskRounding(ra, a[1]) + riskRounding(rb, b[1]) + riskRounding(rm, mid[1]) + 2 * EPS * chord;
      const excess = (rm - chord) / unit;
      if (excess > 1) violating++;
      if (excess > largest) {
        largest = excess;
        largestAt = { a, b, lambda: l };
      }
    }
    return {
      measurements: {
        crossEntropyMinSecondDerivative: measured(
          `smallest ∂²CE on the grids (probability: p ∈ [0.001, 0.999]; score: |f| ≤ 20)`,
          smaller,
        ),
        networkLargestChordViolation: measured(
          `largest R(chord point) − chord over ${count} random pairs, in rounding units`,
          exactly(largest, 0, `largest of ${count} pairs`),
        ),
      },
      secondDerivative: { probability, score, scoreRange: 20 },
      classic: { plus: R(2, 3), minus: R(-2, -3), origin: R(0, 0) },
      surface,
      minima: found,
      unfinished,
      segment,
      pairs: { count, violating, largest, largestAt },
    };
  },
};

/** The loss surface of §4 as a contour map, with the minima found and the segment between the mirror pair. */
export function networkSurfaceFigure(given: NetworkConvexity): Figure {
  const result = readResult('result', given, 'networksConvexity', (r) => typeof r.surface === 'object');
  const { us, vs, risk: z } = result.surface;
  const good = result.minima;
  const plus = good.find((m) => m.u > 0);
  const data: Trace[] = [
    {
      type: 'contour',
      x: us,
      y: vs,
      z,
      colorscale: 'Viridis',
      ncontours: 40,
      contours: { coloring: 'heatmap' },
      line: { width: 0.5, color: 'rgba(255, 255, 255, 0.5)' },
      colorbar: { title: { text: 'R(u, v)' } },
      hovertemplate: 'u = %{x:.3f}<br>v = %{y:.3f}<br>R = %{z:.4f}<extra></extra>',
      name: 'cross-entropy risk',
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'minima found (Newton, 24 starts)',
      x: good.map((m) => m.u),
      y: good.map((m) => m.v),
      customdata: good.map((m) => [m.risk, m.starts]),
      marker: { symbol: 'star', size: 14, color: '#ffffff', line: { color: '#000000', width: 1 } },
      hovertemplate:
        'u = %{x:.4f}<br>v = %{y:.4f}<br>R = %{customdata[0]:.6f}<br>reached from %{customdata[1]} starts<extra></extra>',
    },
  ];
  if (plus !== undefined) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'segment between the mirror minima',
      x: [plus.u, -plus.u],
      y: [plus.v, -plus.v],
      line: { color: '#ffffff', width: 2, dash: 'dash' },
      hoverinfo: 'skip',
    });
  }
  const layout = baseLayout('Cross-entropy risk of f(x) = v·tanh(u·x) over its two weights');
  layout.height = 540;
  layout.xaxis = axis('input weight u');
  layout.yaxis = axis('output weight v');
  layout.showlegend = true;
  layout.legend = { orientation: 'h', x: 0, y: -0.15 };
  return builtFigure(data, layout, baseConfig());
}

/** R along the segment between the mirror minima, against the chord. */
export function networkSegmentFigure(given: NetworkConvexity): Figure {
  const result = readResult('result', given, 'networksConvexity', (r) => typeof r.segment === 'object');
  const { lambda, risk: r, chord } = result.segment;
  return sweep(
    [
      { label: 'R on the segment (1 − λ)·θ₊ + λ·(−θ₊)', lossId: 'crossEntropyWithLogits', x: lambda, mean: r },
      { label: 'chord (1 − λ)·R(θ₊) + λ·R(−θ₊)', x: lambda, mean: chord },
    ],
    {
      xTitle: 'λ',
      yTitle: 'cross-entropy risk',
      title: 'Between two minima of equal loss the risk rises above its chord: not convex',
    },
  );
}

// ---------------------------------------------------------------------------------------------
// §5: stochastic gradient descent

const SGD_SEEDS = 30;
const SGD_EPOCHS = 200;
const NETWORK_STEP = 0.5;

export interface SgdRuns {
  epochs: number[];
  /** gap[run][e − 1]: objective after epoch e minus the reference minimum. */
  gaps: Float64Array[];
  /** Per run: the least-squares slope of ln gap on ln epoch over all epochs. */
  slopes: Float64Array;
  /** Mean slope with its t interval over the runs. */
  slope: Interval;
}

export interface SgdResult extends ExperimentResult {
  linear: SgdRuns & { optimumGradient: number };
  network: SgdRuns & {
    /** The reference: the lowest polished minimum over all runs. */
    best: number;
    /** Per run: the polished minimum its last iterate leads to, and the sign of u there. */
    reached: Array<{ risk: number; u: number; v: number }>;
    /** Runs whose polished minimum is above the best by more than 1e-9 (another basin). */
    elsewhere: number;
  };
}

/** The least-squares slope of ln gap on ln epoch: the exponent of a power law gap ∝ epoch^slope. */
export function logLogSlope(epochs: readonly number[], gap: ArrayLike<number>): number {
  // Both are copied once under the guard (a throwing getter or trap is a LossInputError naming
  // them) and checked on the copy; Array.from reads holes as undefined, where every() would skip them.
  const es = readGuarded(
    'epochs',
    () => (Array.isArray(epochs) ? Array.from(epochs as unknown[]) : undefined),
    'epochs > 0',
  );
  const positive = (e: unknown): e is number => typeof e === 'number' && e > 0 && Number.isFinite(e);
  if (es === undefined || es.length < 2 || !es.every(positive) || new Set(es).size < 2) {
    throw new LossInputError({
      argument: 'epochs',
      value: epochs,
      problem: 'is not two or more positive numbers, not all equal',
      domain: 'epochs > 0',
    });
  }
  const gs = readGuarded(
    'gap',
    () => (typeof gap === 'object' && gap !== null ? Array.from(gap as ArrayLike<unknown>) : undefined),
    'positive numbers',
  );
  if (gs === undefined || gs.length !== es.length) {
    throw new LossInputError({
      argument: 'gap',
      value: gap,
      problem: `is not ${es.length} numbers, one per epoch`,
      domain: 'positive numbers',
    });
  }
  const lx = es.map(Math.log);
  const ly = gs.map((g) => {
    if (!(typeof g === 'number' && g > 0 && Number.isFinite(g)))
      throw new LossInputError({
        argument: 'gap',
        value: g,
        problem: 'is not a positive finite number (a gap of 0 or less means the reference is not the minimum)',
        domain: 'gaps > 0',
      });
    return Math.log(g);
  });
  const mx = mean(lx);
  const my = mean(ly);
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < lx.length; k++) {
    sxy += (lx[k] - mx) * (ly[k] - my);
    sxx += (lx[k] - mx) ** 2;
  }
  return sxy / sxx;
}

function summarise(epochs: number[], gaps: Float64Array[]): SgdRuns {
  const slopes = Float64Array.from(gaps, (g) => logLogSlope(epochs, g));
  return { epochs, gaps, slopes, slope: meanInterval(slopes) };
}

/**
 * The gradient of one example's loss CE(t, v·tanh(u·x)) with respect to (u, v), written into
 * `out`: ∂ℓ/∂f = σ(f) − t, ∂f/∂u = v·x·(1 − tanh²(u·x)), ∂f/∂v = tanh(u·x).
 */
export function networkExampleGradient(x: number, t: number, u: number, v: number, out: Float64Array): Float64Array {
  for (const [argument, value] of [
    ['x', x],
    ['u', u],
    ['v', v],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new LossInputError({ argument, value, problem: 'is not a finite number', domain: 'finite numbers' });
  }
  if (t !== 0 && t !== 1)
    throw new LossInputError({ argument: 't', value: t, problem: 'is not a label', domain: '0 or 1' });
  // isView first: a Proxy around a Float64Array passes instanceof, and its length getter then throws.
  if (!ArrayBuffer.isView(out) || !(out instanceof Float64Array) || out.length < 2)
    throw new LossInputError({
      argument: 'out',
      value: out,
      problem: 'is not a place for the gradient',
      domain: 'a Float64Array of length 2',
    });
  const h = Math.tanh(u * x);
  const r = sigmoid(v * h) - t;
  const slope = 1 - h * h;
  // tanh has saturated (|u x| > 19): the factor is 0, and x may be large enough for r v x to overflow into ∞ · 0.
  out[0] = slope === 0 ? 0 : r * v * x * slope;
  out[1] = r * h;
  return out;
}

/** SGD on the network from (u₀, v₀): per-example gradient steps over a seeded shuffle, η_e = η₀/√(e + 1). */
function networkSgd(
  data: NetworkData,
  u0: number,
  v0: number,
  seed: number,
): { risks: Float64Array; u: number; v: number } {
  const rng = createRng(seed);
  const n = data.x.length;
  const order = rng.permutation(n);
  const risks = new Float64Array(SGD_EPOCHS);
  const scratch = new Float64Array(n);
  const g = new Float64Array(2);
  let [u, v] = [u0, v0];
  for (let e = 0; e < SGD_EPOCHS; e++) {
    rng.shuffle(order);
    const step = NETWORK_STEP / Math.sqrt(e + 1);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      networkExampleGradient(data.x[i], data.t[i], u, v, g);
      u -= step * g[0];
      v -= step * g[1];
    }
    risks[e] = riskOf(data, u, v, scratch);
  }
  return { risks, u, v };
}

export const networksSgd: Experiment<SgdResult> = {
  id: 'networks-sgd',
  title: 'Stochastic gradient descent on cross-entropy: logistic regression and a one-unit network',
  design:
    `Linear: ${SGD_SEEDS} seeded data sets (seeds 300–${299 + SGD_SEEDS}) of 200 points from two Gaussian classes 2 apart, labels 0/1; fitLinear with crossEntropyWithLogits and the package's sgd ` +
    `(one example per step, decaying steps η₀/√(e + 1), shuffle seed = data seed, ${SGD_EPOCHS} epochs, tol 0); gap = objective after each epoch − the exact minimum (Newton, gradient ≤ 1e-10). ` +
    `Network: the data of §4; ${SGD_SEEDS} runs from (u₀, v₀) uniform in [−2, 2]² (seed 400 + run), one example per step over a seeded shuffle, η_e = ${NETWORK_STEP}/√(e + 1), ${SGD_EPOCHS} epochs; ` +
    "each last iterate polished by Newton's method to its local minimum; the reference is the lowest of these; gap = R after each epoch − reference. " +
    'Per run, the least-squares slope of ln gap on ln epoch over epochs 1–200; the statistic is the mean slope over the runs with its t interval.',
  evidence: { chapter: CHAPTER, heading: '5. Stochastic gradient descent on cross-entropy' },
  run() {
    const epochs = Array.from({ length: SGD_EPOCHS }, (_, k) => k + 1);
    let optimumGradient = 0;
    const linearGaps = Array.from({ length: SGD_SEEDS }, (_, r) => {
      const seed = 300 + r;
      const data = makeClassification({ n: 200, seed, separation: 2, labels: 'binary' });
      const exact = fitLinear(data.X, data.y, { loss: ce, solver: 'newton' });
      optimumGradient = Math.max(optimumGradient, exact.optimality);
      const gaps = new Float64Array(SGD_EPOCHS);
      fitLinear(data.X, data.y, {
        loss: ce,
        solver: 'sgd',
        stepSize: 'decaying',
        seed,
        maxIter: SGD_EPOCHS,
        tol: 0,
        onIteration: (state) => {
          if (state.iteration >= 1) gaps[state.iteration - 1] = state.objective - exact.objective;
        },
      });
      return gaps;
    });

    const data = networkData(NETWORK_N, NETWORK_SEED);
    const runs = Array.from({ length: SGD_SEEDS }, (_, r) => {
      const start = createRng(400 + r);
      return networkSgd(data, start.uniform(-2, 2), start.uniform(-2, 2), 400 + r);
    });
    const reached = runs.map((run) => {
      const m = polishNetworkMinimum(data, run.u, run.v);
      return { risk: m.risk, u: m.u, v: m.v };
    });
    const best = Math.min(...reached.map((m) => m.risk));
    const networkGaps = runs.map((run) => Float64Array.from(run.risks, (r) => r - best));
    return {
      measurements: {
        sgdGapExponentLinear: measured(
          `log–log slope of the SGD gap against epochs, logistic regression (mean of ${SGD_SEEDS} runs)`,
          summarise(epochs, linearGaps).slope,
        ),
        sgdGapExponentNetwork: measured(
          `log–log slope of the SGD gap against epochs, network v·tanh(u·x) (mean of ${SGD_SEEDS} runs)`,
          summarise(epochs, networkGaps).slope,
        ),
      },
      linear: { ...summarise(epochs, linearGaps), optimumGradient },
      network: {
        ...summarise(epochs, networkGaps),
        best,
        reached,
        elsewhere: reached.filter((m) => m.risk - best > 1e-9).length,
      },
    };
  },
};

/** The gaps of §5 on log–log axes: the median over runs with the 10%–90% band, for both models. */
export function sgdGapFigure(given: SgdResult): Figure {
  const result = readResult(
    'result',
    given,
    'networksSgd',
    (r) => typeof r.linear === 'object' && typeof r.network === 'object',
  );
  const series = (
    [
      ['logistic regression', 'logistic', result.linear],
      ['network v·tanh(u·x)', 'crossEntropyWithLogits', result.network],
    ] as const
  ).map(([label, lossId, runs]) => {
    const at = (q: number) =>
      runs.epochs.map((_, e) =>
        quantile(
          runs.gaps.map((g) => g[e]),
          q,
        ),
      );
    return { label, lossId, x: runs.epochs, mean: at(0.5), lower: at(0.1), upper: at(0.9) };
  });
  return sweep(series, {
    logX: true,
    logY: true,
    xTitle: 'epoch',
    yTitle: 'gap to the minimum (median, 10%–90% band)',
    title: `SGD with steps η₀/√(e + 1): the gap to the minimum over ${SGD_SEEDS} runs`,
  });
}

/** The experiments that decide claims, for the registry. */
export const networksExperiments = [networksConvexity, networksSgd];
