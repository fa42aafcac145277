// Pure parts of the graph previewer (no browser): HTML/CSP, protocol validation, graph queries,
// scene building and the fallback layout.
// Run: node --import tsx --test test/browser/webview-model.test.ts

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fallbackLayout } from '../../client/webview/fallback-layout';
import { graphCsp, renderHtml } from '../../client/webview/html';
import { EstimateMeasurer } from '../../client/webview/measure';
import { GraphIndex, tagMatches } from '../../client/webview/model';
import { applyOptions, DEFAULT_STATE, isHostMessage, restoreState } from '../../client/webview/protocol';
import { buildScene, layoutRequest, PORTS_MODE_MAX_EDGES } from '../../client/webview/scene';
import { synthesizeGraph } from '../../scripts/bench/graph-bench';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphModel } from '../../grammar/graph-types';
import { ROOT } from './harness';

// Always the hand-written fixture: these tests pin behaviour on known data.
const graph = JSON.parse(readFileSync(join(ROOT, 'test/browser/fixtures/example-graph.json'), 'utf8')) as GraphModel;
const index = new GraphIndex(graph);

test('renderHtml: strict CSP with nonce, worker URI on body and script, attributes escaped', () => {
  const html = renderHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'abc123', scriptUri: 'https://x/main.js?a=1&b="2"', workerUri: 'https://x/w.js', styleUri: 'https://x/graph.css' });
  assert.match(html, /default-src 'none'/);
  assert.match(html, /script-src 'nonce-abc123'/);
  assert.match(html, /worker-src https:\/\/x\.vscode-cdn\.net blob:/);
  assert.match(html, /<script nonce="abc123" src="https:\/\/x\/main\.js\?a=1&amp;b=&quot;2&quot;" data-worker-uri="https:\/\/x\/w\.js"><\/script>/);
  assert.match(html, /<body data-worker-uri="https:\/\/x\/w\.js">/);
  assert.doesNotMatch(html, /style=/, 'no inline style attributes');
  assert.doesNotMatch(html, /<style/, 'no inline style elements');
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  // A hostile source cannot add directives.
  assert.doesNotMatch(graphCsp("a; script-src 'unsafe-eval'", 'n'), /; script-src 'unsafe-eval'/);
});

test('protocol: messages are validated and options clamped', () => {
  assert.ok(isHostMessage({ type: 'graph', graph }));
  assert.ok(isHostMessage({ type: 'focus', focus: null }));
  assert.ok(isHostMessage({ type: 'requestExport', format: 'png' }));
  assert.ok(!isHostMessage({ type: 'graph', graph: { nodes: 'x' } }));
  assert.ok(!isHostMessage({ type: 'requestExport', format: 'gif' }));
  assert.ok(!isHostMessage('graph'));
  const s = applyOptions(DEFAULT_STATE, { depth: 99, direction: 'sideways', view: 'access', showDenied: true });
  assert.equal(s.depth, 20);
  assert.equal(s.direction, 'both');
  assert.equal(s.view, 'access');
  assert.equal(s.showDenied, true);
  assert.deepEqual(restoreState({ version: 2, view: 'access' }), DEFAULT_STATE);
  assert.deepEqual(restoreState({ ...DEFAULT_STATE, zoom: { k: 0, x: 1, y: 2 } }).zoom, null);
  assert.deepEqual(restoreState({ ...DEFAULT_STATE, focus: 'field:a', zoom: { k: 2, x: 1, y: 2 } }).zoom, { k: 2, x: 1, y: 2 });
});

test('tags: a parent tag matches its children; sensitivity is the highest level', () => {
  assert.ok(tagMatches('pii', 'pii.email'));
  assert.ok(tagMatches('pii', 'pii'));
  assert.ok(!tagMatches('pii', 'piix'));
  assert.deepEqual(index.sensitivity(index.get('field:payments.cards.pan')!), { level: 4, protectedOnly: false });
  assert.deepEqual(index.sensitivity(index.get('field:sales.orders.email_hash')!), { level: 3, protectedOnly: true });
  assert.deepEqual(index.sensitivity(index.get('field:sales.orders.card_last4')!), { level: 4, protectedOnly: false }, 'declared pci beats the protected copy');
  assert.deepEqual(index.sensitivity(index.get('field:sales.orders.order_id')!), { level: 0, protectedOnly: false });
});

