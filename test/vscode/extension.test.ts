/// <reference types="mocha" />
// The extension in a real VS Code on a copy of examples/: activation, the
// language server's features through VS Code's own provider commands, and
// the extension's commands (who can see, simulate, tests, restart).
import * as assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CharterApi } from '../../client/extension';

const ws = process.env.CHARTER_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
const uri = (rel: string) => vscode.Uri.file(path.join(ws, rel));

async function until<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, timeout = 30_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri(rel));
  return vscode.window.showTextDocument(doc);
}

function posOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not in ${doc.uri.fsPath}`);
  return doc.positionAt(i + delta);
}

suite('Charter extension', () => {
  let api: CharterApi;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<CharterApi>('charter-dev.charter')!;
    assert.ok(ext, 'the extension is installed');
    await open('sales/orders.charter');
    api = await ext.activate();
    await until('the language client', () => api.client()?.isRunning());
  });

  test('.charter files are the charter language', async () => {
    const e = await open('sales/orders.charter');
    assert.equal(e.document.languageId, 'charter');
  });

  test('diagnostics of the workspace, with codes and related information', async () => {
    const mistakes = uri('mistakes/deliberate-mistakes.charter');
    const diags = await until('diagnostics in the mistakes file', () => {
      const d = vscode.languages.getDiagnostics(mistakes);
      return d.length >= 9 && d;
    });
    const codes = diags.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
    for (const c of ['syntax', 'duplicate', 'unknown-group', 'rule:pii-retention', 'test-failed']) assert.ok(codes.includes(c), c);
    const gov = diags.find((d) => String(d.code) === 'rule:pii-retention')!;
    assert.match(gov.relatedInformation![0].location.uri.fsPath, /baseline\.charter$/);
    assert.equal(vscode.languages.getDiagnostics(uri('sales/orders.charter')).length, 0);
  });

  test('hover, completion, definition, references through VS Code', async () => {
    const e = await open('sales/orders.charter');
    const doc = e.document;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, posOf(doc, 'email_hash:', 2));
    const text = hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n')).join('\n');
    assert.match(text, /pii\.email/);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, posOf(doc, 'for analysts', 4));
    assert.ok(list.items.some((i) => i.label === 'analysts' || (typeof i.label === 'object' && i.label.label === 'analysts')));
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, posOf(doc, 'to analysts', 4));
    const def = defs[0];
    assert.match(('targetUri' in def ? def.targetUri : def.uri).fsPath, /groups\.charter$/);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, posOf(doc, 'to analysts', 4));
    assert.ok(refs.length >= 10);
  });

  test('rename across files, formatting, code lenses, semantic tokens, symbols', async () => {
    const e = await open('sales/orders.charter');
    const doc = e.document;
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, posOf(doc, 'to analysts', 4), 'bi-analysts');
    assert.ok(edit.entries().length >= 4, 'edits in several files');
    const fmt = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
    assert.equal((fmt ?? []).length, 0, 'the example is formatted');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.ok(lenses.some((l) => /^\d+ clear · \d+ masked · \d+ denied$/.test(l.command?.title ?? '') && l.command?.command === 'charter.whoCanSee'));
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri);
    assert.ok(tokens.data.length > 50);
    const syms = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(syms.some((s) => s.name === 'sales.orders' && s.children.some((c) => c.name === 'customer_email')));
  });

  test('Who Can See This Field? fills the view', async () => {
    const e = await open('sales/orders.charter');
    e.selection = new vscode.Selection(posOf(e.document, 'field customer_email', 8), posOf(e.document, 'field customer_email', 8));
    await vscode.commands.executeCommand('charter.whoCanSee');
    const r = await until('a who-can-see result', () => api.whoCanSee.current());
    assert.equal(r.field, 'sales.orders.customer_email');
    assert.ok(r.results.some((x) => x.principal === 'alice'));
    assert.equal(api.whoCanSee.getChildren().length, r.results.length + r.contextErrors.length);
  });

  test('Simulate As… decorates open editors until cleared', async () => {
    await open('sales/orders.charter');
    await api.simulator.start({ principal: 'alice', context: { mfa: true, device: 'managed' } });
    assert.equal(api.simulator.active()?.principal, 'alice');
    await vscode.commands.executeCommand('charter.clearSimulation');
    assert.equal(api.simulator.active(), undefined);
  });

  test('test blocks in the Test Explorer', async () => {
    await api.tests.discover();
    const names: string[] = [];
    api.tests.controller.items.forEach((f) => f.children.forEach((t) => names.push(t.id)));
    assert.ok(names.includes('analysts-on-orders'));
    assert.ok(names.includes('sandbox-expectations'));
    await api.tests.runByName('analysts-on-orders');
  });

  test('Restart Server brings the diagnostics back', async () => {
    await vscode.commands.executeCommand('charter.restartServer');
    await until('the client to run again', () => api.client()?.isRunning());
    await until('diagnostics again', () => vscode.languages.getDiagnostics(uri('mistakes/deliberate-mistakes.charter')).length > 0);
  });
});
