// Fixture-driven: each folder under test/fixtures/check holds a workspace and
// `expected.txt`, the exact output of `charter check` on it (reviewed by hand;
// regenerate with UPDATE_FIXTURES=1 after checking the difference).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { charter } from './run';

const root = 'test/fixtures/check';
for (const name of readdirSync(root)) {
  test(`fixture ${name}`, () => {
    const dir = path.join(root, name);
    const r = charter(['check', dir, '--today', '2026-11-23']);
    const expectedFile = path.join(dir, 'expected.txt');
    if (process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, r.stdout);
    assert.equal(r.stdout, readFileSync(expectedFile, 'utf8'));
    assert.equal(r.status, r.stdout.includes(': error: ') ? 1 : 0, 'exit 1 exactly when there are errors');
  });
}
