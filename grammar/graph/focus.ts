// Focus mode: a symbol with N levels upstream and/or downstream.

import type { GraphModel, GraphNode } from '../graph-types';

export type Direction = 'up' | 'down' | 'both';

/** Resolves a user's name (`sales.orders.customer_email`, `analysts`, `domain:sales`) to a node id. */
export function findNode(g: GraphModel, name: string): GraphNode | undefined {
  return g.nodes.find((n) => n.id === name) ?? g.nodes.find((n) => n.name === name && n.kind !== 'domain') ?? g.nodes.find((n) => n.name === name);
}

export function focusGraph(g: GraphModel, focusId: string, depth = 1, direction: Direction = 'both'): GraphModel {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const start = byId.get(focusId);
  if (!start) return { ...g, nodes: [], edges: [] };
  // A contract or domain focuses on everything inside it.
  const seeds = new Set<string>([focusId]);
  for (const n of g.nodes) if (n.parent === focusId || (n.parent && byId.get(n.parent)?.parent === focusId)) seeds.add(n.id);
  const keep = new Set(seeds);
  let frontier = [...seeds];
  for (let level = 0; level < depth; level++) {
    const next: string[] = [];
    for (const e of g.edges) {
      // Lineage and access flow source -> target; upstream walks edges backwards.
      const down = direction !== 'up' && frontier.includes(e.source) && !keep.has(e.target);
      const up = direction !== 'down' && frontier.includes(e.target) && !keep.has(e.source);
      if (down) next.push(e.target);
      if (up) next.push(e.source);
    }
    for (const id of next) keep.add(id);
    frontier = next;
    if (!frontier.length) break;
  }
  // Keep the containers of what is kept, so fields stay inside their contracts.
  for (const id of [...keep]) {
    let p = byId.get(id)?.parent;
    while (p && !keep.has(p)) {
      keep.add(p);
      p = byId.get(p)?.parent;
    }
  }
  return { ...g, nodes: g.nodes.filter((n) => keep.has(n.id)), edges: g.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
}
