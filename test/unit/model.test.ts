import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, diagnostics, model } from './helpers';

const codes = (text: string, extra: Record<string, string> = {}) => diagnostics(text, extra);

test('the base mesh is clean', () => {
  assert.deepEqual(codes(BASE), []);
});

test('names are global across files and resolve in any order', () => {
  const m = model('policy p on sales.orders { allow read to analysts }', {
    'b.charter': 'contract sales.orders { field a: string }\ndomain sales\n',
    'c.charter': 'group analysts',
  });
  assert.deepEqual(m.diagnostics, []);
  const refs = m.references.filter((r) => r.file === 'main.charter').map((r) => `${r.target.kind}:${r.target.name}`);
  assert.deepEqual(refs.sort(), ['contract:sales.orders', 'group:analysts']);
});

test('duplicates point at the first declaration', () => {
  const m = model('group a\ngroup a\n', { 'x.charter': 'group a' });
  const d = m.diagnostics.filter((x) => x.code === 'duplicate');
  assert.equal(d.length, 2);
  assert.match(d[0].message, /group 'a' is already declared/);
  assert.equal(d[0].related?.[0].file, 'main.charter');
  assert.equal(d[0].related?.[0].range.start, 6);
});

test('duplicate fields in one contract', () => {
  assert.deepEqual(codes('domain s\ncontract s.c {\n field a: int\n field a: string\n}'), ["4:8 error duplicate: field 'a' is already declared in s.c"]);
});

test('unknown names get a did-you-mean', () => {
  assert.deepEqual(codes(BASE + 'policy p on sales.orderz { allow read to analyst }\ncontract sales.orders { field a: string }'), [
    "40:13 error unknown-contract: unknown contract 'sales.orderz'; did you mean 'sales.orders'?",
    "40:42 error unknown-group: unknown group 'analyst'; did you mean 'analysts'?",
  ]);
});

test('contract names need a declared domain and two parts', () => {
  assert.deepEqual(codes('contract shop.orders { field a: string }'), ["1:10 error unknown-domain: unknown domain 'shop'"]);
  assert.deepEqual(codes('domain s\ncontract s.a.b { field a: string }'), ["2:10 error contract-name: a contract is named <domain>.<product>, e.g. sales.orders; 's.a.b' has 3 part(s)"]);
});

test('owner: declared, inherited from the domain, or unknown', () => {
  const m = model(BASE + 'contract sales.a { field x: int }\ncontract sales.b { owner analysts\n field x: int }');
  assert.deepEqual(m.diagnostics, []);
  assert.deepEqual([m.contracts.get('sales.a')!.owner, m.contracts.get('sales.a')!.ownerInherited], ['sales-data', true]);
  assert.deepEqual([m.contracts.get('sales.b')!.owner, m.contracts.get('sales.b')!.ownerInherited], ['analysts', false]);
  assert.match(codes(BASE + 'contract sales.c { owner nobody }')[0], /unknown group 'nobody'/);
});

test('field types, tags and values are checked', () => {
  assert.deepEqual(codes(BASE + 'contract sales.t {\n status live\n version abc\n sla { freshness 5 availability 99.9% retention 30d encryption maybe }\n field a: strin tagged piii\n field b: list<floaty>\n}'), [
    '41:9 error invalid-value: status is one of draft, active, deprecated',
    '42:10 error invalid-value: version is a version number such as 2.1.0',
    '43:18 error invalid-value: sla freshness is a duration such as 1h or 400d',
    '43:64 error invalid-value: sla encryption is required, optional or none',
    "44:11 error unknown-type: unknown type 'strin'; did you mean 'string'?",
    "44:24 error unknown-classification: unknown classification 'piii'; did you mean 'pii'?",
    "45:16 error unknown-type: unknown type 'floaty'",
  ]);
});

test('classification children need their parent', () => {
  assert.deepEqual(codes('classification pii.email'), ["1:16 error unknown-classification: classification 'pii.email' is a child of 'pii', which is not declared"]);
});

