// The CLI as an npm package, as a user installs it: `npm pack` gives a
// tarball with the command line only (no dependencies), `npm i -g` of it puts
// `charter` on the PATH, `npm i -D` of it makes `npx charter check` work in a
// project, and the installed `charter lsp --stdio` answers an editor.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repo, startServer, uriOf } from '../lsp/client';

const examples = path.join(repo, 'examples');
let tmp: string;
let tgz: string;
const npm = (args: string[], cwd: string) => {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `npm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'charter-npm-'));
  // The bundles are built by the test runner; --ignore-scripts skips the production rebuild of prepack.
  npm(['pack', '--ignore-scripts', '--pack-destination', tmp], repo);
  const f = readdirSync(tmp).find((x) => x.endsWith('.tgz'));
  assert.ok(f, 'npm pack wrote a tarball');
  tgz = path.join(tmp, f!);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the tarball holds the command line only', () => {
  const r = spawnSync('tar', ['-tzf', tgz], { encoding: 'utf8' });
  const files = r.stdout.trim().split('\n').sort();
  assert.deepEqual(files, ['package/CHANGELOG.md', 'package/LICENSE', 'package/README.md', 'package/bin/charter.js', 'package/dist/cli.cjs', 'package/package.json']);
});

test('npm i -g puts a working charter on the PATH (offline: it has no dependencies)', () => {
  const prefix = path.join(tmp, 'global');
  npm(['install', '-g', '--offline', '--prefix', prefix, tgz], tmp);
  const bin = path.join(prefix, 'bin', 'charter');
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  const c = spawnSync(bin, ['check', examples], { encoding: 'utf8' });
  assert.equal(c.status, 1, 'the example mesh has deliberate errors');
  assert.match(c.stdout, /unknown group 'analyst'; did you mean 'analysts'\? \[unknown-group\]/);
  assert.match(c.stdout, /\d+ errors?, \d+ warnings?, \d+ infos? in \d+ files\n$/);
  const h = spawnSync(bin, ['check', '--help'], { encoding: 'utf8' });
  assert.equal(h.status, 0);
  assert.match(h.stdout, /Usage: charter check/);
});

test('npm i -D in a project, then npx charter check', () => {
  const proj = path.join(tmp, 'project');
  spawnSync('mkdir', ['-p', proj]);
  writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'mesh', version: '1.0.0', private: true }));
  npm(['install', '-D', '--offline', tgz], proj);
  const r = spawnSync('npx', ['--no-install', 'charter', 'test', examples], { cwd: proj, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /\d+ passed, 1 failed/);
});

test('the installed charter lsp --stdio answers an editor', async () => {
  const prefix = path.join(tmp, 'global');
  const c = await startServer({ root: examples, command: [path.join(prefix, 'bin', 'charter'), 'lsp', '--stdio'] });
  try {
    await c.ready();
    const mistakes = uriOf(path.join(examples, 'mistakes', 'deliberate-mistakes.charter'));
    const d = await c.until('diagnostics from the installed server', () => c.diagnostics.get(mistakes)?.diagnostics);
    assert.ok(d.some((x) => x.code === 'unknown-group'));
  } finally {
    await c.stop();
  }
});

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  'continue-on-error'?: boolean;
}

/** Runs the workflow's steps in `dir` as Actions would (the `uses:` steps are checked, not run). */
function runWorkflow(dir: string): { outcomes: Record<string, string>; failed?: string; sarif?: any } {
  const wf = parseYaml(readFileSync(path.join(repo, 'docs', 'ci', 'charter.yml'), 'utf8')) as { env?: Record<string, string>; permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
  assert.equal(wf.permissions['security-events'], 'write', 'upload-sarif needs security-events: write');
  const steps = Object.values(wf.jobs)[0].steps;
  const outcomes: Record<string, string> = {};
  let failed: string | undefined;
  let sarif: any;
  for (const st of steps) {
    const cond = st.if;
    if (cond !== undefined) assert.match(cond, /^(always\(\)|steps\.[\w-]+\.outcome == '(failure|success)')$/, `a condition this test understands: ${cond}`);
    const m = cond ? /^steps\.([\w-]+)\.outcome == '(\w+)'$/.exec(cond) : null;
    const run = cond === 'always()' || (m ? outcomes[m[1]] === m[2] && !failed : !failed);
    if (!run) continue;
    if (st.uses) {
      if (st.uses.startsWith('github/codeql-action/upload-sarif')) {
        const file = path.join(dir, st.with!.sarif_file);
        assert.ok(existsSync(file), `${st.with!.sarif_file} was written before the upload`);
        sarif = JSON.parse(readFileSync(file, 'utf8'));
      }
      continue;
    }
    const r = spawnSync('bash', ['-eo', 'pipefail', '-c', st.run!], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...wf.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' } });
    const outcome = r.status === 0 ? 'success' : 'failure';
    if (st.id) outcomes[st.id] = outcome;
    if (outcome === 'failure' && !st['continue-on-error']) failed = st.name ?? st.run;
  }
  return { outcomes, failed, sarif };
}

test('the GitHub Actions workflow (docs/ci/charter.yml) passes on a clean mesh and fails on a broken one, uploading SARIF either way', () => {
  for (const broken of [false, true]) {
    const proj = path.join(tmp, broken ? 'ci-broken' : 'ci-clean');
    cpSync(examples, proj, { recursive: true });
    if (!broken) rmSync(path.join(proj, 'mistakes'), { recursive: true });
    writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'mesh', version: '1.0.0', private: true }));
    npm(['install', '-D', '--offline', tgz], proj);
    const { outcomes, failed, sarif } = runWorkflow(proj);
    assert.ok(sarif, 'the SARIF was uploaded');
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].tool.driver.name, 'charter');
    if (broken) {
      assert.equal(outcomes.check, 'failure');
      assert.ok(sarif.runs[0].results.some((r: any) => r.ruleId === 'unknown-group'));
      assert.match(failed ?? '', /charter test/, 'the failing test fails the job');
    } else {
      assert.equal(outcomes.check, 'success');
      assert.deepEqual(sarif.runs[0].results, []);
      assert.equal(failed, undefined);
    }
  }
});
