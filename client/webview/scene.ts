// Builds what a view shows (boxes with field rows, edges) from the model and the view state,
// with every size measured, and the layout request for it.

import type { GraphEdge, GraphNode, GraphTag } from '../../grammar/graph-types';
import type { LayoutEdge, LayoutMode, LayoutNode, LayoutPort, LayoutRequest } from './layout-types';
import type { TextMeasurer } from './measure';
import { GraphIndex, levelClass, levelOf, type Sensitivity } from './model';
import type { GraphViewState } from './protocol';

export const HEADER_H = 46;
export const ROW_H = 22;
export const FOOTER_H = 20;
export const BOTTOM_PAD = 6;
export const ACTOR_H = 42;
export const BADGE_H = 15;
export const LABEL_H = 15;
const PAD_X = 14;
const MIN_BOX_W = 190;
const MAX_BADGES = 2;
const VIOLATION_W = 20;

/** Above these sizes the lineage/access views switch to the bundled layout (see LayoutMode). */
export const PORTS_MODE_MAX_EDGES = 400;
export const PORTS_MODE_MAX_BOXES = 80;

export interface SceneBadge {
  text: string;
  w: number;
  x: number;
  level: number;
  protected: boolean;
  declared: boolean;
  /** "+N" overflow badge. */
  more?: boolean;
}

export interface SceneRow {
  id: string;
  node: GraphNode;
  /** Top of the row relative to the box. */
  y: number;
  sens: Sensitivity;
  nameW: number;
  typeX: number;
  badges: SceneBadge[];
}

export interface SceneBox {
  id: string;
  node: GraphNode;
  kind: 'contract' | 'group' | 'principal';
  w: number;
  h: number;
  title: string;
  subtitle: string;
  rows: SceneRow[];
  /** Fields of the contract not shown (focus mode). */
  hiddenRows: number;
  domain: GraphNode | undefined;
  domainSlot: number;
}

export interface SceneEdge {
  id: string;
  edge: GraphEdge;
  sBox: string;
  tBox: string;
  sRow?: string;
  tRow?: string;
  label?: string;
  labelW?: number;
}

export interface SceneDomain {
  id: string;
  node: GraphNode;
  slot: number;
  labelW: number;
}

export interface Scene {
  view: GraphViewState['view'];
  mode: LayoutMode;
  boxes: SceneBox[];
  boxById: Map<string, SceneBox>;
  /** Field id -> box id. */
  rowBox: Map<string, string>;
  rowById: Map<string, SceneRow>;
  edges: SceneEdge[];
  /** Domains drawn as enclosing groups (lineage view, ports mode, when asked for). */
  domains: SceneDomain[];
  focus: string | null;
  /** Number of model nodes shown (boxes + rows). */
  nodeCount: number;
}

export function portId(rowId: string, side: 'W' | 'E'): string {
  return `${rowId}|${side}`;
}

export function aggregateId(s: string, t: string): string {
  return `agg|${s}|${t}`;
}

function sortTags(tags: GraphTag[]): GraphTag[] {
  return [...tags].sort(
    (a, b) => levelOf(b) - levelOf(a) || Number(a.protected) - Number(b.protected) || Number(b.declared) - Number(a.declared) || a.name.localeCompare(b.name),
  );
}

function contractSubtitle(n: GraphNode, domain: GraphNode | undefined): string {
  const parts: string[] = [];
  if (domain) parts.push(domain.label || domain.name);
  if (n.type) parts.push(/^\d/.test(n.type) ? `v${n.type}` : n.type);
  if (n.owner) parts.push(`owner ${n.owner}`);
  return parts.join(' · ');
}

