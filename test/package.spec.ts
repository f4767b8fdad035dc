/**
 * The built package as its users load it: by name, from CommonJS, ESM, and TypeScript with
 * node10 resolution (what tslab uses) and node16 resolution.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..');
const CONTRACT = ['losses', 'huber', 'quantile', 'epsilonInsensitive', 'risk', 'values', 'derivatives', 'LossInputError', 'fitLinear', 'lossCurves', 'show', 'init', 'toHTML'];

describe('package entry', () => {
  it('loads by name from CommonJS', () => {
    const out = execFileSync(process.execPath, ['-e', "const l = require('losslab'); console.log(typeof l.risk, l.losses.hinge.id)"]).toString().trim();
    expect(out).to.equal('function hinge');
  });

  it('loads by name from ESM with named exports', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "import { risk, losses, fitLinear } from 'losslab'; console.log(typeof risk, typeof fitLinear, losses.l2.id)"]).toString().trim();
    expect(out).to.equal('function function l2');
  });

  it('loads the course helpers as losslab/course from CommonJS and ESM', () => {
    const cjs = execFileSync(process.execPath, ['-e', "const c = require('losslab/course'); console.log(typeof c.check, typeof c.decideClaim)"]).toString().trim();
    expect(cjs).to.equal('function function');
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', "import { fmt, claims } from 'losslab/course'; console.log(fmt(2), claims.length > 0)"]).toString().trim();
    expect(esm).to.equal('2.000 true');
  });

  it('exports every name of the API contract from both module systems', () => {
    const cjs = execFileSync(process.execPath, ['-e', `const l = require('losslab'); console.log(JSON.stringify(${JSON.stringify(CONTRACT)}.filter((k) => l[k] === undefined)))`]).toString().trim();
    expect(cjs).to.equal('[]');
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', `import * as l from 'losslab'; console.log(JSON.stringify(${JSON.stringify(CONTRACT)}.filter((k) => l[k] === undefined)))`]).toString().trim();
    expect(esm).to.equal('[]');
  });

  for (const resolution of ['node10', 'node16'] as const) {
    it(`type-checks a consumer under moduleResolution ${resolution}`, function () {
      this.timeout(60_000);
      const parent = path.join(REPO, 'build', 'test-tmp');
      mkdirSync(parent, { recursive: true });
      const dir = mkdtempSync(path.join(parent, `types-${resolution}-`));
      try {
        writeFileSync(path.join(dir, 'consumer.ts'), [
          "import { losses, risk, fitLinear, lossCurves, huber, LossInputError, type Loss, type Figure } from 'losslab';",
          "import { fmt, claims, type Decision } from 'losslab/course';",
          'export const firstClaim: string = claims[0].id;',
          'export const shown: string = fmt(1.5);',
          'export type D = Decision;',
          'const loss: Loss = huber(2);',
          'const r: number = risk(losses.hinge, [1, -1], [0.5, 0.5]);',
          'const fit = fitLinear([[0], [1]], [0, 1], { loss: losses.l2 });',
          'const w: Float64Array = fit.weights;',
          'const fig: Figure = lossCurves([loss]);',
          'const e: RangeError = new LossInputError({ argument: "y", problem: "is bad" });',
          'export { r, w, fig, e };',
          '// @ts-expect-error: a typo in a loss name must not type-check',
          'export const wrong = losses.hingee;',
        ].join('\n'));
        const module = resolution === 'node16' ? 'node16' : 'commonjs';
        const result = spawnSync(process.execPath, [
          path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', 'false',
          '--module', module, '--moduleResolution', resolution, '--target', 'es2022', '--types', 'node', path.join(dir, 'consumer.ts'),
        ], { cwd: dir, encoding: 'utf8' });
        expect(result.stdout + result.stderr).to.equal('');
        expect(result.status).to.equal(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
