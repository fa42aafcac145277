// The schema delta of `charter diff`: one fixture per change kind, breaking
// detection with and without a major version bump, declassification always
// listed (declared or through lineage); and the governance delta.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, diffAnalyses, governanceDelta, SCHEMA_CHANGES, schemaDelta, type SchemaChange } from '../../grammar/index';

const BASE = `
group sales-data
group crm-team
domain sales { owner sales-data }
domain crm { owner crm-team }
classification pii
classification pii.email
contract crm.customers {
  field email: string tagged pii.email
}
contract sales.orders {
  version 2.1.0
  status active
  source postgres "warehouse.sales.orders"
  sla {
    freshness 1h
    availability 99.9%
    retention 400d
    encryption required
    escalation "pagerduty://sales"
  }
  field id: uuid key
  field customer_email: string tagged pii.email from crm.customers.email
  field email_hash: string from crm.customers.email via hash
  field amount: decimal
  field note: string
}
contract sales.archive {
  field id: uuid
}
`;

const run = (text: string) => analyze([{ uri: 'a.charter', text }], { today: '2026-11-23' });
const delta = (after: string, before = BASE) => schemaDelta(run(before).model, run(after).model);
const brief = (cs: SchemaChange[]) => cs.map((c) => `${c.change} ${c.field ?? c.contract}${c.breaking ? ' BREAKING' : ''}`);
const edit = (from: string, to: string) => {
  assert.ok(BASE.includes(from), from);
  return BASE.replace(from, to);
};

const CASES: [string, string, string[]][] = [
  ['contract-removed', edit('contract sales.archive {\n  field id: uuid\n}\n', ''), ['contract-removed sales.archive BREAKING']],
  ['contract-added', BASE + 'contract sales.returns {\n  field id: uuid\n}\n', ['contract-added sales.returns']],
  ['field-removed', edit('  field note: string\n', ''), ['field-removed sales.orders.note BREAKING']],
  ['field-added', edit('  field note: string\n', '  field note: string\n  field channel: string\n'), ['field-added sales.orders.channel']],
  ['type-changed', edit('field amount: decimal', 'field amount: string'), ['type-changed sales.orders.amount BREAKING']],
  ['required-added', edit('field amount: decimal', 'field amount: decimal required'), ['required-added sales.orders.amount BREAKING']],
  ['key-changed (added)', edit('field amount: decimal', 'field amount: decimal key'), ['key-changed sales.orders.amount BREAKING']],
  ['key-changed (removed)', edit('field id: uuid key', 'field id: uuid'), ['key-changed sales.orders.id BREAKING']],
  ['tag-removed', edit('field note: string\n', 'field note: string\n').replace('contract crm.customers {\n  field email: string tagged pii.email', 'contract crm.customers {\n  field email: string'), ['tag-removed crm.customers.email', 'tag-removed sales.orders.email_hash']],
  ['tag-added', edit('field note: string', 'field note: string tagged pii'), ['tag-added sales.orders.note']],
  ['sla-weakened', edit('freshness 1h', 'freshness 4h'), ['sla-weakened sales.orders']],
  ['sla-strengthened', edit('availability 99.9%', 'availability 99.99%'), ['sla-strengthened sales.orders']],
  ['source-changed', edit('"warehouse.sales.orders"', '"warehouse.sales.orders_v2"'), ['source-changed sales.orders']],
  ['lineage-changed', edit('from crm.customers.email via hash', 'from crm.customers.email via tokenize'), ['lineage-changed sales.orders.email_hash']],
  ['status-changed', edit('status active', 'status deprecated'), ['status-changed sales.orders']],
  ['version-changed', edit('version 2.1.0', 'version 2.2.0'), ['version-changed sales.orders']],
];

for (const [name, after, expected] of CASES) {
  test(`schema: ${name}`, () => {
    assert.deepEqual(brief(delta(after)), expected);
  });
}

test('every change kind of LANGUAGE.md has a fixture', () => {
  const covered = new Set(CASES.map(([n]) => n.split(' ')[0]));
  assert.deepEqual(SCHEMA_CHANGES.filter((k) => !covered.has(k)), []);
});

