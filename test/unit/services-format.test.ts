// The formatter: canonical layout, idempotent, never changes meaning, refuses
// files with syntax errors; the examples are already formatted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatCharter, isFormatted } from '../../grammar/services/format';
import { lineDiff } from '../../grammar/services/line-diff';
import { charterLexer } from '../../grammar/lexer';

function fmt(text: string): string {
  const r = formatCharter(text);
  if (!r.ok) throw new Error(r.reason);
  return r.text;
}

test('indents by brace depth, continuation lines one level more, normalises spaces', () => {
  const ugly = [
    'contract   sales.orders{',
    'version 2.1.0',
    '      owner sales-data',
    ' field order_id : uuid key',
    'field codes: list < string >',
    '  field email: string tagged pii.email , pii from crm.customers.email',
    '        via hash',
    'sla{ freshness 1h retention 400d }',
    '}',
    'policy p on sales.orders {',
    'allow read to analysts when has ( subject.clearance ) and subject.region in [ "EU","US" ]',
    '           and context.mfa',
    '}',
    '',
  ].join('\n');
  assert.equal(
    fmt(ugly),
    [
      'contract sales.orders {',
      '  version 2.1.0',
      '  owner sales-data',
      '  field order_id: uuid key',
      '  field codes: list<string>',
      '  field email: string tagged pii.email, pii from crm.customers.email',
      '    via hash',
      '  sla { freshness 1h  retention 400d }',
      '}',
      '',
      'policy p on sales.orders {',
      '  allow read to analysts when has(subject.clearance) and subject.region in ["EU", "US"]',
      '    and context.mfa',
      '}',
      '',
    ].join('\n'),
  );
});

test('keeps comments (and the gap before a trailing one), collapses blank lines, one final newline', () => {
  const text = '\n\n# header\n\n\n\ngroup a   # the a team\n## Doc of b.\ngroup b\n\n\n\n';
  assert.equal(fmt(text), '# header\n\ngroup a   # the a team\n## Doc of b.\ngroup b\n');
});

test('separates multi-line declarations by a blank line; keeps one-liners together', () => {
  assert.equal(fmt('group a\ngroup b\ndomain d {\n  owner a\n}\ngroup c\n'), 'group a\ngroup b\n\ndomain d {\n  owner a\n}\n\ngroup c\n');
});

test('entries of one-line blocks are two spaces apart', () => {
  assert.equal(fmt('principal bob { member of analysts region "US" clearance 1 }\n'), 'principal bob { member of analysts  region "US"  clearance 1 }\n');
  assert.equal(fmt('test t {\n  given context {mfa true device "managed"}\n}\n'), 'test t {\n  given context { mfa true  device "managed" }\n}\n');
});

test('keeps CRLF line endings and a byte-order mark', () => {
  assert.equal(fmt('\uFEFFgroup   a\r\ngroup b\r\n'), '\uFEFFgroup a\r\ngroup b\r\n');
});

test('refuses a file with syntax errors and says why', () => {
  const r = formatCharter('contract a.b {\n  field x string\n}\n');
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /1 syntax error/);
  assert.equal(isFormatted('contract a.b {\n  field x string\n}\n'), undefined);
});

function charterFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) charterFiles(p, out);
    else if (p.endsWith('.charter')) out.push(p);
  }
  return out;
}

test('the examples are formatted; formatting is idempotent and keeps every token', () => {
  const files = charterFiles(path.resolve(import.meta.dirname, '../../examples'));
  assert.ok(files.length > 20);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const r = formatCharter(text);
    if (!r.ok) {
      assert.match(f, /mistakes/, `${f}: ${r.reason}`);
      continue;
    }
    assert.equal(r.changed, false, `${f} is not formatted`);
    // A scrambled copy (indentation and spaces removed or added) formats back to the same text.
    const scrambled = text.replace(/^[ \t]+/gm, '').replace(/ (?=[,:)\]])/g, '  ').replace(/\n\n/g, '\n\n\n');
    const again = fmt(scrambled);
    assert.equal(again, text, `${f}: scrambled and formatted differs`);
    assert.equal(fmt(again), again, `${f}: not idempotent`);
    const toks = (t: string) => charterLexer.tokenize(t).tokens.map((x) => x.image);
    assert.deepEqual(toks(again), toks(text));
  }
});

test('line diff: only changed lines are replaced', () => {
  const a = 'a\nb\nc\nd\ne\n';
  const b = 'a\nB\nc\nd\ne\nf\n';
  const hunks = lineDiff(a, b);
  assert.deepEqual(hunks, [
    { start: 1, end: 2, lines: ['B\n'] },
    { start: 5, end: 5, lines: ['f\n'] },
  ]);
  assert.deepEqual(lineDiff(a, a), []);
});
