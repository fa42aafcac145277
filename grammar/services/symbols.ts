// The outline of one file (from its syntax tree, so it works while the file
// has errors) and the workspace-wide symbol search (from the model).

import type * as A from '../ast';
import type { Model, Sym } from '../model/types';
import { targetText } from './describe';
import { allSymbols } from './locate';

export type OutlineKind =
  | 'group'
  | 'attributes'
  | 'attribute'
  | 'principal'
  | 'classification'
  | 'domain'
  | 'contract'
  | 'field'
  | 'sla'
  | 'policy'
  | 'policy-rule'
  | 'governance'
  | 'rule'
  | 'waiver'
  | 'test';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  range: A.Range;
  selectionRange: A.Range;
  children: OutlineSymbol[];
}

function oneLine(text: string, max = 60): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** The document outline: declarations with their fields, rules and attributes. */
export function documentSymbols(ast: A.FileAst, text: string): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const d of ast.declarations) {
    const sym = (name: string, kind: OutlineKind, detail?: string, children: OutlineSymbol[] = []): OutlineSymbol => ({
      name: name || '?',
      detail,
      kind,
      range: d.range,
      selectionRange: d.name?.range ?? d.range,
      children,
    });
    switch (d.kind) {
      case 'group':
        out.push(sym(d.name.text, 'group', d.description?.value));
        break;
      case 'attributes':
        out.push(
          sym(
            `${d.scope} attributes`,
            'attributes',
            undefined,
            d.attributes.map((a) => ({ name: a.name.text, kind: 'attribute' as const, detail: text.slice(a.type.range.start, a.type.range.end), range: a.range, selectionRange: a.name.range, children: [] })),
          ),
        );
        break;
      case 'principal':
        out.push(sym(d.name.text, 'principal', [d.service ? 'service' : '', ...d.memberOf.map((g) => g.text)].filter(Boolean).join(', ')));
        break;
      case 'classification':
        out.push(sym(d.name.text, 'classification', d.description?.value));
        break;
      case 'domain':
        out.push(sym(d.name.text, 'domain', d.description?.value));
        break;
      case 'contract': {
        const children: OutlineSymbol[] = d.fields.map((f) => ({
          name: f.name.text,
          kind: 'field' as const,
          detail: [f.type ? text.slice(f.type.range.start, f.type.range.end) : '', ...f.tags.map((t) => t.text)].filter(Boolean).join(' '),
          range: f.range,
          selectionRange: f.name.range,
          children: [],
        }));
        if (d.sla) children.push({ name: 'sla', kind: 'sla', range: d.sla.range, selectionRange: { start: d.sla.range.start, end: d.sla.range.start + 3 }, children: [] });
        children.sort((a, b) => a.range.start - b.range.start);
        out.push(sym(d.name.text, 'contract', d.description?.value, children));
        break;
      }
      case 'policy':
        out.push(
          sym(
            d.name.text,
            'policy',
            d.target ? `on ${targetText(d.target)}` : undefined,
            d.rules.map((r) => ({ name: oneLine(text.slice(r.range.start, r.range.end)), kind: 'policy-rule' as const, range: r.range, selectionRange: r.range, children: [] })),
          ),
        );
        break;
      case 'governance':
        out.push(
          sym(
            d.name.text,
            'governance',
            undefined,
            d.rules.map((r) => ({ name: r.name.text, kind: 'rule' as const, detail: r.severity, range: r.range, selectionRange: r.name.range, children: [] })),
          ),
        );
        break;
      case 'waiver':
        out.push(sym(d.name.text, 'waiver', [d.rule?.text, d.target?.text].filter(Boolean).join(' on ')));
        break;
      case 'test':
        out.push(sym(d.name.text, 'test', `${d.steps.filter((s) => s.kind === 'expect').length} expectations`));
        break;
    }
  }
  return out;
}

export interface WorkspaceSymbol {
  name: string;
  kind: Sym['kind'];
  container?: string;
  file: string;
  range: A.Range;
}

/** Does `query` match `name` as a case-insensitive subsequence (`sordem` matches `sales.orders.customer_email`)? */
export function fuzzyMatch(query: string, name: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (let j = 0; j < n.length && i < q.length; j++) if (n[j] === q[i]) i++;
  return i === q.length;
}

function score(query: string, name: string): number {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  const last = n.slice(n.lastIndexOf('.') + 1);
  if (last.startsWith(q)) return 2;
  if (n.includes(q)) return 3;
  return 4;
}

/** Symbols whose qualified name matches the query, best matches first, at most `limit`. */
export function workspaceSymbols(model: Model, query: string, limit = 500): WorkspaceSymbol[] {
  const hits: { s: WorkspaceSymbol; score: number }[] = [];
  for (const sym of allSymbols(model)) {
    const name = sym.kind === 'field' ? sym.qname : sym.kind === 'attribute' ? `${sym.scope}.${sym.name}` : sym.name;
    if (!fuzzyMatch(query, name)) continue;
    const container = sym.kind === 'field' ? sym.contract.name : sym.kind === 'rule' ? sym.governance : undefined;
    hits.push({ s: { name, kind: sym.kind, container, file: sym.loc.file, range: sym.loc.range }, score: score(query, name) });
  }
  hits.sort((a, b) => a.score - b.score || a.s.name.length - b.s.name.length || a.s.name.localeCompare(b.s.name));
  return hits.slice(0, limit).map((h) => h.s);
}
