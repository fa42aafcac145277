// Every LSP feature, through the real server (dist/server.cjs --stdio) and a
// real client library, on the example mesh (documents are opened in memory;
// nothing on disk changes).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type LspClient } from './client';
import { applyTextEdits, doc, examples } from './fixtures';

const TOKEN_TYPES = ['namespace', 'class', 'property', 'type', 'enum', 'variable', 'parameter', 'function', 'event', 'enumMember', 'keyword'];

describe('language server features on examples/', () => {
  let c: LspClient;
  const mistakes = doc('mistakes/deliberate-mistakes.charter');
  const orders = doc('sales/orders.charter');
  const groups = doc('org/groups.charter');
  const tests = doc('governance/access-tests.charter');

  before(async () => {
    c = await startServer({ root: examples, settings: { simulation: { context: { mfa: true, device: 'managed' } } } });
    await c.ready();
  });
  after(() => c.stop());

  it('publishes the diagnostics of files nobody opened, with codes and related information', async () => {
    const d = await c.until('diagnostics of the mistakes file', () => c.diagnostics.get(mistakes.uri)?.diagnostics);
    const codes = d.map((x) => x.code).sort();
    for (const code of ['syntax', 'duplicate', 'unknown-group', 'unknown-attribute', 'bad-enum-value', 'unknown-rule', 'inherits-tag', 'test-failed', 'rule:pii-retention']) {
      assert.ok(codes.includes(code), `expected a ${code} diagnostic, got ${codes.join(', ')}`);
    }
    const unknown = d.find((x) => x.code === 'unknown-group')!;
    assert.equal(mistakes.slice(unknown.range), 'analyst');
    assert.equal(unknown.severity, 1);
    const dup = d.find((x) => x.code === 'duplicate')!;
    assert.equal(dup.relatedInformation?.[0].location.uri, mistakes.uri, 'a duplicate points at the first declaration');
    const gov = d.find((x) => x.code === 'rule:pii-retention')!;
    assert.match(gov.relatedInformation![0].location.uri, /governance\/baseline\.charter$/, 'a governance violation points at its rule');
    assert.match(gov.message, /1095d/);
    // The clean files of the mesh have none.
    assert.equal(c.diagnosticsFor(orders.uri).length, 0);
  });

  it('hover on a field: type, effective tags with their origin, owner and access summary', async () => {
    c.open(orders.uri, orders.text);
    const h = await c.request('textDocument/hover', { textDocument: { uri: orders.uri }, position: orders.pos('email_hash: string', 2) });
    const md: string = h.contents.value;
    assert.match(md, /field sales\.orders\.email_hash: string/);
    assert.match(md, /Lowercased, SHA-256/, 'the doc comment');
    assert.match(md, /`pii\.email` — inherited from crm\.customers\.email \(protected/);
    assert.match(md, /\*\*Owner:\*\* `sales-data`/);
    assert.match(md, /\*\*Access\*\* \(mfa=true, device="managed"\): \d+ clear · \d+ masked · \d+ denied/);
    assert.equal(orders.slice(h.range), 'email_hash');
  });

  it('hover on a policy rule says what it does in plain English', async () => {
    const h = await c.request('textDocument/hover', { textDocument: { uri: orders.uri }, position: orders.pos('allow read to analysts when', 1) });
    assert.match(h.contents.value, /Allows members of analysts to read every field of sales\.orders, when their clearance is at least 2 and the request's mfa is true\./);
    const m = await c.request('textDocument/hover', { textDocument: { uri: orders.uri }, position: orders.pos('deny read of card_last4', 1) });
    assert.match(m.contents.value, /Denies everyone except members of payments-team read access to card_last4 of sales\.orders; a deny overrides every allow\./);
  });

  it('hover on a group lists its members', async () => {
    const h = await c.request('textDocument/hover', { textDocument: { uri: orders.uri }, position: orders.pos('to analysts when', 4) });
    assert.match(h.contents.value, /group analysts/);
    assert.match(h.contents.value, /Business analysts across all regions\./);
    assert.match(h.contents.value, /\*\*Members:\*\* .*`alice`.*`bob`/);
  });

  it('completion knows where it is', async () => {
    const uri = 'untitled:completion.charter';
    const text = 'policy p on sales.orders {\n  allow read to \n}\n';
    c.open(uri, text);
    const at = async (t: string) => {
      const i = t.indexOf('|');
      const body = t.replace('|', '');
      c.replaceAll(uri, body);
      const before = body.slice(0, i);
      const line = before.split('\n').length - 1;
      const character = before.length - before.lastIndexOf('\n') - 1;
      const r = await c.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
      return (r.items as { label: string; kind: number; textEdit: { newText: string } }[]);
    };
    const labels = async (t: string) => (await at(t)).map((x) => x.label);
    const audience = await labels('policy p on sales.orders {\n  allow read to |\n}\n');
    assert.ok(audience.includes('analysts') && audience.includes('everyone') && audience.includes('owner'), audience.join());
    assert.ok(!audience.includes('allow'), 'no rule keyword where an audience goes');
    assert.deepEqual((await labels('policy p on sales.orders {\n  allow read to analysts when subject.|\n}\n')).sort(), ['clearance', 'contractor', 'department', 'region']);
    assert.deepEqual(await labels('policy p on sales.orders {\n  allow read to analysts when subject.region == |\n}\n').then((l) => l.filter((x) => x.startsWith('"'))), ['"EU"', '"US"', '"APAC"']);
    assert.deepEqual(await labels('policy p on sales.orders {\n  mask customer_email with |\n}\n'), ['null', 'redact', 'hash', 'partial']);
    assert.ok((await labels('policy p on sales.orders {\n  |\n}\n')).includes('allow'));
    const fields = await labels('contract x.y {\n  field a: string from crm.customers.|\n}\n');
    assert.ok(fields.includes('email') && fields.includes('segment'), fields.join());
    assert.deepEqual(await labels('contract x.y {\n  field a: string from crm.customers.email via |\n}\n'), ['copy', 'derive', 'hash', 'tokenize', 'encrypt', 'mask', 'aggregate']);
    assert.ok((await labels('contract x.y {\n  field a: string tagged |\n}\n')).includes('pii.email'));
    assert.ok((await labels('test t {\n  expect |\n}\n')).includes('alice'));
    const top = await at('|');
    const snippet = top.find((x) => x.label === 'contract' && x.kind === 15);
    assert.ok(snippet, 'a contract snippet at the top level');
    assert.match(snippet.textEdit.newText, /contract \$\{1:domain\}\.\$\{2:product\} \{/);
    for (const s of ['policy', 'test', 'governance']) assert.ok(top.some((x) => x.label === s && x.kind === 15), `${s} snippet`);
    assert.ok((await labels('governance g {\n  |\n}\n')).includes('rule'));
    c.close(uri);
  });

  it('go to definition and find references across files', async () => {
    const def = await c.request('textDocument/definition', { textDocument: { uri: orders.uri }, position: orders.pos('to analysts when', 4) });
    assert.equal(def.uri, groups.uri);
    assert.equal(groups.slice(def.range), 'analysts');
    const refs: { uri: string }[] = await c.request('textDocument/references', { textDocument: { uri: groups.uri }, position: groups.pos('group analysts', 7), context: { includeDeclaration: true } });
    const files = new Set(refs.map((r) => r.uri.replace(/.*examples\//, '')));
    assert.ok(files.has('org/groups.charter') && files.has('sales/orders.charter') && files.has('org/principals.charter'), [...files].join());
    assert.ok(refs.length >= 10, `${refs.length} references`);
  });

  it('renames across files, and refuses invalid or taken names', async () => {
    const edit = await c.request('textDocument/rename', { textDocument: { uri: orders.uri }, position: orders.pos('to analysts when', 4), newName: 'bi-analysts' });
    const changed = Object.keys(edit.changes);
    assert.ok(changed.length >= 4, `edits in ${changed.length} files`);
    const newOrders = applyTextEdits(orders.text, edit.changes[orders.uri]);
    assert.match(newOrders, /allow read to bi-analysts when/);
    assert.doesNotMatch(newOrders, /(?<![\w-])analysts\b/);
    const newGroups = applyTextEdits(groups.text, edit.changes[groups.uri]);
    assert.match(newGroups, /^group bi-analysts$/m);
    await assert.rejects(c.request('textDocument/rename', { textDocument: { uri: orders.uri }, position: orders.pos('to analysts when', 4), newName: 'bad name' }), /not a valid name/);
    await assert.rejects(c.request('textDocument/rename', { textDocument: { uri: orders.uri }, position: orders.pos('to analysts when', 4), newName: 'auditors' }), /already exists/);
    await assert.rejects(c.request('textDocument/rename', { textDocument: { uri: orders.uri }, position: orders.pos('to analysts when', 4), newName: 'everyone' }), /keyword/);
    const prep = await c.request('textDocument/prepareRename', { textDocument: { uri: orders.uri }, position: orders.pos('customer_email with hash', 3) });
    assert.equal(prep.placeholder, 'customer_email');
    await assert.rejects(c.request('textDocument/prepareRename', { textDocument: { uri: orders.uri }, position: orders.pos('allow read', 1) }), /Nothing to rename/);
  });

  it('renames a domain in every qualified name that contains it', async () => {
    const dom = doc('crm/domain.charter');
    const edit = await c.request('textDocument/rename', { textDocument: { uri: dom.uri }, position: dom.pos('domain crm', 8), newName: 'customers' });
    const newOrders = applyTextEdits(orders.text, edit.changes[orders.uri]);
    assert.match(newOrders, /from customers\.customers\.email/);
    assert.doesNotMatch(newOrders, /crm\./);
  });

  it('document symbols (outline) and workspace symbols', async () => {
    const syms = await c.request('textDocument/documentSymbol', { textDocument: { uri: orders.uri } });
    const contract = syms.find((s: { name: string }) => s.name === 'sales.orders');
    assert.equal(contract.kind, 5);
    assert.ok(contract.children.some((f: { name: string }) => f.name === 'customer_email'));
    const policy = syms.find((s: { name: string }) => s.name === 'orders-for-analysts');
    assert.equal(policy.detail, 'on sales.orders');
    assert.equal(policy.children.length, 5);
    const ws = await c.request('workspace/symbol', { query: 'customer_email' });
    assert.equal(ws[0].name, 'sales.orders.customer_email');
    assert.equal(ws[0].location.uri, orders.uri);
  });

  it('semantic tokens tell names from keywords', async () => {
    const { data } = await c.request('textDocument/semanticTokens/full', { textDocument: { uri: orders.uri } });
    const tokens: { line: number; char: number; len: number; type: string; mods: number }[] = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      char = data[i] ? data[i + 1] : char + data[i + 1];
      tokens.push({ line, char, len: data[i + 2], type: TOKEN_TYPES[data[i + 3]], mods: data[i + 4] });
    }
    const at = (p: { line: number; character: number }) => tokens.find((t) => t.line === p.line && t.char === p.character);
    assert.equal(at(orders.pos('to analysts when', 3))?.type, 'type', 'a group');
    assert.equal(at(orders.pos('allow read'))?.type, 'keyword');
    assert.equal(at(orders.pos('contract sales.orders', 9))?.type, 'namespace', 'the domain part of a contract name');
    assert.equal(at(orders.pos('contract sales.orders', 15))?.type, 'class');
    assert.equal(at(orders.pos('contract sales.orders', 15))!.mods & 1, 1, 'a declaration');
    assert.equal(at(orders.pos('owner sales-data'))?.type, 'keyword');
    assert.equal(at(orders.pos('owner sales-data', 6))?.type, 'type');
    assert.equal(at(orders.pos('via hash', 4))?.type, 'enumMember');
  });

  it('folding ranges and selection ranges', async () => {
    const folds = await c.request('textDocument/foldingRange', { textDocument: { uri: groups.uri } });
    assert.ok(folds.some((f: { kind?: string; startLine: number }) => f.kind === 'region' && f.startLine === groups.pos('#region').line));
    const of = await c.request('textDocument/foldingRange', { textDocument: { uri: orders.uri } });
    assert.ok(of.some((f: { startLine: number }) => f.startLine === orders.pos('contract sales.orders').line));
    const sel = await c.request('textDocument/selectionRange', { textDocument: { uri: orders.uri }, positions: [orders.pos('subject.clearance', 10)] });
    const chain: string[] = [];
    for (let s = sel[0]; s; s = s.parent) chain.push(orders.slice(s.range));
    assert.equal(chain[0], 'clearance');
    assert.ok(chain.includes('subject.clearance'));
    assert.ok(chain.includes('subject.clearance >= 2'));
    assert.ok(chain.includes('allow read to analysts when subject.clearance >= 2 and context.mfa'));
    assert.equal(chain[chain.length - 1], orders.text);
  });

  it('formats a document as line edits, and refuses one with syntax errors', async () => {
    const uri = 'untitled:format.charter';
    const ugly = 'group   a\ncontract   x.y{\nowner a\n   field id : uuid key\n}\n';
    c.open(uri, ugly);
    const edits = await c.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    assert.equal(applyTextEdits(ugly, edits), 'group a\n\ncontract x.y {\n  owner a\n  field id: uuid key\n}\n');
    c.close(uri);
    c.open(mistakes.uri, mistakes.text);
    const none = await c.request('textDocument/formatting', { textDocument: { uri: mistakes.uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(none, []);
    await c.until('a warning about the syntax error', () => c.messages.find((m) => /not formatted — 1 syntax error/.test(m.message)));
  });

  it('code actions fix what the diagnostics say', async () => {
    c.open(mistakes.uri, mistakes.text);
    const all = await c.until('mistakes diagnostics', () => c.diagnostics.get(mistakes.uri)?.diagnostics);
    const actions = async (code: string) => {
      const d = all.find((x) => x.code === code)!;
      return (await c.request('textDocument/codeAction', { textDocument: { uri: mistakes.uri }, range: d.range, context: { diagnostics: [d] } })) as {
        title: string;
        edit: { changes: Record<string, { range: never; newText: string }[]> };
      }[];
    };
    const unknown = await actions('unknown-group');
    assert.ok(unknown.some((a) => a.title === "Change to 'analysts'"));
    const create = unknown.find((a) => /^Create group 'analyst'/.test(a.title))!;
    assert.ok(create, unknown.map((a) => a.title).join());
    assert.match(Object.values(create.edit.changes)[0][0].newText, /group analyst/);
    const tag = (await actions('inherits-tag')).find((a) => /tagged pii\.email/.test(a.title))!;
    assert.match(applyTextEdits(mistakes.text, tag.edit.changes[mistakes.uri]), /field contact_email: string tagged pii\.email from crm\.customers\.email/);
    const ret = (await actions('rule:pii-retention')).find((a) => a.title === 'Set retention to 730d')!;
    assert.ok(ret);
    assert.match(applyTextEdits(mistakes.text, ret.edit.changes[mistakes.uri]), /retention 730d/);
    const version = (await actions('rule:products-versioned')).length;
    assert.equal(version, 0, 'no made-up fix for a missing version');
  });

  it('applying a quick fix clears its diagnostic (edit sequence)', async () => {
    const uri = mistakes.uri;
    c.open(uri, mistakes.text);
    const d = await c.until('the inherits-tag warning', () => c.diagnostics.get(uri)?.diagnostics.find((x) => x.code === 'inherits-tag'));
    const [fix] = await c.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    for (const e of fix.edit.changes[uri]) c.edit(uri, e.range, e.newText);
    await c.until('the warning to go', () => {
      const p = c.diagnostics.get(uri);
      return p && p.version !== 1 && !p.diagnostics.some((x) => x.code === 'inherits-tag') && p.diagnostics.some((x) => x.code === 'unknown-group');
    });
    c.close(uri);
  });

  it('code lenses over fields and tests; inlay hints for inherited tags', async () => {
    c.open(orders.uri, orders.text);
    const lenses = await c.request('textDocument/codeLens', { textDocument: { uri: orders.uri } });
    const email = lenses.find((l: { range: { start: { line: number } } }) => l.range.start.line === orders.pos('field customer_email').line);
    assert.match(email.command.title, /^\d+ clear · \d+ masked · \d+ denied$/);
    assert.equal(email.command.command, 'charter.whoCanSee');
    assert.equal(email.command.arguments[2], 'sales.orders.customer_email');
    c.open(tests.uri, tests.text);
    const tl = await c.request('textDocument/codeLens', { textDocument: { uri: tests.uri } });
    assert.ok(tl.some((l: { command: { title: string; command: string; arguments: string[] } }) => l.command.command === 'charter.runTest' && l.command.arguments[0] === 'analysts-on-orders'));
    const hints = await c.request('textDocument/inlayHint', { textDocument: { uri: orders.uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } } });
    const eh = hints.find((h: { position: { line: number } }) => h.position.line === orders.pos('field email_hash').line);
    assert.equal(eh.label, 'inherits pii.email (protected)');
    assert.match(eh.tooltip, /inherited from crm\.customers\.email/);
  });

  it('charter/whoCanSee: every principal with decision, mask, rows and reasons linking to the source', async () => {
    const r = await c.request('charter/whoCanSee', { textDocument: { uri: orders.uri }, position: orders.pos('field customer_email', 8) });
    assert.equal(r.field, 'sales.orders.customer_email');
    assert.deepEqual(r.context, { mfa: true, device: 'managed' }, 'the setting is the default context');
    const alice = r.results.find((x: { principal: string }) => x.principal === 'alice');
    assert.equal(alice.decision, 'masked');
    assert.equal(alice.mask, 'redact');
    assert.equal(alice.rows, 'region == "EU"');
    const mask = alice.reasons.find((x: { effect: string }) => x.effect === 'mask');
    assert.match(mask.location.uri, /baseline-policies\.charter$/);
    assert.equal(r.counts.clear + r.counts.masked + r.counts.denied, r.results.length);
    const byName = await c.request('charter/whoCanSee', { field: 'sales.orders.amount', context: { mfa: false } });
    assert.equal(byName.results.find((x: { principal: string }) => x.principal === 'alice').decision, 'denied');
    const bad = await c.request('charter/whoCanSee', { field: 'sales.orders.amount', context: { mfaa: true } });
    assert.match(bad.contextErrors[0], /unknown context attribute 'mfaa'; did you mean 'mfa'\?/);
    await assert.rejects(c.request('charter/whoCanSee', { field: 'sales.orders.amout' }), /did you mean 'sales\.orders\.amount'/);
  });

  it('charter/simulate, charter/simulationOptions, charter/tests, charter/runTest', async () => {
    const opts = await c.request('charter/simulationOptions', {});
    assert.ok(opts.principals.some((p: { name: string }) => p.name === 'alice'));
    assert.deepEqual(opts.context.find((a: { name: string }) => a.name === 'device').values, ['managed', 'byod']);
    const sim = await c.request('charter/simulate', { principal: 'alice', context: { mfa: true, device: 'managed' }, uris: [orders.uri] });
    assert.ok(sim.fields.every((f: { uri: string }) => f.uri === orders.uri));
    assert.equal(sim.fields.find((f: { qname: string }) => f.qname === 'sales.orders.card_last4').decision, 'denied');
    assert.equal(sim.fields.find((f: { qname: string }) => f.qname === 'sales.orders.customer_email').mask, 'redact');
    const list = await c.request('charter/tests', {});
    assert.ok(list.tests.length >= 5);
    const pass = await c.request('charter/runTest', { name: 'analysts-on-orders' });
    assert.equal(pass.tests[0].passed, true);
    const fail = await c.request('charter/runTest', { name: 'sandbox-expectations' });
    assert.equal(fail.tests[0].passed, false);
    assert.match(fail.tests[0].expectations[0].message, /expected bob can read sales\.orders\.amount, but it is denied/);
  });
});
