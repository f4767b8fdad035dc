#!/usr/bin/env node
'use strict';
/**
 * `npm start`: the course in Jupyter, in one command. Checks (or installs) the system tools,
 * builds the package, registers the project's tslab kernel, and starts JupyterLab when it is
 * installed, else the classic Notebook, on notebooks/; prints the URL to open.
 *
 *   npm start [-- --no-browser] [-- --port 8888]
 *
 * The browser is not opened under CI, with --no-browser, or without a display.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureSystem, PYTHON } = require('./setup');
const { buildPackage } = require('./build-package');
const { REPO, KERNEL_NAME, registerKernel, jupyterEnv } = require('./kernel');

function option(name) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function hasJupyterLab() {
  return spawnSync(PYTHON, ['-c', 'import jupyterlab'], { stdio: 'ignore' }).status === 0;
}

function main() {
  if (!ensureSystem({ quiet: true })) process.exit(1);
  if (!buildPackage({ strict: false })) process.exit(1);
  registerKernel();
  fs.mkdirSync(path.join(REPO, 'notebooks'), { recursive: true });
  const app = hasJupyterLab() ? 'jupyterlab' : 'notebook';
  const noBrowser = process.argv.includes('--no-browser') || Boolean(process.env.CI) || (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
  const args = ['-m', app, `--notebook-dir=${path.join(REPO, 'notebooks')}`, '--ip=127.0.0.1'];
  if (option('--port')) args.push(`--port=${option('--port')}`);
  if (noBrowser) args.push('--no-browser');
  if (process.getuid?.() === 0) args.push('--allow-root');
  console.log(`start: ${app === 'jupyterlab' ? 'JupyterLab' : 'Jupyter Notebook'} on notebooks/, kernel "TypeScript (losslab)" (${KERNEL_NAME}); Ctrl+C to stop`);
  const server = spawn(PYTHON, args, { cwd: REPO, env: jupyterEnv(), stdio: ['inherit', 'inherit', 'pipe'] });
  let announced = false;
  server.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/\S*\?token=\w+)/.exec(chunk.toString());
    if (url && !announced) {
      announced = true;
      console.log(`\nstart: open ${url[1]}\n`);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