test('a breaking change says whether a major version bump announces it', () => {
  const none = delta(edit('  field note: string\n', ''));
  assert.equal(none[0].breaking, true);
  assert.match(none[0].message, /^field sales\.orders\.note removed: breaking change without a major version bump \(version stays 2\.1\.0\)$/);
  const minor = delta(edit('  field note: string\n', '').replace('version 2.1.0', 'version 2.2.0'));
  assert.deepEqual(brief(minor), ['version-changed sales.orders', 'field-removed sales.orders.note BREAKING']);
  assert.match(minor[1].message, /without a major version bump \(2\.1\.0 → 2\.2\.0\)/);
  const major = delta(edit('  field note: string\n', '').replace('version 2.1.0', 'version 3.0.0'));
  assert.deepEqual(brief(major), ['version-changed sales.orders', 'field-removed sales.orders.note']);
  assert.match(major[1].message, /breaking, announced by the major version bump 2\.1\.0 → 3\.0\.0/);
  const unversioned = delta(BASE.replace('contract sales.archive {\n  field id: uuid\n', 'contract sales.archive {\n  field id: string\n'));
  assert.deepEqual(brief(unversioned), ['type-changed sales.archive.id BREAKING']);
  assert.match(unversioned[0].message, /on a contract without a version/);
});

test('declassification is always listed: a declared tag removed while lineage still brings it in', () => {
  const d = delta(edit('field customer_email: string tagged pii.email from', 'field customer_email: string from'));
  assert.deepEqual(brief(d), ['tag-removed sales.orders.customer_email']);
  assert.match(d[0].message, /declared tag pii\.email removed \(it still arrives through lineage from crm\.customers\.email\)/);
});

test('SLA: weaker and stronger in each entry\'s own direction; a removed entry is weaker, an added one stronger', () => {
  const cases: [string, string, string][] = [
    ['retention 400d', 'retention 30d', 'sla-weakened'],
    ['retention 400d', 'retention 800d', 'sla-strengthened'],
    ['availability 99.9%', 'availability 99%', 'sla-weakened'],
    ['freshness 1h', 'freshness 15m', 'sla-strengthened'],
    ['encryption required', 'encryption optional', 'sla-weakened'],
    ['    escalation "pagerduty://sales"\n', '', 'sla-weakened'],
    ['    escalation "pagerduty://sales"\n', '    escalation "pagerduty://sales"\n    latency 5m\n', 'sla-strengthened'],
  ];
  for (const [from, to, kind] of cases) assert.deepEqual(delta(edit(from, to)).map((c) => c.change), [kind], `${from} → ${to}`);
});

test('a contract moved to another file, fields reordered: no schema change', () => {
  const before = run(BASE);
  const reordered = BASE.replace('  field amount: decimal\n  field note: string\n', '  field note: string\n  field amount: decimal\n');
  const after = analyze([
    { uri: 'b.charter', text: reordered.slice(reordered.indexOf('contract sales.orders')) },
    { uri: 'a.charter', text: reordered.slice(0, reordered.indexOf('contract sales.orders')) },
  ], { today: '2026-11-23' });
  assert.deepEqual(schemaDelta(before.model, after.model), []);
});

const GOV = `
group owners
group analysts
principal alice { member of analysts }
domain sales { owner owners }
classification pii
governance central {
  rule pii-masked error {
    every field tagged pii must be masked for everyone except owner
  }
  rule has-owner warning {
    every contract must have owner
  }
}
contract sales.orders {
  owner owners
  field email: string tagged pii
}
policy p on sales.orders {
  allow read to owner
}
`;

test('governance: a violation introduced, one resolved; lines moving change neither', () => {
  const before = run(GOV);
  const exposed = run(GOV.replace('allow read to owner', 'allow read to owner, analysts'));
  const d = governanceDelta(before.model, before.diagnostics, exposed.model, exposed.diagnostics);
  assert.deepEqual(d.introduced.map((x) => x.code), ['rule:pii-masked']);
  assert.match(d.introduced[0].message, /alice \(analysts\) reads sales\.orders\.email in clear \(p, line \d+\)/);
  assert.deepEqual(d.resolved, []);
  const back = governanceDelta(exposed.model, exposed.diagnostics, before.model, before.diagnostics);
  assert.deepEqual([back.introduced.length, back.resolved.map((x) => x.code)], [0, ['rule:pii-masked']]);
  // The same violation, ten lines further down: neither introduced nor resolved.
  const shifted = run('\n'.repeat(10) + GOV.replace('allow read to owner', 'allow read to owner, analysts'));
  assert.deepEqual(governanceDelta(exposed.model, exposed.diagnostics, shifted.model, shifted.diagnostics), { introduced: [], resolved: [] });
  // Non-governance diagnostics (a syntax error) are not governance.
  const broken = run(GOV + '\nfield x\n');
  assert.deepEqual(diffAnalyses(before, broken).governance, { introduced: [], resolved: [] });
});
