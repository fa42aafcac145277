// charter import odcs on the three official ODCS examples and on documents
// written to probe each mapping: the contracts, fields and tags produced,
// that the output checks without errors and is formatted, and that every
// part of the input is either mapped or listed (with its path and line).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../grammar/index';
import { isFormatted as formatted } from '../../../grammar/services/format';
import { importOdcs, type ImportResult } from '../../../grammar/interop/odcs-import';
import { knownNames } from '../../../grammar/interop/known-names';
import { charterName } from '../../../grammar/interop/names';
import { parseYaml, pathText, type YamlPath } from '../../../grammar/interop/yaml';
import { ODCS_EXAMPLES } from './harness';


function load(name: string) {
  const text = readFileSync(path.join(ODCS_EXAMPLES, name), 'utf8');
  const y = parseYaml(text);
  assert.deepEqual(y.errors, []);
  return { file: name, docs: y.docs, text };
}

function imported(...names: string[]): ImportResult {
  return importOdcs(names.map(load).map(({ file, docs }) => ({ file, docs })));
}

function fromText(file: string, text: string, known?: ReturnType<typeof knownNames>): ImportResult {
  const y = parseYaml(text);
  assert.deepEqual(y.errors, []);
  return importOdcs([{ file, docs: y.docs }], { known });
}

/** The imported files analysed as a workspace (plus `extra` files). */
function modelOf(r: ImportResult, extra: { uri: string; text: string }[] = []) {
  const a = analyze([...extra, ...r.files.map((f) => ({ uri: f.path, text: f.text }))], { today: '2026-12-01' });
  return a;
}

function fieldsOf(r: ImportResult, contract: string) {
  const m = modelOf(r).model;
  const c = m.contracts.get(contract);
  assert.ok(c, `no contract ${contract} in ${[...m.contracts.keys()].join(', ')}`);
  return [...c.fields.values()].map((f) => [f.name, f.type, [f.decl.key && 'key', f.decl.required && 'required', f.decl.unique && 'unique'].filter(Boolean).join(' '), f.declaredTags.join(',')].join(' | '));
}

