import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { charter } from './run';

function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const CLEAN = 'group g\ndomain d { owner g }\ncontract d.c { field a: string }\n';
const BROKEN = 'group g\ndomain d { owner g }\ncontract d.c {\n  field a string\n  field b: int from d.x.y\n}\n';

test('clean workspace: exit 0 and a summary', () => {
  const r = charter(['check', workspace({ 'a.charter': CLEAN })]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '0 errors, 0 warnings, 0 infos in 1 file\n');
});

test('warnings alone exit 0', () => {
  const r = charter(['check', workspace({ 'a.charter': CLEAN + 'classification pii\ncontract d.e { field x: string tagged pii }\ncontract d.f { field y: string from d.e.x }\n' })]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^a\.charter:6:22: warning: y inherits pii from d\.e\.x; declare it: tagged pii \[inherits-tag\]$/m);
});

test('text format: file:line:col: severity: message [code], exit 1', () => {
  const r = charter(['check', workspace({ 'sub/b.charter': BROKEN })]);
  assert.equal(r.status, 1);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    "sub/b.charter:4:11: error: expected ':' after field name, found 'string' [syntax]",
    "sub/b.charter:5:21: error: unknown contract 'd.x'; did you mean 'd.c'? [unknown-contract]",
    '2 errors, 0 warnings, 0 infos in 1 file',
  ]);
});

test('json format: the stable shape of LANGUAGE.md', () => {
  const r = charter(['check', workspace({ 'b.charter': BROKEN }), '--format', 'json']);
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out).sort(), ['diagnostics', 'waived']);
  assert.deepEqual(out.diagnostics[0], {
    file: 'b.charter',
    line: 4,
    column: 11,
    endLine: 4,
    endColumn: 17,
    severity: 'error',
    code: 'syntax',
    message: "expected ':' after field name, found 'string'",
  });
  assert.deepEqual(out.waived, []);
});

test('sarif format: SARIF 2.1.0 with rules, levels and regions', () => {
  const r = charter(['check', workspace({ 'b.charter': BROKEN + 'classification pii\ncontract d.e { field x: string tagged pii }\ncontract d.f { field y: string from d.e.x }\n' }), '--format', 'sarif']);
  assert.equal(r.status, 1);
  const s = JSON.parse(r.stdout);
  assert.equal(s.version, '2.1.0');
  const run = s.runs[0];
  assert.equal(run.tool.driver.name, 'charter');
  const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
  for (const res of run.results) {
    assert.equal(ids[res.ruleIndex], res.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    const loc = res.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, 'SRCROOT');
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
  }
  assert.deepEqual(run.results.map((x: { level: string }) => x.level).sort(), ['error', 'error', 'warning']);
  assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, 'b.charter');
});

test('a missing folder is a clear message and exit 2', () => {
  const r = charter(['check', '/no/such/folder']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'charter check: no such folder: /no/such/folder\n');
  assert.equal(r.stdout, '');
});

test('an empty folder is a clear message and exit 2', () => {
  const r = charter(['check', workspace({ 'notes.txt': 'hello' })]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no \.charter files found in .* \(check the folder, or "include" in charter\.json\)/);
});

test('non-UTF-8 bytes: a diagnostic on that file, the others still checked', () => {
  const r = charter(['check', workspace({ 'a.charter': CLEAN, 'bad.charter': Buffer.from([0x67, 0x72, 0x6f, 0x75, 0x70, 0x20, 0xff, 0xfe, 0x0a]) })]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, 'bad.charter:1:1: error: file is not valid UTF-8 (byte 0xff at offset 6); save it as UTF-8 [encoding]\n1 error, 0 warnings, 0 infos in 1 file\n');
});

test('an unreadable file (a dangling link) is an I/O error: reported, the rest checked, exit 2', () => {
  const dir = workspace({ 'a.charter': CLEAN });
  symlinkSync(path.join(dir, 'gone.charter'), path.join(dir, 'link.charter'));
  const r = charter(['check', dir]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, 'link.charter:1:1: error: cannot read file: ENOENT [io]\n1 error, 0 warnings, 0 infos in 1 file\n');
});

