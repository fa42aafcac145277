// Indexing of a GraphModel and the graph queries the previewer needs: sensitivity of fields,
// tag matching, focus neighbourhoods, search. Pure data, no DOM.

import type { GraphEdge, GraphModel, GraphNode, GraphTag } from '../../grammar/graph-types';
import type { FocusDirection, GraphView } from './protocol';

/** Highest colour class; classification levels above it share its colour. */
export const MAX_LEVEL_CLASS = 4;

/** `pii` matches `pii` and its children (`pii.email`), like the language's `tagged` selector. */
export function tagMatches(filter: string, name: string): boolean {
  return name === filter || name.startsWith(filter + '.');
}

export interface Sensitivity {
  /** Highest classification level among the node's tags (0: none). */
  level: number;
  /** Every tag at the highest level arrived protected (hash/tokenize/encrypt/mask). */
  protectedOnly: boolean;
}

export function levelOf(tag: GraphTag): number {
  return typeof tag.level === 'number' && Number.isFinite(tag.level) ? Math.max(0, tag.level) : 1;
}

export function levelClass(level: number): number {
  return Math.max(0, Math.min(MAX_LEVEL_CLASS, Math.round(level)));
}

const SEVERITY_RANK = { error: 3, warning: 2, info: 1 } as const;

export function worstSeverity(node: GraphNode): 'error' | 'warning' | 'info' | null {
  let best: 'error' | 'warning' | 'info' | null = null;
  for (const v of node.violations ?? []) {
    const sev = v.severity in SEVERITY_RANK ? v.severity : 'error';
    if (!best || SEVERITY_RANK[sev] > SEVERITY_RANK[best]) best = sev;
  }
  return best;
}

export class GraphIndex {
  readonly model: GraphModel;
  readonly nodes = new Map<string, GraphNode>();
  readonly children = new Map<string, GraphNode[]>();
  readonly out = new Map<string, GraphEdge[]>();
  readonly in = new Map<string, GraphEdge[]>();
  readonly edges: GraphEdge[] = [];
  readonly domains: GraphNode[] = [];
  readonly contracts: GraphNode[] = [];
  readonly groups: GraphNode[] = [];
  readonly principals: GraphNode[] = [];
  /** Domain id -> colour slot (0..7). */
  readonly domainSlot = new Map<string, number>();
  /** Every tag name seen on fields or lineage edges, sorted. */
  readonly tagNames: string[];
  /** Level of each tag name (highest seen). */
  readonly tagLevel = new Map<string, number>();
  private readonly sensCache = new Map<string, Sensitivity>();

  constructor(model: GraphModel) {
    this.model = model;
    for (const n of model.nodes ?? []) {
      if (!n || typeof n.id !== 'string') continue;
      this.nodes.set(n.id, n);
    }
    for (const n of this.nodes.values()) {
      if (n.parent && this.nodes.has(n.parent)) {
        let list = this.children.get(n.parent);
        if (!list) this.children.set(n.parent, (list = []));
        list.push(n);
      }
      if (n.kind === 'domain') this.domains.push(n);
      else if (n.kind === 'contract') this.contracts.push(n);
      else if (n.kind === 'group') this.groups.push(n);
      else if (n.kind === 'principal') this.principals.push(n);
    }
    [...this.domains]
      .sort((a, b) => a.name.localeCompare(b.name))
      .forEach((d, i) => this.domainSlot.set(d.id, i % 8));
    const tags = new Set<string>();
    for (const n of this.nodes.values()) {
      for (const t of n.tags ?? []) {
        if (typeof t?.name !== 'string') continue;
        tags.add(t.name);
        this.tagLevel.set(t.name, Math.max(this.tagLevel.get(t.name) ?? 0, levelOf(t)));
      }
    }
    for (const e of model.edges ?? []) {
      if (!e || !this.nodes.has(e.source) || !this.nodes.has(e.target)) continue;
      this.edges.push(e);
      let o = this.out.get(e.source);
      if (!o) this.out.set(e.source, (o = []));
      o.push(e);
      let i = this.in.get(e.target);
      if (!i) this.in.set(e.target, (i = []));
      i.push(e);
      for (const t of e.tags ?? []) {
        if (typeof t?.name === 'string') tags.add(t.name);
      }
    }
    this.tagNames = [...tags].sort();
  }

  get(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }

  fieldsOf(containerId: string): GraphNode[] {
    return (this.children.get(containerId) ?? []).filter((n) => n.kind === 'field');
  }

  contractsOf(domainId: string): GraphNode[] {
    return (this.children.get(domainId) ?? []).filter((n) => n.kind === 'contract');
  }

  /** The contract of a field (or the contract itself). */
  contractOf(id: string): GraphNode | undefined {
    const n = this.nodes.get(id);
    if (!n) return undefined;
    if (n.kind === 'contract') return n;
    if (n.kind === 'field' && n.parent) {
      const p = this.nodes.get(n.parent);
      if (p?.kind === 'contract') return p;
    }
    return undefined;
  }

  domainOf(contract: GraphNode): GraphNode | undefined {
    const p = contract.parent ? this.nodes.get(contract.parent) : undefined;
    return p?.kind === 'domain' ? p : undefined;
  }