function assertClean(r: ImportResult) {
  const a = modelOf(r);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}: ${d.code}: ${d.message}`), []);
  for (const f of r.files) assert.equal(formatted(f.text), true, `${f.path} is not formatted:\n${f.text}`);
}

// ------------------------------------------------------------- the examples

test('full-example: objects become contracts, properties fields, with types, keys, tags, owner, SLA and source', () => {
  const r = imported('full-example.odcs.yaml');
  assertClean(r);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.files.map((f) => [f.path, f.contracts]), [['seller/my_quantum.charter', ['seller.tbl', 'seller.receivers']]]);
  assert.deepEqual(fieldsOf(r, 'seller.tbl'), [
    'transaction_reference_date | date |  | public',
    'rcvr_id | string | key | restricted,uid',
    'rcvr_cntry_code | string |  | public',
  ]);
  assert.deepEqual(fieldsOf(r, 'seller.receivers'), [
    'id | string | key required unique | restricted',
    'country_code | string | key required | public',
    'receiver_name | string | required | restricted',
    'receiver_type | string |  | public',
  ]);
  const m = modelOf(r).model;
  const tbl = m.contracts.get('seller.tbl')!;
  assert.equal(tbl.owner, 'my-team');
  assert.deepEqual(['version', 'status', 'sla.latency', 'sla.retention', 'sla.freshness'].map((k) => { const v = tbl.properties.get(k) as any; return v.text ?? v.value; }), ['1.1.0', 'active', '4d', '3y', '1d']);
  assert.equal(tbl.decl.source?.system.text, 'postgres');
  assert.equal((tbl.decl.source?.location as any).value, 'pypl-edw.pp_access_views.tbl_1');
  assert.match(tbl.decl.doc ?? '', /^Provides core payment metrics\n\nPurpose: Views built on top of the seller tables\./);
  assert.equal(m.fields.get('seller.tbl.rcvr_id')!.decl.doc, 'A description for column rcvr_id.');
  // The team and the roles are groups; the unknown classifications are declared.
  assert.deepEqual([...m.groups.keys()].sort(), ['bq_queryman_user_opr', 'bq_unica_user_opr', 'microstrategy_user_opr', 'my-team', 'risk_data_access_opr']);
  assert.equal(m.groups.get('my-team')!.description, 'The team owning the data contract');
  assert.deepEqual([...m.classifications.keys()].sort(), ['public', 'restricted', 'uid']);
  assert.deepEqual([...m.domains.keys()], ['seller']);
});

test('table-column (v3.0.2) and database-table-sla (no schema objects) import; the domain comes from the data product', () => {
  const r = imported('table-column.odcs.yaml', 'database-table-sla.odcs.yaml');
  assertClean(r);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.files.map((f) => [f.path, f.contracts]), [
    ['my_quantum/my_table.charter', ['my_quantum.tbl']],
    ['my_quantum/my_table_2.charter', ['my_quantum.my_table']],
  ]);
  assert.deepEqual(fieldsOf(r, 'my_quantum.tbl'), ['rcvr_cntry_code | string |  | ']);
  const sla = modelOf(r).model.contracts.get('my_quantum.my_table')!;
  assert.equal(sla.fields.size, 0);
  assert.deepEqual(sla.decl.sla!.entries.map((e) => `${e.key.text} ${(e.value as any).text}`), ['latency 4d', 'retention 3y', 'freshness 1d']);
  assert.ok(r.renamed.some((n) => n.file === 'table-column.odcs.yaml' && n.path === 'dataProduct' && /domain my_quantum/.test(n.message)));
  assert.ok(r.renamed.some((n) => n.file === 'database-table-sla.odcs.yaml' && n.path === 'schema' && /without fields/.test(n.message)));
});

/** Keys whose values the import turns into Charter (an independent list, from docs/interop.md). */
const MAPPED = [
  /^(kind|apiVersion|id|version|status|domain|name|dataProduct)$/,
  /^description\.(purpose|usage|limitations)$/,
  /^team\.(name|description)$/,
  /^roles\[\d+\]\.role$/,
  /^servers\[0\]\.(type|database|schema)$/,
  /^slaProperties\[\d+\]\.(property|value|unit)$/,
  /^schema\[\d+\]\.(name|id|description|physicalName)$/,
  /^schema\[\d+\]\.properties\[\d+\]\.(name|id|logicalType|required|primaryKey|primaryKeyPosition|unique|description|classification|tags\[\d+\])$/,
];

function leaves(v: unknown, p: YamlPath = [], out: YamlPath[] = []): YamlPath[] {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...p, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, [...p, k], out);
  else if (v !== null && v !== false && v !== '' && !(v === -1 && String(p[p.length - 1]).endsWith('Position'))) out.push(p);
  return out;
}

for (const name of ['full-example.odcs.yaml', 'table-column.odcs.yaml', 'database-table-sla.odcs.yaml']) {
  test(`${name}: every part is mapped or listed in the summary with its path and line`, () => {
    const { docs, text } = load(name);
    const r = imported(name);
    const listed = [...r.notImported, ...r.renamed, ...r.problems].filter((n) => n.file === name);
    const lines = text.split('\n');
    for (const n of listed) {
      // The line given is where the listed part is.
      const last = n.path.replace(/\[\d+\]$/, '').split('.').pop()!;
      const at = lines[n.line - 1] ?? '';
      assert.ok(at.includes(last) || /^\s*-/.test(at) || n.path === 'schema', `${n.path} is not at line ${n.line}: ${at}`);
    }
    const covered = (p: string) => listed.some((n) => p === n.path || p.startsWith(n.path + '.') || p.startsWith(n.path + '['));
    const missing = leaves(docs[0].value)
      .map(pathText)
      .filter((p) => !covered(p) && !MAPPED.some((re) => re.test(p)));
    // A `value`/`unit` of an SLA the import did not map is listed with its entry.
    assert.deepEqual(missing, []);
  });
}

test('full-example: what has no Charter equivalent is listed where it is', () => {
  const r = imported('full-example.odcs.yaml');
  const at = (p: string) => r.notImported.find((n) => n.path === p);
  for (const [p, line, why] of [
    ['servers[0].host', 30, /servers/],
    ['schema[0].properties[2].quality', 135, /quality/],
    ['schema[0].quality', 152, /quality/],
    ['schema[0].relationships', 51, /relationships/],
    ['schema[0].properties[2].authoritativeDefinitions', 127, /authoritative/],
    ['authoritativeDefinitions', 8, /authoritative/],
    ['price', 224, /pricing/],
    ['support', 300, /support/],
    ['customProperties', 323, /custom properties/],
    ['team.members', 234, /members/],
    ['roles[0].access', 252, /policies/],
    ['slaProperties[1]', 274, /generalAvailability/],
    ['schema[0].properties[0].transformSourceObjects[0]', 81, /object.*not a property/],
    ['tags', 318, /fields, not whole contracts/],
    ['contractCreatedTs', 331, /timestamp/],
  ] as const) {
    const n = at(p);
    assert.ok(n, `${p} is not listed`);
    assert.equal(n.line, line, p);
    assert.match(n.message, why, p);
    assert.equal(n.file, 'full-example.odcs.yaml');
  }
});

// -------------------------------------------------------- probing each rule

const HEAD = 'apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\n';

test('names that are not Charter names are changed deterministically, and each change is reported', () => {
  const r = fromText('n.odcs.yaml', `${HEAD}domain: Sales Ops
