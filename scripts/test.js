#!/usr/bin/env node
/**
 * Runs the specs in two mocha processes at once (what `npm test` calls after building,
 * type-checking and linting):
 *
 * - the specs that drive real parts (Jupyter kernels and servers, Chromium, the packed
 *   package), in file order, with their output shown as it comes: the front-end and site specs
 *   read the notebooks the course spec executed, so their order matters;
 * - the rest (pure computation, about 80 s on one core), whose output is shown
 *   in one block when it ends.
 *
 * The suite is bound by CPU on CI's two cores, and much of the first group waits on one page
 * or one kernel at a time: the second group fills the idle core instead of running after it.
 *
 * The first group is what `npm run test:unit` leaves out (its --exclude list in package.json,
 * which the architecture spec keeps complete), but for the ulp sweeps of elementary.spec.ts:
 * they are left out of that quick check for time alone, and need no kernel or browser.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const SLOW_BUT_PURE = new Set(['elementary.spec.ts']);

/** A mocha --exclude glob as a regular expression: `*` within a name, `{a,b}` alternatives. */
const globPattern = (glob) =>
  new RegExp(
    `^${glob
      .replace(/[.+^$()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\{([^}]*)\}/g, (_, alternatives) => `(?:${alternatives.split(',').join('|')})`)}$`,
  );
const unitScript = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).scripts['test:unit'];
const excluded = [...unitScript.matchAll(/--exclude '?([^' ]+)'?/g)].map((m) => globPattern(m[1]));
const usesRealParts = (file) => !SLOW_BUT_PURE.has(file) && excluded.some((re) => re.test(`test/${file}`));

const specs = fs
  .readdirSync(path.join(REPO, 'test'))
  .filter((f) => f.endsWith('.spec.ts'))
  .sort();
const realParts = specs.filter(usesRealParts);
const computed = specs.filter((f) => !usesRealParts(f));
const mocha = path.join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js');

/** Runs mocha on `files`; resolves to its exit status, with its output kept when `quiet`. */
function run(files, quiet) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mocha, ...files.map((f) => path.join('test', f))], {
      cwd: REPO,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    if (quiet) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('close', (status, signal) => resolve({ status: status ?? 1, signal, output }));
  });
}

async function main() {
  const started = Date.now();
  const [real, pure] = await Promise.all([
    run(realParts, false),
    run(computed, true).then((result) => {
      // One short line now (a write this small cannot interleave with the other process's
      // output); the whole report once the other process is done.
      const counts = result.output.match(/^\s*\d+ (?:passing|failing|pending)\b.*$/gm) ?? [];
      const minutes = ((Date.now() - started) / 60000).toFixed(1);
      process.stdout.write(
        `\n  [the ${computed.length} specs of pure computation, in a second process, ended after ${minutes} min: ${counts.map((c) => c.trim()).join(', ') || `exit ${result.status}`}; their report follows the rest]\n\n`,
      );
      return result;
    }),
  ]);
  process.stdout.write(
    `\n── the ${computed.length} specs of pure computation ──\n${pure.output}── end of the specs of pure computation ──\n\n`,
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  const failed = [
    real.status !== 0 ? `the specs of real parts (exit ${real.status}${real.signal ? `, ${real.signal}` : ''})` : '',
    pure.status !== 0
      ? `the specs of pure computation (exit ${pure.status}${pure.signal ? `, ${pure.signal}` : ''})`
      : '',
  ].filter(Boolean);
  console.log(
    `test: ${realParts.length + computed.length} spec files in ${seconds} s, ${failed.length === 0 ? 'all passed' : `failed: ${failed.join('; ')}`}`,
  );
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main();
