#!/usr/bin/env node
'use strict';
/**
 * `npm run notebooks`: executes every notebook in notebooks/ headlessly through the real
 * Jupyter protocol (nbclient, with the project's tslab kernel), adds a static PNG to every
 * chart (rendered in headless Chromium), and writes a small static site to build/site/:
 * the executed notebooks, each as HTML (charts interactive offline), and an index page.
 * Fails (exit 1) if any cell fails or any output is an error.
 *
 *   node scripts/notebooks.js [notebook.ipynb ...] [--out DIR] [--timeout SECONDS-PER-CELL] [--no-build]
 *
 * --no-build uses dist/ as it is (e.g. right after `npm test`, which builds).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureSystem, PYTHON } = require('./setup');
const { buildPackage } = require('./build-package');
const { REPO, registerKernel, jupyterEnv } = require('./kernel');

const DRIVER = path.join(__dirname, 'notebook_driver.py');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
/** Debian's copies of what nbconvert's templates load; copied (or linked) beside the pages. */
const SYSTEM_JS = '/usr/share/javascript';

function parseArgs(argv) {
  const options = { notebooks: [], out: path.join(REPO, 'build', 'site'), timeout: '120', build: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') options.out = path.resolve(argv[++i]);
    else if (argv[i] === '--timeout') options.timeout = argv[++i];
    else if (argv[i] === '--no-build') options.build = false;
    else options.notebooks.push(path.resolve(argv[i]));
  }
  if (options.notebooks.length === 0) {
    const dir = path.join(REPO, 'notebooks');
    options.notebooks = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f)) : [];
  }
  return options;
}

