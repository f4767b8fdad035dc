/**
 * The built package as its users load it: by name, from CommonJS, ESM, and TypeScript with
 * node10 resolution (what tslab uses) and node16 resolution.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..');
/** A consumer using both entry points, their types, and a typo that must not compile. */
const CONSUMER = [
  "import { losses, risk, fitLinear, lossCurves, huber, toPNG, LossInputError, type Loss, type Figure } from 'losslab';",
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
  'export const picture = (): Promise<Uint8Array> => toPNG(fig);',
  'export { r, w, fig, e };',
  '// @ts-expect-error: a typo in a loss name must not type-check',
  'export const wrong = losses.hingee;',
].join('\n');
const CONTRACT = [
  'losses',
  'huber',
  'quantile',
  'epsilonInsensitive',
  'risk',
  'values',
  'derivatives',
  'LossInputError',
  'fitLinear',
  'lossCurves',
  'show',
  'init',
  'toHTML',
];

describe('package entry', () => {
  it('loads by name from CommonJS', () => {
    const out = execFileSync(process.execPath, [
      '-e',
      "const l = require('losslab'); console.log(typeof l.risk, l.losses.hinge.id)",
    ])
      .toString()
      .trim();
    expect(out).to.equal('function hinge');
  });

  it('loads by name from ESM with named exports', () => {
    const out = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      "import { risk, losses, fitLinear } from 'losslab'; console.log(typeof risk, typeof fitLinear, losses.l2.id)",
    ])
      .toString()
      .trim();
    expect(out).to.equal('function function l2');
  });

  it('loads the course helpers as losslab/course from CommonJS and ESM', () => {
    const cjs = execFileSync(process.execPath, [
      '-e',
      "const c = require('losslab/course'); console.log(typeof c.check, typeof c.decideClaim)",
    ])
      .toString()
      .trim();
    expect(cjs).to.equal('function function');
    const esm = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      "import { fmt, claims } from 'losslab/course'; console.log(fmt(2), claims.length > 0)",
    ])
      .toString()
      .trim();
    expect(esm).to.equal('2.000 true');
  });

  it('exports every name of the API contract from both module systems', () => {
    const cjs = execFileSync(process.execPath, [
      '-e',
      `const l = require('losslab'); console.log(JSON.stringify(${JSON.stringify(CONTRACT)}.filter((k) => l[k] === undefined)))`,
    ])
      .toString()
      .trim();
    expect(cjs).to.equal('[]');
    const esm = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `import * as l from 'losslab'; console.log(JSON.stringify(${JSON.stringify(CONTRACT)}.filter((k) => l[k] === undefined)))`,
    ])
      .toString()
      .trim();
    expect(esm).to.equal('[]');
  });

  for (const resolution of ['node10', 'node16'] as const) {
    it(`type-checks a consumer under moduleResolution ${resolution}`, function () {
      this.timeout(60_000);
      const parent = path.join(REPO, 'build', 'test-tmp');
      mkdirSync(parent, { recursive: true });
      const dir = mkdtempSync(path.join(parent, `types-${resolution}-`));
      try {
        writeFileSync(path.join(dir, 'consumer.ts'), CONSUMER);
        const module = resolution === 'node16' ? 'node16' : 'commonjs';
        const result = spawnSync(
          process.execPath,
          [
            path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
            '--noEmit',
            '--strict',
            '--skipLibCheck',
            'false',
            '--module',
            module,
            '--moduleResolution',
            resolution,
            '--target',
            'es2022',
            '--types',
            'node',
            path.join(dir, 'consumer.ts'),
          ],
          { cwd: dir, encoding: 'utf8' },
        );
        expect(result.stdout + result.stderr).to.equal('');
        expect(result.status).to.equal(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

interface PackedFile {
  path: string;
}

/** What `npm pack` would publish, without running the build (the tests run on a built tree). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return (JSON.parse(out) as Array<{ files: PackedFile[] }>)[0].files.map((f) => f.path);
}

describe('the published package', function () {
  this.timeout(60_000);
  const files = packedFiles();

  it('carries the licence, the README and every picture the README shows', () => {
    expect(files).to.include.members(['LICENSE', 'README.md', 'package.json']);
    const license = readFileSync(path.join(REPO, 'LICENSE'), 'utf8');
    expect(license).to.match(/^MIT License/);
    expect((JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { license: string }).license).to.equal(
      'MIT',
    );
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((src) => !/^[a-z]+:/i.test(src));
    expect(pictures.length).to.be.greaterThan(0);
    expect(files).to.include.members(pictures);
  });
});

/**
 * A consumer as npm would set it up, outside this repository: the packed files copied into
 * node_modules/losslab, the runtime dependencies beside them, and no @types/node anywhere up
 * the tree. Compiled with `strict` and without `skipLibCheck`, so every declaration file the
 * package ships is checked, by the TypeScript the repo builds with and by the newest one
 * (`typescript-next`, an npm alias of typescript@latest).
 */
describe('a strict TypeScript consumer with no @types/node and no skipLibCheck', function () {
  this.timeout(120_000);
  let root: string;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'losslab-consumer-'));
    const pkg = path.join(root, 'node_modules', 'losslab');
    for (const file of packedFiles()) {
      mkdirSync(path.dirname(path.join(pkg, file)), { recursive: true });
      copyFileSync(path.join(REPO, file), path.join(pkg, file));
    }
    const { dependencies } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(dependencies)) {
      mkdirSync(path.dirname(path.join(root, 'node_modules', name)), { recursive: true });
      symlinkSync(path.join(REPO, 'node_modules', name), path.join(root, 'node_modules', name));
    }
    writeFileSync(path.join(root, 'consumer.ts'), CONSUMER);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('has no @types/node to lean on (so the checks below can fail)', () => {
    let dir = root;
    for (;;) {
      expect(existsSync(path.join(dir, 'node_modules', '@types', 'node')), dir).to.equal(false);
      if (path.dirname(dir) === dir) break;
      dir = path.dirname(dir);
    }
  });

  const compilers = [
    { pkg: 'typescript', resolutions: ['node10', 'node16', 'nodenext', 'bundler'] },
    // TypeScript 7 dropped node10 resolution.
    { pkg: 'typescript-next', resolutions: ['node16', 'nodenext', 'bundler'] },
  ];
  for (const { pkg, resolutions } of compilers) {
    const version = (
      JSON.parse(readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }
    ).version;
    for (const resolution of resolutions) {
      it(`type-checks with TypeScript ${version} (${pkg}), moduleResolution ${resolution}`, () => {
        const module = { node10: 'commonjs', node16: 'node16', nodenext: 'nodenext', bundler: 'esnext' }[resolution];
        const config = path.join(root, `tsconfig.${pkg}.${resolution}.json`);
        writeFileSync(
          config,
          JSON.stringify({
            compilerOptions: {
              strict: true,
              noEmit: true,
              skipLibCheck: false,
              target: 'es2022',
              module,
              moduleResolution: resolution,
            },
            files: ['consumer.ts'],
          }),
        );
        const result = spawnSync(process.execPath, [path.join(REPO, 'node_modules', pkg, 'bin', 'tsc'), '-p', config], {
          cwd: root,
          encoding: 'utf8',
        });
        expect(result.stdout + result.stderr).to.equal('');
        expect(result.status).to.equal(0);
      });
    }
  }
});
