// The walkthrough's example (opened in an empty folder) must analyse cleanly
// on its own and its test must pass: it is the first thing a new user sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../grammar/index';
import { runTest } from '../../grammar/evaluator/tests';
import { EXAMPLE } from '../../client/example-contract';

test('the walkthrough example has no diagnostics and its test passes', () => {
  const a = analyze([{ uri: 'untitled:Untitled-1', text: EXAMPLE }]);
  assert.deepEqual(a.diagnostics.map((d) => `${d.code}: ${d.message}`), []);
  const tests = [...a.model.tests.values()];
  assert.equal(tests.length, 1);
  const r = runTest(a.model, tests[0]);
  assert.ok(r.passed, r.expectations.map((e) => e.message).join('\n'));
  assert.equal(r.expectations.length, 2);
});