test('principals: groups and attribute values fit the schema', () => {
  assert.deepEqual(codes(BASE + 'principal zed {\n member of analysts, auditors\n region "ASIA"\n clearance "high"\n team "x"\n}'), [
    "41:22 error unknown-group: unknown group 'auditors'",
    '42:9 error bad-enum-value: subject.region is "EU" | "US" | "APAC"',
    '43:12 error type-mismatch: subject.clearance is a number',
    "44:2 error unknown-attribute: unknown subject attribute 'team'",
  ]);
  const m = model(BASE);
  assert.deepEqual([...m.principals.get('alice')!.attributes], [['region', 'EU'], ['clearance', 2]]);
  assert.deepEqual([...m.principals.get('alice')!.groups], ['analysts']);
});

test('conditions: unknown attributes with suggestions, typed comparisons, enum values', () => {
  const p = (cond: string) => codes(BASE + `contract sales.o { field country: string\n field n: int }\npolicy p on sales.o { allow read to analysts when ${cond} }`).map((x) => x.replace(/^\d+:\d+ /, ''));
  assert.deepEqual(p('subject.regoin == "EU"'), ["error unknown-attribute: unknown subject attribute 'regoin'; did you mean 'region'?"]);
  assert.deepEqual(p('subject.region == "ASIA"'), ['error bad-enum-value: "ASIA" is not a value of subject.region: expected "EU" | "US" | "APAC"']);
  assert.deepEqual(p('subject.region in ["EU", "MARS"]'), ['error bad-enum-value: "MARS" is not a value of subject.region: expected "EU" | "US" | "APAC"']);
  assert.deepEqual(p('subject.clearance >= "2"'), ['error type-mismatch: cannot compare number with string']);
  assert.deepEqual(p('subject.department < "x"'), ["error type-mismatch: '<' compares numbers, dates or durations, not string"]);
  assert.deepEqual(p('subject.clearance'), ['error type-mismatch: a condition must be true or false, but this is number']);
  assert.deepEqual(p('context.mfa and not context.device == "byod" or has(subject.clearance)'), []);
  assert.deepEqual(p('resource.domain == "sales" and "pii" in resource.tags'), []);
  assert.deepEqual(p('resource.colour == "x"'), ["error unknown-attribute: unknown resource attribute 'colour'"]);
  assert.deepEqual(p('country == "EU"'), ["error unknown-attribute: 'country' is not an attribute: write subject.country or context.country (bare column names are only allowed in 'rows where')"]);
});

test('row filters may name columns of the target contract', () => {
  const r = (cond: string) => codes(BASE + `contract sales.o { field country: string\n field n: int }\npolicy p on sales.o { rows where ${cond} for analysts }`).map((x) => x.replace(/^\d+:\d+ /, ''));
  assert.deepEqual(r('country == subject.region'), []);
  assert.deepEqual(r('n > 3'), []);
  assert.deepEqual(r('countyr == "EU"'), ["error unknown-field: unknown column 'countyr'; did you mean 'country'?"]);
  assert.deepEqual(r('n == "x"'), ['error type-mismatch: cannot compare number with string']);
});

test('policy rules: fields, actions, mask methods, audiences', () => {
  assert.deepEqual(codes(BASE + 'contract sales.o { field a: string }\npolicy p on sales.o {\n deny read of b to everyone\n allow steal to owner\n mask a with blur for principal zed\n}').map((x) => x.replace(/^\d+:\d+ /, '')), [
    "error unknown-field: unknown field of sales.o 'b'",
    "error unknown-action: unknown action 'steal'",
    "error unknown-mask method: unknown mask method 'blur'",
    "error unknown-principal: unknown principal 'zed'",
  ]);
});

test('lineage: sources resolve, unknown ones are reported with suggestions', () => {
  assert.deepEqual(codes(BASE + 'contract sales.o {\n field a: string from crm.customer.id\n field b: string from crm.customers.mail\n field c: string from crm.customers.id via scramble\n}').map((x) => x.replace(/^\d+:\d+ /, '')).sort(), [
    "error unknown-contract: unknown contract 'crm.customer'; did you mean 'crm.customers'?",
    "error unknown-field: unknown field of crm.customers 'mail'; did you mean 'email'?",
    "warning inherits-tag: c inherits pii from crm.customers.id; declare it: tagged pii",
    "error unknown-transform: unknown transform 'scramble'",
  ].sort());
});