name: Web Orders
schema:
  - name: Order Lines
    properties:
      - name: Order ID
        logicalType: string
      - name: order-id
        logicalType: string
      - name: Order_ID
        logicalType: string
      - name: Order ID
        logicalType: integer
      - name: 3rd party
        logicalType: string
      - name: "Größe"
        logicalType: number
`);
  assertClean(r);
  assert.deepEqual(fieldsOf(r, 'Sales_Ops.Order_Lines').map((f) => f.split(' | ').slice(0, 2).join(' ')), ['Order_ID string', 'order-id string', 'Order_ID_2 string', 'Order_ID_3 int', '_3rd_party string', 'Gro_e decimal']);
  assert.equal(r.files[0].path, 'Sales_Ops/Web_Orders.charter');
  assert.ok(r.renamed.some((n) => n.path === 'domain' && n.message === 'domain "Sales Ops" → Sales_Ops'));
  assert.ok(r.renamed.some((n) => n.path === 'schema[0].properties[4].name' && /"3rd party" → _3rd_party/.test(n.message)));
  // Two properties that end up with one name: a problem, both kept.
  assert.equal(r.problems.filter((n) => /already has a field Order_ID/.test(n.message)).length, 2);
  assert.equal(charterName('sales-data'), 'sales-data');
  assert.equal(charterName('CustomerID'), 'CustomerID');
});

test('lineage: transformSourceObjects that name properties become `from`; the transform kind comes from transformLogic', () => {
  const r = fromText('l.odcs.yaml', `${HEAD}domain: shop
schema:
  - name: customers
    id: cust
    properties:
      - name: email
        id: email_p
        logicalType: string
        classification: PII.Email
      - name: id
        logicalType: string
        logicalTypeOptions: { format: uuid }
  - name: orders
    properties:
      - name: customer_email
        logicalType: string
        transformSourceObjects: [customers.email]
      - name: email_hash
        logicalType: string
        transformSourceObjects: ['/schema/cust/properties/email_p']
        transformLogic: hash
      - name: n
        logicalType: integer
        transformSourceObjects: [shop.customers.id, raw_db.table]
        transformLogic: "select count(*) from customers"
      - name: tags_list
        logicalType: array
        items: { logicalType: string, logicalTypeOptions: { format: uuid } }
