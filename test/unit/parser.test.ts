import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../grammar/index';
import type * as A from '../../grammar/ast';

function decl<K extends A.Declaration['kind']>(text: string, kind: K): Extract<A.Declaration, { kind: K }> {
  const r = parse(text);
  assert.deepEqual(r.errors.map((e) => e.message), [], 'no syntax errors');
  const d = r.declarations.find((x) => x.kind === kind);
  assert.ok(d, `a ${kind} declaration`);
  return d as Extract<A.Declaration, { kind: K }>;
}

test('group with and without description, and doc comments', () => {
  const r = parse('## Business analysts\n## across regions.\ngroup analysts\ngroup privacy-office "Data protection officers"\n');
  assert.equal(r.errors.length, 0);
  const [a, b] = r.declarations as A.GroupDecl[];
  assert.equal(a.name.text, 'analysts');
  assert.equal(a.doc, 'Business analysts\nacross regions.');
  assert.equal(b.name.text, 'privacy-office');
  assert.equal(b.description?.value, 'Data protection officers');
  assert.equal(b.doc, undefined);
});

test('a doc comment separated by a blank line does not attach', () => {
  const r = parse('## orphan\n\ngroup analysts\n');
  assert.equal((r.declarations[0] as A.GroupDecl).doc, undefined);
});

test('attribute schemas: enum, number, string, bool', () => {
  const d = decl('subject attributes {\n region: "EU" | "US" | "APAC"\n clearance: number\n department: string\n}\n', 'attributes');
  assert.equal(d.scope, 'subject');
  assert.deepEqual(d.attributes.map((a) => [a.name.text, a.type.kind]), [['region', 'enum'], ['clearance', 'number'], ['department', 'string']]);
  const e = d.attributes[0].type as Extract<A.AttrType, { kind: 'enum' }>;
  assert.deepEqual(e.values.map((v) => v.value), ['EU', 'US', 'APAC']);
  assert.equal(decl('context attributes { mfa: bool }', 'attributes').scope, 'context');
});

test('principals: member of several groups, attributes, service', () => {
  const p = decl('principal alice {\n member of analysts, privacy-office\n region "EU"\n clearance 2\n}', 'principal');
  assert.deepEqual(p.memberOf.map((g) => g.text), ['analysts', 'privacy-office']);
  assert.deepEqual(p.attributes.map((a) => [a.name.text, a.value.kind]), [['region', 'string'], ['clearance', 'number']]);
  assert.equal(p.service, false);
  assert.equal(decl('principal etl-bot service {\n member of sales-data\n}', 'principal').service, true);
  assert.equal(decl('principal nobody', 'principal').memberOf.length, 0);
});

test('classifications with dotted children and properties', () => {
  const c = decl('classification pii.email "Email addresses" { level 3 }', 'classification');
  assert.equal(c.name.text, 'pii.email');
  assert.equal(c.description?.value, 'Email addresses');
  assert.deepEqual(c.properties.map((p) => [p.key.text, (p.value as A.Literal).kind]), [['level', 'number']]);
});

test('contracts: every field form, sla, source, properties', () => {
  const c = decl(
    `contract sales.orders {
  version 2.1.0
  owner sales-data
  status active
  source postgres "warehouse.sales.orders"
  sla {
    freshness 1h
    availability 99.9%
    retention 400d
    encryption required
    escalation "pagerduty://sales-data"
  }
  field order_id: uuid key
  field customer_email: string tagged pii.email, pii from crm.customers.email
  field email_hash: string from crm.customers.email, crm.customers.id via hash
  field amount: decimal required unique "Gross amount in EUR"
  field items: list<string>
  field nested: list<list<int>>
}`,
    'contract',
  );
  assert.equal(c.name.text, 'sales.orders');
  assert.deepEqual(c.properties.map((p) => p.key.text), ['version', 'owner', 'status']);
  assert.equal(c.source?.system.text, 'postgres');
  assert.deepEqual(c.sla?.entries.map((e) => [e.key.text, 'kind' in e.value! ? e.value.kind : 'name']), [
    ['freshness', 'duration'],
    ['availability', 'percent'],
    ['retention', 'duration'],
    ['encryption', 'name'],
    ['escalation', 'string'],
  ]);
  const [id, email, hash, amount, items, nested] = c.fields;
  assert.equal(id.key, true);
  assert.equal(id.type?.name.text, 'uuid');
  assert.deepEqual(email.tags.map((t) => t.text), ['pii.email', 'pii']);
  assert.deepEqual(email.from.map((t) => t.text), ['crm.customers.email']);
  assert.equal(email.via, undefined);
  assert.deepEqual(hash.from.map((t) => t.text), ['crm.customers.email', 'crm.customers.id']);
  assert.equal(hash.via?.text, 'hash');
  assert.deepEqual([amount.required, amount.unique, amount.description?.value], [true, true, 'Gross amount in EUR']);
  assert.equal(items.type?.element?.name.text, 'string');
  assert.equal(nested.type?.element?.element?.name.text, 'int');
});

