import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, exhaustive, parse, type AttrValue, type Model } from '../../grammar/index';
import type * as A from '../../grammar/ast';
import { BASE, model } from './helpers';

const MESH =
  BASE +
  `
contract sales.orders {
  field order_id: uuid key
  field customer_email: string tagged pii.email from crm.customers.email
  field card_last4: string tagged pci from payments.cards.pan via mask
  field amount: decimal
  field country: string
}
`;

function decision(m: Model, who: string, field: string, ctx: Record<string, AttrValue> = {}) {
  assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], 'model has no errors');
  const d = decide(m, m.principals.get(who)!, new Map(Object.entries(ctx)), m.fields.get(field)!);
  return d;
}
const kind = (m: Model, who: string, field: string, ctx: Record<string, AttrValue> = {}) => {
  const d = decision(m, who, field, ctx);
  return d.decision === 'masked' ? `masked:${d.mask}` : d.decision;
};
const withPolicy = (policy: string) => model(MESH + policy);

test('default deny: no implicit owner access', () => {
  const m = withPolicy('');
  assert.equal(kind(m, 'etl-bot', 'sales.orders.amount'), 'denied');
  assert.equal(decision(m, 'etl-bot', 'sales.orders.amount').summary, 'no allow rule matches (default deny)');
});

test('allow grants, deny overrides allow', () => {
  const m = withPolicy('policy p on sales.orders {\n  allow read to analysts\n  deny read of card_last4 to everyone except payments-team\n}');
  assert.equal(kind(m, 'alice', 'sales.orders.amount'), 'clear');
  assert.equal(kind(m, 'alice', 'sales.orders.card_last4'), 'denied');
  const d = decision(m, 'alice', 'sales.orders.card_last4');
  assert.deepEqual(d.reasons.map((r) => r.text), ['deny read of card_last4 to everyone except payments-team']);
  assert.equal(kind(m, 'pat', 'sales.orders.card_last4'), 'denied', 'pat is excepted from the deny but never allowed');
});

test('owner is the owning group of the field\'s contract (declared or inherited from the domain)', () => {
  const m = withPolicy('policy p on sales.* { allow read to owner }\npolicy q on fields tagged pii { allow read to owner }');
  assert.equal(kind(m, 'etl-bot', 'sales.orders.amount'), 'clear', 'sales-data owns the sales domain');
  assert.equal(kind(m, 'alice', 'sales.orders.amount'), 'denied');
  assert.equal(kind(m, 'etl-bot', 'crm.customers.email'), 'denied', 'crm.customers is owned by crm-team');
});

test('the strongest mask wins: null > redact > hash > partial', () => {
  const m = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  mask customer_email with partial for everyone\n  mask customer_email with hash for analysts\n  mask customer_email with redact for principal alice\n}');
  assert.equal(kind(m, 'alice', 'sales.orders.customer_email'), 'masked:redact');
  assert.equal(kind(m, 'bob', 'sales.orders.customer_email'), 'masked:hash');
  assert.equal(kind(m, 'pat', 'sales.orders.customer_email'), 'masked:partial');
  assert.equal(kind(m, 'pat', 'sales.orders.amount'), 'clear', 'a rule naming fields applies to those fields only');
  const d = decision(m, 'alice', 'sales.orders.customer_email');
  assert.equal(d.reasons[0].text, 'mask customer_email with redact for principal alice');
  const m2 = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  mask with hash for everyone\n  mask with null for analysts\n}');
  assert.equal(kind(m2, 'alice', 'sales.orders.amount'), 'masked:null');
});

test('except subtracts groups and principals', () => {
  const m = withPolicy('policy p on sales.orders { allow read to everyone except analysts, principal pat }');
  assert.equal(kind(m, 'alice', 'sales.orders.amount'), 'denied');
  assert.equal(kind(m, 'pat', 'sales.orders.amount'), 'denied');
  assert.equal(kind(m, 'olga', 'sales.orders.amount'), 'clear');
});

