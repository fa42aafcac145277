// charter import odcs, export odcs and export openlineage as a user runs
// them (the bundled CLI): exit codes, messages with file and line, files
// that validate against the official schemas, and --url against a local
// HTTP server (retries, permanent failures).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { charter } from './run';
import { errorsOf, ODCS_EXAMPLES, odcsValidator, openLineageValidators } from '../unit/interop/harness';

const CLI = path.resolve('dist/cli.cjs');

function tmp(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-interop-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The CLI without blocking this process (the HTTP server below must answer meanwhile). */
function charterAsync(args: string[], cwd?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The example workspace without mistakes/. */
function examples(into: string): string {
  const ws = path.join(into, 'ws');
  cpSync('examples', ws, { recursive: true });
  rmSync(path.join(ws, 'mistakes'), { recursive: true, force: true });
  return ws;
}

test('import odcs of the three official examples: exit 0, one file per data contract, and charter check passes', () => {
  const t = tmp();
  try {
    const r = charter(['import', 'odcs', ODCS_EXAMPLES, '--out', path.join(t.dir, 'out')], { cwd: t.dir });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /wrote out\/seller\/my_quantum\.charter: seller\.tbl, seller\.receivers/);
    assert.match(r.stdout, /not imported: no Charter equivalent \(\d+\):/);
    assert.match(r.stdout, /full-example\.odcs\.yaml:135 {2}schema\[0\]\.properties\[2\]\.quality: data quality rules/);
    assert.match(r.stdout, /full-example\.odcs\.yaml:224 {2}price: pricing has no Charter equivalent/);
    assert.match(r.stdout, /imported 4 contracts with 8 fields into 3 files/);
    const check = charter(['check', path.join(t.dir, 'out'), '--format', 'json']);
    assert.equal(check.status, 0, check.stdout);
    assert.deepEqual(JSON.parse(check.stdout).diagnostics.filter((d: any) => d.severity === 'error'), []);
    // Importing again overwrites its own files, and the workspace stays clean.
    const again = charter(['import', 'odcs', ODCS_EXAMPLES, '--out', 'out'], { cwd: t.dir });
    assert.equal(again.status, 0, again.stderr + again.stdout);
    assert.equal(charter(['check', path.join(t.dir, 'out')]).status, 0);
    assert.equal(charter(['fmt', path.join(t.dir, 'out'), '--check']).status, 0);
  } finally {
    t.dispose();
  }
});

test('import odcs --format json lists what was written and what was not, with paths and lines', () => {
  const t = tmp();
  try {
    const r = charter(['import', 'odcs', path.join(ODCS_EXAMPLES, 'full-example.odcs.yaml'), '--out', t.dir, '--format', 'json'], { cwd: t.dir });
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.files.map((f: any) => f.contracts), [['seller.tbl', 'seller.receivers']]);
    assert.equal(j.contracts, 2);
    assert.equal(j.fields, 7);
    assert.ok(j.notImported.some((n: any) => n.path === 'servers[0].host' && n.line === 30 && /full-example\.odcs\.yaml$/.test(n.file)));
    assert.deepEqual(j.problems, []);
    assert.deepEqual(j.errors, []);
  } finally {
    t.dispose();
  }
});

test('import odcs exits 1 when something could not be kept as written, and never overwrites a file it did not write', () => {
  const t = tmp();
  try {
    writeFileSync(path.join(t.dir, 'v.odcs.yaml'), 'apiVersion: v3.1.0\nkind: DataContract\nid: v\nversion: latest\nstatus: active\ndomain: d\nname: v\nschema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: string\n');
    const r = charter(['import', 'odcs', 'v.odcs.yaml', '--out', 'out'], { cwd: t.dir });
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /problems \(1\):\n {2}v\.odcs\.yaml:4 {2}version: version "latest" is not a version number/);
    assert.ok(existsSync(path.join(t.dir, 'out/d/v.charter')));
    // A hand-written file where the import would write: kept, and said.
    writeFileSync(path.join(t.dir, 'out/d/v.charter'), '# mine\ndomain d\n');
    const again = charter(['import', 'odcs', 'v.odcs.yaml', '--out', 'out'], { cwd: t.dir });
    assert.equal(again.status, 1);
    assert.match(again.stdout, /out\/d\/v\.charter exists and was not written by charter import: it was not overwritten/);
    assert.equal(readFileSync(path.join(t.dir, 'out/d/v.charter'), 'utf8'), '# mine\ndomain d\n');
  } finally {
    t.dispose();
  }
});

