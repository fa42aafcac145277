// Graph previewer webview in a real browser (headless Chromium via playwright-core).
// Run: node --import tsx --test test/browser/graph.test.ts

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { GraphModel } from '../../grammar/graph-types';
import type { ExportMessage, RevealMessage, StateMessage } from '../../client/webview/protocol';
import {
  CHROMIUM,
  ensureWebviewBuilt,
  launchBrowser,
  loadExampleGraph,
  openGraphPage,
  ROOT,
  startServer,
  type GraphPage,
  type TestServer,
} from './harness';

const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
const XSS = '<img src=x onerror=alert(1)>';

describe('graph previewer webview', { skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let graph: GraphModel;
  const pages: GraphPage[] = [];

  before(async () => {
    await ensureWebviewBuilt();
    server = await startServer();
    browser = await launchBrowser();
    graph = loadExampleGraph();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(): Promise<GraphPage> {
    const gp = await openGraphPage(browser, server);
    pages.push(gp);
    return gp;
  }

  function assertClean(gp: GraphPage): void {
    assert.deepEqual(gp.problems.csp, [], 'CSP violations');
    assert.deepEqual(gp.problems.pageErrors, [], 'page errors');
    assert.deepEqual(gp.problems.consoleErrors, [], 'console errors');
    assert.deepEqual(gp.problems.dialogs, [], 'dialogs');
  }

  const ids = (gp: GraphPage, selector = '[data-id]') => gp.page.$$eval(selector, (els) => els.map((e) => e.getAttribute('data-id')!));
  const count = (gp: GraphPage, selector: string) => gp.page.$$eval(selector, (els) => els.length);
  const nodesOf = (kind: string) => graph.nodes.filter((n) => n.kind === kind);

  async function waitForPost<T>(gp: GraphPage, type: string, after = 0): Promise<T> {
    await gp.page.waitForFunction(([t, n]) => (window.__charterOutbox ?? []).filter((m) => m.type === t).length > n, [type, after] as const, { timeout: 30_000 });
    const all = (await gp.outbox()).filter((m) => m.type === type);
    return all[all.length - 1] as T;
  }

  test('renders a box for every contract and a row for every field (lineage view)', async () => {
    const gp = await open();
    const d = await gp.post({ type: 'graph', graph });
    assert.equal(d.view, 'lineage');
    assert.equal(d.engine, 'elk', 'laid out by ELK in the worker');
    const shown = new Set(await ids(gp));
    for (const n of [...nodesOf('contract'), ...nodesOf('field'), ...nodesOf('domain')]) assert.ok(shown.has(n.id), `missing ${n.id}`);
    for (const n of [...nodesOf('group'), ...nodesOf('principal')]) assert.ok(!shown.has(n.id), `${n.id} is not part of the lineage view`);
    const lineage = graph.edges.filter((e) => e.kind === 'lineage').length;
    assert.equal(await count(gp, '.layer-edges .edge.lineage'), lineage);
    const labels = await gp.page.$$eval('.edge-label text', (els) => els.map((e) => e.textContent));
    for (const t of ['hash', 'aggregate', 'mask', 'tokenize']) assert.ok(labels.includes(t), `transform label ${t}`);
    const names = await gp.page.$$eval('.row-name', (els) => els.map((e) => e.textContent));
    assert.ok(names.includes('customer_email'));
    // Sensitivity: pci field coloured at level 4, hashed email hatched (protected only), violations badged.
    assert.ok(await gp.page.$('[data-id="field:payments.cards.pan"].lvl-4'));
    assert.ok(await gp.page.$('[data-id="field:sales.orders.email_hash"].lvl-3.prot'));
    assert.ok(await gp.page.$('[data-id="contract:payments.cards"] > .violation.sev-error'));
    assert.ok(await gp.page.$('[data-id="field:sales.orders.customer_id"] .violation.sev-warning'));
    assertClean(gp);
  });

  test('switches between the lineage and access views; denied edges toggle', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    const d = await gp.nextRender(() => gp.page.click('#view-access'));
    assert.equal(d.view, 'access');
    const shown = new Set(await ids(gp));
    for (const n of [...nodesOf('group'), ...nodesOf('principal'), ...nodesOf('field')]) assert.ok(shown.has(n.id), `missing ${n.id}`);
    const access = graph.edges.filter((e) => e.kind === 'access');
    assert.equal(await count(gp, '.layer-edges .edge.access.d-clear'), access.filter((e) => e.decision === 'clear').length);
    assert.equal(await count(gp, '.layer-edges .edge.access.d-masked'), access.filter((e) => e.decision === 'masked').length);
    assert.equal(await count(gp, '.layer-edges .edge.access.d-denied'), 0, 'denied edges are hidden by default');
    assert.equal(await count(gp, '.layer-edges .edge.membership'), graph.edges.filter((e) => e.kind === 'membership').length);
    const dash = await gp.page.$eval('.layer-edges .edge.access.d-masked', (e) => getComputedStyle(e).strokeDasharray);
    assert.notEqual(dash, 'none', 'masked edges are dashed');
    const clear = await gp.page.$eval('.layer-edges .edge.access.d-clear', (e) => getComputedStyle(e).stroke);
    const masked = await gp.page.$eval('.layer-edges .edge.access.d-masked', (e) => getComputedStyle(e).stroke);
    assert.notEqual(clear, masked, 'edges are coloured by decision');
    await gp.nextRender(() => gp.page.click('#show-denied'));
    assert.equal(await count(gp, '.layer-edges .edge.access.d-denied'), access.filter((e) => e.decision === 'denied').length);
    await gp.nextRender(() => gp.page.click('#view-lineage'));
    assert.equal(await count(gp, '.node.actor'), 0);
    assert.equal(await count(gp, '.layer-edges .edge.access'), 0);
    assertClean(gp);
  });

  test('search highlights matching nodes and Enter focuses the best match', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    await gp.page.fill('#search', 'email');
    const matches = new Set(await ids(gp, '.match'));
    const expected = graph.nodes.filter((n) => (n.kind === 'field' || n.kind === 'contract' || n.kind === 'domain') && (n.label.includes('email') || n.name.includes('email')));
    assert.ok(expected.length >= 5);
    assert.deepEqual([...matches].sort(), expected.map((n) => n.id).sort());
    assert.match(await gp.page.textContent('#search-count') ?? '', new RegExp(`^${expected.length} matches$`));
    assert.ok(await gp.page.$('svg.graph.search-active'));
    assert.ok(await gp.page.$('[data-id="contract:sales.orders"].has-match'));
    const d = await gp.nextRender(() => gp.page.press('#search', 'Enter'));
    assert.ok(d.focus, 'Enter focused a match');
    assert.ok((await gp.page.textContent('#status'))?.includes('Focus:'));
    assertClean(gp);
  });

  test('clicking a node posts reveal with its location', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    await gp.page.click('#toggle-legend'); // keep the legend from covering nodes
    const field = graph.nodes.find((n) => n.id === 'field:sales.orders.customer_email')!;
    await gp.page.click(`[data-id="${field.id}"] .row-name`);
    const msg = await waitForPost<RevealMessage>(gp, 'reveal');
    assert.equal(msg.nodeId, field.id);
    assert.deepEqual(msg.location, field.location);
    const contract = graph.nodes.find((n) => n.id === 'contract:crm.customers')!;
    await gp.page.click(`[data-id="${contract.id}"] > .box-title`);
    const msg2 = await waitForPost<RevealMessage>(gp, 'reveal', 1);
    assert.equal(msg2.nodeId, contract.id);
    assert.deepEqual(msg2.location, contract.location);
    assertClean(gp);
  });

  test('focus mode: depth and direction change what is shown; show all leaves it', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    const all = (await ids(gp, '.row')).length;
    const d1 = await gp.post({ type: 'focus', focus: 'field:crm.customers.email' });
    assert.equal(d1.focus, 'field:crm.customers.email');
    const depth1 = new Set(await ids(gp, '.row'));
    assert.ok(depth1.size < all, `focus shows fewer fields (${depth1.size} < ${all})`);
    assert.deepEqual([...depth1].sort(), [
      'field:crm.customers.email',
      'field:marketing.campaign_audience.email',
      'field:sales.orders.customer_email',
      'field:sales.orders.email_hash',
    ]);
    assert.ok(await gp.page.$('[data-id="field:crm.customers.email"].focus-center'));
    assert.ok((await gp.page.textContent('[data-id="contract:crm.customers"] .box-more'))?.includes('5 more fields'));
    await gp.nextRender(() => gp.page.click('#depth-inc'));
    const depth2 = new Set(await ids(gp, '.row'));
    assert.ok(depth2.has('field:marketing.campaign_audience.email_hash'), 'depth 2 reaches two hops downstream');
    assert.ok(depth2.size > depth1.size);
    await gp.nextRender(() => gp.page.click('#dir-upstream'));
    assert.deepEqual(await ids(gp, '.row'), ['field:crm.customers.email'], 'nothing is upstream of a declared source');
    await gp.nextRender(() => gp.page.click('#show-all'));
    assert.equal((await ids(gp, '.row')).length, all);
    // A contract focus in the access view: its fields and who reads them.
    await gp.page.click('#view-access');
    const d2 = await gp.post({ type: 'focus', focus: 'contract:payments.cards' });
    assert.equal(d2.view, 'access');
    const shown = new Set(await ids(gp));
    assert.ok(shown.has('group:payments-team'));
    assert.ok(shown.has('field:payments.cards.pan'));
    assert.ok(!shown.has('contract:sales.daily_revenue'));
    assertClean(gp);
  });

  test('export SVG returns a parseable standalone SVG with the field names; PNG too', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    await gp.page.click('#export-svg');
    const svgMsg = await waitForPost<ExportMessage>(gp, 'export');
    assert.equal(svgMsg.format, 'svg');
    const parsed = await gp.page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        texts: Array.from(doc.querySelectorAll('text'), (t) => t.textContent),
        styled: doc.querySelectorAll('[fill]').length,
        scripts: doc.querySelectorAll('script, foreignObject').length,
      };
    }, svgMsg.data);
    assert.equal(parsed.error, null);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.scripts, 0);
    assert.ok(parsed.styled > 50, 'styles are inlined as presentation attributes');
    for (const f of nodesOf('field')) assert.ok(parsed.texts.includes(f.label), `export contains ${f.label}`);
    await gp.page.click('#export-png');
    const png = await waitForPost<ExportMessage>(gp, 'export', 1);
    assert.equal(png.format, 'png');
    assert.match(png.data, /^data:image\/png;base64,/);
    const bytes = Buffer.from(png.data.slice(png.data.indexOf(',') + 1), 'base64');
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(bytes.length > 10_000);
    assertClean(gp);
  });

  test('a doc comment containing HTML is shown as text (no element, no dialog)', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    const contract = graph.nodes.find((n) => n.doc?.includes(XSS));
    assert.ok(contract, 'fixture has the XSS doc comment');
    await gp.page.hover(`[data-id="${contract.id}"] > .box-title`);
    await gp.page.waitForSelector('#charter-tooltip.visible');
    const tip = await gp.page.textContent('#charter-tooltip');
    assert.ok(tip?.includes(XSS), 'the doc comment is shown literally');
    assert.equal(await count(gp, 'img'), 0);
    assert.equal(await count(gp, '#charter-tooltip *:not(div):not(span):not(dl):not(dt):not(dd):not(ul):not(li)'), 0);
    await gp.page.waitForTimeout(200);
    assert.deepEqual(gp.problems.dialogs, []);
    // Search input is data too.
    await gp.page.fill('#search', XSS);
    assert.equal(await count(gp, 'img'), 0);
    assertClean(gp);
  });

  test('live update keeps zoom and pan and only re-lays out', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    await gp.page.click('#zoom-in');
    await gp.page.click('#zoom-in');
    const box = (await gp.page.$('#graph'))!;
    const b = (await box.boundingBox())!;
    await gp.page.mouse.move(b.x + b.width / 2, b.y + 40);
    await gp.page.mouse.down();
    await gp.page.mouse.move(b.x + b.width / 2 + 60, b.y + 70, { steps: 4 });
    await gp.page.mouse.up();
    const before = await gp.page.getAttribute('g.viewport', 'transform');
    const updated: GraphModel = structuredClone(graph);
    updated.nodes.push({ id: 'field:sales.orders.discount', kind: 'field', label: 'discount', name: 'sales.orders.discount', parent: 'contract:sales.orders', type: 'decimal' });
    updated.edges.push({ id: 'lineage:sales.orders.discount->sales.daily_revenue.revenue', kind: 'lineage', source: 'field:sales.orders.discount', target: 'field:sales.daily_revenue.revenue', transform: 'aggregate', tags: [] });
    const marker = await gp.page.evaluate(() => {
      const g = document.querySelector('g.viewport')!;
      (g as unknown as { __mark: number }).__mark = 42;
      return true;
    });
    assert.ok(marker);
    const d = await gp.post({ type: 'graph', graph: updated });
    assert.equal(d.revision, 2);
    assert.equal(await gp.page.getAttribute('g.viewport', 'transform'), before, 'zoom/pan kept');
    assert.equal(await gp.page.evaluate(() => (document.querySelector('g.viewport') as unknown as { __mark?: number }).__mark), 42, 'same viewport element (no page reload)');
    assert.ok(await gp.page.$('[data-id="field:sales.orders.discount"]'));
    assertClean(gp);
  });

  test('view state is saved (setState + state message) and restored after a reload', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    await gp.nextRender(() => gp.page.click('#view-access'));
    await gp.page.selectOption('#sensitive-tag', 'pii');
    await gp.post({ type: 'focus', focus: 'group:analysts' });
    await gp.page.click('#zoom-out');
    await gp.page.waitForFunction(() => (window.__charterOutbox ?? []).some((m) => m.type === 'state' && m.state.focus === 'group:analysts' && m.state.sensitiveTag === 'pii'));
    await gp.page.waitForTimeout(600); // debounced zoom save
    const state = (await waitForPost<StateMessage>(gp, 'state')).state;
    assert.equal(state.view, 'access');
    const transform = await gp.page.getAttribute('g.viewport', 'transform');
    await gp.page.reload();
    await gp.page.waitForFunction(() => (window.__charterOutbox ?? []).some((m) => m.type === 'ready'));
    const d = await gp.post({ type: 'graph', graph });
    assert.equal(d.view, 'access');
    assert.equal(d.focus, 'group:analysts');
    assert.equal(await gp.page.inputValue('#sensitive-tag'), 'pii');
    assert.equal(await gp.page.getAttribute('g.viewport', 'transform'), transform, 'zoom restored');
    assertClean(gp);
  });

  test('sensitive paths highlight every lineage edge a tag flows along', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    await gp.page.selectOption('#sensitive-tag', 'pii.email');
    const onPath = new Set(await gp.page.$$eval('.layer-edges .edge.on-path', (els) => els.map((e) => e.getAttribute('data-edge'))));
    const expected = graph.edges.filter((e) => e.kind === 'lineage' && (e.tags ?? []).some((t) => t.name === 'pii.email')).map((e) => e.id);
    assert.deepEqual([...onPath].sort(), expected.sort());
    const prot = await gp.page.$$eval('.layer-edges .edge.on-path.prot', (els) => els.map((e) => e.getAttribute('data-edge')));
    assert.ok(prot.includes('lineage:crm.customers.email->sales.orders.email_hash'), 'hashed hop is drawn as protected');
    await gp.page.selectOption('#sensitive-tag', 'pii');
    assert.ok((await count(gp, '.layer-edges .edge.on-path')) > expected.length, 'a parent tag matches its children');
    assertClean(gp);
  });

  test('screenshots of both views in light and dark themes', async () => {
    const dir = join(ROOT, 'test-results');
    mkdirSync(dir, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      const gp = await open();
      await gp.setTheme(theme);
      await gp.post({ type: 'graph', graph });
      await gp.page.screenshot({ path: join(dir, `graph-lineage-${theme}.png`) });
      await gp.nextRender(() => gp.page.click('#view-access'));
      await gp.page.screenshot({ path: join(dir, `graph-access-${theme}.png`) });
      const bg = await gp.page.$eval('body', (b) => getComputedStyle(b).backgroundColor);
      assert.equal(bg, theme === 'dark' ? 'rgb(31, 31, 31)' : 'rgb(255, 255, 255)', 'theme variables drive the colours');
      assertClean(gp);
    }
  });
});