test('tag targets match effective tags, children included', () => {
  const m = withPolicy('policy all on sales.orders { allow read to everyone }\npolicy p on fields tagged pii { mask with redact for everyone except privacy-office }');
  assert.equal(kind(m, 'alice', 'sales.orders.customer_email'), 'masked:redact', 'pii.email is a kind of pii (inherited)');
  assert.equal(kind(m, 'olga', 'sales.orders.customer_email'), 'clear');
  assert.equal(kind(m, 'alice', 'sales.orders.amount'), 'clear');
  const m2 = withPolicy('policy all on sales.orders { allow read to everyone }\npolicy p on fields tagged pii.email { deny read to everyone }');
  assert.equal(kind(m2, 'alice', 'sales.orders.customer_email'), 'denied');
  const m3 = withPolicy('policy all on sales.orders { allow read to everyone }\npolicy p on fields tagged pci { deny read to everyone }');
  assert.equal(kind(m3, 'alice', 'sales.orders.card_last4'), 'denied', 'a protected tag still matches a tag target');
});

test('wildcard and domain targets', () => {
  const w = withPolicy('policy p on sales.* { allow read to analysts }');
  assert.equal(kind(w, 'alice', 'sales.orders.amount'), 'clear');
  assert.equal(kind(w, 'alice', 'crm.customers.segment'), 'denied');
  const d = withPolicy('policy p on domain crm { allow read to analysts }');
  assert.equal(kind(d, 'alice', 'crm.customers.segment'), 'clear');
  assert.equal(kind(d, 'alice', 'sales.orders.amount'), 'denied');
});

test('conditions on subject and context attributes', () => {
  const m = withPolicy('policy p on sales.orders { allow read to analysts when subject.clearance >= 2 and context.mfa }');
  assert.equal(kind(m, 'alice', 'sales.orders.amount', { mfa: true }), 'clear');
  assert.equal(kind(m, 'alice', 'sales.orders.amount', { mfa: false }), 'denied');
  assert.equal(kind(m, 'bob', 'sales.orders.amount', { mfa: true }), 'denied', 'clearance 1');
  const inList = withPolicy('policy p on sales.orders { allow read to everyone when subject.region in ["EU", "APAC"] or context.device == "managed" }');
  assert.equal(kind(inList, 'alice', 'sales.orders.amount'), 'clear');
  assert.equal(kind(inList, 'bob', 'sales.orders.amount', { device: 'managed' }), 'clear');
  assert.equal(kind(inList, 'bob', 'sales.orders.amount', { device: 'byod' }), 'denied');
  const res = withPolicy('policy p on fields tagged pii { allow read to everyone when resource.domain == "sales" and "pii.email" in resource.tags }');
  assert.equal(kind(res, 'bob', 'sales.orders.customer_email'), 'clear');
  assert.equal(kind(res, 'bob', 'crm.customers.email'), 'denied');
});

test('fail closed: a missing attribute makes an allow not match and a deny or mask match', () => {
  const allow = withPolicy('policy p on sales.orders { allow read to everyone when context.mfa }');
  assert.equal(kind(allow, 'alice', 'sales.orders.amount'), 'denied', 'context.mfa unset: error, allow does not match');
  const deny = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  deny read to everyone when not context.mfa\n}');
  assert.equal(kind(deny, 'alice', 'sales.orders.amount'), 'denied', 'error: the deny matches');
  assert.equal(decision(deny, 'alice', 'sales.orders.amount').reasons[0].failedClosed, true);
  assert.equal(kind(deny, 'alice', 'sales.orders.amount', { mfa: true }), 'clear');
  const mask = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  mask with hash for everyone when subject.clearance < 3\n}');
  assert.equal(kind(mask, 'pat', 'sales.orders.amount'), 'masked:hash', 'pat has no clearance: the mask matches');
  assert.equal(kind(mask, 'alice', 'sales.orders.amount'), 'masked:hash');
});

