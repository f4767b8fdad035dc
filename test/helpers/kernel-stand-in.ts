/**
 * A stand-in for the tslab kernel, in this process: its public module and its bundle writer
 * (found the way src/display/tslab.ts finds the real ones), stdout and stderr replaced at the
 * start of a "cell" as tslab replaces them, and a real file at `…/tslab/dist/executor.js`
 * that prints a value the way tslab prints a cell's last value (`console.log(ret)`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface Sent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** The display id (`transient.display_id`), when the output has one. */
  displayId?: string;
  /** Sent as update_display_data: replaces the output with `displayId`. */
  update?: true;
}

export interface CellRun {
  /** Bundles sent through the bundle writer, in order. */
  sent: Sent[];
  /** Each write to stdout and stderr, as given. */
  stdout: string[];
  stderr: string[];
  /** The function standing in for tslab's stdout writer during the cell. */
  writer: unknown;
}

const root = mkdtempSync(path.join(tmpdir(), 'losslab-stand-in-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const dist = path.join(root, 'node_modules', 'tslab', 'dist');
mkdirSync(dist, { recursive: true });
// tslab 1.0.22, dist/executor.js, `execute`: the line that prints a cell's last value.
writeFileSync(
  path.join(dist, 'executor.js'),
  "'use strict';\nexports.printLastValue = function (ret) {\n  console.log(ret);\n};\n",
);

/** Prints `value` exactly as tslab prints a cell's last value, from a file named like tslab's executor. */
export const printLastValue = (require(path.join(dist, 'executor.js')) as { printLastValue(value: unknown): void })
  .printLastValue;

/**
 * One kernel process across several `inCell` runs: what losslab keeps per kernel (its display
 * state on globalThis) is carried from cell to cell. Without one, each cell runs in a new kernel.
 */
export interface StandInKernel {
  state?: unknown;
}

/**
 * Runs `work` as one tslab cell with the stand-in kernel (`writer: false` hides the bundle
 * writer). Each cell gets its own writer function, as tslab makes one per execute request.
 * Everything is put back afterwards.
 */
export function inCell(work: () => void, opts: { writer?: boolean; kernel?: StandInKernel } = {}): CellRun {
  const run: CellRun = { sent: [], stdout: [], stderr: [], writer: undefined };
  const withWriter = opts.writer !== false;
  // Without the bundle writer, show() falls back to tslab's public display.html, recorded as an HTML-only bundle.
  const tslab = {
    display: {
      html: (html: string) => {
        if (withWriter) throw new Error('the bundle writer should have been used');
        run.sent.push({ data: { 'text/html': html }, metadata: {} });
      },
    },
  };
  const cache = require.cache as Record<string, unknown>;
  const host = globalThis as { __tslab__?: unknown } & Record<symbol, unknown>;
  const state = Symbol.for('losslab.display.state');
  const saved = {
    stdout: Object.getOwnPropertyDescriptor(process.stdout, 'write'),
    stderr: Object.getOwnPropertyDescriptor(process.stderr, 'write'),
    state: host[state],
  };
  cache[path.join(dist, 'index.js')] = { exports: tslab };
  const writer = (
    message: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: { display_id?: string } },
    update: boolean,
  ): void => {
    const displayId = message.transient?.display_id;
    run.sent.push({
      data: message.data,
      metadata: message.metadata,
      ...(displayId === undefined ? {} : { displayId }),
      ...(update ? { update: true as const } : {}),
    });
  };
  if (withWriter) cache[path.join(dist, 'jupyter.js')] = { exports: { lastWriteDisplayData: writer } };
  host.__tslab__ = { require: (id: string) => (id === 'tslab' ? tslab : undefined) };
  if (opts.kernel?.state === undefined) delete host[state];
  else host[state] = opts.kernel.state;
  const recorder =
    (into: string[]) =>
    (chunk: unknown): boolean => {
      into.push(String(chunk));
      return true;
    };
  run.writer = recorder(run.stdout);
  process.stdout.write = run.writer as typeof process.stdout.write;
  process.stderr.write = recorder(run.stderr) as typeof process.stderr.write;
  try {
    work();
  } finally {
    for (const [stream, descriptor] of [
      [process.stdout, saved.stdout],
      [process.stderr, saved.stderr],
    ] as const) {
      if (descriptor === undefined) delete (stream as { write?: unknown }).write;
      else Object.defineProperty(stream, 'write', descriptor);
    }
    delete cache[path.join(dist, 'index.js')];
    delete cache[path.join(dist, 'jupyter.js')];
    delete host.__tslab__;
    if (opts.kernel !== undefined) opts.kernel.state = host[state];
    if (saved.state === undefined) delete host[state];
    else host[state] = saved.state;
  }
  return run;
}
