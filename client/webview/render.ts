// Draws a laid-out scene as SVG (createElementNS + textContent/setAttribute only).

import type { GraphEdge } from '../../grammar/graph-types';
import { fmt, svg } from './dom';
import type { TextMeasurer } from './measure';
import type { LayoutBox, LayoutResult } from './layout-types';
import { levelClass, tagMatches, worstSeverity } from './model';
import { aggregateId, BADGE_H, FOOTER_H, HEADER_H, LABEL_H, ROW_H, type Scene, type SceneBox, type SceneEdge } from './scene';

export interface Rendered {
  root: SVGGElement;
  bounds: { x: number; y: number; w: number; h: number };
  /** Node id (box, row, domain) -> element. */
  nodeEls: Map<string, SVGGElement>;
  /** Scene edge id -> path. */
  edgeEls: Map<string, SVGPathElement>;
  /** Node id -> ids of the scene edges touching it (a box: also its rows' edges). */
  edgesByNode: Map<string, string[]>;
  sceneEdges: Map<string, SceneEdge>;
  elementCount: number;
}

const MARKERS = ['lineage', 'clear', 'masked', 'denied', 'membership', 'hl', 'path'] as const;

/** Static <defs>: arrowheads and hatch patterns (created once per page). */
export function createDefs(parent: SVGSVGElement): SVGDefsElement {
  const defs = svg('defs', undefined, parent);
  for (const m of MARKERS) {
    const marker = svg('marker', { id: `arrow-${m}`, class: `marker marker-${m}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto' }, defs);
    svg('path', { d: 'M0,1 L9,5 L0,9 z' }, marker);
  }
  for (let l = 0; l <= 4; l++) {
    const p = svg('pattern', { id: `hatch-${l}`, class: `hatch lvl-${l}`, patternUnits: 'userSpaceOnUse', width: 5, height: 5, patternTransform: 'rotate(45)' }, defs);
    svg('rect', { class: 'hatch-bg', width: 5, height: 5 }, p);
    svg('line', { class: 'hatch-line', x1: 1, y1: 0, x2: 1, y2: 5 }, p);
  }
  return defs;
}

function roundedPath(pts: number[], r = 6): string {
  if (pts.length < 4) return '';
  let d = `M${fmt(pts[0])},${fmt(pts[1])}`;
  const n = pts.length / 2;
  for (let i = 1; i < n - 1; i++) {
    const x0 = pts[2 * i - 2], y0 = pts[2 * i - 1];
    const x1 = pts[2 * i], y1 = pts[2 * i + 1];
    const x2 = pts[2 * i + 2], y2 = pts[2 * i + 3];
    const l1 = Math.hypot(x1 - x0, y1 - y0);
    const l2 = Math.hypot(x2 - x1, y2 - y1);
    const rr = Math.min(r, l1 / 2, l2 / 2);
    if (rr < 0.5) {
      d += ` L${fmt(x1)},${fmt(y1)}`;
      continue;
    }
    const ax = x1 - ((x1 - x0) / l1) * rr, ay = y1 - ((y1 - y0) / l1) * rr;
    const bx = x1 + ((x2 - x1) / l2) * rr, by = y1 + ((y2 - y1) / l2) * rr;
    d += ` L${fmt(ax)},${fmt(ay)} Q${fmt(x1)},${fmt(y1)} ${fmt(bx)},${fmt(by)}`;
  }
  d += ` L${fmt(pts[pts.length - 2])},${fmt(pts[pts.length - 1])}`;
  return d;
}

/** Smooth left-to-right curve through the points (horizontal tangents at every point). */
function flowPath(pts: number[]): string {
  let d = `M${fmt(pts[0])},${fmt(pts[1])}`;
  for (let i = 2; i < pts.length; i += 2) {
    const x0 = pts[i - 2], y0 = pts[i - 1], x1 = pts[i], y1 = pts[i + 1];
    const dx = x1 >= x0 ? Math.max(16, (x1 - x0) / 2) : 80;
    d += ` C${fmt(x0 + dx)},${fmt(y0)} ${fmt(x1 - dx)},${fmt(y1)} ${fmt(x1)},${fmt(y1)}`;
  }
  return d;
}

export function edgeClass(e: GraphEdge): string {
  if (e.kind === 'lineage') return `edge lineage t-${safeToken(e.transform ?? 'copy')}`;
  if (e.kind === 'access') return `edge access d-${safeToken(e.decision ?? 'clear')}`;
  return `edge ${safeToken(e.kind)}`;
}

function markerFor(e: GraphEdge): string {
  if (e.kind === 'access') return `url(#arrow-${e.decision === 'masked' ? 'masked' : e.decision === 'denied' ? 'denied' : 'clear'})`;
  if (e.kind === 'membership') return 'url(#arrow-membership)';
  return 'url(#arrow-lineage)';
}

/** Model strings used in class names are reduced to a safe token. */
function safeToken(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
}

function portPoint(box: LayoutBox, sb: SceneBox, rowId: string | undefined, side: 'W' | 'E'): [number, number] {
  const x = side === 'W' ? box.x : box.x + box.w;
  if (rowId) {
    const row = sb.rows.find((r) => r.id === rowId);
    if (row) return [x, box.y + row.y + ROW_H / 2];
  }
  return [x, box.y + box.h / 2];
}

function addEdgeIndex(map: Map<string, string[]>, key: string | undefined, id: string): void {
  if (!key) return;
  let l = map.get(key);
  if (!l) map.set(key, (l = []));
  l.push(id);
}

export function renderScene(scene: Scene, layout: LayoutResult, measure: TextMeasurer): Rendered {
  const root = svg('g', { class: `scene view-${scene.view} mode-${scene.mode}` });
  const domainLayer = svg('g', { class: 'layer-domains' }, root);
  const edgeLayer = svg('g', { class: 'layer-edges' }, root);
  const nodeLayer = svg('g', { class: 'layer-nodes' }, root);
  const labelLayer = svg('g', { class: 'layer-labels' }, root);
  const nodeEls = new Map<string, SVGGElement>();
  const edgeEls = new Map<string, SVGPathElement>();
  const edgesByNode = new Map<string, string[]>();
  const sceneEdges = new Map<string, SceneEdge>();
  let count = 4;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const grow = (b: LayoutBox) => {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  };

  // Domains (enclosing groups).
  for (const d of scene.domains) {
    const b = layout.nodes[d.id];
    if (!b) continue;
    grow(b);
    const g = svg('g', { class: `domain dom-${d.slot}`, 'data-id': d.id, transform: `translate(${fmt(b.x)},${fmt(b.y)})` }, domainLayer);
    svg('rect', { class: 'domain-bg', width: b.w, height: b.h, rx: 10 }, g);
    svg('text', { class: 'domain-label', x: 14, y: 22 }, g, d.node.label || d.node.name);
    nodeEls.set(d.id, g);
    count += 3;
  }

  // Boxes.
  for (const sb of scene.boxes) {
    const b = layout.nodes[sb.id];
    if (!b) continue;
    grow(b);
    count += sb.kind === 'contract' ? drawContract(nodeLayer, sb, b, nodeEls) : drawActor(nodeLayer, sb, b, nodeEls);
  }

  // Edges.
  const labelsByTarget = new Map<string, { x: number; y: number; texts: Set<string>; cls: string }>();
  const placed: Rect[] = [];
  const frag = document.createDocumentFragment();
  for (const e of scene.edges) {
    const sBox = scene.boxById.get(e.sBox)!;
    const tBox = scene.boxById.get(e.tBox)!;
    const sl = layout.nodes[e.sBox];
    const tl = layout.nodes[e.tBox];
    if (!sl || !tl) continue;
    let d = '';
    const route = layout.edges[e.id];
    if (scene.mode === 'ports' && route && route.points.length >= 4) {
      d = roundedPath(route.points);
      if (e.label) {
        const w = e.labelW ?? measure.width(e.label, 'label') + 8;
        const at = placeLabel(route.points, w, placed);
        const lg = svg('g', { class: `edge-label ${labelClass(e.edge)}`, 'data-edge': e.id, transform: `translate(${fmt(at.x)},${fmt(at.y)})` }, labelLayer);
        svg('rect', { width: w, height: LABEL_H, rx: 3 }, lg);
        svg('text', { x: w / 2, y: 11 }, lg, e.label);
        count += 3;
      }
    } else {
      const [sx, sy] = portPoint(sl, sBox, e.sRow, 'E');
      const [tx, ty] = portPoint(tl, tBox, e.tRow, 'W');
      if (e.sBox === e.tBox) {
        const top = sl.y - 18;
        d = `M${fmt(sx)},${fmt(sy)} C${fmt(sx + 40)},${fmt(sy)} ${fmt(sx + 40)},${fmt(top)} ${fmt(sx)},${fmt(top)} L${fmt(tx)},${fmt(top)} C${fmt(tx - 40)},${fmt(top)} ${fmt(tx - 40)},${fmt(ty)} ${fmt(tx)},${fmt(ty)}`;
      } else {
        const trunk = layout.edges[aggregateId(e.sBox, e.tBox)]?.points ?? [];
        d = flowPath([sx, sy, ...trunk.slice(2, -2), tx, ty]);
      }
      if (e.label) {
        const key = e.tRow ?? e.tBox;
        let l = labelsByTarget.get(key);
        if (!l) labelsByTarget.set(key, (l = { x: tx, y: ty, texts: new Set(), cls: labelClass(e.edge) }));
        l.texts.add(e.label);
      }
    }
    if (!d) continue;
    const path = svg('path', { class: edgeClass(e.edge), d, 'data-edge': e.id, 'marker-end': markerFor(e.edge) }, frag);
    edgeEls.set(e.id, path);
    sceneEdges.set(e.id, e);
    addEdgeIndex(edgesByNode, e.sRow, e.id);
    addEdgeIndex(edgesByNode, e.tRow, e.id);
    addEdgeIndex(edgesByNode, e.sBox, e.id);
    if (e.tBox !== e.sBox) addEdgeIndex(edgesByNode, e.tBox, e.id);
    count++;
  }
  edgeLayer.appendChild(frag);

  // Bundled mode: one label per target port, just left of it.
  for (const l of labelsByTarget.values()) {
    const text = [...l.texts].join(', ');
    const w = measure.width(text, 'label') + 8;
    const lg = svg('g', { class: `edge-label ${l.cls}`, transform: `translate(${fmt(l.x - w - 10)},${fmt(l.y - LABEL_H - 1)})` }, labelLayer);
    svg('rect', { width: w, height: LABEL_H, rx: 3 }, lg);
    svg('text', { x: w / 2, y: 11 }, lg, text);
    count += 3;
  }

  if (!Number.isFinite(minX)) {
    minX = minY = 0;
    maxX = maxY = 1;
  }
  const pad = 16;
  return {
    root,
    bounds: { x: minX - pad, y: minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad },
    nodeEls,
    edgeEls,
    edgesByNode,
    sceneEdges,
    elementCount: count,
  };
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Top-left of an edge label: centred on a horizontal stretch of the route (longest first, then
 * towards the target), avoiding labels already placed; the chosen rectangle is added to `placed`.
 */
function placeLabel(pts: number[], w: number, placed: Rect[]): { x: number; y: number } {
  const h = LABEL_H;
  const candidates: { x: number; y: number }[] = [];
  const segs: { x0: number; x1: number; y: number; len: number; i: number }[] = [];
  for (let i = 0; i + 3 < pts.length; i += 2) {
    const [x0, y0, x1, y1] = [pts[i], pts[i + 1], pts[i + 2], pts[i + 3]];
    if (Math.abs(y0 - y1) < 0.5) segs.push({ x0: Math.min(x0, x1), x1: Math.max(x0, x1), y: y0, len: Math.abs(x1 - x0), i });
  }
  // Prefer the stretch into the target (each target row has its own), then the one out of the
  // source, then the longest.
  const last = segs[segs.length - 1];
  const first = segs[0];
  const ordered = [...segs].sort((a, b) => b.len - a.len);
  const tries = [last, first, ...ordered].filter((s, i, a) => s && a.indexOf(s) === i);
  for (const s of tries) {
    if (s.len < w + 10) continue;
    const ys = s.y - h / 2;
    if (s === last) candidates.push({ x: s.x1 - w - 12, y: ys });
    if (s === first) candidates.push({ x: s.x0 + 10, y: ys });
    candidates.push({ x: (s.x0 + s.x1) / 2 - w / 2, y: ys });
  }
  if (candidates.length === 0) {
    // No straight stretch long enough: the middle of the route.
    const n = pts.length / 2;
    const m = Math.floor((n - 1) / 2);
    candidates.push({ x: (pts[2 * m] + pts[2 * m + 2]) / 2 - w / 2, y: (pts[2 * m + 1] + pts[2 * m + 3]) / 2 - h / 2 });
  }
  const free = candidates.find((c) => !placed.some((p) => overlaps(p, { x: c.x - 2, y: c.y - 1, w: w + 4, h: h + 2 })));
  const at = free ?? candidates[0];
  placed.push({ x: at.x, y: at.y, w, h });
  return at;
}

function labelClass(e: GraphEdge): string {
  return e.kind === 'access' ? `d-${safeToken(e.decision ?? 'clear')}` : `t-${safeToken(e.transform ?? 'copy')}`;
}

function violationBadge(parent: SVGGElement, node: SceneBox['node'], x: number, y: number): number {
  const sev = worstSeverity(node);
  if (!sev) return 0;
  const n = node.violations?.length ?? 0;
  const g = svg('g', { class: `violation sev-${sev}`, transform: `translate(${fmt(x)},${fmt(y)})` }, parent);
  svg('circle', { r: 7 }, g);
  svg('text', { y: 3.5 }, g, n > 1 ? String(Math.min(n, 9)) : '!');
  return 3;
}

function drawContract(layer: SVGGElement, sb: SceneBox, b: LayoutBox, nodeEls: Map<string, SVGGElement>): number {
  const w = b.w;
  const h = b.h;
  const g = svg('g', {
    class: `node contract${sb.domainSlot >= 0 ? ` dom-${sb.domainSlot}` : ''}`,
    'data-id': sb.id,
    transform: `translate(${fmt(b.x)},${fmt(b.y)})`,
    tabindex: 0,
    role: 'button',
    'aria-label': `contract ${sb.node.name}`,
  }, layer);
  let count = 8;
  svg('rect', { class: 'box-bg', width: w, height: h, rx: 6 }, g);
  svg('path', { class: 'box-header', d: `M0,6 a6,6 0 0 1 6,-6 h${fmt(w - 12)} a6,6 0 0 1 6,6 v${HEADER_H - 6} h${fmt(-w)} z` }, g);
  svg('path', { class: 'box-band', d: `M0,6 a6,6 0 0 1 6,-6 h${fmt(w - 12)} a6,6 0 0 1 6,6 v-2 h${fmt(-w)} z` }, g);
  svg('text', { class: 'box-title', x: 14, y: 21 }, g, sb.title);
  svg('text', { class: 'box-subtitle', x: 14, y: 37 }, g, sb.subtitle);
  svg('line', { class: 'box-sep', x1: 0, y1: HEADER_H, x2: w, y2: HEADER_H }, g);
  count += violationBadge(g, sb.node, w - 16, 16);
  for (const r of sb.rows) {
    const f = r.node;
    const lvl = levelClass(r.sens.level);
    const rg = svg('g', {
      class: `row lvl-${lvl}${r.sens.protectedOnly ? ' prot' : ''}`,
      'data-id': r.id,
      transform: `translate(0,${r.y})`,
      tabindex: 0,
      role: 'button',
      'aria-label': `field ${f.name}`,
    }, g);
    svg('rect', { class: 'row-bg', x: 1, width: w - 2, height: ROW_H }, rg);
    if (lvl > 0) {
      svg('rect', { class: 'row-chip', x: 1, y: 2, width: 5, height: ROW_H - 4, rx: 1 }, rg);
      count++;
    }
    svg('text', { class: 'row-name', x: 14, y: 15 }, rg, f.label || f.name);
    count += 3;
    if (f.type) {
      svg('text', { class: 'row-type', x: r.typeX, y: 15 }, rg, f.type);
      count++;
    }
    for (const bd of r.badges) {
      const cls = bd.more ? 'badge more' : `badge lvl-${bd.level}${bd.protected ? ' prot' : ''}${bd.declared ? '' : ' inherited'}`;
      const bg = svg('g', { class: cls, transform: `translate(${fmt(bd.x)},${(ROW_H - BADGE_H) / 2})` }, rg);
      svg('rect', { width: bd.w, height: BADGE_H, rx: 7.5 }, bg);
      svg('text', { x: bd.w / 2, y: 11 }, bg, bd.text);
      count += 3;
    }
    count += violationBadge(rg, f, w - 16, ROW_H / 2);
    nodeEls.set(r.id, rg);
  }
  if (sb.hiddenRows > 0) {
    const y = HEADER_H + sb.rows.length * ROW_H;
    svg('text', { class: 'box-more', x: 14, y: y + FOOTER_H - 6 }, g, `+ ${sb.hiddenRows} more field${sb.hiddenRows === 1 ? '' : 's'}`);
    count++;
  }
  svg('rect', { class: 'box-outline', width: w, height: h, rx: 6 }, g);
  nodeEls.set(sb.id, g);
  return count;
}

function drawActor(layer: SVGGElement, sb: SceneBox, b: LayoutBox, nodeEls: Map<string, SVGGElement>): number {
  const g = svg('g', {
    class: `node actor ${sb.kind}`,
    'data-id': sb.id,
    transform: `translate(${fmt(b.x)},${fmt(b.y)})`,
    tabindex: 0,
    role: 'button',
    'aria-label': `${sb.kind} ${sb.node.name}`,
  }, layer);
  const rx = sb.kind === 'group' ? b.h / 2 : 6;
  svg('rect', { class: 'box-bg', width: b.w, height: b.h, rx }, g);
  const icon = svg('g', { class: 'actor-icon', transform: `translate(22,${fmt(b.h / 2)})` }, g);
  const person = (dx: number, cls: string) => {
    svg('circle', { class: cls, cx: dx, cy: -5, r: 4 }, icon);
    svg('path', { class: cls, d: `M${dx - 7},8 a7,7 0 0 1 14,0 z` }, icon);
  };
  if (sb.kind === 'group') {
    person(-4, 'back');
    person(4, 'front');
  } else if (sb.node.type === 'service') {
    svg('rect', { class: 'front', x: -8, y: -8, width: 16, height: 16, rx: 3 }, icon);
    svg('circle', { class: 'hole', r: 3.5 }, icon);
  } else {
    person(0, 'front');
  }
  svg('text', { class: 'box-title', x: 40, y: 18 }, g, sb.title);
  svg('text', { class: 'box-subtitle', x: 40, y: 33 }, g, sb.subtitle);
  let count = 10 + violationBadge(g, sb.node, b.w - 16, b.h / 2);
  svg('rect', { class: 'box-outline', width: b.w, height: b.h, rx }, g);
  nodeEls.set(sb.id, g);
  count++;
  return count;
}

/** Ids of scene edges on a lineage path of `tag`, and whether the tag arrives protected. */
export function pathEdges(scene: Scene, tag: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const e of scene.edges) {
    if (e.edge.kind !== 'lineage') continue;
    const hits = (e.edge.tags ?? []).filter((t) => tagMatches(tag, t.name));
    if (hits.length) out.set(e.id, hits.every((t) => t.protected));
  }
  return out;
}
