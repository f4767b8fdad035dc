#!/usr/bin/env node
'use strict';
/**
 * `npm start`: the course in Jupyter, in one command. Checks (or installs) the system tools,
 * builds the package, registers the project's tslab kernel, copies the course notebooks into
 * the student's workspace/ (git-ignored; see workspace.js: the committed notebooks/ stay
 * output-free, edits there are never overwritten), and starts JupyterLab when it is installed,
 * else the classic Notebook, on workspace/; prints the URL to open.
 *
 *   npm start [-- --no-browser] [-- --port 8888] [-- --no-build] [-- --workspace DIR]
 *
 * The browser is not opened under CI, with --no-browser, or without a display.
 */
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { ensureSystem, PYTHON } = require('./setup');
const { buildPackage } = require('./build-package');
const { REPO, KERNEL_NAME, registerKernel, jupyterEnv } = require('./kernel');
const { WORKSPACE, prepareWorkspace } = require('./workspace');

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
  if (!process.argv.includes('--no-build') && !buildPackage({ strict: false })) process.exit(1);
  registerKernel();
  const workspace = option('--workspace') ? path.resolve(option('--workspace')) : WORKSPACE;
  const { copied, refreshed, kept } = prepareWorkspace({ dir: workspace });
  if (copied.length + refreshed.length > 0)
    console.log(`start: copied ${[...copied, ...refreshed].join(', ')} into ${workspace}`);
  for (const file of kept)
    console.log(
      `start: the course has a new ${file}; your edited copy is kept (npm run workspace:reset -- ${file} takes the new one, backing yours up)`,
    );
  const app = hasJupyterLab() ? 'jupyterlab' : 'notebook';
  const noBrowser =
    process.argv.includes('--no-browser') ||
    Boolean(process.env.CI) ||
    (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
  const args = ['-m', app, `--notebook-dir=${workspace}`, '--ip=127.0.0.1'];
  if (option('--port')) args.push(`--port=${option('--port')}`);
  if (noBrowser) args.push('--no-browser');
  if (process.getuid?.() === 0) args.push('--allow-root');
  console.log(
    `start: ${app === 'jupyterlab' ? 'JupyterLab' : 'Jupyter Notebook'} on ${workspace} (your copies; npm run workspace:reset restores them), kernel "TypeScript (losslab)" (${KERNEL_NAME}); Ctrl+C to stop`,
  );
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
