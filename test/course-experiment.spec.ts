/**
 * The measurement cache: an experiment measured in one process (a chapter's kernel) is read,
 * not run again, by another (the verdict chapter's), with every number as it was — ±Infinity
 * included — and a change of code starts afresh. And runExperiment's progress callback.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { runExperiment, type Experiment } from '../src/course/experiment';
import { LossInputError } from '../src/errors';

const COURSE = path.join(__dirname, '..', 'src', 'course', 'experiment.ts');

/** Runs `measurementsOf` on a stand-in experiment in a fresh process; prints 'ran' if it had to run it. */
function measureInChild(id: string): { ran: boolean; measurements: Record<string, Record<string, unknown>> } {
  const program = `
    const { measurementsOf } = require(${JSON.stringify(COURSE)});
    const experiment = { id: ${JSON.stringify(id)}, title: 't', design: 'd', evidence: { chapter: 'x.ipynb', heading: 'h' },
      run() { console.log('ran'); return { measurements: {
        gap: { label: 'a gap', method: 'computed', level: 1, estimate: 0.25, lower: 0.125, upper: 0.5 },
        unbounded: { label: 'no bound', method: 'computed', level: 1, estimate: Infinity, lower: -Infinity, upper: Infinity },
      } }; } };
    console.log(JSON.stringify(measurementsOf(experiment), (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));`;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', program], { encoding: 'utf8' })
    .trim()
    .split('\n');
  return {
    ran: out.includes('ran'),
    measurements: JSON.parse(out[out.length - 1]) as Record<string, Record<string, unknown>>,
  };
}

describe('course measurement cache', () => {
  it('a second process reads the measurements instead of running the experiment, numbers intact', function () {
    this.timeout(60_000);
    const id = `cache-test-${randomBytes(6).toString('hex')}`;
    const first = measureInChild(id);
    const second = measureInChild(id);
    expect(first.ran).to.equal(true);
    expect(second.ran).to.equal(false);
    expect(second.measurements).to.deep.equal(first.measurements);
    expect(second.measurements.unbounded).to.deep.include({
      estimate: 'Infinity',
      lower: '-Infinity',
      upper: 'Infinity',
    });
    expect(second.measurements.gap).to.deep.include({ estimate: 0.25, lower: 0.125, upper: 0.5, label: 'a gap' });
  });
});

describe('runExperiment: the steps of a long run reach opts.onProgress', () => {
  /** A stand-in experiment reporting two steps; its id is new in every test run, so no cache answers for it. */
  const steps = (): Experiment => ({
    id: `progress-test-${randomBytes(6).toString('hex')}`,
    title: 't',
    design: 'd',
    evidence: { chapter: 'x.ipynb', heading: 'h' },
    run(onProgress) {
      onProgress?.(0, 2, 'first');
      onProgress?.(1, 2, 'second');
      return { measurements: {} };
    },
  });

  it('passes the callback to the run, and reports nothing when the result is remembered', () => {
    const experiment = steps();
    const heard: unknown[][] = [];
    runExperiment(experiment, { onProgress: (...args) => heard.push(args) });
    expect(heard).to.deep.equal([
      [0, 2, 'first'],
      [1, 2, 'second'],
    ]);
    runExperiment(experiment, { onProgress: (...args) => heard.push(args) });
    expect(heard).to.have.length(2);
    expect(() => runExperiment(steps())).not.to.throw();
  });

  it('refuses options that are not an object and a callback that is not a function', () => {
    for (const opts of [null, 5, 'x', [], () => ({})]) {
      expect(() => runExperiment(steps(), opts as never), String(opts))
        .to.throw(LossInputError)
        .with.property('argument', 'opts');
    }
    for (const onProgress of [null, 5, 'toString', {}]) {
      expect(() => runExperiment(steps(), { onProgress } as never), String(onProgress))
        .to.throw(LossInputError)
        .with.property('argument', 'opts.onProgress');
    }
  });
});
