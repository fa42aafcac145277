// Edit sequences, files changing on disk, cancellation: the server keeps
// every file's diagnostics right (renaming a group in one file updates errors
// in others), a newer edit supersedes older work, and cancelled requests are
// answered as cancelled.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { generateMesh } from '../../scripts/bench/gen-mesh';
import { copyFolder, startServer, uriOf, type LspClient } from './client';
import { doc, examples } from './fixtures';

const CLIENT_WATCHES = {
  workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
};

describe('edits and files on disk (server watches the folder)', () => {
  let c: LspClient;
  let ws: ReturnType<typeof copyFolder>;
  const codes = (uri: string) => c.diagnosticsFor(uri).map((d) => d.code);

  before(async () => {
    ws = copyFolder(examples);
    c = await startServer({ root: ws.dir });
    await c.ready();
  });
  after(async () => {
    await c.stop();
    ws.dispose();
  });

  it('renaming a group in one file updates the errors in the files that use it, and back', async () => {
    const groups = doc(path.join(ws.dir, 'org/groups.charter'));
    const orders = uriOf(path.join(ws.dir, 'sales/orders.charter'));
    const principals = uriOf(path.join(ws.dir, 'org/principals.charter'));
    assert.deepEqual(codes(orders), []);
    c.open(groups.uri, groups.text);
    const at = groups.pos('group analysts', 6);
    c.edit(groups.uri, { start: at, end: { line: at.line, character: at.character + 8 } }, 'analysts2');
    await c.until('unknown-group errors in orders and principals', () => codes(orders).includes('unknown-group') && codes(principals).includes('unknown-group'));
    const d = c.diagnosticsFor(orders).find((x) => x.code === 'unknown-group')!;
    assert.match(d.message, /unknown group 'analysts'; did you mean 'analysts2'\?/);
    // Lenses in other files depend on this edit: the client is asked to refresh them.
    const refreshes = c.refreshes.length;
    await c.until('a code lens refresh request', () => c.refreshes.length > refreshes && c.refreshes.includes('workspace/codeLens/refresh'));
    // Undo: the errors go away everywhere.
    c.edit(groups.uri, { start: at, end: { line: at.line, character: at.character + 9 } }, 'analysts');
    await c.until('the errors to go', () => !codes(orders).length && !codes(principals).includes('unknown-group'));
    c.close(groups.uri);
  });

  it('typing in a field name updates the files whose lineage reads it, and back', async () => {
    // An edit the server analyses incrementally: only the files that can change are checked again.
    const customers = doc(path.join(ws.dir, 'crm/customers.charter'));
    const tickets = uriOf(path.join(ws.dir, 'crm/support-tickets.charter'));
    const orders = uriOf(path.join(ws.dir, 'sales/orders.charter'));
    c.open(customers.uri, customers.text);
    const at = customers.pos('field email', 11);
    c.edit(customers.uri, { start: at, end: at }, 's');
    await c.until('unknown-field errors in support-tickets and orders', () => codes(tickets).includes('unknown-field') && codes(orders).includes('unknown-field'));
    const d = c.diagnosticsFor(tickets).find((x) => x.code === 'unknown-field')!;
    assert.match(d.message, /unknown field of crm\.customers 'email'; did you mean 'emails'\?/);
    c.edit(customers.uri, { start: at, end: { line: at.line, character: at.character + 1 } }, '');
    await c.until('the errors to go', () => !codes(tickets).includes('unknown-field') && !codes(orders).includes('unknown-field'));
    c.close(customers.uri);
  });

  it('a storm of edits ends with the diagnostics of the last text', async () => {
    const f = doc(path.join(ws.dir, 'sales/order-lines.charter'));
    c.open(f.uri, f.text);
    const readyBefore = c.statuses.filter((s) => s.state === 'ready').length;
    const end = f.pos('field gift: bool', 16);
    // 200 keystrokes: type a new field, letter by letter, without waiting.
    const typed = '\n  field notes: strin';
    let pos = end;
    for (const ch of typed) {
      c.edit(f.uri, { start: pos, end: pos }, ch);
      pos = ch === '\n' ? { line: pos.line + 1, character: 0 } : { line: pos.line, character: pos.character + 1 };
    }
    for (let i = 0; i < 180; i++) {
      c.edit(f.uri, { start: pos, end: pos }, 'x');
      c.edit(f.uri, { start: pos, end: { line: pos.line, character: pos.character + 1 } }, '');
    }
    const last = c.edit(f.uri, { start: pos, end: pos }, 'g');
    // A request that needs the model waits for the analysis of the last text,
    // and that analysis publishes (when the diagnostics changed) before the
    // answer: a barrier.
    await c.request('textDocument/hover', { textDocument: { uri: f.uri }, position: pos });
    const final = c.diagnostics.get(f.uri);
    assert.ok(!final || (final.version ?? 0) <= last);
    assert.deepEqual(final?.diagnostics ?? [], [], 'field notes: string is valid');
    const analyses = c.statuses.filter((s) => s.state === 'ready').length - readyBefore;
    assert.ok(analyses < 100, `${analyses} analyses for ${typed.length + 361} edits: older work must be superseded`);
    // And a mistake typed last is reported.
    const bad = c.edit(f.uri, { start: pos, end: { line: pos.line, character: pos.character + 1 } }, 'X');
    const p = await c.until('the unknown type', () => {
      const d = c.diagnostics.get(f.uri);
      return d && d.version === bad && d.diagnostics.length > 0 && d;
    });
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['unknown-type']);
    assert.match(p.diagnostics[0].message, /unknown type 'strinX'/);
    c.close(f.uri);
  });

  it('files created, changed and deleted on disk are picked up', async () => {
    const extra = path.join(ws.dir, 'sales/extra.charter');
    writeFileSync(extra, 'policy extra-access on sales.orders {\n  allow read to nobody-here\n}\n');
    await c.until('diagnostics of the new file', () => codes(uriOf(extra)).includes('unknown-group'), 20_000);
    writeFileSync(extra, 'policy extra-access on sales.orders {\n  allow read to analysts\n}\n');
    await c.until('the fix on disk to clear them', () => c.diagnostics.get(uriOf(extra))?.diagnostics.length === 0);
    writeFileSync(extra, 'group analysts\n');
    await c.until('a duplicate group', () => codes(uriOf(extra)).includes('duplicate'));
    rmSync(extra);
    await c.until('the deleted file to lose its diagnostics', () => c.diagnostics.get(uriOf(extra))?.diagnostics.length === 0);
    // And the duplicate it caused elsewhere is gone too.
    const groups = uriOf(path.join(ws.dir, 'org/groups.charter'));
    assert.ok(!codes(groups).includes('duplicate'));
  });

  it('charter.json changes are picked up (a file leaves the workspace)', async () => {
    const mistakes = uriOf(path.join(ws.dir, 'mistakes/deliberate-mistakes.charter'));
    assert.ok(codes(mistakes).length > 0);
    const cfg = path.join(ws.dir, 'charter.json');
    const original = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, JSON.stringify({ include: ['{crm,finance,governance,logistics,marketing,org,payments,sales}/**/*.charter'], governance: ['governance/**/*.charter'] }));
    await c.until('the mistakes file to drop out of the model', () => c.diagnostics.get(mistakes)?.diagnostics.length === 0, 20_000);
    writeFileSync(cfg, original);
    await c.until('it to come back', () => codes(mistakes).length > 0, 20_000);
  });
});

