// The graph previewer: receives graphs from the host, lays them out in the worker, draws them,
// and handles interaction (pan/zoom, search, focus, tooltips, export) and state persistence.

import type { GraphNode } from '../../grammar/graph-types';
import { html, svg } from './dom';
import { exportSvg, svgToPng } from './export';
import type { HostApi } from './host';
import { LayoutClient } from './layout-client';
import type { LayoutResult } from './layout-types';
import { Legend } from './legend';
import { CanvasMeasurer } from './measure';
import { GraphIndex, nodeMatches } from './model';
import {
  applyOptions,
  isHostMessage,
  MAX_DEPTH,
  restoreState,
  type ExportFormat,
  type FocusDirection,
  type GraphView,
  type GraphViewState,
  type HostToWebviewMessage,
} from './protocol';
import { createDefs, pathEdges, renderScene, type Rendered } from './render';
import { buildScene, layoutRequest, type Scene } from './scene';
import { Toolbar } from './toolbar';
import { Tooltip } from './tooltip';
import { Viewport } from './viewport';

export interface RenderedDetail {
  revision: number;
  /** From the triggering message/event to the next painted frame. */
  ms: number;
  layoutMs: number;
  renderMs: number;
  cached: boolean;
  nodes: number;
  edges: number;
  elements: number;
  mode: string;
  engine: string;
  view: GraphView;
  focus: string | null;
}

declare global {
  interface Window {
    __charterLastRender?: RenderedDetail;
  }
}

const CACHE_SIZE = 24;
const LOD_LOW = 0.5;
const LOD_MIN = 0.18;

