// charter export odcs: every document validates against the official ODCS
// v3.1.0 schema, and `import odcs` of the export gives back the same
// contracts (compared as models, on the examples and on generated meshes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, buildModel, type Model } from '../../../grammar/index';
import { exportOdcs } from '../../../grammar/interop/odcs-export';
import { importOdcs } from '../../../grammar/interop/odcs-import';
import { parseYaml, toYaml } from '../../../grammar/interop/yaml';
import { generateMesh } from '../../../scripts/bench/gen-mesh';
import { errorsIn, errorsOf, exampleFiles, odcsValidator, snapshot } from './harness';

const validate = odcsValidator();

function roundTrip(m: Model) {
  const exported = exportOdcs(m);
  for (const f of exported) {
    const parsed = parseYaml(f.text);
    assert.deepEqual(parsed.errors, [], f.name);
    assert.equal(parsed.docs.length, 1);
    assert.ok(validate(parsed.docs[0].value), `${f.name} is not valid ODCS v3.1.0: ${errorsOf(validate)}`);
  }
  const r = importOdcs(exported.map((f) => ({ file: f.name, docs: parseYaml(f.text).docs })));
  return { exported, r, back: buildModel(r.files.map((f) => ({ uri: f.path, text: f.text })), { today: '2026-12-01' }) };
}

test('the examples export to valid ODCS v3.1.0 and come back as the same contracts', () => {
  const files = exampleFiles();
  assert.deepEqual(errorsIn(files), []);
  const m = analyze(files, { today: '2026-12-01' }).model;
  const { exported, r, back } = roundTrip(m);
  assert.equal(exported.length, m.contracts.size);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(back.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.deepEqual(snapshot(back), snapshot(m));
  // Only the policies are left out (they stay in the exporting workspace), and that is said.
  assert.ok(r.notImported.every((n) => /policies are not imported|declared already/.test(n.message)), JSON.stringify(r.notImported.filter((n) => !/policies are not imported|declared already/.test(n.message))));
});

for (const [contracts, seed] of [
  [40, 1],
  [120, 7],
] as const) {
  test(`a generated mesh of ${contracts} contracts (seed ${seed}) survives export and import`, () => {
    const mesh = generateMesh({ contracts, seed });
    const files = mesh.files.filter((f) => f.path.endsWith('.charter')).map((f) => ({ uri: f.path, text: f.text, central: f.path.startsWith('governance/') }));
    const m = analyze(files, { today: '2026-12-01' }).model;
    assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const { r, back } = roundTrip(m);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(back.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    assert.deepEqual(snapshot(back), snapshot(m));
  });
}

test('effective tags say where they came from; lineage, SLA, owner and policies are in the document', () => {
  const m = analyze(exampleFiles(), { today: '2026-12-01' }).model;
  const orders = exportOdcs(m, { fileName: (u) => u }).find((f) => f.contract === 'sales.orders')!;
  const doc = orders.doc as any;
  assert.equal(doc.apiVersion, 'v3.1.0');
  assert.equal(doc.domain, 'sales');
  assert.equal(doc.version, '2.1.0');
  assert.deepEqual(doc.team, { name: 'sales-data', description: 'Owns the sales domain' });
  const props = new Map<string, any>(doc.schema[0].properties.map((p: any) => [p.name, p]));
  const hash = props.get('email_hash');
  assert.deepEqual(hash.transformSourceObjects, ['crm.customers.email']);
  assert.equal(hash.transformLogic, 'hash(crm.customers.email)');
  assert.deepEqual(hash.tags, ['pii.email']);
  const origin = hash.customProperties.find((c: any) => c.property === 'charterTags').value;
  assert.deepEqual(origin, [{ tag: 'pii.email', declared: false, protected: true, from: ['crm.customers.email'] }]);
  assert.equal(props.get('order_id').primaryKey, true);
  assert.deepEqual(props.get('order_id').logicalTypeOptions, { format: 'uuid' });
  assert.deepEqual(props.get('coupon_codes').items, { logicalType: 'string' });
  assert.deepEqual(doc.slaProperties.find((s: any) => s.property === 'retention'), { property: 'retention', value: 400, unit: 'd' });
  const policies = doc.customProperties.find((c: any) => c.property === 'charterPolicies').value.map((p: any) => p.policy);
  assert.ok(policies.includes('orders-for-analysts') && policies.includes('pii-baseline') && policies.includes('sales-downstream'), policies.join());
  assert.ok(!policies.includes('tickets-access'));
});

test('a contract without version, status or owner still gives a valid document, and the placeholders do not come back', () => {
  const m = buildModel([{ uri: 'a.charter', text: 'domain d\ncontract d.thing {\n  field x: int\n}\n' }]);
  const { r, back, exported } = roundTrip(m);
  assert.equal((exported[0].doc as any).version, '0.0.0');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(snapshot(back), snapshot(m));
});

test('a tag added by hand to an exported document is imported as declared; the inherited ones stay inherited', () => {
  const m = analyze(exampleFiles(), { today: '2026-12-01' }).model;
  const files = exportOdcs(m);
  const orders = files.find((f) => f.contract === 'sales.orders')!;
  const doc = structuredClone(orders.doc) as any;
  const amount = doc.schema[0].properties.find((p: any) => p.name === 'amount');
  amount.tags = ['confidential.revenue'];
  const edited = files.map((f) => (f === orders ? { ...f, text: toYaml(doc) } : f));
  const r = importOdcs(edited.map((f) => ({ file: f.name, docs: parseYaml(f.text).docs })));
  const back = buildModel(r.files.map((f) => ({ uri: f.path, text: f.text })), { today: '2026-12-01' });
  assert.deepEqual(back.fields.get('sales.orders.amount')!.declaredTags, ['confidential.revenue']);
  assert.deepEqual(back.fields.get('sales.orders.email_hash')!.declaredTags, []);
  assert.equal(back.fields.get('sales.orders.email_hash')!.tags.get('pii.email')?.protected, true);
});
