/**
 * Finding the running tslab kernel's own display writer.
 *
 * tslab's public `display.raw(type, content)` sends one MIME type per message, so a chart
 * would arrive as several outputs. The kernel's internal writer (`lastWriteDisplayData` in
 * tslab/dist/jupyter.js, set at the start of every cell) sends a whole bundle. A plain
 * `require('tslab')` from this package is no way to reach it: it may resolve to another copy
 * that the kernel never initialised. The kernel's own copy is the one its cell `require`
 * (`globalThis.__tslab__.require`, see tslab/dist/executor.js) returns for 'tslab'; its
 * jupyter.js sits beside it in `require.cache`. Every step is guarded: tslab's internals may
 * change, and a failure must degrade to one HTML output, never break the cell.
 */
import * as path from 'node:path';
import { warnOnce } from './state';

type Content = Record<string, unknown>;
type BundleWriter = (message: { data: Content; metadata: Content; transient: Content }, update: boolean) => void;

interface TslabPublic {
  display: { html(html: string): void; markdown?(markdown: string): void };
}

/** A display that can be replaced in place: Jupyter's display id, and whether this message replaces it. */
export interface DisplayTarget {
  id: string;
  update: boolean;
}

/** How a display reaches the notebook, or `undefined` outside a kernel. */
export interface KernelOutput {
  /**
   * The cell execution the outputs go to (tslab makes a writer per execute request), or
   * undefined when that cannot be told.
   */
  readonly execution: object | undefined;
  /** Whether `send` honours a display target (update_display_data); otherwise each send is a new output. */
  readonly updates: boolean;
  send(data: Content, metadata: Content, display?: DisplayTarget): void;
}

function isTslabPublic(value: unknown): value is TslabPublic {
  const display = (value as { display?: { html?: unknown } } | null)?.display;
  return typeof display?.html === 'function';
}

function kernelTslab(): TslabPublic | undefined {
  try {
    const host = (globalThis as { __tslab__?: { require?: unknown } }).__tslab__;
    if (typeof host?.require !== 'function') return undefined;
    const tslab: unknown = (host.require as (id: string) => unknown)('tslab');
    return isTslabPublic(tslab) ? tslab : undefined;
  } catch {
    return undefined;
  }
}

function writerOf(jupyterModule: NodeJS.Module | undefined): BundleWriter | undefined {
  const writer = (jupyterModule?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
  return typeof writer === 'function' ? (writer as BundleWriter) : undefined;
}

/** The writer beside the kernel's own public module, else the one live tslab writer in the process. */
function findBundleWriter(tslab: TslabPublic | undefined): BundleWriter | undefined {
  try {
    const cache = require.cache;
    if (tslab !== undefined) {
      for (const [file, mod] of Object.entries(cache)) {
        if (mod?.exports === tslab) {
          const writer = writerOf(cache[path.join(path.dirname(file), 'jupyter.js')]);
          if (writer) return writer;
        }
      }
    }
    const suffix = path.join('tslab', 'dist', 'jupyter.js');
    const live = Object.entries(cache)
      .filter(([file]) => file.endsWith(path.sep + suffix))
      .map(([, mod]) => writerOf(mod))
      .filter((w) => w !== undefined);
    // Several live writers would mean several kernels in one process: no way to tell which is ours.
    return live.length === 1 ? live[0] : undefined;
  } catch {
    return undefined;
  }
}

/** The kernel's output channel: a whole bundle at once, or only its HTML through tslab's public API. */
export function kernelOutput(): KernelOutput | undefined {
  const tslab = kernelTslab();
  const writer = findBundleWriter(tslab);
  if (writer) {
    return {
      execution: writer,
      updates: true,
      send(data, metadata, display) {
        writer(
          { data, metadata, transient: display === undefined ? {} : { display_id: display.id } },
          display?.update ?? false,
        );
      },
    };
  }
  if (tslab === undefined) return undefined;
  return {
    execution: undefined,
    updates: false,
    send(data) {
      warnOnce(
        'tslab-writer',
        "losslab: could not reach tslab's bundle writer (a newer tslab?); sending charts as HTML only, without the Plotly JSON, PNG and text versions.",
      );
      try {
        const html = data['text/html'];
        const markdown = data['text/markdown'];
        // Text outputs (showMarkdown, showMath) carry Markdown and no HTML.
        if (typeof html === 'string') tslab.display.html(html);
        else if (typeof markdown === 'string' && typeof tslab.display.markdown === 'function')
          tslab.display.markdown(markdown);
        else console.log(String(data['text/plain']));
      } catch (error) {
        warnOnce(
          'tslab-html',
          `losslab: tslab's display.html failed too (${String(error)}); printing text summaries instead.`,
        );
        console.log(String(data['text/plain']));
      }
    },
  };
}
