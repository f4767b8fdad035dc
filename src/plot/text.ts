/**
 * Text that goes into a figure. Plotly reads strings in titles, names, hover templates and
 * annotations as a small markup language: `<b>`, `<a href>`, `<br>`, HTML entities,
 * `%{...}` template references, and, when MathJax is on the page (Jupyter), `$...$` as TeX.
 * A label a user typed is data, so it must come out exactly as typed.
 */
import { checkLabel } from './checks';

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // Plotly decodes numeric entities after it expands %{...} templates and looks for TeX,
  // so these two still display as typed but trigger neither.
  '{': '&#123;',
  $: '&#36;',
};

/**
 * Escapes user text for any Plotly string attribute, so that it displays literally.
 *
 * @example
 * ```ts
 * import { plotText } from 'losslab';
 * plotText('<b>a</b> & %{x} costs $5'); // '&lt;b&gt;a&lt;/b&gt; &amp; %&#123;x} costs &#36;5'
 * ```
 */
export function plotText(text: string): string {
  return checkLabel('text', text).replace(/[&<>{$]/g, (c) => REPLACEMENTS[c]);
}

/** The tags plotly.js draws as formatting (TAG_STYLES in its svg_text_utils.js); it shows any other `<…>` as typed. */
const PLOTLY_TAGS: ReadonlySet<string> = new Set(['a', 'b', 'em', 'i', 's', 'span', 'sub', 'sup', 'u']);

/** The named entities plotly.js decodes; it leaves every other name as typed. */
const PLOTLY_ENTITIES: Readonly<Record<string, string>> = {
  mu: '\u03bc',
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  times: '\u00d7',
  plusmn: '\u00b1',
  deg: '\u00b0',
};

/** Plotly's own entity decoding: numeric references up to U+10FFFF and its eight names, in one pass. */
function decodePlotlyEntities(text: string): string {
  return text.replace(/&(#\d+|#x[\da-fA-F]+|[a-z]+);/g, (whole, body: string) => {
    if (body[0] !== '#') return Object.hasOwn(PLOTLY_ENTITIES, body) ? PLOTLY_ENTITIES[body] : whole;
    const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * What Plotly shows for a string attribute, as plain text: the inverse of `plotText`, and
 * Plotly's reading of markup in figures built elsewhere. It follows plotly.js's
 * svg_text_utils: line feeds and `<br>` become spaces, Plotly's formatting tags vanish, any
 * other `<…>` stays as typed (`<script>` is shown, never run), and entities are decoded once,
 * so `&amp;lt;` shows as `&lt;`. Text pulled from a figure for a page title, an alt text or
 * a summary goes through this before it is escaped for HTML, and is then escaped exactly once.
 */
export function plotPlainText(markup: string): string {
  return markup
    .replace(/\r\n?|\n/g, ' ')
    .split(/(<[^<>]*>)/)
    .map((piece) => {
      const tag = /^<\/?([^ >]*)(\s+.*)?>$/.exec(piece)?.[1]?.toLowerCase();
      if (tag === 'br') return ' ';
      return tag !== undefined && PLOTLY_TAGS.has(tag) ? '' : decodePlotlyEntities(piece);
    })
    .join('');
}

/** A number for our own hover and legend text: 4 significant digits, exponent when tiny or huge. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3).replace(/\.?0+e/, 'e');
}
