// `npm run bench`: builds the benchmark bundles and prints the numbers.
// Nothing here asserts: numbers are read by people (targets in brackets).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const out = 'dist/bench';
const entries = ['scripts/bench/core-bench.ts', 'scripts/bench/exhaustive-bench.ts', 'scripts/bench/lsp-bench.ts', 'scripts/bench/graph-bench.ts', 'scripts/bench/interop-bench.ts', 'scripts/bench/diff-bench.ts'].filter((e) => existsSync(e));
await esbuild.build({
  entryPoints: entries,
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
  external: ['playwright-core', 'elkjs'],
});
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const sizes = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const node = (file, args = []) => {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', file, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${file} failed:\n${r.stderr}`);
  return r.stdout.trim();
};
const lastLine = (s) => s.split('\n').pop();
const f = (n, d = 0) => n.toFixed(d).padStart(8);

console.log('Charter benchmark — parse and check of synthetic meshes (bundled code, one process per size)\n');
console.log('contracts    files   fields      MB  cold check    parse  model+res  governance   parse MB/s  JSON.parse  peak RSS MB   edit p50/p95');
const rows = [];
for (const n of sizes) {
  const r = JSON.parse(lastLine(node(`${out}/core-bench.mjs`, [String(n)])));
  rows.push(r);
  console.log(`${String(r.contracts).padStart(9)} ${f(r.files)} ${f(r.fields)} ${f(r.mb, 2)} ${f(r.coldCheckMs)} ms ${f(r.parseMs)} ${f(r.modelMs - r.parseMs)} ms ${f(r.governanceMs)} ms ${f(r.mb / (r.parseMs / 1000), 1)}    ${f(r.jsonParseMs, 1)} ms ${f(r.peakRssMb)}  ${r.editP50Ms === undefined ? '' : `${f(r.editP50Ms, 1)} /${f(r.editP95Ms, 1)} ms`}${r.errors ? `   (${r.errors} errors!)` : ''}`);
}
const k = rows.find((r) => r.contracts === 1000);
if (k) console.log(`\n1,000 contracts cold check (parse, resolve, lineage, governance with 10 rules, tests): ${k.coldCheckMs.toFixed(0)} ms [target: check < 1 s, with governance < 2 s]`);
console.log('edit: the incremental re-analysis after one keystroke in a contract (Analyzer, as the language server runs it)');
if (rows.length > 1) {
  const a = rows[0];
  const b = rows[rows.length - 1];
  console.log(`scaling ${a.contracts} -> ${b.contracts} contracts: ×${(b.contracts / a.contracts).toFixed(0)} size, ×${(b.modelMs / a.modelMs).toFixed(1)} parse+model time, ×${(b.governanceMs / a.governanceMs).toFixed(1)} governance time (linear = ×${(b.contracts / a.contracts).toFixed(0)})`);
}

const ex = JSON.parse(lastLine(node(`${out}/exhaustive-bench.mjs`)));
console.log(`\nexhaustive mode: ${ex.principals} principals × ${ex.contexts} contexts for one field: ${ex.ms.toFixed(1)} ms (${ex.result}) [target < 50 ms]`);

if (existsSync(`${out}/lsp-bench.mjs`)) {
  try {
    console.log('\nlanguage server (real LSP connection over stdio, 1,000-contract mesh):');
    console.log(node(`${out}/lsp-bench.mjs`));
  } catch (e) {
    console.log(`  lsp bench failed: ${e.message.split('\n')[0]}`);
  }
}
if (existsSync(`${out}/graph-bench.mjs`)) {
  try {
    console.log('\ngraph previewer (headless Chromium):');
    console.log(node(`${out}/graph-bench.mjs`));
  } catch (e) {
    console.log(`  graph bench failed: ${e.message.split('\n')[0]}`);
  }
}

