'use strict';
/** Compiles the package to dist/ (what notebooks import as 'losslab'), as `npm run build` does. */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

/**
 * Runs tsc on tsconfig.build.json. tsc writes dist/ even when it reports type errors; with
 * `strict` those errors fail the build, otherwise a warning is printed and dist/ is used.
 * Returns whether dist/ is usable.
 */
function buildPackage({ strict = true } = {}) {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO] });
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(REPO, 'tsconfig.build.json')], {
    cwd: REPO,
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    console.log(`build: dist/ compiled in ${seconds} s`);
    return true;
  }
  const usable = fs.existsSync(path.join(REPO, 'dist', 'index.js'));
  if (strict || !usable) {
    console.error('build: TypeScript reported errors (above); fix them or run `npm run build` to see them again');
    return false;
  }
  console.warn(`build: TypeScript reported errors (above); continuing with the dist/ it wrote anyway (${seconds} s)`);
  return true;
}

module.exports = { buildPackage };
