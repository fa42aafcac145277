// The Cedar export (grammar/export/cedar.ts): each semantic rule of a Charter
// decision, checked by running the exported policies in Cedar (cedar-wasm)
// next to Charter's evaluator, plus the shape of what is written and its
// validation against the exported schema.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type AttrValue } from '../../grammar/index';
import { exportCedar, cedarString, type CedarExportOptions } from '../../grammar/export/cedar';
import { loadWorkspace } from '../../host/workspace';
import { BASE, model } from './helpers';
import { cedar, cedarFor, charterAnswer, showAnswer, type Answer } from './cedar-harness';

const ORDERS = `
contract sales.orders {
  field order_id: uuid key
  field customer_email: string tagged pii.email from crm.customers.email
  field email_hash: string from crm.customers.email via hash
  field card_last4: string tagged pci from payments.cards.pan via mask
  field amount: decimal
  field country: string
  field total: decimal from sales.orders.amount via aggregate
}
`;

function setup(text: string, opts: CedarExportOptions = {}) {
  const m = model(BASE + ORDERS + text);
  const errors = m.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => `${d.code}: ${d.message}`),
    [],
    'the test model has errors',
  );
  const ex = exportCedar(m, opts);
  const check = cedarFor(m, ex);
  assert.deepEqual(check.problems, [], 'the export validates against its schema');
  /** Both engines' answer (asserted equal); returns it. */
  const ask = (principal: string, field: string, context: Record<string, AttrValue> = {}): Answer => {
    const ctx = new Map(Object.entries(context));
    const charter = charterAnswer(m, principal, ctx, field);
    const ced = check.answer(principal, ctx, field);
    assert.deepEqual(ced, charter, `${principal} reading ${field} with ${JSON.stringify(context)}: Cedar says ${showAnswer(ced)}, Charter ${showAnswer(charter)}`);
    return ced;
  };
  const decision = (principal: string, field: string, context: Record<string, AttrValue> = {}) => {
    const a = ask(principal, field, context);
    return a.decision === 'deny' ? 'denied' : a.mask ? `masked ${a.mask}` : 'clear';
  };
  return { m, ex, ask, decision };
}

const F = 'sales.orders.amount';

test('deny overrides allow', () => {
  const { decision } = setup(`policy p on sales.orders {
    allow read to everyone
    deny read to principal bob
  }`);
  assert.equal(decision('alice', F), 'clear');
  assert.equal(decision('bob', F), 'denied');
});

test('default deny: no allow, no access; owners get no implicit access', () => {
  const { decision, ask } = setup(`policy p on sales.orders { mask with hash for everyone }`);
  assert.equal(decision('etl-bot', F), 'denied'); // etl-bot is in sales-data, the owner
  assert.deepEqual(ask('etl-bot', F), { decision: 'deny', reasons: [] });
  assert.equal(decision('alice', 'crm.customers.email'), 'denied'); // no policy at all
});

test('audiences: everyone, owner (declared and inherited), groups, principals, except', () => {
  const { decision } = setup(`
  contract crm.leads { owner analysts
    field name: string }
  policy a on sales.orders { allow read to owner, payments-team }
  policy b on crm.leads { allow read to owner except principal bob }
  policy c on crm.customers { allow read to everyone except owner, principal olga }
  policy d on payments.cards { allow read to principal alice, privacy-office }`);
  assert.equal(decision('etl-bot', F), 'clear'); // sales-data owns sales (inherited)
  assert.equal(decision('pat', F), 'clear');
  assert.equal(decision('alice', F), 'denied');
  assert.equal(decision('alice', 'crm.leads.name'), 'clear'); // declared owner: analysts
  assert.equal(decision('bob', 'crm.leads.name'), 'denied');
  assert.equal(decision('alice', 'crm.customers.segment'), 'clear');
  assert.equal(decision('olga', 'crm.customers.segment'), 'denied');
  assert.equal(decision('alice', 'payments.cards.pan'), 'clear');
  assert.equal(decision('olga', 'payments.cards.pan'), 'clear');
  assert.equal(decision('bob', 'payments.cards.pan'), 'denied');
});

