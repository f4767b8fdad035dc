/**
 * The loops of the built-in losses and the tables of their elementary functions are written
 * ahead of time by scripts/generate-kernels.js, so that loading the package compiles nothing
 * from a string (test/csp.spec.ts runs it where that is forbidden). These files must be what the
 * script writes today, and `npm run build` must write them.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Loss } from '../src/index';
import { familyOf, allLosses } from './helpers/losses';

const ROOT = join(__dirname, '..');

interface Kind {
  id: string;
  target: string;
  prediction: string;
  propagates: string[];
  fused?: boolean;
  integer?: boolean;
}
const script = require('../scripts/generate-kernels.js') as {
  renderKernels(): string;
  renderTables(): string;
  FILES: { kernels: string; tables: string };
  KINDS: Kind[];
};

describe('generated kernels and tables', () => {
  it('src/losses/kernels.generated.ts is what scripts/generate-kernels.js writes', () => {
    const current = readFileSync(script.FILES.kernels, 'utf8') === script.renderKernels();
    expect(current, 'out of date: run `node scripts/generate-kernels.js --write` (npm run build does)').to.equal(true);
  });

  it('src/losses/tables.generated.ts is what scripts/generate-kernels.js writes', function () {
    this.timeout(30_000);
    const current = readFileSync(script.FILES.tables, 'utf8') === script.renderTables();
    expect(current, 'out of date: run `node scripts/generate-kernels.js --write` (npm run build does)').to.equal(true);
  });

  it('--check exits 0 on the committed files, and npm run build regenerates them first', function () {
    this.timeout(30_000);
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'generate-kernels.js'), '--check'], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).to.equal(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const steps = pkg.scripts.build.split('&&').map((s) => s.trim());
    const generate = steps.indexOf('node scripts/generate-kernels.js --write');
    const compile = steps.findIndex((s) => s.includes('tsc'));
    expect(generate, pkg.scripts.build).to.be.at.least(0);
    expect(generate, 'the generator runs before the compiler').to.be.below(compile);
  });

  it('every built-in loss has loops written for its own domains, and only the listed ones', () => {
    const byId = new Map(script.KINDS.map((k) => [k.id, k]));
    const families = new Set<string>();
    for (const loss of allLosses as readonly Loss[]) {
      const family = familyOf(loss);
      families.add(family);
      const kind = byId.get(family);
      expect(kind, `${loss.id}: no entry in KINDS`).to.not.equal(undefined);
      expect([kind?.target, kind?.prediction], loss.id).to.deep.equal([loss.target, loss.prediction]);
      // Only a real argument may skip its domain penalty in the unweighted sum (see the script).
      for (const argument of kind?.propagates ?? []) {
        expect(argument === 'y' ? loss.target : loss.prediction, `${loss.id} skips ${argument}`).to.equal('real');
      }
      // An integer loss's sums leave out the compensation: its values must be integers.
      if (kind?.integer === true) {
        for (const y of [-1, 1]) {
          for (const f of [-1e300, -2, -1, -5e-324, -0, 0, 5e-324, 0.5, 1, 1e300]) {
            expect(Number.isInteger(loss.value(y, f)), `${loss.id}.value(${y}, ${f})`).to.equal(true);
          }
        }
      }
    }
    expect(
      [...byId.keys()].filter((id) => !families.has(id)),
      'KINDS entries with no loss',
    ).to.deep.equal([]);
  });
});