function hashString(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${s.length}`;
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

export class App {
  private readonly host: HostApi;
  private state: GraphViewState;
  private index: GraphIndex | null = null;
  private revision = 0;
  private scene: Scene | null = null;
  private rendered: Rendered | null = null;
  private readonly cache = new Map<string, LayoutResult>();
  private token = 0;
  private needsFit: boolean;
  private selected: string | null = null;
  private renderCount = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private busyTimer: ReturnType<typeof setTimeout> | undefined;
  private warning: string | null = null;
  /** The drawing was fitted to the view and not panned or zoomed since: a resize fits it again. */
  private fitted = false;
  private lastSize: { w: number; h: number } | null = null;
  private resizeFrame = 0;

  private readonly rootEl: HTMLElement;
  private readonly svgEl: SVGSVGElement;
  private readonly defs: SVGDefsElement;
  private readonly viewportG: SVGGElement;
  private readonly toolbar: Toolbar;
  private readonly legend: Legend;
  private readonly tooltip: Tooltip;
  private readonly statusEl: HTMLDivElement;
  private readonly messageEl: HTMLDivElement;
  private readonly viewport: Viewport;
  private readonly layout: LayoutClient;
  private readonly measurer: CanvasMeasurer;

  constructor(root: HTMLElement, host: HostApi, workerUri: string | null) {
    this.host = host;
    this.rootEl = root;
    this.state = restoreState(host.getState());
    this.needsFit = this.state.zoom === null;
    root.replaceChildren();
    root.classList.add('charter-graph');

    this.toolbar = new Toolbar(root, {
      setView: (v) => this.setView(v),
      search: (q) => this.setSearch(q),
      searchEnter: () => this.searchEnter(),
      setDepth: (n) => this.setDepth(n),
      setDirection: (d) => this.setDirection(d),
      focusSelected: () => this.selected && this.setFocus(this.selected),
      showAll: () => this.setFocus(null),
      setShowDenied: (b) => this.update({ showDenied: b }, { relayout: true }),
      setDomainBoxes: (b) => this.update({ domainBoxes: b }, { relayout: true }),
      setSensitiveTag: (t) => this.update({ sensitiveTag: t }, { relayout: false }),
      zoom: (d) => this.zoom(d),
      exportAs: (f) => void this.exportAs(f),
      toggleLegend: () => this.update({ legend: !this.state.legend }, { relayout: false }),
    });
    const stage = html('div', { class: 'stage' }, root);
    this.svgEl = svg('svg', { class: 'graph', id: 'graph', role: 'application', 'aria-label': 'Graph', tabindex: 0 }, stage);
    this.defs = createDefs(this.svgEl);
    this.viewportG = svg('g', { class: 'viewport' }, this.svgEl);
    this.messageEl = html('div', { class: 'message', id: 'message' }, stage, 'Waiting for the graph…');
    this.tooltip = new Tooltip(stage);
    this.legend = new Legend(root);
    this.statusEl = html('div', { class: 'status', id: 'status', 'aria-live': 'polite' }, root);

    this.viewport = new Viewport(this.svgEl, this.viewportG, (t) => {
      this.state.zoom = t;
      this.updateLod();
      this.saveState(400);
    });
    if (this.state.zoom) this.viewport.set(this.state.zoom, false);
    this.measurer = new CanvasMeasurer(...this.fonts());
    this.layout = new LayoutClient(workerUri);

    this.installPointer();
    this.installKeys();
    // A panel opening or closing below or beside the preview resizes it: fit again (or keep the centre).
    new ResizeObserver(() => {
      cancelAnimationFrame(this.resizeFrame);
      this.resizeFrame = requestAnimationFrame(() => this.onResize());
    }).observe(stage);
    // VS Code switches themes by rewriting the theme variables and body classes: colours follow
    // through CSS; a different font needs new text measurements, so lay out again.
    const themeWatch = new MutationObserver(() => {
      if (this.index && this.measurer.setFamily(...this.fonts())) void this.refresh(performance.now());
    });
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    window.addEventListener('message', (ev: MessageEvent) => {
      if (isHostMessage(ev.data)) this.onMessage(ev.data);
    });
    this.syncChrome();
    host.postMessage({ type: 'ready' });
  }

  /** The UI and monospace font families in effect (they follow the VS Code theme variables). */
  private fonts(): [string, string] {
    const root = getComputedStyle(document.documentElement);
    const ui = root.getPropertyValue('--cg-font').trim() || getComputedStyle(document.body).fontFamily;
    const mono = root.getPropertyValue('--cg-mono').trim() || 'monospace';
    return [ui, mono];
  }

  // ---- messages ---------------------------------------------------------------------------

  onMessage(msg: HostToWebviewMessage): void {
    const t0 = performance.now();
    if (msg.type === 'graph') {
      const first = this.index === null;
      const prev = { ...this.state };
      this.index = new GraphIndex(msg.graph);
      this.revision++;
      if (msg.focus !== undefined) this.state.focus = msg.focus;
      if (msg.options) this.state = applyOptions(this.state, msg.options);
      if (this.state.focus && !this.index.get(this.state.focus)) this.state.focus = null;
      if (this.state.view !== prev.view || this.state.focus !== prev.focus || (first && this.state.zoom === null)) this.needsFit = true;
      void this.refresh(t0);
      this.saveState();
    } else if (msg.type === 'focus') {
      if (msg.options) this.state = applyOptions(this.state, msg.options);
      this.setFocus(msg.focus, t0);
    } else if (msg.type === 'requestExport') {
      void this.exportAs(msg.format);
    }
  }

  // ---- state changes ----------------------------------------------------------------------

  private update(patch: Partial<GraphViewState>, opts: { relayout: boolean; fit?: boolean }): void {
    const t0 = performance.now();
    this.state = { ...this.state, ...patch };
    if (opts.fit) this.needsFit = true;
    if (opts.relayout) void this.refresh(t0);
    else {
      this.applyHighlights();
      this.syncChrome();
    }
    this.saveState();
  }

  private setView(v: GraphView): void {
    if (v === this.state.view) return;
    this.update({ view: v }, { relayout: true, fit: true });
  }

  setFocus(id: string | null, t0 = performance.now()): void {
    if (id !== null && this.index && !this.index.get(id)) return;
    this.state = { ...this.state, focus: id };
    this.needsFit = true;
    void this.refresh(t0);
    this.saveState();
  }

  private setDepth(n: number): void {
    if (!Number.isFinite(n)) return;
    const depth = Math.max(1, Math.min(MAX_DEPTH, Math.round(n)));
    if (depth === this.state.depth) {
      this.syncChrome();
      return;
    }
    this.update({ depth }, { relayout: this.state.focus !== null, fit: true });
  }

  private setDirection(d: FocusDirection): void {
    if (d === this.state.direction) return;
    this.update({ direction: d }, { relayout: this.state.focus !== null, fit: true });
  }

  private setSearch(q: string): void {
    this.state = { ...this.state, search: q };
    this.applySearch();
    this.saveState(300);
  }

  private searchEnter(): void {
    if (!this.index) return;
    const kinds = new Set(this.state.view === 'access' ? ['contract', 'field', 'group', 'principal', 'domain'] : ['contract', 'field', 'domain']);
    const hit = this.index.search(this.state.search, kinds)[0];
    if (hit) this.setFocus(hit.id);
  }

  private zoom(d: 'in' | 'out' | 'fit'): void {
    if (d === 'fit') {
      if (this.rendered) this.fit(this.rendered.bounds);
    } else {
      this.fitted = false;
      this.viewport.zoomAt(d === 'in' ? 1.25 : 0.8);
    }
  }

  private fit(bounds: { x: number; y: number; w: number; h: number }): void {
    this.viewport.fit(bounds);
    this.fitted = true;
    this.lastSize = this.viewport.size();
  }

  private onResize(): void {
    const size = this.viewport.size();
    const last = this.lastSize;
    this.lastSize = size;
    if (!last || !this.rendered || (Math.abs(size.w - last.w) < 1 && Math.abs(size.h - last.h) < 1)) return;
    if (this.fitted) this.fit(this.rendered.bounds);
    else this.viewport.panBy((size.w - last.w) / 2, (size.h - last.h) / 2);
    window.dispatchEvent(new CustomEvent('charter:resized', { detail: { ...size, fitted: this.fitted } }));
  }

  private saveState(delay = 100): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      const state = { ...this.state, zoom: this.state.zoom ? { ...this.state.zoom } : null };
      this.host.setState(state);
      this.host.postMessage({ type: 'state', state });
    }, delay);
  }

  // ---- layout and drawing -----------------------------------------------------------------

  private async refresh(t0: number): Promise<void> {
    const index = this.index;
    if (!index) return;
    const token = ++this.token;
    this.measurer.setFamily(...this.fonts());
    const scene = buildScene(index, this.state, this.measurer);
    const req = layoutRequest(scene);
    const key = hashString(JSON.stringify(req));
    const tl = performance.now();
    let layout = this.cache.get(key);
    const cached = !!layout;
    if (!layout) {
      clearTimeout(this.busyTimer);
      this.busyTimer = setTimeout(() => this.rootEl.classList.add('busy'), 200);
      let result: LayoutResult | null;
      try {
        result = await this.layout.layout(req);
      } catch (err) {
        if (token === this.token) this.fail(`Layout failed: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (token !== this.token || !result) return; // superseded by a newer request
      clearTimeout(this.busyTimer);
      this.rootEl.classList.remove('busy');
      layout = result;
      this.cache.delete(key);
      this.cache.set(key, layout);
      while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    } else {
      this.cache.delete(key);
      this.cache.set(key, layout);
    }
    const layoutMs = performance.now() - tl;
    this.warning = layout.warning ? `ELK layout failed (${layout.warning}); showing a simple layout.` : layout.engine === 'fallback' ? `Layout worker unavailable (${this.layout.failure ?? 'unknown'}); showing a simple layout.` : null;
    const tr = performance.now();
    this.draw(scene, layout);
    const renderMs = performance.now() - tr;
    await nextPaint();
    if (token !== this.token) return;
    this.renderCount++;
    const detail: RenderedDetail = {
      revision: this.revision,
      ms: performance.now() - t0,
      layoutMs,
      renderMs,
      cached,
      nodes: scene.nodeCount,
      edges: scene.edges.length,
      elements: this.rendered?.elementCount ?? 0,
      mode: scene.mode,
      engine: layout.engine,
      view: scene.view,
      focus: scene.focus,
    };
    window.__charterLastRender = detail;
    document.body.dataset.renderCount = String(this.renderCount);
    document.body.dataset.revision = String(this.revision);
    window.dispatchEvent(new CustomEvent('charter:rendered', { detail }));
  }

  private draw(scene: Scene, layout: LayoutResult): void {
    const r = renderScene(scene, layout, this.measurer);
    this.scene = scene;
    this.rendered = r;
    this.tooltip.hide();
    if (this.selected && !r.nodeEls.has(this.selected)) this.selected = null;
    this.messageEl.hidden = scene.boxes.length > 0;
    if (scene.boxes.length === 0) this.messageEl.textContent = this.state.view === 'access' ? 'No contracts, groups or principals to show.' : 'No contracts to show.';
    // Legend and status first (they change the room left for the drawing), then the viewport and
    // its level-of-detail classes, and only then the new drawing: the browser then never lays out
    // text that is hidden at this zoom.
    this.syncChrome();
    if (this.needsFit) {
      this.needsFit = false;
      this.fit(r.bounds);
    } else {
      this.updateLod();
    }
    this.applyHighlights(true);
    // One synchronous swap: the old drawing stays until the new one is complete (no flicker).
    this.viewportG.replaceChildren(r.root);
  }

  private fail(message: string): void {
    clearTimeout(this.busyTimer);
    this.rootEl.classList.remove('busy');
    this.messageEl.hidden = false;
    this.messageEl.textContent = message;
    this.host.postMessage({ type: 'error', message });
  }

  private updateLod(): void {
    const k = this.viewport.k;
    this.svgEl.classList.toggle('lod-low', k < LOD_LOW);
    this.svgEl.classList.toggle('lod-min', k < LOD_MIN);
  }

  /** `fresh`: the drawing was just built, so there are no highlight classes to remove. */
  private applyHighlights(fresh = false): void {
    const r = this.rendered;
    const scene = this.scene;
    if (!r || !scene) return;
    if (fresh) {
      if (scene.focus) r.nodeEls.get(scene.focus)?.classList.add('focus-center');
      if (this.selected) r.nodeEls.get(this.selected)?.classList.add('selected');
    } else {
      for (const [id, el] of r.nodeEls) {
        el.classList.toggle('focus-center', id === scene.focus);
        el.classList.toggle('selected', id === this.selected);
      }
    }
    this.applySearch(fresh);
    this.applyPaths(fresh);
  }

  private applySearch(fresh = false): void {
    const r = this.rendered;
    const index = this.index;
    if (!r || !index) return;
    const q = this.state.search.trim();
    if (!q && fresh) {
      this.svgEl.classList.remove('search-active');
      this.toolbar.setSearchCount(null);
      return;
    }
    let n = 0;
    for (const [id, el] of r.nodeEls) {
      const node = index.get(id);
      const hit = !!q && !!node && nodeMatches(node, q);
      el.classList.toggle('match', hit);
      el.classList.remove('has-match');
      if (hit) n++;
    }
    if (q) {
      for (const [, el] of r.nodeEls) {
        if (el.classList.contains('match') && el.classList.contains('row')) el.parentElement?.classList.add('has-match');
      }
    }
    this.svgEl.classList.toggle('search-active', !!q);
    this.toolbar.setSearchCount(q ? n : null);
  }

  private applyPaths(fresh = false): void {
    const r = this.rendered;
    const scene = this.scene;
    const index = this.index;
    if (!r || !scene || !index) return;
    const tag = this.state.sensitiveTag;
    if (!tag && fresh) {
      this.svgEl.classList.remove('paths-active');
      return;
    }
    const onPath = tag ? pathEdges(scene, tag) : new Map<string, boolean>();
    for (const [id, el] of r.edgeEls) {
      const p = onPath.get(id);
      el.classList.toggle('on-path', p !== undefined);
      el.classList.toggle('prot', p === true);
    }
    for (const [id, el] of r.nodeEls) {
      const node = index.get(id);
      const hit = !!tag && node?.kind === 'field' && index.hasTag(node, tag);
      el.classList.toggle('on-path', hit);
      el.classList.remove('has-path');
    }
    if (tag) {
      for (const [, el] of r.nodeEls) {
        if (el.classList.contains('on-path')) el.parentElement?.classList.add('has-path');
      }
    }
    this.svgEl.classList.toggle('paths-active', !!tag);
  }

  private syncChrome(): void {
    this.toolbar.sync(this.state, this.index, this.selected !== null);
    this.legend.update(this.index, this.state);
    const s = this.scene;
    const st = this.statusEl;
    st.replaceChildren();
    if (!this.index || !s) {
      st.textContent = 'No graph yet.';
      return;
    }
    const contracts = s.boxes.filter((b) => b.kind === 'contract').length;
    const fields = s.boxes.reduce((a, b) => a + b.rows.length, 0);
    const actors = s.boxes.length - contracts;
    const parts = [`${contracts} contract${contracts === 1 ? '' : 's'}`, `${fields} field${fields === 1 ? '' : 's'}`];
    if (s.view === 'access') parts.push(`${actors} group${actors === 1 ? '' : 's'}/principal${actors === 1 ? '' : 's'}`);
    parts.push(`${s.edges.length} edge${s.edges.length === 1 ? '' : 's'}`);
    if (s.focus) {
      const f = this.index.get(s.focus);
      const dir = { upstream: 'upstream', downstream: 'downstream', both: 'up- and downstream' }[this.state.direction];
      html('span', { class: 'st-focus' }, st, `Focus: ${f?.name ?? s.focus} · ${this.state.depth} level${this.state.depth === 1 ? '' : 's'} ${dir}`);
    } else {
      html('span', undefined, st, s.view === 'lineage' ? 'Lineage' : 'Access');
    }
    html('span', { class: 'st-counts' }, st, parts.join(' · '));
    const ctx = Object.entries(this.index.model.context ?? {});
    if (s.view === 'access' && ctx.length) html('span', { class: 'st-ctx' }, st, `context: ${ctx.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
    if (this.warning) html('span', { class: 'st-warning' }, st, this.warning);
  }

  // ---- interaction ------------------------------------------------------------------------

  private nodeIdAt(target: EventTarget | null): string | null {
    const el = target instanceof Element ? target.closest('[data-id]') : null;
    return el?.getAttribute('data-id') ?? null;
  }

  private edgeIdAt(target: EventTarget | null): string | null {
    const el = target instanceof Element ? target.closest('[data-edge]') : null;
    return el?.getAttribute('data-edge') ?? null;
  }

  private select(id: string | null): void {
    this.selected = id;
    if (this.rendered) for (const [nid, el] of this.rendered.nodeEls) el.classList.toggle('selected', nid === id);
    this.toolbar.sync(this.state, this.index, id !== null);
  }

  private reveal(id: string): void {
    const node: GraphNode | undefined = this.index?.get(id);
    this.select(id);
    if (node?.location) this.host.postMessage({ type: 'reveal', location: node.location, nodeId: id });
  }

  private hoverEdges: string[] = [];

  private highlightEdges(nodeId: string | null): void {
    const r = this.rendered;
    for (const id of this.hoverEdges) r?.edgeEls.get(id)?.classList.remove('hl');
    this.hoverEdges = nodeId && r ? r.edgesByNode.get(nodeId) ?? [] : [];
    for (const id of this.hoverEdges) r?.edgeEls.get(id)?.classList.add('hl');
  }

  private installPointer(): void {
    const el = this.svgEl;
    let down: { x: number; y: number; id: number; target: EventTarget | null; moved: boolean } | null = null;
    el.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      // Keep the page from scrolling a focused node into view; keyboard focus goes to the svg.
      ev.preventDefault();
      el.focus({ preventScroll: true });
      down = { x: ev.clientX, y: ev.clientY, id: ev.pointerId, target: ev.target, moved: false };
      el.setPointerCapture(ev.pointerId);
    });
    el.addEventListener('pointermove', (ev) => {
      if (down && ev.pointerId === down.id) {
        const dx = ev.clientX - down.x;
        const dy = ev.clientY - down.y;
        if (!down.moved && Math.hypot(dx, dy) < 4) return;
        if (!down.moved) {
          down.moved = true;
          el.classList.add('panning');
          this.tooltip.hide();
        }
        this.fitted = false;
        this.viewport.panBy(dx, dy);
        down.x = ev.clientX;
        down.y = ev.clientY;
        return;
      }
      this.hover(ev);
    });
    const end = (ev: PointerEvent) => {
      if (!down || ev.pointerId !== down.id) return;
      const d = down;
      down = null;
      el.classList.remove('panning');
      if (el.hasPointerCapture(ev.pointerId)) el.releasePointerCapture(ev.pointerId);
      if (d.moved || ev.type === 'pointercancel') return;
      const id = this.nodeIdAt(d.target);
      if (id) this.reveal(id);
      else if (!this.edgeIdAt(d.target)) this.select(null);
    };
    el.addEventListener('pointerup', end);
    el.addEventListener('pointercancel', end);
    el.addEventListener('pointerleave', () => {
      if (!down) {
        this.tooltip.hide();
        this.highlightEdges(null);
      }
    });
    el.addEventListener('dblclick', (ev) => {
      const id = this.nodeIdAt(ev.target);
      if (id) this.setFocus(id);
    });
    el.addEventListener(
      'wheel',
      (ev) => {
        ev.preventDefault();
        const unit = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? 400 : 1;
        const dy = ev.deltaY * unit;
        const factor = Math.exp(-dy * (ev.ctrlKey ? 0.01 : 0.0015));
        const r = el.getBoundingClientRect();
        this.fitted = false;
        this.viewport.zoomAt(factor, ev.clientX - r.left, ev.clientY - r.top);
      },
      { passive: false },
    );
  }

  private hover(ev: PointerEvent): void {
    const index = this.index;
    if (!index || !this.rendered) return;
    const id = this.nodeIdAt(ev.target);
    if (id) {
      const node = index.get(id);
      if (node) {
        if (this.tooltip.shownFor !== id) this.highlightEdges(id);
        this.tooltip.showNode(id, node, index, ev.clientX, ev.clientY);
        return;
      }
    }
    const eid = this.edgeIdAt(ev.target);
    const se = eid ? this.rendered.sceneEdges.get(eid) : undefined;
    if (se && eid) {
      this.highlightEdges(null);
      this.tooltip.showEdge(`edge:${eid}`, se.edge, index, ev.clientX, ev.clientY);
      return;
    }
    this.highlightEdges(null);
    this.tooltip.hide();
  }

  private installKeys(): void {
    this.svgEl.addEventListener('keydown', (ev) => {
      const id = this.nodeIdAt(ev.target);
      if (ev.key === 'Enter' && id) {
        ev.preventDefault();
        this.reveal(id);
      } else if ((ev.key === 'f' || ev.key === 'F') && id) {
        this.setFocus(id);
      } else if (ev.key === '+' || ev.key === '=') this.zoom('in');
      else if (ev.key === '-') this.zoom('out');
      else if (ev.key === '0') this.zoom('fit');
      else if (ev.key === 'Escape' && this.state.focus) this.setFocus(null);
      else return;
    });
    this.svgEl.addEventListener('focusin', (ev) => {
      const id = this.nodeIdAt(ev.target);
      if (id) this.select(id);
    });
  }

  // ---- export -----------------------------------------------------------------------------

  private async exportAs(format: ExportFormat): Promise<void> {
    const r = this.rendered;
    if (!r) {
      this.host.postMessage({ type: 'error', message: 'Nothing to export yet.' });
      return;
    }
    try {
      const focus = this.scene?.focus ? ` — focus ${this.index?.get(this.scene.focus)?.name ?? this.scene.focus}` : '';
      // Export every detail, whatever the zoom level hides on screen.
      this.svgEl.classList.remove('lod-low', 'lod-min');
      let out;
      try {
        out = exportSvg(this.defs, r.root, r.bounds, `Charter ${this.state.view} graph${focus}`);
      } finally {
        this.updateLod();
      }
      const data = format === 'svg' ? out.text : await svgToPng(out);
      this.host.postMessage({ type: 'export', format, data });
    } catch (err) {
      this.host.postMessage({ type: 'error', message: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
}
