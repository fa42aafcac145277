/**
 * Self-test of the harness UI helpers against VS Code's BUILT-IN JavaScript/TypeScript support
 * (no Charter extension needed): command palette, Problems panel, hover, completion, typing,
 * notifications. If this passes, failures in the Charter e2e tests are about Charter.
 *
 *   node --import tsx --test test/e2e/harness.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  getEditorText,
  hoverAt,
  openBrowser,
  openFile,
  openProblemsPanel,
  openWorkbench,
  runCommand,
  screenshot,
  setEditorText,
  startCodeServer,
  triggerCompletion,
  typeInEditor,
  waitForEditorText,
  waitForNotification,
  waitForProblems,
  type BrowserSession,
  type CodeServer,
} from './harness';
import { makeVsix } from './vsix';

const APP_JS = `// @ts-check
const greeting = "hi";
/** Adds two numbers. */
function add(a, b) { return a + b; }
const n = add(1, 2);
const bad = undefinedThing + 1;
`;

let folder: string;
let vsixDir: string | undefined;
let server: CodeServer | undefined;
let browser: BrowserSession | undefined;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'charter-e2e-ws-'));
  mkdirSync(join(folder, 'src'));
  writeFileSync(join(folder, 'src', 'app.js'), APP_JS);
  writeFileSync(join(folder, 'notes.txt'), 'notes\n');
  // A dummy extension, to prove the VSIX install path before the real Charter VSIX exists.
  vsixDir = mkdtempSync(join(tmpdir(), 'charter-e2e-vsix-'));
  const vsix = makeVsix(join(vsixDir, 'e2e-dummy.vsix'), {
    packageJson: {
      name: 'e2e-dummy',
      publisher: 'charter-e2e',
      version: '0.0.1',
      engines: { vscode: '^1.90.0' },
      main: './extension.js',
      activationEvents: [],
      contributes: { commands: [{ command: 'charterE2e.hello', title: 'Charter E2E: Say Hello' }] },
    },
    files: {
      'extension.js': `const vscode = require('vscode');
exports.activate = (ctx) => ctx.subscriptions.push(vscode.commands.registerCommand('charterE2e.hello',
  () => vscode.window.showInformationMessage('Hello from the e2e dummy extension')));`,
    },
  });
  server = await startCodeServer({ folder, vsix, name: 'harness-selftest', userSettings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  browser = await openBrowser();
  await openWorkbench(browser.page, server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
  if (vsixDir) rmSync(vsixDir, { recursive: true, force: true });
});

test('openFile finds a nested file', { timeout: 60_000 }, async () => {
  const { page } = browser!;
  await openFile(page, 'src/app.js');
  assert.match(await getEditorText(page), /function add\(a, b\)/);
});

test('Problems panel shows diagnostics from a language server', { timeout: 90_000 }, async () => {
  const { page } = browser!;
  await openProblemsPanel(page);
  const rows = await waitForProblems(page, (r) => r.some((x) => /undefinedThing/.test(x.ariaLabel)), { timeout: 60_000 });
  const row = rows.find((x) => /undefinedThing/.test(x.ariaLabel))!;
  assert.equal(row.severity, 'error');
  assert.match(row.text, /Ln 6, Col 13/);
  await screenshot(page, 'selftest-problems');
});

test('hoverAt shows the JSDoc of a function', { timeout: 60_000 }, async () => {
  const { page } = browser!;
  const text = await hoverAt(page, 5, 11);
  assert.match(text, /function add/);
  assert.match(text, /Adds two numbers/);
  await screenshot(page, 'selftest-hover');
  await page.keyboard.press('Escape');
});

test('typeInEditor + triggerCompletion list a local variable', { timeout: 60_000 }, async () => {
  const { page } = browser!;
  await typeInEditor(page, 'gree', { at: { line: 7, column: 1 } });
  const rows = await triggerCompletion(page);
  assert.ok(rows.length > 0, 'no suggestions');
  assert.equal(rows[0].label, 'greeting', `first suggestion: ${JSON.stringify(rows[0])}`);
  await screenshot(page, 'selftest-completion');
  await page.keyboard.press('Escape');
  assert.match(await getEditorText(page), /^gree$/m);
});

test('runCommand runs a palette command; setEditorText replaces content', { timeout: 60_000 }, async () => {
  const { page } = browser!;
  await setEditorText(page, 'const a = 1;\nconst b = 2;\n');
  assert.equal((await getEditorText(page)).trimEnd(), 'const a = 1;\nconst b = 2;');
  await runCommand(page, 'Select All');
  await runCommand(page, 'Transform to Uppercase');
  await waitForEditorText(page, (t) => t.trimEnd() === 'CONST A = 1;\nCONST B = 2;');
  await runCommand(page, 'File: Revert File');
  await waitForEditorText(page, /function add/);
});

test('an extension installed from a VSIX runs its command', { timeout: 60_000 }, async () => {
  const { page } = browser!;
  await runCommand(page, 'Charter E2E: Say Hello');
  const text = await waitForNotification(page, /Hello from the e2e dummy extension/);
  assert.match(text, /dummy extension/);
  await screenshot(page, 'selftest-vsix-notification');
});