test('owner with no owning group matches nobody', () => {
  const { decision, ex } = setup(`domain lab
  contract lab.x { field a: string }
  policy p on lab.x { allow read to owner
    deny read to everyone except owner when resource.owner == "" }`);
  assert.equal(decision('alice', 'lab.x.a'), 'denied');
  const field = ex.entities.find((e) => e.uid.id === 'lab.x.a')!;
  assert.equal(field.attrs.owner, '');
  assert.equal(field.attrs.ownerGroup, undefined);
});

test('rules that name fields apply to those fields only', () => {
  const { decision } = setup(`policy p on sales.orders {
    allow read of amount, country to analysts
    deny read of country to principal bob
    mask amount with partial for everyone
  }`);
  assert.equal(decision('alice', F), 'masked partial');
  assert.equal(decision('alice', 'sales.orders.country'), 'clear');
  assert.equal(decision('bob', 'sales.orders.country'), 'denied');
  assert.equal(decision('alice', 'sales.orders.order_id'), 'denied');
});

test('targets: contract, domain.*, domain NAME', () => {
  const { decision } = setup(`
  policy w on crm.* { allow read to analysts }
  policy d on domain payments { allow read to principal bob }
  policy c on sales.orders { allow read to principal olga }`);
  assert.equal(decision('alice', 'crm.customers.segment'), 'clear');
  assert.equal(decision('alice', F), 'denied');
  assert.equal(decision('bob', 'payments.cards.pan'), 'clear');
  assert.equal(decision('bob', 'crm.customers.segment'), 'clear');
  assert.equal(decision('olga', F), 'clear');
  assert.equal(decision('olga', 'payments.cards.pan'), 'denied');
});

test('fields tagged T: effective tags, children included, protected or not, not through aggregate', () => {
  const { decision, ex } = setup(`
  policy pii on fields tagged pii { allow read to everyone }
  policy email on fields tagged pii.email { deny read to principal bob }
  policy two on fields tagged pci, pii.email { mask with redact for principal alice }`);
  assert.equal(decision('alice', 'crm.customers.id'), 'clear'); // pii
  assert.equal(decision('alice', 'crm.customers.email'), 'masked redact'); // pii.email is a kind of pii
  assert.equal(decision('bob', 'crm.customers.id'), 'clear'); // pii is not a kind of pii.email
  assert.equal(decision('bob', 'crm.customers.email'), 'denied');
  assert.equal(decision('alice', 'sales.orders.customer_email'), 'masked redact'); // through lineage
  assert.equal(decision('bob', 'sales.orders.email_hash'), 'denied'); // protected (hash), still pii.email
  assert.equal(decision('alice', 'sales.orders.total'), 'denied'); // aggregate passes nothing
  const tag = ex.entities.find((e) => e.uid.type === 'Charter::Tag' && e.uid.id === 'pii.email')!;
  assert.deepEqual(tag.parents, [{ type: 'Charter::Tag', id: 'pii' }]);
  const hashed = ex.entities.find((e) => e.uid.id === 'sales.orders.email_hash')!;
  assert.deepEqual(hashed.parents, [
    { type: 'Charter::Contract', id: 'sales.orders' },
    { type: 'Charter::Tag', id: 'pii.email' },
  ]);
});

