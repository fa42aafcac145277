// Nothing a client sends takes the server down or leaves stale diagnostics:
// malformed requests and messages, positions past the end, unknown
// documents, a 5 MB file and a storm of edits on it. Errors are answered as
// LSP errors.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateMesh } from '../../scripts/bench/gen-mesh';
import { startServer, type LspClient } from './client';
import { doc, examples } from './fixtures';

describe('robustness', () => {
  let c: LspClient;
  const orders = doc('sales/orders.charter');

  before(async () => {
    c = await startServer({ root: examples });
    await c.ready();
    c.open(orders.uri, orders.text);
  });
  after(() => c.stop());

  const alive = async () => {
    const h = await c.request('textDocument/hover', { textDocument: { uri: orders.uri }, position: orders.pos('field amount', 8) });
    assert.match(h.contents.value, /field sales\.orders\.amount/);
  };

  it('answers malformed requests with LSP errors and keeps serving', async () => {
    await assert.rejects(c.request('textDocument/hover', {}), (e: { code: number; message: string }) => e.code === -32602 && /textDocument\.uri is missing/.test(e.message));
    await assert.rejects(c.request('textDocument/rename', { textDocument: { uri: orders.uri }, position: orders.pos('field amount', 8) }), (e: { code: number }) => e.code === -32602);
    await assert.rejects(c.request('charter/simulate', { principal: 42 }), (e: { code: number }) => e.code === -32602);
    await assert.rejects(c.request('charter/nonsense', {}), (e: { code: number }) => e.code === -32601);
    const sel = await c.request('textDocument/selectionRange', { textDocument: { uri: orders.uri }, positions: 'not a list' });
    assert.deepEqual(sel, []);
    await alive();
  });

  it('survives garbage on the wire', async () => {
    c.proc.stdin!.write('Content-Length: 5\r\n\r\n{bad}');
    c.proc.stdin!.write('Content-Length: 17\r\n\r\n{"jsonrpc":"2.0"}');
    await alive();
  });

  it('clamps positions past the end (and negative ones)', async () => {
    const far = { line: 100_000, character: 100_000 };
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri: orders.uri }, position: far }), null);
    const comp = await c.request('textDocument/completion', { textDocument: { uri: orders.uri }, position: far });
    assert.ok(comp.items.some((i: { label: string }) => i.label === 'policy'), 'the end of the file is the top level');
    assert.equal(await c.request('textDocument/definition', { textDocument: { uri: orders.uri }, position: { line: -3, character: -7 } }), null);
    await assert.rejects(c.request('textDocument/prepareRename', { textDocument: { uri: orders.uri }, position: far }), /Nothing to rename/);
    const sel = await c.request('textDocument/selectionRange', { textDocument: { uri: orders.uri }, positions: [far] });
    assert.equal(sel.length, 1);
    const lens = await c.request('textDocument/inlayHint', { textDocument: { uri: orders.uri }, range: { start: far, end: far } });
    assert.deepEqual(lens, []);
    await alive();
  });

  it('handles documents it does not know, and notifications out of order', async () => {
    const ghost = 'file:///nowhere/ghost.charter';
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri: ghost }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await c.request('textDocument/documentSymbol', { textDocument: { uri: ghost } }), []);
    c.edit(ghost, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, 'x');
    c.close(ghost);
    // Binary junk in a document: syntax errors, nothing worse.
    const junk = 'untitled:junk.charter';
    c.open(junk, '\u0000\u0001\u0002 }}} {{ "unterminated \n contract . . { field : }');
    await c.until('syntax errors in the junk document', () => c.diagnosticsFor(junk).some((d) => d.code === 'syntax'));
    c.close(junk);
    await alive();
  });

  it('a 5 MB file: analysed, completion stays fast while it is, edits keep the diagnostics current', async () => {
    let text = '';
    for (const f of generateMesh({ contracts: 4000, seed: 3 }).files) if (f.path.endsWith('.charter') && !/^(org|governance)\//.test(f.path)) text += f.text + '\n';
    text = text.slice(0, text.lastIndexOf('\n}\n', 5 * 1024 * 1024) + 3);
    assert.ok(text.length > 4.5 * 1024 * 1024, `${(text.length / 1048576).toFixed(1)} MB`);
    const uri = 'untitled:big.charter';
    const before = c.history.length;
    c.open(uri, text);
    // Completion does not wait for the analysis.
    const lines = text.split('\n');
    const t0 = performance.now();
    const comp = await c.request('textDocument/completion', { textDocument: { uri }, position: { line: lines.length, character: 0 } });
    const compMs = performance.now() - t0;
    assert.ok(comp.items.some((i: { label: string }) => i.label === 'contract'), 'top-level keywords at the end of the file');
    assert.ok(compMs < 1000, `completion took ${compMs.toFixed(0)} ms in a 5 MB document`);
    await c.until('the big file to be analysed', () => c.history.slice(before).find((p) => p.uri === uri), 120_000);
    // A storm of edits at the end of the file; the last one is a mistake.
    let v = 0;
    const end = { line: lines.length - 1, character: 0 };
    for (let i = 0; i < 20; i++) v = c.edit(uri, { start: end, end }, i % 2 ? '' : '\n');
    v = c.edit(uri, { start: end, end }, '\ngroup analysts\n');
    const final = await c.until(
      'diagnostics for the last edit',
      () => {
        const p = c.diagnostics.get(uri);
        return p && p.version === v && p;
      },
      120_000,
    );
    assert.ok(final.diagnostics.some((d) => d.code === 'duplicate' && d.range.start.line >= lines.length), 'the duplicate typed last is reported where it is');
    c.close(uri);
    await c.until('the big file to be forgotten', () => c.diagnostics.get(uri)?.diagnostics.length === 0, 120_000);
    await alive();
  });
});
