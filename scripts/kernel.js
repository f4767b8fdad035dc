#!/usr/bin/env node
'use strict';
/**
 * The project's tslab kernel, registered two ways.
 *
 * For the course (`npm start`, `npm run notebooks`, the tests): a kernelspec in
 * `<repo>/.jupyter-local/kernels/tslab-losslab/` (git-ignored), found by Jupyter through
 * JUPYTER_PATH, which `jupyterEnv()` sets. Nothing is written to the user's or the system's
 * Jupyter directories, and a globally installed tslab of another version cannot shadow the one
 * pinned in package.json.
 *
 * For the user's own Jupyter, JupyterLab and VS Code (`npm run kernel:install`): the same spec
 * copied into the user's Jupyter data directory or under a prefix, where every front end looks.
 * `npx tslab install` writes `"argv": ["tslab", ...]`, which fails with FileNotFoundError unless
 * a global tslab is on the PATH of whatever starts the kernel; this spec names node and tslab by
 * absolute path, so it starts from any working directory and from servers and editors that do
 * not inherit our PATH. It carries a `metadata.losslab` mark: install replaces and uninstall
 * removes only a spec with that mark, never another kernel that happens to share the name.
 *
 *   node scripts/kernel.js                 register for the project; print the JUPYTER_PATH to export
 *   node scripts/kernel.js install   [--user | --prefix DIR] [--name NAME] [--display-name TEXT] [--force]
 *   node scripts/kernel.js uninstall [--user | --prefix DIR] [--name NAME]
 *
 * --user (the default) is the per-user directory Jupyter reports (honours $JUPYTER_DATA_DIR);
 * --prefix DIR is DIR/share/jupyter/kernels (e.g. a virtualenv's or conda env's sys.prefix).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PYTHON } = require('./setup');

const REPO = path.resolve(__dirname, '..');
const KERNEL_NAME = 'tslab-losslab';
const DISPLAY_NAME = 'TypeScript (losslab)';
const JUPYTER_LOCAL = path.join(REPO, '.jupyter-local');

function tslabEntry() {
  let packageJson;
  try {
    packageJson = require.resolve('tslab/package.json', { paths: [REPO] });
  } catch {
    throw new Error(`tslab is not installed: run \`npm install\` in ${REPO}`);
  }
  return path.join(path.dirname(packageJson), 'bin', 'tslab');
}

function kernelSpec(displayName = DISPLAY_NAME) {
  return {
    argv: [process.execPath, tslabEntry(), 'kernel', '--config-path', '{connection_file}'],
    display_name: displayName,
    language: 'typescript',
  };
}

/** Writes `spec` as `dir/kernel.json` when it differs from what is there; returns the file. */
function writeSpec(dir, spec) {
  const file = path.join(dir, 'kernel.json');
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== text) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text);
  }
  return file;
}

/** Writes the project's kernelspec (only when it changed) and returns where it is. */
function registerKernel() {
  const file = writeSpec(path.join(JUPYTER_LOCAL, 'kernels', KERNEL_NAME), kernelSpec());
  return { kernelName: KERNEL_NAME, kernelJson: file, jupyterPath: JUPYTER_LOCAL };
}

/** `base` with JUPYTER_PATH extended so Jupyter finds this project's kernelspec first. */
function jupyterEnv(base = process.env) {
  const rest = base.JUPYTER_PATH ? base.JUPYTER_PATH.split(path.delimiter).filter((p) => p !== JUPYTER_LOCAL) : [];
  return { ...base, JUPYTER_PATH: [JUPYTER_LOCAL, ...rest].join(path.delimiter) };
}

/**
 * The per-user Jupyter data directory. Jupyter's own answer when its Python is at hand (it
 * knows every platform rule and setting); otherwise jupyter_core's documented defaults, so
 * that VS Code users without a Jupyter install still get a spec where the editor looks.
 */
