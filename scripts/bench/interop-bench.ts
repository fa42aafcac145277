// Interop benchmark: ODCS export and import, and OpenLineage export, of a
// generated mesh (1,000 contracts by default), each beside a reference
// measured in the same process on the same data: the `yaml` library's own
// stringify/parse of the same documents, and JSON.stringify/parse.
//   node dist/bench/interop-bench.mjs [contracts]   -> one JSON line on stdout

import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { analyze } from '../../grammar/index';
import { exportOdcs } from '../../grammar/interop/odcs-export';
import { importOdcs } from '../../grammar/interop/odcs-import';
import { openLineageEvents } from '../../grammar/interop/openlineage';
import { parseYaml } from '../../grammar/interop/yaml';
import { generateMesh } from './gen-mesh';

const contracts = Number(process.argv[2] ?? 1000);
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(f: () => unknown, runs = 3): number {
  f(); // warm-up: every figure is of warm code
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const { files } = generateMesh({ contracts });
const sources = files.filter((f) => f.path.endsWith('.charter')).map((f) => ({ uri: f.path, text: f.text, central: f.path.startsWith('governance/') }));
const model = analyze(sources, { today: '2026-12-01' }).model;

const exported = exportOdcs(model);
const docs = exported.map((f) => f.doc);
const texts = exported.map((f) => f.text);
const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1048576;

const exportMs = time(() => exportOdcs(model));
const yamlStringifyMs = time(() => docs.forEach((d) => yamlStringify(d, { lineWidth: 0 })));
const jsonStringifyMs = time(() => docs.forEach((d) => JSON.stringify(d)));

const parseMs = time(() => texts.forEach((t) => parseYaml(t)));
const parsed = exported.map((f) => ({ file: f.name, docs: parseYaml(f.text).docs }));
const mapMs = time(() => importOdcs(parsed));
const yamlParseMs = time(() => texts.forEach((t) => yamlParse(t)));
const jsons = docs.map((d) => JSON.stringify(d));
const jsonParseMs = time(() => jsons.forEach((j) => JSON.parse(j)));
const r = importOdcs(parsed);

let n = 0;
const olOpts = { producer: 'https://charter.invalid/bench', eventTime: new Date(0).toISOString(), runId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
const events = openLineageEvents(model, olOpts);
const olMs = time(() => openLineageEvents(model, olOpts).map((e) => JSON.stringify(e)));
const olJsonMs = time(() => events.map((e) => JSON.stringify(e)));

console.log(JSON.stringify({
  contracts: model.contracts.size,
  fields: model.fields.size,
  mb,
  exportMs,
  yamlStringifyMs,
  jsonStringifyMs,
  parseMs,
  mapMs,
  yamlParseMs,
  jsonParseMs,
  imported: r.contracts,
  problems: r.problems.length,
  olMs,
  olJsonMs,
}));
