/**
 * Running notebooks through the real Jupyter machinery for tests: the project kernelspec
 * (scripts/kernel.js), nbclient and nbconvert via scripts/notebook_driver.py on the system
 * Python, and a classic Notebook server. Missing tools make tests fail with what to install.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
/** The Python with jupyter_client, nbclient and nbconvert: $LOSSLAB_PYTHON, else Debian's (not the one on PATH). */
export const SYSTEM_PYTHON = process.env.LOSSLAB_PYTHON ?? '/usr/bin/python3';
const DRIVER = path.join(REPO, 'scripts', 'notebook_driver.py');

export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
export interface NotebookCell {
  cell_type: string;
  id?: string;
  source: string | string[];
  outputs?: NotebookOutput[];
}
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

const SETUP_HINT =
  'run `npm run setup` (Debian, as root) to install jupyter-notebook, python3-nbclient, jupyter-nbconvert and chromium';

let registered: NodeJS.ProcessEnv | undefined;

/** The environment Jupyter needs to find the project kernel; registers the kernelspec once. */
export function jupyterEnv(): NodeJS.ProcessEnv {
  if (registered) return registered;
  if (!existsSync(path.join(REPO, 'dist', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first (notebooks import the built package)');
  if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} not found: ${SETUP_HINT}`);
  const jupyterPath = execFileSync(process.execPath, [path.join(REPO, 'scripts', 'kernel.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  registered = { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
  return registered;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, capturing its output. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function driverFailure(what: string, result: RunResult): Error {
  const missing = /ModuleNotFoundError|No module named/.test(result.stderr) ? ` (${SETUP_HINT})` : '';
  return new Error(
    `${what} failed with status ${result.code}${missing}\n${result.stdout}\n${result.stderr.slice(-4000)}`,
  );
}

export interface Execution {
  notebook: Notebook;
  seconds: number;
}

/** Executes `input` with the project's tslab kernel through nbclient, writing the result to `output`. */
export async function executeNotebook(input: string, output: string, timeoutSeconds = 120): Promise<Execution> {
  const result = await run(
    SYSTEM_PYTHON,
    [DRIVER, 'execute', input, output, '--timeout', String(timeoutSeconds)],
    jupyterEnv(),
  );
  if (result.code !== 0) throw driverFailure(`executing ${input}`, result);
  const { seconds } = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { seconds: number };
  return { notebook: JSON.parse(readFileSync(output, 'utf8')) as Notebook, seconds };
}

/** Exports a notebook to HTML with nbconvert (`lab` is nbconvert's default template; both load require.js). */
export async function exportHTML(input: string, output: string, template: 'lab' | 'classic'): Promise<void> {
  const result = await run(SYSTEM_PYTHON, [DRIVER, 'html', input, output, '--template', template], jupyterEnv());
  if (result.code !== 0) throw driverFailure(`nbconvert of ${input}`, result);
}

/**
 * A fresh folder under build/ (git-ignored), inside the repository so that a kernel started
 * there finds node_modules. Removed when the test process exits, unless LOSSLAB_KEEP_TEST_FILES=1.
 */
export function scratchDir(prefix: string): string {
  const parent = path.join(REPO, 'build', 'test-tmp');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, `${prefix}-`));
  if (process.env.LOSSLAB_KEEP_TEST_FILES !== '1') {
    // One exit listener for all folders: one per folder passed Node's limit of 10 and warned.
    if (scratchDirs.size === 0) {
      process.on('exit', () => {
        for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
      });
    }
    scratchDirs.add(dir);
  }
  return dir;
}

const scratchDirs = new Set<string>();

/**
 * Where the course spec leaves its first run of every notebook, for the site spec (which runs
 * after it in the same mocha process) to build the site from instead of executing the course a
 * third time. Emptied when the course spec starts; removed with the other scratch folders.
 */
export const EXECUTED_COURSE = path.join(REPO, 'build', 'test-tmp', 'course-executed');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface NotebookServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  token: string;
  /** Stops the server and its kernels. */
  stop(): Promise<void>;
}

/**
 * Starts a classic Notebook server on `root`, with its own config, data and runtime folders
 * under `root` so neither the user's settings nor their trust database are involved; `trust`
 * lists notebooks (relative to `root`) to sign first, as `jupyter trust` would.
 */
export async function startNotebookServer(root: string, trust: string[], timeoutMs = 60_000): Promise<NotebookServer> {
  const env: NodeJS.ProcessEnv = {
    ...jupyterEnv(),
    JUPYTER_CONFIG_DIR: path.join(root, '.jupyter', 'config'),
    JUPYTER_DATA_DIR: path.join(root, '.jupyter', 'data'),
    JUPYTER_RUNTIME_DIR: path.join(root, '.jupyter', 'runtime'),
  };
  if (trust.length > 0) {
    const signed = await run(SYSTEM_PYTHON, ['-m', 'nbformat.sign', ...trust.map((f) => path.join(root, f))], env);
    if (signed.code !== 0) throw driverFailure('jupyter trust', signed);
  }
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const origin = `http://127.0.0.1:${port}`;
  // Its own process group, so the server and the kernels it starts can be stopped together.
  const child: ChildProcess = spawn(
    SYSTEM_PYTHON,
    [
      '-m',
      'notebook',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--port-retries=0',
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${root}`,
      // Containers and CI run as root, which the server refuses unless told.
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ],
    { env, cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      await fetch(`${origin}/api/shutdown`, { method: 'POST', headers: { Authorization: `token ${token}` } });
    } catch {
      // Not answering: the signals below end it.
    }
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`jupyter notebook exited with status ${child.exitCode} (${SETUP_HINT})\n${log}`);
    try {
      const response = await fetch(`${origin}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyter notebook did not answer within ${timeoutMs} ms\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { origin, token, stop };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
