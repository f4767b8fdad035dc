/**
 * JupyterLab's own output rendering, in a plain page (bundled by test/frontends/bundle.ts):
 * one `OutputArea` per code cell over a `RenderMimeRegistry` of JupyterLab 4.6's standard
 * renderer factories, optionally with the Plotly MIME renderer that `pip install plotly`
 * adds to JupyterLab (jupyterlab-plotly 5.24.1, vendored). Outputs arrive either as a saved
 * notebook's (opened from disk, trusted or not), or as the kernel's IOPub messages through a
 * stand-in for the kernel future, which is how JupyterLab receives a running cell's outputs:
 * setting the future clears the cell as a re-run does, and display_data, update_display_data
 * and clear_output go through JupyterLab's own handler.
 */
import type * as nbformat from '@jupyterlab/nbformat';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { MimeModel, RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import '@jupyterlab/outputarea/style/index.css';
import { marked } from 'marked';
import plotlyExtensions from './jupyterlab-plotly/lib/plotly-renderer.js';

export interface LabOptions {
  /** The notebook's trust (a saved notebook's signature); live runs are trusted, as in JupyterLab. */
  trusted: boolean;
  /** Register the jupyterlab-plotly MIME renderer. */
  extension: boolean;
}

/** An IOPub message as the kernel sent it: its type and content. */
export interface IOPubMessage {
  msg_type: string;
  content: Record<string, unknown>;
}

/** One execution of a cell: which cell, and the messages its execution published. */
export interface CellRun {
  cell: number;
  messages: IOPubMessage[];
}

/** A saved notebook's cell as the harness shows it: Markdown source, or a code cell's outputs. */
export type SavedCell = { markdown: string } | { outputs: nbformat.IOutput[] };

export interface LabHarness {
  /** Opens a saved notebook's cells in `host`: Markdown rendered, code cells as their outputs. */
  open(host: HTMLElement, cells: SavedCell[], opts: LabOptions): Promise<void>;
  /** Runs cells live in `host` (`cells` output areas), in the order given; resolves with each cell's outputs as JupyterLab would save them. */
  session(
    host: HTMLElement,
    cells: number,
    runs: CellRun[],
    opts: Pick<LabOptions, 'extension'>,
  ): Promise<nbformat.IOutput[][]>;
  /** The last session's outputs as JupyterLab would save them now (renderers may have changed them since). */
  save(): nbformat.IOutput[][];
}

let lastSession: OutputArea[] = [];

/**
 * JupyterLab parses Markdown with marked (@jupyterlab/markedparser-extension, marked 17 in
 * JupyterLab 4.6); the extension's heading ids and e-mail mangling are left out.
 */
const markdownParser = {
  render: (source: string): Promise<string> => Promise.resolve(marked.parse(source, { gfm: true, async: false })),
};

function registry(extension: boolean): RenderMimeRegistry {
  const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories, markdownParser });
  // As JupyterLab registers a mime extension: its factory at the rank it declares.
  if (extension) for (const item of plotlyExtensions) rendermime.addFactory(item.rendererFactory, item.rank ?? 0);
  return rendermime;
}

function cellArea(host: HTMLElement, model: OutputAreaModel, rendermime: RenderMimeRegistry): OutputArea {
  const wrapper = document.createElement('div');
  wrapper.className = 'losslab-lab-cell';
  host.appendChild(wrapper);
  const area = new OutputArea({ model, rendermime });
  OutputArea.attach(area, wrapper);
  return area;
}

/** Stands in for a kernel future: OutputArea attaches its IOPub handler to it. */
interface StandInFuture {
  done: Promise<void>;
  isDisposed: boolean;
  dispose(): void;
  onIOPub: (msg: { header: { msg_type: string }; content: Record<string, unknown> }) => void;
  onReply: (msg: unknown) => void;
  onStdin: (msg: unknown) => void;
}

function standInFuture(): StandInFuture {
  return {
    done: Promise.resolve(),
    isDisposed: false,
    dispose() {
      this.isDisposed = true;
    },
    onIOPub: () => undefined,
    onReply: () => undefined,
    onStdin: () => undefined,
  };
}

const harness: LabHarness = {
  async open(host, cells, opts) {
    const rendermime = registry(opts.extension);
    for (const cell of cells) {
      if ('outputs' in cell) {
        cellArea(host, new OutputAreaModel({ values: cell.outputs, trusted: opts.trusted }), rendermime);
        continue;
      }
      // A Markdown cell, rendered as JupyterLab's MarkdownCell renders it: text/markdown through rendermime.
      const renderer = rendermime.createRenderer('text/markdown');
      renderer.addClass('losslab-lab-markdown');
      host.appendChild(renderer.node);
      await renderer.renderModel(new MimeModel({ data: { 'text/markdown': cell.markdown }, trusted: opts.trusted }));
    }
  },

  async session(host, cells, runs, opts) {
    const rendermime = registry(opts.extension);
    const areas = Array.from({ length: cells }, () =>
      cellArea(host, new OutputAreaModel({ trusted: true }), rendermime),
    );
    for (const run of runs) {
      const future = standInFuture();
      // The cast: OutputArea only sets the handlers and awaits `done`; the rest of IShellFuture is unused.
      areas[run.cell].future = future as unknown as OutputArea['future'];
      for (const message of run.messages) {
        future.onIOPub({ header: { msg_type: message.msg_type }, content: message.content });
        // Let the page run each output's scripts before the next message, as it would live.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
    lastSession = areas;
    return areas.map((area) => area.model.toJSON());
  },

  save() {
    return lastSession.map((area) => area.model.toJSON());
  },
};

(window as unknown as { losslabLab: LabHarness }).losslabLab = harness;
