#!/usr/bin/env node
'use strict';
/**
 * `npm run notebooks`: executes every notebook in notebooks/ headlessly through the real
 * Jupyter protocol (nbclient, with the project's tslab kernel), adds a static PNG to every
 * chart (rendered in headless Chromium), signs the executed notebooks with the user's Jupyter
 * key (as `jupyter trust` does, so they open interactive), and writes a static site to
 * build/site/: the executed notebooks, each as an HTML page, and an index.
 * Fails (exit 1) if any cell fails or any output is an error.
 *
 * The site is portable: copied anywhere, or opened from file://, it draws every chart and
 * formula with no network. plotly.js is one shared asset (each page's copy inlined by the
 * kernel is taken out of the page), MathJax is copied (the part the pages use, not linked),
 * and every link is relative.
 *
 *   node scripts/notebooks.js [notebook.ipynb ...] [--out DIR] [--timeout SECONDS-PER-CELL] [--jobs N] [--executed DIR] [--no-build]
 *
 * --jobs N runs N kernels at once (default 1); --executed DIR takes each notebook already
 * executed from DIR/<name>.ipynb when it is there (the test suite builds its site from the
 * notebooks it has just run); --no-build uses dist/ as it is (e.g. right after `npm test`,
 * which builds).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureSystem, PYTHON } = require('./setup');
const { buildPackage } = require('./build-package');
const { REPO, registerKernel, jupyterEnv } = require('./kernel');

const DRIVER = path.join(__dirname, 'notebook_driver.py');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
/** Debian's copies of what nbconvert's templates load. */
const SYSTEM_JS = '/usr/share/javascript';
/** Where the pages find their scripts, relative to the site's root. */
const ASSETS = 'assets';
const PLOTLY_ASSET = `${ASSETS}/plotly.min.js`;
/**
 * The part of MathJax 2 the pages use, out of Debian's 54 MB: the loader, the combined
 * configuration nbconvert asks for (TeX-AMS_CHTML-full) with Safe, the TeX input and CommonHTML
 * output jax with the pieces they load on demand (operator tables, glyph ranges, multiline and
 * table layout), the extensions (Safe, the menu, zoom, TeX packages loaded by \require or an
 * autoloaded macro), and the TeX web fonts in WOFF, the format every current browser takes
 * first (the OTF and EOT copies are only fallbacks). The menu's renderer and language choices,
 * which would load other output jax or translations, are switched off (see MATHJAX_CONFIG).
 */
const MATHJAX_PARTS = [
  'MathJax.js',
  'config/TeX-AMS_CHTML-full.js',
  'config/Safe.js',
  'extensions',
  'jax/input/TeX',
  'jax/element/mml',
  'jax/output/CommonHTML',
  'fonts/HTML-CSS/TeX/woff',
];
const MATHJAX_CONFIG =
  '<script type="text/x-mathjax-config">MathJax.Hub.Config({ MathMenu: { showRenderer: false, showLocale: false, showFontMenu: false } });</script>';

function parseArgs(argv) {
  const options = {
    notebooks: [],
    out: path.join(REPO, 'build', 'site'),
    timeout: '600',
    build: true,
    jobs: 1,
    executed: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') options.out = path.resolve(argv[++i]);
    else if (argv[i] === '--executed') options.executed = path.resolve(argv[++i]);
    else if (argv[i] === '--timeout') options.timeout = argv[++i];
    else if (argv[i] === '--jobs') options.jobs = Math.max(1, Number.parseInt(argv[++i], 10) || 1);
    else if (argv[i] === '--no-build') options.build = false;
    else options.notebooks.push(path.resolve(argv[i]));
  }
  if (options.notebooks.length === 0) {
    const dir = path.join(REPO, 'notebooks');
    options.notebooks = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.ipynb'))
          .sort()
          .map((f) => path.join(dir, f))
      : [];
  }
  return options;
}

/** Runs the Python driver; resolves with its status, its last JSON line, and stderr. */
function driver(args, env) {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [DRIVER, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ status: null, report: null, stderr: String(error) }));
    child.on('close', (status) => {
      let report = null;
      try {
        report = JSON.parse(stdout.trim().split('\n').pop());
      } catch {
        // No JSON line: the driver itself failed; stderr says why.
      }
      resolve({ status, report, stderr });
    });
  });
}

