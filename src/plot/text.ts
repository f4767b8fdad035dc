/**
 * Text that goes into a figure. Plotly reads strings in titles, names, hover templates and
 * annotations as a small markup language: `<b>`, `<a href>`, `<br>`, HTML entities,
 * `%{...}` template references, and, when MathJax is on the page (Jupyter), `$...$` as TeX.
 * A label a user typed is data, so it must come out exactly as typed.
 */

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
  return text.replace(/[&<>{$]/g, (c) => REPLACEMENTS[c]);
}

/** A number for our own hover and legend text: 4 significant digits, exponent when tiny or huge. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3).replace(/\.?0+e/, 'e');
}
