/**
 * The empirical risk of a one-feature linear model as a landscape over its two parameters:
 * where an optimiser walks, and why some losses give it a bowl and others a plateau.
 */
import { LossInputError, readGuarded } from '../errors';
import { sigmoid } from '../losses/stable';
import type { Loss } from '../losses/types';
import type { Vec } from '../vec';
import type { MatrixLike } from '../matrix';
import { checkLoss, checkSameLength, type NumberArray, toMatrix, toVector } from '../validate';
import { checkCount, checkInterval, checkLabel, optionalLabel, readOptions } from './checks';
import { builtFigure, type Figure, type Layout, type PlotlyValue, type Trace } from './figure';
import { axis, baseConfig, baseLayout } from './layout';
import { lossColor } from './palette';
import { formatNumber, plotText } from './text';

export interface RiskSurfaceOptions {
  /** Interval of slopes w; default: around the least-squares slope, see `riskSurface`. */
  wRange?: [number, number];
  /** Interval of intercepts b; default: around the least-squares intercept. */
  bRange?: [number, number];
  /** Grid points per parameter, or [w points, b points]; default 81. */
  resolution?: number | [number, number];
  /** An optimiser's iterates, drawn over the landscape. */
  path?: ReadonlyArray<{ w: number; b: number }>;
  /** Legend entry of the path; default 'optimiser path'. */
  pathLabel?: string;
  /** Contour map (default) or 3-D surface. */
  type?: 'contour' | 'surface';
  /** Chart title (shown as typed). */
  title?: string;
}

/**
 * The empirical risk R̂(w, b) = (1/n) Σᵢ ℓ(yᵢ, w xᵢ + b) of the model f(x) = w x + b on a
 * grid of (w, b), as a contour map or a 3-D surface, with the grid's lowest point marked and
 * an optional optimiser path. For a loss on probabilities (cross-entropy) the model is
 * p(x) = σ(w x + b); where p rounds to 0 or 1 on the wrong side the risk is Infinity and the
 * cell is left empty, so for wide grids prefer `crossEntropyWithLogits`, the same risk
 * computed stably.
 *
 * Default ranges: centred on the least-squares fit (w₀, b₀) of y on x, half-widths
 * 1.5 · max(|w₀|, sd(y)/sd(x)) and 1.5 · max(|b₀|, sd(y)) (at least 1), widened to hold the
 * path. Each grid cell costs one pass over the data through the loss's own kernel
 * (a 100 × 100 grid over 200 points is 2 · 10⁶ loss evaluations, a few milliseconds).
 *
 * `X` is the feature: a vector, or a one-column matrix (`number[][]` or `Matrix`).
 *
 * @example
 * ```ts
 * import { riskSurface, losses } from 'losslab';
 * const fig = riskSurface(losses.l2, [0, 1, 2, 3], [1, 3, 5, 7], { resolution: 21 });
 * fig.data.map((t) => t.type);    // ["contour","scatter"]
 * fig.data[1].name;              // "lowest grid point: w = 2, b = 1"
 * ```
 */
