/**
 * The display fixture notebooks, executed once per test run by the real tslab kernel and
 * shared by the specs: display.ipynb twice (to compare outputs), display-fallback.ipynb once,
 * all in parallel.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { executeNotebook, REPO, scratchDir, type Execution, type Notebook } from './notebook';

export const FIXTURE = path.join(REPO, 'test', 'fixtures', 'display.ipynb');
/** A notebook that hides tslab's bundle writer from show() for one cell. */
export const FALLBACK_FIXTURE = path.join(REPO, 'test', 'fixtures', 'display-fallback.ipynb');

export function sourceOf(cell: { source: string | string[] }): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** `show(` calls in a piece of source: what the outputs must match. */
export function showCalls(source: string): number {
  return (source.match(/\bshow\(/g) ?? []).length;
}

/** show() calls in the fixture, counted in its source, not in any output. */
export function fixtureShowCalls(): number {
  const notebook = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Notebook;
  return notebook.cells.filter((c) => c.cell_type === 'code').reduce((n, c) => n + showCalls(sourceOf(c)), 0);
}

export interface ExecutedFixture {
  dir: string;
  /** Path of the first executed copy. */
  file: string;
  first: Execution;
  second: Execution;
  fallback: Execution;
}

let executed: Promise<ExecutedFixture> | undefined;

export function executedFixture(): Promise<ExecutedFixture> {
  executed ??= (async () => {
    const dir = scratchDir('display');
    const file = path.join(dir, 'display.ipynb');
    const [first, second, fallback] = await Promise.all([
      executeNotebook(FIXTURE, file),
      executeNotebook(FIXTURE, path.join(dir, 'display-again.ipynb')),
      executeNotebook(FALLBACK_FIXTURE, path.join(dir, 'display-fallback.ipynb')),
    ]);
    return { dir, file, first, second, fallback };
  })();
  return executed;
}
