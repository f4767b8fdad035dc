#!/usr/bin/env node
'use strict';
/**
 * Registers the tslab kernel for this project only.
 *
 * The kernelspec lives in `<repo>/.jupyter-local/kernels/tslab-losslab/` (git-ignored) and is
 * found by Jupyter through JUPYTER_PATH, which `jupyterEnv()` sets: nothing is written to the
 * user's or the system's Jupyter directories, and a globally installed tslab of another version
 * cannot shadow the one pinned in package.json. The argv mirrors what `tslab install` writes
 * (node_modules/tslab/python/install.py), with absolute paths so the kernel starts the same
 * way from any working directory and from Jupyter servers that do not inherit our PATH.
 *
 * Usage: `node scripts/kernel.js` prints the JUPYTER_PATH to export.
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const KERNEL_NAME = 'tslab-losslab';
const JUPYTER_LOCAL = path.join(REPO, '.jupyter-local');

function tslabEntry() {
  let packageJson;
  try {
    packageJson = require.resolve('tslab/package.json', { paths: [REPO] });
  } catch {
    throw new Error('tslab is not installed: run `npm install` in ' + REPO);
  }
  return path.join(path.dirname(packageJson), 'bin', 'tslab');
}

function kernelSpec() {
  return {
    argv: [process.execPath, tslabEntry(), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (losslab)',
    language: 'typescript',
  };
}

/** Writes the kernelspec (only when it changed) and returns where it is. */
function registerKernel() {
  const dir = path.join(JUPYTER_LOCAL, 'kernels', KERNEL_NAME);
  const file = path.join(dir, 'kernel.json');
  const text = JSON.stringify(kernelSpec(), null, 2) + '\n';
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== text) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text);
  }
  return { kernelName: KERNEL_NAME, kernelJson: file, jupyterPath: JUPYTER_LOCAL };
}

/** `base` with JUPYTER_PATH extended so Jupyter finds this project's kernelspec first. */
function jupyterEnv(base = process.env) {
  const rest = base.JUPYTER_PATH ? base.JUPYTER_PATH.split(path.delimiter).filter((p) => p !== JUPYTER_LOCAL) : [];
  return { ...base, JUPYTER_PATH: [JUPYTER_LOCAL, ...rest].join(path.delimiter) };
}

module.exports = { REPO, KERNEL_NAME, JUPYTER_LOCAL, kernelSpec, registerKernel, jupyterEnv };

if (require.main === module) {
  const { kernelJson, jupyterPath } = registerKernel();
  console.error(`kernel ${KERNEL_NAME} registered: ${kernelJson}`);
  console.log(jupyterPath);
}
