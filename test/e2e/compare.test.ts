/**
 * Compare with Base… in a real VS Code (code-server, the packaged VSIX):
 * examples/ committed to a git repository, an unsaved edit that lets
 * marketing read the customer email, then the command. The Access Changes
 * view lists the change by field, the field's line carries a decoration, the
 * status bar counts the exposures, and an entry reveals its field.
 * Screenshot: test-results/e2e/editor-compare.png (docs/images/ with
 * CHARTER_E2E_DOC_IMAGES=1).
 *
 *   node --import tsx --test test/e2e/compare.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { gotoPosition, openBrowser, openFile, openWorkbench, poll, repoRoot, runCommand, screenshot, startCodeServer, typeInEditor, type BrowserSession, type CodeServer } from './harness';

const VSIX = join(repoRoot, 'charter-0.1.0.vsix');
let server: CodeServer | undefined;
let browser: BrowserSession | undefined;
let page: Page;

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=CI', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  const r = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
  assert.ok(existsSync(VSIX));
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot });
  const folder = join(mkdtempSync(join(tmpdir(), 'charter-e2e-compare-')), 'examples');
  cpSync(join(repoRoot, 'examples'), folder, { recursive: true });
  git(folder, 'init', '-q');
  git(folder, 'add', '-A');
  git(folder, 'commit', '-qm', 'examples');
  server = await startCodeServer({ folder, vsix: VSIX, name: 'charter-compare', userSettings: { 'charter.codeLens.enabled': false, 'editor.inlayHints.enabled': 'off' } });
  browser = await openBrowser({ viewport: { width: 1500, height: 900 } });
  page = browser.page;
  await openWorkbench(page, server);
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Row texts of the Access Changes view. */
async function rows(): Promise<string[]> {
  return page.$$eval('.pane', (panes) =>
    panes.filter((p) => /access changes/i.test(p.querySelector('.pane-header')?.textContent ?? '')).flatMap((p) => [...p.querySelectorAll('.monaco-list-row')].map((r) => r.textContent ?? '')),
  );
}

/** After-line decorations that read like "who: before → after". */
async function decorations(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('.monaco-editor .view-lines span')) {
      for (const c of [el.childElementCount === 0 ? el.textContent ?? '' : '', getComputedStyle(el, '::after').content]) if (c && / → /.test(c)) out.push(c.replace(/^"|"$/g, ''));
    }
    return out;
  });
}

test('Compare with Base… lists what an unsaved edit does to access, decorates the field and counts exposures', { timeout: 180_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  // Line 35: `rows where region == subject.region for analysts`; add a rule after it, unsaved.
  await gotoPosition(page, 35, 51);
  await typeInEditor(page, '\n  allow read of customer_email to marketing-team', { mode: 'paste' });
  await runCommand(page, 'Charter: Compare with Base…');
  await poll('the base input box', async () => ((await page.locator('.quick-input-widget .quick-input-title').textContent().catch(() => '')) ?? '').includes('Compare with Base'), 15_000);
  assert.equal(await page.locator('.quick-input-widget input').inputValue(), 'HEAD', 'the base defaults to HEAD');
  await page.keyboard.press('Enter');
  const listed = await poll('the Access Changes view to list the exposure', async () => {
    const r = await rows();
    return r.some((t) => /sales\.orders\.customer_email/.test(t)) && r.some((t) => /campaign-bot: denied → masked redact/.test(t)) ? r : undefined;
  }, 90_000).catch(async (e) => {
    await screenshot(page, 'compare-failed');
    throw new Error(`${(e as Error).message}\nrows: ${(await rows()).join(' | ')}`);
  });
  assert.ok(listed.some((t) => /bob: denied → masked redact \(rows region == "US"\)when device=managed/.test(t)), listed.join('\n'));
  const decos = await poll('the decoration on customer_email', async () => {
    const d = await decorations();
    return d.some((x) => /campaign-bot: denied → masked redact/.test(x)) ? d : undefined;
  }, 30_000);
  assert.ok(decos.some((x) => /bob: denied → masked redact/.test(x)), decos.join(' | '));
  const status = await poll('the exposures in the status bar', async () => {
    const t = await page.locator('.statusbar-item').allInnerTexts();
    return t.find((x) => /exposures? vs HEAD/.test(x));
  }, 15_000);
  assert.match(status, /2 exposures vs HEAD/);
  // Room for the view in the screenshot: fold the folder tree.
  await page.locator('.pane-header', { hasText: /^examples$/i }).first().click().catch(() => {});
  const bar = await page.locator('.part.sidebar').boundingBox();
  if (bar) {
    await page.mouse.move(bar.x + bar.width + 1, bar.y + 300);
    await page.mouse.down();
    await page.mouse.move(bar.x + 470, bar.y + 300, { steps: 5 });
    await page.mouse.up();
  }
  for (const who of ['campaign-bot', 'bob']) await page.locator('.pane .monaco-list-row', { hasText: `${who}: denied` }).first().locator('.monaco-tl-twistie').click().catch(() => {});
  await page.waitForTimeout(500);
  const file = await screenshot(page, 'editor-compare');
  if (process.env.CHARTER_E2E_DOC_IMAGES) {
    mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
    copyFileSync(file, join(repoRoot, 'docs', 'images', 'editor-compare.png'));
  }
  // An entry reveals its field: go elsewhere, then click the field's row.
  await gotoPosition(page, 1, 1);
  await page.locator('.pane .monaco-list-row', { hasText: 'sales.orders.customer_email' }).first().click();
  await poll('the cursor on customer_email (line 16)', async () => {
    const t = await page.locator('.statusbar-item').allInnerTexts();
    return t.some((x) => /Ln 16,/.test(x)) || undefined;
  }, 15_000);
  // Undo the edit: the comparison follows the unsaved text back to nothing.
  await page.keyboard.press('Escape');
  await runCommand(page, 'Undo');
  await poll('no exposure left', async () => {
    const t = await page.locator('.statusbar-item').allInnerTexts();
    return t.some((x) => /0 exposures vs HEAD/.test(x)) || undefined;
  }, 30_000);
  await runCommand(page, 'Charter: Clear Comparison');
  await poll('the status bar item gone', async () => ((await page.locator('.statusbar-item').allInnerTexts()).some((x) => /vs HEAD/.test(x)) ? undefined : true), 15_000);
});