test('an unreadable file (a folder named like a file) is an I/O error: reported, exit 2', () => {
  const dir = workspace({ 'a.charter': CLEAN, 'weird.charter/inner.txt': 'x' });
  const r = charter(['check', dir, '--format', 'json']);
  // weird.charter is a folder: it is walked, not read; nothing breaks.
  assert.equal(r.status, 0);
  assert.deepEqual(JSON.parse(r.stdout).diagnostics, []);
});

test('a 5 MB file is checked without a stack trace', () => {
  let big = 'group g\ndomain d { owner g }\n';
  let i = 0;
  while (big.length < 5 * 1024 * 1024) big += `contract d.c${i++} {\n  field a: string "${'x'.repeat(60)}"\n  field b: int\n}\n`;
  const r = charter(['check', workspace({ 'big.charter': big })]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '0 errors, 0 warnings, 0 infos in 1 file\n');
});

test('a file over the 10 MB limit is skipped with a warning, the rest checked', () => {
  const r = charter(['check', workspace({ 'a.charter': CLEAN, 'huge.charter': Buffer.alloc(11 * 1024 * 1024, 0x20) })]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^huge\.charter:1:1: warning: file is 11\.0 MB, over the 10 MB limit; it was not analysed \[too-large\]$/m);
});

test('usage errors exit 2', () => {
  assert.equal(charter(['check', '--format', 'xml', '.']).status, 2);
  assert.equal(charter(['check', '--bogus']).status, 2);
  assert.equal(charter(['frobnicate']).status, 2);
  assert.match(charter(['check', '--format', 'xml']).stderr, /--format is text, json or sarif, not 'xml'/);
  assert.match(charter(['check', '--today', 'tomorrow', 'x']).stderr, /no such folder|--today takes a date/);
});

test('charter.json include and governance paths outside the folder', () => {
  const dir = workspace({
    'ws/charter.json': JSON.stringify({ include: ['src/**/*.charter'], governance: ['../central/**/*.charter'] }),
    'ws/src/a.charter': CLEAN,
    'ws/ignored/b.charter': 'this is not charter at all',
    'central/rules.charter': 'governance acme {\n  rule described warning { every contract must have description }\n}\n',
  });
  const r = charter(['check', path.join(dir, 'ws')]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'src/a.charter:3:10: warning: contract d.c has no description [rule:described]\n0 errors, 1 warning, 0 infos in 2 files\n');
});

test('an invalid charter.json is a clear usage error', () => {
  const r = charter(['check', workspace({ 'charter.json': '{ "include": ', 'a.charter': CLEAN })]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /charter\.json is not valid JSON/);
});

test('the example mesh: only the deliberate mistakes are errors', () => {
  const r = charter(['check', 'examples', '--format', 'json', '--today', '2026-11-23']);
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout);
  const files = new Set(out.diagnostics.filter((d: { severity: string }) => d.severity === 'error').map((d: { file: string }) => d.file));
  assert.deepEqual([...files], ['mistakes/deliberate-mistakes.charter']);
  assert.equal(out.waived.length, 1, 'the finance retention waiver');
});

test('a governance path that matches nothing is an error: central rules must not vanish silently', () => {
  const r = charter(['check', workspace({ 'charter.json': JSON.stringify({ governance: ['../central-gov/**/*.charter'] }), 'a.charter': CLEAN })]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^charter\.json:1:1: error: governance path '\.\.\/central-gov\/\*\*\/\*\.charter' matches no \.charter files: central rules are missing \(is the shared checkout there\?\) \[governance-missing\]$/m);
});

test('waived violations name their waiver in JSON', () => {
  const r = charter(['check', 'examples', '--format', 'json', '--today', '2026-11-23']);
  const out = JSON.parse(r.stdout);
  assert.equal(out.waived[0].waiver, 'invoices-tax-retention');
  assert.equal(out.waived[0].code, 'rule:pii-retention');
});
