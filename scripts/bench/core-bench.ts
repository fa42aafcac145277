// One benchmark size in its own process (so peak memory is that size's):
//   node dist/bench/core-bench.mjs <contracts>   -> one JSON line on stdout
// Bundled by scripts/bench/run.mjs: measured code is what ships, not tsx output.

import { generateMesh } from './gen-mesh';
import { analyze, Analyzer, buildModel, parse, ParseCache, checkGovernance } from '../../grammar/index';

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

const contracts = Number(process.argv[2] ?? 1000);
const { files } = generateMesh({ contracts });
const sources = files.filter((f) => f.path.endsWith('.charter')).map((f) => ({ uri: f.path, text: f.text, central: f.path.startsWith('governance/') }));
const bytes = sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0);

// Cold: the first run in a fresh process, as `charter check` does it.
const [cold, coldMs] = time(() => analyze(sources, { today: '2026-11-23' }));
const errors = cold.diagnostics.filter((d) => d.severity === 'error').length;
// Warm: median of a few more runs of each phase.
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = contracts >= 5000 ? 3 : 5;
const parseMs: number[] = [];
const modelMs: number[] = [];
const govMs: number[] = [];
for (let i = 0; i < runs; i++) {
  parseMs.push(time(() => sources.forEach((s) => parse(s.text)))[1]);
  const [m, mm] = time(() => buildModel(sources, { today: '2026-11-23' }));
  modelMs.push(mm);
  govMs.push(time(() => checkGovernance(m))[1]);
}
// Editing: an Analyzer re-analysing after one keystroke in a contract in the
// middle of the mesh (a field type toggled between `string` and `stringx`).
const analyzer = new Analyzer();
const cache = new ParseCache();
analyzer.analyze(sources, { parseCache: cache, today: '2026-11-23' });
const target = sources.filter((s) => /field \w+: string/.test(s.text) && !s.uri.startsWith('org/') && !s.uri.startsWith('governance/'))[Math.floor(contracts / 2)];
const editMs: number[] = [];
if (target) {
  const i = sources.indexOf(target);
  const at = /field \w+: string/.exec(target.text)!;
  const pos = at.index + at[0].length;
  for (let k = 0; k < 40; k++) {
    sources[i] = { ...target, text: k % 2 === 0 ? target.text.slice(0, pos) + 'x' + target.text.slice(pos) : target.text };
    editMs.push(time(() => analyzer.analyze(sources, { parseCache: cache, today: '2026-11-23' }))[1]);
  }
  sources[i] = target;
}
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

// Reference: JSON.parse over a document of the same byte count.
const row = JSON.stringify({ name: 'sales.orders.customer_email', type: 'string', tags: ['pii.email'], from: ['crm.customers.email'], via: 'hash' });
const json = '[' + Array.from({ length: Math.ceil(bytes / (row.length + 1)) }, () => row).join(',') + ']';
const jsonMs = median(Array.from({ length: 5 }, () => time(() => JSON.parse(json))[1]));

process.stdout.write(
  JSON.stringify({
    contracts,
    files: sources.length,
    fields: cold.model.fields.size,
    mb: bytes / 1e6,
    errors,
    coldCheckMs: coldMs,
    parseMs: median(parseMs),
    modelMs: median(modelMs),
    governanceMs: median(govMs),
    editP50Ms: editMs.length ? median([...editMs]) : undefined,
    editP95Ms: editMs.length ? p95(editMs) : undefined,
    jsonParseMs: jsonMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
