import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, LineIndex } from '../../grammar/index';
import type * as A from '../../grammar/ast';
import { model } from './helpers';

function errors(text: string): string[] {
  const r = parse(text);
  const li = new LineIndex(text);
  return r.errors.map((e) => {
    const p = li.position(e.range.start);
    return `${p.line + 1}:${p.character + 1} ${e.message}`;
  });
}

const names = (text: string) => parse(text).declarations.map((d) => `${d.kind} ${(d.name as A.Name).text}`);

test('a missing colon after a field name: one clear error, the rest analysed', () => {
  const text = 'contract sales.orders {\n  field order_id uuid key\n  field amount: decimal\n}\ngroup analysts\n';
  assert.deepEqual(errors(text), ["2:18 expected ':' after field name, found 'uuid'"]);
  const c = parse(text).declarations[0] as A.ContractDecl;
  assert.deepEqual(c.fields.map((f) => [f.name.text, f.type?.name.text, f.key]), [['order_id', 'uuid', true], ['amount', 'decimal', false]]);
  assert.deepEqual(names(text), ['contract sales.orders', 'group analysts']);
});

test('a missing closing brace is reported and the next declaration still parses', () => {
  const text = 'contract sales.orders {\n  field a: string\n\ngroup analysts\npolicy p on sales.orders {\n  allow read to analysts\n}\n';
  assert.deepEqual(errors(text), ["2:18 expected '}' to close the contract, found the end of the declaration"]);
  assert.deepEqual(names(text), ['contract sales.orders', 'group analysts', 'policy p']);
});

test('a broken condition loses only its rule', () => {
  const text = 'policy p on sales.orders {\n  allow read to analysts when subject.clearance >= and context.mfa\n  mask with redact for everyone\n}\n';
  const e = errors(text);
  assert.equal(e.length, 1);
  assert.match(e[0], /^2:52 expected a value or an attribute/);
  const p = parse(text).declarations[0] as A.PolicyDecl;
  assert.deepEqual(p.rules.map((r) => r.kind), ['mask']);
});

test('a dangling operator before the next rule names the missing operand', () => {
  const text = 'policy p on s.o {\n  allow read to a when context.mfa and\n  deny read to b\n}\n';
  assert.deepEqual(errors(text), ["3:3 expected a value or an attribute (subject.X, context.X, resource.X or a column), found 'deny'"]);
  assert.deepEqual((parse(text).declarations[0] as A.PolicyDecl).rules.map((r) => r.kind), ['deny']);
});

test('junk between declarations is one error, declarations around it survive', () => {
  const text = 'group a\n!!! what is this\ngroup b\n';
  const e = errors(text);
  assert.ok(e.length >= 1);
  assert.ok(e.every((x) => x.startsWith('2:')), e.join('\n'));
  assert.deepEqual(names(text), ['group a', 'group b']);
});

test('an unterminated string is reported at the string', () => {
  const text = 'group a "no end\ngroup b\n';
  assert.deepEqual(errors(text), ['1:9 unterminated string: add the closing "']);
  assert.deepEqual(names(text), ['group a', 'group b']);
});

test('a misspelt keyword in a policy rule', () => {
  const text = 'policy p on s.o {\n  alow read to everyone\n  deny read to everyone\n}\n';
  const e = errors(text);
  assert.equal(e.length, 1);
  assert.match(e[0], /^2:3 expected a policy rule: allow, deny, mask or rows, found 'alow'/);
});

test('a test expectation missing its verb', () => {
  const text = 'test t {\n  expect alice sales.orders.amount\n  expect bob can read sales.orders.amount\n}\n';
  const e = errors(text);
  assert.equal(e.length, 1);
  assert.match(e[0], /^2:16 expected 'can read', 'cannot read' or 'sees' after the principal/);
  assert.equal((parse(text).declarations[0] as A.TestDecl).steps.length, 1);
});

test('a governance rule without must/may', () => {
  const text = 'governance g {\n  rule r error { every contract have owner }\n  rule s { every contract must have owner }\n}\n';
  const e = errors(text);
  assert.equal(e.length, 1);
  assert.match(e[0], /^2:33 expected 'must' or 'may' after the selector, found 'have'/);
  assert.deepEqual((parse(text).declarations[0] as A.GovernanceDecl).rules.map((r) => r.name.text), ['r', 's']);
});

test('parsing never throws, whatever the input', () => {
  const samples = ['', '{', '}}}}', 'contract', 'contract a.b { field', 'policy p on', '"', '/', '/unterminated', 'rule x', 'test t { given context { mfa } }', '\u0000\u0001', 'group a\r\ngroup b', 'principal p { member of }', 'field a: list<', 'policy p on fields tagged { }'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const alphabet = ['contract', 'a.b', '{', '}', 'field', 'x', ':', 'string', 'policy', 'on', 'allow', 'read', 'to', 'when', '(', ')', '"s"', '2', 'and', '\n', ',', 'tagged', 'from', 'via', 'governance', 'rule', 'every', 'must', 'have', 'test', 'expect'];
  for (let i = 0; i < 300; i++) {
    let s = '';
    for (let k = 0; k < 30; k++) s += alphabet[Math.floor(rnd() * alphabet.length)] + ' ';
    samples.push(s);
  }
  for (const s of samples) {
    const r = parse(s);
    assert.ok(Array.isArray(r.errors));
    for (const e of r.errors) assert.ok(e.range.start >= 0 && e.range.end <= s.length + 1 && e.range.start <= e.range.end, `range within the text for ${JSON.stringify(s)}`);
  }
});

test('absurdly deep conditions are refused with a clear error, never a crash', () => {
  let c = 'context.mfa';
  for (let i = 0; i < 5000; i++) c = `(${c})`;
  const deepParens = parse(`policy p on d.c { allow read to g when ${c} }\ngroup after`);
  assert.match(deepParens.errors[0].message, /nested too deeply/);
  assert.ok(deepParens.declarations.some((d) => d.kind === 'group'), 'the next declaration still parses');
  let chain = 'context.mfa';
  for (let i = 0; i < 5000; i++) chain += ' and context.mfa';
  const long = parse(`policy p on d.c {\n  allow read to g when ${chain}\n  allow read to h\n}`);
  assert.deepEqual(long.errors.map((e) => e.message), ['this condition is nested 5001 levels deep (at most 200); split it into several rules']);
  assert.equal((long.declarations[0] as A.PolicyDecl).rules.length, 1, 'the other rule is kept');
});

test('recovery never leaves a NaN range, and a missing name is one syntax error', () => {
  const text = 'group g\nprincipal p {\n  member of \n}\ncontract a.b { field : string }\n';
  const r = parse(text);
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.range) {
      const rr = o.range as { start: number; end: number };
      assert.ok(Number.isFinite(rr.start) && Number.isFinite(rr.end), `range of ${JSON.stringify(o).slice(0, 80)}`);
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(r.declarations);
  const m = model(text);
  assert.ok(m.diagnostics.every((d) => Number.isFinite(d.range.start)));
  assert.ok(!m.diagnostics.some((d) => /unknown group ''/.test(d.message)));
});