export function buildScene(index: GraphIndex, state: GraphViewState, m: TextMeasurer): Scene {
  const view = state.view;
  const focusNode = state.focus ? index.get(state.focus) : undefined;
  const visible = focusNode ? index.neighbourhood(view, focusNode.id, state.depth, state.direction, state.showDenied) : null;

  const boxes: SceneBox[] = [];
  const boxById = new Map<string, SceneBox>();
  const rowBox = new Map<string, string>();
  const rowById = new Map<string, SceneRow>();
  let nodeCount = 0;

  const addContract = (c: GraphNode) => {
    const fields = index.fieldsOf(c.id);
    const shown = visible ? fields.filter((f) => visible.has(f.id)) : fields;
    if (visible && shown.length === 0) return;
    const domain = index.domainOf(c);
    const title = c.label || c.name;
    const subtitle = contractSubtitle(c, domain);
    let w = Math.max(MIN_BOX_W, PAD_X + m.width(title, 'title') + PAD_X + (c.violations?.length ? VIOLATION_W : 0), PAD_X + m.width(subtitle, 'subtitle') + PAD_X);
    // Rows are a small table: name | type | tags, each column aligned within the box.
    const nameWs = shown.map((f) => m.width(f.label || f.name, 'row'));
    const typeWs = shown.map((f) => (f.type ? m.width(f.type, 'type') : 0));
    const typeX = PAD_X + Math.max(0, ...nameWs) + 10;
    const badgeX = typeX + Math.max(0, ...typeWs) + 10;
    const rows: SceneRow[] = [];
    shown.forEach((f, i) => {
      let x = badgeX;
      const badges: SceneBadge[] = [];
      const tags = sortTags(f.tags ?? []);
      tags.slice(0, MAX_BADGES).forEach((t) => {
        const bw = m.width(t.name, 'badge') + 12;
        badges.push({ text: t.name, w: bw, x, level: levelClass(levelOf(t)), protected: !!t.protected, declared: t.declared !== false });
        x += bw + 4;
      });
      if (tags.length > MAX_BADGES) {
        const text = `+${tags.length - MAX_BADGES}`;
        const bw = m.width(text, 'badge') + 10;
        badges.push({ text, w: bw, x, level: 0, protected: false, declared: true, more: true });
        x += bw + 4;
      }
      const rowW = (badges.length ? x - 4 : typeX + typeWs[i]) + PAD_X + (f.violations?.length ? VIOLATION_W : 0);
      w = Math.max(w, rowW);
      const row: SceneRow = { id: f.id, node: f, y: HEADER_H + i * ROW_H, sens: index.sensitivity(f), nameW: nameWs[i], typeX, badges };
      rows.push(row);
      rowBox.set(f.id, c.id);
      rowById.set(f.id, row);
    });
    const hiddenRows = fields.length - shown.length;
    const h = HEADER_H + rows.length * ROW_H + (hiddenRows > 0 ? FOOTER_H : 0) + BOTTOM_PAD;
    const box: SceneBox = {
      id: c.id,
      node: c,
      kind: 'contract',
      w: Math.ceil(w),
      h,
      title,
      subtitle,
      rows,
      hiddenRows,
      domain,
      domainSlot: domain ? index.domainSlot.get(domain.id) ?? 0 : -1,
    };
    boxes.push(box);
    boxById.set(c.id, box);
    nodeCount += 1 + rows.length;
  };

  const addActor = (a: GraphNode) => {
    if (visible && !visible.has(a.id)) return;
    const kind = a.kind === 'group' ? 'group' : 'principal';
    const title = a.label || a.name;
    const subtitle = kind === 'group' ? 'group' : a.type ? `principal · ${a.type}` : 'principal';
    const w = Math.max(130, 40 + Math.max(m.width(title, 'title'), m.width(subtitle, 'subtitle')) + PAD_X + (a.violations?.length ? VIOLATION_W : 0));
    const box: SceneBox = { id: a.id, node: a, kind, w: Math.ceil(w), h: ACTOR_H, title, subtitle, rows: [], hiddenRows: 0, domain: undefined, domainSlot: -1 };
    boxes.push(box);
    boxById.set(a.id, box);
    nodeCount += 1;
  };

  if (view === 'access') {
    index.principals.forEach(addActor);
    index.groups.forEach(addActor);
  }
  index.contracts.forEach(addContract);

  const edges: SceneEdge[] = [];
  const seenIds = new Set<string>();
  const endpoint = (id: string): { box: string; row?: string } | undefined => {
    const rb = rowBox.get(id);
    if (rb) return { box: rb, row: id };
    if (boxById.get(id)?.kind !== 'contract' && boxById.has(id)) return { box: id };
    return undefined;
  };
  for (const e of index.viewEdges(view, state.showDenied)) {
    const s = endpoint(e.source);
    const t = endpoint(e.target);
    if (!s || !t) continue;
    let id = e.id || `${e.source}->${e.target}`;
    while (seenIds.has(id)) id += "'";
    seenIds.add(id);
    let label: string | undefined;
    if (e.kind === 'lineage' && e.transform && e.transform !== 'copy') label = e.transform;
    else if (e.kind === 'access' && e.decision === 'masked' && e.mask) label = e.mask;
    edges.push({ id, edge: e, sBox: s.box, tBox: t.box, sRow: s.row, tRow: t.row, label, labelW: label ? m.width(label, 'label') + 8 : undefined });
  }

  const mode: LayoutMode = edges.length <= PORTS_MODE_MAX_EDGES && boxes.length <= PORTS_MODE_MAX_BOXES ? 'ports' : 'bundled';
  const domains: SceneDomain[] = [];
  if (view === 'lineage' && mode === 'ports' && state.domainBoxes) {
    const used = new Set<string>();
    for (const b of boxes) if (b.domain) used.add(b.domain.id);
    for (const d of index.domains) {
      if (used.has(d.id)) domains.push({ id: d.id, node: d, slot: index.domainSlot.get(d.id) ?? 0, labelW: m.width(d.label || d.name, 'domain') });
    }
  }

  return { view, mode, boxes, boxById, rowBox, rowById, edges, domains, focus: focusNode?.id ?? null, nodeCount };
}