test('fail closed: an allow whose condition errors does not match, a deny does', () => {
  const { decision, ask, ex } = setup(`policy p on sales.orders {
    allow read to everyone when context.mfa
    deny read to everyone when subject.clearance < 2
  }`);
  assert.equal(decision('alice', F, { mfa: true }), 'clear');
  assert.equal(decision('alice', F), 'denied'); // context.mfa missing: the allow errors
  assert.deepEqual(ask('alice', F), { decision: 'deny', reasons: [] });
  assert.equal(decision('etl-bot', F, { mfa: true }), 'denied'); // no clearance: the deny errors, and matches
  assert.deepEqual(ask('etl-bot', F, { mfa: true }), { decision: 'deny', reasons: ['p.2'] });
  assert.equal(decision('bob', F, { mfa: true }), 'denied');
  const p = ex.policyList.map((x) => x.text.slice(x.text.indexOf('permit') >= 0 ? x.text.indexOf('permit') : x.text.indexOf('forbid')));
  assert.match(p[0], /when \{ context has mfa && context\.mfa \}/);
  assert.match(p[1], /forbid \([\s\S]*\)\nunless \{ principal has clearance && !principal\.clearance\.lessThan\(decimal\("2\.0"\)\) \};$/);
});

test('three-valued and/or/not: false and error is false, true or error is true, not error is error', () => {
  const { decision } = setup(`
  policy a on sales.orders { allow read to everyone }
  policy and on sales.orders { deny read of amount to everyone when context.mfa and subject.clearance > 1 }
  policy or on sales.orders { deny read of country to everyone when not (context.mfa or subject.clearance > 1) }
  policy not on sales.orders { deny read of order_id to everyone when not subject.clearance > 1 }`);
  // etl-bot has no clearance: subject.clearance > 1 is an error.
  assert.equal(decision('etl-bot', F, { mfa: false }), 'clear'); // false and error = false
  assert.equal(decision('etl-bot', F, { mfa: true }), 'denied'); // true and error = error: fails closed
  assert.equal(decision('etl-bot', F), 'denied'); // error and error
  assert.equal(decision('etl-bot', 'sales.orders.country', { mfa: true }), 'clear'); // not (true or error) = false
  assert.equal(decision('etl-bot', 'sales.orders.country', { mfa: false }), 'denied'); // not (false or error) = error
  assert.equal(decision('etl-bot', 'sales.orders.order_id'), 'denied'); // not error = error
  assert.equal(decision('alice', 'sales.orders.order_id'), 'clear'); // not true
  assert.equal(decision('bob', 'sales.orders.order_id'), 'denied'); // not false
});

test('has() never errors', () => {
  const { decision } = setup(`policy p on sales.orders {
    allow read to everyone when not has(subject.clearance) or subject.clearance >= 2
    deny read to everyone when has(context.device) and context.device == "byod"
  }`);
  assert.equal(decision('etl-bot', F), 'clear');
  assert.equal(decision('alice', F), 'clear');
  assert.equal(decision('bob', F), 'denied');
  assert.equal(decision('alice', F, { device: 'byod' }), 'denied');
  assert.equal(decision('alice', F, { device: 'managed' }), 'clear');
});

test('masks: the strongest matching one; an erroring mask condition applies (fail closed); masks only when allowed', () => {
  const { decision, ask, ex } = setup(`policy p on sales.orders {
    allow read to analysts
    mask with partial for everyone
    mask with hash for principal bob
    mask with null for everyone when context.device == "byod"
  }`);
  assert.equal(decision('alice', F, { device: 'managed' }), 'masked partial');
  assert.equal(decision('bob', F, { device: 'managed' }), 'masked hash');
  assert.equal(decision('alice', F), 'masked null'); // device missing: the null mask fails closed
  assert.deepEqual(ask('alice', F), { decision: 'allow', reasons: ['p.1'], masks: ['p.2', 'p.4'], mask: 'null', rows: [] });
  assert.equal(decision('olga', F), 'denied');
  const masks = ex.policyList.filter((x) => x.kind === 'mask');
  assert.deepEqual(
    masks.map((x) => [x.action, x.mask]),
    [
      ['mask', 'partial'],
      ['mask', 'hash'],
      ['mask', 'null'],
    ],
  );
  assert.match(masks[0].text, /@charter_mask\("partial"\)/);
});

