// Completion knows where it is: keywords valid at the cursor, the right kind
// of name, attributes from the schema, enum values, transforms, mask methods,
// snippets. `|` marks the cursor.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../grammar/services/completion';
import { completionIndex } from '../../grammar/services/completion-index';
import { analysis, BASE } from './helpers';
import { analyze } from '../../grammar/index';

const index = completionIndex(analysis(BASE + '\ncontract sales.orders {\n  field amount: decimal\n  field country: string\n}\n').model);

function at(text: string, snippets = false) {
  const offset = text.indexOf('|');
  return complete(text.replace('|', ''), offset, index, { snippets });
}
const labels = (text: string, snippets = false) => at(text, snippets).map((c) => c.label);

test('top level: declaration keywords and snippets', () => {
  const l = labels('|', true);
  for (const k of ['group', 'principal', 'classification', 'domain', 'contract', 'policy', 'governance', 'waiver', 'test', 'subject attributes', 'context attributes']) assert.ok(l.includes(k), k);
  const snippet = at('|', true).find((c) => c.kind === 'snippet' && c.label === 'contract')!;
  assert.match(snippet.insertText!, /^contract \$\{1:domain\}\.\$\{2:product\} \{/);
  assert.ok(!at('|', false).some((c) => c.snippet), 'no snippets for clients that cannot expand them');
  // After a finished declaration, and while typing a keyword.
  assert.ok(labels('group a\n|').includes('contract'));
  assert.ok(labels('group a\ncon|').includes('contract'));
  assert.deepEqual(labels('subject |'), ['attributes']);
});

test('contract body: members, types, modifiers, tags, lineage, transforms, owners, statuses', () => {
  const body = labels('contract sales.x {\n  owner sales-data\n  |\n}');
  assert.ok(body.includes('field') && body.includes('version') && body.includes('sla'));
  assert.ok(!body.includes('owner'), 'owner is already set');
  assert.deepEqual(labels('contract sales.x {\n  field a: |'), ['string', 'int', 'decimal', 'bool', 'date', 'timestamp', 'uuid', 'json', 'list']);
  assert.deepEqual(labels('contract sales.x {\n  field a: string key |'), ['required', 'unique', 'tagged', 'from']);
  assert.deepEqual(labels('contract sales.x {\n  field a: string tagged |'), ['pii', 'pii.email', 'pci']);
  assert.deepEqual(labels('contract sales.x {\n  field a: string from |'), ['sales', 'crm', 'payments', 'marketing']);
  assert.deepEqual(labels('contract sales.x {\n  field a: string from crm.|'), ['customers']);
  assert.deepEqual(labels('contract sales.x {\n  field a: string from crm.customers.|'), ['id', 'email', 'segment']);
  assert.deepEqual(labels('contract sales.x {\n  field a: string from crm.customers.email via |'), ['copy', 'derive', 'hash', 'tokenize', 'encrypt', 'mask', 'aggregate']);
  assert.ok(labels('contract sales.x {\n  owner |').includes('sales-data'));
  assert.deepEqual(labels('contract sales.x {\n  status |'), ['draft', 'active', 'deprecated']);
  assert.deepEqual(labels('contract sales.x {\n  sla {\n    freshness 1h\n    |\n  }\n}'), ['availability', 'retention', 'encryption', 'escalation', 'latency', 'support']);
});

test('a domain segment re-opens completion for its products', () => {
  const crm = at('contract sales.x {\n  field a: string from |').find((c) => c.label === 'crm')!;
  assert.equal(crm.insertText, 'crm.');
  assert.equal(crm.retrigger, true);
  // Typing part of a field name finds qualified fields directly.
  assert.ok(labels('contract sales.x {\n  field a: string from emai|').includes('crm.customers.email'));
});

test('policies: targets, actions, audiences, fields of the target, mask methods, conditions', () => {
  assert.deepEqual(labels('policy p |'), ['on']);
  assert.ok(labels('policy p on |').includes('fields tagged'));
  assert.deepEqual(labels('policy p on sales.|'), ['*', 'orders']);
  assert.deepEqual(labels('policy p on sales.orders {\n  allow |'), ['read', 'write', 'discover']);
  const audience = labels('policy p on sales.orders {\n  allow read to |');
  assert.deepEqual(audience.slice(0, 3), ['everyone', 'owner', 'principal']);
  assert.ok(audience.includes('analysts'));
  assert.deepEqual(labels('policy p on sales.orders {\n  allow read to principal |'), ['alice', 'bob', 'etl-bot', 'pat', 'olga']);
  assert.deepEqual(labels('policy p on sales.orders {\n  deny read of |'), ['amount', 'country']);
  assert.deepEqual(labels('policy p on sales.orders {\n  mask |'), ['amount', 'country', 'with']);
  assert.deepEqual(labels('policy p on sales.orders {\n  mask amount with |'), ['null', 'redact', 'hash', 'partial']);
  assert.deepEqual(labels('policy p on sales.orders {\n  allow read to analysts when subject.|'), ['region', 'clearance', 'department']);
  assert.deepEqual(labels('policy p on sales.orders {\n  allow read to analysts when context.|'), ['mfa', 'device']);
  assert.deepEqual(
    labels('policy p on sales.orders {\n  allow read to analysts when subject.region == |').filter((l) => l.startsWith('"')),
    ['"EU"', '"US"', '"APAC"'],
  );
  assert.deepEqual(labels('policy p on sales.orders {\n  allow read to analysts when context.device == "|'), ['"managed"', '"byod"']);
  assert.deepEqual(labels('policy p on sales.orders {\n  allow read to analysts when subject.region in ["EU", |'), ['"EU"', '"US"', '"APAC"']);
  assert.ok(labels('policy p on sales.orders {\n  allow read to analysts when context.mfa |').includes('and'));
  assert.ok(labels('policy p on sales.orders {\n  rows where |').includes('country'), 'columns in row filters');
  assert.ok(!labels('policy p on sales.orders {\n  allow read to analysts when |').includes('country'), 'no columns in when');
});

test('principals, tests, governance, waivers', () => {
  assert.deepEqual(labels('principal x {\n  |'), ['member of', 'region', 'clearance', 'department']);
  assert.deepEqual(labels('principal x {\n  region "EU"\n  |'), ['member of', 'clearance', 'department']);
  assert.deepEqual(labels('principal x {\n  region |'), ['"EU"', '"US"', '"APAC"']);
  assert.ok(labels('principal x { member of analysts  reg|').includes('region'), 'a new entry on the same line');
  assert.deepEqual(labels('test t {\n  expect alice |'), ['can read', 'cannot read', 'sees']);
  assert.deepEqual(labels('test t {\n  expect alice sees sales.orders.amount |'), ['in clear', 'masked', 'masked with']);
  assert.deepEqual(labels('test t {\n  given context { device |'), ['"managed"', '"byod"']);
  assert.deepEqual(labels('governance g {\n  rule r |'), ['error', 'warning', 'info']);
  assert.deepEqual(labels('governance g {\n  rule r error {\n    every |'), ['contract', 'field', 'policy', 'domain']);
  assert.ok(labels('governance g {\n  rule r error {\n    every contract must have |').includes('sla.retention'));
  assert.deepEqual(labels('governance g {\n  rule r error {\n    no field tagged pci may |'), ['be readable by', 'flow into']);
  assert.deepEqual(labels('waiver w for |'), ['rule']);
});

test('nothing in comments; the replaced range is the word being typed', () => {
  assert.deepEqual(labels('group a # owner |'), []);
  const c = at('policy p on sales.orders {\n  allow read to ana|').find((x) => x.label === 'analysts')!;
  const text = 'policy p on sales.orders {\n  allow read to ana';
  assert.equal(text.slice(c.replace.start, c.replace.end), 'ana');
  const f = at('contract x.y {\n  field a: string from crm.customers.em|').find((x) => x.label === 'email')!;
  assert.equal('contract x.y {\n  field a: string from crm.customers.em'.slice(f.replace.start, f.replace.end), 'em');
});

test('names are sorted by relevance: the current domain first, names from files with errors last', () => {
  const a = analyze([
    { uri: 'file:///w/org.charter', text: BASE },
    { uri: 'file:///w/sales.charter', text: 'contract sales.carts {\n  field amount: decimal\n}\n' },
    { uri: 'file:///w/crm.charter', text: 'contract crm.tickets {\n  owner crm-team\n  field email: string tagged pii.email\n}\n' },
    // A scratch file with errors declares a group, a domain and a contract of its own.
    { uri: 'file:///w/mistakes/oops.charter', text: 'group aaa-scratch\ndomain aaa { owner aaa-scratch }\ncontract aaa.notes {\n  owner nobody-like-this\n  field x: string\n}\n' },
  ]);
  assert.ok(a.diagnostics.some((d) => d.file === 'file:///w/mistakes/oops.charter' && d.severity === 'error'));
  const errorFiles = new Set(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const idx = completionIndex(a.model, { errorFiles });
  const run = (text: string, uri = 'file:///w/sales.charter') => {
    const offset = text.indexOf('|');
    return complete(text.replace('|', ''), offset, idx, { uri }).map((c) => c.label);
  };
  // `owner ` in a sales contract: sales-data (which owns the domain) first, the scratch group last.
  const owners = run('contract sales.x {\n  owner |\n}');
  assert.equal(owners[0], 'sales-data');
  assert.equal(owners[owners.length - 1], 'aaa-scratch');
  assert.equal(run('contract crm.y {\n  owner |\n}')[0], 'crm-team');
  // Lineage sources: the current domain's first, the scratch domain last (it sorts first by name).
  const from = run('contract sales.x {\n  field a: string from |\n}');
  assert.equal(from[0], 'sales');
  assert.equal(from[from.length - 1], 'aaa');
  // In a file of no particular declaration, the file's domain (its contracts') comes first.
  assert.equal(run('test t {\n  expect alice can read |\n}', 'file:///w/crm.charter')[0], 'crm');
  // Audiences keep everyone/owner first; the scratch group is still last.
  const audience = run('policy p on sales.orders {\n  allow read to |\n}');
  assert.deepEqual(audience.slice(0, 3), ['everyone', 'owner', 'principal']);
  assert.equal(audience[audience.length - 1], 'aaa-scratch');
});

test('no label is offered twice (a snippet and a keyword of the same name are one entry)', () => {
  const places = ['|', 'contract sales.x {\n  |\n}', 'test t {\n  |\n}', 'policy p on sales.orders {\n  |\n}', 'governance g {\n  |\n}', 'principal p {\n  |\n}'];
  for (const p of places) {
    for (const snippets of [true, false]) {
      const l = labels(p, snippets);
      assert.deepEqual(l.filter((x, i) => l.indexOf(x) !== i), [], `duplicates at ${JSON.stringify(p)} (snippets ${snippets}): ${l.join(', ')}`);
    }
  }
  // With snippet support the entry is the snippet; without, the keyword.
  assert.equal(at('contract sales.x {\n  |\n}', true).find((c) => c.label === 'field')?.kind, 'snippet');
  assert.equal(at('contract sales.x {\n  |\n}', false).find((c) => c.label === 'field')?.kind, 'keyword');
});