  sensitivity(node: GraphNode): Sensitivity {
    const cached = this.sensCache.get(node.id);
    if (cached) return cached;
    let level = 0;
    let protectedOnly = false;
    for (const t of node.tags ?? []) {
      const l = levelOf(t);
      if (l > level) {
        level = l;
        protectedOnly = !!t.protected;
      } else if (l === level && !t.protected) {
        protectedOnly = false;
      }
    }
    if (level === 0) protectedOnly = false;
    const s = { level, protectedOnly };
    this.sensCache.set(node.id, s);
    return s;
  }

  /** Whether the node carries a tag matching `filter` (itself or a child tag). */
  hasTag(node: GraphNode, filter: string): boolean {
    return (node.tags ?? []).some((t) => tagMatches(filter, t.name));
  }

  /** Edges drawn in a view (before focus filtering). */
  viewEdges(view: GraphView, showDenied: boolean): GraphEdge[] {
    if (view === 'lineage') {
      return this.edges.filter((e) => e.kind === 'lineage' && this.isField(e.source) && this.isField(e.target));
    }
    return this.edges.filter(
      (e) =>
        (e.kind === 'access' && (showDenied || e.decision !== 'denied') && this.isActor(e.source) && this.isField(e.target)) ||
        (e.kind === 'membership' && this.isActor(e.source) && this.isActor(e.target)),
    );
  }

  isField(id: string): boolean {
    const n = this.nodes.get(id);
    return n?.kind === 'field' && this.contractOf(id) !== undefined;
  }

  isActor(id: string): boolean {
    const k = this.nodes.get(id)?.kind;
    return k === 'group' || k === 'principal';
  }

  /**
   * Nodes (fields and, in the access view, groups/principals) within `depth` hops of `focusId`
   * along the view's edges in the given direction. A contract or domain stands for its fields.
   */
  neighbourhood(view: GraphView, focusId: string, depth: number, direction: FocusDirection, showDenied: boolean): Set<string> {
    const focus = this.nodes.get(focusId);
    const result = new Set<string>();
    if (!focus) return result;
    const start: string[] = [];
    const addFieldsOfContract = (c: GraphNode) => {
      for (const f of this.fieldsOf(c.id)) start.push(f.id);
    };
    if (focus.kind === 'field') start.push(focus.id);
    else if (focus.kind === 'contract') addFieldsOfContract(focus);
    else if (focus.kind === 'domain') this.contractsOf(focus.id).forEach(addFieldsOfContract);
    else if (view === 'access') start.push(focus.id);
    else {
      // A group/principal in the lineage view: the fields it can read.
      for (const e of this.out.get(focus.id) ?? []) {
        if (e.kind === 'access' && e.decision !== 'denied') start.push(e.target);
      }
    }
    const edges = this.viewEdges(view, showDenied);
    const fwd = new Map<string, string[]>();
    const back = new Map<string, string[]>();
    for (const e of edges) {
      (fwd.get(e.source) ?? fwd.set(e.source, []).get(e.source)!).push(e.target);
      (back.get(e.target) ?? back.set(e.target, []).get(e.target)!).push(e.source);
    }
    const walk = (adj: Map<string, string[]>) => {
      let frontier = [...start];
      const seen = new Set(start);
      for (let level = 0; level < depth && frontier.length > 0; level++) {
        const next: string[] = [];
        for (const id of frontier) {
          for (const n of adj.get(id) ?? []) {
            if (!seen.has(n)) {
              seen.add(n);
              next.push(n);
            }
          }
        }
        frontier = next;
      }
      for (const id of seen) result.add(id);
    };
    for (const id of start) result.add(id);
    if (direction !== 'upstream') walk(fwd);
    if (direction !== 'downstream') walk(back);
    if (view === 'lineage') {
      for (const id of [...result]) if (!this.isField(id)) result.delete(id);
    }
    return result;
  }

  /** Nodes whose label or qualified name contains `query` (case-insensitive), best first. */
  search(query: string, kinds?: ReadonlySet<string>): GraphNode[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const hits: { n: GraphNode; score: number }[] = [];
    for (const n of this.nodes.values()) {
      if (kinds && !kinds.has(n.kind)) continue;
      const label = (n.label ?? '').toLowerCase();
      const name = (n.name ?? '').toLowerCase();
      let score = -1;
      if (label === q || name === q) score = 0;
      else if (label.startsWith(q)) score = 1;
      else if (label.includes(q)) score = 2;
      else if (name.includes(q)) score = 3;
      if (score >= 0) hits.push({ n, score });
    }
    const kindRank: Record<string, number> = { contract: 0, field: 1, group: 2, principal: 3, domain: 4 };
    hits.sort((a, b) => a.score - b.score || (kindRank[a.n.kind] ?? 9) - (kindRank[b.n.kind] ?? 9) || a.n.name.localeCompare(b.n.name));
    return hits.map((h) => h.n);
  }
}

/** True when the node (or a text of it) matches the search query; used for highlighting. */
export function nodeMatches(node: GraphNode, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return false;
  return (node.label ?? '').toLowerCase().includes(q) || (node.name ?? '').toLowerCase().includes(q);
}
