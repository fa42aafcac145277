/**
 * The first hour with the packaged extension in code-server (issue 14): one
 * simulation context everywhere (status bar, quick pick, lenses, hovers, Who
 * Can See, Simulate As agree), the Charter view container, the hover on a
 * simulation mark, the Test Explorer's output, the graph refitting when a
 * panel opens, completion opening by itself, the manifest (keybindings, file
 * icon, charter.json schema, walkthrough, task and problem matcher, 2-space
 * indentation) and the VSIX's contents. Screenshots in test-results/e2e/
 * (docs/images with CHARTER_E2E_DOC_IMAGES=1).
 *
 *   node --import tsx --test test/e2e/first-hour.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  readSuggestions,
  repoRoot,
  runCommand,
  screenshot,
  sel,
  startCodeServer,
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
  const r = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot });
  folder = join(mkdtempSync(join(tmpdir(), 'charter-e2e-')), 'examples');
  cpSync(join(repoRoot, 'examples'), folder, { recursive: true });
  // No charter.simulation.context setting: the default context comes from examples/charter.json.
  server = await startCodeServer({ folder, vsix: VSIX, name: 'first-hour', userSettings: { 'editor.inlayHints.enabled': 'on', 'charter.trace.server': process.env.CHARTER_E2E_TRACE ?? 'off' } });
  browser = await openBrowser({ viewport: { width: 1500, height: 900 } });
  page = browser.page;
  await openWorkbench(page, server);
}, { timeout: 300_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The simulation context status bar item's text. */
async function contextItem(re: RegExp, timeout = 30_000): Promise<string> {
  return poll(`the context status item to match ${re}`, async () => (await page.locator('.statusbar-item').allInnerTexts()).find((t) => re.test(t)), timeout);
}

/**
 * Text of the code lens over the rendered line that contains `lineText` (lenses sit above their
 * line). It reads the DOM only: moving the cursor (Ctrl+G) would blur the editor, and VS Code
 * cancels a pending code lens refresh on blur.
 */
async function lensAbove(lineText: string): Promise<string> {
  return poll(`the code lens over "${lineText}"`, async () => {
    const r = await page.locator(sel.activeEditor).evaluate((ed, want) => {
      const line = [...ed.querySelectorAll('.view-lines .view-line')].find((l) => (l as HTMLElement).innerText.replace(/\u00a0/g, ' ').includes(want));
      if (!line) return undefined;
      const top = line.getBoundingClientRect().top;
      const lenses = [...ed.querySelectorAll('.codelens-decoration')].map((e) => ({ text: (e as HTMLElement).innerText, top: e.getBoundingClientRect().top }));
      return lenses.filter((l) => l.top < top).sort((a, b) => b.top - a.top)[0]?.text;
    }, lineText);
    return r && /clear/.test(r) ? r : undefined;
  }, 30_000);
}

/** The Who Can See view's rows (in the Charter side bar). */
async function whoCanSeeRows(): Promise<string[]> {
  return page.$$eval('.part.sidebar .pane', (panes) =>
    panes.filter((p) => /who can see/i.test(p.querySelector('.pane-header')?.textContent ?? '')).flatMap((p) => [...p.querySelectorAll('.monaco-list-row')].map((r) => (r as HTMLElement).innerText.replace(/\n/g, ' '))),
  );
}

/** Picks the quick pick row whose label matches. */
async function pickRow(re: RegExp, timeout = 15_000): Promise<void> {
  let seen: string[] = [];
  // The list can re-render between reading it and clicking (task providers answer late): retry.
  await poll(`a quick pick row matching ${re}`, async () => {
    seen = await page.locator(sel.quickInputRow).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const i = seen.findIndex((r) => re.test(r));
    if (i < 0) return undefined;
    const row = page.locator(sel.quickInputRow).nth(i);
    if (!re.test((await row.getAttribute('aria-label', { timeout: 1000 }).catch(() => '')) ?? '')) return undefined;
    return row.click({ timeout: 2000 }).then(() => true, () => undefined);
  }, timeout).catch(async (e) => {
    const png = await screenshot(page, `pick-failed-${re.source.replace(/\W+/g, '')}`);
    throw new Error(`${(e as Error).message}\n  rows: ${JSON.stringify(seen)}\n  screenshot: ${png}`);
  });
}

