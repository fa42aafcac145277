// `charter fmt [DIR] [--check]` as a user runs it (the bundled CLI).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { charter } from './run';

function workspace(files: Record<string, string>): { dir: string; read(f: string): string; dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-fmt-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return { dir, read: (f) => readFileSync(path.join(dir, f), 'utf8'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

const UGLY = 'group   analysts\ncontract   a.b{\nowner analysts\n   field id : uuid key   # the key\n}\n';
const PRETTY = 'group analysts\n\ncontract a.b {\n  owner analysts\n  field id: uuid key   # the key\n}\n';

test('--check lists unformatted files and exits 1; changes nothing', () => {
  const ws = workspace({ 'a.charter': UGLY, 'sub/b.charter': PRETTY.replace('analysts', 'x').replace('owner analysts', 'owner x').replace('contract a.b', 'contract x.y') });
  try {
    const r = charter(['fmt', ws.dir, '--check']);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, 'a.charter\n1 file of 2 need formatting (run charter fmt)\n');
    assert.equal(ws.read('a.charter'), UGLY);
  } finally {
    ws.dispose();
  }
});

test('formats in place; then --check passes; running again changes nothing', () => {
  const ws = workspace({ 'a.charter': UGLY });
  try {
    const r = charter(['fmt', ws.dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'formatted a.charter\nformatted 1 file of 1\n');
    assert.equal(ws.read('a.charter'), PRETTY);
    assert.deepEqual(charter(['fmt', ws.dir, '--check']), { status: 0, stdout: '1 file is formatted\n', stderr: '' });
    assert.equal(charter(['fmt', ws.dir]).stdout, 'formatted 0 files of 1\n');
  } finally {
    ws.dispose();
  }
});

test('refuses a file with syntax errors, says where, leaves it untouched, exits 1', () => {
  const broken = 'contract a.b {\n   field x string\n}\n';
  const ws = workspace({ 'bad.charter': broken, 'ok.charter': UGLY });
  try {
    const r = charter(['fmt', ws.dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^bad\.charter:2:12: not formatted: 1 syntax error: fix it before formatting \(expected ':' after field name, found 'string'\)$/m);
    assert.equal(ws.read('bad.charter'), broken);
    assert.equal(ws.read('ok.charter'), PRETTY, 'the other files are still formatted');
    assert.match(r.stdout, /1 file not formatted because of syntax errors/);
  } finally {
    ws.dispose();
  }
});

test('honours charter.json include; usage errors exit 2', () => {
  const ws = workspace({ 'charter.json': '{"include": ["src/**/*.charter"]}', 'src/a.charter': UGLY, 'scratch/b.charter': UGLY });
  try {
    assert.equal(charter(['fmt', ws.dir, '--check']).stdout, 'src/a.charter\n1 file of 1 need formatting (run charter fmt)\n');
    assert.equal(charter(['fmt', ws.dir, '--nope']).status, 2);
    assert.equal(charter(['fmt', path.join(ws.dir, 'missing')]).status, 2);
  } finally {
    ws.dispose();
  }
});

test('the examples are formatted (except the file with a deliberate syntax error)', () => {
  const r = charter(['fmt', 'examples', '--check']);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^all \d+ files are formatted\n1 file not formatted because of syntax errors/);
  assert.match(r.stderr, /mistakes\/deliberate-mistakes\.charter:66:14: not formatted/);
});
