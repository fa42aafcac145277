import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charter } from './run';

test('who-can-see --format json: the stable shape, one result per declared principal', () => {
  const r = charter(['who-can-see', 'sales.orders.customer_email', 'examples', '--context', 'mfa=true', '--context', 'device=managed', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['field', 'context', 'results']);
  assert.equal(out.field, 'sales.orders.customer_email');
  assert.deepEqual(out.context, { mfa: true, device: 'managed' });
  assert.equal(out.results.length, 11, 'every principal of examples/org/principals.charter');
  for (const x of out.results) {
    assert.deepEqual(Object.keys(x), ['principal', 'decision', 'mask', 'rows', 'reasons']);
    assert.ok(['clear', 'masked', 'denied'].includes(x.decision));
    for (const reason of x.reasons) {
      assert.deepEqual(Object.keys(reason), ['file', 'line', 'text']);
      assert.ok(reason.line >= 1);
    }
  }
  const alice = out.results.find((x: { principal: string }) => x.principal === 'alice');
  assert.equal(alice.decision, 'masked');
  assert.equal(alice.mask, 'redact', 'redact beats hash');
  assert.equal(alice.reasons[0].file, 'governance/baseline-policies.charter');
});

test('who-can-see text: aligned columns with a one-line reason', () => {
  const r = charter(['who-can-see', 'sales.orders.customer_email', 'examples', '--context', 'mfa=true', '--context', 'device=managed']);
  assert.equal(r.status, 0);
  const lines = r.stdout.split('\n');
  const header = lines.find((l) => l.startsWith('PRINCIPAL'))!;
  assert.match(header, /^PRINCIPAL\s+DECISION\s+MASK\s+ROWS\s+REASON$/);
  const col = header.indexOf('DECISION');
  const rows = lines.filter((l) => /^(alice|bob|etl-bot)\s/.test(l));
  assert.equal(rows.length, 3);
  for (const row of rows) assert.match(row.slice(col), /^(clear|masked|denied)\s/, 'decisions line up under DECISION');
  assert.match(r.stdout, /\n\d+ clear · \d+ masked · \d+ denied\n$/);
});

test('who-can-see: unknown context key, bad value, unknown field are clear errors, exit 2', () => {
  const key = charter(['who-can-see', 'sales.orders.amount', 'examples', '--context', 'mfaa=true']);
  assert.equal(key.status, 2);
  assert.match(key.stderr, /unknown context attribute 'mfaa'; did you mean 'mfa'\?/);
  const val = charter(['who-can-see', 'sales.orders.amount', 'examples', '--context', 'device=laptop']);
  assert.equal(val.status, 2);
  assert.match(val.stderr, /bad value for --context device: context\.device is "managed" \| "byod", not 'laptop'/);
  const field = charter(['who-can-see', 'sales.orders.amout', 'examples']);
  assert.equal(field.status, 2);
  assert.match(field.stderr, /unknown field 'sales\.orders\.amout'; did you mean 'sales\.orders\.amount'\?/);
  assert.equal(charter(['who-can-see', 'sales.orders.amount', 'examples', '--context', 'nokey']).status, 2);
});

test('simulate --as: every field of one contract or all, json and text', () => {
  const one = charter(['simulate', '--as', 'etl-bot', 'sales.orders', 'examples', '--format', 'json']);
  assert.equal(one.status, 0, one.stderr);
  const out = JSON.parse(one.stdout);
  assert.equal(out.principal, 'etl-bot');
  assert.ok(out.fields.length > 3);
  assert.ok(out.fields.every((f: { field: string }) => f.field.startsWith('sales.orders.')));
  const all = JSON.parse(charter(['simulate', '--as', 'etl-bot', 'examples', '--format', 'json']).stdout);
  assert.ok(all.fields.length > out.fields.length);
  const text = charter(['simulate', '--as', 'alice', 'sales.orders', 'examples', '--context', 'mfa=true']);
  assert.match(text.stdout, /^as alice \(mfa=true\)\n\nFIELD\s+DECISION/);
  assert.equal(charter(['simulate', '--as', 'alicee', 'examples']).status, 2);
  assert.equal(charter(['simulate', 'examples']).status, 2);
});

test('charter test: failing expectations with what was decided and why, N passed, N failed last, exit 1', () => {
  const r = charter(['test', 'examples']);
  assert.equal(r.status, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[lines.length - 1], '7 passed, 1 failed');
  assert.match(r.stdout, /FAIL sandbox-expectations \(mistakes\/deliberate-mistakes\.charter:\d+\)\n\s+mistakes\/deliberate-mistakes\.charter:\d+: expected bob can read sales\.orders\.amount, but it is denied: no allow rule matches \(default deny\)/);
});
