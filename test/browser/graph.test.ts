// Graph previewer webview in a real browser (headless Chromium via playwright-core).
// Run: node --import tsx --test test/browser/graph.test.ts
//
// Expectations are computed from the loaded graph (see loadExampleGraph in ./harness), so the
// same tests run on the hand-written fixture and on graph JSON produced by the real core.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { GraphEdge, GraphModel, GraphNode } from '../../grammar/graph-types';
import { GraphIndex, levelClass, tagMatches, worstSeverity } from '../../client/webview/model';
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

const XSS = '<img src=x onerror=alert(1)>';
const zoomOf = (transform: string) => Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? NaN);
// In CI a missing browser is a failure, not a skip.
const skip = existsSync(CHROMIUM) || process.env.CI ? false : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;

/** Nodes reachable from `start` within `depth` hops along `edges` (forward or backward). */
function reach(edges: GraphEdge[], start: string, depth: number, backward: boolean): Set<string> {
  const seen = new Set([start]);
  let frontier = [start];
  for (let i = 0; i < depth; i++) {
    const next: string[] = [];
    for (const e of edges) {
      const [from, to] = backward ? [e.target, e.source] : [e.source, e.target];
      if (frontier.includes(from) && !seen.has(to)) {
        seen.add(to);
        next.push(to);
      }
    }
    frontier = next;
  }
  return seen;
}

