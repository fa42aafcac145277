// The enforcement plan and the SQL printers, on small models: what a
// platform team reading the generated SQL would check. (The PostgreSQL output
// is proven on a real server by test/pg/; these pin the plan and refusals.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../grammar/export/plan';
import { exportSql } from '../../grammar/export/sql';
import { pgIdent, physicalTable } from '../../grammar/export/postgres';
import { model } from './helpers';

const BASE = `group analysts
group owners
group pg_admins_ok
subject attributes {
  region: "EU" | "US"
}
context attributes {
  mfa: bool
}
principal alice {
  member of analysts
  region "EU"
}
principal bob {
  member of owners
}
classification pii
domain sales { owner owners }
contract sales.orders {
  source postgres "warehouse.raw.orders"
  field id: string
  field email: string tagged pii
  field region: string
}
`;

test('the plan: per column the rules in order, owner resolved to the owning group, table and column row filters apart', () => {
  const m = model(
    BASE.replace('group pg_admins_ok\n', '') +
      `policy p on sales.orders {
  allow read to owner
  allow read to analysts when context.mfa
  mask email with hash for analysts
  rows where region == subject.region for analysts
}
policy q on fields tagged pii {
  deny read to everyone except owner when not context.mfa
  rows where subject.region == "EU" for analysts
}
`,
  );
  assert.deepEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
  const plan = buildPlan(m);
  const c = plan.contracts.find((x) => x.name === 'sales.orders')!;
  assert.deepEqual(c.source, { system: 'postgres', location: 'warehouse.raw.orders' });
  assert.deepEqual(c.columns.map((x) => x.name), ['id', 'email', 'region']);
  const email = c.columns.find((x) => x.name === 'email')!;
  assert.deepEqual(email.rules.map((r) => r.id), ['p.1', 'p.2', 'p.3', 'q.1']);
  assert.deepEqual(email.rules[0].audience, { include: [{ kind: 'group', name: 'owners' }], except: [] });
  assert.equal(email.textMasks, true);
  assert.equal(c.columns[0].textMasks, false);
  assert.deepEqual(c.rowFilters.map((r) => r.id), ['p.4'], 'the contract-wide filter filters the table');
  assert.deepEqual(email.rowFilters.map((r) => r.id), ['q.2'], "the tagged policy's filter only hides email cells");
  assert.deepEqual(c.readers, ['alice', 'bob']);
  assert.match(email.rules[0].source, /^main\.charter:\d+$/);
});

test('the PostgreSQL view translates fail-closed conditions: allow IS TRUE, deny and mask IS NOT FALSE, rows IS TRUE', () => {
  const m = model(
    BASE.replace('group pg_admins_ok\n', '') +
      `policy p on sales.orders {
  allow read to analysts when context.mfa
  deny read of id to everyone when context.mfa == false
  mask email with partial for analysts when subject.region == "US"
  rows where region == subject.region for analysts
}
`,
  );
  const ex = exportSql(m, 'postgres');
  assert.deepEqual(ex.errors, []);
  const sql = ex.files.find((f) => f.name === '001-sales.sql')!.sql;
  assert.match(sql, /pg_has_role\(current_user, 'analysts', 'MEMBER'\) AND \(e\."context\.mfa" IS TRUE\)/);
  assert.match(sql, /\(\(e\."context\.mfa" = FALSE\) IS NOT FALSE\)/);
  assert.match(sql, /\(\(e\."subject\.region" = 'US'\) IS NOT FALSE\)\) THEN 'partial'/);
  assert.match(sql, /WHERE \(\(NOT d\."rows:p\.4"\) OR \(\(t\.region = e\."subject\.region"\) IS TRUE\)\)/);
  assert.match(sql, /CREATE VIEW sales\.orders WITH \(security_barrier = true\) AS/);
  assert.match(sql, /FROM raw\.orders AS t/);
  assert.match(sql, /GRANT SELECT ON sales\.orders TO alice;/);
  assert.doesNotMatch(sql, /GRANT SELECT ON raw\.orders/, 'the physical table is never granted');
  const roles = ex.files[0].sql;
  assert.match(roles, /SELECT charter\.ensure_role\('analysts'\);/);
  assert.match(roles, /SELECT charter\.sync_memberships\(ARRAY\['analysts', 'owners'\], ARRAY\['alice', 'bob'\]\);/);
  assert.match(roles, /\('alice', 'EU'\)/, 'subject attributes are stored');
});

