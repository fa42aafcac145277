// `npm run test:vscode`: the extension in a real VS Code (Electron), through
// @vscode/test-electron. It downloads VS Code (set VSCODE_VERSION to pin
// one, CODE_EXECUTABLE to use an installed one), so it needs a machine that
// can reach update.code.visualstudio.com and a display (xvfb-run on Linux CI).
//
// Steps: build the bundles, bundle test/vscode/*.ts (mocha, in the extension
// host), copy examples/ to a temporary workspace, run.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'out', 'vscode-test');

const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
if (b.status !== 0) process.exit(1);

const tests = readdirSync(path.join(root, 'test', 'vscode')).filter((f) => f.endsWith('.test.ts'));
await esbuild.build({
  entryPoints: ['test/vscode/index.ts', ...tests.map((t) => `test/vscode/${t}`)].map((e) => path.join(root, e)),
  outdir: out,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

const { runTests } = await import('@vscode/test-electron');
const workspace = mkdtempSync(path.join(tmpdir(), 'charter-vscode-'));
cpSync(path.join(root, 'examples'), workspace, { recursive: true });
let code = 1;
try {
  code = await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    vscodeExecutablePath: process.env.CODE_EXECUTABLE || undefined,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(out, 'index.cjs'),
    extensionTestsEnv: { CHARTER_TEST_WORKSPACE: workspace },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`test:vscode: ${e?.message ?? e}`);
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(code);