`);
  assertClean(r);
  const m = modelOf(r).model;
  const f = (q: string) => m.fields.get(q)!;
  assert.deepEqual(f('shop.orders.customer_email').sources.map((s) => s.qname), ['shop.customers.email']);
  assert.equal(f('shop.orders.customer_email').transform, 'copy');
  assert.equal(f('shop.orders.email_hash').transform, 'hash');
  assert.equal(f('shop.orders.email_hash').tags.get('PII.Email')?.protected, true);
  assert.equal(f('shop.orders.n').transform, 'derive');
  assert.equal(f('shop.customers.id').type, 'uuid');
  assert.equal(f('shop.orders.tags_list').type, 'list<uuid>');
  assert.deepEqual([...m.classifications.keys()].sort(), ['PII', 'PII.Email']);
  assert.ok(r.notImported.some((n) => n.path === 'schema[1].properties[2].transformSourceObjects[1]' && /not a property|names no property/.test(n.message)));
  assert.ok(r.notImported.some((n) => n.path === 'schema[1].properties[2].transformLogic' && /via derive/.test(n.message)));
});

test('what the workspace already declares is reused, case aside, and never declared twice', () => {
  const known = knownNames([{ uri: 'org.charter', text: 'group sales-data\nclassification pii\nclassification pii.email\ndomain shop\ncontract shop.customers {\n  field email: string\n}\n' }]);
  const r = fromText('k.odcs.yaml', `${HEAD}domain: Shop
team: { name: Sales-Data }
schema:
  - name: orders
    properties:
      - name: email
        logicalType: string
        tags: [PII.EMAIL, finance]
        transformSourceObjects: [customers.email]
`, known);
  const org = { uri: 'org.charter', text: 'group sales-data\nclassification pii\nclassification pii.email\ndomain shop\ncontract shop.customers {\n  field email: string\n}\n' };
  const a = modelOf(r, [org]);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const c = a.model.contracts.get('shop.orders')!;
  assert.equal(c.owner, 'sales-data');
  assert.deepEqual(a.model.fields.get('shop.orders.email')!.declaredTags, ['pii.email', 'finance']);
  assert.deepEqual(a.model.fields.get('shop.orders.email')!.sources.map((s) => s.qname), ['shop.customers.email']);
  assert.doesNotMatch(r.files[0].text, /^(group|domain) /m);
  assert.match(r.files[0].text, /^classification finance$/m);
});

test('ODCS v3.0 teams, statuses and versions that Charter spells otherwise are converted and reported', () => {
  const r = fromText('v.odcs.yaml', `apiVersion: v3.0.2
kind: DataContract
id: y
version: v2.0.1
status: proposed
domain: hr
team:
  - username: ann
    role: owner
schema:
  - name: people
    properties:
      - name: start
        logicalType: time
      - name: flag
        logicalType: boolean
        required: "yes"
slaProperties:
  - property: retention
    value: 6
    unit: months
  - property: availability
    value: "99.5%"
  - property: latency
    value: soon
`);
  assertClean(r);
  const c = modelOf(r).model.contracts.get('hr.people')!;
  assert.equal((c.properties.get('version') as any).value, '2.0.1');
  assert.equal((c.properties.get('status') as any).text, 'draft');
  assert.equal(c.owner, 'hr-team');
  assert.deepEqual(c.decl.sla!.entries.map((e) => `${e.key.text} ${(e.value as any).text}`), ['retention 180d', 'availability 99.5%']);
  assert.ok(r.renamed.some((n) => n.path === 'status' && /proposed.*draft/.test(n.message)));
  assert.ok(r.renamed.some((n) => n.path === 'team' && /hr-team/.test(n.message)));
  assert.ok(r.renamed.some((n) => n.path === 'schema[0].properties[0].logicalType' && /time/.test(n.message)));
  assert.ok(r.notImported.some((n) => n.path === 'team[0]' || n.path === 'team'));
  assert.deepEqual(r.problems.map((n) => n.path).sort(), ['schema[0].properties[1].required', 'slaProperties[2]']);
});

test('documents that are not ODCS v3 data contracts are errors with their line', () => {
  for (const [text, line, re] of [
    ['openapi: 3.0.0\ninfo: {}\n', 1, /no `kind: DataContract`/],
    ['apiVersion: v3.1.0\nkind: Pipeline\n', 2, /kind is "Pipeline"/],
    ['kind: DataContract\napiVersion: v2.2.2\ndataset: []\n', 2, /ODCS v2/],
    ['- a\n- b\n', 1, /list/],
  ] as const) {
    const r = fromText('x.yaml', text);
    assert.equal(r.errors.length, 1, text);
    assert.equal(r.errors[0].line, line, text);
    assert.match(r.errors[0].message, re);
    assert.equal(r.files.length, 0);
  }
  const bad = parseYaml('kind: DataContract\nschema:\n  - name: a\n   bad: [1, 2\n');
  assert.ok(bad.errors.length > 0);
  assert.ok(bad.errors[0].line >= 3, JSON.stringify(bad.errors));
});

test('what other tools write: PyYAML-style quoted strings, ISO 8601 durations, free-text statuses, physical types', () => {
  const text = `${HEAD.replace('status: active', 'status: production')}domain: ops