test('literals: durations in seconds, percentages, dates, versions, booleans, lists', () => {
  const p = decl('principal x { a 15m b 52w c 99.5% d 2027-03-31 e 2.1.0 f true g ["EU", "US"] h 0.5 }', 'principal');
  const v = Object.fromEntries(p.attributes.map((a) => [a.name.text, a.value]));
  assert.equal((v.a as { value: number }).value, 900);
  assert.equal((v.b as { value: number }).value, 52 * 7 * 86400);
  assert.equal((v.c as { value: number }).value, 99.5);
  assert.equal((v.d as { value: string }).value, '2027-03-31');
  assert.equal((v.e as { value: string }).value, '2.1.0');
  assert.equal((v.f as { value: boolean }).value, true);
  assert.deepEqual((v.g as { items: { value: string }[] }).items.map((i) => i.value), ['EU', 'US']);
  assert.equal((v.h as { value: number }).value, 0.5);
});

test('strings keep escaped quotes', () => {
  const g = decl('group g "say \\"hi\\""', 'group');
  assert.equal(g.description?.value, 'say "hi"');
});

test('policies: every target form', () => {
  assert.equal(decl('policy p on sales.orders { }', 'policy').target.kind, 'contract');
  const w = decl('policy p on sales.* { }', 'policy').target as Extract<A.PolicyTarget, { kind: 'wildcard' }>;
  assert.deepEqual([w.kind, w.prefix.text], ['wildcard', 'sales']);
  const d = decl('policy p on domain sales { }', 'policy').target as Extract<A.PolicyTarget, { kind: 'domain' }>;
  assert.deepEqual([d.kind, d.name.text], ['domain', 'sales']);
  const t = decl('policy p on fields tagged pii, pci { }', 'policy').target as Extract<A.PolicyTarget, { kind: 'tagged' }>;
  assert.deepEqual(t.tags.map((x) => x.text), ['pii', 'pci']);
});

test('policies: every rule form and audience', () => {
  const p = decl(
    `policy orders-for-analysts on sales.orders {
  allow read to analysts when subject.clearance >= 2 and context.mfa
  allow read to owner
  mask customer_email with hash for analysts
  mask with redact for everyone except owner, privacy-office
  deny read of card_last4, amount to everyone except payments-team, principal alice
  rows where country == subject.region for analysts
  allow write to principal etl-bot
}`,
    'policy',
  );
  const kinds = p.rules.map((r) => r.kind);
  assert.deepEqual(kinds, ['allow', 'allow', 'mask', 'mask', 'deny', 'rows', 'allow']);
  const [a0, a1, m0, m1, d0, r0, a2] = p.rules as any[];
  assert.equal(a0.condition.kind, 'binary');
  assert.equal(a0.condition.op, 'and');
  assert.equal(a1.audience.include[0].kind, 'owner');
  assert.deepEqual(m0.fields.map((f: A.Name) => f.text), ['customer_email']);
  assert.equal(m0.method.text, 'hash');
  assert.deepEqual(m1.fields, []);
  assert.deepEqual(m1.audience.except.map((x: A.AudienceItem) => x.kind), ['owner', 'group']);
  assert.deepEqual(d0.fields.map((f: A.Name) => f.text), ['card_last4', 'amount']);
  assert.deepEqual(d0.audience.except.map((x: any) => x.name?.text), ['payments-team', 'alice']);
  assert.equal(d0.audience.except[1].kind, 'principal');
  assert.equal(r0.filter.op, '==');
  assert.equal(r0.filter.left.kind, 'ref');
  assert.equal(a2.action.text, 'write');
  assert.equal(a2.audience.include[0].kind, 'principal');
});

test('conditions: precedence, not, in, has, parentheses, resource', () => {
  const p = decl('policy p on a.b {\n allow read to everyone when not context.mfa or subject.region in ["EU", "US"] and has(subject.clearance)\n allow read to everyone when (context.mfa or context.x) and resource.domain == "sales"\n}', 'policy');
  const c0 = (p.rules[0] as A.AccessRule).condition as any;
  assert.equal(c0.op, 'or');
  assert.equal(c0.left.kind, 'not');
  assert.equal(c0.right.op, 'and');
  assert.equal(c0.right.left.op, 'in');
  assert.equal(c0.right.left.right.kind, 'list');
  assert.equal(c0.right.right.kind, 'has');
  const c1 = (p.rules[1] as A.AccessRule).condition as any;
  assert.equal(c1.op, 'and');
  assert.equal(c1.left.op, 'or');
});