/** The layout problem for a scene (the id is set by the caller). */
export function layoutRequest(scene: Scene): Omit<LayoutRequest, 'id'> {
  const ports = scene.mode === 'ports';
  const portsOf = new Map<string, Map<string, LayoutPort>>();
  const addPort = (boxId: string, rowId: string, side: 'W' | 'E') => {
    const row = scene.rowById.get(rowId)!;
    let m = portsOf.get(boxId);
    if (!m) portsOf.set(boxId, (m = new Map()));
    const id = portId(rowId, side);
    if (!m.has(id)) m.set(id, { id, side, y: row.y + ROW_H / 2 });
    return id;
  };
  const edges: LayoutEdge[] = [];
  if (ports) {
    for (const e of scene.edges) {
      const le: LayoutEdge = { id: e.id, s: e.sBox, t: e.tBox };
      if (e.sRow) le.sp = addPort(e.sBox, e.sRow, 'E');
      if (e.tRow) le.tp = addPort(e.tBox, e.tRow, 'W');
      // Labels are placed by the renderer on the routed edge: ELK's label dummies cost seconds
      // on a few hundred edges.
      edges.push(le);
    }
  } else {
    const seen = new Set<string>();
    for (const e of scene.edges) {
      if (e.sBox === e.tBox) continue;
      const id = aggregateId(e.sBox, e.tBox);
      if (seen.has(id)) continue;
      seen.add(id);
      edges.push({ id, s: e.sBox, t: e.tBox });
    }
  }
  const domainIds = new Set(scene.domains.map((d) => d.id));
  const nodes: LayoutNode[] = scene.boxes.map((b) => {
    const n: LayoutNode = { id: b.id, w: b.w, h: b.h };
    const p = portsOf.get(b.id);
    if (p) n.ports = [...p.values()];
    if (b.domain && domainIds.has(b.domain.id)) n.parent = b.domain.id;
    if (scene.view === 'access') {
      if (b.kind === 'contract') n.layer = 'last';
      else if (b.kind === 'principal') n.layer = 'first';
    }
    return n;
  });
  const n = edges.length;
  const thoroughness = !ports ? 1 : n <= 80 ? 7 : n <= 200 ? 4 : 2;
  return { mode: scene.mode, nodes, compounds: scene.domains.map((d) => ({ id: d.id, padTop: 34, minW: d.labelW + 40 })), edges, thoroughness };
}
