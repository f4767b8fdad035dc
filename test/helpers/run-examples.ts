/**
 * Child process for test/docs.spec.ts: runs every example, with `require('losslab')` bound
 * to src/index.ts (and `losslab/course` to src/course/index.ts), and writes what each checked statement gave (or threw) as JSON.
 * Usage: node --require tsx/cjs test/helpers/run-examples.ts <examples.json> <results.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { show } from './examples';

interface Outcome {
  /** show(value) per checked statement, or `throws Name: message`. */
  printed: Array<string | null>;
  /** An error outside a checked statement, which stops the block. */
  error: string | null;
  ms: number;
}

const [examplesPath, resultsPath] = process.argv.slice(2);
const examples = JSON.parse(readFileSync(examplesPath, 'utf8')) as Array<{ program: string; checks: unknown[] }>;
const root = join(__dirname, '..', '..');
const library: unknown = require(join(root, 'src', 'index.ts'));
const course: unknown = require(join(root, 'src', 'course', 'index.ts'));
const load = (name: string): unknown =>
  name === 'losslab' ? library : name === 'losslab/course' ? course : require(name);

async function main(): Promise<void> {
  const outcomes: Outcome[] = [];
  for (const example of examples) {
    const printed: Array<string | null> = example.checks.map(() => null);
    const started = Date.now();
    const check = async (index: number, compute: () => Promise<unknown>): Promise<unknown> => {
      try {
        const value = await compute();
        printed[index] = show(value);
        return value;
      } catch (e) {
        // Recorded, and the block goes on: an example may show a call that throws.
        const err = e as Error;
        printed[index] = `throws ${err?.name}: ${err?.message}`;
        return undefined;
      }
    };
    // console.log's output as the console would show it (util.format of its arguments).
    const print = async (index: number, compute: () => Promise<unknown[]>): Promise<void> => {
      try {
        printed[index] = format(...(await compute()));
      } catch (e) {
        const err = e as Error;
        printed[index] = `throws ${err?.name}: ${err?.message}`;
      }
    };
    let error: string | null = null;
    try {
      const body = new Function(
        'require',
        'exports',
        '__check',
        '__print',
        `return (async () => {\n${example.program}\n})();`,
      ) as (r: typeof load, e: object, c: typeof check, p: typeof print) => Promise<void>;
      await body(load, {}, check, print);
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    outcomes.push({ printed, error, ms: Date.now() - started });
  }
  writeFileSync(resultsPath, JSON.stringify(outcomes));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