describe('graph previewer webview', { skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let graph: GraphModel;
  let index: GraphIndex;
  let lineage: GraphEdge[];
  const pages: GraphPage[] = [];

  before(async () => {
    await ensureWebviewBuilt();
    server = await startServer();
    browser = await launchBrowser();
    graph = loadExampleGraph();
    index = new GraphIndex(graph);
    lineage = graph.edges.filter((e) => e.kind === 'lineage');
  });

  afterEach(async () => {
    for (const gp of pages.splice(0)) await gp.page.context().close();
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
  const sel = (id: string) => `[data-id="${id.replace(/["\\]/g, '\\$&')}"]`;

  async function waitForPost<T>(gp: GraphPage, type: string, after = 0): Promise<T> {
    await gp.page.waitForFunction(([t, n]) => (window.__charterOutbox ?? []).filter((m) => m.type === t).length > n, [type, after] as const, { timeout: 30_000 });
    const all = (await gp.outbox()).filter((m) => m.type === type);
    return all[all.length - 1] as T;
  }

  test('lineage view: a box per contract, a row per field, every lineage edge, sensitivity and violations', async () => {
    const gp = await open();
    const d = await gp.post({ type: 'graph', graph });
    assert.equal(d.view, 'lineage', JSON.stringify(d));
    assert.equal(d.engine, 'elk', 'laid out by ELK in the worker');
    const shown = new Set(await ids(gp));
    for (const n of [...nodesOf('contract'), ...nodesOf('field')]) assert.ok(shown.has(n.id), `missing ${n.id}`);
    for (const n of [...nodesOf('group'), ...nodesOf('principal')]) assert.ok(!shown.has(n.id), `${n.id} is not part of the lineage view`);
    assert.equal(await count(gp, '.layer-edges .edge.lineage'), lineage.length);
    const names = new Set(await gp.page.$$eval('.row-name', (els) => els.map((e) => e.textContent)));
    for (const f of nodesOf('field')) assert.ok(names.has(f.label), `row text ${f.label}`);
    // Edges are labelled with their transform (copy, the default, is not).
    const labels = new Set((await gp.page.$$eval('.edge-label text', (els) => els.map((e) => e.textContent ?? ''))).flatMap((t) => t.split(', ')));
    for (const t of new Set(lineage.map((e) => e.transform ?? 'copy'))) if (t !== 'copy') assert.ok(labels.has(t), `transform label ${t}`);
    // Sensitivity: every field coloured by its highest level, protected-only ones hatched.
    for (const f of nodesOf('field')) {
      const s = index.sensitivity(f);
      assert.ok(await gp.page.$(`${sel(f.id)}.lvl-${levelClass(s.level)}${s.protectedOnly ? '.prot' : ''}`), `${f.id} level ${s.level}`);
    }
    assert.ok(nodesOf('field').some((f) => index.sensitivity(f).protectedOnly), 'the graph has a protected-only field');
    // Violations: a badge of the worst severity on each contract/field that has some.
    const violating = graph.nodes.filter((n) => (n.kind === 'contract' || n.kind === 'field') && n.violations?.length);
    assert.ok(violating.length > 0);
    for (const n of violating) assert.ok(await gp.page.$(`${sel(n.id)} > .violation.sev-${worstSeverity(n)}`), `violation badge on ${n.id}`);
    // Domains: a colour band per contract by default, enclosing boxes on request.
    assert.equal(await count(gp, '.domain'), 0);
    const inDomain = nodesOf('contract').find((c) => index.domainOf(c))!;
    assert.ok(await gp.page.$(`${sel(inDomain.id)}.dom-${index.domainSlot.get(index.domainOf(inDomain)!.id)} > .box-band`));
    await gp.nextRender(() => gp.page.click('#domain-boxes'));
    const withDomains = new Set(await ids(gp, '.domain'));
    for (const n of nodesOf('domain')) if (index.contractsOf(n.id).length) assert.ok(withDomains.has(n.id), `domain box ${n.id}`);
    assertClean(gp);
  });

  test('access view: actors and fields, edges coloured by decision, masked dashed, denied toggled', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    const d = await gp.nextRender(() => gp.page.click('#view-access'));
    assert.equal(d.view, 'access');
    const shown = new Set(await ids(gp));
    for (const n of [...nodesOf('group'), ...nodesOf('principal'), ...nodesOf('field')]) assert.ok(shown.has(n.id), `missing ${n.id}`);
    const access = graph.edges.filter((e) => e.kind === 'access');
    const n = (dec: string) => access.filter((e) => e.decision === dec).length;
    assert.ok(n('clear') > 0 && n('masked') > 0 && n('denied') > 0, 'the graph has every decision');
    assert.equal(await count(gp, '.layer-edges .edge.access.d-clear'), n('clear'));
    assert.equal(await count(gp, '.layer-edges .edge.access.d-masked'), n('masked'));
    assert.equal(await count(gp, '.layer-edges .edge.access.d-denied'), 0, 'denied edges are hidden by default');
    assert.equal(await count(gp, '.layer-edges .edge.membership'), graph.edges.filter((e) => e.kind === 'membership').length);
    const dash = await gp.page.$eval('.layer-edges .edge.access.d-masked', (e) => getComputedStyle(e).strokeDasharray);
    assert.notEqual(dash, 'none', 'masked edges are dashed');
    const clear = await gp.page.$eval('.layer-edges .edge.access.d-clear', (e) => getComputedStyle(e).stroke);
    const masked = await gp.page.$eval('.layer-edges .edge.access.d-masked', (e) => getComputedStyle(e).stroke);
    assert.notEqual(clear, masked, 'edges are coloured by decision');
    await gp.nextRender(() => gp.page.click('#show-denied'));
    assert.equal(await count(gp, '.layer-edges .edge.access.d-denied'), n('denied'));
    const denied = await gp.page.$eval('.layer-edges .edge.access.d-denied', (e) => getComputedStyle(e).stroke);
    assert.ok(denied !== clear && denied !== masked);
    await gp.nextRender(() => gp.page.click('#view-lineage'));
    assert.equal(await count(gp, '.node.actor'), 0);
    assert.equal(await count(gp, '.layer-edges .edge.access'), 0);
    assertClean(gp);
  });

  test('search highlights matching nodes and Enter focuses the best match', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    const query = 'email';
    await gp.page.fill('#search', query);
    const matches = new Set(await ids(gp, '.match'));
    const expected = graph.nodes.filter((n) => ['field', 'contract'].includes(n.kind) && (n.label.includes(query) || n.name.includes(query)));
    assert.ok(expected.length >= 3);
    assert.deepEqual([...matches].sort(), expected.map((n) => n.id).sort());
    assert.equal(await gp.page.textContent('#search-count'), `${expected.length} matches`);
    assert.ok(await gp.page.$('svg.graph.search-active'));
    const field = expected.find((n) => n.kind === 'field')!;
    assert.ok(await gp.page.$(`${sel(field.parent!)}.has-match`));
    const d = await gp.nextRender(() => gp.page.press('#search', 'Enter'));
    assert.ok(d.focus && matches.has(d.focus), 'Enter focused a match');
    assert.ok((await gp.page.textContent('#status'))?.includes('Focus:'));
    assertClean(gp);
  });

  test('clicking a node posts reveal with its location', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    const field = nodesOf('field').find((n) => n.location)!;
    await gp.page.click(`${sel(field.id)} .row-name`);
    const msg = await waitForPost<RevealMessage>(gp, 'reveal');
    assert.equal(msg.nodeId, field.id);
    assert.deepEqual(msg.location, field.location);
    const contract = nodesOf('contract').find((n) => n.location && n.id !== field.parent)!;
    await gp.page.click(`${sel(contract.id)} > .box-title`);
    const msg2 = await waitForPost<RevealMessage>(gp, 'reveal', 1);
    assert.equal(msg2.nodeId, contract.id);
    assert.deepEqual(msg2.location, contract.location);
    assertClean(gp);
  });

  test('focus mode: depth and direction change what is shown; show all leaves it', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    const all = (await ids(gp, '.row')).length;
    // A field whose downstream reaches further with depth 2 than with depth 1.
    const field = nodesOf('field')
      .map((f) => ({ f, d1: reach(lineage, f.id, 1, false), d2: reach(lineage, f.id, 2, false) }))
      .filter((x) => x.d2.size > x.d1.size)
      .sort((a, b) => b.d1.size - a.d1.size)[0];
    assert.ok(field, 'the graph has lineage two levels deep');
    const id = field.f.id;
    const both = (depth: number) => new Set([...reach(lineage, id, depth, false), ...reach(lineage, id, depth, true)]);
    const d1 = await gp.post({ type: 'focus', focus: id });
    assert.equal(d1.focus, id);
    const depth1 = new Set(await ids(gp, '.row'));
    assert.ok(depth1.size < all, `focus shows fewer fields (${depth1.size} < ${all})`);
    assert.deepEqual([...depth1].sort(), [...both(1)].sort());
    assert.ok(await gp.page.$(`${sel(id)}.focus-center`));
    const hidden = index.fieldsOf(field.f.parent!).length - [...depth1].filter((x) => index.get(x)?.parent === field.f.parent).length;
    if (hidden > 0) assert.match((await gp.page.textContent(`${sel(field.f.parent!)} .box-more`)) ?? '', new RegExp(`${hidden} more field`));
    await gp.nextRender(() => gp.page.click('#depth-inc'));
    assert.deepEqual((await ids(gp, '.row')).sort(), [...both(2)].sort(), 'depth 2');
    await gp.nextRender(() => gp.page.click('#dir-downstream'));
    assert.deepEqual((await ids(gp, '.row')).sort(), [...reach(lineage, id, 2, false)].sort(), 'downstream only');
    await gp.nextRender(() => gp.page.click('#dir-upstream'));
    assert.deepEqual((await ids(gp, '.row')).sort(), [...reach(lineage, id, 2, true)].sort(), 'upstream only');
    await gp.nextRender(() => gp.page.click('#show-all'));
    assert.equal((await ids(gp, '.row')).length, all);
    // A contract focus in the access view: its fields and who can read them.
    await gp.nextRender(() => gp.page.click('#view-access'));
    const contract = nodesOf('contract').find((c) => graph.edges.some((e) => e.kind === 'access' && e.decision !== 'denied' && index.get(e.target)?.parent === c.id))!;
    await gp.page.click('#dir-both'); // not focused: no new layout
    const d2 = await gp.post({ type: 'focus', focus: contract.id });
    assert.equal(d2.view, 'access');
    const shown = new Set(await ids(gp));
    for (const e of graph.edges) {
      if (e.kind === 'access' && e.decision !== 'denied' && index.get(e.target)?.parent === contract.id) assert.ok(shown.has(e.source), `${e.source} reads ${e.target}`);
    }
    for (const c of nodesOf('contract')) if (c.id !== contract.id) assert.ok(!shown.has(c.id), `${c.id} is outside the focus`);
    assertClean(gp);
  });

  test('export SVG returns a parseable standalone SVG with the field names; PNG too', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    for (let i = 0; i < 10; i++) await gp.page.click('#zoom-out');
    assert.ok(await gp.page.$('svg.graph.lod-min'), 'zoomed far out, row text is hidden on screen');
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
    // A real doc comment, through the real core: a user file holding HTML.
    const g: GraphModel = process.env.CHARTER_GRAPH_JSON
      ? structuredClone(graph)
      : loadExampleGraph([{ uri: join(ROOT, 'examples', 'xss-probe.charter'), text: `## Audience export. ${XSS}\ncontract marketing.xss_probe {\n  field x: string "${XSS}"\n}\n` }]);
    const target: GraphNode | undefined = g.nodes.find((n) => n.kind === 'contract' && n.doc?.includes(XSS));
    assert.ok(target, 'the core put the doc comment on the contract node');
    await gp.post({ type: 'graph', graph: g });
    await gp.page.hover(`${sel(target.id)} > .box-title`);
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
    const b = (await (await gp.page.$('#graph'))!.boundingBox())!;
    await gp.page.mouse.move(b.x + b.width / 2, b.y + 40);
    await gp.page.mouse.down();
    await gp.page.mouse.move(b.x + b.width / 2 + 60, b.y + 70, { steps: 4 });
    await gp.page.mouse.up();
    const afterPan = await gp.page.getAttribute('g.viewport', 'transform');
    await gp.page.mouse.wheel(0, -240);
    await gp.page.waitForFunction((t) => document.querySelector('g.viewport')!.getAttribute('transform') !== t, afterPan);
    const before = await gp.page.getAttribute('g.viewport', 'transform');
    assert.ok(zoomOf(before!) > zoomOf(afterPan!), 'wheel up zooms in');
    const updated: GraphModel = structuredClone(graph);
    const contract = nodesOf('contract')[0];
    const target = nodesOf('field').find((f) => f.parent !== contract.id)!;
    const newId = `field:${contract.name}.discount_added_live`;
    updated.nodes.push({ id: newId, kind: 'field', label: 'discount_added_live', name: `${contract.name}.discount_added_live`, parent: contract.id, type: 'decimal' });
    updated.edges.push({ id: 'lineage:live-update', kind: 'lineage', source: newId, target: target.id, transform: 'aggregate', tags: [] });
    await gp.page.evaluate(() => {
      (document.querySelector('g.viewport') as unknown as { __mark: number }).__mark = 42;
    });
    const d = await gp.post({ type: 'graph', graph: updated });
    assert.equal(d.revision, 2);
    assert.equal(await gp.page.getAttribute('g.viewport', 'transform'), before, 'zoom/pan kept');
    assert.equal(await gp.page.evaluate(() => (document.querySelector('g.viewport') as unknown as { __mark?: number }).__mark), 42, 'same page and viewport element');
    assert.ok(await gp.page.$(sel(newId)));
    assert.ok(await gp.page.$('[data-edge="lineage:live-update"]'));
    assertClean(gp);
  });

  test('view state is saved (setState + state message) and restored after a reload', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    await gp.nextRender(() => gp.page.click('#view-access'));
    const tag = index.tagNames[0];
    await gp.page.selectOption('#sensitive-tag', tag);
    const group = nodesOf('group')[0].id;
    await gp.post({ type: 'focus', focus: group });
    await gp.page.click('#zoom-out');
    await gp.page.waitForFunction(([g, t]) => (window.__charterOutbox ?? []).some((m) => m.type === 'state' && m.state.focus === g && m.state.sensitiveTag === t), [group, tag] as const);
    await gp.page.waitForTimeout(600); // zoom is saved debounced
    const state = (await waitForPost<StateMessage>(gp, 'state')).state;
    assert.equal(state.view, 'access');
    const transform = await gp.page.getAttribute('g.viewport', 'transform');
    assert.equal(zoomOf(transform!).toFixed(3), state.zoom!.k.toFixed(3));
    await gp.page.reload();
    await gp.page.waitForFunction(() => (window.__charterOutbox ?? []).some((m) => m.type === 'ready'));
    const d = await gp.post({ type: 'graph', graph });
    assert.equal(d.view, 'access');
    assert.equal(d.focus, group);
    assert.equal(await gp.page.inputValue('#sensitive-tag'), tag);
    assert.equal(await gp.page.getAttribute('g.viewport', 'transform'), transform, 'zoom restored');
    assertClean(gp);
  });

  test('sensitive paths highlight every lineage edge a tag flows along', async () => {
    const gp = await open();
    await gp.post({ type: 'graph', graph });
    // The tag that flows along the most edges, preferably with a protected hop.
    const onEdges = (t: string) => lineage.filter((e) => (e.tags ?? []).some((x) => tagMatches(t, x.name)));
    const tags = [...new Set(lineage.flatMap((e) => (e.tags ?? []).map((t) => t.name)))];
    const tag = tags.sort((a, b) => Number(onEdges(b).some((e) => e.tags!.some((x) => x.protected))) - Number(onEdges(a).some((e) => e.tags!.some((x) => x.protected))) || onEdges(b).length - onEdges(a).length)[0];
    assert.ok(tag, 'some tag flows along lineage');
    await gp.page.selectOption('#sensitive-tag', tag);
    const onPath = await gp.page.$$eval('.layer-edges .edge.on-path', (els) => els.map((e) => e.getAttribute('data-edge')!));
    assert.deepEqual(onPath.sort(), onEdges(tag).map((e) => e.id).sort());
    const prot = (await gp.page.$$eval('.layer-edges .edge.on-path.prot', (els) => els.map((e) => e.getAttribute('data-edge')!))).sort();
    const expectedProt = onEdges(tag).filter((e) => e.tags!.filter((x) => tagMatches(tag, x.name)).every((x) => x.protected)).map((e) => e.id).sort();
    assert.deepEqual(prot, expectedProt, 'hops where the tag arrives protected are drawn differently');
    for (const f of nodesOf('field')) assert.equal(!!(await gp.page.$(`${sel(f.id)}.on-path`)), index.hasTag(f, tag), `${f.id} carries ${tag}`);
    if (tag.includes('.')) {
      const parent = tag.split('.')[0];
      await gp.page.selectOption('#sensitive-tag', parent);
      assert.equal(await count(gp, '.layer-edges .edge.on-path'), onEdges(parent).length, 'a parent tag matches its children');
    }
    await gp.page.selectOption('#sensitive-tag', '');
    assert.equal(await count(gp, '.layer-edges .edge.on-path'), 0);
    assertClean(gp);
  });

  test('without a layout worker the page still draws (simple fallback layout) and says so', async () => {
    const broken = await startServer({ brokenWorker: true });
    try {
      const gp = await openGraphPage(browser, broken);
      const d = await gp.post({ type: 'graph', graph });
      assert.equal(d.engine, 'fallback');
      const shown = new Set(await ids(gp, '.row'));
      assert.equal(shown.size, nodesOf('field').length);
      assert.match((await gp.page.textContent('#status')) ?? '', /simple layout/);
      assert.deepEqual(gp.problems.csp, []);
      assert.deepEqual(gp.problems.pageErrors, []);
      assert.ok(gp.problems.consoleErrors.every((e) => /404/.test(e)), gp.problems.consoleErrors.join('\n'));
      await gp.page.context().close();
    } finally {
      await broken.close();
    }
  });

  test('both views render in light and dark theme variables (screenshots in test-results/)', async () => {
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
