/**
 * `npm start` as a new contributor runs it (scripts/start.mjs, code-server
 * path): it prints the URL and the time to a usable editor; the URL opens
 * examples/sales/orders.charter with the graph preview beside it (no welcome
 * page or walkthrough), in the simulation context of examples/charter.json.
 * A second start reuses everything (the extension is not packaged again).
 * The screenshot is the README's first image (CHARTER_E2E_DOC_IMAGES=1).
 *
 *   node --import tsx --test test/e2e/start.test.ts
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openBrowser, poll, repoRoot, screenshot, waitForWorkbench, type BrowserSession } from './harness';

const state = mkdtempSync(join(tmpdir(), 'charter-start-'));
const env = { ...process.env, CHARTER_START_WEB: '1', CHARTER_START_NO_BROWSER: '1', CHARTER_START_DIR: state };
let proc: ChildProcess | undefined;
let browser: BrowserSession | undefined;

after(async () => {
  await browser?.close();
  if (proc?.pid && proc.exitCode === null) {
    process.kill(-proc.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(state, { recursive: true, force: true });
});

test('npm start opens orders.charter and the graph, and says how long it took', { timeout: 600_000 }, async () => {
  proc = spawn(process.execPath, ['scripts/start.mjs'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await poll('npm start to print the URL', async () => /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(out)?.[0], 540_000, 250).catch((e) => {
    throw new Error(`${(e as Error).message}\noutput:\n${out}`);
  });
  assert.match(out, /Charter is running in VS Code for the Web, [\d.]+ s after npm start/);
  assert.match(out, /== building and packaging the extension/, 'a new state folder gets the extension installed');
  console.log(`# ${/Charter is running[^\n]*/.exec(out)![0]}`);

  browser = await openBrowser({ viewport: { width: 1500, height: 900 } });
  const page = browser.page;
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitForWorkbench(page);
  // The example file is the active editor...
  await page.locator('.tabs-container .tab.active[data-resource-name="orders.charter"]').waitFor({ timeout: 60_000 });
  // ...and the graph preview is open beside it and has drawn.
  await page.locator('.tabs-container .tab', { hasText: 'Charter Graph' }).waitFor({ timeout: 60_000 });
  await poll('the graph to draw', async () => {
    for (const f of page.frames()) if ((await f.$$('svg .box-title').catch(() => [])).length) return true;
    return undefined;
  }, 60_000);
  const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
  assert.ok(!tabs.some((t) => /welcome|walkthrough|get started/i.test(t)), `no welcome page: ${tabs.join(' | ')}`);
  // The default simulation context is the one of examples/charter.json.
  const context = await poll('the simulation context in the status bar', async () => (await page.locator('.statusbar-item').allInnerTexts()).find((t) => /mfa=true, device=managed, purpose=analytics/.test(t)), 60_000);
  assert.ok(context);
  // Let the code lenses arrive before the picture.
  await page.locator('.monaco-editor .codelens-decoration', { hasText: /clear ·/ }).first().waitFor({ timeout: 60_000 });
  const png = await screenshot(page, 'editor-start');
  if (process.env.CHARTER_E2E_DOC_IMAGES) {
    mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
    copyFileSync(png, join(repoRoot, 'docs', 'images', 'editor-start.png'));
  }
  await browser.close();
  browser = undefined;
  process.kill(-proc.pid!, 'SIGTERM');
  await new Promise<void>((r) => (proc!.exitCode !== null ? r() : proc!.once('exit', () => r())));
});

test('a second npm start reuses code-server and the installed extension', { timeout: 180_000 }, () => {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['scripts/start.mjs'], { cwd: repoRoot, env: { ...env, CHARTER_START_EXIT_WHEN_READY: '1' }, encoding: 'utf8', timeout: 170_000 });
  const out = r.stdout + r.stderr;
  assert.match(out, /already installed/, out);
  assert.match(out, /the extension is up to date/, out);
  assert.doesNotMatch(out, /packaging the extension/);
  assert.match(out, /Charter is running in VS Code for the Web/);
  console.log(`# second npm start: ${((Date.now() - t0) / 1000).toFixed(1)} s (${/[\d.]+ s after npm start/.exec(out)?.[0]})`);
});
