/**
 * "Charter: Import ODCS Contract…" in a real VS Code (code-server, the
 * packaged VSIX): opening an .odcs.yaml offers the import; the command writes
 * the .charter file next to it, reusing what the workspace declares, and
 * opens it.
 *
 *   node --import tsx --test test/e2e/import-odcs.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, openFile, openWorkbench, poll, repoRoot, runCommand, screenshot, startCodeServer, waitForEditorText, waitForNotification, type BrowserSession, type CodeServer } from './harness';

const VSIX = join(repoRoot, 'charter-0.1.0.vsix');
let folder: string;
let server: CodeServer | undefined;
let browser: BrowserSession | undefined;
let page: Page;

before(async () => {
  const r = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot });
  folder = join(mkdtempSync(join(tmpdir(), 'charter-e2e-odcs-')), 'mesh');
  mkdirSync(join(folder, 'contracts'), { recursive: true });
  writeFileSync(join(folder, 'org.charter'), 'group my-team "Sellers"\n');
  copyFileSync(join(repoRoot, 'test/fixtures/schemas/odcs/examples/full-example.odcs.yaml'), join(folder, 'contracts', 'full-example.odcs.yaml'));
  server = await startCodeServer({ folder, vsix: VSIX, name: 'charter-odcs' });
  browser = await openBrowser({ viewport: { width: 1400, height: 900 } });
  page = browser.page;
  await openWorkbench(page, server);
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('opening an .odcs.yaml offers the import; the command writes and opens the .charter file next to it', { timeout: 120_000 }, async () => {
  await openFile(page, 'contracts/full-example.odcs.yaml');
  await waitForNotification(page, /full-example\.odcs\.yaml is an ODCS data contract/, { timeout: 30_000 });
  await runCommand(page, 'Charter: Import ODCS Contract…');
  const target = join(folder, 'contracts', 'full-example.charter');
  await poll('the .charter file', async () => existsSync(target), 30_000);
  await waitForEditorText(page, /contract seller\.tbl \{/, { timeout: 30_000 });
  await waitForNotification(page, /imported 2 contracts into full-example\.charter; \d+ parts have no Charter equivalent/, { timeout: 30_000 });
  await screenshot(page, 'import-odcs');
  const text = readFileSync(target, 'utf8');
  assert.match(text, /^# Imported from ODCS by `charter import odcs`/);
  assert.match(text, /^contract seller\.receivers \{$/m);
  // The workspace's own group is reused, not declared again; the roles' groups are new.
  assert.doesNotMatch(text, /^group my-team/m);
  assert.match(text, /^group microstrategy_user_opr /m);
  assert.match(text, /^ {2}owner my-team$/m);
});
