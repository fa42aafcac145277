// Differential test of `charter export postgres` on a real PostgreSQL server
// (a throwaway cluster, test/pg/server.ts): random models (the Cedar
// differential generator: groups, principals with attributes, contracts with
// tagged fields and lineage, policies with conditions that often lack
// attributes, masks, row filters) get physical tables with generated rows;
// the export is applied; then for every principal × context, every view is
// read as that principal (SET ROLE, settings charter.X) and every row and
// cell compared with what Charter decides (test/pg/expect.ts). A
// disagreement is shrunk to the smallest model that shows it.
//
//   CHARTER_PG_SEED=7 CHARTER_PG_MODELS=200 npm test -- pg

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { buildModel, type ContractSym, type Model } from '../../grammar/index';
import { exportSql } from '../../grammar/export/sql';
import { pgIdent, pgString } from '../../grammar/export/postgres';
import { generate, genRequest, prng, render, requestContext, smaller, type GRequest, type GSpec } from '../unit/cedar-harness';
import { startPostgres, type PgServer } from './server';
import { apply, createTable, readView } from './session';
import { canonical, expectedView, type Row } from './expect';

const SEED = Number(process.env.CHARTER_PG_SEED ?? 20261201);
const MODELS = Number(process.env.CHARTER_PG_MODELS ?? 60);
const CONTEXTS = 4;
const ROWS = 6;

let server: PgServer;
let db: pg.Client;
before(async () => {
  server = await startPostgres();
  db = await server.connect();
});
after(async () => {
  await db?.end();
  await server?.stop();
});

/** Where each contract's physical table is: every second one has the view's own name (the export moves it aside). */
function physical(contract: string): { schema: string; table: string } {
  const [domain, product] = contract.split('.');
  return product.endsWith('1') ? { schema: domain, table: product } : { schema: 'raw', table: `${domain}_${product}` };
}