// SQL enforcement export (charter export postgres|snowflake|databricks), 1,000-contract mesh.
await esbuild.build({
  entryPoints: ['scripts/bench/export-sql-bench.ts'],
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
{
  const s = JSON.parse(lastLine(node(`${out}/export-sql-bench.mjs`, ['1000'])));
  console.log(`\nSQL export, ${s.contracts} contracts (${s.views} views, ${s.columns} columns; every contract given a source of the engine):`);
  for (const e of ['postgres', 'snowflake', 'databricks']) {
    const refused = s[`${e}Errors`] ? `, ${s[`${e}Errors`]} constructs refused (text masks on non-string columns)` : '';
    console.log(`  ${e.padEnd(10)} plan ${f(s[`${e}PlanMs`])} ms   print ${f(s[`${e}PrintMs`])} ms   ${f(s[`${e}MB`], 1)} MB of SQL${refused}`);
  }
  console.log(`  reference: JSON.stringify of the plan ${f(s.stringifyPlanMs)} ms, JSON.parse of the PostgreSQL output's bytes ${f(s.jsonParseMs)} ms`);
}
if (existsSync(`${out}/interop-bench.mjs`)) {
  try {
    const r = JSON.parse(lastLine(node(`${out}/interop-bench.mjs`, ['1000'])));
    const x = (a, b) => `×${(a / b).toFixed(1)}`;
    console.log(`\ninterop (${r.contracts} contracts, ${r.fields} fields, ${r.mb.toFixed(1)} MB of ODCS YAML; median of 3):`);
    console.log(`  export odcs        ${f(r.exportMs)} ms   reference: yaml.stringify of the same documents ${f(r.yamlStringifyMs)} ms (${x(r.exportMs, r.yamlStringifyMs)}), JSON.stringify ${f(r.jsonStringifyMs, 1)} ms`);
    console.log(`  import odcs        ${f(r.parseMs + r.mapMs)} ms   (YAML with line numbers ${r.parseMs.toFixed(0)} ms + mapping and formatting ${r.mapMs.toFixed(0)} ms)   reference: yaml.parse ${f(r.yamlParseMs)} ms (${x(r.parseMs + r.mapMs, r.yamlParseMs)}), JSON.parse ${f(r.jsonParseMs, 1)} ms${r.imported === r.contracts && !r.problems ? '' : `   (${r.imported} imported, ${r.problems} problems!)`}`);
    console.log(`  export openlineage ${f(r.olMs)} ms   reference: JSON.stringify of the same events ${f(r.olJsonMs, 1)} ms`);
  } catch (e) {
    console.log(`  interop bench failed: ${e.message.split('\n')[0]}`);
  }
}
if (existsSync(`${out}/diff-bench.mjs`)) {
  try {
    const d = JSON.parse(lastLine(node(`${out}/diff-bench.mjs`, ['1000'])));
    console.log('\ncharter diff HEAD on the 1,000-contract mesh in a git repository (bundled CLI, wall time from process start, median of 3):');
    console.log(`  reference: charter check of one side, cold          ${f(d.checkMs)} ms`);
    console.log(`  one policy changed (${d.policyAccess} access entries)          ${f(d.policyMs)} ms  (×${(d.policyMs / d.checkMs).toFixed(2)} the check) [target < 2 s]`);
    console.log(`  a principal's groups changed (${d.memberAccess} access entries) ${f(d.memberMs)} ms  (×${(d.memberMs / d.checkMs).toFixed(2)} the check) [target < 5 s]`);
    const sum = (c) => c.read + c.base + c.head + c.delta;
    const cpu = (c) => `${sum(c).toFixed(0)} ms (×${(sum(c) / d.checkCpu).toFixed(2)}: read ${c.read.toFixed(0)} + BASE ${c.base.toFixed(0)} + working tree ${c.head.toFixed(0)} + delta ${c.delta.toFixed(0)})`;
    console.log(`  CPU time, cold, steadier on a busy machine: check ${d.checkCpu.toFixed(0)} ms; policy ${cpu(d.policyCpu)}; groups ${cpu(d.memberCpu)}`);
  } catch (e) {
    console.log(`  diff bench failed: ${e.message.split('\n')[0]}`);
  }
}
