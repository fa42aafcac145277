// The examples/ mesh (without mistakes/) end to end on a real PostgreSQL:
// physical tables with sample rows from the contracts' field types,
// `charter export postgres --out` applied in its apply order, and every
// principal × every combination of finite context values read through every
// view and compared with Charter's decisions. Then idempotence: applying the
// same files again changes nothing, and applying after a change leaves
// exactly the new policy (a dropped principal, group and view are gone).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { analyze, attributeValueFromText, type Model } from '../../grammar/index';
import { physicalTable, pgIdent, pgString } from '../../grammar/export/postgres';
import { loadWorkspace } from '../../host/workspace';
import { charter } from '../cli/run';
import { startPostgres, type PgServer } from './server';
import { createTable, readView } from './session';
import { canonical, expectedView, type Row } from './expect';

let server: PgServer;
let db: pg.Client;
let dir: string;
before(async () => {
  server = await startPostgres();
  db = await server.connect();
  dir = mkdtempSync(path.join(os.tmpdir(), 'charter-examples-'));
  cpSync('examples', path.join(dir, 'mesh'), { recursive: true, filter: (src) => !src.includes(`${path.sep}mistakes`) });
});
after(async () => {
  await db?.end();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const mesh = () => path.join(dir, 'mesh');

function model(): Model {
  const ws = loadWorkspace(mesh());
  return analyze(ws.files, { today: '2026-11-23' }).model;
}

function sample(type: string, i: number): string {
  if (type.startsWith('list<')) return `{${[i, i + 1].map((j) => JSON.stringify(sample(type.slice(5, -1), j))).join(',')}}`;
  switch (type) {
    case 'uuid':
      return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    case 'int':
      return String(i * 7 - 3);
    case 'decimal':
      return (i * 12.5).toFixed(2);
    case 'bool':
      return i % 2 ? 'true' : 'false';
    case 'date':
      return `2026-0${1 + (i % 9)}-1${i % 10}`;
    case 'timestamp':
      return `2026-03-0${1 + (i % 9)} 10:0${i % 10}:00+00`;
    case 'json':
      return JSON.stringify({ n: i });
    default:
      return ['EU', 'US', 'APAC', 'alice@example.com', '4111 1111 1111 1111', 'web', 'x'][i % 7];
  }
}

async function createTables(m: Model): Promise<void> {
  for (const c of m.contracts.values()) {
    if (c.decl.source?.system.text !== 'postgres') continue;
    const p = physicalTable(String((c.decl.source.location as { value: string }).value))!;
    const fields = [...c.fields.values()];
    const rows: Row[] = Array.from({ length: 7 }, (_, i) => fields.map((f) => sample(f.type, i + 1)));
    await createTable(db, c, p.schema, p.table, rows);
  }
}

function exportTo(out: string): string[] {
  const r = charter(['export', 'postgres', mesh(), '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /skipped \d+ contracts without a postgres source: .*sales\.order_lines \(its source is snowflake, not postgres\)/);
  return readFileSync(path.join(out, 'apply-order.txt'), 'utf8').trim().split('\n');
}

async function applyFolder(out: string, files: string[]): Promise<void> {
  await db.query('BEGIN');
  try {
    for (const f of files) await db.query(readFileSync(path.join(out, f), 'utf8'));
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK');
    throw e;
  }
}

/** Every combination of the finite context attributes' values, each also unset. */
function contexts(m: Model): [string, string][][] {
  let out: [string, string][][] = [[]];
  for (const a of m.contextSchema.values()) {
    const values = a.type.kind === 'bool' ? ['true', 'false'] : a.type.kind === 'enum' ? a.type.values.map((v) => v.value) : [];
    if (!values.length) continue;
    out = out.flatMap((ctx) => [ctx, ...values.map((v) => [...ctx, [a.name, v]] as [string, string][])]);
  }
  return out;
}

/** Reads every view as every principal in every context; returns the number of principal×context×field cases. */
async function compareAll(m: Model, every = 1): Promise<number> {
  let cases = 0;
  const contracts = [...m.contracts.values()].filter((c) => c.decl.source?.system.text === 'postgres');
  const physical = new Map<string, Row[]>();
  for (const c of contracts) {
    const p = physicalTable(String((c.decl.source!.location as { value: string }).value))!;
    const moved = p.schema === c.domain && p.table === c.name.slice(c.domain.length + 1);
    const q = moved ? `charter_tables.${pgIdent(`${p.schema}.${p.table}`)}` : `${pgIdent(p.schema)}.${pgIdent(p.table)}`;
    const cols = [...c.fields.keys()];
    const r = await db.query({ text: `SELECT ${cols.map((n) => `${pgIdent(n)}::text`).join(', ')} FROM ${q}`, rowMode: 'array' });
    physical.set(c.name, r.rows as Row[]);
  }
  for (const p of m.principals.values()) {
    for (const ctx of contexts(m).filter((_, i) => i % every === 0)) {
      const values = new Map(ctx.map(([k, v]) => [k, attributeValueFromText(m.contextSchema.get(k)!, v).value!]));
      const settings: [string, string | undefined][] = [...m.contextSchema.keys()].map((k) => [k, ctx.find(([n]) => n === k)?.[1]]);
      for (const c of contracts) {
        const got = await readView(db, m, p.name, settings, c);
        const want = expectedView(m, p, values, c, physical.get(c.name)!);
        cases += c.fields.size;
        const where = `${p.name} reading ${c.name} in context ${JSON.stringify(ctx)}`;
        if ('denied' in got) assert.ok(want.nothingReadable, `${where}: permission error although Charter decides ${want.decisions.join(', ')}`);
        else assert.deepEqual(canonical(got.rows), canonical(want.rows), `${where} (Charter: ${want.decisions.join(', ')})`);
      }
    }
  }
  return cases;
}

const extra = () => path.join(mesh(), 'org', 'extra.charter');

test('the examples mesh is enforced on PostgreSQL exactly as Charter decides, and re-applying is idempotent', async (t) => {
  writeFileSync(extra(), 'group temp-readers\nprincipal zoe {\n  member of temp-readers, analysts\n  region "EU"\n  clearance 5\n}\n');
  let m = model();
  await createTables(m);
  const out1 = path.join(dir, 'out1');
  const files = exportTo(out1);
  assert.equal(files[0], '000-roles.sql');
  assert.deepEqual(files.slice(1), ['001-crm.sql', '002-finance.sql', '003-payments.sql', '004-sales.sql'], 'one file per domain, in apply order');
  await applyFolder(out1, files);

  // What LANGUAGE.md promises, spelled out on one principal.
  const role = await db.query(`SELECT rolcanlogin FROM pg_roles WHERE rolname = 'alice'`);
  assert.deepEqual(role.rows, [{ rolcanlogin: 'f' }], 'alice is a NOLOGIN role');
  assert.equal((await db.query(`SELECT pg_has_role('alice', 'analysts', 'MEMBER') AS m`)).rows[0].m, 't', 'GRANT analysts TO alice');
  assert.equal((await db.query(`SELECT has_table_privilege('alice', 'public.customers', 'SELECT') AS m`)).rows[0].m, 'f', 'alice cannot read the physical table');
  await db.query(`SET ROLE alice`);
  await db.query(`SET charter.mfa = 'true'`);
  const orders = await db.query(`SELECT customer_email, card_last4, region, amount FROM sales.orders`);
  await db.query(`RESET ROLE`);
  await db.query(`RESET charter.mfa`);
  assert.ok(orders.rows.length > 0 && orders.rows.every((r) => r.region === 'EU'), 'alice sees only EU orders (rows where region == subject.region)');
  assert.ok(orders.rows.every((r) => r.customer_email === '[redacted]' && r.card_last4 === null && r.amount !== null), JSON.stringify(orders.rows));

  let cases = await compareAll(m);
  // Applying the same files again leaves everything as it was.
  await applyFolder(out1, files);
  cases += await compareAll(m, 4);

  // A change: zoe and temp-readers are gone, invoices leave PostgreSQL, analysts no longer need MFA.
  rmSync(extra());
  const invoices = path.join(mesh(), 'finance', 'invoices.charter');
  writeFileSync(invoices, readFileSync(invoices, 'utf8').replace(/source postgres "[^"]*"/, 'source snowflake "ERP.BILLING.INVOICES"'));
  const orders2 = path.join(mesh(), 'sales', 'orders.charter');
  writeFileSync(orders2, readFileSync(orders2, 'utf8').replace('when subject.clearance >= 2 and context.mfa', 'when subject.clearance >= 2'));
  m = model();
  const out2 = path.join(dir, 'out2');
  const files2 = exportTo(out2);
  assert.ok(!files2.some((f) => f.includes('finance')), 'no file for a domain without postgres contracts');
  await applyFolder(out2, files2);
  const gone = await db.query(`SELECT rolname FROM pg_roles WHERE rolname IN ('zoe', 'temp-readers')`);
  assert.deepEqual(gone.rows, [], 'roles no longer in the model are dropped');
  const view = await db.query(`SELECT to_regclass('finance.invoices') AS v`);
  assert.deepEqual(view.rows, [{ v: null }], 'the view of a contract no longer exported is dropped');
  cases += await compareAll(m, 2);
  t.diagnostic(`${cases} principal×context×field cases compared on the examples (3 applies)`);
});

test('a principal who can read nothing of a contract gets a permission error, and settings that are not values fail closed', async () => {
  const m = model();
  // erin (support agent) has no allow rule on payments.cards: no grant at all.
  await db.query(`SET ROLE erin`);
  await assert.rejects(db.query('SELECT * FROM payments.cards'), /permission denied/);
  await db.query(`RESET ROLE`);
  // A context value that is not one of the attribute's values counts as unset.
  const c = m.contracts.get('crm.customers')!;
  const asSet = await readView(db, m, 'erin', [['mfa', 'true'], ['device', 'managed']], c);
  const bogus = await readView(db, m, 'erin', [['mfa', 'yes'], ['device', 'laptop']], c);
  const unset = await readView(db, m, 'erin', [['mfa', undefined], ['device', undefined]], c);
  assert.deepEqual(bogus, unset);
  assert.notDeepEqual(asSet, unset);
  void pgString;
});

test("every word PostgreSQL does not take as a bare name is quoted (the server's own keyword list)", async () => {
  const r = await db.query(`SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'`);
  assert.ok(r.rows.length > 50);
  for (const { word } of r.rows) assert.equal(pgIdent(word), `"${word}"`, `${word} must be quoted`);
});