export function riskSurface(loss: Loss, X: Vec | MatrixLike, y: Vec, opts: RiskSurfaceOptions = {}): Figure {
  checkLoss(loss);
  checkLabel('loss.name', loss.name);
  const x = readGuarded('X', () => featureColumn(X));
  const n = x.length;
  // Computed on this copy: a second read of y could meet other values than the ones checked.
  const yv = toVector(loss.id, 'y', y, loss.target);
  checkSameLength(loss.id, 'y', yv.length, 'X', n);
  const o = readOptions(opts, ['path', 'resolution', 'type', 'pathLabel', 'title', 'wRange', 'bRange']);
  const path = readGuarded('path', () => checkPath(o.path));
  const [nw, nb] = readGuarded('resolution', () => resolution(o.resolution));
  const type = o.type === undefined ? 'contour' : o.type;
  if (type !== 'contour' && type !== 'surface') {
    throw new LossInputError({
      argument: 'type',
      value: type,
      problem: 'is not a chart type',
      domain: "'contour' or 'surface'",
    });
  }
  const pathLabel = plotText(optionalLabel('pathLabel', o.pathLabel) ?? 'optimiser path');
  const title = optionalLabel('title', o.title);
  const defaults = defaultRanges(x, yv, path);
  const [w0, w1] = o.wRange === undefined ? defaults.w : checkInterval('wRange', o.wRange);
  const [b0, b1] = o.bRange === undefined ? defaults.b : checkInterval('bRange', o.bRange);

  const ws = linspace(w0, w1, nw);
  const bs = linspace(b0, b1, nb);
  const riskAt = empiricalRisk(loss, x, yv);
  let best = { w: NaN, b: NaN, r: Infinity };
  const z = bs.map((b) =>
    ws.map((w) => {
      const r = riskAt(w, b);
      if (r < best.r) best = { w, b, r };
      return Number.isFinite(r) ? r : null;
    }),
  );

  const colour = lossColor(loss.id);
  const name = plotText(loss.name);
  const hover = `w = %{x:.3f}<br>b = %{y:.3f}<br>R̂(w, b) = %{z:.4g}<extra>${name}</extra>`;
  const bestLabel = Number.isFinite(best.r)
    ? `lowest grid point: w = ${formatNumber(best.w)}, b = ${formatNumber(best.b)}`
    : 'lowest grid point: none (risk infinite everywhere)';
  const bestPoint = Number.isFinite(best.r)
    ? { x: [best.w], y: [best.b], r: [best.r] }
    : { x: [null], y: [null], r: [null] };
  const pathRisk = path.map((p) => finiteOrNull(riskAt(p.w, p.b)));
  const data: Trace[] = [];
  const layout: Layout = baseLayout(
    title !== undefined ? plotText(title) : `Empirical risk of the ${name} for f(x) = w·x + b (n = ${n})`,
  );
  layout.height = 520;

  if (type === 'contour') {
    data.push({
      type: 'contour',
      x: ws,
      y: bs,
      z,
      colorscale: 'Viridis',
      ncontours: 30,
      contours: { coloring: 'heatmap' },
      line: { width: 0.5, color: 'rgba(255, 255, 255, 0.5)' },
      colorbar: { title: { text: 'R̂(w, b)' } },
      hovertemplate: hover,
      name,
    });
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: bestLabel,
      x: bestPoint.x,
      y: bestPoint.y,
      marker: { symbol: 'star', size: 14, color: '#ffffff', line: { color: '#000000', width: 1 } },
      hovertemplate: `${bestLabel}<br>R̂ = %{customdata:.4g}<extra></extra>`,
      customdata: bestPoint.r,
    });
    if (path.length > 0) {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: pathLabel,
        x: path.map((p) => p.w),
        y: path.map((p) => p.b),
        customdata: pathRisk,
        line: { color: colour, width: 2 },
        marker: {
          size: path.map((_, i) => (i === 0 || i === path.length - 1 ? 9 : 5)),
          color: colour,
          line: { color: '#ffffff', width: 1 },
        },
        hovertemplate: `step %{pointNumber}<br>w = %{x:.4g}<br>b = %{y:.4g}<br>R̂ = %{customdata:.4g}<extra>${pathLabel}</extra>`,
      });
    }
    layout.xaxis = axis('slope w', { range: [w0, w1] });
    layout.yaxis = axis('intercept b', { range: [b0, b1] });
    // Shown even with one entry: the legend is where the lowest grid point is named.
    layout.showlegend = true;
    layout.legend = { orientation: 'h', x: 0, y: -0.15 };
  } else {
    data.push({
      type: 'surface',
      x: ws,
      y: bs,
      z,
      colorscale: 'Viridis',
      name,
      colorbar: { title: { text: 'R̂(w, b)' } },
      hovertemplate: hover,
    });
    data.push({
      type: 'scatter3d',
      mode: 'markers',
      name: bestLabel,
      x: bestPoint.x,
      y: bestPoint.y,
      z: bestPoint.r,
      marker: { symbol: 'diamond', size: 6, color: '#ffffff', line: { color: '#000000', width: 1 } },
      hovertemplate: `${bestLabel}<br>R̂ = %{z:.4g}<extra></extra>`,
    });
    if (path.length > 0) {
      data.push({
        type: 'scatter3d',
        mode: 'lines+markers',
        name: pathLabel,
        x: path.map((p) => p.w),
        y: path.map((p) => p.b),
        z: pathRisk,
        line: { color: colour, width: 5 },
        marker: { size: 3, color: colour },
        hovertemplate: `step %{pointNumber}<br>w = %{x:.4g}<br>b = %{y:.4g}<br>R̂ = %{z:.4g}<extra>${pathLabel}</extra>`,
      });
    }
    const sceneAxis = (text: string, range: [number, number]): PlotlyValue => ({ title: { text }, range });
    layout.scene = {
      xaxis: sceneAxis('slope w', [w0, w1]),
      yaxis: sceneAxis('intercept b', [b0, b1]),
      zaxis: { title: { text: 'R̂(w, b)' } },
    };
  }
  return builtFigure(data, layout, baseConfig());
}

