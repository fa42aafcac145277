// Outline, workspace symbols, folding, selection ranges, semantic tokens,
// inlay hints and code lenses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex, parse } from '../../grammar/index';
import { foldingRanges } from '../../grammar/services/folding';
import { inheritedTagHints } from '../../grammar/services/inlay-hints';
import { codeLenses } from '../../grammar/services/lenses';
import { selectionRanges } from '../../grammar/services/selection';
import { semanticTokens } from '../../grammar/services/semantic-tokens';
import { documentSymbols, fuzzyMatch, workspaceSymbols } from '../../grammar/services/symbols';
import { analysis, BASE } from './helpers';

const SALES = `#region sales
## Orders of the web shop.
## One row per order.
contract sales.orders {
  status deprecated
  field customer_email: string tagged pii.email from crm.customers.email
  field email_hash: string
    from crm.customers.email via hash
  field total: decimal from crm.customers.id via aggregate
  sla {
    freshness 1h
  }
}
#endregion
policy p on sales.orders {
  allow read to analysts when subject.clearance >= 2
}
test t {
  expect alice can read sales.orders.total
}
`;
const a = analysis(BASE, { 'sales.charter': SALES });
const m = a.model;
const ast = m.files.get('sales.charter')!.ast;

test('document outline: declarations with fields, sla and rules', () => {
  const syms = documentSymbols(ast, SALES);
  assert.deepEqual(
    syms.map((s) => [s.kind, s.name, s.detail]),
    [
      ['contract', 'sales.orders', undefined],
      ['policy', 'p', 'on sales.orders'],
      ['test', 't', '1 expectations'],
    ],
  );
  assert.deepEqual(syms[0].children.map((c) => `${c.kind} ${c.name}`), ['field customer_email', 'field email_hash', 'field total', 'sla sla']);
  assert.equal(syms[0].children[0].detail, 'string pii.email');
  assert.equal(syms[1].children[0].name, 'allow read to analysts when subject.clearance >= 2');
  // Works on a file with errors too.
  assert.equal(documentSymbols(parse('contract a.b {\n  field x string\n}\ngroup g\n'), '').length, 2);
});

test('workspace symbols: fuzzy, best first', () => {
  assert.ok(fuzzyMatch('sordem', 'sales.orders.customer_email'));
  assert.ok(!fuzzyMatch('xyz', 'sales.orders'));
  const r = workspaceSymbols(m, 'email');
  assert.deepEqual(r.slice(0, 3).map((s) => s.name), ['pii.email', 'crm.customers.email', 'sales.orders.email_hash']);
  assert.equal(workspaceSymbols(m, 'analysts')[0].kind, 'group');
});

test('folding: blocks (closing brace visible), doc comment runs, regions, multi-line fields', () => {
  const folds = foldingRanges(ast, new LineIndex(SALES));
  const lines = SALES.split('\n');
  const at = (s: string) => lines.findIndex((l) => l.startsWith(s));
  assert.ok(folds.some((f) => f.kind === 'region' && f.startLine === at('#region') && f.endLine === at('#endregion')));
  assert.ok(folds.some((f) => f.kind === 'comment' && f.startLine === at('## Orders') && f.endLine === at('## One row')));
  assert.ok(folds.some((f) => !f.kind && f.startLine === at('contract') && f.endLine === at('}') - 1));
  assert.ok(folds.some((f) => f.startLine === at('  field email_hash') && f.endLine === at('    from crm')));
  assert.ok(folds.some((f) => f.startLine === at('  sla {') && f.endLine === at('  sla {') + 1));
});

test('selection ranges grow from the word to the file, strictly nested', () => {
  const off = SALES.indexOf('clearance');
  const chain = selectionRanges(ast, SALES, off).map((r) => SALES.slice(r.start, r.end));
  assert.deepEqual(chain.slice(0, 4), ['clearance', 'subject.clearance', 'subject.clearance >= 2', 'allow read to analysts when subject.clearance >= 2']);
  assert.ok(chain[4].startsWith('policy p on sales.orders {'));
  assert.equal(chain[chain.length - 1], SALES);
  const ranges = selectionRanges(ast, SALES, off);
  for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i].start <= ranges[i - 1].start && ranges[i].end >= ranges[i - 1].end);
  // A declaration with its doc comment.
  const c = selectionRanges(ast, SALES, SALES.indexOf('status')).map((r) => SALES.slice(r.start, r.end));
  assert.ok(c.some((x) => x.startsWith('## Orders of the web shop.\n## One row per order.\ncontract sales.orders {')));
});

test('semantic tokens: names by what they resolve to, soft keywords only where they are keywords', () => {
  const toks = semanticTokens(m, 'sales.charter');
  const at = (needle: string, delta = 0) => toks.find((t) => t.start === SALES.indexOf(needle) + delta);
  assert.equal(at('contract sales.orders', 9)?.type, 'namespace');
  assert.equal(at('contract sales.orders', 15)?.type, 'class');
  assert.equal(at('contract sales.orders', 15)!.modifiers & 2, 2, 'a deprecated contract');
  assert.equal(at('contract')?.type, 'keyword');
  assert.equal(at('field customer_email', 6)?.type, 'property');
  assert.equal(at('field customer_email', 6)!.modifiers & 1, 1, 'declaration');
  assert.equal(at('tagged pii.email', 7)?.type, 'enum');
  assert.equal(at('via hash', 4)?.type, 'enumMember');
  assert.equal(at('decimal')?.type, 'type');
  assert.equal(at('to analysts', 3)?.type, 'type');
  assert.equal(at('subject.clearance', 8)?.type, 'parameter');
  assert.equal(at('expect alice', 7)?.type, 'variable');
  // Sorted and never overlapping.
  for (let i = 1; i < toks.length; i++) assert.ok(toks[i].start >= toks[i - 1].start + toks[i - 1].length);
});

test('inlay hints for inherited tags; code lenses over fields and tests', () => {
  const hints = inheritedTagHints(m, 'sales.charter');
  assert.deepEqual(hints.map((h) => h.label), ['inherits pii.email (protected)']);
  assert.equal(hints[0].offset, SALES.indexOf('via hash') + 8);
  assert.match(hints[0].tooltip, /pii\.email: inherited from crm\.customers\.email \(protected/);
  const lenses = codeLenses(m, 'sales.charter', new Map([['mfa', true]]));
  assert.deepEqual(
    lenses.map((l) => l.title),
    ['1 clear · 0 masked · 4 denied', '1 clear · 0 masked · 4 denied', '1 clear · 0 masked · 4 denied', '▶ Run test'],
  );
  assert.equal(lenses[3].kind === 'test' && lenses[3].test, 't');
});