schema:
  - name: t
    description: "Lookup table containing the departments within the company,\\
    \\ one row each."
    properties:
      - name: a
        physicalType: VARCHAR2(10)
      - name: b
        physicalType: NUMBER(10,2)
      - name: c
        physicalType: ARRAY<STRING>
slaProperties:
  - property: retention
    value: P1Y
  - property: latency
    value: PT15M
  - property: freshness
    value: P1DT12H
`;
  const y = parseYaml(text);
  assert.deepEqual(y.errors, []);
  assert.deepEqual(y.reindented, [10]);
  const r = importOdcs([{ file: 'p.odcs.yaml', docs: y.docs }]);
  assertClean(r);
  const c = modelOf(r).model.contracts.get('ops.t')!;
  assert.equal(c.decl.doc, 'Lookup table containing the departments within the company, one row each.');
  assert.equal((c.properties.get('status') as any).text, 'active');
  assert.deepEqual(c.decl.sla!.entries.map((e) => `${e.key.text} ${(e.value as any).text}`), ['retention 1y', 'latency 15m', 'freshness 36h']);
  assert.deepEqual(fieldsOf(r, 'ops.t').map((f) => f.split(' | ').slice(0, 2).join(' ')), ['a string', 'b decimal', 'c list<string>']);
  assert.deepEqual(r.problems, []);
});

test('many documents with the same object name: each gets its own contract name (and a problem says so)', () => {
  const doc = (i: number) => ({ file: `d${i}.odcs.yaml`, docs: parseYaml(`${HEAD}domain: x\nname: n\nschema:\n  - name: tbl\n    properties:\n      - name: a${i}\n        logicalType: string\n`).docs });
  const r = importOdcs([1, 2, 3, 4].map(doc));
  assertClean(r);
  assert.deepEqual(r.files.map((f) => [f.path, f.contracts]), [
    ['x/n.charter', ['x.tbl']],
    ['x/n_2.charter', ['x.tbl_2']],
    ['x/n_3.charter', ['x.tbl_3']],
    ['x/n_4.charter', ['x.tbl_4']],
  ]);
  assert.equal(r.problems.length, 3);
});

test('a Data Contract Specification file is told apart; an ODCS v3 document without kind is read, with a problem', () => {
  const dcs = fromText('dcs.yaml', 'dataContractSpecification: 1.1.0\nid: x\ninfo:\n  title: X\nmodels: {}\n');
  assert.match(dcs.errors[0].message, /Data Contract Specification/);
  assert.equal(dcs.errors[0].line, 1);
  const nokind = fromText('k.yaml', 'apiVersion: v3.0.0\nid: x\nversion: 1.0.0\nstatus: active\ndomain: d\nschema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: string\n');
  assert.deepEqual(nokind.errors, []);
  assert.equal(nokind.contracts, 1);
  assert.match(nokind.problems[0].message, /no `kind: DataContract`/);
});
