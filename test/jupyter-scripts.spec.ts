/** scripts/kernel.js and scripts/setup.js against the real system Python and Jupyter. */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { executeNotebook, REPO, scratchDir, SYSTEM_PYTHON } from './helpers/notebook';

const script = (name: string) => path.join(REPO, 'scripts', name);

describe('scripts/kernel.js', function () {
  this.timeout(30_000);
  it('writes a project-local kernelspec that jupyter_client finds through JUPYTER_PATH only', () => {
    const registered = spawnSync(process.execPath, [script('kernel.js')], { encoding: 'utf8' });
    expect(registered.status).to.equal(0);
    const jupyterPath = registered.stdout.trim();
    expect(jupyterPath).to.equal(path.join(REPO, '.jupyter-local'));
    const spec = JSON.parse(
      readFileSync(path.join(jupyterPath, 'kernels', 'tslab-losslab', 'kernel.json'), 'utf8'),
    ) as { argv: string[] };
    expect(spec.argv.slice(0, 2)).to.deep.equal([
      process.execPath,
      path.join(REPO, 'node_modules', 'tslab', 'bin', 'tslab'),
    ]);

    const probe =
      'import json; from jupyter_client.kernelspec import KernelSpecManager as K; print(json.dumps(sorted(K().find_kernel_specs())))';
    const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
    const withPath = spawnSync(SYSTEM_PYTHON, ['-c', probe], {
      encoding: 'utf8',
      env: { ...env, JUPYTER_PATH: jupyterPath },
    });
    expect(withPath.status, withPath.stderr).to.equal(0);
    expect(JSON.parse(withPath.stdout) as string[]).to.include('tslab-losslab');
    const without = spawnSync(SYSTEM_PYTHON, ['-c', probe], { encoding: 'utf8', env: { ...env, JUPYTER_PATH: '' } });
    expect(JSON.parse(without.stdout) as string[]).not.to.include('tslab-losslab');
  });
});

describe('scripts/setup.js', function () {
  this.timeout(30_000);
  it('passes quickly when everything is installed', () => {
    const result = spawnSync(process.execPath, [script('setup.js'), '--check'], { encoding: 'utf8' });
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/all present/);
  });

  it('fails with the exact install command when something is missing', () => {
    const result = spawnSync(process.execPath, [script('setup.js'), '--check'], {
      encoding: 'utf8',
      env: { ...process.env, LOSSLAB_CHROMIUM: '/nonexistent/chromium' },
    });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include('Chromium at /nonexistent/chromium');
    expect(result.stderr).to.include('sudo apt-get install -y chromium');
  });
});

/**
 * `npm run kernel:install` for the user's own Jupyter: each case in a temporary HOME and
 * JUPYTER_DATA_DIR with JUPYTER_PATH unset, so only what the script installed can be found.
 */
