/**
 * The packaged extension in a real VS Code (code-server 4.100.3 = VS Code
 * 1.100.3) driven like a user in headless Chromium: it installs the VSIX that
 * `npm run package` builds, opens a copy of examples/ and checks the Problems
 * panel, live diagnostics, completion, hover, Who Can See, Simulate As and
 * the graph preview. Screenshots go to test-results/e2e/ (and the editor
 * images of docs/ are refreshed from them with CHARTER_E2E_DOC_IMAGES=1).
 *
 *   node --import tsx --test test/e2e/extension.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import {
  gotoPosition,
  hoverAt,
  openBrowser,
  openFile,
  openProblemsPanel,
  openWorkbench,
  poll,
  repoRoot,
  runCommand,
  screenshot,
  startCodeServer,
  triggerCompletion,
  typeInEditor,
  waitForProblems,
  type BrowserSession,
  type CodeServer,
} from './harness';

const VSIX = join(repoRoot, 'charter-0.1.0.vsix');
let folder: string;
let server: CodeServer | undefined;
let browser: BrowserSession | undefined;
let page: Page;

async function docImage(name: string): Promise<void> {
  const file = await screenshot(page, name);
  if (process.env.CHARTER_E2E_DOC_IMAGES) {
    mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
    copyFileSync(file, join(repoRoot, 'docs', 'images', `${name}.png`));
  }
}

before(async () => {
  // The VSIX a user installs: built fresh so the test exercises this checkout.
  const r = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
  assert.ok(existsSync(VSIX));
  // Rebuild the development bundles that packaging replaced (other suites use them).
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot });
  folder = join(mkdtempSync(join(tmpdir(), 'charter-e2e-')), 'examples');
  cpSync(join(repoRoot, 'examples'), folder, { recursive: true });
  server = await startCodeServer({
    folder,
    vsix: VSIX,
    name: 'charter',
    userSettings: { 'charter.simulation.context': { mfa: true, device: 'managed' }, 'editor.inlayHints.enabled': 'on' },
  });
  browser = await openBrowser({ viewport: { width: 1500, height: 900 } });
  page = browser.page;
  await openWorkbench(page, server);
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the Problems panel lists the example mesh\'s deliberate mistakes', { timeout: 120_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  await openProblemsPanel(page);
  const rows = await waitForProblems(page, (r) => r.some((x) => /did you mean 'analysts'/.test(x.ariaLabel)) && r.some((x) => /expected ':' after field name/.test(x.ariaLabel)), {
    timeout: 90_000,
    what: "the example's unknown group and syntax error",
  });
  assert.ok(rows.some((x) => /unknown subject attribute 'team'/.test(x.ariaLabel)));
  assert.ok(rows.some((x) => /test sandbox-expectations: expected bob can read sales\.orders\.amount/.test(x.ariaLabel)), 'failing tests are diagnostics');
  assert.ok(rows.some((x) => /sla\.retention is 1095d, must be <= 730d/.test(x.ariaLabel)), 'governance violations are diagnostics');
  await docImage('editor-diagnostics');
});

test('completion offers group names in an audience', { timeout: 90_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  const lines = (await page.evaluate(() => document.title)) ?? '';
  assert.ok(lines.length >= 0);
  // After "allow read to " on a fresh line of the policy.
  await gotoPosition(page, 31, 1);
  await typeInEditor(page, '  allow read to ', { mode: 'keys' });
  const items = await triggerCompletion(page);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('analysts'), `suggestions: ${labels.join(', ')}`);
  assert.ok(labels.includes('everyone') && labels.includes('owner'));
  await screenshot(page, 'completion-setting-context');
  await page.keyboard.press('Escape');
  for (let i = 0; i < 16; i++) await page.keyboard.press('Backspace');
  await page.keyboard.press('Control+S');
});

test('hover on a field shows its tags and where they came from', { timeout: 60_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  const text = await hoverAt(page, 18, 11); // field email_hash (inherits pii.email through hash)
  assert.match(text, /email_hash/);
  assert.match(text, /pii\.email/);
  assert.match(text, /crm\.customers\.email/);
  assert.match(text, /protected/i);
  await docImage('editor-hover-field');
  await page.keyboard.press('Escape');
});

test('Who Can See This Field? lists the principals with their decisions', { timeout: 90_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  await gotoPosition(page, 16, 12); // customer_email
  await runCommand(page, 'Charter: Who Can See This Field?');
  const rows = await poll(
    'the Who Can See view to list principals',
    async () => {
      const texts = await page.$$eval('.pane', (panes) =>
        panes.filter((p) => /who can see/i.test(p.querySelector('.pane-header')?.textContent ?? '')).flatMap((p) => [...p.querySelectorAll('.monaco-list-row')].map((r) => r.textContent ?? '')),
      );
      return texts.some((t) => /alice/.test(t)) ? texts : undefined;
    },
    30_000,
  );
  // The list is virtualised: the first rows (alphabetical) are the rendered ones.
  const alice = rows.find((r) => /^alice/.test(r.trim()));
  assert.ok(alice && /masked/.test(alice) && /redact/.test(alice), `alice: ${alice}`);
  assert.ok(rows.some((r) => /^bob/.test(r.trim()) && /denied/.test(r)), rows.join('\n'));
  const header = await page.$$eval('.pane-header', (hs) => hs.map((h) => h.textContent ?? '').find((t) => /who can see/i.test(t)) ?? '');
  assert.match(header, /sales\.orders\.customer_email/i);
  await screenshot(page, 'who-can-see-setting-context');
});

/** The simulation's after-line decorations (rendered as text or as CSS content). */
async function decorations(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const mark = /[✓◐✗] (clear|masked|denied)/;
    for (const el of document.querySelectorAll('.monaco-editor .view-lines span')) {
      for (const c of [el.childElementCount === 0 ? el.textContent ?? '' : '', getComputedStyle(el, '::after').content, getComputedStyle(el, '::before').content]) {
        if (c && mark.test(c)) out.push(c.replace(/^"|"$/g, ''));
      }
    }
    return out;
  });
}