test('import odcs: a second data contract with the same name gets a file of its own; importing the first again rewrites only its file', () => {
  const t = tmp();
  try {
    const doc = (id: string, field: string) => `apiVersion: v3.1.0\nkind: DataContract\nid: ${id}\nversion: 1.0.0\nstatus: active\ndomain: d\nname: n\nschema:\n  - name: t_${id}\n    properties:\n      - name: ${field}\n        logicalType: string\n`;
    writeFileSync(path.join(t.dir, 'a.odcs.yaml'), doc('a', 'x'));
    writeFileSync(path.join(t.dir, 'b.odcs.yaml'), doc('b', 'y'));
    assert.equal(charter(['import', 'odcs', 'a.odcs.yaml', '--out', 'out'], { cwd: t.dir }).status, 0);
    const b = charter(['import', 'odcs', 'b.odcs.yaml', '--out', 'out'], { cwd: t.dir });
    assert.equal(b.status, 0, b.stdout);
    assert.match(b.stdout, /wrote out\/d\/n_2\.charter: d\.t_b/);
    writeFileSync(path.join(t.dir, 'a.odcs.yaml'), doc('a', 'z'));
    const again = charter(['import', 'odcs', 'a.odcs.yaml', '--out', 'out'], { cwd: t.dir });
    assert.equal(again.status, 0, again.stdout);
    assert.match(readFileSync(path.join(t.dir, 'out/d/n.charter'), 'utf8'), /field z: string/);
    assert.match(readFileSync(path.join(t.dir, 'out/d/n_2.charter'), 'utf8'), /field y: string/);
    assert.equal(charter(['check', path.join(t.dir, 'out')]).status, 0);
  } finally {
    t.dispose();
  }
});

test('import odcs exits 2 on invalid YAML (file and line), on a document that is not ODCS, and on a missing file; the rest is imported', () => {
  const t = tmp();
  try {
    writeFileSync(path.join(t.dir, 'bad.odcs.yaml'), 'apiVersion: v3.1.0\nkind: DataContract\nschema:\n  - name: a\n    properties: [x, y\n  - name: b\n');
    writeFileSync(path.join(t.dir, 'api.yaml'), 'openapi: 3.0.0\ninfo:\n  title: Pets\n');
    cpSync(path.join(ODCS_EXAMPLES, 'table-column.odcs.yaml'), path.join(t.dir, 'good.odcs.yaml'));
    const r = charter(['import', 'odcs', 'bad.odcs.yaml', 'api.yaml', 'good.odcs.yaml', 'missing.yaml', '--out', 'out'], { cwd: t.dir });
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /^charter import: bad\.odcs\.yaml:6:\d+: invalid YAML: Flow sequence/m);
    assert.match(r.stderr, /^charter import: api\.yaml:1: not an ODCS data contract: it has no `kind: DataContract`$/m);
    assert.match(r.stderr, /^charter import: missing\.yaml: no such file or folder$/m);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/); // no stack trace
    assert.ok(existsSync(path.join(t.dir, 'out/my_quantum/my_table.charter')));
    // In a folder, YAML files that are not data contracts are skipped (and said), *.odcs.yaml ones must be valid.
    rmSync(path.join(t.dir, 'bad.odcs.yaml'));
    const dir = charter(['import', 'odcs', '.', '--out', 'out2'], { cwd: t.dir });
    assert.equal(dir.status, 0, dir.stderr);
    assert.match(dir.stdout, /^skipped api\.yaml: not an ODCS data contract$/m);
    // Usage mistakes.
    assert.equal(charter(['import', 'csv', 'x']).status, 2);
    assert.equal(charter(['import', 'odcs']).status, 2);
  } finally {
    t.dispose();
  }
});

test('export odcs writes one valid ODCS v3.1.0 file per contract; importing them gives a workspace that checks', () => {
  const t = tmp();
  try {
    const ws = examples(t.dir);
    const r = charter(['export', 'odcs', ws, '--out', path.join(t.dir, 'odcs')]);
    assert.equal(r.status, 0, r.stderr);
    const files = readdirSync(path.join(t.dir, 'odcs')).sort();
    assert.equal(files.length, 12);
    assert.ok(files.includes('sales.orders.odcs.yaml'));
    const validate = odcsValidator();
    for (const f of files) {
      const doc = parseYamlText(readFileSync(path.join(t.dir, 'odcs', f), 'utf8'));
      assert.ok(validate(doc), `${f}: ${errorsOf(validate)}`);
    }
    const back = charter(['import', 'odcs', path.join(t.dir, 'odcs'), '--out', path.join(t.dir, 'back')]);
    assert.equal(back.status, 0, back.stdout + back.stderr);
    assert.equal(charter(['check', path.join(t.dir, 'back')]).status, 0);
    // A model with errors is not exported.
    const broken = charter(['export', 'odcs', 'examples', '--out', path.join(t.dir, 'no')]);
    assert.equal(broken.status, 1);
    assert.ok(!existsSync(path.join(t.dir, 'no')));
  } finally {
    t.dispose();
  }
});

