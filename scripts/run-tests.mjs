// Runs the test suites with Node's test runner (TypeScript through tsx).
//   npm test                 every suite: unit, cli, pg, lsp, browser, e2e
//   npm test -- unit cli     only those suites
// Suites live in test/<suite>/ as *.test.ts.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ALL = ['unit', 'cli', 'pg', 'lsp', 'browser', 'e2e'];
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = asked.length ? asked : ALL;
for (const s of suites) {
  if (!ALL.includes(s)) {
    console.error(`unknown suite '${s}' (expected ${ALL.join(', ')})`);
    process.exit(2);
  }
}

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) find(p, out);
    else if (p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// The CLI, LSP, browser and e2e suites run the bundles: build once first.
if (suites.some((s) => s !== 'unit')) {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

const files = suites.flatMap((s) => find(path.join('test', s)).sort());
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
