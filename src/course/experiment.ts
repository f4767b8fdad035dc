/**
 * Experiments: the seeded, repeated computations whose measurements decide the claims. Each
 * lives in the file of the chapter that studies it (`chapters/`), so the chapter and the
 * verdict table run exactly the same experiment, never a smaller re-run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LossInputError, readGuarded } from '../errors';
import { readOptions } from './arguments';
import type { Evidence, Measurement, Measurements } from './verdict';

export interface ExperimentResult {
  measurements: Measurements;
}

/**
 * Hears how far a run has got: `done` of `total` steps finished, `detail` naming what runs
 * now. A notebook passes a display's update (`progress(...)` of losslab) here; the course
 * itself draws nothing, so its experiments stay plain computations.
 */
export type OnProgress = (done: number, total: number, detail?: string) => void;

export interface Experiment<R extends ExperimentResult = ExperimentResult> {
  id: string;
  /** A title for tables and progress lines. */
  title: string;
  /** The design in a few sentences: data, sizes, repetitions, seeds, the statistics measured. */
  design: string;
  evidence: Evidence;
  /** Runs the whole experiment; deterministic (every random number seeded). A long one reports its steps to `onProgress`. */
  run(onProgress?: OnProgress): R;
}

const results = new Map<string, ExperimentResult>();

/**
 * Runs an experiment once per process and hands back the same result afterwards: the verdict
 * chapter decides several claims from one experiment, and a chapter may show a result in
 * several cells. Results are deterministic, so remembering them changes no number; the map
 * holds at most one entry per experiment of the course. The measurements are also written to
 * the measurement cache (see `measurementsOf`). `opts.onProgress` hears the steps of a long
 * run (nothing when the result is remembered, or the experiment is quick and reports none).
 */
export function runExperiment<R extends ExperimentResult>(
  experiment: Experiment<R>,
  opts: { onProgress?: OnProgress } = {},
): R {
  const { id, run } = readExperiment(experiment);
  const { onProgress } = readOptions('opts', opts, '{ onProgress? }');
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new LossInputError({
      argument: 'opts.onProgress',
      value: onProgress,
      problem: 'is not a function',
      domain: '(done, total, detail?) => void',
    });
  }
  const known = results.get(id);
  if (known !== undefined) return known as R;
  const result = run.call(experiment, onProgress);
  results.set(id, result);
  storeMeasurements(id, result.measurements);
  return result;
}

/**
 * The measurements of an experiment: from this process if it ran here, else from the
 * measurement cache if the same code measured them before (a chapter executed earlier, in
 * another kernel), else by running it. The verdict chapter decides every claim this way, so
 * after the chapters have run it reads their measurements instead of computing them again —
 * the same numbers, since every experiment is deterministic and the cache is keyed by a hash
 * of the package's code.
 */
export function measurementsOf(experiment: Experiment): Measurements {
  const { id } = readExperiment(experiment);
  const known = results.get(id);
  if (known !== undefined) return known.measurements;
  return loadMeasurements(id) ?? runExperiment(experiment).measurements;
}

/** The id and run method, each read once under the guard: a getter or trap that throws is a LossInputError naming the experiment. */
function readExperiment<R extends ExperimentResult>(experiment: Experiment<R>): Pick<Experiment<R>, 'id' | 'run'> {
  const domain = 'an entry of `experiments`';
  const read = readGuarded(
    'experiment',
    () => {
      const e = experiment as Partial<Experiment<R>> | null;
      return typeof e === 'object' && e !== null ? { id: e.id, run: e.run } : undefined;
    },
    domain,
  );
  if (read === undefined || typeof read.run !== 'function' || typeof read.id !== 'string') {
    throw new LossInputError({ argument: 'experiment', value: experiment, problem: 'is not an experiment', domain });
  }
  return { id: read.id, run: read.run };
}

// ------------------------------------------------------------------------------------------
// The measurement cache: node_modules/.cache/losslab-course/<hash of the code>/<id>.json beside
// the package, the conventional home of tools' caches. Any failure to read or write it only
// means running the experiment; a file from other code is never read (other hash, other folder).

/** The package's root folder: this module sits in <root>/dist/course or <root>/src/course. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

let cacheFolder: string | null | undefined;

/** Every source or compiled file of the package, hashed in a fixed order, with Node's version. */
function codeHash(): string {
  const hash = createHash('sha256').update(process.version);
  const codeRoot = path.resolve(__dirname, '..');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : /\.(js|ts)$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );
  for (const file of walk(codeRoot).sort()) hash.update(path.relative(codeRoot, file)).update(readFileSync(file));
  for (const lock of ['package-lock.json', 'package.json']) {
    try {
      hash.update(readFileSync(path.join(PACKAGE_ROOT, lock)));
    } catch {
      // An installed package has no lock file; its own package.json still pins its dependencies' ranges.
    }
  }
  return hash.digest('hex').slice(0, 20);
}

function folder(): string | null {
  if (cacheFolder !== undefined) return cacheFolder;
  try {
    cacheFolder = path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'losslab-course', codeHash());
  } catch {
    cacheFolder = null;
  }
  return cacheFolder;
}

/** JSON has no ±Infinity: they travel as strings. */
const encode = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
const decodeNumber = (v: unknown): number =>
  v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number);

function storeMeasurements(id: string, measurements: Measurements): void {
  const dir = folder();
  if (dir === null) return;
  try {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${encodeURIComponent(id)}.json`);
    // Written aside and renamed, so a kernel reading at the same time sees all or nothing.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(measurements, encode));
    renameSync(partial, file);
  } catch {
    // No cache here (a read-only install): nothing is lost but time.
  }
}

function loadMeasurements(id: string): Measurements | undefined {
  const dir = folder();
  if (dir === null) return undefined;
  let raw: Record<string, Record<string, unknown>>;
  try {
    raw = JSON.parse(readFileSync(path.join(dir, `${encodeURIComponent(id)}.json`), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
  } catch {
    return undefined;
  }
  const out: Record<string, Measurement> = {};
  for (const [key, m] of Object.entries(raw)) {
    out[key] = {
      label: String(m.label),
      method: String(m.method),
      level: decodeNumber(m.level),
      estimate: decodeNumber(m.estimate),
      lower: decodeNumber(m.lower),
      upper: decodeNumber(m.upper),
    };
  }
  return out;
}
