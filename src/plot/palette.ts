/**
 * One colour per loss, the same in every chart, so that a reader who learned "hinge is red"
 * in the loss-curve chart finds hinge in red in the fits, boundaries and sweeps too.
 */
import { checkCount, checkLabel } from './checks';

/**
 * The colour of each built-in loss (ids as in `losses`). Regression losses take the first
 * Tableau 10 hues; classification losses the rest and darker companions; the 0–1 loss, the
 * reference every classification loss is compared with, is near-black.
 */
// No prototype: lossPalette['toString'] finds nothing, as for any other name that is no loss.
export const lossPalette: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    l2: '#1f77b4',
    l1: '#ff7f0e',
    huber: '#2ca02c',
    logCosh: '#9467bd',
    quantile: '#8c564b',
    epsilonInsensitive: '#bcbd22',
    zeroOne: '#333333',
    hinge: '#d62728',
    squaredHinge: '#e377c2',
    logistic: '#17becf',
    crossEntropyWithLogits: '#7b4173',
    crossEntropy: '#843c39',
    exponential: '#8c6d31',
    square: '#637939',
    modifiedHuber: '#5254a3',
    pseudoHuber: '#74c476',
  }),
);

/** Colours for series that name no built-in loss (Tableau 10, 2019 edition). */
const OTHER_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/**
 * The colour of a loss, by its id.
 *
 * - a built-in id: its entry in `lossPalette`;
 * - a member of a family, `name(parameter)` such as `huber(2)` or `quantile(0.9)`: the
 *   family's hue, darker for small parameters and lighter for large ones (τ in (0, 1) maps
 *   linearly, other parameters through ½ + atan(ln p)/π), so different members of one
 *   family get different shades of one colour;
 * - any other id: a fixed colour picked by a hash of the id.
 *
 * @example
 * ```ts
 * import { lossColor } from 'losslab';
 * lossColor('hinge');         // "#d62728"
 * lossColor('quantile(0.5)'); // "#8c564b"
 * lossColor('quantile(0.9)'); // "#c3a7a1"
 * ```
 */
export function lossColor(lossId: string): string {
  checkLabel('lossId', lossId);
  const own = Object.hasOwn(lossPalette, lossId) ? lossPalette[lossId] : undefined;
  if (own !== undefined) return own;
  const member = /^([A-Za-z_]\w*)\((.+)\)$/.exec(lossId);
  if (member !== null && Object.hasOwn(lossPalette, member[1])) {
    const shade = parameterShade(member[1], Number(member[2]));
    if (shade !== undefined) return mix(lossPalette[member[1]], shade < 0 ? '#000000' : '#ffffff', Math.abs(shade));
  }
  return OTHER_COLOURS[hash(lossId) % OTHER_COLOURS.length];
}

/**
 * The colour of the `index`-th series of a chart: its loss's colour when it names one,
 * otherwise the index-th of a fixed list.
 */
export function seriesColor(lossId: string | undefined, index: number): string {
  const k = checkCount('index', index, 0, Number.MAX_SAFE_INTEGER);
  return lossId === undefined ? OTHER_COLOURS[k % OTHER_COLOURS.length] : lossColor(lossId);
}

/** `#rrggbb` with opacity, as Plotly's `rgba(r, g, b, a)`, for bands and fills. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = rgb(hex);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** In [-0.6, 0.6]: negative darkens, positive lightens; undefined when the parameter is unusable. */
function parameterShade(family: string, p: number): number | undefined {
  if (Number.isNaN(p) || p < 0) return undefined;
  const t = family === 'quantile' ? p : 0.5 + Math.atan(Math.log(p)) / Math.PI;
  return t >= 0 && t <= 1 ? 1.2 * (t - 0.5) : undefined;
}

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function mix(hex: string, towards: string, amount: number): string {
  const a = rgb(hex);
  const b = rgb(towards);
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * amount));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** FNV-1a: a stable string hash, so an unknown id keeps its colour across sessions. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