test('the simulation context comes from charter.json and is shown in the status bar', { timeout: 120_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  const item = await contextItem(/mfa=true, device=managed, purpose=analytics/, 90_000);
  assert.ok(item);
  // 2-space indentation by default (configurationDefaults), as the formatter writes.
  assert.match(await page.locator(sel.statusbar).innerText(), /Spaces: 2/);
  // The .charter file icon (contributes.languages[].icon) on the file's explorer row.
  const icon = await poll('the .charter file icon in the explorer', async () =>
    page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'orders.charter' }).first().evaluate((row) => {
      const label = row.querySelector('.monaco-icon-label');
      return label ? getComputedStyle(label, '::before').backgroundImage : '';
    }).then((bg) => (/charter-file\.svg/.test(bg) ? bg : undefined)), 30_000);
  assert.match(icon, /charter-file\.svg/);
});

test('Who Can See (Ctrl+Alt+W) opens in the Charter side bar, with reasons', { timeout: 120_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  await gotoPosition(page, 16, 12); // customer_email
  await page.keyboard.press('Control+Alt+W');
  const rows = await poll('the Who Can See view to list principals', async () => {
    const r = await whoCanSeeRows();
    return r.some((t) => /^alice/.test(t.trim())) ? r : undefined;
  }, 60_000);
  assert.ok(rows.find((r) => /^alice/.test(r.trim()))?.match(/masked/), rows.join('\n'));
  // The view is in the Charter view container (its own activity bar entry), not the Explorer.
  const active = await page.locator('.activitybar .action-item.checked .action-label').getAttribute('aria-label');
  assert.match(active ?? '', /Charter/);
  // Expand alice: the reasons fit beside the rules.
  const alice = page.locator('.part.sidebar .monaco-list-row', { hasText: /^alice/ }).first();
  await poll("alice's reasons", async () => {
    if ((await whoCanSeeRows()).some((r) => /mask: /.test(r))) return true;
    if ((await alice.getAttribute('aria-expanded').catch(() => null)) !== 'true') await alice.locator('.monaco-tl-twistie').click({ timeout: 2000 }).catch(() => {});
    return undefined;
  }, 30_000, 500);
  await docImage('editor-who-can-see');
});

test('one quick pick changes the context, and lenses, hovers and Who Can See follow', { timeout: 150_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  await gotoPosition(page, 14, 1);
  const lensBefore = await lensAbove('field amount:');
  await page.locator('.statusbar-item', { hasText: /mfa=true, device=managed/ }).first().click();
  await page.locator(sel.quickInput).waitFor({ state: 'visible' });
  assert.match(await page.locator('.quick-input-widget .quick-input-title').innerText(), /Simulation Context/);
  await screenshot(page, 'context-pick');
  await pickRow(/^context\.mfa/);
  await pickRow(/^false/);
  await contextItem(/mfa=false, device=managed, purpose=analytics/);
  // The lens over `amount` is recomputed for the new context.
  let last = '';
  const lensAfter = await poll('the lens to change', async () => {
    last = await lensAbove('field amount:');
    return last !== lensBefore ? last : undefined;
  }, 30_000).catch(async (e) => {
    await screenshot(page, 'context-lens-failed');
    throw new Error(`${(e as Error).message}: before ${lensBefore}, last ${last}`);
  });
  assert.notEqual(lensAfter, lensBefore);
  const hover = await hoverAt(page, 20, 10);
  assert.match(hover, /mfa=false, device="managed", purpose="analytics"/);
  await page.keyboard.press('Escape');
  // Who Can See shows the field it showed, in the new context.
  const rows = await poll('Who Can See in the new context', async () => {
    const header = await page.$$eval('.part.sidebar .pane-header', (hs) => hs.map((h) => h.textContent ?? '').join(' '));
    return /mfa=false/.test(header) ? whoCanSeeRows() : undefined;
  }, 30_000);
  assert.ok(rows.length > 0);
  // Back to the workspace default.
  await page.locator('.statusbar-item', { hasText: /mfa=false/ }).first().click();
  await pickRow(/Workspace default/);
  await contextItem(/mfa=true, device=managed, purpose=analytics/);
});

/** The Simulate As marks at the end of lines: { line text prefix, mark }. */
async function marks(): Promise<{ line: string; mark: string }[]> {
  return page.evaluate(() => {
    const out: { line: string; mark: string }[] = [];
    const re = /[✓◐✗] (clear|masked|denied)/;
    for (const l of document.querySelectorAll('.part.editor .editor-group-container.active .monaco-editor .view-lines .view-line')) {
      for (const el of l.querySelectorAll('span')) {
        const texts = [el.childElementCount === 0 ? el.textContent ?? '' : '', getComputedStyle(el, '::after').content.replace(/^"|"$/g, '')];
        const hit = texts.find((t) => re.test(t));
        if (hit) out.push({ line: (l as HTMLElement).innerText.replace(/\u00a0/g, ' '), mark: hit.replace(/\u00a0/g, ' ') });
      }
    }
    return out;
  });
}

