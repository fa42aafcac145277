// One simulation context for every feature: charter.json's
// `simulation.context` is the default, the `charter.simulation.context`
// setting overrides it, charter/setContext (the editor's status bar pick)
// overrides both; code lenses, hovers, who-can-see, simulate and the graph
// then agree with each other. A context that does not fit the schema is a
// diagnostic on charter.json, at the key concerned.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyFolder, startServer, uriOf, type LspClient } from './client';
import { doc, examples } from './fixtures';

const ORDERS = 'sales/orders.charter';

async function options(c: LspClient) {
  return c.request('charter/simulationOptions', {});
}

/** Every field lens of a file, with the counts who-can-see and simulate give for the same field. */
async function agreement(c: LspClient, uri: string) {
  const lenses: { range: any; command: { title: string; arguments: any[] } }[] = await c.request('textDocument/codeLens', { textDocument: { uri } });
  const fields = lenses.filter((l) => l.command.arguments.length === 3);
  assert.ok(fields.length >= 5, 'the file has field lenses');
  const opts = await options(c);
  const sims = new Map<string, Map<string, string>>();
  for (const p of opts.principals) {
    const r = await c.request('charter/simulate', { principal: p.name, uris: [uri] });
    assert.deepEqual(r.contextErrors, []);
    for (const f of r.fields) (sims.get(f.qname) ?? sims.set(f.qname, new Map()).get(f.qname)!).set(p.name, f.decision + (f.mask ? `:${f.mask}` : ''));
  }
  for (const l of fields) {
    const qname = l.command.arguments[2];
    const w = await c.request('charter/whoCanSee', { field: qname });
    assert.equal(l.command.title, `${w.counts.clear} clear · ${w.counts.masked} masked · ${w.counts.denied} denied`, `lens of ${qname} agrees with Who Can See`);
    for (const row of w.results) assert.equal(sims.get(qname)?.get(row.principal), row.decision + (row.mask ? `:${row.mask}` : ''), `Simulate As ${row.principal} agrees with Who Can See on ${qname}`);
  }
  return { opts, fields };
}

describe('the simulation context', () => {
  let ws: ReturnType<typeof copyFolder>;
  let c: LspClient;
  let orders: ReturnType<typeof doc>;

  before(async () => {
    ws = copyFolder(examples);
    writeFileSync(path.join(ws.dir, 'charter.json'), JSON.stringify({ include: ['**/*.charter'], governance: ['governance/**/*.charter'], simulation: { context: { mfa: true, device: 'managed' } } }, null, 2));
    orders = doc(path.join(ws.dir, ORDERS));
    c = await startServer({ root: ws.dir, settings: {} });
    await c.ready();
    c.open(orders.uri, orders.text);
  });
  after(async () => {
    await c.stop();
    ws.dispose();
  });

  it('defaults to simulation.context of charter.json', async () => {
    const o = await options(c);
    assert.deepEqual(o.defaultContext, { mfa: true, device: 'managed' });
    assert.equal(o.contextSource, 'charter.json');
    const h = await c.request('textDocument/hover', { textDocument: { uri: orders.uri }, position: orders.pos('amount: decimal', 1) });
    assert.match(h.contents.value, /\*\*Access\*\* \(mfa=true, device="managed"\)/);
    // In that context analysts read the order amounts.
    const w = await c.request('charter/whoCanSee', { field: 'sales.orders.amount' });
    assert.equal(w.results.find((r: any) => r.principal === 'alice').decision, 'clear');
    await agreement(c, orders.uri);
  });

  it('the setting overrides charter.json', async () => {
    const n = c.statuses.length;
    c.settings = { simulation: { context: { mfa: false } } };
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.ready(n);
    const o = await options(c);
    assert.deepEqual(o.defaultContext, { mfa: false });
    assert.equal(o.contextSource, 'setting');
    const w = await c.request('charter/whoCanSee', { field: 'sales.orders.amount' });
    assert.equal(w.results.find((r: any) => r.principal === 'alice').decision, 'denied', 'without mfa alice cannot read amounts');
    await agreement(c, orders.uri);
  });

  it('a context chosen in the editor (charter/setContext) is used by lenses, hovers, who-can-see, simulate and the graph', async () => {
    const n = c.statuses.length;
    const refreshes = c.refreshes.length;
    await c.connection.sendNotification('charter/setContext', { context: { mfa: true, device: 'byod', purpose: 'analytics' } });
    await c.ready(n);
    await c.until('a code lens refresh for the new context', () => c.refreshes.slice(refreshes).includes('workspace/codeLens/refresh'));
    const o = await options(c);
    assert.deepEqual(o.defaultContext, { mfa: true, device: 'byod', purpose: 'analytics' });
    assert.equal(o.contextSource, 'chosen');
    assert.deepEqual(o.workspaceContext, { mfa: false }, 'the workspace default is still known');
    const h = await c.request('textDocument/hover', { textDocument: { uri: orders.uri }, position: orders.pos('amount: decimal', 1) });
    assert.match(h.contents.value, /\(mfa=true, device="byod", purpose="analytics"\)/);
    const g = await c.request('charter/graph', {});
    assert.deepEqual(g.contextErrors, []);
    const access = g.graph.edges.filter((e: any) => e.kind === 'access' && e.target === 'field:sales.orders.amount');
    const w = await c.request('charter/whoCanSee', { field: 'sales.orders.amount' });
    assert.deepEqual(w.context, { mfa: true, device: 'byod', purpose: 'analytics' });
    for (const row of w.results) {
      const edge = access.find((e: any) => e.source === `principal:${row.principal}`);
      if (edge) assert.equal(edge.decision, row.decision, `the graph's access edge of ${row.principal} agrees`);
    }
    await agreement(c, orders.uri);
    // null: back to the workspace default.
    const m = c.statuses.length;
    await c.connection.sendNotification('charter/setContext', { context: null });
    await c.ready(m);
    assert.deepEqual((await options(c)).defaultContext, { mfa: false });
  });

  it('reports a simulation.context that does not fit the schema on charter.json, at the key', async () => {
    const file = path.join(ws.dir, 'charter.json');
    const text = '{\n  "include": ["**/*.charter"],\n  "simulation": { "context": { "mfa": "yes", "devcie": "managed" } }\n}\n';
    writeFileSync(file, text);
    c.settings = {};
    const n = c.statuses.length;
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 2 }] });
    await c.ready(n);
    const d = await c.until('diagnostics on charter.json', () => {
      const l = c.diagnosticsFor(uriOf(file));
      return l.length >= 2 ? l : undefined;
    });
    const config = doc(file, text);
    const typo = d.find((x) => /devcie/.test(x.message))!;
    assert.equal(typo.code, 'bad-simulation-context');
    assert.match(typo.message, /did you mean 'device'/);
    assert.equal(config.slice(typo.range), '"devcie"');
    const bad = d.find((x) => /mfa/.test(x.message))!;
    assert.equal(config.slice(bad.range), '"yes"');
    // The entries that fit are still used; the others are ignored, and said so.
    const o = await options(c);
    assert.deepEqual(o.defaultContext, {});
    assert.equal(o.contextErrors.length, 2);
    // Fixed: the diagnostics go away.
    writeFileSync(file, '{ "include": ["**/*.charter"], "simulation": { "context": { "mfa": true } } }\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 2 }] });
    await c.until('the charter.json diagnostics to clear', () => c.diagnosticsFor(uriOf(file)).length === 0);
    assert.deepEqual((await options(c)).defaultContext, { mfa: true });
  });
});