test('export openlineage writes JSON Lines, one valid event per contract', () => {
  const t = tmp();
  try {
    const ws = examples(t.dir);
    const r = charter(['export', 'openlineage', ws, '--out', path.join(t.dir, 'events.jsonl'), '--namespace', 'acme']);
    assert.equal(r.status, 0, r.stderr);
    const lines = readFileSync(path.join(t.dir, 'events.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 12);
    const { event } = openLineageValidators();
    for (const l of lines) {
      const e = JSON.parse(l);
      assert.ok(event(e), errorsOf(event));
      assert.equal(e.job.namespace, 'acme');
    }
    // Without --out nor --url: on stdout.
    const out = charter(['export', 'openlineage', ws]);
    assert.equal(out.status, 0);
    assert.equal(out.stdout.trim().split('\n').length, 12);
    assert.equal(charter(['export', 'openlineage', ws, '--url', 'not a url']).status, 2);
  } finally {
    t.dispose();
  }
});

/** A local OpenLineage endpoint answering with `answer(n)` for the n-th request (1-based). */
async function endpoint(answer: (n: number) => number) {
  const bodies: any[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const status = answer(++n);
      if (status >= 200 && status < 300) bodies.push({ path: req.url, type: req.headers['content-type'], event: JSON.parse(body) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status < 300 ? '' : '{"error":"collector unavailable"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/lineage`;
  return { url, bodies, requests: () => n, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function smallWorkspace(dir: string): string {
  const ws = path.join(dir, 'small');
  mkdirSync(ws);
  writeFileSync(path.join(ws, 'a.charter'), 'group g\ndomain d\n## Raw\ncontract d.raw {\n  owner g\n  field email: string\n}\ncontract d.clean {\n  owner g\n  field email_hash: string from d.raw.email via hash\n}\n');
  return ws;
}

test('export openlineage --url POSTs every event; a failure is retried and then succeeds', async () => {
  const t = tmp();
  const ep = await endpoint((n) => (n === 1 ? 503 : 201));
  try {
    const r = await charterAsync(['export', 'openlineage', smallWorkspace(t.dir), '--url', ep.url]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(ep.requests(), 3);
    assert.deepEqual(ep.bodies.map((b) => b.event.job.name), ['d.clean', 'd.raw']);
    assert.ok(ep.bodies.every((b) => b.path === '/api/v1/lineage' && b.type === 'application/json'));
    assert.match(r.stderr, /sent 2 OpenLineage events to .* \(1 retry\)/);
    assert.equal(r.stdout, '');
  } finally {
    await ep.close();
    t.dispose();
  }
});

test('export openlineage --url: a permanent failure stops after the retries with a clear error, exit 2', async () => {
  const t = tmp();
  const ep = await endpoint(() => 500);
  try {
    const r = await charterAsync(['export', 'openlineage', smallWorkspace(t.dir), '--url', ep.url, '--retries', '2']);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(ep.requests(), 3);
    assert.match(r.stderr, /POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/lineage failed for d\.clean: HTTP 500 Internal Server Error: \{"error":"collector unavailable"\} \(after 3 attempts\)/);
    assert.match(r.stderr, /0 of 2 events sent/);
  } finally {
    await ep.close();
    t.dispose();
  }
});

test('export openlineage --url: a rejected event (4xx) is not retried; an unreachable endpoint is an I/O error', async () => {
  const t = tmp();
  const ep = await endpoint(() => 400);
  try {
    const ws = smallWorkspace(t.dir);
    const r = await charterAsync(['export', 'openlineage', ws, '--url', ep.url]);
    assert.equal(r.status, 2);
    assert.equal(ep.requests(), 1);
    assert.match(r.stderr, /HTTP 400 Bad Request/);
    await ep.close();
    const gone = await charterAsync(['export', 'openlineage', ws, '--url', ep.url, '--retries', '1']);
    assert.equal(gone.status, 2);
    assert.match(gone.stderr, /failed for d\.clean: ECONNREFUSED \(after 2 attempts\)/);
  } finally {
    t.dispose();
  }
});