test('Simulate As (Ctrl+Alt+S) agrees with the hovers, and hovering a mark says why first', { timeout: 150_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  await gotoPosition(page, 14, 3);
  await page.keyboard.press('Control+Alt+S');
  await poll('the Simulate As quick pick', async () => ((await page.locator('.quick-input-widget .quick-input-title').textContent().catch(() => '')) ?? '').match(/Simulate As/), 15_000);
  assert.match((await page.locator('.quick-input-widget input').getAttribute('placeholder')) ?? '', /mfa=true, device=managed, purpose=analytics/);
  await page.keyboard.type('alice');
  await page.waitForSelector('.quick-input-widget .monaco-list-row:has-text("alice")');
  await page.keyboard.press('Enter');
  const m = await poll('simulation marks', async () => {
    const x = await marks();
    return x.length >= 8 ? x : undefined;
  }, 30_000).catch(async (e) => {
    await screenshot(page, 'simulate-failed');
    throw e;
  });
  await contextItem(/alice · mfa=true/);
  // The mark and the hover's access summary say the same of alice, field by field.
  for (const [line, field] of [
    [16, 'customer_email'],
    [20, 'amount'],
    [19, 'card_last4'],
  ] as const) {
    const mark = m.find((x) => x.line.includes(`field ${field}:`));
    assert.ok(mark, `a mark on ${field}: ${JSON.stringify(m)}`);
    const decision = /(clear|masked|denied)/.exec(mark.mark)![1];
    const hover = await hoverAt(page, line, 10);
    // The hover names the principals of a bucket when there are few, and counts them otherwise.
    const bucket = new RegExp(`${decision}: ([^;]*\\balice\\b|\\d+)`);
    assert.match(hover, bucket, `${field}: the mark says ${mark.mark}; the hover: ${hover}`);
    await page.keyboard.press('Escape');
  }
  // Hover the mark itself: the simulation's reason comes first.
  // (The mark is the ::after content of an empty span at the end of the line: hover its box.)
  const box = await page.evaluate(() => {
    for (const el of document.querySelectorAll('.part.editor .editor-group-container.active .monaco-editor .view-lines span')) {
      const t = el.childElementCount === 0 && /◐ masked/.test(el.textContent ?? '') ? el.textContent : getComputedStyle(el, '::after').content;
      if (t && /◐ masked/.test(t)) {
        const r = el.getBoundingClientRect();
        return { x: r.right - 8, y: r.top + r.height / 2 };
      }
    }
    return undefined;
  });
  assert.ok(box, 'a masked mark is rendered');
  await page.mouse.move(box.x - 40, box.y);
  await page.mouse.move(box.x, box.y);
  const hover = page.locator(sel.hover).last();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  const text = await poll('the mark hover', async () => {
    const t = (await hover.innerText()).trim();
    return t && !/Loading/.test(t) ? t : undefined;
  }, 15_000);
  assert.match(text.split('\n')[0], /^Simulating alice/, text);
  await docImage('editor-simulate');
  await page.mouse.move(5, 5);
  await runCommand(page, 'Charter: Clear Simulation');
  await poll('marks cleared', async () => ((await marks()).length === 0 ? true : undefined), 15_000);
});

test('a failing test in the Test Explorer shows the decision and the rules behind it', { timeout: 150_000 }, async () => {
  await runCommand(page, 'Test: Run All Tests');
  await runCommand(page, 'Test: Show Output');
  const out = await poll('the test output', async () => {
    const t = await page.locator('.xterm-rows, .xterm-accessibility-tree').allInnerTexts().catch(() => [] as string[]);
    const all = t.join('\n');
    return /FAIL sandbox-expectations/.test(all) ? all : undefined;
  }, 90_000).catch(async (e) => {
    await screenshot(page, 'tests-failed');
    throw e;
  });
  assert.match(out, /expected bob can read sales\.orders\.amount, but it is denied/);
  assert.match(out, /decision: bob → sales\.orders\.amount: denied/);
  assert.match(out, /context: mfa=true, device=managed/);
  // (The terminal shows its last rows: the other tests scrolled by.) Passing expectations show
  // their decision and the rules that decided it too.
  assert.match(out, /✓ [^\n]+\n\s+context: [^\n]+\n\s+decision: [^\n]+\n\s+(allow|mask|rows|deny): /);
  await docImage('editor-tests');
});