describe('cancellation', () => {
  it('requests cancelled while the worker is busy are answered as cancelled; the server keeps going', async () => {
    // A mesh big enough that an analysis takes a while.
    const dir = mkdtempSync(path.join(tmpdir(), 'charter-cancel-'));
    for (const f of generateMesh({ contracts: 300 }).files) {
      mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      writeFileSync(path.join(dir, f.path), f.text);
    }
    const c = await startServer({ root: dir });
    try {
      await c.ready(0, 60_000);
      const file = path.join(dir, 'org/groups.charter');
      const g = doc(file);
      c.open(g.uri, g.text);
      await c.ready(c.statuses.length);
      const before = c.statuses.length;
      c.edit(g.uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# edited\n');
      await c.until('the analysis to start', () => c.statuses.slice(before).some((s) => s.state === 'analyzing'));
      const pending = Array.from({ length: 10 }, () => {
        const src = new CancellationTokenSource();
        const p = c.connection.sendRequest('textDocument/hover', { textDocument: { uri: g.uri }, position: g.pos('group analysts', 8) }, src.token);
        src.cancel();
        return p.then(
          () => 'answered',
          (e: { code?: number }) => (e.code === -32800 ? 'cancelled' : `error ${e.code}`),
        );
      });
      const outcomes = await Promise.all(pending);
      assert.ok(outcomes.filter((o) => o === 'cancelled').length >= 5, outcomes.join());
      assert.ok(outcomes.every((o) => o === 'cancelled' || o === 'answered'), outcomes.join());
      // Not cancelled: answered, from the model with the edit.
      const h = await c.request('textDocument/hover', { textDocument: { uri: g.uri }, position: { line: g.pos('group analysts', 8).line + 1, character: 8 } });
      assert.match(h.contents.value, /group analysts/);
    } finally {
      await c.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('settings', () => {
  it('charter.governance.paths adds central governance files from outside the workspace, and follows changes', async () => {
    const ws = copyFolder(examples);
    const central = mkdtempSync(path.join(tmpdir(), 'charter-central-'));
    writeFileSync(path.join(central, 'rules.charter'), 'governance central {\n  rule contracts-are-versioned-centrally error {\n    every contract must have version\n  }\n}\n');
    const rel = path.relative(ws.dir, central).split(path.sep).join('/');
    const c = await startServer({ root: ws.dir, settings: {} });
    try {
      await c.ready();
      const notes = uriOf(path.join(ws.dir, 'mistakes/deliberate-mistakes.charter'));
      const codes = () => c.diagnosticsFor(notes).map((d) => d.code);
      assert.ok(!codes().includes('rule:contracts-are-versioned-centrally'));
      c.settings = { governance: { paths: [`${rel}/**/*.charter`] } };
      await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await c.until('the central rule to apply', () => codes().includes('rule:contracts-are-versioned-centrally'));
      const d = c.diagnosticsFor(notes).find((x) => x.code === 'rule:contracts-are-versioned-centrally')!;
      assert.match(d.relatedInformation![0].message, /central governance central/);
      // The external folder is watched: editing the rule there updates the workspace.
      writeFileSync(path.join(central, 'rules.charter'), 'governance central {\n  rule contracts-are-versioned-centrally error {\n    every contract must have status\n  }\n}\n');
      await c.until('the edited central rule', () => c.diagnosticsFor(notes).some((x) => x.code === 'rule:contracts-are-versioned-centrally' && /has no status/.test(x.message)), 20_000);
      c.settings = {};
      await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await c.until('the central rule to go', () => !codes().includes('rule:contracts-are-versioned-centrally'));
    } finally {
      await c.stop();
      ws.dispose();
      rmSync(central, { recursive: true, force: true });
    }
  });
});

describe('files changed on disk, reported by the client (workspace/didChangeWatchedFiles)', () => {
  it('uses the client watcher when the client offers one', async () => {
    const ws = copyFolder(examples);
    const c = await startServer({ root: ws.dir, capabilities: CLIENT_WATCHES });
    try {
      await c.ready();
      const mistakes = path.join(ws.dir, 'mistakes/deliberate-mistakes.charter');
      assert.ok(c.diagnosticsFor(uriOf(mistakes)).length > 0);
      rmSync(mistakes);
      await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(mistakes), type: 3 }] });
      await c.until('the deleted file to lose its diagnostics', () => c.diagnostics.get(uriOf(mistakes))?.diagnostics.length === 0);
    } finally {
      await c.stop();
      ws.dispose();
    }
  });
});
