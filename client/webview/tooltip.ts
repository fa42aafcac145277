// Hover tooltips for nodes and edges, built from DOM nodes and textContent only.

import type { GraphEdge, GraphNode } from '../../grammar/graph-types';
import { html } from './dom';
import { levelOf, type GraphIndex } from './model';

export class Tooltip {
  readonly el: HTMLDivElement;
  private current: string | null = null;

  constructor(parent: HTMLElement) {
    this.el = html('div', { class: 'tooltip', role: 'tooltip', id: 'charter-tooltip', 'aria-hidden': 'true' }, parent);
  }

  get shownFor(): string | null {
    return this.current;
  }

  hide(): void {
    this.current = null;
    this.el.classList.remove('visible');
    this.el.setAttribute('aria-hidden', 'true');
  }

  /** Position near the pointer, kept inside the container. */
  move(clientX: number, clientY: number): void {
    const parent = this.el.offsetParent as HTMLElement | null;
    const pr = parent?.getBoundingClientRect() ?? { left: 0, top: 0, width: innerWidth, height: innerHeight };
    const w = this.el.offsetWidth;
    const h = this.el.offsetHeight;
    let x = clientX - pr.left + 14;
    let y = clientY - pr.top + 16;
    if (x + w > pr.width - 4) x = Math.max(4, clientX - pr.left - w - 14);
    if (y + h > pr.height - 4) y = Math.max(4, clientY - pr.top - h - 12);
    this.el.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }

  showNode(key: string, node: GraphNode, index: GraphIndex, clientX: number, clientY: number): void {
    if (this.current === key) {
      this.move(clientX, clientY);
      return;
    }
    this.current = key;
    const el = this.el;
    el.replaceChildren();
    const head = html('div', { class: 'tt-head' }, el);
    html('span', { class: 'tt-kind' }, head, node.kind);
    html('span', { class: 'tt-title' }, head, node.label || node.name);
    if (node.name && node.name !== node.label) html('div', { class: 'tt-name' }, el, node.name);
    const facts = html('dl', { class: 'tt-facts' }, el);
    const fact = (k: string, v: string | undefined) => {
      if (!v) return;
      html('dt', undefined, facts, k);
      html('dd', undefined, facts, v);
    };
    if (node.kind === 'field') fact('type', node.type);
    else if (node.kind === 'contract') fact('version', node.type);
    else if (node.kind === 'principal') fact('kind', node.type);
    const contract = node.kind === 'field' ? index.contractOf(node.id) : node.kind === 'contract' ? node : undefined;
    fact('owner', node.owner ?? contract?.owner);
    if (contract && node.kind === 'contract') {
      const d = index.domainOf(contract);
      fact('domain', d?.name);
      fact('fields', String(index.fieldsOf(contract.id).length));
    }
    if (node.tags && node.tags.length > 0) {
      const tags = html('div', { class: 'tt-tags' }, el);
      html('div', { class: 'tt-section' }, tags, 'Classification');
      const ul = html('ul', undefined, tags);
      for (const t of [...node.tags].sort((a, b) => levelOf(b) - levelOf(a))) {
        const li = html('li', { class: `lvl-${Math.min(4, levelOf(t))}` }, ul);
        html('span', { class: `tt-tag${t.protected ? ' prot' : ''}` }, li, t.name);
        const bits: string[] = [];
        if (typeof t.level === 'number') bits.push(`level ${t.level}`);
        bits.push(t.protected ? 'protected' : 'unprotected');
        bits.push(t.declared ? 'declared' : `inherited from ${t.from.join(', ') || '?'}`);
        html('span', { class: 'tt-tag-info' }, li, ' ' + bits.join(' · '));
      }
    }
    if (node.violations && node.violations.length > 0) {
      const box = html('div', { class: 'tt-violations' }, el);
      for (const v of node.violations) {
        const row = html('div', { class: `tt-violation sev-${v.severity}` }, box);
        html('span', { class: 'tt-sev' }, row, v.severity);
        html('span', { class: 'tt-code' }, row, v.code);
        html('div', { class: 'tt-msg' }, row, v.message);
      }
    }
    if (node.doc) html('div', { class: 'tt-doc' }, el, node.doc);
    if (node.location) html('div', { class: 'tt-loc' }, el, `${node.location.file}:${node.location.line} — click to open`);
    el.classList.add('visible');
    el.setAttribute('aria-hidden', 'false');
    this.move(clientX, clientY);
  }

  showEdge(key: string, e: GraphEdge, index: GraphIndex, clientX: number, clientY: number): void {
    if (this.current === key) {
      this.move(clientX, clientY);
      return;
    }
    this.current = key;
    const el = this.el;
    el.replaceChildren();
    const s = index.get(e.source);
    const t = index.get(e.target);
    const head = html('div', { class: 'tt-head' }, el);
    html('span', { class: 'tt-kind' }, head, e.kind);
    html('span', { class: 'tt-title' }, head, e.kind === 'access' ? e.decision ?? '' : e.kind === 'lineage' ? e.transform ?? 'copy' : '');
    html('div', { class: 'tt-name' }, el, `${s?.name ?? e.source} → ${t?.name ?? e.target}`);
    const facts = html('dl', { class: 'tt-facts' }, el);
    if (e.kind === 'lineage') {
      html('dt', undefined, facts, 'transform');
      html('dd', undefined, facts, e.transform ?? 'copy');
      html('dt', undefined, facts, 'tags');
      html('dd', undefined, facts, (e.tags ?? []).map((x) => `${x.name}${x.protected ? ' (protected)' : ''}`).join(', ') || 'none');
    }
    if (e.kind === 'access') {
      html('dt', undefined, facts, 'decision');
      html('dd', undefined, facts, e.decision ?? '?');
      if (e.mask) {
        html('dt', undefined, facts, 'mask');
        html('dd', undefined, facts, e.mask);
      }
    }
    el.classList.add('visible');
    el.setAttribute('aria-hidden', 'false');
    this.move(clientX, clientY);
  }
}