async function graphFrame(): Promise<Frame> {
  return poll('the graph webview to draw', async () => {
    for (const f of page.frames()) {
      try {
        if ((await f.$$('svg .box-title')).length > 0) return f;
      } catch {
        /* navigating */
      }
    }
    return undefined;
  }, 60_000);
}

test('the graph refits when a panel opens or closes', { timeout: 150_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  await gotoPosition(page, 2, 17); // on `orders` of `contract sales.orders`
  await runCommand(page, 'View: Close Panel').catch(() => {});
  await runCommand(page, 'Charter: Open Graph Preview');
  const frame = await graphFrame();
  assert.equal(await frame.locator('#legend').isVisible(), false, 'the legend starts collapsed');
  // Wait for the focused drawing (the first message may draw the whole mesh) and for it to settle.
  let status = '';
  await poll('the graph focused on sales.orders', async () => ((status = await frame.locator('#status').innerText()).includes('Focus: sales.orders') ? true : undefined), 30_000).catch((e) => {
    throw new Error(`${(e as Error).message}; status: ${status}`);
  });
  let count = '';
  await poll('the drawing to settle', async () => {
    const c = (await frame.evaluate(() => document.body.dataset.renderCount)) ?? '';
    const same = c === count;
    count = c;
    return same ? true : undefined;
  }, 30_000, 1000);
  const k = () => frame.locator('svg.graph g.viewport').getAttribute('transform').then((t) => Number(/scale\(([\d.]+)\)/.exec(t ?? '')?.[1]));
  const resized = () => frame.evaluate(() => new Promise<{ h: number; fitted: boolean }>((ok) => window.addEventListener('charter:resized', (e) => ok((e as CustomEvent).detail), { once: true })));
  const size = () => frame.evaluate(() => document.querySelector('svg.graph')!.getBoundingClientRect().height);
  const before = await k();
  const hBefore = await size();
  // The panel (open or not, depending on the tests before) is toggled: the preview's height changes.
  const toggled = resized();
  await runCommand(page, 'View: Toggle Panel Visibility');
  const d = await toggled;
  assert.equal(d.fitted, true, 'a fitted drawing is fitted again');
  const after = await k();
  const hAfter = await size();
  assert.notEqual(hAfter, hBefore);
  assert.ok(hAfter < hBefore ? after < before : after > before, `the zoom follows the height (${before} at ${hBefore}px -> ${after} at ${hAfter}px)`);
  if (hAfter < hBefore) await docImage('editor-graph');
  const back = resized();
  await runCommand(page, 'View: Toggle Panel Visibility');
  await back;
  if (hAfter > hBefore) await docImage('editor-graph');
  assert.ok(Math.abs((await k()) - before) < 1e-3, 'back to the first fit');
});

test('completion opens by itself after "owner " and "to ", without duplicates', { timeout: 120_000 }, async () => {
  await openFile(page, 'sales/orders.charter');
  // A new rule at the end of the policy (line 35 is its last rule): Enter indents it.
  await gotoPosition(page, 35, 1);
  await page.keyboard.press('End');
  await typeInEditor(page, '\nallow read to ', { mode: 'keys', delay: 30 });
  const items = await readSuggestions(page, { timeout: 20_000 });
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('analysts') && labels.includes('everyone'), labels.join(', '));
  assert.deepEqual(labels.filter((l, i) => labels.indexOf(l) !== i), [], 'no label twice');
  await docImage('editor-completion');
  await page.keyboard.press('Escape');
  await runCommand(page, 'File: Revert File');
});

test('charter.json is validated against its schema', { timeout: 90_000 }, async () => {
  await openFile(page, 'charter.json');
  await gotoPosition(page, 2, 1);
  await typeInEditor(page, '  "includes": [],\n', { mode: 'paste' });
  // The JSON language service checks it against schemas/charter.schema.json.
  const text = await poll('the schema warning on the unknown key', async () => {
    const t = await hoverAt(page, 2, 5).catch(() => '');
    await page.keyboard.press('Escape');
    return /Property includes is not allowed/.test(t) ? t : undefined;
  }, 60_000).catch(async (e) => {
    await screenshot(page, 'schema-failed');
    throw e;
  });
  assert.match(text, /Property includes is not allowed/);
  await runCommand(page, 'File: Revert File');
});