test('propagation: copy/derive pass tags, hash/tokenize/encrypt/mask protect, aggregate drops', () => {
  const m = model(
    BASE +
      `contract sales.o {
  field id: uuid tagged pii from crm.customers.id
  field email: string tagged pii.email from crm.customers.email via derive
  field h: string from crm.customers.email via hash
  field t: string from crm.customers.email via tokenize
  field e: string from crm.customers.email via encrypt
  field m: string from crm.customers.email via mask
  field n: int from crm.customers.email via aggregate
  field card: string tagged pci from payments.cards.pan
}
contract sales.p {
  field h2: string from sales.o.h
  field mix: string from sales.o.h, crm.customers.email
}`,
  );
  const tags = (q: string) => [...m.fields.get(q)!.tags.values()].map((o) => `${o.tag}${o.protected ? ' (protected)' : ''}${o.declared ? ' declared' : ''}`).sort();
  assert.deepEqual(tags('sales.o.id'), ['pii declared']);
  assert.deepEqual(tags('sales.o.email'), ['pii.email declared']);
  for (const f of ['h', 't', 'e', 'm']) assert.deepEqual(tags(`sales.o.${f}`), ['pii.email (protected)'], f);
  assert.deepEqual(tags('sales.o.n'), []);
  assert.deepEqual(tags('sales.p.h2'), ['pii.email (protected)'], 'protected stays protected through copy');
  assert.deepEqual(tags('sales.p.mix'), ['pii.email'], 'one unprotected path makes it unprotected');
  assert.deepEqual(m.fields.get('sales.p.mix')!.tags.get('pii.email')!.from.sort(), ['crm.customers.email', 'sales.o.h']);
  const warnings = m.diagnostics.map((d) => d.message);
  assert.deepEqual(warnings, ['mix inherits pii.email from sales.o.h, crm.customers.email; declare it: tagged pii.email']);
});

test('propagation is transitive through the whole graph', () => {
  const m = model(BASE + 'contract sales.a { field x: string tagged pii.email from crm.customers.email }\ncontract sales.b { field y: string tagged pii.email from sales.a.x }\ncontract sales.c { field z: string from sales.b.y via hash }\ncontract sales.d { field w: string from sales.c.z }');
  assert.deepEqual([...m.fields.get('sales.d.w')!.tags.keys()], ['pii.email']);
  assert.equal(m.fields.get('sales.d.w')!.tags.get('pii.email')!.protected, true);
  assert.deepEqual(m.diagnostics, []);
});

test('declaring a more specific tag covers an inherited parent tag', () => {
  const m = model(BASE + 'contract sales.a { field x: string tagged pii.email from crm.customers.id }');
  assert.deepEqual(m.diagnostics.map((d) => d.code), []);
  const m2 = model(BASE + 'contract sales.a { field x: string tagged pii from crm.customers.email }');
  assert.deepEqual(m2.diagnostics.map((d) => d.message), ['x inherits pii.email from crm.customers.email; declare it: tagged pii.email']);
});

test('lineage cycles are errors on every field of the cycle', () => {
  const d = codes('domain s\ncontract s.a { field x: int from s.b.y }\ncontract s.b { field y: int from s.a.x }\ncontract s.c { field z: int from s.c.z }');
  assert.deepEqual(d, [
    '2:34 error lineage-cycle: lineage cycle: s.a.x depends on itself through s.b.y',
    '3:34 error lineage-cycle: lineage cycle: s.b.y depends on itself through s.a.x',
    '4:34 error lineage-cycle: lineage cycle: s.c.z depends on itself through itself',
  ]);
});

test('a 10,000-field lineage chain does not overflow the stack', () => {
  let text = 'domain s\nclassification pii\ncontract s.c0 { field f: string tagged pii }\n';
  for (let i = 1; i < 10000; i++) text += `contract s.c${i} { field f: string tagged pii from s.c${i - 1}.f }\n`;
  const m = model(text);
  assert.deepEqual(m.diagnostics, []);
  assert.ok(m.fields.get('s.c9999.f')!.tags.has('pii'));
});

