// `charter export cedar [DIR] [--out FOLDER] [--numbers decimal|long]`:
// writes the workspace's access policies as Cedar for an enforcement point:
// policies.cedar, schema.cedarschema and entities.json (groups, principals,
// domains, contracts, classifications, fields). docs/cedar-export.md has the mapping.
//
// A model with errors (syntax, names, types, lineage) is not exported: the
// policies would not say what Charter decides. Governance violations and
// failing test blocks do not change any decision; they are listed and the
// export goes ahead.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportCedar } from '../grammar/export/cedar';
import { parse, registerCommand } from './main';
import { loadAndAnalyze } from './load';
import { UsageError } from './errors';
import { formatText, relativePath, toCliDiagnostics } from './output';

const FORMATS = ['cedar'];

/** Diagnostics that say nothing about what the policies decide. */
function governanceOnly(code: string): boolean {
  return code.startsWith('rule:') || code === 'test-failed' || code.startsWith('waiver-');
}

export function runExport(args: string[]): number {
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    numbers: { type: 'string', default: 'decimal' },
    today: { type: 'string' },
  });
  const [format, dir = '.', ...extra] = positionals;
  if (!format) throw new UsageError(`export what? charter export cedar [DIR] [--out FOLDER]`);
  if (!FORMATS.includes(format)) throw new UsageError(`unknown export format '${format}' (expected ${FORMATS.join(', ')})`);
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const numbers = (values.numbers as string).toLowerCase();
  if (numbers !== 'decimal' && numbers !== 'long') throw new UsageError(`--numbers is decimal or long, not '${values.numbers}'`);
  if (values.out === '') throw new UsageError('--out needs a folder');

  const { ws, analysis } = loadAndAnalyze(dir, values.today as string | undefined);
  const model = analysis.model;
  const diags = toCliDiagnostics(ws.root, model, analysis.diagnostics, ws.problems).filter((d) => d.severity === 'error');
  const blocking = diags.filter((d) => !governanceOnly(d.code));
  if (blocking.length) {
    process.stderr.write(formatText(blocking) + '\n');
    process.stderr.write(`charter export: ${blocking.length} error${blocking.length === 1 ? '' : 's'}: fix ${blocking.length === 1 ? 'it' : 'them'} first (charter check); nothing was written\n`);
    return ws.problems.some((p) => p.code === 'io') ? 2 : 1;
  }
  const governance = diags.filter((d) => governanceOnly(d.code));
  if (governance.length) {
    process.stderr.write(formatText(governance) + '\n');
    process.stderr.write(`charter export: note: ${governance.length} governance or test failure${governance.length === 1 ? '' : 's'} above; they do not change any decision, so the export goes ahead\n`);
  }

  const ex = exportCedar(model, { fileName: (uri) => relativePath(ws.root, uri), numbers: numbers === 'long' ? 'Long' : 'decimal' });
  if (ex.warnings.length) {
    for (const w of ex.warnings) process.stderr.write(`charter export: ${w}\n`);
    process.stderr.write(`charter export: the policies cannot be exported exactly; nothing was written\n`);
    return 1;
  }

  const out = path.resolve(values.out !== undefined ? (values.out as string) : path.join(ws.root, 'cedar-export'));
  const fromPolicies = new Set(ex.policyList.map((p) => p.policy)).size;
  const policies = (n: number) => `${n} polic${n === 1 ? 'y' : 'ies'}`;
  const files: [string, string, string][] = [
    ['policies.cedar', ex.policies, `${policies(ex.policyList.length)} from ${policies(fromPolicies)} of the model`],
    ['schema.cedarschema', ex.schema, `namespace Charter, numbers as ${ex.numberType}`],
    ['entities.json', JSON.stringify(ex.entities, null, 2) + '\n', entitySummary(ex.entities)],
  ];
  try {
    mkdirSync(out, { recursive: true });
    for (const [name, text] of files) writeFileSync(path.join(out, name), text);
  } catch (e) {
    throw new UsageError(`cannot write to ${out}: ${(e as Error).message}`);
  }
  const shown = path.relative(process.cwd(), out) || '.';
  for (const [name, , what] of files) process.stdout.write(`wrote ${path.join(shown, name)} (${what})\n`);
  return 0;
}

function entitySummary(entities: { uid: { type: string } }[]): string {
  const counts = new Map<string, number>();
  for (const e of entities) {
    const t = e.uid.type.replace(/^.*::/, '');
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const plural: Record<string, string> = { Principal: 'principals', Group: 'groups', Domain: 'domains', Contract: 'contracts', Tag: 'tags', Field: 'fields' };
  return `${entities.length} entities: ${[...counts].map(([t, n]) => `${n} ${n === 1 ? t.toLowerCase() : (plural[t] ?? t.toLowerCase() + 's')}`).join(', ')}`;
}

registerCommand('export', runExport);
