// The graph as Graphviz DOT and as a Mermaid flowchart.

import type { GraphModel, GraphNode } from '../graph-types';

const dotId = (s: string) => JSON.stringify(s);
const dotLabel = (s: string) => JSON.stringify(s);

function tagText(n: GraphNode): string {
  return (n.tags ?? []).map((t) => (t.protected ? `${t.name}*` : t.name)).join(', ');
}

/**
 * Graphviz DOT. Domains and contracts with fields are clusters; an edge to a
 * cluster (a group owning a contract) is drawn to the first node inside it
 * and clipped at the cluster's border (`lhead`/`ltail`, `compound=true`), so
 * no edge creates a node of its own. A contract without fields, or a domain
 * without contracts, is a plain node.
 */
export function toDot(g: GraphModel): string {
  const out = ['digraph charter {', '  rankdir=LR;', '  compound=true;', '  node [shape=box, fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const children = new Map<string, GraphNode[]>();
  for (const n of g.nodes) if (n.parent && byId.has(n.parent)) (children.get(n.parent) ?? children.set(n.parent, []).get(n.parent)!).push(n);
  const clusters = new Map<string, string>();
  const isCluster = (n: GraphNode) => (n.kind === 'domain' || n.kind === 'contract') && !!children.get(n.id)?.length;
  const emit = (n: GraphNode, indent: string) => {
    if (isCluster(n)) {
      const name = `cluster_${clusters.size}`;
      clusters.set(n.id, name);
      out.push(`${indent}subgraph ${name} {`, `${indent}  label=${dotLabel(n.kind === 'domain' ? `domain ${n.label}` : n.label)};`);
      for (const k of children.get(n.id)!) emit(k, indent + '  ');
      out.push(`${indent}}`);
      return;
    }
    const tags = tagText(n);
    const label =
      n.kind === 'field' ? `${n.label}: ${n.type ?? ''}${tags ? `\n[${tags}]` : ''}` : n.kind === 'contract' ? n.label : `${n.kind} ${n.label}`;
    const shape = n.kind === 'group' || n.kind === 'principal' ? ', shape=ellipse' : n.kind === 'domain' ? ', shape=folder' : '';
    const style = n.violations?.length ? ', color=red' : n.tags?.length ? ', style=filled, fillcolor="#fde2e2"' : '';
    out.push(`${indent}${dotId(n.id)} [label=${dotLabel(label)}${shape}${style}];`);
  };
  for (const n of g.nodes) if (!n.parent || !byId.has(n.parent)) emit(n, '  ');
  /** The node an edge to `id` is drawn to: the node itself, or the first node inside its cluster. */
  const anchor = (id: string): string => {
    let n = byId.get(id)!;
    while (isCluster(n)) n = children.get(n.id)![0];
    return n.id;
  };
  const inside = (nodeId: string, clusterId: string): boolean => {
    for (let n = byId.get(nodeId); n; n = n.parent ? byId.get(n.parent) : undefined) if (n.id === clusterId) return true;
    return false;
  };
  for (const e of g.edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    const attrs: string[] = [];
    if (e.kind === 'lineage' && e.transform && e.transform !== 'copy') attrs.push(`label=${dotLabel(e.transform)}`);
    if (e.kind === 'access') {
      attrs.push(`label=${dotLabel(e.decision === 'masked' ? `masked (${e.mask})` : e.decision ?? '')}`);
      attrs.push(e.decision === 'masked' ? 'style=dashed' : e.decision === 'denied' ? 'style=dotted, color=red' : 'color=darkgreen');
    }
    if (e.kind === 'ownership') attrs.push('label="owns", style=dotted');
    if (e.kind === 'membership') attrs.push('label="member of", style=dotted');
    const from = anchor(e.source);
    const to = anchor(e.target);
    // Clip at the cluster's border, unless one end lies inside the other's cluster.
    if (clusters.has(e.source) && !inside(to, e.source)) attrs.push(`ltail=${clusters.get(e.source)}`);
    if (clusters.has(e.target) && !inside(from, e.target)) attrs.push(`lhead=${clusters.get(e.target)}`);
    out.push(`  ${dotId(from)} -> ${dotId(to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

export function toMermaid(g: GraphModel): string {
  const ids = new Map<string, string>();
  const id = (s: string) => {
    let v = ids.get(s);
    if (!v) ids.set(s, (v = `n${ids.size}`));
    return v;
  };
  // Mermaid labels: quotes and angle brackets would break the syntax.
  const label = (s: string) => '"' + s.replace(/["<>]/g, (c) => ({ '"': '#quot;', '<': '#lt;', '>': '#gt;' })[c]!) + '"';
  const out = ['flowchart LR'];
  const children = new Map<string, GraphNode[]>();
  for (const n of g.nodes) if (n.parent) (children.get(n.parent) ?? children.set(n.parent, []).get(n.parent)!).push(n);
  const emit = (n: GraphNode, indent: string) => {
    const kids = children.get(n.id);
    if (n.kind === 'domain' || n.kind === 'contract') {
      out.push(`${indent}subgraph ${id(n.id)}[${label(n.kind === 'domain' ? `domain ${n.label}` : n.label)}]`);
      for (const k of kids ?? []) emit(k, indent + '  ');
      out.push(`${indent}end`);
      return;
    }
    const tags = tagText(n);
    const text = n.kind === 'field' ? `${n.label}: ${n.type ?? ''}${tags ? ` [${tags}]` : ''}` : `${n.kind} ${n.label}`;
    out.push(`${indent}${id(n.id)}${n.kind === 'field' ? `[${label(text)}]` : `([${label(text)}])`}`);
  };
  for (const n of g.nodes) if (!n.parent) emit(n, '  ');
  for (const e of g.edges) {
    const arrow = e.kind === 'access' && e.decision === 'masked' ? '-.->' : e.kind === 'access' && e.decision === 'denied' ? '--x' : e.kind === 'ownership' || e.kind === 'membership' ? '-.-' : '-->';
    const text = e.kind === 'lineage' ? (e.transform && e.transform !== 'copy' ? e.transform : '') : e.kind === 'access' ? (e.decision === 'masked' ? `masked ${e.mask}` : e.decision ?? '') : e.kind === 'ownership' ? 'owns' : 'member of';
    out.push(`  ${id(e.source)} ${arrow}${text ? `|${label(text)}|` : ''} ${id(e.target)}`);
  }
  return out.join('\n') + '\n';
}