test('waivers: unknown rule or target, missing reason, expired', () => {
  const gov = 'governance g { rule r { every contract must have owner } }\n';
  assert.deepEqual(codes(BASE + gov + 'waiver w for rule rr on crm.customerz {\n expires 2020-01-01\n}').map((x) => x.replace(/^\d+:\d+ /, '')), [
    'error waiver-reason: waiver \'w\' has no reason: add reason "why this exception is acceptable"',
    "error unknown-rule: unknown rule 'rr'",
    "error unknown-target: unknown waiver target 'crm.customerz'; did you mean 'crm.customers'?",
    "error waiver-expired: waiver 'w' expired on 2020-01-01 (today is 2026-11-23): renew it or fix the violation",
  ]);
});

test('governance rules: selectors and properties are checked', () => {
  assert.deepEqual(codes(BASE + 'governance g {\n rule a { every contract must have sla.retentoin }\n rule b { every field tagged piii must match /x/ }\n rule c { every contract must be masked for everyone }\n rule d { no field tagged pii may flow into domain mrkt }\n rule e { every field must match /(/ }\n}').map((x) => x.replace(/^\d+:\d+ /, '')), [
    "error unknown-property: unknown property of a contract 'sla.retentoin'; did you mean 'sla.retention'?",
    "error unknown-classification: unknown classification 'piii'; did you mean 'pii'?",
    "error invalid-rule: access rules apply to fields: write 'every field tagged ...'",
    "error unknown-domain: unknown domain 'mrkt'",
    'error invalid-regex: invalid regex: missing closing ): `(` (Charter runs regexes in linear time with RE2, which has no backreferences or lookaround)',
  ]);
});

test('a local file cannot redefine a central rule', () => {
  const m = model('governance local { rule owner-required warning { every contract must have description } }', { 'central.charter': 'governance central { rule owner-required error { every contract must have owner } }' }, ['central.charter']);
  assert.deepEqual(m.diagnostics.map((d) => `${d.file} ${d.code}`), ['main.charter central-rule']);
  assert.equal(m.rules.get('owner-required')!.central, true);
  assert.equal(m.rules.get('owner-required')!.decl.severity, 'error');
});

test('tests: principals, fields, context values and mask methods resolve', () => {
  assert.deepEqual(codes(BASE + 'test t {\n given context { mfa "yes" device "laptop" colour 1 }\n expect alicia can read crm.customers.id\n expect alice sees crm.customers.mail masked with blur\n}').map((x) => x.replace(/^\d+:\d+ /, '')), [
    'error type-mismatch: context.mfa is true or false',
    'error bad-enum-value: context.device is "managed" | "byod"',
    "error unknown-attribute: unknown context attribute 'colour'",
    "error unknown-principal: unknown principal 'alicia'; did you mean 'alice'?",
    "error unknown-field: unknown field of crm.customers 'mail'; did you mean 'email'?",
    "error unknown-mask method: unknown mask method 'blur'",
  ]);
});

test('has() on a resource attribute is an error (they are always present)', () => {
  const d = codes(BASE + 'policy p on crm.customers { allow read to everyone when has(resource.domain) }');
  assert.deepEqual(d.map((x) => x.replace(/^\d+:\d+ /, '')), ['error unknown-attribute: has() takes subject.X or context.X; resource attributes are always present']);
});

test('row filters of tag-targeted policies check columns against the tagged contracts', () => {
  const d = codes(BASE + 'policy p on fields tagged pii { rows where segmnt == "x" for everyone }');
  assert.deepEqual(d.map((x) => x.replace(/^\d+:\d+ /, '')), ["error unknown-field: unknown column 'segmnt'; did you mean 'segment'?"]);
});

test('impossible dates and mixed lists are errors', () => {
  const d = codes(BASE.replace('clearance: number', 'clearance: number\n  since: date') + 'principal q { since 2027-02-30 }\npolicy p on crm.customers { allow read to everyone when subject.since < 2026-13-01 or subject.region in ["EU", 1] }');
  assert.deepEqual(d.map((x) => x.replace(/^\d+:\d+ /, '')), [
    'error invalid-value: 2027-02-30 is not a date in the calendar',
    'error invalid-value: 2026-13-01 is not a date in the calendar',
    'error type-mismatch: a list holds values of one type: this is number, the list holds string',
  ]);
});
