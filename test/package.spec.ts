import { expect } from 'chai';
import { execFileSync } from 'node:child_process';

describe('package entry', () => {
  it('loads by name from CommonJS', () => {
    const out = execFileSync(process.execPath, ['-e', "const l = require('losslab'); console.log(typeof l.risk, l.losses.hinge.id)"]).toString().trim();
    expect(out).to.equal('function hinge');
  });
  it('loads by name from ESM with named exports', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "import { risk, losses, fitLinear } from 'losslab'; console.log(typeof risk, typeof fitLinear, losses.l2.id)"]).toString().trim();
    expect(out).to.equal('function function l2');
  });
});