test('constants fold at export time: resource.X is known per column, a comparison of different types is an error', () => {
  const m = model(
    BASE.replace('group pg_admins_ok\n', '') +
      `policy p on sales.* {
  allow read to everyone when resource.domain == "sales"
  deny read to everyone when resource.domain == "crm"
}
`,
  );
  const sql = exportSql(m, 'postgres').files[1].sql;
  const body = sql.slice(sql.indexOf('CREATE VIEW'));
  assert.match(body, /\n {6}'clear' AS id,/, 'allowed to everyone, never denied: clear, with no condition left');
  assert.doesNotMatch(body, /resource/);
});

test('what PostgreSQL cannot express is refused, naming the construct and the engine', () => {
  const bad = BASE.replace('  mfa: bool', '  mfa: bool\n  cost-center: string').replace('source postgres "warehouse.raw.orders"', 'source postgres "orders"');
  const ex = exportSql(model(bad), 'postgres');
  assert.ok(ex.errors.some((e) => /group pg_admins_ok: PostgreSQL reserves this role name/.test(e)), ex.errors.join('\n'));
  assert.ok(ex.errors.some((e) => /context attribute cost-center: a PostgreSQL setting name .* cannot express it/.test(e)), ex.errors.join('\n'));
  assert.ok(ex.errors.some((e) => /source postgres "orders" does not name schema\.table/.test(e)), ex.errors.join('\n'));
  const list = model(BASE.replace('  field region: string', '  field region: string\n  field codes: list<string>') + `policy p on sales.orders {\n  allow read to everyone\n  rows where "a" in codes\n}\n`);
  assert.deepEqual(list.diagnostics.filter((d) => d.severity === 'error'), []);
  const e2 = exportSql(list, 'postgres').errors;
  assert.ok(e2.some((e) => /rule p\.2 \(main\.charter:\d+\): the row filter reads column codes of type list<string>: the PostgreSQL export cannot express it/.test(e)), e2.join('\n'));
});

test('contracts without a source of the engine are skipped and listed', () => {
  const m = model(BASE.replace('group pg_admins_ok\n', '') + 'contract sales.events {\n  source kafka "events.v1"\n  field id: string\n}\ncontract sales.misc {\n  field id: string\n}\n');
  const ex = exportSql(m, 'postgres');
  assert.deepEqual(ex.skipped, [
    { contract: 'sales.events', reason: 'its source is kafka, not postgres' },
    { contract: 'sales.misc', reason: 'it has no source' },
  ]);
});

test('names are quoted where PostgreSQL needs it; a view that takes its physical table\'s name moves the table aside', () => {
  assert.equal(pgIdent('orders'), 'orders');
  assert.equal(pgIdent('order-lines'), '"order-lines"');
  assert.equal(pgIdent('Orders'), '"Orders"');
  assert.equal(pgIdent('user'), '"user"');
  assert.equal(pgIdent('a"b'), '"a""b"');
  assert.deepEqual(physicalTable('warehouse.sales.orders'), { schema: 'sales', table: 'orders' });
  assert.deepEqual(physicalTable('vault.cards'), { schema: 'vault', table: 'cards' });
  const m = model(BASE.replace('group pg_admins_ok\n', '').replace('warehouse.raw.orders', 'warehouse.sales.orders') + 'policy p on sales.orders {\n  allow read to everyone\n}\n');
  const ex = exportSql(m, 'postgres');
  assert.match(ex.notes.join('\n'), /the view sales\.orders takes the name of its physical table: applying moves the table to charter_tables\."sales\.orders"/);
  assert.match(ex.files[0].sql, /SELECT charter\.move_aside\('sales', 'orders'\);/);
  assert.match(ex.files[1].sql, /FROM charter_tables\."sales\.orders" AS t/);
});
