// `charter export cedar [DIR] [--out FOLDER] [--numbers decimal|long]`:
// writes the workspace's access policies as Cedar for an enforcement point:
// policies.cedar, schema.cedarschema and entities.json (groups, principals,
// domains, contracts, classifications, fields). docs/cedar-export.md has the mapping.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportCedar } from '../grammar/export/cedar';
import { UsageError } from './errors';
import { relativePath } from './output';
import type { Exporter } from './export';

export const cedarExporter: Exporter = {
  usage: 'cedar [DIR] [--out FOLDER] [--numbers decimal|long]',
  options: { numbers: { type: 'string', default: 'decimal' } },
  checkOptions(values) {
    const numbers = String(values.numbers).toLowerCase();
    if (numbers !== 'decimal' && numbers !== 'long') throw new UsageError(`--numbers is decimal or long, not '${values.numbers}'`);
  },
  run({ ws, analysis }, values) {
    const numbers = String(values.numbers).toLowerCase();
    const ex = exportCedar(analysis.model, { fileName: (uri) => relativePath(ws.root, uri), numbers: numbers === 'long' ? 'Long' : 'decimal' });
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
  },
};

function entitySummary(entities: { uid: { type: string } }[]): string {
  const counts = new Map<string, number>();
  for (const e of entities) {
    const t = e.uid.type.replace(/^.*::/, '');
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const plural: Record<string, string> = { Principal: 'principals', Group: 'groups', Domain: 'domains', Contract: 'contracts', Tag: 'tags', Field: 'fields' };
  return `${entities.length} entities: ${[...counts].map(([t, n]) => `${n} ${n === 1 ? t.toLowerCase() : (plural[t] ?? t.toLowerCase() + 's')}`).join(', ')}`;
}