test('row filters become annotated permits of the rows action', () => {
  const { ask, ex } = setup(`policy p on sales.orders {
    allow read to everyone
    rows where country == subject.region for analysts
    rows where country != "US" for everyone except owner
  }`);
  assert.deepEqual(ask('alice', F).rows, ['p.2', 'p.3']);
  assert.deepEqual(ask('etl-bot', F).rows, []);
  const rows = ex.policyList.filter((x) => x.kind === 'rows');
  assert.deepEqual(
    rows.map((r) => r.rows),
    ['country == subject.region', 'country != "US"'],
  );
  assert.match(rows[1].text, /@charter_rows\("country != \\"US\\""\)/);
  assert.match(rows[1].text, /action == Charter::Action::"rows"/);
});

test('write and discover rules are their own actions and do not decide reads', () => {
  const { decision, ex } = setup(`policy p on sales.orders {
    allow write to everyone
    deny discover to everyone
    allow read to analysts
  }`);
  assert.equal(decision('alice', F), 'clear');
  assert.equal(decision('pat', F), 'denied');
  assert.deepEqual(
    ex.policyList.map((x) => `${x.effect} ${x.action}`),
    ['permit write', 'forbid discover', 'permit read'],
  );
});

test('resource attributes: domain, owner, name (the contract), tags with ordered list equality', () => {
  const { decision } = setup(`policy p on crm.* {
    allow read to everyone when resource.domain == "crm" and resource.owner == "crm-team" and resource.name == "crm.customers"
    deny read to everyone when "pii.email" in resource.tags
    deny read to principal alice when resource.tags == ["pii"]
    deny read to principal bob when resource.tags == []
  }`);
  assert.equal(decision('olga', 'crm.customers.segment'), 'clear');
  assert.equal(decision('olga', 'crm.customers.email'), 'denied');
  assert.equal(decision('alice', 'crm.customers.id'), 'denied');
  assert.equal(decision('bob', 'crm.customers.id'), 'clear');
  assert.equal(decision('bob', 'crm.customers.segment'), 'denied');
  const two = setup(`contract crm.both { field x: string tagged pii, pci }
  policy p on crm.both {
    allow read to everyone
    deny read to principal alice when resource.tags == ["pii", "pci"]
    deny read to principal bob when resource.tags == ["pci", "pii"]
    deny read to principal olga when resource.tags == [subject.department, "pci"]
  }`);
  assert.equal(two.decision('alice', 'crm.both.x'), 'denied');
  assert.equal(two.decision('bob', 'crm.both.x'), 'clear'); // CEL lists are ordered
  assert.equal(two.decision('olga', 'crm.both.x'), 'denied'); // no department: error, fails closed
  assert.equal(two.decision('pat', 'crm.both.x'), 'clear');
});

test('numbers: decimal by default, Long on request; dates; lists with attributes', () => {
  const text = `principal dee { member of analysts  department "ops"  clearance 7 }
  policy p on sales.orders {
    allow read to everyone when subject.clearance >= 2 or subject.clearance in [1, 7]
    deny read of country to everyone when context.device in ["byod", subject.department]
  }`;
  for (const numbers of ['decimal', 'Long'] as const) {
    const { decision, ex } = setup(text, { numbers });
    assert.equal(ex.numberType, numbers);
    assert.equal(decision('alice', F), 'clear');
    assert.equal(decision('bob', F), 'clear');
    assert.equal(decision('etl-bot', F), 'denied');
    assert.equal(decision('dee', F), 'clear');
    assert.equal(decision('dee', 'sales.orders.country', { device: 'managed' }), 'clear');
    assert.equal(decision('dee', 'sales.orders.country', { device: 'byod' }), 'denied');
    assert.equal(decision('dee', 'sales.orders.country'), 'denied');
    assert.equal(decision('alice', 'sales.orders.country', { device: 'managed' }), 'denied'); // no department: the list errors
    assert.match(ex.schema, new RegExp(`clearance\\?: ${numbers}`));
  }
  const dates = model(
    `subject attributes { hired: date  level: number }
     principal new { hired 2026-09-01  level 1.5 }
     principal old { hired 2020-01-01  level 3 }
     domain d
     contract d.c { field f: string }
     policy p on d.c { allow read to everyone when subject.hired < 2025-01-01 or subject.level == 1.5 }`,
  );
  const ex = exportCedar(dates);
  assert.deepEqual(cedarFor(dates, ex).problems, []);
  assert.match(ex.policies, /principal\.hired < datetime\("2025-01-01"\)/);
  assert.match(ex.policies, /principal\.level == decimal\("1\.5"\)/);
  for (const p of ['new', 'old']) assert.equal(cedarFor(dates, ex).answer(p, new Map(), 'd.c.f').decision, 'allow');
  // Long cannot hold 1.5: the export says so.
  assert.deepEqual(exportCedar(dates, { numbers: 'Long' }).warnings, ['the number 1.5 is not an integer: export with decimal numbers', 'principal new: subject.level is 1.5, not an integer: export with decimal numbers']);
});

