// The lineage and access graph as plain JSON (graph-types.ts): what the
// previewer draws and `charter graph` prints. Built from the model and the
// current simulation context; access edges come from the one evaluator.

import { LineIndex } from '../text';
import type { FileDiagnostic, FieldSym, Model, PrincipalSym, AttrValue } from '../model/types';
import { PROTECTING } from '../model/types';
import { applicableRules, decide, type DecisionKind } from '../evaluator/decide';
import type { GraphEdge, GraphLocation, GraphModel, GraphNode } from '../graph-types';

export interface GraphOptions {
  context?: ReadonlyMap<string, AttrValue>;
  /** Diagnostics to mark on nodes (governance violations, errors). */
  diagnostics?: FileDiagnostic[];
  /** Turns a model file URI into what the consumer wants (a relative path for the CLI). */
  fileName?: (uri: string) => string;
}

const RANK: Record<DecisionKind, number> = { denied: 0, masked: 1, clear: 2 };

export function buildGraph(model: Model, opts: GraphOptions = {}): GraphModel {
  const context = opts.context ?? new Map();
  const lines = new Map<string, LineIndex>();
  const fileName = opts.fileName ?? ((u: string) => u);
  const loc = (file: string, range: { start: number; end: number }): GraphLocation => {
    let li = lines.get(file);
    if (!li) lines.set(file, (li = new LineIndex(model.files.get(file)?.text ?? '')));
    const s = li.position(range.start);
    const e = li.position(range.end);
    return { file: fileName(file), line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  };
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const byId = new Map<string, GraphNode>();
  const add = (n: GraphNode) => {
    nodes.push(n);
    byId.set(n.id, n);
  };

  for (const d of model.domains.values()) {
    add({ id: `domain:${d.name}`, kind: 'domain', label: d.name, name: d.name, doc: d.decl.doc ?? d.decl.description?.value, owner: d.owner, location: loc(d.loc.file, d.loc.range) });
  }
  for (const c of model.contracts.values()) {
    const version = c.properties.get('version');
    add({
      id: `contract:${c.name}`,
      kind: 'contract',
      label: c.name,
      name: c.name,
      parent: model.domains.has(c.domain) ? `domain:${c.domain}` : undefined,
      doc: c.decl.doc ?? c.description,
      type: version && 'kind' in version && 'value' in version ? String(version.value) : undefined,
      owner: c.owner,
      location: loc(c.loc.file, c.loc.range),
    });
    if (c.owner && model.groups.has(c.owner)) edges.push({ id: `own:${c.owner}->${c.name}`, kind: 'ownership', source: `group:${c.owner}`, target: `contract:${c.name}` });
    for (const f of c.fields.values()) {
      add({
        id: `field:${f.qname}`,
        kind: 'field',
        label: f.name,
        name: f.qname,
        parent: `contract:${c.name}`,
        doc: f.decl.doc ?? f.description,
        type: f.type,
        owner: c.owner,
        tags: [...f.tags.values()].map((t) => ({ name: t.tag, protected: t.protected, declared: t.declared, from: t.from, level: model.classifications.get(t.tag)?.level })),
        location: loc(f.loc.file, f.loc.range),
      });
    }
  }
  for (const e of model.lineage) {
    const protects = PROTECTING.has(e.transform);
    edges.push({
      id: `lin:${e.source.qname}->${e.target.qname}`,
      kind: 'lineage',
      source: `field:${e.source.qname}`,
      target: `field:${e.target.qname}`,
      transform: e.transform,
      tags: e.transform === 'aggregate' ? [] : [...e.source.tags.values()].map((t) => ({ name: t.tag, protected: protects || t.protected })),
    });
  }
  for (const g of model.groups.values()) {
    add({ id: `group:${g.name}`, kind: 'group', label: g.name, name: g.name, doc: g.decl.doc ?? g.description, location: loc(g.loc.file, g.loc.range) });
  }
  for (const p of model.principals.values()) {
    add({ id: `principal:${p.name}`, kind: 'principal', label: p.name, name: p.name, type: p.service ? 'service' : 'person', doc: p.decl.doc, location: loc(p.loc.file, p.loc.range) });
    for (const g of p.groups) edges.push({ id: `mem:${p.name}->${g}`, kind: 'membership', source: `principal:${p.name}`, target: `group:${g}` });
  }
  addAccessEdges(model, context, edges);
  if (opts.diagnostics) markViolations(model, opts.diagnostics, byId);
  return { version: 1, context: Object.fromEntries(context), nodes, edges };
}

/**
 * Group → field: the most permissive decision among the group's members (a
 * group reaches a field when one of its members does). Denied edges are kept
 * only where a rule on the field names the group, so the graph shows
 * deliberate denials without an edge from every group to every field.
 */
function addAccessEdges(model: Model, context: ReadonlyMap<string, AttrValue>, edges: GraphEdge[]): void {
  const members = new Map<string, PrincipalSym[]>();
  for (const p of model.principals.values()) for (const g of p.groups) (members.get(g) ?? members.set(g, []).get(g)!).push(p);
  for (const f of model.fields.values()) {
    const rules = applicableRules(model, f);
    if (!rules.length) continue;
    const named = new Set<string>();
    for (const { rule } of rules) for (const i of [...rule.audience.include, ...rule.audience.except]) if (i.kind === 'group') named.add(i.name.text);
    for (const [g, ps] of members) {
      let best: { decision: DecisionKind; mask?: string } | undefined;
      for (const p of ps) {
        const d = decide(model, p, context, f);
        if (!best || RANK[d.decision] > RANK[best.decision]) best = { decision: d.decision, mask: d.mask };
        if (best.decision === 'clear') break;
      }
      if (!best || (best.decision === 'denied' && !named.has(g))) continue;
      edges.push({ id: `acc:${g}->${f.qname}`, kind: 'access', source: `group:${g}`, target: `field:${f.qname}`, decision: best.decision, mask: best.mask });
    }
  }
}

function markViolations(model: Model, diags: FileDiagnostic[], byId: Map<string, GraphNode>): void {
  const within = (d: FileDiagnostic, file: string, r: { start: number; end: number }) => d.file === file && d.range.start >= r.start && d.range.start <= r.end;
  for (const d of diags) {
    if (d.severity === 'info' && !d.code.startsWith('rule:')) continue;
    let id: string | undefined;
    for (const c of model.contracts.values()) {
      if (!within(d, c.loc.file, c.decl.range)) continue;
      const f: FieldSym | undefined = [...c.fields.values()].find((x) => within(d, x.loc.file, x.decl.range));
      id = f ? `field:${f.qname}` : `contract:${c.name}`;
      break;
    }
    if (!id) continue;
    const n = byId.get(id);
    if (n) (n.violations ??= []).push({ code: d.code, severity: d.severity, message: d.message });
  }
}
