// The previewer's toolbar: view switch, search, focus controls, toggles, zoom and export.

import { html } from './dom';
import type { GraphIndex } from './model';
import { MAX_DEPTH, type ExportFormat, type FocusDirection, type GraphView, type GraphViewState } from './protocol';

export interface ToolbarHandlers {
  setView(v: GraphView): void;
  search(q: string): void;
  searchEnter(): void;
  setDepth(n: number): void;
  setDirection(d: FocusDirection): void;
  focusSelected(): void;
  showAll(): void;
  setShowDenied(b: boolean): void;
  setDomainBoxes(b: boolean): void;
  setSensitiveTag(t: string | null): void;
  zoom(dir: 'in' | 'out' | 'fit'): void;
  exportAs(f: ExportFormat): void;
  toggleLegend(): void;
}

function button(parent: HTMLElement, id: string, text: string, title: string, onClick: () => void, cls = ''): HTMLButtonElement {
  const b = html('button', { id, type: 'button', title, class: `tb-btn ${cls}`.trim() }, parent, text);
  b.addEventListener('click', onClick);
  return b;
}

function segment(parent: HTMLElement, label: string): HTMLDivElement {
  return html('div', { class: 'tb-segment', role: 'group', 'aria-label': label }, parent);
}

export class Toolbar {
  readonly el: HTMLDivElement;
  private readonly viewBtns: Record<GraphView, HTMLButtonElement>;
  private readonly dirBtns: Record<FocusDirection, HTMLButtonElement>;
  readonly searchInput: HTMLInputElement;
  private readonly searchCount: HTMLSpanElement;
  private readonly depthInput: HTMLInputElement;
  private readonly focusGroup: HTMLDivElement;
  private readonly showAllBtn: HTMLButtonElement;
  private readonly focusBtn: HTMLButtonElement;
  private readonly deniedLabel: HTMLLabelElement;
  private readonly deniedBox: HTMLInputElement;
  private readonly domainsLabel: HTMLLabelElement;
  private readonly domainsBox: HTMLInputElement;
  private readonly tagSelect: HTMLSelectElement;
  private readonly legendBtn: HTMLButtonElement;
  private tagList = '';

  constructor(parent: HTMLElement, h: ToolbarHandlers) {
    const el = (this.el = html('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Graph controls' }, parent));

    const views = segment(el, 'View');
    this.viewBtns = {
      lineage: button(views, 'view-lineage', 'Lineage', 'Column-level lineage between contracts', () => h.setView('lineage'), 'seg'),
      access: button(views, 'view-access', 'Access', 'Who can read which field (current simulation context)', () => h.setView('access'), 'seg'),
    };

