// The v1.1 expectations: `expect only A can read F [in clear]`,
// `expect nobody can read F`, `expect P sees F rows where COND`.
// Every expected answer is computed here independently, from decide() over
// every declared principal, never written down by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, parse, runTests, type Model } from '../../grammar/index';
import { BASE, model, describe } from './helpers';

const MESH =
  BASE +
  `
contract sales.orders {
  owner sales-data
  field order_id: uuid key
  field customer_email: string tagged pii.email from crm.customers.email
  field amount: decimal
  field region: string
}
policy orders on sales.orders {
  allow read to analysts, owner when context.mfa
  mask customer_email with hash for analysts
  rows where region == subject.region for analysts
}
`;

function results(m: Model) {
  return runTests(m).flatMap((r) => r.expectations.map((e) => ({ passed: e.passed, message: e.message, missing: e.missing, extra: e.extra })));
}

function readers(m: Model, field: string, ctx: Record<string, boolean | string>, clearOnly: boolean): string[] {
  const f = m.fields.get(field)!;
  return [...m.principals.values()]
    .filter((p) => {
      const d = decide(m, p, new Map(Object.entries(ctx)), f).decision;
      return clearOnly ? d === 'clear' : d !== 'denied';
    })
    .map((p) => p.name)
    .sort();
}

test('parses only, nobody and rows expectations; a principal called only is still a principal', () => {
  const ast = parse('test t {\n  expect only carol, etl-bot can read a.b.c in clear\n  expect nobody can read a.b.c\n  expect alice sees a.b.c rows where region == "EU"\n  expect only can read a.b.c\n}\n');
  assert.deepEqual(ast.errors, []);
  const steps = (ast.declarations[0] as import('../../grammar/ast').TestDecl).steps as import('../../grammar/ast').Expectation[];
  assert.deepEqual(steps.map((s) => s.what), ['only', 'only', 'sees-rows', 'can-read']);
  assert.deepEqual(steps[0].only!.map((i) => i.kind === 'group' && i.name.text), ['carol', 'etl-bot']);
  assert.equal(steps[0].inClear, true);
  assert.equal(steps[1].nobody, true);
  assert.equal(steps[3].principal!.text, 'only');
});

test('expect only: the exact set of readers passes, and a wrong set lists who is missing and who is extra', () => {
  const ctx = { mfa: true };
  const base = model(MESH);
  const all = readers(base, 'sales.orders.amount', ctx, false);
  const clear = readers(base, 'sales.orders.customer_email', ctx, true);
  assert.ok(all.length >= 3 && clear.length >= 1, 'the mesh gives the test something to compare');
  const m = model(
    MESH +
      `test t {
  given context { mfa true }
  expect only ${all.join(', ')} can read sales.orders.amount
  expect only analysts, owner can read sales.orders.amount
  expect only ${clear.join(', ')} can read sales.orders.customer_email in clear
  expect only analysts can read sales.orders.amount
  expect nobody can read payments.cards.pan
  expect nobody can read sales.orders.amount
}`,
  );
  assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = results(m);
  assert.deepEqual(r.map((x) => x.passed), [true, true, true, false, true, false]);
  const owners = [...m.principals.values()].filter((p) => p.groups.has('sales-data')).map((p) => p.name);
  assert.deepEqual(r[3].extra, owners, 'the owners read it but were not expected');
  assert.deepEqual(r[3].missing, []);
  assert.deepEqual(r[5].extra, all);
  assert.match(r[3].message, /^expected only analysts can read sales\.orders\.amount, but extra etl-bot \(in clear: orders: allow read to analysts, owner when context\.mfa\)/);
});

test('expect only: without the context, the fail-closed allow leaves nobody', () => {
  const m = model(MESH + 'test t {\n  expect nobody can read sales.orders.amount\n  expect only alice can read sales.orders.amount\n}');
  const r = results(m);
  assert.deepEqual(r.map((x) => x.passed), [true, false]);
  assert.deepEqual(r[1].missing, ['alice']);
  assert.match(r[1].message, /missing alice \(denied: no allow rule matches \(default deny\)\)/);
});

test('expect P sees F rows where COND compares the substituted row filter in normal form', () => {
  const m = model(
    MESH +
      `test t {
  given context { mfa true }
  expect alice sees sales.orders.amount rows where region == "EU"
  expect alice sees sales.orders.amount rows where (region == "EU")
  expect alice sees sales.orders.amount rows where region == "US"
  expect etl-bot sees sales.orders.amount rows where true
  expect alice sees sales.orders.amount rows where true
  expect pat sees sales.orders.amount rows where true
}`,
  );
  assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = results(m);
  assert.deepEqual(r.map((x) => x.passed), [true, true, false, true, false, false]);
  assert.match(r[2].message, /but the rows are where region == "EU"/);
  assert.match(r[5].message, /but it is denied/);
});

test('unknown names in the new forms are errors with suggestions, and the expectation is not counted as passed', () => {
  const m = model(MESH + 'test t {\n  expect only analystz can read sales.orders.amount\n  expect alice sees sales.orders.amount rows where regio == "EU"\n}');
  const d = describe(m.diagnostics, m.files).filter((x) => x.includes(' error '));
  assert.ok(d.some((x) => /unknown-group: .*analystz.*did you mean 'analysts'/.test(x)), d.join('\n'));
  assert.ok(d.some((x) => /regio/.test(x)), d.join('\n'));
  assert.deepEqual(results(m).map((x) => x.passed)[0], false);
});