test('constant conditions are folded; Cedar-reserved and hyphenated attribute names are quoted', () => {
  const m = model(`subject attributes { cost-center: string  if: bool }
    context attributes { like: "a" | "b" }
    principal p { cost-center "x"  if true }
    domain d
    contract d.c { field f: string }
    policy q on d.c {
      allow read to everyone when subject.cost-center == "x" and subject.if and 15m < 1h
      deny read to everyone when context.like == "b" or 2 > 3
    }`);
  assert.deepEqual(m.diagnostics, []);
  const ex = exportCedar(m);
  const check = cedarFor(m, ex);
  assert.deepEqual(check.problems, []);
  assert.match(ex.policies, /principal has "cost-center" && principal\["cost-center"\] == "x" && principal has "if" && principal\["if"\] \}/);
  assert.match(ex.policies, /unless \{ context has "like" && context\["like"\] != "b" \}/);
  assert.match(ex.schema, /"cost-center"\?: String,\n\s+"if"\?: Bool/);
  const both = (ctx: Map<string, AttrValue>) => {
    const a = check.answer('p', ctx, 'd.c.f');
    assert.deepEqual(a, charterAnswer(m, 'p', ctx, 'd.c.f'));
    return a.decision;
  };
  assert.equal(both(new Map([['like', 'a']])), 'allow');
  assert.equal(both(new Map([['like', 'b']])), 'deny');
  assert.equal(both(new Map()), 'deny'); // like missing: the deny fails closed
});

