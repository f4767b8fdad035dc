/**
 * The course site `npm run notebooks` writes (issue #10): built once from the real notebooks
 * into a scratch folder, with a scratch Jupyter data directory for the signatures, then read as
 * its users get it: pages titled and linked chapter to chapter, one shared plotly.js, a copy of
 * MathJax and no link outside the site, tables with the columns their source declares, signed
 * notebooks, and, copied to another folder and opened from file:// with the network cut off,
 * every chart and formula drawn from files inside the copy.
 *
 * LOSSLAB_SITE=build/site checks a site already built by `npm run notebooks` instead (its
 * notebooks signed with the user's own key).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { plotlyLibrary, plotlyLoaderHTML, plotlyLoaderScript } from '../src/display/plotlyjs';
import { closeBrowser, launchBrowser, waitForCharts, watchPage } from './helpers/browser';
import {
  EXECUTED_COURSE,
  jupyterEnv,
  REPO,
  run,
  scratchDir,
  SYSTEM_PYTHON,
  type Notebook,
  type NotebookCell,
} from './helpers/notebook';
import { pool } from './helpers/pool';

const DRIVER = path.join(REPO, 'scripts', 'notebook_driver.py');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

interface Row {
  name: string;
  title: string;
  charts: number;
  error: unknown;
}

const text = (source: string | string[]): string => (Array.isArray(source) ? source.join('') : source);

/** Every file under `dir`, relative, with symbolic links reported as such. */
function walk(dir: string, base = dir): Array<{ file: string; link: boolean }> {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) return [{ file: path.relative(base, file), link: true }];
    return stat.isDirectory() ? walk(file, base) : [{ file: path.relative(base, file), link: false }];
  });
}

/**
 * The column count of each GitHub-style table in Markdown `source` (from its delimiter row,
 * which holds no cell text to be confused by), outside fenced code.
 */
function sourceTables(source: string): number[] {
  const lines = source.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').split('\n');
  const columns: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$/.test(lines[i]) && lines[i - 1].includes('|')) {
      columns.push(
        lines[i]
          .trim()
          .replace(/^\||\|$/g, '')
          .split('|').length,
      );
    }
  }
  return columns;
}

/**
 * Tables a page renders from Markdown, in page order: those of the markdown cells and of the
 * outputs shown as Markdown (an output with text/html is shown as HTML, as nbconvert does).
 */
function expectedTables(nb: Notebook): number[] {
  return nb.cells.flatMap((cell: NotebookCell) => {
    if (cell.cell_type === 'markdown') return sourceTables(text(cell.source));
    return (cell.outputs ?? []).flatMap((o) =>
      o.data?.['text/markdown'] !== undefined && o.data['text/html'] === undefined
        ? sourceTables(text(o.data['text/markdown'] as string | string[]))
        : [],
    );
  });
}

/** Header and body cell counts of each table rendered from Markdown on the page. */
function renderedTables(page: Page): Promise<Array<{ header: number[]; body: number[]; text: string }>> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.jp-RenderedMarkdown table')).map((table) => ({
      header: Array.from(table.querySelectorAll('thead tr')).map((r) => r.querySelectorAll('th, td').length),
      body: Array.from(table.querySelectorAll('tbody tr')).map((r) => r.querySelectorAll('th, td').length),
      text: (table.querySelector('thead')?.textContent ?? '').replace(/\s+/g, ' ').slice(0, 120),
    })),
  );
}

/** Waits until MathJax has typeset the page (its queue empty), or the timeout passes. */
async function mathjaxDone(page: Page, timeoutMs: number): Promise<boolean> {
  try {
    await page.waitForFunction(
      () => {
        const hub = (window as unknown as { MathJax?: { Hub?: { queue?: { pending: number; running: number } } } })
          .MathJax?.Hub;
        return (
          hub?.queue !== undefined &&
          hub.queue.pending === 0 &&
          !hub.queue.running &&
          document.querySelector('#MathJax_Message[style*="display: none"], #MathJax_Message:empty') !== null
        );
      },
      null,
      { timeout: timeoutMs, polling: 250 },
    );
    return true;
  } catch {
    return false;
  }
}