test('focus neighbourhoods follow direction and depth', () => {
  const down1 = index.neighbourhood('lineage', 'field:crm.customers.email', 1, 'downstream', false);
  assert.deepEqual([...down1].sort(), ['field:crm.customers.email', 'field:marketing.campaign_audience.email', 'field:sales.orders.customer_email', 'field:sales.orders.email_hash']);
  const down2 = index.neighbourhood('lineage', 'field:crm.customers.email', 2, 'downstream', false);
  assert.ok(down2.has('field:marketing.campaign_audience.email_hash'));
  const up = index.neighbourhood('lineage', 'field:marketing.revenue_by_country.revenue', 3, 'upstream', false);
  assert.ok(up.has('field:payments.transactions.amount'), 'three hops upstream');
  assert.ok(!up.has('field:marketing.revenue_by_country.country'));
  const who = index.neighbourhood('access', 'field:sales.orders.card_last4', 1, 'upstream', false);
  assert.ok(who.has('group:payments-team'));
  assert.ok(!who.has('group:analysts'), 'denied edges are not followed unless shown');
  assert.ok(index.neighbourhood('access', 'field:sales.orders.card_last4', 1, 'upstream', true).has('group:analysts'));
  const alice = index.neighbourhood('access', 'principal:alice', 2, 'downstream', false);
  assert.ok(alice.has('group:analysts') && alice.has('field:sales.daily_revenue.revenue'));
});

test('scenes: lineage boxes with rows and domains, access actors, focus footers', () => {
  const m = new EstimateMeasurer();
  assert.equal(buildScene(index, DEFAULT_STATE, m).domains.length, 0, 'domains are colour bands by default');
  const lineage = buildScene(index, { ...DEFAULT_STATE, domainBoxes: true }, m);
  assert.equal(lineage.mode, 'ports');
  assert.equal(lineage.boxes.length, 7);
  assert.equal(lineage.domains.length, 4);
  assert.equal(lineage.edges.length, graph.edges.filter((e) => e.kind === 'lineage').length);
  const req = layoutRequest(lineage);
  assert.equal(req.compounds.length, 4);
  assert.ok(req.edges.every((e) => e.sp && e.tp), 'ports mode connects ports');
  const access = buildScene(index, { ...DEFAULT_STATE, view: 'access' }, m);
  assert.equal(access.boxes.filter((b) => b.kind !== 'contract').length, 12);
  assert.equal(access.edges.filter((e) => e.edge.decision === 'denied').length, 0);
  const focused = buildScene(index, { ...DEFAULT_STATE, focus: 'field:crm.customers.email' }, m);
  const crm = focused.boxById.get('contract:crm.customers')!;
  assert.equal(crm.rows.length, 1);
  assert.equal(crm.hiddenRows, 5);
});

test('large graphs use the bundled layout; the fallback layout places every box without overlap', () => {
  const big = synthesizeGraph();
  assert.equal(big.nodes.length, 2000);
  assert.equal(big.edges.length, 4000);
  const scene = buildScene(new GraphIndex(big), DEFAULT_STATE, new EstimateMeasurer());
  assert.ok(scene.edges.length > PORTS_MODE_MAX_EDGES);
  assert.equal(scene.mode, 'bundled');
  const req = { id: 1, ...layoutRequest(scene) };
  const out = fallbackLayout(req);
  const boxes = Object.values(out.nodes);
  assert.equal(boxes.length, scene.boxes.length);
  const sorted = [...boxes].sort((a, b) => a.x - b.x || a.y - b.y);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].x < sorted[i].x + sorted[i].w; j++) {
      const a = sorted[i];
      const b = sorted[j];
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      assert.ok(!overlap, 'boxes overlap');
    }
  }
});