    const search = html('div', { class: 'tb-search' }, el);
    this.searchInput = html('input', { id: 'search', type: 'search', placeholder: 'Search (Enter: focus)', 'aria-label': 'Search nodes', spellcheck: 'false' }, search);
    this.searchCount = html('span', { id: 'search-count', class: 'tb-count', 'aria-live': 'polite' }, search);
    this.searchInput.addEventListener('input', () => h.search(this.searchInput.value));
    this.searchInput.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        h.searchEnter();
      } else if (ev.key === 'Escape') {
        this.searchInput.value = '';
        h.search('');
      }
    });

    const focus = (this.focusGroup = html('div', { class: 'tb-group tb-focus', role: 'group', 'aria-label': 'Focus' }, el));
    this.focusBtn = button(focus, 'focus-selected', 'Focus', 'Focus on the selected node (or double-click a node)', () => h.focusSelected());
    html('span', { class: 'tb-label' }, focus, 'Depth');
    button(focus, 'depth-dec', '−', 'Fewer levels', () => h.setDepth(Number(this.depthInput.value) - 1), 'small');
    this.depthInput = html('input', { id: 'depth', type: 'number', min: 1, max: MAX_DEPTH, value: 1, 'aria-label': 'Focus depth (levels)' }, focus);
    this.depthInput.addEventListener('change', () => h.setDepth(Number(this.depthInput.value)));
    button(focus, 'depth-inc', '+', 'More levels', () => h.setDepth(Number(this.depthInput.value) + 1), 'small');
    const dirs = segment(focus, 'Direction');
    this.dirBtns = {
      upstream: button(dirs, 'dir-upstream', '← Up', 'Upstream only (where the data comes from)', () => h.setDirection('upstream'), 'seg'),
      both: button(dirs, 'dir-both', 'Both', 'Upstream and downstream', () => h.setDirection('both'), 'seg'),
      downstream: button(dirs, 'dir-downstream', 'Down →', 'Downstream only (where the data goes)', () => h.setDirection('downstream'), 'seg'),
    };
    this.showAllBtn = button(focus, 'show-all', 'Show all', 'Leave focus mode', () => h.showAll());

    const toggles = html('div', { class: 'tb-group' }, el);
    this.deniedLabel = html('label', { class: 'tb-check', title: 'Draw denied access edges' }, toggles);
    this.deniedBox = html('input', { id: 'show-denied', type: 'checkbox' }, this.deniedLabel);
    html('span', undefined, this.deniedLabel, 'Denied');
    this.deniedBox.addEventListener('change', () => h.setShowDenied(this.deniedBox.checked));
    this.domainsLabel = html('label', { class: 'tb-check', title: 'Draw domains as enclosing boxes (otherwise: a colour band on each contract)' }, toggles);
    this.domainsBox = html('input', { id: 'domain-boxes', type: 'checkbox' }, this.domainsLabel);
    html('span', undefined, this.domainsLabel, 'Domain boxes');
    this.domainsBox.addEventListener('change', () => h.setDomainBoxes(this.domainsBox.checked));
    const tagLabel = html('label', { class: 'tb-select', title: 'Highlight every lineage path a tag flows along' }, toggles);
    html('span', undefined, tagLabel, 'Sensitive paths');
    this.tagSelect = html('select', { id: 'sensitive-tag', 'aria-label': 'Sensitive paths: tag' }, tagLabel);
    this.tagSelect.addEventListener('change', () => h.setSensitiveTag(this.tagSelect.value || null));

    const zoom = segment(el, 'Zoom');
    zoom.classList.add('tb-right');
    button(zoom, 'zoom-out', '−', 'Zoom out (-)', () => h.zoom('out'), 'seg');
    button(zoom, 'zoom-fit', 'Fit', 'Fit to view (0)', () => h.zoom('fit'), 'seg');
    button(zoom, 'zoom-in', '+', 'Zoom in (+)', () => h.zoom('in'), 'seg');

    const out = html('div', { class: 'tb-group' }, el);
    button(out, 'export-svg', 'SVG', 'Export as SVG', () => h.exportAs('svg'));
    button(out, 'export-png', 'PNG', 'Export as PNG', () => h.exportAs('png'));
    this.legendBtn = button(out, 'toggle-legend', 'Legend', 'Show or hide the legend', () => h.toggleLegend());
  }

  sync(state: GraphViewState, index: GraphIndex | null, hasSelection: boolean): void {
    for (const v of ['lineage', 'access'] as const) this.viewBtns[v].setAttribute('aria-pressed', String(state.view === v));
    for (const d of ['upstream', 'both', 'downstream'] as const) this.dirBtns[d].setAttribute('aria-pressed', String(state.direction === d));
    if (document.activeElement !== this.depthInput) this.depthInput.value = String(state.depth);
    if (document.activeElement !== this.searchInput && this.searchInput.value !== state.search) this.searchInput.value = state.search;
    this.focusGroup.classList.toggle('active', state.focus !== null);
    this.showAllBtn.disabled = state.focus === null;
    this.focusBtn.disabled = !hasSelection;
    this.deniedLabel.hidden = state.view !== 'access';
    this.deniedBox.checked = state.showDenied;
    this.domainsLabel.hidden = state.view !== 'lineage';
    this.domainsBox.checked = state.domainBoxes;
    this.legendBtn.setAttribute('aria-pressed', String(state.legend));
    const tags = index?.tagNames ?? [];
    const list = tags.join('\n');
    if (list !== this.tagList) {
      this.tagList = list;
      this.tagSelect.replaceChildren();
      html('option', { value: '' }, this.tagSelect, '(no tag)');
      // Offer parents too ("pii" for "pii.email"), since tags match their children.
      const all = new Set<string>();
      for (const t of tags) {
        const parts = t.split('.');
        for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join('.'));
      }
      for (const t of [...all].sort()) html('option', { value: t }, this.tagSelect, t);
    }
    this.tagSelect.value = state.sensitiveTag ?? '';
  }

  setSearchCount(n: number | null): void {
    this.searchCount.textContent = n === null ? '' : n === 1 ? '1 match' : `${n} matches`;
  }
}
