// Syntax of the v1.1 additions: `detect` patterns with flags, `not tagged`,
// and the formatter keeping them; charter.json's strict keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from '../../grammar/index';
import { formatCharter as format } from '../../grammar/services/format';
import type * as A from '../../grammar/ast';
import { readConfig, type LoadProblem } from '../../host/workspace';

test('detect takes /patterns/ with flags, comma-separated, beside other properties', () => {
  const ast = parse('classification pii.phone { level 3  detect /phone|mobile|msisdn/i, /^tel_/ }\n');
  assert.deepEqual(ast.errors, []);
  const c = ast.declarations[0] as A.ClassificationDecl;
  assert.deepEqual(c.detect.map((d) => [d.value, d.flags]), [['phone|mobile|msisdn', 'i'], ['^tel_', '']]);
  assert.deepEqual(c.properties.map((p) => p.key.text), ['level']);
});

test('a field can be declared not tagged, beside its other modifiers', () => {
  const ast = parse('contract a.b {\n  field tel_count: int not tagged pii.phone, pii required tagged pci "n"\n}\n');
  assert.deepEqual(ast.errors, []);
  const f = (ast.declarations[0] as A.ContractDecl).fields[0];
  assert.deepEqual(f.notTagged.map((q) => q.text), ['pii.phone', 'pii']);
  assert.deepEqual(f.tags.map((q) => q.text), ['pci']);
  assert.equal(f.required, true);
});

test('"not" without "tagged" in a field is a syntax error that says what to write', () => {
  const ast = parse('contract a.b {\n  field x: int not pii\n}\n');
  assert.ok(ast.errors.some((e) => /expected 'tagged' after not/.test(e.message)), JSON.stringify(ast.errors));
});

test('the formatter keeps detect entries and the new expectations, indented', () => {
  const src = 'classification pii.email {\nlevel 3\n   detect /e?mail/i\n}\ntest t {\nexpect only carol,  etl-bot can read a.b.c in clear\n  expect alice sees a.b.c rows where region ==  "EU"\n}\n';
  const r = format(src);
  assert.ok(r.ok, JSON.stringify(r));
  if (r.ok) assert.equal(r.text, 'classification pii.email {\n  level 3\n  detect /e?mail/i\n}\n\ntest t {\n  expect only carol, etl-bot can read a.b.c in clear\n  expect alice sees a.b.c rows where region == "EU"\n}\n');
});

function config(json: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-cfg-'));
  writeFileSync(path.join(dir, 'charter.json'), json);
  const problems: LoadProblem[] = [];
  return { cfg: readConfig(dir, problems), problems: problems.map((p) => p.message) };
}

test('charter.json: an unknown key, or a key in the wrong case, is an error naming the right one', () => {
  assert.deepEqual(config('{ "Governance": ["g/**/*.charter"] }').problems, ['charter.json: unknown key "Governance" (did you mean "governance"?); expected "include", "governance", "simulation"']);
  assert.match(config('{ "includes": [] }').problems[0], /unknown key "includes" \(did you mean "include"\?\)/);
  assert.match(config('{ "simulation": { "contxt": {} } }').problems[0], /unknown key "contxt" in "simulation" \(did you mean "context"\?\)/);
  assert.match(config('null').problems[0], /must be an object/);
  assert.match(config('[]').problems[0], /must be an object/);
});

test('charter.json: simulation.context is read, and must hold plain values', () => {
  const ok = config('{ "simulation": { "context": { "mfa": true, "device": "managed" } } }');
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.cfg.simulation.context, { mfa: true, device: 'managed' });
  assert.match(config('{ "simulation": { "context": { "mfa": [true] } } }').problems[0], /simulation\.context" must map context attributes/);
});