function driver(args, env) {
  const result = spawnSync(PYTHON, [DRIVER, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const last = result.stdout.trim().split('\n').pop();
  let report = null;
  try {
    report = JSON.parse(last);
  } catch {
    // No JSON line: the driver itself failed; stderr says why.
  }
  return { status: result.status, report, stderr: result.stderr };
}

/** Copies require.js and jQuery, links MathJax (54 MB); returns the asset base for nbconvert, or undefined to keep its defaults. */
function installAssets(out) {
  if (!fs.existsSync(path.join(SYSTEM_JS, 'requirejs', 'require.min.js'))) return undefined;
  const assets = path.join(out, 'assets');
  for (const [dir, file] of [['requirejs', 'require.min.js'], ['jquery', 'jquery.min.js']]) {
    fs.mkdirSync(path.join(assets, dir), { recursive: true });
    fs.copyFileSync(path.join(SYSTEM_JS, dir, file), path.join(assets, dir, file));
  }
  const mathjax = path.join(assets, 'mathjax');
  if (!fs.existsSync(mathjax) && fs.existsSync(path.join(SYSTEM_JS, 'mathjax'))) fs.symlinkSync(path.join(SYSTEM_JS, 'mathjax'), mathjax);
  return 'assets';
}

function titleOf(notebook, fallback) {
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const heading = /^#\s+(.+)$/m.exec([cell.source].flat().join(''));
    if (heading) return heading[1].trim();
  }
  return fallback;
}

/**
 * Links between chapters point at `NN-name.ipynb#heading`, which is right inside Jupyter;
 * on the site the same chapter is `NN-name.html` (nbconvert keeps the heading anchors).
 */
function linkPagesToPages(htmlFile, names) {
  const html = fs.readFileSync(htmlFile, 'utf8');
  const linked = html.replace(/href="([^"#/]+)\.ipynb(#[^"]*)?"/g, (whole, name, anchor) => (names.has(name) ? `href="${name}.html${anchor || ''}"` : whole));
  if (linked !== html) fs.writeFileSync(htmlFile, linked);
}

const escapeHTML = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function writeIndex(out, rows) {
  const items = rows
    .map((r) => `<li class="${r.error ? 'failed' : 'ok'}"><a href="${escapeHTML(r.name)}.html">${escapeHTML(r.title)}</a> <small>(${escapeHTML(r.name)}.ipynb: ${r.charts} charts, ${r.seconds.toFixed(1)} s${r.error ? ', FAILED' : ''}; <a href="${escapeHTML(r.name)}.ipynb">notebook</a>)</small></li>`)
    .join('\n');
  const page = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>losslab: the course</title>
<style>body{font:16px/1.5 sans-serif;max-width:46em;margin:2em auto;padding:0 1em}li{margin:.4em 0}.failed a{color:#b00}</style></head>
<body>
<h1>losslab: the course</h1>
<p>Each notebook executed with the tslab kernel; charts are interactive and work offline.</p>
<ol>
${items}
</ol>
</body>
</html>
`;
  fs.writeFileSync(path.join(out, 'index.html'), page);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.notebooks.length === 0) {
    console.error('notebooks: no notebooks found in notebooks/');
    process.exit(1);
  }
  if (!ensureSystem({ quiet: true })) process.exit(1);
  if (options.build && !buildPackage({ strict: true })) process.exit(1);
  registerKernel();
  // Loaded after the build: the picture renderer is part of the package.
  const { addStaticImages } = require(path.join(REPO, 'dist', 'display', 'notebookImages'));
  const env = { ...jupyterEnv(), PYDEVD_DISABLE_FILE_VALIDATION: '1' };
  fs.mkdirSync(options.out, { recursive: true });
  const assetBase = installAssets(options.out);
  const started = Date.now();
  const rows = [];
  const names = new Set(options.notebooks.map((source) => path.basename(source, '.ipynb')));
  for (const [i, source] of options.notebooks.entries()) {
    const name = path.basename(source, '.ipynb');
    const executed = path.join(options.out, `${name}.ipynb`);
    const tag = `[${i + 1}/${options.notebooks.length}] ${name}.ipynb`;
    if (process.stdout.isTTY) process.stdout.write(`${tag} executing...`);
    const run = driver(['execute', source, executed, '--timeout', options.timeout], env);
    const seconds = run.report ? run.report.seconds : NaN;
    const row = { name, title: name, charts: 0, seconds, error: run.report ? run.report.error : { exception: run.stderr.slice(-4000) } };
    if (fs.existsSync(executed)) {
      const notebook = JSON.parse(fs.readFileSync(executed, 'utf8'));
      row.title = titleOf(notebook, name);
      row.charts = notebook.cells.flatMap((c) => c.outputs || []).filter((o) => o.data && o.data[PLOTLY_MIME] !== undefined).length;
      if (!row.error && row.charts > 0) {
        await addStaticImages(notebook);
        fs.writeFileSync(executed, JSON.stringify(notebook, null, 1) + '\n');
      }
      const page = path.join(options.out, `${name}.html`);
      const html = driver(['html', executed, page, ...(assetBase ? ['--asset-base', assetBase] : [])], env);
      if (html.status !== 0) row.error = row.error || { exception: `nbconvert failed: ${html.stderr.slice(-2000)}` };
      else linkPagesToPages(page, names);
    }
    rows.push(row);
    console.log(`${process.stdout.isTTY ? '\r' : ''}${tag} ${row.error ? 'FAILED' : 'ok'} in ${seconds.toFixed(1)} s, ${row.charts} chart${row.charts === 1 ? '' : 's'}`);
    if (row.error) {
      const where = row.error.cell === undefined || row.error.cell === null ? '' : ` (cell ${row.error.cell}${row.error.cell_id ? `, id ${row.error.cell_id}` : ''})`;
      console.error(`  error${where}:\n${String(row.error.output || row.error.exception || '').replace(/^/gm, '    ')}`);
    }
  }
  writeIndex(options.out, rows);
  fs.writeFileSync(path.join(options.out, 'report.json'), JSON.stringify(rows.map(({ name, title, charts, seconds, error }) => ({ name, title, charts, seconds, error })), null, 2) + '\n');
  const failed = rows.filter((r) => r.error).length;
  const total = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`notebooks: ${rows.length - failed}/${rows.length} ok in ${total} s; site at ${path.relative(process.cwd(), path.join(options.out, 'index.html')) || 'index.html'}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