test('CEL three-valued logic: false and error is false, true or error is true, has() never errors', () => {
  const andFalse = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  deny read to everyone when context.mfa and subject.clearance > 5\n}');
  assert.equal(kind(andFalse, 'pat', 'sales.orders.amount', { mfa: false }), 'clear', 'false and error = false: the deny does not match');
  assert.equal(kind(andFalse, 'pat', 'sales.orders.amount', { mfa: true }), 'denied', 'true and error = error: the deny matches');
  const orTrue = withPolicy('policy p on sales.orders { allow read to everyone when context.mfa or subject.clearance > 5 }');
  assert.equal(kind(orTrue, 'pat', 'sales.orders.amount', { mfa: true }), 'clear', 'true or error = true');
  assert.equal(kind(orTrue, 'pat', 'sales.orders.amount', { mfa: false }), 'denied', 'false or error = error');
  const has = withPolicy('policy p on sales.orders { allow read to everyone when not has(subject.clearance) or subject.clearance > 1 }');
  assert.equal(kind(has, 'pat', 'sales.orders.amount'), 'clear');
  assert.equal(kind(has, 'bob', 'sales.orders.amount'), 'denied');
  const notErr = withPolicy('policy p on sales.orders { allow read to everyone when not context.mfa }');
  assert.equal(kind(notErr, 'pat', 'sales.orders.amount'), 'denied', 'not error = error');
});

test('row filters: substituted, joined with and, failing closed', () => {
  const m = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  rows where country == subject.region for analysts\n  rows where amount < 1000 for everyone\n}');
  assert.equal(decision(m, 'alice', 'sales.orders.amount').rows, 'country == "EU" and amount < 1000');
  assert.equal(decision(m, 'pat', 'sales.orders.amount').rows, 'amount < 1000');
  const failing = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  rows where country == subject.region for everyone\n}');
  assert.equal(decision(failing, 'pat', 'sales.orders.amount').rows, 'false', 'pat has no region: no rows');
  const none = withPolicy('policy p on sales.orders { allow read to everyone }');
  assert.equal(decision(none, 'pat', 'sales.orders.amount').rows, undefined, 'no filter: all rows');
});

test('write and discover rules do not decide reads', () => {
  const m = withPolicy('policy p on sales.orders {\n  allow write to everyone\n  deny discover to everyone\n  allow read to analysts\n}');
  assert.equal(kind(m, 'pat', 'sales.orders.amount'), 'denied');
  assert.equal(kind(m, 'alice', 'sales.orders.amount'), 'clear');
});

function audience(text: string): A.Audience {
  const p = parse(`policy x on a.b { allow read to ${text} }`).declarations[0] as A.PolicyDecl;
  return p.rules[0].audience;
}

test('exhaustive: the first counterexample over principals and finite contexts', () => {
  const m = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  mask customer_email with hash for everyone except owner, privacy-office when context.device == "managed"\n}');
  const field = m.fields.get('sales.orders.customer_email')!;
  const r = exhaustive(m, { field, audience: audience('everyone except owner, privacy-office'), violates: (d) => d.decision === 'clear' });
  assert.equal(r.kind, 'counterexample');
  if (r.kind !== 'counterexample') return;
  assert.equal(r.principal.name, 'alice');
  assert.deepEqual(Object.fromEntries(r.context), { device: 'byod' });
  assert.equal(r.decision.decision, 'clear');
});

test('exhaustive: verified when no principal in any context breaks the rule', () => {
  const m = withPolicy('policy p on sales.orders {\n  allow read to everyone\n  mask customer_email with hash for everyone except owner when context.mfa or context.device == "byod"\n  mask customer_email with null for everyone except owner when not context.mfa\n}');
  const r = exhaustive(m, { field: m.fields.get('sales.orders.customer_email')!, audience: audience('everyone except owner'), violates: (d) => d.decision === 'clear' });
  assert.equal(r.kind, 'verified');
  if (r.kind === 'verified') assert.equal(r.contexts, 4, 'mfa × device');
});

test('exhaustive: unverifiable when a rule reads a context attribute with no finite domain', () => {
  const m = model(MESH.replace('device: "managed" | "byod"', 'device: "managed" | "byod"\n  ip: string') + 'policy p on sales.orders {\n  allow read to everyone\n  mask with hash for everyone when context.ip != "10.0.0.1"\n}');
  const r = exhaustive(m, { field: m.fields.get('sales.orders.amount')!, audience: audience('everyone'), violates: (d) => d.decision === 'clear' });
  assert.deepEqual(r, { kind: 'unverifiable', attributes: ['ip'] });
});
