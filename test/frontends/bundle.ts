/**
 * The front-end harnesses, bundled for the browser with esbuild once per test run: JupyterLab's
 * rendermime and output area (test/frontends/lab.ts, with its stylesheets) and VS Code's
 * Plotly renderer (test/frontends/vscode.ts). One bundle per harness, without code splitting:
 * the pages load them from file://, where a split chunk's dynamic import would not resolve.
 */
import { build, type Plugin } from 'esbuild';
import * as path from 'node:path';
import { REPO, scratchDir } from '../helpers/notebook';

export interface FrontendBundles {
  dir: string;
  /** Scripts and stylesheets, as paths. */
  lab: { js: string; css: string };
  vscode: { js: string };
  seconds: number;
}

/** plotly.js 2.35, the version both renderers resolve (`plotly.js ^2.35.2`, `plotly.js-dist ^2.x`). */
const PLOTLY_2 = path.join(REPO, 'node_modules', 'plotly.js-dist-min-2', 'plotly.min.js');

/** JupyterLab's stylesheets import packages webpack-style, `url('~@lumino/widgets/style/index.css')`. */
const webpackTilde: Plugin = {
  name: 'webpack-tilde',
  setup(b) {
    b.onResolve({ filter: /^~/ }, (args) =>
      b.resolve(args.path.slice(1), { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

let bundles: Promise<FrontendBundles> | undefined;

export function frontendBundles(): Promise<FrontendBundles> {
  bundles ??= (async () => {
    const started = Date.now();
    const dir = scratchDir('frontends');
    await build({
      entryPoints: { lab: path.join(__dirname, 'lab.ts'), vscode: path.join(__dirname, 'vscode.ts') },
      absWorkingDir: REPO,
      outdir: dir,
      bundle: true,
      splitting: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome110',
      // Minified: each test page parses the bundle afresh.
      minify: true,
      alias: { 'plotly.js/dist/plotly': PLOTLY_2, 'plotly.js-dist': PLOTLY_2 },
      loader: {
        '.svg': 'dataurl',
        '.woff': 'dataurl',
        '.woff2': 'dataurl',
        '.ttf': 'dataurl',
        '.eot': 'dataurl',
        '.png': 'dataurl',
        '.gif': 'dataurl',
      },
      define: { 'process.env.NODE_ENV': '"production"' },
      plugins: [webpackTilde],
      logLevel: 'silent',
    });
    return {
      dir,
      lab: { js: path.join(dir, 'lab.js'), css: path.join(dir, 'lab.css') },
      vscode: { js: path.join(dir, 'vscode.js') },
      seconds: (Date.now() - started) / 1000,
    };
  })();
  return bundles;
}
