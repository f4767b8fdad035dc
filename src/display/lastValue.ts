/**
 * Telling a tslab cell's last value from any other printing of the same object.
 *
 * tslab prints the value of a cell's last expression with `console.log(ret)` in its
 * executor.js (tslab 1.0.22: `execute`, after `converted.lastExpressionVar`), and that is the
 * only hint it gives: the value is not marked and no display hook is consulted. A value's
 * `util.inspect` hook therefore looks at who called `console.log`: the first frame above
 * Node's own console and inspect frames is tslab's executor.js only for the last value; a
 * `console.log(fig)` written in the cell has the cell's frame there instead. Only the value
 * printed whole counts (not one nested in an array or object). Every step is guarded: if a
 * newer tslab prints differently, the value prints its one-line summary, never breaks the cell.
 */
import type { InspectOptionsStylized } from 'node:util';

const EXECUTOR = /[\\/]tslab[\\/]dist[\\/]executor\.js$/;

interface CallSiteLike {
  getFileName(): string | null | undefined;
}

/** The call stack of the caller as structured frames, outermost last; [] when the engine gives none. */
function callSites(): CallSiteLike[] {
  const { prepareStackTrace, stackTraceLimit } = Error;
  const holder: { stack?: unknown } = {};
  try {
    // Deep enough for Node's console and inspect frames (about ten) and those of nested
    // values' hooks; restored before anything else can run.
    Error.stackTraceLimit = 64;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, callSites);
    const sites = holder.stack;
    return Array.isArray(sites) ? (sites as CallSiteLike[]) : [];
  } catch {
    return [];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Whether the object whose inspect hook received (`depth`, `options`) is being printed as a
 * tslab cell's last value. Node passes a hook `depth = options.depth − nesting`, so the value
 * printed whole has them equal; with an unlimited depth nesting cannot be told and the answer
 * is no. The frames below Node's (`node:` files) are the package's own hook and renderer.
 */
export function printedAsCellValue(depth: number, options: InspectOptionsStylized): boolean {
  if (typeof options.depth !== 'number' || !Number.isFinite(options.depth) || depth !== options.depth) return false;
  const sites = callSites();
  const file = (site: CallSiteLike | undefined): string => {
    try {
      return site?.getFileName() ?? '';
    } catch {
      return '';
    }
  };
  let k = sites.findIndex((site) => file(site).startsWith('node:'));
  if (k < 0) return false;
  while (k < sites.length && file(sites[k]).startsWith('node:')) k++;
  return EXECUTOR.test(file(sites[k]));
}

/**
 * Drops the line break `console.log` writes after a value printed as '' (the value was shown
 * as an output instead): the next write to `stream`, if it is exactly '\n', is dropped, and
 * `stream.write` is put back at that write or at the end of the current job, whichever comes
 * first, so nothing else is ever affected. tslab replaces `process.stdout.write` at each cell;
 * whatever function is there is the one put back.
 */
export function dropNextNewline(stream: NodeJS.WriteStream = process.stdout): void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  const write = stream.write;
  let patched = true;
  const restore = (): void => {
    if (!patched) return;
    patched = false;
    if (own === undefined) delete (stream as { write?: unknown }).write;
    else Object.defineProperty(stream, 'write', own);
  };
  // console.log's write callback only reports errors, of which a dropped write has none.
  stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
    restore();
    return chunk === '\n' ? true : (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
  }) as typeof stream.write;
  queueMicrotask(restore);
}
