// Translation between our LayoutRequest/LayoutResult and ELK's JSON graph. Used by the layout
// worker; kept free of DOM/worker globals so it can be exercised from Node too.

import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from 'elkjs/lib/elk-api';
import type { LayoutBox, LayoutEdgeRoute, LayoutRequest, LayoutResult } from './layout-types';

export function elkOptions(req: LayoutRequest): LayoutOptions {
  const ports = req.mode === 'ports';
  const o: LayoutOptions = {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.json.shapeCoords': 'ROOT',
    'elk.json.edgeCoords': 'ROOT',
    'elk.spacing.nodeNode': '28',
    'elk.spacing.componentComponent': '48',
    'elk.layered.spacing.nodeNodeBetweenLayers': ports ? '84' : '140',
    'elk.layered.spacing.edgeNodeBetweenLayers': '18',
    'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
    'elk.spacing.edgeEdge': '8',
    'elk.spacing.edgeNode': '16',
    'elk.spacing.edgeLabel': '4',
    'elk.layered.thoroughness': String(Math.max(1, Math.min(10, Math.round(req.thoroughness)))),
    'elk.edgeRouting': ports ? 'ORTHOGONAL' : 'POLYLINE',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    // Keeps small diagrams in declaration order; too slow on denser graphs.
    'elk.layered.considerModelOrder.strategy': ports && req.edges.length <= 60 ? 'NODES_AND_EDGES' : 'NONE',
    'elk.separateConnectedComponents': 'true',
    'elk.aspectRatio': '1.6',
    'elk.padding': '[top=24,left=24,bottom=24,right=24]',
  };
  if (ports) {
    o['elk.edgeLabels.placement'] = 'CENTER';
    o['elk.layered.edgeLabels.sideSelection'] = 'ALWAYS_UP';
    o['elk.layered.mergeEdges'] = 'false';
  }
  if (req.compounds.length > 0) o['elk.hierarchyHandling'] = 'INCLUDE_CHILDREN';
  return o;
}

export function toElkGraph(req: LayoutRequest): ElkNode {
  const compounds = new Map<string, ElkNode>();
  const root: ElkNode = { id: '__root', layoutOptions: elkOptions(req), children: [], edges: [] };
  for (const c of req.compounds) {
    const node: ElkNode = {
      id: c.id,
      layoutOptions: {
        'elk.padding': `[top=${c.padTop},left=16,bottom=16,right=16]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${Math.ceil(c.minW)},${c.padTop + 20})`,
      },
      children: [],
    };
    compounds.set(c.id, node);
    root.children!.push(node);
  }
  for (const n of req.nodes) {
    const node: ElkNode = { id: n.id, width: n.w, height: n.h };
    const lo: LayoutOptions = {};
    if (n.ports && n.ports.length > 0) {
      lo['elk.portConstraints'] = 'FIXED_POS';
      node.ports = n.ports.map(
        (p): ElkPort => ({
          id: p.id,
          x: p.side === 'W' ? -1 : n.w,
          y: p.y - 0.5,
          width: 1,
          height: 1,
          layoutOptions: { 'elk.port.side': p.side === 'W' ? 'WEST' : 'EAST' },
        }),
      );
    }
    if (n.layer === 'first') lo['elk.layered.layering.layerConstraint'] = 'FIRST';
    if (n.layer === 'last') lo['elk.layered.layering.layerConstraint'] = 'LAST';
    if (Object.keys(lo).length > 0) node.layoutOptions = lo;
    const parent = n.parent ? compounds.get(n.parent) : undefined;
    (parent ?? root).children!.push(node);
  }
  for (const e of req.edges) {
    const edge: ElkExtendedEdge = { id: e.id, sources: [e.sp ?? e.s], targets: [e.tp ?? e.t] };
    if (e.label) edge.labels = [{ id: `${e.id}#label`, text: ' ', width: e.label.w, height: e.label.h }];
    root.edges!.push(edge);
  }
  return root;
}

export function fromElkGraph(graph: ElkNode, ms: number): LayoutResult {
  const nodes: Record<string, LayoutBox> = {};
  const edges: Record<string, LayoutEdgeRoute> = {};
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      nodes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 };
      visit(c);
    }
    for (const e of (n.edges ?? []) as ElkExtendedEdge[]) {
      const points: number[] = [];
      for (const s of e.sections ?? []) {
        const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
        for (const p of pts) {
          const len = points.length;
          // Sections of one edge share their joint point; skip duplicates.
          if (len >= 2 && points[len - 2] === p.x && points[len - 1] === p.y) continue;
          points.push(p.x, p.y);
        }
      }
      const route: LayoutEdgeRoute = { points };
      const label = e.labels?.[0];
      if (label && label.x !== undefined && label.y !== undefined) route.label = { x: label.x, y: label.y };
      edges[e.id] = route;
    }
  };
  visit(graph);
  return { nodes, edges, width: graph.width ?? 0, height: graph.height ?? 0, ms, engine: 'elk' };
}
