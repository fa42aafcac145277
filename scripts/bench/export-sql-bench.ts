// `charter export postgres|snowflake|databricks` on the 1,000-contract mesh:
// the plan once, then each printer, beside a reference measured in the same
// run (JSON.stringify of the plan, JSON.parse of the PostgreSQL output's bytes).
// Every contract gets a source of the engine measured.
//   node --import tsx scripts/bench/export-sql-bench.ts [contracts]

import { analyze } from '../../grammar/index';
import { buildPlan } from '../../grammar/export/plan';
import { printPostgres } from '../../grammar/export/postgres';
import { printSnowflake } from '../../grammar/export/snowflake';
import { printDatabricks } from '../../grammar/export/databricks';
import { generateMesh } from './gen-mesh';

const contracts = Number(process.argv[2] ?? 1000);
const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};
const best = <T>(f: () => T, n = 3): [T, number] => {
  let out = time(f);
  for (let i = 1; i < n; i++) {
    const r = time(f);
    if (r[1] < out[1]) out = r;
  }
  return out;
};

const files = generateMesh({ contracts }).files.filter((f) => f.path.endsWith('.charter'));
const withSource = (system: string, loc: (domain: string, product: string) => string) =>
  files.map((f) => ({ uri: f.path, central: f.path.startsWith('governance/'), text: f.text.replace(/^ +source \w+ "[^"]*"\n/gm, '').replace(/^contract (\w[\w-]*)\.([\w-]+) \{$/gm, (l, d: string, p: string) => `${l}\n  source ${system} "${loc(d, p)}"`) }));

const result: Record<string, number | string> = { contracts };
for (const [engine, system, loc, print] of [
  ['postgres', 'postgres', (d: string, p: string) => `wh.${d}_raw.${p}`, printPostgres],
  ['snowflake', 'snowflake', (d: string, p: string) => `WH.${d}.${p}`, printSnowflake],
  ['databricks', 'databricks', (d: string, p: string) => `main.${d}.${p}`, printDatabricks],
] as const) {
  const model = analyze(withSource(system, loc), { today: '2026-11-23' }).model;
  const [plan, planMs] = best(() => buildPlan(model));
  const [ex, printMs] = best(() => print(plan));
  const bytes = ex.files.reduce((n, f) => n + f.sql.length, 0);
  result[`${engine}PlanMs`] = planMs;
  result[`${engine}PrintMs`] = printMs;
  result[`${engine}MB`] = bytes / 1e6;
  result[`${engine}Errors`] = ex.errors.length;
  result[`${engine}Skipped`] = ex.skipped.length;
  if (engine === 'postgres') {
    const [, stringifyMs] = best(() => JSON.stringify(plan.contracts.map((c) => ({ ...c, columns: c.columns.map((x) => ({ ...x, rules: x.rules.map((r) => ({ ...r, condition: undefined, filter: undefined })) })) }))));
    const json = JSON.stringify(ex.files.map((f) => f.sql));
    const [, parseMs] = best(() => JSON.parse(json));
    result.stringifyPlanMs = stringifyMs;
    result.jsonParseMs = parseMs;
    result.views = plan.contracts.length;
    result.columns = plan.contracts.reduce((n, c) => n + c.columns.length, 0);
  }
}
console.log(JSON.stringify(result));
