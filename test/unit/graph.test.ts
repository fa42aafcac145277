import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph, focusGraph, findNode, toDot, toMermaid, analyze } from '../../grammar/index';
import { BASE } from './helpers';

const TEXT =
  BASE +
  `
contract sales.orders {
  field customer_email: string tagged pii.email from crm.customers.email
  field email_hash: string from crm.customers.email via hash
  field total: int from crm.customers.id via aggregate
}
policy p on sales.orders {
  allow read to analysts
  mask customer_email with hash for analysts
  deny read of total to payments-team
}
governance g { rule described warning { every contract must have description } }
`;

function graph(ctx = new Map()) {
  const a = analyze([{ uri: 'm.charter', text: TEXT }], { today: '2026-11-23' });
  return buildGraph(a.model, { context: ctx, diagnostics: a.diagnostics });
}

test('nodes for domains, contracts, fields, groups and principals, with parents', () => {
  const g = graph();
  const f = g.nodes.find((n) => n.id === 'field:sales.orders.customer_email')!;
  assert.equal(f.parent, 'contract:sales.orders');
  assert.equal(g.nodes.find((n) => n.id === 'contract:sales.orders')!.parent, 'domain:sales');
  assert.deepEqual(f.tags, [{ name: 'pii.email', protected: false, declared: true, from: ['crm.customers.email'], level: 3 }]);
  assert.deepEqual(g.nodes.find((n) => n.id === 'field:sales.orders.email_hash')!.tags, [{ name: 'pii.email', protected: true, declared: false, from: ['crm.customers.email'], level: 3 }]);
  assert.ok(g.nodes.some((n) => n.id === 'principal:alice'));
  assert.deepEqual(f.location, { file: 'm.charter', line: 42, column: 9, endLine: 42, endColumn: 23 });
});

test('lineage edges carry the transform and the tags as they arrive', () => {
  const g = graph();
  const hash = g.edges.find((e) => e.id === 'lin:crm.customers.email->sales.orders.email_hash')!;
  assert.deepEqual([hash.kind, hash.transform, hash.tags], ['lineage', 'hash', [{ name: 'pii.email', protected: true }]]);
  assert.deepEqual(g.edges.find((e) => e.target === 'field:sales.orders.total')!.tags, [], 'aggregate passes nothing');
});

test('access edges from the evaluator: masked, clear, and named denials', () => {
  const g = graph();
  const acc = (group: string, field: string) => g.edges.find((e) => e.kind === 'access' && e.source === `group:${group}` && e.target === `field:${field}`);
  assert.deepEqual([acc('analysts', 'sales.orders.customer_email')?.decision, acc('analysts', 'sales.orders.customer_email')?.mask], ['masked', 'hash']);
  assert.equal(acc('analysts', 'sales.orders.email_hash')?.decision, 'clear');
  assert.equal(acc('payments-team', 'sales.orders.total')?.decision, 'denied', 'a group named by a deny');
  assert.equal(acc('crm-team', 'sales.orders.email_hash'), undefined, 'no edge for an unnamed, denied group');
});

test('violations are marked on their nodes', () => {
  const g = graph();
  assert.deepEqual(g.nodes.find((n) => n.id === 'contract:sales.orders')!.violations?.map((v) => v.code), ['rule:described']);
});

test('focus keeps N levels up and down, and the containers', () => {
  const g = graph();
  const id = findNode(g, 'sales.orders.email_hash')!.id;
  const up = focusGraph(g, id, 1, 'up');
  assert.ok(up.nodes.some((n) => n.id === 'field:crm.customers.email'));
  assert.ok(up.nodes.some((n) => n.id === 'contract:crm.customers'), 'the container of a kept field');
  assert.ok(up.nodes.some((n) => n.id === 'group:analysts'), 'access edges point at the field: upstream');
  assert.ok(!up.nodes.some((n) => n.id === 'field:sales.orders.customer_email'));
  const down = focusGraph(g, id, 1, 'down');
  assert.ok(!down.nodes.some((n) => n.id === 'field:crm.customers.email'));
});

test('dot and mermaid renderings name every field', () => {
  const g = graph();
  const dot = toDot(g);
  assert.match(dot, /^digraph charter \{/);
  assert.match(dot, /"field:sales\.orders\.email_hash" \[label="email_hash: string\\n\[pii\.email\*\]"/);
  assert.match(dot, /-> "field:sales\.orders\.email_hash" \[label="hash"\]/);
  const mm = toMermaid(g);
  assert.match(mm, /^flowchart LR\n/);
  assert.match(mm, /"email_hash: string \[pii\.email\*\]"/);
  assert.match(mm, /-\.->\|"masked hash"\|/);
});
