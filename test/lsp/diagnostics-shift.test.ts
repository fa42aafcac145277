// Diagnostics computed for an older text are moved onto the current one
// (edits that arrived during an analysis) and published only when they change.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileDiagnostic } from '../../grammar/index';
import { changedRegion, PublishedDiagnostics, shiftThroughEdit } from '../../server/diagnostics';

const d = (start: number, end: number, message = 'x'): FileDiagnostic => ({ file: 'f', range: { start, end }, severity: 'error', code: 'c', message });

test('the changed region of two texts', () => {
  assert.deepEqual(changedRegion('abcdef', 'abXYef'), { start: 2, oldEnd: 4, newEnd: 4 });
  assert.deepEqual(changedRegion('strin', 'string'), { start: 5, oldEnd: 5, newEnd: 6 });
});

test('diagnostics before the edit stay, after it shift, touching it are dropped', () => {
  const before = 'group a\nfield x: strin\ngroup b\n';
  const after = 'group a\nfield x: string\ngroup b\n';
  const out = shiftThroughEdit([d(6, 7, 'a'), d(17, 22, 'strin'), d(29, 30, 'b')], before, after);
  assert.deepEqual(
    out.map((x) => [x.message, after.slice(x.range.start, x.range.end)]),
    [
      ['a', 'a'],
      ['b', 'b'],
    ],
  );
});

test('only changed files are published; emptied ones are cleared once', () => {
  const p = new PublishedDiagnostics();
  const diag = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm' };
  assert.deepEqual(p.changed([{ uri: 'a', diagnostics: [diag] }, { uri: 'b', diagnostics: [] }]).map((x) => x.uri), ['a']);
  assert.deepEqual(p.changed([{ uri: 'a', diagnostics: [diag] }, { uri: 'b', diagnostics: [] }]), []);
  assert.deepEqual(p.changed([{ uri: 'b', diagnostics: [] }]), [{ uri: 'a', diagnostics: [] }], 'a file that disappeared is cleared');
  assert.deepEqual(p.changed([]), []);
});