test('governance: every rule form', () => {
  const g = decl(
    `governance acme {
  ## Every data product names its owning team.
  rule contract-owner error { every contract must have owner }
  rule pii-retention error "at most two years" { every contract with fields tagged pii must have sla.retention <= 730d }
  rule pii-masked { every field tagged pii must be masked for everyone except owner, privacy-office }
  rule pci { no field tagged pci may be readable by everyone except owner, payments-team }
  rule flow warning { no field tagged pii unprotected may flow into domain marketing }
  rule flow2 info { no field tagged pii may flow into contract marketing.leads }
  rule names info { every field must match /^[a-z][a-z0-9_]*$/ }
}`,
    'governance',
  );
  const forms = g.rules.map((r) => [r.name.text, r.severity, r.body?.form]);
  assert.deepEqual(forms, [
    ['contract-owner', 'error', 'must-have'],
    ['pii-retention', 'error', 'must-have'],
    ['pii-masked', 'error', 'must-be-masked'],
    ['pci', 'error', 'not-readable'],
    ['flow', 'warning', 'not-flow'],
    ['flow2', 'info', 'not-flow'],
    ['names', 'info', 'must-match'],
  ]);
  assert.equal(g.rules[0].doc, 'Every data product names its owning team.');
  assert.equal(g.rules[1].message?.value, 'at most two years');
  const ret = g.rules[1].body as Extract<A.RuleBody, { form: 'must-have' }>;
  assert.deepEqual([ret.path.text, ret.op, (ret.value as any).value], ['sla.retention', '<=', 730 * 86400]);
  assert.deepEqual(ret.selector.withFieldsTagged.map((t) => t.text), ['pii']);
  const flow = g.rules[4].body as Extract<A.RuleBody, { form: 'not-flow' }>;
  assert.equal(flow.selector.unprotected, true);
  assert.deepEqual([flow.target.kind, flow.target.name.text], ['domain', 'marketing']);
  assert.equal((g.rules[6].body as any).regex.value, '^[a-z][a-z0-9_]*$');
});

test('waivers', () => {
  const w = decl('waiver crm-sync for rule pii-masked on sales.orders.customer_email {\n reason "Legacy"\n expires 2027-03-31\n approved-by privacy-office\n}', 'waiver');
  assert.deepEqual([w.rule?.text, w.target?.text, w.reason?.value, w.expires?.kind, w.approvedBy?.text], ['pii-masked', 'sales.orders.customer_email', 'Legacy', 'date', 'privacy-office']);
});

test('tests: given context and every expectation form', () => {
  const t = decl(
    `test t {
  given context { mfa true  device "managed" }
  expect alice can read sales.orders.amount
  expect alice sees sales.orders.customer_email masked with redact
  expect bob sees sales.orders.customer_email masked
  expect alice cannot read sales.orders.card_last4
  expect etl-bot sees sales.orders.customer_email in clear
}`,
    'test',
  );
  const [g, ...ex] = t.steps;
  assert.equal(g.kind, 'given');
  assert.deepEqual((g as A.GivenContext).entries.map((e) => e.name.text), ['mfa', 'device']);
  assert.deepEqual(ex.map((e) => [(e as A.Expectation).what, (e as A.Expectation).method?.text]), [
    ['can-read', undefined],
    ['sees-masked', 'redact'],
    ['sees-masked', undefined],
    ['cannot-read', undefined],
    ['sees-clear', undefined],
  ]);
});

test('keywords are soft: they can be names', () => {
  const r = parse('group owner-team\ngroup readers\ncontract sales.status {\n field status: string\n field domain: string\n field key: int key\n}\n');
  assert.deepEqual(r.errors, []);
  const c = r.declarations[2] as A.ContractDecl;
  assert.deepEqual(c.fields.map((f) => f.name.text), ['status', 'domain', 'key']);
});

test('every node keeps its source range', () => {
  const text = 'contract sales.orders {\n  field amount: decimal\n}\n';
  const c = parse(text).declarations[0] as A.ContractDecl;
  assert.equal(text.slice(c.range.start, c.range.end), text.trim());
  assert.equal(text.slice(c.name.range.start, c.name.range.end), 'sales.orders');
  assert.equal(text.slice(c.fields[0].range.start, c.fields[0].range.end), 'field amount: decimal');
  assert.equal(text.slice(c.name.parts[1].range.start, c.name.parts[1].range.end), 'orders');
});