function source(spec: GSpec): string {
  return render(spec).replace(/^contract (\S+) \{$/gm, (line, name: string) => {
    const p = physical(name);
    return `${line}\n  source postgres "warehouse.${p.schema}.${p.table}"`;
  });
}

function buildWithSources(spec: GSpec): Model | undefined {
  const m = buildModel([{ uri: 'gen.charter', text: source(spec) }], { today: '2026-11-23' });
  return m.diagnostics.some((d) => d.severity === 'error') ? undefined : m;
}

const VALUES: Record<string, string[]> = {
  string: ['a', 'b', 'EU', 'US', 'APAC', 'pii', '2026-01-01', 'alice@example.com', '[redacted]', 'O\'Brien "x"'],
  int: ['0', '1', '2', '3', '5', '-7'],
  decimal: ['0', '1.5', '2.25', '3', '12.50', '-0.1'],
  bool: ['true', 'false'],
  date: ['2026-01-01', '2026-06-30', '2027-03-31'],
};

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Rows that depend only on the contract and column names and types (stable while shrinking). */
function rowsFor(model: Model, contract: string): Row[] {
  const c = model.contracts.get(contract)!;
  const cols = [...c.fields.values()].map((f) => {
    const r = prng(hash(`${contract}.${f.name}:${f.type}`));
    const pool = VALUES[f.type] ?? VALUES.string;
    return Array.from({ length: ROWS }, () => pool[r.int(pool.length)]);
  });
  return Array.from({ length: ROWS }, (_, i) => cols.map((col) => col[i]));
}

async function reset(): Promise<void> {
  const schemas = await db.query(`SELECT nspname FROM pg_namespace WHERE nspname IN ('raw', 'charter_tables', 'sales', 'crm', 'pay')`);
  for (const { nspname } of schemas.rows) await db.query(`DROP SCHEMA ${pgIdent(nspname)} CASCADE`);
}

/** Tests of the test break the export on purpose. */
let breakExport: ((sql: string) => string) | undefined;

async function load(model: Model): Promise<void> {
  await reset();
  for (const c of model.contracts.values() as Iterable<ContractSym>) {
    const p = physical(c.name);
    await createTable(db, c, p.schema, p.table, rowsFor(model, c.name));
  }
  const ex = exportSql(model, 'postgres');
  assert.deepEqual(ex.errors, [], 'the export has no errors');
  if (breakExport) for (const f of ex.files) f.sql = breakExport(f.sql);
  await apply(db, ex);
}

interface Case {
  principal: string;
  context: [string, string][];
  contract: string;
}

/** Reads one view as one principal in one context; undefined when PostgreSQL gives what Charter decides. */
async function disagreement(model: Model, cs: Case, tally?: Tally): Promise<string | undefined> {
  const ctx = requestContext(model, { principal: cs.principal, context: cs.context, field: '' } as GRequest);
  if (!ctx) return undefined;
  const p = model.principals.get(cs.principal)!;
  const c = model.contracts.get(cs.contract)!;
  const settings: [string, string | undefined][] = [...model.contextSchema.keys()].map((k) => [k, cs.context.find(([n]) => n === k)?.[1]]);
  const got = await readView(db, model, cs.principal, settings, c);
  const physicalRows = rowsFor(model, c.name);
  const want = expectedView(model, p, ctx, c, physicalRows);
  if (tally) {
    tally.cases += c.fields.size;
    for (const d of want.decisions) tally.decisions.set(d, (tally.decisions.get(d) ?? 0) + 1);
    if ('rows' in got && got.rows.length < physicalRows.length) tally.filtered++;
    if ('denied' in got) tally.permission++;
  }
  if ('denied' in got) return want.nothingReadable ? undefined : `permission error (${got.denied}) although Charter lets ${cs.principal} read: ${want.decisions.join(', ')}`;
  const a = canonical(got.rows);
  const b = canonical(want.rows);
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  return `PostgreSQL returned\n  ${a.join('\n  ') || '(no rows)'}\nCharter decides (${want.decisions.join(', ')})\n  ${b.join('\n  ') || '(no rows)'}`;
}

interface Tally {
  cases: number;
  decisions: Map<string, number>;
  filtered: number;
  permission: number;
}

async function shrink(spec: GSpec, cs: Case): Promise<string> {
  const field = [...buildWithSources(spec)!.contracts.get(cs.contract)!.fields.keys()][0];
  let cur = spec;
  let req: GRequest = { principal: cs.principal, context: cs.context, field: `${cs.contract}.${field}` };
  let message = '';
  const fails = async (s: GSpec, q: GRequest): Promise<string | undefined> => {
    const m = buildWithSources(s);
    if (!m || !m.principals.has(q.principal) || !m.fields.has(q.field)) return undefined;
    await load(m);
    return disagreement(m, { principal: q.principal, context: q.context, contract: q.field.split('.').slice(0, 2).join('.') });
  };
  message = (await fails(cur, req)) ?? 'the case no longer fails on its own';
  for (let progress = true, rounds = 0; progress && rounds < 100; rounds++) {
    progress = false;
    for (const [s, q] of smaller(cur, req)) {
      const w = await fails(s, q);
      if (w) {
        [cur, req, message] = [s, q, w];
        progress = true;
        break;
      }
    }
  }
  const ctx = req.context.map(([k, v]) => `${k}=${v}`).join(' ') || '(none)';
  return `PostgreSQL and Charter disagree. Smallest model:\n\n${source(cur)}\nprincipal ${req.principal}, context ${ctx}, view ${req.field.split('.').slice(0, 2).join('.')}\n${message}`;
}

test(`PostgreSQL enforces what Charter decides on ${MODELS} random models (seed ${SEED}; CHARTER_PG_SEED, CHARTER_PG_MODELS)`, async (t) => {
  const r = prng(SEED);
  const tally: Tally = { cases: 0, decisions: new Map(), filtered: 0, permission: 0 };
  let models = 0;
  let skipped = 0;
  const start = Date.now();
  while (models < MODELS) {
    const spec: GSpec = generate(r);
    const model: Model | undefined = buildWithSources(spec);
    if (!model) {
      skipped++;
      assert.ok(skipped < 100 + models, 'the generator makes too many invalid models');
      continue;
    }
    models++;
    await load(model);
    // Principals read only the views: the physical tables are never theirs.
    for (const p of model.principals.values()) {
      for (const c of model.contracts.values() as Iterable<ContractSym>) {
        const ph = physical(c.name);
        const phys: string = ph.schema === c.domain ? `charter_tables.${pgIdent(`${ph.schema}.${ph.table}`)}` : `${pgIdent(ph.schema)}.${pgIdent(ph.table)}`;
        const priv: pg.QueryResult = await db.query(`SELECT has_table_privilege(${pgString(p.name)}, ${pgString(phys)}, 'SELECT') AS ok`);
        assert.equal(priv.rows[0].ok, 'f', `${p.name} must not be able to read ${phys}`);
      }
    }
    const contexts = Array.from({ length: CONTEXTS }, () => genRequest(r, spec).context);
    for (const p of model.principals.values()) {
      for (const context of contexts) {
        for (const c of model.contracts.values() as Iterable<ContractSym>) {
          const cs: Case = { principal: p.name, context, contract: c.name };
          const d: string | undefined = await disagreement(model, cs, tally);
          if (d) assert.fail(process.env.CHARTER_PG_NO_SHRINK ? `${source(spec)}\n${JSON.stringify(cs)}\n${d}` : await shrink(spec, cs));
        }
      }
    }
  }
  const decisions = [...tally.decisions].sort().map(([k, v]) => `${v} ${k}`).join(', ');
  t.diagnostic(`${tally.cases} principal×context×field cases on ${models} models (${skipped} invalid skipped) in ${Date.now() - start} ms: ${decisions}; ${tally.filtered} reads with rows filtered out, ${tally.permission} permission errors (nothing readable)`);
  assert.ok(tally.cases >= 1000 || MODELS < 20, `too few cases: ${tally.cases}`);
  for (const k of ['clear', 'denied', 'masked null', 'masked redact', 'masked hash', 'masked partial']) assert.ok((tally.decisions.get(k) ?? 0) > 10 || MODELS < 20, `too few '${k}' cases`);
  assert.ok(tally.filtered > 10 || MODELS < 20, 'too few reads with rows filtered out');
});

test('a wrong translation is caught and shrunk to a small model (deny conditions made to fail open)', async () => {
  breakExport = (sql) => sql.replace(/IS NOT FALSE/g, 'IS TRUE');
  try {
    const r = prng(5);
    for (let n = 0; n < 200; n++) {
      const spec: GSpec = generate(r);
      const model: Model | undefined = buildWithSources(spec);
      if (!model) continue;
      await load(model);
      const contexts = Array.from({ length: CONTEXTS }, () => genRequest(r, spec).context);
      for (const p of model.principals.values()) {
        for (const context of contexts) {
          for (const c of model.contracts.values() as Iterable<ContractSym>) {
            const cs: Case = { principal: p.name, context, contract: c.name };
            const d: string | undefined = await disagreement(model, cs);
            if (!d) continue;
            const text = await shrink(spec, cs);
            assert.match(text, /^PostgreSQL and Charter disagree\. Smallest model:/);
            const policies = text.match(/^policy /gm)?.length ?? 0;
            assert.equal(policies, 1, text);
            assert.match(text, /^ {2}(deny|mask) .* when /m, text);
            assert.ok(text.split('\n').length < source(spec).split('\n').length, text);
            return;
          }
        }
      }
    }
    assert.fail('the broken export was never caught');
  } finally {
    breakExport = undefined;
  }
});
