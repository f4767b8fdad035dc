/**
 * The measurement cache: an experiment measured in one process (a chapter's kernel) is read,
 * not run again, by another (the verdict chapter's), with every number as it was — ±Infinity
 * included — and a change of code starts afresh.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

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
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', program], { encoding: 'utf8' }).trim().split('\n');
  return { ran: out.includes('ran'), measurements: JSON.parse(out[out.length - 1]) as Record<string, Record<string, unknown>> };
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
    expect(second.measurements.unbounded).to.deep.include({ estimate: 'Infinity', lower: '-Infinity', upper: 'Infinity' });
    expect(second.measurements.gap).to.deep.include({ estimate: 0.25, lower: 0.125, upper: 0.5, label: 'a gap' });
  });
});
