#!/usr/bin/env node
'use strict';
/**
 * Checks (and on Debian as root, installs) the system tools the notebooks and browser tests
 * drive for real: a Python with jupyter_client, nbclient, nbconvert and the Notebook server,
 * and Chromium. Plain Node with no dependencies: CI runs it before `npm install`.
 *
 *   node scripts/setup.js            check; install what is missing when root on Debian
 *   node scripts/setup.js --check    check only (exit 1 if anything is missing)
 *   node scripts/setup.js --bench    also numpy and scikit-learn (for bench/python)
 *
 * $LOSSLAB_PYTHON picks the Python (default /usr/bin/python3, Debian's: the `python3` on PATH
 * may be another build without Jupyter); $LOSSLAB_CHROMIUM picks the browser.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const PYTHON = process.env.LOSSLAB_PYTHON || '/usr/bin/python3';
const CHROMIUM = process.env.LOSSLAB_CHROMIUM || '/usr/bin/chromium';

/** What each need is, how to test for it, and the Debian package that provides it. */
const PYTHON_MODULES = [
  { module: 'jupyter_client', debian: 'python3-jupyter-client', pip: 'jupyter_client' },
  { module: 'nbclient', debian: 'python3-nbclient', pip: 'nbclient' },
  { module: 'nbconvert', debian: 'jupyter-nbconvert', pip: 'nbconvert' },
  { module: 'notebook', debian: 'jupyter-notebook', pip: 'notebook' },
  { module: 'ipykernel', debian: 'python3-ipykernel', pip: 'ipykernel' },
];
const BENCH_MODULES = [
  { module: 'numpy', debian: 'python3-numpy', pip: 'numpy' },
  { module: 'sklearn', debian: 'python3-sklearn', pip: 'scikit-learn' },
];

function missingPythonModules(modules) {
  if (!fs.existsSync(PYTHON)) return modules;
  const probe = `import importlib.util, json\nprint(json.dumps([m for m in ${JSON.stringify(modules.map((m) => m.module))} if importlib.util.find_spec(m) is None]))`;
  const result = spawnSync(PYTHON, ['-c', probe], {
    encoding: 'utf8',
    env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
  });
  if (result.status !== 0) return modules;
  const missing = new Set(JSON.parse(result.stdout.trim().split('\n').pop()));
  return modules.filter((m) => missing.has(m.module));
}

/** Everything missing, as { what, debian, hint }. */
function missingTools({ bench = false } = {}) {
  const missing = missingPythonModules(bench ? [...PYTHON_MODULES, ...BENCH_MODULES] : PYTHON_MODULES).map((m) => ({
    what: `Python module ${m.module} (for ${PYTHON})`,
    debian: m.debian,
    hint: `pip install ${m.pip}`,
  }));
  if (!fs.existsSync(CHROMIUM)) {
    missing.push({
      what: `Chromium at ${CHROMIUM}`,
      debian: 'chromium',
      hint: 'install Chromium or Chrome and set LOSSLAB_CHROMIUM to its path',
    });
  }
  return missing;
}

function canUseApt() {
  return (
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    fs.existsSync('/etc/debian_version') &&
    fs.existsSync('/usr/bin/apt-get') &&
    !process.env.LOSSLAB_PYTHON
  );
}

function apt(args) {
  console.log(`setup: apt-get ${args.join(' ')}`);
  return (
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
      .status === 0
  );
}

function instructions(missing) {
  const packages = [...new Set(missing.map((m) => m.debian))].join(' ');
  return [
    'setup: missing system tools:',
    ...missing.map((m) => `  - ${m.what}`),
    'Install them with one of:',
    `  Debian/Ubuntu:  sudo apt-get install -y ${packages}   (or, as root: npm run setup)`,
    `  elsewhere:      ${[...new Set(missing.map((m) => m.hint))].join('; ')}`,
    '                  then point LOSSLAB_PYTHON at that Python and LOSSLAB_CHROMIUM at the browser.',
  ].join('\n');
}

/**
 * Makes sure the tools are there. Returns true when they are (after installing, if allowed);
 * otherwise prints what to do and returns false.
 */
function ensureSystem({ install = true, bench = false, quiet = false } = {}) {
  let missing = missingTools({ bench });
  if (missing.length === 0) {
    if (!quiet)
      console.log(
        `setup: all present (Jupyter for ${PYTHON}${bench ? ', numpy, scikit-learn' : ''}; Chromium at ${CHROMIUM})`,
      );
    return true;
  }
  if (install && canUseApt()) {
    const packages = [...new Set(missing.map((m) => m.debian))];
    const installArgs = ['install', '-y', '--no-install-recommends', ...packages];
    // Package lists may be stale or absent (fresh containers): refresh once and retry.
    if (!apt(installArgs)) apt(['update']) && apt(installArgs);
    missing = missingTools({ bench });
    if (missing.length === 0) {
      console.log(`setup: installed ${packages.join(' ')}`);
      return true;
    }
  }
  console.error(instructions(missing));
  return false;
}

module.exports = { PYTHON, CHROMIUM, ensureSystem, missingTools };

if (require.main === module) {
  const args = new Set(process.argv.slice(2));
  const ok = ensureSystem({ install: !args.has('--check'), bench: args.has('--bench') });
  process.exit(ok ? 0 : 1);
}
