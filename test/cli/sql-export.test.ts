// `charter export postgres|snowflake|databricks` as a user runs it: golden
// files for Snowflake and Databricks (their SQL is generated, not executed
// here: test/fixtures/sql-export/expected/ pins it; regenerate deliberately
// with CHARTER_UPDATE_GOLDEN=1), the apply order, stdout, refusals.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { charter } from './run';

const FIXTURE = path.resolve('test/fixtures/sql-export');
const MESH = path.join(FIXTURE, 'mesh');
const UPDATE = process.env.CHARTER_UPDATE_GOLDEN === '1';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'charter-sql-'));
}

for (const engine of ['snowflake', 'databricks', 'postgres'] as const) {
  test(`export ${engine} --out writes the golden files in apply order`, () => {
    const out = tmp();
    try {
      const r = charter(['export', engine, MESH, '--out', out]);
      assert.equal(r.status, 0, r.stderr);
      const order = readFileSync(path.join(out, 'apply-order.txt'), 'utf8').trim().split('\n');
      assert.deepEqual(order, [...order].sort(), 'file names sort in apply order');
      assert.match(order[0], /^000-(roles|setup)\.sql$/);
      assert.deepEqual(order.slice(1), ['001-sales.sql']);
      for (const f of order) assert.match(r.stdout, new RegExp(`wrote .*${f.replace('.', '\\.')}`));
      assert.match(r.stderr, /skipped 2 contracts without a \w+ source/);
      const expected = path.join(FIXTURE, 'expected', engine);
      if (UPDATE) {
        rmSync(expected, { recursive: true, force: true });
        mkdirSync(expected, { recursive: true });
        for (const f of order) writeFileSync(path.join(expected, f), readFileSync(path.join(out, f), 'utf8'));
      }
      assert.deepEqual(readdirSync(expected).sort(), order, 'the same files as the golden ones');
      for (const f of order) assert.equal(readFileSync(path.join(out, f), 'utf8'), readFileSync(path.join(expected, f), 'utf8'), `${engine}/${f} differs from the golden file (CHARTER_UPDATE_GOLDEN=1 regenerates)`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test('the Snowflake export uses masking policies, a row access policy and roles; the strongest mask comes first', () => {
  const sql = readFileSync(path.join(FIXTURE, 'expected', 'snowflake', '001-sales.sql'), 'utf8');
  const policy = sql.split('\n').filter((l) => l.includes('SET MASKING POLICY'));
  assert.equal(policy.length, 5, 'one masking policy per column');
  assert.match(sql, /IS_ROLE_IN_SESSION\('analysts'\)/);
  assert.match(sql, /ADD ROW ACCESS POLICY .* ON \("region"\)/);
  const email = sql.slice(sql.indexOf('"mask:sales.orders.customer_email" SET BODY'));
  assert.ok(email.indexOf("'[redacted]'") < email.indexOf('SHA2('), 'redact is tried before hash');
  const roles = readFileSync(path.join(FIXTURE, 'expected', 'snowflake', '000-roles.sql'), 'utf8');
  assert.match(roles, /GRANT ROLE "analysts" TO ROLE "alice";/);
});

test('the Databricks export uses column masks, a row filter and is_account_group_member', () => {
  const sql = readFileSync(path.join(FIXTURE, 'expected', 'databricks', '001-sales.sql'), 'utf8');
  assert.equal(sql.split('\n').filter((l) => / ALTER COLUMN .* SET MASK /.test(l)).length, 4, 'one mask per column');
  assert.match(sql, /SET ROW FILTER .* ON \(`region`\);/);
  assert.match(sql, /is_account_group_member\('analysts'\)/);
  assert.match(sql, /sha2\(`customer_email`, 256\)/);
});

test('without --out the whole PostgreSQL script goes to stdout, in one transaction', () => {
  const r = charter(['export', 'postgres', MESH]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^BEGIN;\n/);
  assert.match(r.stdout, /\nCOMMIT;\n$/);
  assert.ok(r.stdout.indexOf('000-roles.sql') < r.stdout.indexOf('001-sales.sql'));
  assert.match(r.stdout, /CREATE VIEW sales\.returns WITH \(security_barrier = true\)/);
  assert.match(r.stderr, /skipped 2 contracts without a postgres source: sales\.orders \(its source is snowflake, not postgres\), sales\.refunds/);
});

test('a mask an engine cannot express is an error naming the rule and the engine; nothing is written', () => {
  const dir = tmp();
  try {
    writeFileSync(path.join(dir, 'm.charter'), readFileSync(path.join(MESH, 'mesh.charter'), 'utf8').replace('mask customer_email with hash for analysts', 'mask amount with hash for analysts'));
    const out = path.join(dir, 'out');
    for (const engine of ['snowflake', 'databricks']) {
      const r = charter(['export', engine, dir, '--out', out]);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, new RegExp(`rule sales-access\\.4 \\(m\\.charter:\\d+\\): mask amount with hash on a decimal column: .*the ${engine === 'snowflake' ? 'Snowflake' : 'Databricks'} export cannot express it`));
      assert.match(r.stderr, /nothing was written/);
      assert.ok(!existsSync(out), 'no folder is written');
    }
    // PostgreSQL's view returns text for such a column: it can.
    assert.equal(charter(['export', 'postgres', dir]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model with errors is refused; governance failures do not block the export', () => {
  const dir = tmp();
  try {
    writeFileSync(path.join(dir, 'm.charter'), 'group g\ndomain d { owner g }\ncontract d.t {\n  source postgres "db.raw.t"\n  field a: string\n}\npolicy p on d.t {\n  allow read to gg\n}\n');
    const r = charter(['export', 'postgres', dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown group 'gg'/);
    assert.equal(r.stdout, '');
    writeFileSync(path.join(dir, 'm.charter'), 'group g\ndomain d { owner g }\ncontract d.t {\n  source postgres "db.raw.t"\n  field a: string\n}\npolicy p on d.t {\n  allow read to g\n}\ngovernance gov {\n  rule needs-version error {\n    every contract must have version\n  }\n}\n');
    const ok = charter(['export', 'postgres', dir]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /needs-version/);
    assert.match(ok.stdout, /CREATE VIEW d\.t/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stale domain file in --out is removed so a glob never applies it', () => {
  const out = tmp();
  try {
    writeFileSync(path.join(out, '007-gone.sql'), 'DROP TABLE everything;');
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const r = charter(['export', 'postgres', MESH, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!existsSync(path.join(out, '007-gone.sql')));
    assert.ok(existsSync(path.join(out, 'notes.txt')), 'other files are left alone');
    assert.match(r.stderr, /removed 007-gone\.sql/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('export names the SQL engines in its usage', () => {
  const r = charter(['export', 'oracle']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /expected cedar, postgres, snowflake, databricks/);
});
