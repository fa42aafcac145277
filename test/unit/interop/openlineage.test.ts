// charter export openlineage: every event validates against the OpenLineage
// spec and each facet against its own schema; lineage, masking and
// aggregates read as the issue says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../grammar/index';
import { openLineageEvents } from '../../../grammar/interop/openlineage';
import { generateMesh } from '../../../scripts/bench/gen-mesh';
import { errorsOf, exampleFiles, openLineageValidators } from './harness';

const { event, facets } = openLineageValidators();
let n = 0;
const opts = { producer: 'https://charter.invalid/cli/test', eventTime: '2026-12-01T12:00:00.000Z', runId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };

function validateAll(events: any[]) {
  for (const e of events) {
    assert.ok(event(e), `${e.job.name}: ${errorsOf(event)}`);
    for (const [k, v] of Object.entries(e.outputs[0].facets)) {
      const check = facets.get(k);
      assert.ok(check, `no schema for facet ${k}`);
      assert.ok(check({ [k]: v }), `${e.job.name} ${k}: ${errorsOf(check)}`);
    }
  }
}

test('the examples: one valid RunEvent per contract, every facet valid', () => {
  const m = analyze(exampleFiles(), { today: '2026-12-01' }).model;
  const events = openLineageEvents(m, opts) as any[];
  assert.equal(events.length, m.contracts.size);
  validateAll(events);
  const orders = events.find((e) => e.job.name === 'sales.orders');
  assert.deepEqual(Object.keys(orders.outputs[0].facets).sort(), ['columnLineage', 'documentation', 'ownership', 'schema', 'tags']);
  assert.deepEqual(orders.inputs.map((i: any) => i.name), ['crm.customers', 'payments.cards']);
  const f = orders.outputs[0].facets;
  assert.deepEqual(f.ownership.owners, [{ name: 'team:sales-data', type: 'OWNER' }]);
  assert.equal(f.documentation.description, 'One row per order placed in the web shop.');
  assert.deepEqual(f.schema.fields[0], { name: 'order_id', type: 'uuid', ordinal_position: 1 });
  const hash = f.columnLineage.fields.email_hash.inputFields[0];
  assert.deepEqual(hash, { namespace: 'charter', name: 'crm.customers', field: 'email', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: 'hash', masking: true }] });
  assert.equal(f.columnLineage.fields.customer_email.inputFields[0].transformations[0].masking, false);
  assert.equal(f.columnLineage.fields.card_last4.inputFields[0].transformations[0].masking, true);
  assert.ok(f.tags.tags.some((t: any) => t.key === 'pii.email' && t.field === 'email_hash' && t.value === 'protected'));
  assert.ok(f.tags.tags.some((t: any) => t.key === 'pii.email' && t.field === 'customer_email' && t.value === 'declared'));
  // An aggregate is INDIRECT and carries no tag.
  const revenue = events.find((e) => e.job.name === 'finance.revenue_daily').outputs[0].facets;
  const agg = Object.values(revenue.columnLineage.fields).flatMap((x: any) => x.inputFields).filter((i: any) => i.transformations[0].description === 'aggregate');
  assert.ok(agg.length > 0);
  for (const i of agg as any[]) assert.deepEqual(i.transformations[0], { type: 'INDIRECT', subtype: 'AGGREGATION', description: 'aggregate', masking: false });
});

test('a generated mesh: every event and facet valid; every `from` is an input field', () => {
  const mesh = generateMesh({ contracts: 80, seed: 3 });
  const m = analyze(mesh.files.filter((f) => f.path.endsWith('.charter')).map((f) => ({ uri: f.path, text: f.text, central: f.path.startsWith('governance/') })), { today: '2026-12-01' }).model;
  const events = openLineageEvents(m, { ...opts, namespace: 'acme' }) as any[];
  validateAll(events);
  let edges = 0;
  for (const e of events) {
    const c = m.contracts.get(e.job.name)!;
    for (const f of c.fields.values()) {
      const got = (e.outputs[0].facets.columnLineage.fields[f.name]?.inputFields ?? []).map((i: any) => `${i.name}.${i.field}`);
      assert.deepEqual(got, f.sources.map((s) => s.qname));
      edges += got.length;
    }
    for (const i of e.inputs) assert.notEqual(i.name, e.job.name);
  }
  assert.ok(edges > 50);
});

test('the schema rejects what it should (the validators are not vacuous)', () => {
  const m = analyze(exampleFiles(), { today: '2026-12-01' }).model;
  const e = openLineageEvents(m, opts)[0] as any;
  assert.equal(event({ ...e, run: { runId: 'not-a-uuid' } }), false);
  const bad = { columnLineage: { ...e.outputs[0].facets.columnLineage, fields: { x: { inputFields: [{ name: 'a' }] } } } };
  assert.equal(facets.get('columnLineage')!(bad), false);
  // The facets' base (from the core spec, by $id) is checked too: _producer is required.
  assert.equal(facets.get('schema')!({ schema: { _schemaURL: 'https://x.invalid/s', fields: [] } }), false);
});