describe('scripts/kernel.js install / uninstall (the kernel for your own Jupyter)', function () {
  this.timeout(120_000);
  const ONE_CELL = {
    cells: [
      {
        cell_type: 'code',
        execution_count: null,
        id: 'one',
        metadata: {},
        outputs: [],
        source: ["import { losses } from 'losslab';\n", 'console.log(losses.hinge.id);'],
      },
    ],
    metadata: { kernelspec: { name: 'tslab-losslab', display_name: 'TypeScript (losslab)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  let root: string;
  let env: NodeJS.ProcessEnv;
  const kernels = () => path.join(root, 'data', 'kernels');
  const kernel = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [script('kernel.js'), ...args], { encoding: 'utf8', env: { ...env, ...extra } });
  const listed = (extra: NodeJS.ProcessEnv = {}): Record<string, { resource_dir: string }> => {
    const probe =
      'import json; from jupyter_client.kernelspec import KernelSpecManager as K; print(json.dumps(K().get_all_specs()))';
    const result = spawnSync(SYSTEM_PYTHON, ['-c', probe], { encoding: 'utf8', env: { ...env, ...extra } });
    expect(result.status, result.stderr).to.equal(0);
    return JSON.parse(result.stdout) as Record<string, { resource_dir: string }>;
  };

  beforeEach(() => {
    // Outside the repository: nothing there may resolve through the project's node_modules.
    root = mkdtempSync(path.join(tmpdir(), 'losslab-kernel-'));
    mkdirSync(path.join(root, 'home'));
    const { JUPYTER_PATH: _path, JUPYTER_CONFIG_DIR: _config, XDG_DATA_HOME: _xdg, ...rest } = process.env;
    env = {
      ...rest,
      HOME: path.join(root, 'home'),
      JUPYTER_DATA_DIR: path.join(root, 'data'),
      JUPYTER_RUNTIME_DIR: path.join(root, 'runtime'),
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
    };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('installs for the user a spec with absolute node and tslab that Jupyter lists and runs a notebook with', () => {
    const installed = kernel(['install']);
    expect(installed.status, installed.stderr).to.equal(0);
    const spec = JSON.parse(readFileSync(path.join(kernels(), 'tslab-losslab', 'kernel.json'), 'utf8')) as {
      argv: string[];
      display_name: string;
    };
    expect(spec.argv.slice(0, 2)).to.deep.equal([
      process.execPath,
      path.join(REPO, 'node_modules', 'tslab', 'bin', 'tslab'),
    ]);
    expect(spec.argv.slice(0, 2).every((p) => path.isAbsolute(p) && existsSync(p))).to.equal(true);
    expect(spec.display_name).to.equal('TypeScript (losslab)');

    const list = spawnSync(SYSTEM_PYTHON, ['-m', 'jupyter_client.kernelspecapp', 'list'], { encoding: 'utf8', env });
    expect(list.status, list.stderr).to.equal(0);
    expect(list.stdout).to.match(
      new RegExp(`tslab-losslab\\s+${path.join(kernels(), 'tslab-losslab').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );

    // A project of one's own: losslab installed in its node_modules (npm links a folder dependency).
    const project = path.join(root, 'project');
    mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    symlinkSync(REPO, path.join(project, 'node_modules', 'losslab'));
    writeFileSync(path.join(project, 'one.ipynb'), JSON.stringify(ONE_CELL));
    const run = spawnSync(
      SYSTEM_PYTHON,
      ['-m', 'nbconvert', '--to', 'notebook', '--execute', 'one.ipynb', '--output', 'out.ipynb'],
      { cwd: project, encoding: 'utf8', env },
    );
    expect(run.status, run.stderr).to.equal(0);
    const outputs = (JSON.parse(readFileSync(path.join(project, 'out.ipynb'), 'utf8')) as typeof ONE_CELL).cells[0]
      .outputs as Array<{ text?: string[] }>;
    expect(outputs.map((o) => (o.text ?? []).join(''))).to.deep.equal(['hinge\n']);
  });

  it('replaces or removes only its own spec, never another kernel', () => {
    const other = path.join(kernels(), 'other');
    mkdirSync(other, { recursive: true });
    writeFileSync(
      path.join(other, 'kernel.json'),
      '{"argv": ["other"], "display_name": "Other", "language": "other"}\n',
    );
    expect(kernel(['install', '--user']).status).to.equal(0);
    expect(kernel(['install', '--user']).status, 'installing twice replaces our own spec').to.equal(0);
    expect(Object.keys(listed()).sort()).to.include.members(['other', 'tslab-losslab']);

    // A foreign kernel that happens to have our name is refused, and survives uninstall.
    const foreign = path.join(kernels(), 'same-name');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'kernel.json'), '{"argv": ["x"], "display_name": "X", "language": "x"}\n');
    const clash = kernel(['install', '--name', 'same-name']);
    expect(clash.status).to.equal(1);
    expect(clash.stderr).to.include('another kernel named same-name');
    expect(readFileSync(path.join(foreign, 'kernel.json'), 'utf8')).to.include('"X"');
    expect(kernel(['uninstall', '--name', 'same-name']).status).to.equal(1);
    expect(existsSync(foreign)).to.equal(true);

    const removed = kernel(['uninstall']);
    expect(removed.status, removed.stderr).to.equal(0);
    expect(existsSync(path.join(kernels(), 'tslab-losslab'))).to.equal(false);
    expect(Object.keys(listed())).not.to.include('tslab-losslab');
    expect(readFileSync(path.join(other, 'kernel.json'), 'utf8')).to.include('"Other"');
    expect(kernel(['uninstall']).stdout).to.include('nothing to remove');
  });

  it('installs under a prefix with its own name, seen through that prefix only', () => {
    const prefix = path.join(root, 'env');
    const installed = kernel(['install', '--prefix', prefix, '--name', 'losslab-dev']);
    expect(installed.status, installed.stderr).to.equal(0);
    const dir = path.join(prefix, 'share', 'jupyter', 'kernels', 'losslab-dev');
    expect(
      (JSON.parse(readFileSync(path.join(dir, 'kernel.json'), 'utf8')) as { display_name: string }).display_name,
    ).to.equal('TypeScript (losslab): losslab-dev');
    expect(existsSync(kernels())).to.equal(false);
    expect(listed({ JUPYTER_PATH: path.join(prefix, 'share', 'jupyter') })['losslab-dev'].resource_dir).to.equal(dir);
    expect(kernel(['uninstall', '--prefix', prefix, '--name', 'losslab-dev']).status).to.equal(0);
    expect(existsSync(dir)).to.equal(false);
  });

  it("finds the user's data directory without a Python that has Jupyter", () => {
    const noPython = { LOSSLAB_PYTHON: path.join(root, 'no-python') };
    expect(kernel(['install'], noPython).status).to.equal(0);
    expect(existsSync(path.join(kernels(), 'tslab-losslab', 'kernel.json'))).to.equal(true);
    const { JUPYTER_DATA_DIR: _data, ...withoutDataDir } = env;
    const result = spawnSync(process.execPath, [script('kernel.js'), 'install'], {
      encoding: 'utf8',
      env: { ...withoutDataDir, ...noPython },
    });
    expect(result.status, result.stderr).to.equal(0);
    expect(
      existsSync(path.join(root, 'home', '.local', 'share', 'jupyter', 'kernels', 'tslab-losslab', 'kernel.json')),
    ).to.equal(true);
  });

  it('refuses unknown options and kernel names Jupyter would not accept', () => {
    expect(kernel(['install', '--name', 'has space']).stderr).to.include('letters, digits');
    expect(kernel(['install', '--user', '--prefix', root]).status).to.equal(1);
    expect(kernel(['install', '--bogus']).stderr).to.include('unknown option --bogus');
    expect(existsSync(kernels())).to.equal(false);
  });
});

/**
 * Students work on copies (issue #10): `npm start` opens workspace/, copied from notebooks/,
 * so saving a chapter never writes outputs into the committed notebooks. Each case works on a
 * scratch course folder and a scratch workspace inside the repository, where a kernel
 * resolves 'losslab' the way it does from workspace/.
 */
describe('scripts/workspace.js and npm start (the students’ copies)', function () {
  this.timeout(180_000);
  const IMPORTS = {
    cells: [
      {
        cell_type: 'code',
        execution_count: null,
        id: 'imports',
        metadata: {},
        outputs: [],
        source: [
          "import { losses } from 'losslab';\n",
          "import { fmt } from 'losslab/course';\n",
          'console.log(losses.hinge.id, fmt(2));',
        ],
      },
    ],
    metadata: { kernelspec: { name: 'tslab-losslab', display_name: 'TypeScript (losslab)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  let root: string;
  let course: string;
  let workspace: string;
  const ws = (args: string[]) =>
    spawnSync(process.execPath, [script('workspace.js'), ...args, '--from', course, '--dir', workspace], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
  const courseFiles = () =>
    readdirSync(course)
      .filter((f) => f.endsWith('.ipynb'))
      .sort();

  before(() => {
    root = scratchDir('workspace');
  });

  beforeEach(() => {
    course = mkdtempSync(path.join(root, 'course-'));
    for (const file of readdirSync(path.join(REPO, 'notebooks')).filter((f) => f.endsWith('.ipynb')))
      copyFileSync(path.join(REPO, 'notebooks', file), path.join(course, file));
    writeFileSync(path.join(course, 'zz-imports.ipynb'), JSON.stringify(IMPORTS, null, 1));
    workspace = path.join(mkdtempSync(path.join(root, 'repo-')), 'workspace');
  });

  it('is git-ignored, with Jupyter’s checkpoints, so saving never dirties the repository', () => {
    const ignored = spawnSync(
      'git',
      [
        'check-ignore',
        'workspace/01-chapter.ipynb',
        'notebooks/.ipynb_checkpoints/01-chapter-checkpoint.ipynb',
        'workspace/.ipynb_checkpoints/x-checkpoint.ipynb',
      ],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(ignored.stdout.trim().split('\n')).to.have.length(3);
  });

  it('copies every course notebook on first start and never overwrites a student’s edits', () => {
    expect(ws(['prepare']).status).to.equal(0);
    for (const file of courseFiles()) expect(read(workspace, file), file).to.equal(read(course, file));
    const [first, second] = courseFiles();
    writeFileSync(path.join(workspace, first), 'my edits');
    rmSync(path.join(workspace, second));
    const again = ws(['prepare']);
    expect(again.status, again.stderr).to.equal(0);
    expect(read(workspace, first)).to.equal('my edits');
    expect(read(workspace, second), 'a deleted copy comes back').to.equal(read(course, second));
  });

  it('refreshes a copy the student never changed when the course changes it, and keeps an edited one', () => {
    ws(['prepare']);
    const [unedited, edited] = courseFiles();
    writeFileSync(path.join(workspace, edited), 'my edits');
    writeFileSync(path.join(course, unedited), read(course, unedited).replace('"cells"', '"cells" ').concat('\n'));
    writeFileSync(path.join(course, edited), read(course, edited).concat('\n'));
    const result = ws(['prepare']);
    expect(read(workspace, unedited)).to.equal(read(course, unedited));
    expect(read(workspace, edited)).to.equal('my edits');
    expect(result.stdout).to.include(`refreshed ${unedited}`);
    expect(result.stdout).to.include(`the course has a new ${edited}; your edited copy is kept`);
  });

  it('reset restores the pristine copies without asking, backing up the student’s versions', () => {
    ws(['prepare']);
    const [a, b, c] = courseFiles();
    writeFileSync(path.join(workspace, a), 'edit a');
    writeFileSync(path.join(workspace, b), 'edit b');
    writeFileSync(path.join(workspace, 'mine.ipynb'), 'my own notebook');
    const only = ws(['reset', b]);
    expect(only.status, only.stderr).to.equal(0);
    expect(read(workspace, b)).to.equal(read(course, b));
    expect(read(workspace, a), 'only the named notebook').to.equal('edit a');
    const reset = ws(['reset']);
    expect(reset.status, reset.stderr).to.equal(0);
    for (const file of courseFiles()) expect(read(workspace, file), file).to.equal(read(course, file));
    expect(read(workspace, c)).to.equal(read(course, c));
    expect(read(workspace, 'mine.ipynb')).to.equal('my own notebook');
    const backups = readdirSync(path.join(workspace, 'backups')).sort();
    expect(backups).to.have.length(2);
    expect(read(path.join(workspace, 'backups', backups[0]), b)).to.equal('edit b');
    expect(readdirSync(path.join(workspace, 'backups', backups[1]))).to.deep.equal([a]);
    expect(read(path.join(workspace, 'backups', backups[1]), a)).to.equal('edit a');
    expect(ws(['reset']).stdout).to.include('already pristine');
    expect(readdirSync(path.join(workspace, 'backups'))).to.have.length(2);
    expect(ws(['reset', 'not-a-chapter.ipynb']).status).to.equal(1);
  });

  it('a workspace copy imports losslab and losslab/course through the project kernel', async () => {
    ws(['prepare']);
    const { notebook } = await executeNotebook(
      path.join(workspace, 'zz-imports.ipynb'),
      path.join(workspace, 'zz-imports.out.ipynb'),
    );
    const out = (notebook.cells[0].outputs ?? []).map((o) => [o.text ?? ''].flat().join(''));
    expect(out).to.deep.equal(['hinge 2.000\n']);
  });

  it('npm start serves the workspace, and a notebook saved there leaves notebooks/ as committed', async () => {
    const jupyter = mkdtempSync(path.join(root, 'jupyter-'));
    const committed = readdirSync(path.join(REPO, 'notebooks')).map((f) => [f, read(path.join(REPO, 'notebooks'), f)]);
    const chapters = committed
      .map(([f]) => f)
      .filter((f) => f.endsWith('.ipynb'))
      .sort();
    // No --port: the server takes the first free one from 8888 and start.js prints its URL.
    const child = spawn(
      process.execPath,
      [script('start.js'), '--no-build', '--no-browser', '--workspace', workspace],
      {
        env: {
          ...process.env,
          JUPYTER_CONFIG_DIR: path.join(jupyter, 'config'),
          JUPYTER_DATA_DIR: path.join(jupyter, 'data'),
          JUPYTER_RUNTIME_DIR: path.join(jupyter, 'runtime'),
          PYDEVD_DISABLE_FILE_VALIDATION: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let log = '';
        const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${log}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          const found = /start: open (\S+)/.exec(log);
          if (found) {
            clearTimeout(timer);
            resolve(new URL(found[1]));
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
      });
      const headers = { Authorization: `token ${url.searchParams.get('token')}` };
      const listing = (await (await fetch(`${url.origin}/api/contents`, { headers })).json()) as {
        content: Array<{ name: string }>;
      };
      expect(
        listing.content
          .map((c) => c.name)
          .filter((n) => n.endsWith('.ipynb'))
          .sort(),
      ).to.deep.equal(chapters);
      // Save a chapter with an output, as the Notebook does.
      const file = chapters[0];
      const model = (await (await fetch(`${url.origin}/api/contents/${file}`, { headers })).json()) as {
        content: { cells: Array<{ cell_type: string; outputs?: unknown[] }> };
      };
      const code = model.content.cells.find((c) => c.cell_type === 'code')!;
      code.outputs = [{ output_type: 'stream', name: 'stdout', text: 'saved output\n' }];
      const saved = await fetch(`${url.origin}/api/contents/${file}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ type: 'notebook', format: 'json', content: model.content }),
      });
      expect(saved.status).to.equal(200);
      expect(read(workspace, file)).to.include('saved output');
      for (const [name, content] of committed) expect(read(path.join(REPO, 'notebooks'), name), name).to.equal(content);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
