// Quick fixes: each one, applied, makes its diagnostic go away (and nothing
// new appear).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileDiagnostic } from '../../grammar/index';
import { quickFixes } from '../../grammar/services/code-actions';
import { applyEdits } from '../../grammar/services/rename';
import { analysis, BASE } from './helpers';

const GOV = `governance g {
  rule contract-owner error {
    every contract must have owner
  }
  rule pii-retention error {
    every contract with fields tagged pii must have sla.retention <= 730d
  }
}
`;

function fixAndRecheck(files: Record<string, string>, pick: (d: FileDiagnostic) => boolean, title: RegExp) {
  const before = analysis(BASE, files, ['gov.charter']);
  const d = before.diagnostics.find(pick);
  assert.ok(d, `no diagnostic to fix among: ${before.diagnostics.map((x) => x.code).join(', ')}`);
  const fixes = quickFixes(before.model, [d]);
  const fix = fixes.find((f) => title.test(f.title));
  assert.ok(fix, `no fix '${title}' among: ${fixes.map((f) => f.title).join(' | ')}`);
  const next: Record<string, string> = { 'main.charter': BASE, ...files };
  for (const f of new Set(fix.edits.map((e) => e.file))) next[f] = applyEdits(next[f], fix.edits.filter((e) => e.file === f));
  const { 'main.charter': main, ...rest } = next;
  const after = analysis(main, rest, ['gov.charter']);
  const key = (x: FileDiagnostic) => `${x.file} ${x.code} ${x.message}`;
  assert.ok(!after.diagnostics.some((x) => x.code === d.code && x.file === d.file && x.message === d.message), `still: ${d.message}`);
  const fresh = after.diagnostics.filter((x) => !before.diagnostics.some((y) => key(y) === key(x)));
  assert.deepEqual(fresh.map(key), [], 'the fix introduced new problems');
  return { fix, next };
}

test('declare an inherited tag (with or without existing tags)', () => {
  const { next } = fixAndRecheck({ 'x.charter': 'contract sales.leads {\n  owner sales-data\n  field email: string required from crm.customers.email\n}\n' }, (d) => d.code === 'inherits-tag', /tagged pii\.email/);
  assert.match(next['x.charter'], /field email: string required tagged pii\.email from crm\.customers\.email/);
  const { next: n2 } = fixAndRecheck({ 'x.charter': 'contract sales.leads {\n  owner sales-data\n  field email: string tagged pci from crm.customers.email\n}\n' }, (d) => d.code === 'inherits-tag', /tagged pii\.email/);
  assert.match(n2['x.charter'], /tagged pci, pii\.email from/);
});

test('replace an unknown name with the closest match', () => {
  const { next } = fixAndRecheck({ 'p.charter': 'policy p on sales.orderz {\n  allow read to analyst\n}\ncontract sales.orders {\n  owner sales-data\n}\n' }, (d) => d.code === 'unknown-group', /Change to 'analysts'/);
  assert.match(next['p.charter'], /allow read to analysts/);
  fixAndRecheck({ 'p.charter': 'policy p on sales.orderz {\n  allow read to analysts\n}\ncontract sales.orders {\n  owner sales-data\n}\n' }, (d) => d.code === 'unknown-contract', /Change to 'sales\.orders'/);
  fixAndRecheck({ 'p.charter': 'policy p on crm.customers {\n  allow read to analysts when subject.regoin == "EU"\n}\n' }, (d) => d.code === 'unknown-attribute', /Change to 'region'/);
  fixAndRecheck({ 'p.charter': 'policy p on crm.customers {\n  allow read to analysts when subject.region == "UE"\n}\n' }, (d) => d.code === 'bad-enum-value', /Change to "EU"/);
});

test('create a missing group, next to the other groups', () => {
  const { fix, next } = fixAndRecheck({ 'p.charter': 'policy p on crm.customers {\n  allow read to growth-team\n}\n' }, (d) => d.code === 'unknown-group', /Create group 'growth-team'/);
  assert.equal(fix.edits[0].file, 'main.charter');
  assert.match(next['main.charter'], /group crm-team\ngroup growth-team\n/);
});

test('add a missing owner, a missing retention, or set the retention a rule asks for', () => {
  const { next } = fixAndRecheck({ 'gov.charter': GOV, 'x.charter': 'group labs-team\ndomain labs\ncontract labs.leads {\n  field id: uuid\n}\n' }, (d) => d.code === 'rule:contract-owner' && d.file === 'x.charter', /Add 'owner labs-team'/);
  assert.match(next['x.charter'], /contract labs\.leads \{\n  owner labs-team\n  field id: uuid\n\}/);
  const { next: n2 } = fixAndRecheck({ 'gov.charter': GOV, 'x.charter': 'contract sales.leads {\n  owner sales-data\n  field email: string tagged pii\n}\n' }, (d) => d.code === 'rule:pii-retention' && d.file === 'x.charter', /Add an sla with 'retention 730d'/);
  assert.match(n2['x.charter'], /  sla \{\n    retention 730d\n  \}\n  owner sales-data/);
  const { next: n3 } = fixAndRecheck(
    { 'gov.charter': GOV, 'x.charter': 'contract sales.leads {\n  owner sales-data\n  sla { freshness 1d }\n  field email: string tagged pii\n}\n' },
    (d) => d.code === 'rule:pii-retention' && d.file === 'x.charter',
    /Add 'retention 730d' to the sla/,
  );
  assert.match(n3['x.charter'], /sla \{ retention 730d  freshness 1d \}|sla \{ retention 730d freshness 1d \}/);
  const { next: n4 } = fixAndRecheck(
    { 'gov.charter': GOV, 'x.charter': 'contract sales.leads {\n  owner sales-data\n  sla {\n    retention 1095d\n  }\n  field email: string tagged pii\n}\n' },
    (d) => d.code === 'rule:pii-retention' && d.file === 'x.charter',
    /Set retention to 730d/,
  );
  assert.match(n4['x.charter'], /retention 730d/);
});