function userDataDir(env = process.env) {
  const probe = spawnSync(
    PYTHON,
    ['-c', 'from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())'],
    {
      encoding: 'utf8',
      env: { ...env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    },
  );
  if (probe.status === 0) return probe.stdout.trim();
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Jupyter');
  if (process.platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'jupyter');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'jupyter');
}

function parseInstallArgs(argv) {
  const options = { user: false, prefix: undefined, name: KERNEL_NAME, displayName: undefined, force: false };
  const value = (i) => {
    if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--user') options.user = true;
    else if (arg === '--force') options.force = true;
    else if (arg === '--prefix') options.prefix = path.resolve(value(i++));
    else if (arg === '--name') options.name = value(i++);
    else if (arg === '--display-name') options.displayName = value(i++);
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.user && options.prefix !== undefined) throw new Error('--user and --prefix exclude each other');
  // Jupyter's own rule for kernel names (jupyter_client.kernelspec._kernel_name_pat).
  if (!/^[a-z0-9._-]+$/i.test(options.name))
    throw new Error(`--name ${JSON.stringify(options.name)}: use letters, digits, '.', '_' and '-' only`);
  if (options.displayName === undefined)
    options.displayName = options.name === KERNEL_NAME ? DISPLAY_NAME : `${DISPLAY_NAME}: ${options.name}`;
  return options;
}

function kernelsDir(options, env) {
  return options.prefix !== undefined
    ? path.join(options.prefix, 'share', 'jupyter', 'kernels')
    : path.join(userDataDir(env), 'kernels');
}

function readSpec(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'kernel.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

const ours = (spec) => spec !== undefined && spec.metadata !== undefined && spec.metadata.losslab !== undefined;

/** Installs the kernelspec for the user's own Jupyter; returns the spec's folder. */
function installKernel(argv, env = process.env) {
  const options = parseInstallArgs(argv);
  const dir = path.join(kernelsDir(options, env), options.name);
  const existing = readSpec(dir);
  if (fs.existsSync(dir) && !ours(existing) && !options.force) {
    throw new Error(`${dir} holds another kernel named ${options.name}; pick another --name, or --force to replace it`);
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const spec = { ...kernelSpec(options.displayName), metadata: { losslab: { repo: REPO, version } } };
  writeSpec(dir, spec);
  return dir;
}

/** Removes a kernelspec that install wrote; returns its folder, or undefined when none was there. */
function uninstallKernel(argv, env = process.env) {
  const options = parseInstallArgs(argv);
  const dir = path.join(kernelsDir(options, env), options.name);
  if (!fs.existsSync(dir)) return undefined;
  if (!ours(readSpec(dir))) throw new Error(`${dir} was not installed by losslab; left as it is`);
  fs.rmSync(dir, { recursive: true });
  return dir;
}

module.exports = {
  REPO,
  KERNEL_NAME,
  JUPYTER_LOCAL,
  kernelSpec,
  registerKernel,
  jupyterEnv,
  installKernel,
  uninstallKernel,
  userDataDir,
};

if (require.main === module) {
  const [command, ...rest] = process.argv.slice(2);
  try {
    if (command === 'install') {
      const dir = installKernel(rest);
      console.log(`kernel ${path.basename(dir)} installed in ${dir}`);
      console.log(
        `pick "${readSpec(dir).display_name}" in JupyterLab, the Notebook or VS Code; a notebook imports 'losslab' from the node_modules of its own folder or a parent`,
      );
    } else if (command === 'uninstall') {
      const dir = uninstallKernel(rest);
      console.log(dir === undefined ? 'kernel: nothing to remove' : `kernel removed from ${dir}`);
    } else if (command === undefined) {
      const { kernelJson, jupyterPath } = registerKernel();
      console.error(`kernel ${KERNEL_NAME} registered: ${kernelJson}`);
      console.log(jupyterPath);
    } else {
      throw new Error(`unknown command ${command} (install, uninstall, or nothing)`);
    }
  } catch (error) {
    console.error(`kernel: ${error.message}`);
    process.exit(1);
  }
}
