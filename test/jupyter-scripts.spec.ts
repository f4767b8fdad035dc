/** scripts/kernel.js and scripts/setup.js against the real system Python and Jupyter. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO, SYSTEM_PYTHON } from './helpers/notebook';

const script = (name: string) => path.join(REPO, 'scripts', name);

describe('scripts/kernel.js', function () {
  this.timeout(30_000);
  it('writes a project-local kernelspec that jupyter_client finds through JUPYTER_PATH only', () => {
    const registered = spawnSync(process.execPath, [script('kernel.js')], { encoding: 'utf8' });
    expect(registered.status).to.equal(0);
    const jupyterPath = registered.stdout.trim();
    expect(jupyterPath).to.equal(path.join(REPO, '.jupyter-local'));
    const spec = JSON.parse(readFileSync(path.join(jupyterPath, 'kernels', 'tslab-losslab', 'kernel.json'), 'utf8')) as { argv: string[] };
    expect(spec.argv.slice(0, 2)).to.deep.equal([process.execPath, path.join(REPO, 'node_modules', 'tslab', 'bin', 'tslab')]);

    const probe = 'import json; from jupyter_client.kernelspec import KernelSpecManager as K; print(json.dumps(sorted(K().find_kernel_specs())))';
    const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
    const withPath = spawnSync(SYSTEM_PYTHON, ['-c', probe], { encoding: 'utf8', env: { ...env, JUPYTER_PATH: jupyterPath } });
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
    const result = spawnSync(process.execPath, [script('setup.js'), '--check'], { encoding: 'utf8', env: { ...process.env, LOSSLAB_CHROMIUM: '/nonexistent/chromium' } });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include('Chromium at /nonexistent/chromium');
    expect(result.stderr).to.include('sudo apt-get install -y chromium');
  });
});