/**
 * R̂(w, b) for the data, through the loss's kernel; one scratch buffer for all calls.
 * For losses on probabilities the model output is squashed by σ.
 */
function empiricalRisk(loss: Loss, x: Float64Array, y: NumberArray): (w: number, b: number) => number {
  const n = x.length;
  const f = new Float64Array(n);
  const squash = loss.prediction === 'probability';
  return (w, b) => {
    if (squash) for (let i = 0; i < n; i++) f[i] = sigmoid(w * x[i] + b);
    else for (let i = 0; i < n; i++) f[i] = w * x[i] + b;
    return loss.kernels.sum(y, f, n) / n;
  };
}

/** The single feature as a Float64Array, from a vector or a one-column matrix. */
function featureColumn(X: unknown): Float64Array {
  if (ArrayBuffer.isView(X)) return new Float64Array(toVector(undefined, 'X', X, 'real'));
  // X[0] tells numbers from rows; the copy of a vector then takes that same first value
  // instead of reading it again, which a Proxy could answer differently.
  const first = readGuarded('X', () => (Array.isArray(X) && X.length > 0 ? { value: X[0] as unknown } : null));
  if (first !== null && typeof first.value === 'number') {
    return new Float64Array(toVector(undefined, 'X', X, 'real', first));
  }
  const m = toMatrix(X, 'X');
  if (m.cols !== 1) {
    throw new LossInputError({
      argument: 'X',
      problem: `has ${m.cols} columns`,
      domain: 'one feature: a vector or a matrix with one column',
    });
  }
  return new Float64Array(m.data);
}

function checkPath(path: unknown): Array<{ w: number; b: number }> {
  if (path === undefined) return [];
  if (!Array.isArray(path)) {
    throw new LossInputError({
      argument: 'path',
      value: path,
      problem: 'is not an array',
      domain: 'an array of { w, b } with finite numbers',
    });
  }
  const points: Array<{ w: number; b: number }> = [];
  // A for loop, not map: map skips the holes of a sparse path and leaves them in its result.
  for (let i = 0; i < path.length; i++) {
    const p: unknown = path[i];
    const q = p as { w?: unknown; b?: unknown } | null;
    const w = typeof q === 'object' && q !== null ? q.w : undefined;
    const b = typeof q === 'object' && q !== null ? q.b : undefined;
    if (typeof w !== 'number' || typeof b !== 'number' || !Number.isFinite(w) || !Number.isFinite(b)) {
      throw new LossInputError({
        argument: 'path',
        index: i,
        value: p,
        problem: 'is not a point { w, b } of finite numbers',
        domain: '{ w: number, b: number }',
      });
    }
    points.push({ w, b });
  }
  return points;
}

function resolution(r: unknown): [number, number] {
  if (r === undefined) return [81, 81];
  if (Array.isArray(r)) {
    if (r.length !== 2)
      throw new LossInputError({
        argument: 'resolution',
        value: r,
        problem: 'is not a pair',
        domain: 'a count or [w count, b count]',
      });
    return [checkCount('resolution', r[0], 2, 1000), checkCount('resolution', r[1], 2, 1000)];
  }
  const k = checkCount('resolution', r, 2, 1000);
  return [k, k];
}

/** Ranges around the least-squares line, widened to hold the path. */
function defaultRanges(
  x: Float64Array,
  y: NumberArray,
  path: Array<{ w: number; b: number }>,
): { w: [number, number]; b: [number, number] } {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const w0 = sxx > 0 ? sxy / sxx : 0;
  const b0 = my - w0 * mx;
  const sdY = Math.sqrt(syy / n);
  const sdX = Math.sqrt(sxx / n);
  const hw = 1.5 * Math.max(Math.abs(w0), sdX > 0 ? sdY / sdX : 0, 2 / 3);
  const hb = 1.5 * Math.max(Math.abs(b0), sdY, 2 / 3);
  const w: [number, number] = [w0 - hw, w0 + hw];
  const b: [number, number] = [b0 - hb, b0 + hb];
  for (const p of path) {
    w[0] = Math.min(w[0], p.w);
    w[1] = Math.max(w[1], p.w);
    b[0] = Math.min(b[0], p.b);
    b[1] = Math.max(b[1], p.b);
  }
  return { w, b };
}

/** k evenly spaced points from lo to hi, both ends exact. */
function linspace(lo: number, hi: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => (i === k - 1 ? hi : lo + ((hi - lo) * i) / (k - 1)));
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