test('policies carry their source: @id, @charter_policy, @charter_source, @charter_rule, doc comments', () => {
  const { ex } = setup(`
## Analysts "read" orders.
policy orders on sales.orders {
  ## Only with MFA.
  allow read to analysts when context.mfa
}`);
  const p = ex.policyList[0];
  assert.equal(p.id, 'orders.1');
  assert.equal(p.source, `main.charter:${(BASE + ORDERS).split('\n').length + 4}`);
  assert.match(p.text, /^@id\("orders\.1"\)\n@doc\("Only with MFA\."\)\n@charter_policy\("orders"\)\n@charter_source\("main\.charter:\d+"\)\n@charter_rule\("allow read to analysts when context\.mfa"\)\npermit \(/);
  assert.match(ex.policies, /\/\/ ---- policy orders on sales\.orders\n\/\/ Analysts "read" orders\.\n\n@id/);
  assert.equal(cedarString('a "b" \\ c\nd\u0001'), '"a \\"b\\" \\\\ c\\nd\\u{1}"');
});

test('entities: groups, principals with their groups and attributes, domains, contracts, tags, fields', () => {
  const { ex } = setup('');
  const byId = (type: string, id: string) => ex.entities.find((e) => e.uid.type === `Charter::${type}` && e.uid.id === id);
  assert.deepEqual(byId('Principal', 'alice'), {
    uid: { type: 'Charter::Principal', id: 'alice' },
    attrs: { region: 'EU', clearance: { __extn: { fn: 'decimal', arg: '2.0' } } },
    parents: [{ type: 'Charter::Group', id: 'analysts' }],
  });
  assert.deepEqual(byId('Contract', 'sales.orders'), { uid: { type: 'Charter::Contract', id: 'sales.orders' }, attrs: { domain: 'sales', owner: 'sales-data' }, parents: [{ type: 'Charter::Domain', id: 'sales' }] });
  assert.deepEqual(byId('Field', 'sales.orders.customer_email')!.attrs, {
    field: 'customer_email',
    contract: 'sales.orders',
    domain: 'sales',
    owner: 'sales-data',
    tags: ['pii.email'],
    tagList: [{ index: 0, tag: 'pii.email' }],
    tagCount: 1,
    ownerGroup: { __entity: { type: 'Charter::Group', id: 'sales-data' } },
  });
  assert.ok(byId('Group', 'privacy-office'));
  assert.ok(byId('Domain', 'marketing'));
  assert.deepEqual(byId('Tag', 'pii'), { uid: { type: 'Charter::Tag', id: 'pii' }, attrs: {}, parents: [] });
});

test('the example mesh exports, validates strictly and decides like Charter', () => {
  const ws = loadWorkspace('examples');
  const files = ws.files.filter((f) => !f.path.includes('/mistakes/'));
  const a = analyze(files, { today: '2026-11-23' });
  assert.deepEqual(
    a.model.diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('rule:')).map((d) => d.message),
    [],
  );
  const m = a.model;
  const ex = exportCedar(m, { fileName: (u) => u.slice(ws.root.length + 1) });
  const v = cedar.validate({ schema: ex.schema, policies: { staticPolicies: ex.policies }, validationSettings: { mode: 'strict' } });
  assert.equal(v.type, 'success');
  if (v.type === 'success') assert.deepEqual(v.validationErrors, []);
  assert.equal(cedar.checkParseSchema(ex.schema).type, 'success');
  assert.equal(cedar.checkParseEntities({ entities: ex.entities as never, schema: ex.schema }).type, 'success');
  assert.ok(ex.policyList.every((p) => /^[a-z-]+\/[\w.-]+\.charter:\d+$/.test(p.source)), 'sources are file:line relative to the workspace');
  // Every principal on every field, under a few contexts: same answers.
  const check = cedarFor(m, ex);
  const contexts = [new Map<string, AttrValue>(), new Map<string, AttrValue>([['mfa', true], ['device', 'managed'], ['purpose', 'audit']]), new Map<string, AttrValue>([['mfa', false], ['device', 'byod']])];
  let n = 0;
  for (const p of m.principals.keys()) {
    for (const f of m.fields.keys()) {
      for (const ctx of contexts) {
        assert.deepEqual(check.answer(p, ctx, f), charterAnswer(m, p, ctx, f), `${p} on ${f}`);
        n++;
      }
    }
  }
  assert.ok(n > 1000);
});

test('impossible dates are errors in the checker, and the export still refuses them if asked', () => {
  const m = model(`subject attributes { d: date }
    principal p { d 2027-02-30 }
    domain x
    contract x.c { field f: string }
    policy q on x.c { allow read to everyone when subject.d < 2027-02-31 and subject.d > 2024-02-29 }`);
  assert.deepEqual(m.diagnostics.map((d) => `${d.code}: ${d.message}`), ['invalid-value: 2027-02-30 is not a date in the calendar', 'invalid-value: 2027-02-31 is not a date in the calendar']);
  assert.deepEqual(exportCedar(m).warnings, ["2027-02-31 is not a calendar date: Cedar's datetime() refuses it"]);
});

test('a list mixing dates and strings is a type error (CEL lists are homogeneous)', () => {
  const m = model(`subject attributes { department: string  since: date }
    principal dora { department "2026-01-01"  since 2026-01-01 }
    domain d
    contract d.c { field a: string }
    policy p on d.c {
      allow read of a to everyone when subject.department in ["y", 2026-01-01]
    }`);
  assert.deepEqual(m.diagnostics.map((d) => `${d.code}: ${d.message}`), ['type-mismatch: a list holds values of one type: this is date, the list holds string']);
});