test('the walkthrough lists the five steps', { timeout: 90_000 }, async () => {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pickRow(/Get started with Charter/);
  const text = await poll('the walkthrough', async () => {
    const t = await page.locator('.gettingStartedContainer').innerText().catch(() => '');
    return /Preview the graph/.test(t) ? t : undefined;
  }, 30_000);
  for (const s of ['Open a contract', 'Ask who can see a field', 'Simulate a principal', 'Preview the graph', 'Run the tests']) assert.ok(text.includes(s), s);
  await docImage('editor-walkthrough');
  await runCommand(page, 'View: Close Editor');
});

test('the charter: check task reports through the problem matcher', { timeout: 120_000 }, async () => {
  await runCommand(page, 'Tasks: Run Task');
  await pickRow(/charter tasks/);
  await pickRow(/^charter: check|^check/);
  // The problem matcher's problems carry the source `charter check` (the language server's: `charter`).
  await openProblemsPanel(page);
  const filter = page.locator('input[placeholder^="Filter (e.g."]').first();
  await filter.fill("did you mean 'analysts'");
  await waitForProblems(page, (r) => r.some((x) => /charter check/.test(x.text) && /did you mean 'analysts'/.test(x.text)), { timeout: 90_000, what: "the task's problems (source charter check)" }).catch(async (e) => {
    await screenshot(page, 'task-failed');
    throw e;
  });
  await screenshot(page, 'task-check');
  await filter.fill('');
});

test('the VSIX ships what the manifest uses and nothing else', () => {
  const list = spawnSync('unzip', ['-Z1', VSIX], { encoding: 'utf8' }).stdout.trim().split('\n').filter((f) => f.startsWith('extension/'));
  const files = new Set(list.map((f) => f.slice('extension/'.length)));
  const manifest = JSON.parse(spawnSync('unzip', ['-p', VSIX, 'extension/package.json'], { encoding: 'utf8' }).stdout);
  // Every file the manifest names is in it.
  const named = [
    manifest.main,
    manifest.icon,
    ...manifest.contributes.languages.flatMap((l: any) => [l.configuration, l.icon?.light, l.icon?.dark]),
    ...manifest.contributes.grammars.map((g: any) => g.path),
    ...manifest.contributes.viewsContainers.activitybar.map((v: any) => v.icon),
    ...manifest.contributes.jsonValidation.map((j: any) => j.url),
    ...manifest.contributes.walkthroughs.flatMap((w: any) => w.steps.map((s: any) => s.media.markdown ?? s.media.image)),
  ].filter(Boolean);
  for (const f of named) assert.ok(files.has(f.replace(/^\.\//, '')), `${f} is in the VSIX`);
  // Every bundle is used: the main one, and the CLI (the language server and the tasks).
  const client = spawnSync('unzip', ['-p', VSIX, 'extension/dist/client.cjs'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  for (const f of [...files].filter((x) => /^dist\/[^/]+\.c?js$/.test(x))) {
    assert.ok(f === manifest.main.replace(/^\.\//, '') || client.includes(f), `${f} is used by the extension`);
  }
  assert.ok(!files.has('dist/server.cjs'), 'no second copy of the server');
  assert.ok(![...files].some((f) => f.endsWith('.map') || f.startsWith('test/') || f.startsWith('node_modules/')));
  // The README is the user-facing one, with absolute links into the repository, none to example.invalid.
  const readme = spawnSync('unzip', ['-p', VSIX, 'extension/readme.md'], { encoding: 'utf8' }).stdout;
  assert.match(readme, /^# Charter — data contracts & access policies/);
  assert.doesNotMatch(readme, /example\.invalid|Two commands|npm test/);
  const base = String(manifest.repository.url).replace(/\.git$/, '');
  for (const [, link] of readme.matchAll(/\]\(([^)]+)\)/g)) {
    assert.match(link, /^https:\/\//, `absolute link: ${link}`);
    if (link.startsWith(base)) {
      const rel = link.slice(base.length).replace(/^\/(blob|raw)\/main\//, '').replace(/#.*$/, '');
      assert.ok(existsSync(join(repoRoot, rel)), `${link} points at a file of the repository (${rel})`);
    }
  }
  for (const f of ['bugs', 'homepage']) assert.ok(manifest[f], `package.json has ${f}`);
  assert.ok(readFileSync(join(repoRoot, 'package.json'), 'utf8').length > 0);
});

after(() => {
  if (folder) rmSync(join(folder, '..'), { recursive: true, force: true });
});
