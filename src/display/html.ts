/** Standalone pages for plain Node scripts: one chart, plotly.js inlined, no network. */
import { writeFileSync } from 'node:fs';
import { LossInputError } from '../errors';
import { readOptions } from '../plot/checks';
import type { Figure } from '../plot/figure';
import { displayData, escapeHTML, figureId, figureJSON, figureTitle, type ShowOptions } from './bundle';
import { plotlyInlineHTML } from './plotlyjs';

/**
 * A complete HTML page drawing the chart, with plotly.js inlined (about 4.8 MB), so it opens
 * from disk or any static host with no network. Titles are data: escaped, never markup.
 * The element id defaults to a hash of the figure, so the same figure gives the same page.
 *
 * @example
 * ```ts
 * import { toHTML } from 'losslab';
 * const page = toHTML({ data: [{ type: 'scatter', x: [0, 1], y: [0, 1] }], layout: { title: { text: 'A line' } } });
 * page.startsWith('<!DOCTYPE html>'); // true
 * page.includes('<title>A line</title>'); // true
 * ```
 */
export function toHTML(fig: Figure, opts: ShowOptions = {}): string {
  const o = readOptions(opts, ['id', 'height', 'png']);
  const id = o.id === undefined ? figureId(figureJSON(fig)) : o.id;
  const { data } = displayData(fig, { ...o, id });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHTML(figureTitle(fig) ?? 'losslab chart')}</title>`,
    '</head>',
    '<body style="margin:0;padding:8px">',
    data['text/html'],
    // After the chart, so the page shows the fallback while the library loads; the chart's
    // script queues its drawing until then.
    plotlyInlineHTML(),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Writes `toHTML(fig, opts)` to `file` (UTF-8).
 *
 * @example
 * ```ts
 * import { saveHTML } from 'losslab';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * saveHTML({ data: [{ type: 'bar', x: ['a'], y: [1] }], layout: {} }, join(tmpdir(), 'chart.html'));
 * ```
 */
export function saveHTML(fig: Figure, file: string, opts: ShowOptions = {}): void {
  if (typeof file !== 'string' || file === '') {
    throw new LossInputError({
      argument: 'file',
      value: file,
      problem: 'is not a file path',
      domain: 'a non-empty string',
    });
  }
  writeFileSync(file, toHTML(fig, opts), 'utf8');
}
