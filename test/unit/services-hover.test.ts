// Hover: doc comments, types, effective tags and where they came from,
// owners; policy rules and governance rules in plain English; a field's
// access summary and who-can-see rows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../grammar/index';
import { accessSummaryLine, contextFrom, simulate, whoCanSee } from '../../grammar/services/access';
import { hoverAt } from '../../grammar/services/hover';
import { conditionEnglish, govRuleEnglish, ruleEnglish } from '../../grammar/services/rule-english';
import { analysis, BASE } from './helpers';

const SALES = `contract sales.orders {
  ## The customer's email, copied from the CRM.
  field customer_email: string tagged pii.email from crm.customers.email
  field email_hash: string from crm.customers.email via hash
  field amount: decimal "Gross amount in EUR"
}
policy orders-for-analysts on sales.orders {
  allow read to analysts when subject.clearance >= 2 and context.mfa
  mask customer_email with hash for analysts
  deny read of amount to everyone except owner, principal alice when not context.mfa
  rows where amount > 10 and subject.region in ["EU", "US"] for analysts
}
policy owners on sales.orders {
  allow read to owner
}
`;
const a = analysis(BASE, { 'sales.charter': SALES });
const m = a.model;
const off = (needle: string, delta = 0) => SALES.indexOf(needle) + delta;
const hover = (needle: string, delta = 0, context = new Map<string, string | number | boolean>()) => hoverAt(m, 'sales.charter', off(needle, delta), { context })?.markdown ?? '';

test('a field: signature, doc comment, tags with origins, owner, access', () => {
  const h = hover('field customer_email', 8, new Map([['mfa', true]]));
  assert.match(h, /```charter\nfield sales\.orders\.customer_email: string\n```/);
  assert.match(h, /The customer's email, copied from the CRM\./);
  assert.match(h, /- `pii\.email` — declared \(also inherited from crm\.customers\.email\)\n/);
  assert.match(h, /\*\*Owner:\*\* `sales-data` \(inherited from domain `sales`\)/);
  assert.match(h, /\*\*Access\*\* \(mfa=true\): 1 clear · 1 masked · 3 denied — clear: etl-bot; masked: alice \(hash\); denied: bob, olga, pat/);
  const hash = hover('field email_hash', 8);
  assert.match(hash, /- `pii\.email` — inherited from crm\.customers\.email \(protected by a hash\/tokenize\/encrypt\/mask transform\)/);
  assert.match(hover('field amount', 8), /\*Gross amount in EUR\*/);
});

test('policy rules in plain English, with fail-closed notes', () => {
  assert.equal(
    hover('allow read to analysts', 1).split('\n\n')[1],
    "Allows members of analysts to read every field of sales.orders, when their clearance is at least 2 and the request's mfa is true. If the condition cannot be evaluated (a missing attribute), it does not allow (fails closed).",
  );
  assert.match(hover('mask customer_email', 1), /Masks customer_email of sales\.orders with hash \(replaces the value with a stable hash \(joins still work\)\) for members of analysts, if they may read it at all; the strongest matching mask wins\./);
  assert.match(hover('deny read of amount', 1), /Denies everyone except the owning team \(sales-data\) and alice read access to amount of sales\.orders, when the request's mfa is false; a deny overrides every allow\. If the condition cannot be evaluated \(a missing attribute\), it denies \(fails closed\)\./);
  assert.match(hover('rows where', 1), /Limits members of analysts to the rows of sales\.orders where the row's amount is more than 10 and their region is one of "EU", "US"\./);
});

test('conditions and governance rules in words', () => {
  const cond = (s: string) => {
    const ast = parse(`policy p on a.b {\n  allow read to x when ${s}\n}`);
    const d = ast.declarations[0] as import('../../grammar/ast').PolicyDecl;
    return conditionEnglish(d.rules[0].condition!);
  };
  assert.equal(cond('has(subject.region) and not has(context.ticket)'), 'they have a region attribute and the request sets no ticket');
  assert.equal(cond('(context.mfa or context.device == "managed") and resource.domain != "hr"'), `(the request's mfa is true or the request's device is "managed") and the data's domain is not "hr"`);
  const gov = parse(`governance g {\n  rule r error {\n    every contract with fields tagged pii must have sla.retention <= 730d\n  }\n  rule s warning {\n    no field tagged pci may be readable by everyone except owner, payments-team\n  }\n}`);
  const rules = (gov.declarations[0] as import('../../grammar/ast').GovernanceDecl).rules;
  assert.equal(govRuleEnglish(rules[0]), 'Every contract with fields tagged pii must have sla.retention is at most 730d.');
  assert.match(govRuleEnglish(rules[1]), /^No field tagged pci may be readable \(clear or masked\) by everyone except the owning team and members of payments-team/);
  const p = parse('policy p on fields tagged pii {\n  mask with redact for everyone except owner, privacy-office\n}').declarations[0] as import('../../grammar/ast').PolicyDecl;
  assert.match(ruleEnglish(p.rules[0], p.target), /^Masks fields tagged pii \(or a child classification\) with redact/);
});

test('groups, principals, attributes and classifications', () => {
  const g = hoverAt(m, 'main.charter', BASE.indexOf('member of analysts') + 11)!.markdown;
  assert.match(g, /group analysts/);
  assert.match(g, /\*\*Members:\*\* `alice`, `bob`/);
  const attr = hoverAt(m, 'sales.charter', off('subject.clearance', 9))!.markdown;
  assert.match(attr, /subject\.clearance: number/);
  assert.match(attr, /Set by 2 of 5 principals; conditions on it fail closed for the others\./);
  const cls = hoverAt(m, 'sales.charter', off('tagged pii.email', 8))!.markdown;
  assert.match(cls, /classification pii\.email/);
  assert.match(cls, /a kind of `pii`/);
  assert.match(cls, /3 fields carry it \(2 declared, 1 inherited through lineage\)/);
});

test('who can see: rows with decisions, masks, row filters and reasons; simulate one principal', () => {
  const f = m.fields.get('sales.orders.customer_email')!;
  const { context, errors } = contextFrom(m, { mfa: 'true', device: 'managed' });
  assert.deepEqual(errors, []);
  const rows = whoCanSee(m, f, context);
  const alice = rows.find((r) => r.principal === 'alice')!;
  assert.equal(alice.decision, 'masked');
  assert.equal(alice.mask, 'hash');
  assert.equal(alice.rows, 'amount > 10');
  assert.deepEqual(alice.reasons.map((r) => r.effect).sort(), ['allow', 'mask', 'rows']);
  assert.equal(rows.find((r) => r.principal === 'bob')!.decision, 'denied');
  assert.equal(accessSummaryLine(m, f, context), '1 clear · 1 masked · 3 denied — clear: etl-bot; masked: alice (hash); denied: bob, olga, pat');
  assert.deepEqual(contextFrom(m, { mfaa: true }).errors, ["unknown context attribute 'mfaa'; did you mean 'mfa'?"]);
  assert.equal(contextFrom(m, { device: 'laptop' }).errors.length, 1);
  const sim = simulate(m, m.principals.get('alice')!, context, new Set(['sales.charter']));
  assert.deepEqual(
    sim.map((s) => `${s.qname} ${s.decision}${s.mask ? ' ' + s.mask : ''}`),
    ['sales.orders.customer_email masked hash', 'sales.orders.email_hash clear', 'sales.orders.amount clear'],
  );
});