test('Simulate As… decorates every field in the open editor', { timeout: 90_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  await runCommand(page, 'Charter: Simulate As…');
  const pick = async (title: RegExp, text: string) => {
    await poll(`the quick pick ${title}`, async () => ((await page.locator('.quick-input-widget .quick-input-title').textContent().catch(() => '')) ?? '').match(title), 15_000);
    await page.keyboard.type(text);
    await page.waitForSelector(`.quick-input-widget .monaco-list-row:has-text("${text}")`, { timeout: 15_000 });
    await page.keyboard.press('Enter');
  };
  // The principal only: the context is the current one (here the charter.simulation.context setting).
  await pick(/Simulate As…$/, 'alice');
  const decos = await poll('simulation decorations', async () => {
    const d = await decorations();
    return d.length >= 5 && d.some((x) => /denied/.test(x)) ? d : undefined;
  }, 30_000).catch(async (e) => {
    await screenshot(page, 'simulate-failed');
    const text = await page.evaluate(() => (document.querySelector('.monaco-editor .view-lines') as HTMLElement | null)?.innerText.slice(0, 600));
    throw new Error(`${(e as Error).message}\neditor text: ${text}`);
  });
  assert.ok(decos.some((d) => /masked/.test(d)), decos.join(' | '));
  assert.ok(decos.some((d) => /denied/.test(d)));
  assert.ok(decos.some((d) => /clear/.test(d)));
  await screenshot(page, 'simulate-setting-context');
  await runCommand(page, 'Charter: Clear Simulation');
  await poll('decorations cleared', async () => ((await decorations()).length === 0 ? true : undefined), 15_000);
});

async function graphFrame(): Promise<Frame> {
  return poll(
    'the graph webview to draw the lineage',
    async () => {
      for (const f of page.frames()) {
        try {
          if ((await f.$$('svg .box-title')).length > 0) return f;
        } catch {
          /* frame navigating */
        }
      }
      return undefined;
    },
    60_000,
  );
}

