/**
 * Static pictures for executed notebooks: every chart output (`application/vnd.plotly.v1+json`)
 * gets a PNG rendered in headless Chromium, stored as `image/png` and shown as the HTML
 * fallback, so the chart is visible on GitHub, in untrusted notebooks and with scripts off.
 * Used by `npm run notebooks` after execution; the kernel never waits for Chromium.
 */
import type { Figure } from '../plot/figure';
import { displayData, PLOTLY_MIME } from './bundle';
import { toPNG, type ImageOptions } from './png';

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** The parts of an nbformat 4 notebook this needs. */
export interface NotebookDocument {
  cells: Array<{ cell_type: string; outputs?: Output[] }>;
}

/** Width of the pictures, in CSS pixels: about the output area of a notebook page. */
const PICTURE_WIDTH = 860;

function chartMetadata(output: Output): { id: string; height: number } | undefined {
  const own = output.metadata?.losslab as { id?: unknown; height?: unknown } | undefined;
  if (typeof own?.id === 'string' && typeof own.height === 'number') return { id: own.id, height: own.height };
  return undefined;
}

/**
 * Adds a PNG to every chart output of `notebook` (in place) that `show` produced, keeping its
 * element id so the page stays the same apart from the picture. Returns how many it rendered.
 */
export async function addStaticImages(
  notebook: NotebookDocument,
  opts: Pick<ImageOptions, 'executablePath' | 'scale'> = {},
): Promise<number> {
  let rendered = 0;
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      if (
        (output.output_type !== 'display_data' && output.output_type !== 'execute_result') ||
        output.data?.[PLOTLY_MIME] === undefined
      )
        continue;
      const chart = chartMetadata(output);
      if (chart === undefined) continue; // not drawn by losslab: its HTML is not ours to rewrite
      const fig = output.data[PLOTLY_MIME] as Figure;
      const png = await toPNG(fig, {
        ...opts,
        width: typeof fig.layout.width === 'number' ? fig.layout.width : PICTURE_WIDTH,
        height: chart.height,
      });
      const { data } = displayData(fig, { id: chart.id, height: chart.height, png });
      output.data = { ...output.data, ...data };
      rendered++;
    }
  }
  return rendered;
}