describe('the course site (npm run notebooks)', function () {
  this.timeout(1_800_000);
  let root: string;
  let site: string;
  /** The Jupyter data directory whose key signed the notebooks (undefined: the user's own). */
  let dataDir: string | undefined;
  let rows: Row[];
  let pages: string[];
  const html = (name: string): string => readFileSync(path.join(site, `${name}.html`), 'utf8');

  before(async () => {
    root = scratchDir('site');
    rows = [];
    if (process.env.LOSSLAB_SITE) {
      site = path.resolve(process.env.LOSSLAB_SITE);
      rows = JSON.parse(readFileSync(path.join(site, 'report.json'), 'utf8')) as Row[];
      pages = rows.map((r) => r.name);
      return;
    }
    site = path.join(root, 'site');
    dataDir = path.join(root, 'jupyter-data');
    const started = Date.now();
    // The course spec, run just before in the same process, leaves its executed notebooks: the
    // site is built from those (whatever is missing is executed here).
    const reuse = existsSync(EXECUTED_COURSE) ? ['--executed', EXECUTED_COURSE] : [];
    const build = await run(
      process.execPath,
      [path.join(REPO, 'scripts', 'notebooks.js'), '--no-build', '--jobs', '2', '--out', site, ...reuse],
      { ...jupyterEnv(), JUPYTER_DATA_DIR: dataDir },
    );
    console.log(
      `      site built in ${((Date.now() - started) / 1000).toFixed(0)} s:\n${build.stdout.replace(/^/gm, '        ')}`,
    );
    expect(build.code, build.stderr.slice(-4000)).to.equal(0);
    rows = JSON.parse(readFileSync(path.join(site, 'report.json'), 'utf8')) as Row[];
    pages = rows.map((r) => r.name);
  });

  it('has a page per notebook, titled by its chapter, with contents, previous and next links', () => {
    const notebooks = readdirSync(path.join(REPO, 'notebooks'))
      .filter((f) => f.endsWith('.ipynb'))
      .sort();
    expect(pages.map((p) => `${p}.ipynb`)).to.deep.equal(notebooks);
    const titles = new Set<string>();
    pages.forEach((name, i) => {
      const page = html(name);
      const title = /<title>([^<]*)<\/title>/.exec(page)?.[1];
      expect(title, name).to.equal(`${rows[i].title} · losslab course`);
      expect(rows[i].title, `${name}: the chapter's own heading`).not.to.equal(name);
      titles.add(title!);
      const navs = [...page.matchAll(/<nav class="losslab-nav[^"]*"[^>]*>([\s\S]*?)<\/nav>/g)].map((m) => m[1]);
      expect(navs, `${name}: navigation at the top and the bottom`).to.have.length(2);
      for (const nav of navs) {
        const links = Object.fromEntries([...nav.matchAll(/<a rel="(\w+)" href="([^"]+)">/g)].map((m) => [m[1], m[2]]));
        expect(links, name).to.deep.equal({
          ...(i > 0 ? { prev: `${pages[i - 1]}.html` } : {}),
          index: 'index.html',
          ...(i < pages.length - 1 ? { next: `${pages[i + 1]}.html` } : {}),
        });
      }
    });
    expect(titles.size).to.equal(pages.length);
  });

  it('loads plotly.js once per page with charts, from the shared asset, and inlines no copy', () => {
    expect(readFileSync(path.join(site, 'assets', 'plotly.min.js'), 'utf8')).to.equal(plotlyLoaderScript());
    // A stretch from the middle of the library: present wherever a copy of it is inlined.
    const { source } = plotlyLibrary();
    const sample = source.slice(source.length / 2, source.length / 2 + 200);
    const packed = plotlyLoaderHTML();
    const packedSample = packed.slice(packed.length / 2, packed.length / 2 + 200);
    let before = 0;
    for (const row of rows) {
      const page = html(row.name);
      const executed = JSON.parse(readFileSync(path.join(site, `${row.name}.ipynb`), 'utf8')) as Notebook;
      expect(page.includes(sample), `${row.name}.html inlines plotly.js`).to.equal(false);
      const loads = page.match(/<script[^>]*src="assets\/plotly\.min\.js"[^>]*><\/script>/g) ?? [];
      expect(loads.length, row.name).to.equal(row.charts > 0 ? 1 : 0);
      // The executed notebook keeps its packed copies, one per cell that draws: opened in Jupyter
      // it has no site around it, and a re-run cell must not take the only copy with it.
      const isLibrary = (o: { data?: Record<string, unknown> }): boolean =>
        text((o.data?.['text/html'] ?? '') as string | string[]) === plotlyLoaderHTML();
      const chartCells = executed.cells.filter((c) =>
        (c.outputs ?? []).some((o) => o.data?.[PLOTLY_MIME] !== undefined),
      );
      expect(executed.cells.flatMap((c) => c.outputs ?? []).filter(isLibrary).length, `${row.name}.ipynb`).to.equal(
        chartCells.length,
      );
      for (const cell of chartCells)
        expect((cell.outputs ?? []).filter(isLibrary).length, `${row.name}.ipynb, cell ${String(cell.id)}`).to.equal(1);
      expect(page.includes(packedSample), `${row.name}.html keeps a packed copy`).to.equal(false);
      before += row.charts > 0 ? source.length : 0;
    }
    const pageBytes = rows.reduce((sum, r) => sum + Buffer.byteLength(html(r.name)), 0);
    console.log(
      `      pages: ${(pageBytes / 1e6).toFixed(1)} MB for ${rows.length} pages (an inlined plotly.js per page would add ${(before / 1e6).toFixed(1)} MB)`,
    );
  });

  it('holds real files only, and every page loads and links to files inside the site by relative URLs', () => {
    const files = walk(site);
    expect(
      files.filter((f) => f.link).map((f) => f.file),
      'symbolic links',
    ).to.deep.equal([]);
    const mathjax = files.filter((f) => f.file.startsWith(path.join('assets', 'mathjax')));
    const bytes = mathjax.reduce((sum, f) => sum + lstatSync(path.join(site, f.file)).size, 0);
    console.log(`      assets/mathjax: ${mathjax.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
    for (const name of [...pages, 'index']) {
      const page = html(name);
      const loaded = [...page.matchAll(/<(?:script|img|link|iframe)\b[^>]*?\s(?:src|href)="([^"]*)"/g)]
        .map((m) => m[1])
        .filter((url) => !url.startsWith('data:'));
      const linked = [...page.matchAll(/<a\b[^>]*?\shref="([^"#][^"]*)"/g)]
        .map((m) => m[1])
        .filter((url) => !/^(https?|mailto):/.test(url));
      for (const url of [...loaded, ...linked]) {
        expect(url, `${name}: ${url}`).not.to.match(/^([a-z][a-z0-9+.-]*:|\/)/i);
        const target = path.join(site, decodeURIComponent(url.replace(/[?#].*$/, '')));
        expect(existsSync(target), `${name}: ${url} is in the site`).to.equal(true);
      }
    }
  });

  it('renders every table with as many header and body cells as its source has columns', () => {
    return withBrowser(async (browser) => {
      // Tables are in the HTML as written: no script needs to run to count their cells.
      const context = await browser.newContext({ javaScriptEnabled: false });
      for (const row of rows) {
        const nb = JSON.parse(readFileSync(path.join(site, `${row.name}.ipynb`), 'utf8')) as Notebook;
        const expected = expectedTables(nb);
        const page = await context.newPage();
        await page.goto(pathToFileURL(path.join(site, `${row.name}.html`)).href, { waitUntil: 'domcontentloaded' });
        const tables = await renderedTables(page);
        await page.close();
        expect(tables.length, `${row.name}: tables`).to.equal(expected.length);
        tables.forEach((table, k) => {
          const wrong = [...table.header, ...table.body].filter((cells) => cells !== expected[k]);
          expect(wrong, `${row.name}, table ${k} (${table.text}): ${expected[k]} columns`).to.deep.equal([]);
          expect(table.header, `${row.name}, table ${k}: one header row`).to.have.length(1);
        });
      }
    });
  });

  it("signs every executed notebook with the key of the user's Jupyter data directory", () => {
    const files = pages.map((p) => path.join(site, `${p}.ipynb`));
    const probe =
      'import json, sys, nbformat\nfrom nbformat.sign import NotebookNotary\nn = NotebookNotary()\nprint(json.dumps([n.check_signature(nbformat.read(f, as_version=4)) for f in sys.argv[1:]]))';
    const check = (dir: string | undefined): boolean[] => {
      const { JUPYTER_DATA_DIR: _own, ...env } = process.env;
      const result = spawnSync(SYSTEM_PYTHON, ['-c', probe, ...files], {
        encoding: 'utf8',
        env: { ...env, ...(dir === undefined ? {} : { JUPYTER_DATA_DIR: dir }), PYDEVD_DISABLE_FILE_VALIDATION: '1' },
      });
      expect(result.status, result.stderr).to.equal(0);
      return JSON.parse(result.stdout.trim().split('\n').pop() ?? '[]') as boolean[];
    };
    expect(check(dataDir)).to.deep.equal(files.map(() => true));
    // Another user's key does not vouch for them.
    expect(check(path.join(root, 'another-user'))).to.deep.equal(files.map(() => false));
  });

  describe('copied to another folder and opened from file:// with the network cut off', () => {
    let copy: string;
    let browser: Browser | undefined;

    before(async () => {
      copy = mkdtempSync(path.join(tmpdir(), 'losslab-site-copy-'));
      cpSync(site, copy, { recursive: true });
      browser = await launchBrowser();
    });
    after(async () => {
      await closeBrowser(browser);
      rmSync(copy, { recursive: true, force: true });
    });

    it('draws every chart and typesets every formula of every page, loading only files of the copy', async () => {
      // A picture of one chapter as a reader of the copy sees it (docs/site-chapter.png when missing or LOSSLAB_UPDATE_SCREENSHOT=1).
      const screenshotOf = rows.find((r) => r.name.startsWith('04-') && r.charts > 0) ?? rows.find((r) => r.charts > 0);
      const screenshot = async (page: Page): Promise<void> => {
        await page.evaluate(() => {
          const chart = document.querySelector('.losslab-figure');
          window.scrollTo(0, Math.max(0, (chart?.getBoundingClientRect().top ?? 0) + window.scrollY - 380));
        });
        const image = await page.screenshot();
        mkdirSync(path.join(REPO, 'build', 'screenshots'), { recursive: true });
        writeFileSync(path.join(REPO, 'build', 'screenshots', 'site-chapter.png'), image);
        const docs = path.join(REPO, 'docs', 'site-chapter.png');
        if (!existsSync(docs) || process.env.LOSSLAB_UPDATE_SCREENSHOT === '1') writeFileSync(docs, image);
      };
      // Two pages at a time, as the course's front-end spec opens its chapters.
      const drawnPerPage = await pool(
        rows.map((row) => async () => {
          const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
          const watch = await watchPage(page);
          const requests: string[] = [];
          const failed: string[] = [];
          page.on('request', (r) => requests.push(r.url()));
          page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
          await page.goto(pathToFileURL(path.join(copy, `${row.name}.html`)).href);

          const nb = JSON.parse(readFileSync(path.join(copy, `${row.name}.ipynb`), 'utf8')) as Notebook;
          const charts = nb.cells
            .flatMap((c) => c.outputs ?? [])
            .filter((o) => o.data?.[PLOTLY_MIME] !== undefined).length;
          expect(charts, row.name).to.equal(row.charts);
          expect(await waitForCharts(page, charts, 120_000), `${row.name}: charts drawn`).to.equal(charts);
          expect(await mathjaxDone(page, 120_000), `${row.name}: MathJax finished`).to.equal(true);
          const math = await page.evaluate(() => {
            const sources = document.querySelectorAll('script[type^="math/tex"]').length;
            const drawn = document.querySelectorAll('.MathJax_CHTML').length;
            // biome-ignore lint/performance/useDomNodeTextContent: the error a reader would see is in the rendered text, not in scripts
            const rendered = document.body.innerText;
            const errors =
              document.querySelectorAll('.mjx-merror').length + (rendered.includes('Math Processing Error') ? 1 : 0);
            // Formulas MathJax did not find would still show their dollars in the text.
            const skip = 'code, pre, script, style, .MathJax_Preview, .MJX_Assistive_MathML, .losslab-figure';
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const raw: string[] = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (node.parentElement?.closest(skip)) continue;
              const found = /\$[^$\s][^$]*\$|\\\(|\\\[/.exec(node.textContent ?? '');
              if (found) raw.push(found[0].slice(0, 60));
            }
            return { sources, drawn, errors, raw };
          });
          expect(math.sources, `${row.name}: formulas found`).to.be.greaterThan(0);
          expect(math.drawn, `${row.name}: formulas drawn`).to.equal(math.sources);
          expect(math.errors, `${row.name}: MathJax errors`).to.equal(0);
          expect(math.raw, `${row.name}: math left as text`).to.deep.equal([]);
          // The web fonts a machine without MathJax's fonts installed would download (this one
          // has them locally, so they are loaded on purpose): each must come from the copy.
          const fonts = await page.evaluate(async () => {
            const faces: FontFace[] = [];
            document.fonts.forEach((f) => {
              if (/^MJXc-TeX-.*w$/.test(f.family)) faces.push(f);
            });
            const status = await Promise.all(
              faces.map((f) =>
                f.load().then(
                  () => 'loaded',
                  () => `error: ${f.family}`,
                ),
              ),
            );
            return { count: faces.length, failed: status.filter((s) => s !== 'loaded') };
          });
          expect(fonts.count, `${row.name}: MathJax web fonts declared`).to.be.greaterThan(0);
          expect(fonts.failed, row.name).to.deep.equal([]);

          const inside = `${pathToFileURL(copy).href}/`;
          const outside = requests.filter((url) => !url.startsWith(inside) && !/^(data|blob):/.test(url));
          expect(outside, `${row.name}: requests outside the copy`).to.deep.equal([]);
          expect(watch.offsite, row.name).to.deep.equal([]);
          expect(failed, `${row.name}: failed requests`).to.deep.equal([]);
          expect(
            requests.some((url) => url.endsWith('/assets/plotly.min.js')),
            `${row.name}: shared plotly.js`,
          ).to.equal(charts > 0);
          expect(
            requests
              .filter((url) => url.includes('/assets/mathjax/'))
              .every((url) => existsSync(fileURLToPath(url.replace(/\?.*$/, '')))),
          ).to.equal(true);
          expect(watch.errors, `${row.name}: console errors`).to.deep.equal([]);
          if (row.name === screenshotOf?.name) await screenshot(page);
          await page.close();
          return charts;
        }),
      );
      const drawnTotal = drawnPerPage.reduce((n, c) => n + c, 0);
      console.log(
        `      copied site: ${drawnTotal}/${rows.reduce((n, r) => n + r.charts, 0)} charts drawn on ${rows.length} pages`,
      );
    });
  });
});

/** Markdown as the notebook front ends read it: nbconvert's parser, fixed by the site's exporter. */
describe('site pages: Markdown tables and math (scripts/notebook_driver.py html)', function () {
  this.timeout(120_000);
  const MARKDOWN = [
    '## The $L_1$ loss',
    '',
    '| residual $|y - f|$ | max \\|a − b\\| | norm $\\|w\\|_1$ |',
    '| --- | --- | --- |',
    '| $|r_1|$ | 2 | $\\|w\\|$ |',
    '| 4 | code `$x$` and a lone $ sign | 6 |',
    '',
    'Inline $a < b$, display:',
    '',
    '$$\\sum_i |x_i|$$',
  ].join('\n');
  let page: string;

  before(async () => {
    const dir = scratchDir('markdown');
    const nb = {
      cells: [{ cell_type: 'markdown', id: 'md', metadata: {}, source: MARKDOWN }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(path.join(dir, 'md.ipynb'), JSON.stringify(nb));
    mkdirSync(path.join(dir, 'out'));
    const result = await run(
      SYSTEM_PYTHON,
      [DRIVER, 'html', path.join(dir, 'md.ipynb'), path.join(dir, 'out', 'md.html'), '--title', 'A <chapter>'],
      jupyterEnv(),
    );
    expect(result.code, result.stderr).to.equal(0);
    page = readFileSync(path.join(dir, 'out', 'md.html'), 'utf8');
  });

  it('keeps every row of a table to its columns, whatever pipes its math and escapes hold', () => {
    const table = /<table>([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
    const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
      [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1].trim()),
    );
    expect(rows.map((r) => r.length)).to.deep.equal([3, 3, 3]);
    expect(rows[0]).to.deep.equal(['residual $|y - f|$', 'max |a − b|', 'norm $\\|w\\|_1$']);
    expect(rows[1]).to.deep.equal(['$|r_1|$', '2', '$\\|w\\|$']);
    expect(rows[2][1]).to.equal('code <code>$x$</code> and a lone $ sign');
  });

  it('leaves the rest as nbconvert had it: heading anchors, escaped math, display math, the title', () => {
    expect(page).to.include('<h2 id="The-$L_1$-loss">The $L_1$ loss');
    expect(page).to.include('Inline $a &lt; b$, display:');
    expect(page).to.include('$$\\sum_i |x_i|$$');
    expect(/<title>([^<]*)<\/title>/.exec(page)?.[1]).to.equal('A &lt;chapter&gt;');
  });
});

/** Runs `work` with a browser that is closed afterwards. */
async function withBrowser(work: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await launchBrowser();
  try {
    await work(browser);
  } finally {
    await closeBrowser(browser);
  }
}