test('the graph preview opens with the lineage of the contract at the cursor', { timeout: 120_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  await gotoPosition(page, 16, 12);
  await runCommand(page, 'Charter: Open Graph Preview');
  const frame = await graphFrame();
  const titles = await frame.$$eval('svg .box-title', (els) => els.map((e) => e.textContent ?? ''));
  assert.ok(titles.some((t) => /orders/.test(t)), titles.join(', '));
  assert.ok(titles.some((t) => /customers/.test(t)), 'the upstream contract is drawn');
  // The cursor's field is the focus: its upstream source is drawn, far-away contracts are not.
  assert.ok(!titles.some((t) => /logistics\.warehouses|warehouses/.test(t)), titles.join(', '));
  await screenshot(page, 'graph-setting-context');
});

test('a quick fix replaces an unknown group with the closest match', { timeout: 90_000 }, async () => {
  await openFile(page, 'mistakes/deliberate-mistakes.charter');
  await gotoPosition(page, 45, 18); // the unknown group 'analyst'
  await page.keyboard.press('Control+.');
  const items = await poll(
    'the quick fix menu',
    async () => {
      const t = await page.locator('.action-widget .action-list-item, .context-view .monaco-list-row').allInnerTexts();
      return t.length ? t : undefined;
    },
    20_000,
  );
  assert.ok(items.some((t) => /Change to 'analysts'/.test(t)), items.join(' | '));
  await docImage('editor-quick-fix');
  await page.keyboard.press('Escape');
});

test('typing a mistake adds a diagnostic at once', { timeout: 90_000 }, async () => {
  // The mistakes file sorts first in the Problems panel and line 1 sorts first
  // in it, so the new row is among the rendered ones.
  await openFile(page, 'mistakes/deliberate-mistakes.charter');
  await gotoPosition(page, 1, 1);
  await typeInEditor(page, 'group typo-test oops\n', { mode: 'paste' });
  const t0 = Date.now();
  await waitForProblems(page, (r) => r.some((x) => /found 'oops'|declaration ended/.test(x.ariaLabel)), { timeout: 10_000, what: 'the new syntax error' });
  console.log(`# typed mistake -> Problems panel: ${Date.now() - t0} ms`);
  await screenshot(page, 'typed-mistake');
  // Undo it: the diagnostic goes away again (no stale diagnostics).
  await page.keyboard.press('Control+Z');
  await waitForProblems(page, (r) => !r.some((x) => /found 'oops'|declaration ended/.test(x.ariaLabel)), { timeout: 10_000, what: 'the error to disappear after undo' });
});

test('in an untrusted folder the extension stays in restricted mode', { timeout: 180_000 }, async () => {
  const untrusted = join(mkdtempSync(join(tmpdir(), 'charter-e2e-untrusted-')), 'mesh');
  cpSync(join(repoRoot, 'examples'), untrusted, { recursive: true });
  const s2 = await startCodeServer({
    folder: untrusted,
    vsix: VSIX,
    name: 'charter-untrusted',
    trusted: false,
    userSettings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' },
  });
  const b2 = await openBrowser({ viewport: { width: 1400, height: 850 } });
  try {
    await openWorkbench(b2.page, s2);
    await openFile(b2.page, 'mistakes/deliberate-mistakes.charter');
    const status = await poll(
      'the restricted-mode status item',
      async () => {
        const t = await b2.page.locator('.statusbar-item').allInnerTexts();
        return t.find((x) => /Charter: restricted/.test(x));
      },
      60_000,
    );
    assert.match(status, /restricted/);
    // Syntax highlighting still works (TextMate), but nothing analyses the folder.
    assert.ok((await b2.page.locator('.monaco-editor .view-lines span[class*="mtk"]').count()) > 0);
    await openProblemsPanel(b2.page);
    await b2.page.waitForTimeout(3000);
    const rows = await b2.page.locator('.markers-panel .monaco-list-row').count();
    assert.equal(rows, 0, 'no Charter diagnostics before the folder is trusted');
    await screenshot(b2.page, 'untrusted-restricted');
  } finally {
    await b2.close();
    await s2.stop();
  }
});
