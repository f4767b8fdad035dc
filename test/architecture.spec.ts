/**
 * Data flows one way: losses → risk → fitting → figures → display. A module may import
 * only from the layers listed for it here, so a loss never learns about plots and a figure
 * builder never learns about Jupyter.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', 'src');

/** What each top-level part of src/ may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  errors: [],
  matrix: [],
  vec: [],
  random: ['errors'],
  validate: ['errors', 'matrix', 'vec', 'losses'],
  losses: ['errors', 'matrix', 'vec', 'validate', 'linalg'],
  risk: ['errors', 'vec', 'validate', 'losses'],
  linalg: ['errors', 'matrix'],
  data: ['errors', 'matrix', 'vec', 'validate', 'losses', 'random'],
  // Solvers draw their own random orders (sgd, dualCD) but never a dataset.
  fit: ['errors', 'matrix', 'vec', 'validate', 'losses', 'risk', 'linalg', 'random'],
  plot: ['errors', 'matrix', 'vec', 'validate', 'losses', 'risk'],
  // Display shows what every layer makes (losses, fits, datasets as cards), so it sits below the course only.
  display: ['errors', 'vec', 'losses', 'fit', 'data', 'plot'],
  // The course's helpers sit on top of everything: experiments fit, plot and show.
  course: [
    'errors',
    'matrix',
    'vec',
    'validate',
    'losses',
    'risk',
    'linalg',
    'random',
    'data',
    'fit',
    'plot',
    'display',
  ],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** The top-level part of src/ a path belongs to: `fit/solvers/lp/solve.ts` → `fit`, `risk.ts` → `risk`. */
const partOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0].replace(/\.ts$/, '');

describe('architecture: imports only flow downstream', () => {
  for (const file of files(SRC).filter((f) => path.basename(f) !== 'index.ts' || path.dirname(f) !== SRC)) {
    const part = partOf(file);
    it(`${path.relative(SRC, file)} imports only from ${part}${ALLOWED[part]?.length ? `, ${ALLOWED[part].join(', ')}` : ''}`, () => {
      expect(ALLOWED, `src/${part} has no entry in ALLOWED`).to.have.property(part);
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) =>
        partOf(path.resolve(path.dirname(file), m[1])),
      );
      const wrong = imports.filter((target) => target !== part && !ALLOWED[part].includes(target));
      expect(wrong).to.deep.equal([]);
    });
  }
});

/** The source without its comments, so that prose may name losses freely. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
}

/**
 * What a solver may not do to find out which loss it has: import the modules that define
 * losses, reach into the registry, compare ids or read a family's parameters. It asks the
 * loss's `capabilities` instead, which a user's own loss can declare too.
 */
const IDENTITY_CHECKS: Array<[RegExp, string]> = [
  [
    /from '(?:\.\.\/)+losses\/(?:regression|margin|probability|registry|family|define|constants)'/,
    'imports a module that defines losses',
  ],
  [/\blosses\.[A-Za-z]/, 'reads a loss from the registry'],
  [/\.id\s*[!=]==|[!=]==\s*[\w.]+\.id\b|\.id\.(?:startsWith|endsWith|includes|match)\(/, 'compares a loss id'],
  [/\.params\b/, "reads a family's parameters"],
];

describe('architecture: solvers ask a loss what it can do, never which loss it is', () => {
  for (const file of files(path.join(SRC, 'fit'))) {
    it(`${path.relative(SRC, file)} recognises no particular loss`, () => {
      const text = code(file);
      const found = IDENTITY_CHECKS.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
      expect(
        found,
        `${path.relative(SRC, file)} ${found.join(', ')}: declare what the solver needs as a capability of the loss (LossCapabilities in src/losses/types.ts) and ask loss.capabilities instead`,
      ).to.deep.equal([]);
    });
  }
});

describe('npm run test:unit: the specs that need no kernel, browser or build', () => {
  /** A mocha exclude pattern as a regular expression: `*` within a name, `{a,b}` alternatives. */
  const pattern = (glob: string): RegExp =>
    new RegExp(
      `^${glob
        .replace(/[.+^$()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\{([^}]*)\}/g, (_, alternatives: string) => `(?:${alternatives.split(',').join('|')})`)}$`,
    );
  const script = (
    JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts['test:unit'];
  const excluded = [...script.matchAll(/--exclude '?([^' ]+)'?/g)].map((m) => pattern(m[1]));
  /** What makes a spec slow or dependent on more than Node: a kernel, Chromium, or the built package. */
  const NEEDS =
    /from '\.\/helpers\/(?:browser|notebook|kernel-stand-in)'|from '\.\.\/src\/display\/chromium'|require\('\.\.'\)|from '(?:losslab)'/;

  for (const file of readdirSync(path.join(__dirname)).filter((f) => f.endsWith('.spec.ts'))) {
    const needs = NEEDS.test(readFileSync(path.join(__dirname, file), 'utf8'));
    if (needs) {
      it(`leaves out ${file}, which needs a kernel, a browser or the build`, () => {
        expect(
          excluded.some((re) => re.test(`test/${file}`)),
          `add --exclude test/${file} to test:unit in package.json`,
        ).to.equal(true);
      });
    }
  }
});