/**
 * A notebook executed earlier by the same code (the test suite's first run), taken as it is:
 * the course's outputs are identical run to run, so building the site need not execute it again.
 */
function reuse(earlier, executed) {
  fs.copyFileSync(earlier, executed);
  return { status: 0, report: { seconds: 0, error: null }, stderr: '' };
}

/** Runs `jobs` (functions returning promises) at most `width` at a time, results in order. */
async function pool(jobs, width) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}

/**
 * Writes the assets the pages load: require.js (nbconvert's templates load it), the part of
 * MathJax they use, and plotly.js wrapped as the kernel sends it (so it lands on window.Plotly
 * beside require.js and draws the charts queued before it). Everything is copied: a link to
 * the system's files would break as soon as the site leaves this machine. Returns the asset
 * base for nbconvert, or undefined (nbconvert's defaults) when Debian's copies are missing.
 */
function installAssets(out, plotlyScript) {
  const assets = path.join(out, ASSETS);
  // A site written by an older version may hold a link to the system's MathJax: copying into
  // it would write into /usr/share, so the folder goes first.
  fs.rmSync(assets, { recursive: true, force: true });
  fs.mkdirSync(assets, { recursive: true });
  fs.writeFileSync(path.join(out, PLOTLY_ASSET), plotlyScript);
  const mathjax = path.join(SYSTEM_JS, 'mathjax');
  if (
    !fs.existsSync(path.join(SYSTEM_JS, 'requirejs', 'require.min.js')) ||
    !fs.existsSync(path.join(mathjax, 'MathJax.js'))
  ) {
    console.warn(
      `notebooks: ${SYSTEM_JS}/requirejs or mathjax is missing; the pages will load require.js and MathJax from nbconvert's CDN`,
    );
    return undefined;
  }
  fs.mkdirSync(path.join(assets, 'requirejs'));
  fs.copyFileSync(
    path.join(SYSTEM_JS, 'requirejs', 'require.min.js'),
    path.join(assets, 'requirejs', 'require.min.js'),
  );
  for (const part of MATHJAX_PARTS) {
    fs.cpSync(path.join(mathjax, part), path.join(assets, 'mathjax', part), { recursive: true, dereference: true });
  }
  return ASSETS;
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
 * The notebook as the page shows it: the outputs that carry the whole plotly.js library (one
 * per kernel, from `init` or the first `show`) are dropped, since the page loads the shared
 * asset instead. They are recognised by being exactly what the built package emits.
 */
function pageNotebook(notebook, loaderHTML) {
  let stripped = 0;
  const cells = notebook.cells.map((cell) => {
    if (!cell.outputs) return cell;
    const outputs = cell.outputs.filter((o) => {
      const html = o.data?.['text/html'];
      const library = [html].flat().join('') === loaderHTML;
      if (library) stripped++;
      return !library;
    });
    return { ...cell, outputs };
  });
  return { notebook: { ...notebook, cells }, stripped };
}

const escapeHTML = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const NAV_STYLE = `<style type="text/css">
.losslab-nav{display:flex;justify-content:space-between;gap:1em;max-width:100%;margin:.5em 0 1em;padding:.5em 1em;font:14px/1.4 sans-serif;border-bottom:1px solid #ddd}
.losslab-nav.bottom{border-top:1px solid #ddd;border-bottom:0;margin:1em 0 .5em}
.losslab-nav a{text-decoration:none}.losslab-nav .none{visibility:hidden}
</style>`;

function navigation(rows, i, where) {
  const link = (row, rel, text) =>
    row ? `<a rel="${rel}" href="${escapeHTML(row.name)}.html">${text}</a>` : `<span class="none">${text}</span>`;
  const prev = rows[i - 1];
  const next = rows[i + 1];
  return [
    `<nav class="losslab-nav ${where}" aria-label="Chapters">`,
    link(prev, 'prev', `← ${escapeHTML(prev ? prev.title : '')}`),
    '<a rel="index" href="index.html">Contents</a>',
    link(next, 'next', `${escapeHTML(next ? next.title : '')} →`),
    '</nav>',
  ].join('');
}

/**
 * Finishes a page nbconvert wrote: the shared plotly.js in the head when the page has charts,
 * the MathJax menu settings, navigation at the top and the bottom, and links between chapters.
 * Links between chapters point at `NN-name.ipynb#heading`, which is right inside Jupyter; on
 * the site the same chapter is `NN-name.html` (nbconvert keeps the heading anchors).
 */
function finishPage(html, { rows, i, names, charts }) {
  const head = [NAV_STYLE, charts ? `<script type="text/javascript" src="${PLOTLY_ASSET}"></script>` : ''].join('\n');
  let page = html.replace('</head>', `${head}\n</head>`);
  page = page.replace(/<script src="([^"]*\/mathjax\/MathJax\.js[^"]*)">/, (tag) => `${MATHJAX_CONFIG}\n${tag}`);
  page = page.replace(/<body[^>]*>/, (body) => `${body}\n${navigation(rows, i, 'top')}`);
  page = page.replace(/<\/body>(?![\s\S]*<\/body>)/, `${navigation(rows, i, 'bottom')}\n</body>`);
  return page.replace(/href="([^"#/]+)\.ipynb(#[^"]*)?"/g, (whole, name, anchor) =>
    names.has(name) ? `href="${name}.html${anchor || ''}"` : whole,
  );
}

function writeIndex(out, rows) {
  const items = rows
    .map(
      (r) =>
        `<li class="${r.error ? 'failed' : 'ok'}"><a href="${escapeHTML(r.name)}.html">${escapeHTML(r.title)}</a> <small>(${escapeHTML(r.name)}.ipynb: ${r.charts} charts, ${r.seconds.toFixed(1)} s${r.error ? ', FAILED' : ''}; <a href="${escapeHTML(r.name)}.ipynb">notebook</a>)</small></li>`,
    )
    .join('\n');
  const page = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>losslab: the course</title>
<style>body{font:16px/1.5 sans-serif;max-width:46em;margin:2em auto;padding:0 1em}li{margin:.4em 0}.failed a{color:#b00}</style></head>
<body>
<h1>losslab: the course</h1>
<p>Each notebook executed with the tslab kernel. The pages work offline and from any folder:
charts are interactive, formulas are typeset by a copy of MathJax in <code>assets/</code>.
The notebooks are signed with the Jupyter key of whoever built the site, so they open trusted
(charts drawn) in that person's Jupyter.</p>
<ol>
${items}
</ol>
</body>
</html>
`;
  fs.writeFileSync(path.join(out, 'index.html'), page);
}

/** Bytes under `dir`: the pages, the notebooks, the assets, anything else. */
function siteSize(dir) {
  const size = { pages: 0, notebooks: 0, assets: 0, other: 0 };
  const walk = (d, kind) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file, kind ?? (entry.name === ASSETS ? 'assets' : 'other'));
      else
        size[
          kind ?? (entry.name.endsWith('.html') ? 'pages' : entry.name.endsWith('.ipynb') ? 'notebooks' : 'other')
        ] += fs.statSync(file).size;
    }
  };
  walk(dir, undefined);
  return size;
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
  // Loaded after the build: the picture renderer and the plotly.js wrapper are part of the package.
  const { addStaticImages } = require(path.join(REPO, 'dist', 'display', 'notebookImages'));
  const { plotlyLoaderHTML, plotlyLoaderScript } = require(path.join(REPO, 'dist', 'display', 'plotlyjs'));
  const env = { ...jupyterEnv(), PYDEVD_DISABLE_FILE_VALIDATION: '1' };
  fs.mkdirSync(options.out, { recursive: true });
  const assetBase = installAssets(options.out, plotlyLoaderScript());
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-site-'));
  const started = Date.now();
  const total = options.notebooks.length;
  let finished = 0;

  const rows = await pool(
    options.notebooks.map((source) => async () => {
      const name = path.basename(source, '.ipynb');
      const executed = path.join(options.out, `${name}.ipynb`);
      const earlier = options.executed === undefined ? undefined : path.join(options.executed, `${name}.ipynb`);
      const run =
        earlier !== undefined && fs.existsSync(earlier)
          ? reuse(earlier, executed)
          : await driver(['execute', source, executed, '--timeout', options.timeout], env);
      const row = {
        name,
        title: name,
        charts: 0,
        seconds: run.report ? run.report.seconds : NaN,
        error: run.report ? run.report.error : { exception: run.stderr.slice(-4000) },
        notebook: undefined,
      };
      if (fs.existsSync(executed)) {
        const notebook = JSON.parse(fs.readFileSync(executed, 'utf8'));
        row.title = titleOf(notebook, name);
        row.charts = notebook.cells
          .flatMap((c) => c.outputs || [])
          .filter((o) => o.data && o.data[PLOTLY_MIME] !== undefined).length;
        if (!row.error && row.charts > 0) {
          await addStaticImages(notebook);
          fs.writeFileSync(executed, `${JSON.stringify(notebook, null, 1)}\n`);
        }
        row.notebook = notebook;
      }
      finished++;
      console.log(
        `[${finished}/${total}] ${name}.ipynb ${row.error ? 'FAILED' : 'ok'} in ${row.seconds.toFixed(1)} s, ${row.charts} chart${row.charts === 1 ? '' : 's'}`,
      );
      if (row.error) {
        const where =
          row.error.cell === undefined || row.error.cell === null
            ? ''
            : ` (cell ${row.error.cell}${row.error.cell_id ? `, id ${row.error.cell_id}` : ''})`;
        console.error(
          `  error${where}:\n${String(row.error.output || row.error.exception || '').replace(/^/gm, '    ')}`,
        );
      }
      return row;
    }),
    options.jobs,
  );

  // Signed last, after the pictures were added: a signature covers the notebook as written.
  const written = rows.filter((r) => r.notebook).map((r) => path.join(options.out, `${r.name}.ipynb`));
  if (written.length > 0) {
    const signed = await new Promise((resolve) => {
      const child = spawn(PYTHON, ['-m', 'nbformat.sign', ...written], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    if (signed.status !== 0) {
      console.error(`notebooks: signing the executed notebooks failed:\n${signed.stderr}`);
      process.exitCode = 1;
    }
  }

  const listed = rows.filter((r) => r.notebook);
  const names = new Set(listed.map((r) => r.name));
  await pool(
    listed.map((row, i) => async () => {
      const { notebook, stripped } = pageNotebook(row.notebook, plotlyLoaderHTML());
      const input = path.join(scratch, `${row.name}.ipynb`);
      fs.writeFileSync(input, JSON.stringify(notebook));
      const page = path.join(options.out, `${row.name}.html`);
      const html = await driver(
        [
          'html',
          input,
          page,
          '--title',
          `${row.title} · losslab course`,
          ...(assetBase ? ['--asset-base', assetBase] : []),
        ],
        env,
      );
      if (html.status !== 0) {
        row.error = row.error || { exception: `nbconvert failed: ${html.stderr.slice(-2000)}` };
        return;
      }
      fs.writeFileSync(
        page,
        finishPage(fs.readFileSync(page, 'utf8'), { rows: listed, i, names, charts: row.charts > 0 || stripped > 0 }),
      );
    }),
    options.jobs,
  );
  fs.rmSync(scratch, { recursive: true, force: true });

  writeIndex(options.out, rows);
  fs.writeFileSync(
    path.join(options.out, 'report.json'),
    `${JSON.stringify(
      rows.map(({ name, title, charts, seconds, error }) => ({ name, title, charts, seconds, error })),
      null,
      2,
    )}\n`,
  );
  const failed = rows.filter((r) => r.error).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const size = siteSize(options.out);
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  console.log(
    `notebooks: site ${mb(size.pages + size.notebooks + size.assets + size.other)} MB (pages ${mb(size.pages)}, notebooks ${mb(size.notebooks)}, assets ${mb(size.assets)})`,
  );
  console.log(
    `notebooks: ${rows.length - failed}/${rows.length} ok in ${seconds} s; site at ${path.relative(process.cwd(), path.join(options.out, 'index.html')) || 'index.html'}`,
  );
  if (failed > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
