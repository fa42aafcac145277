// Writes planned declarations as Charter text, then formats it with the
// project's formatter, so an imported file reads like a hand-written one.

import { formatCharter } from '../services/format';
import { charterString, docLines } from './names';

export interface PlannedField {
  name: string;
  /** Charter type text: `string`, `list<uuid>`. */
  type: string;
  key: boolean;
  required: boolean;
  unique: boolean;
  tags: string[];
  /** Qualified source fields. */
  from: string[];
  via?: string;
  doc?: string;
}

export interface PlannedContract {
  name: string;
  doc?: string;
  version?: string;
  status?: string;
  owner?: string;
  source?: { system: string; location?: string };
  /** Entries in Charter syntax: `['retention', '3y']`, `['escalation', '"pagerduty://x"']`. */
  sla: [string, string][];
  fields: PlannedField[];
}

export interface PlannedFile {
  /** Relative, '/'-separated. */
  path: string;
  /** `#` comment lines at the top (without the `# `). */
  header: string[];
  domains: string[];
  groups: { name: string; description?: string }[];
  classifications: string[];
  contracts: PlannedContract[];
}

function fieldLine(f: PlannedField): string {
  const parts = [`field ${f.name}: ${f.type}`];
  if (f.key) parts.push('key');
  if (f.required) parts.push('required');
  if (f.unique) parts.push('unique');
  if (f.tags.length) parts.push(`tagged ${f.tags.join(', ')}`);
  if (f.from.length) parts.push(`from ${f.from.join(', ')}${f.via && f.via !== 'copy' ? ` via ${f.via}` : ''}`);
  return parts.join(' ');
}

/** The file's text; `formatted` is false when the formatter refused it (a bug: the text is still usable). */
export function writeCharterFile(f: PlannedFile): { text: string; formatted: boolean; reason?: string } {
  const out: string[] = [];
  for (const h of f.header) out.push(h ? `# ${h}` : '#');
  out.push('');
  for (const d of f.domains) out.push(`domain ${d}`);
  if (f.domains.length) out.push('');
  for (const g of f.groups) out.push(`group ${g.name}${g.description ? ' ' + charterString(g.description) : ''}`);
  if (f.groups.length) out.push('');
  for (const c of f.classifications) out.push(`classification ${c}`);
  if (f.classifications.length) out.push('');
  for (const c of f.contracts) {
    out.push(...docLines(c.doc));
    out.push(`contract ${c.name} {`);
    if (c.version) out.push(`  version ${c.version}`);
    if (c.owner) out.push(`  owner ${c.owner}`);
    if (c.status) out.push(`  status ${c.status}`);
    if (c.source) out.push(`  source ${c.source.system}${c.source.location !== undefined ? ' ' + charterString(c.source.location) : ''}`);
    if (c.sla.length) {
      out.push('  sla {');
      for (const [k, v] of c.sla) out.push(`    ${k} ${v}`);
      out.push('  }');
    }
    for (const fd of c.fields) {
      out.push(...docLines(fd.doc, '  '));
      out.push('  ' + fieldLine(fd));
    }
    out.push('}');
    out.push('');
  }
  const text = out.join('\n').replace(/\n+$/, '') + '\n';
  const r = formatCharter(text);
  return r.ok ? { text: r.text, formatted: true } : { text, formatted: false, reason: r.reason };
}
