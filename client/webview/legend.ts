// Legend: classification levels, protected tags, edge styles, violations, domains.

import { html, svg } from './dom';
import { levelClass, type GraphIndex } from './model';
import type { GraphViewState } from './protocol';

function swatchSvg(parent: HTMLElement, w = 28, h = 14): SVGSVGElement {
  return svg('svg', { class: 'lg-swatch', width: w, height: h, viewBox: `0 0 ${w} ${h}`, 'aria-hidden': 'true' }, parent);
}

function item(list: HTMLElement, text: string, draw: (s: SVGSVGElement) => void, cls = ''): void {
  const li = html('li', cls ? { class: cls } : undefined, list);
  draw(swatchSvg(li));
  html('span', undefined, li, text);
}

function section(parent: HTMLElement, title: string): HTMLUListElement {
  const sec = html('div', { class: 'lg-section' }, parent);
  html('div', { class: 'lg-title' }, sec, title);
  return html('ul', undefined, sec);
}

export class Legend {
  readonly el: HTMLDivElement;
  private key = '';

  constructor(parent: HTMLElement) {
    this.el = html('div', { class: 'legend', id: 'legend', 'aria-label': 'Legend' }, parent);
  }

  update(index: GraphIndex | null, state: GraphViewState): void {
    this.el.hidden = !state.legend || !index;
    if (!index) return;
    const key = [state.view, state.showDenied, state.sensitiveTag, state.domainBoxes, index.tagNames.join(','), index.domains.map((d) => d.id).join(',')].join('|');
    if (key === this.key) return;
    this.key = key;
    const el = this.el;
    el.replaceChildren();

    const byLevel = new Map<number, string[]>();
    for (const [name, level] of index.tagLevel) {
      const l = levelClass(level);
      if (!byLevel.has(l)) byLevel.set(l, []);
      byLevel.get(l)!.push(name);
    }
    const levels = [...byLevel.keys()].sort((a, b) => b - a);
    if (levels.length > 0) {
      const ul = section(el, 'Classification');
      for (const l of levels) {
        const names = byLevel.get(l)!.sort();
        const text = `${l >= 4 ? '4+' : l} ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
        item(ul, text, (s) => svg('rect', { class: `lg-level lvl-${l}`, x: 1, y: 1, width: 26, height: 12, rx: 2 }, s));
      }
      item(ul, 'protected (hash/tokenize/encrypt/mask)', (s) => {
        const top = levels[0];
        svg('rect', { class: `lg-level prot lvl-${top}`, x: 1, y: 1, width: 26, height: 12, rx: 2 }, s);
      });
      item(ul, 'inherited', (s) => svg('text', { class: 'lg-italic', x: 2, y: 11 }, s, 'tag'));
    }

    if (state.view === 'lineage') {
      const ul = section(el, 'Lineage');
      item(ul, 'column lineage, labelled with its transform', (s) => svg('path', { class: 'edge lineage', d: 'M1,7 H26', 'marker-end': 'url(#arrow-lineage)' }, s));
      if (state.sensitiveTag) {
        item(ul, `path of ${state.sensitiveTag}`, (s) => svg('path', { class: 'edge lineage on-path', d: 'M1,7 H26' }, s));
        item(ul, `${state.sensitiveTag} arriving protected`, (s) => svg('path', { class: 'edge lineage on-path prot', d: 'M1,7 H26' }, s));
      }
      if (index.domains.length > 0) {
        const doms = section(el, 'Domains');
        for (const d of [...index.domains].sort((a, b) => a.name.localeCompare(b.name))) {
          const slot = index.domainSlot.get(d.id) ?? 0;
          item(doms, d.label || d.name, (s) => {
            if (state.domainBoxes) {
              svg('rect', { class: `lg-domain dom-${slot}`, x: 1, y: 1, width: 26, height: 12, rx: 3 }, s);
            } else {
              svg('rect', { class: `lg-band dom-${slot}`, x: 1, y: 1, width: 26, height: 12, rx: 2 }, s);
              svg('rect', { class: `lg-band-top dom-${slot}`, x: 1, y: 1, width: 26, height: 3, rx: 1 }, s);
            }
          });
        }
      }
    } else {
      const ul = section(el, 'Access (current context)');
      item(ul, 'clear', (s) => svg('path', { class: 'edge access d-clear', d: 'M1,7 H26' }, s));
      item(ul, 'masked (label: mask)', (s) => svg('path', { class: 'edge access d-masked', d: 'M1,7 H26' }, s));
      item(ul, state.showDenied ? 'denied' : 'denied (hidden)', (s) => svg('path', { class: 'edge access d-denied', d: 'M1,7 H26' }, s));
      item(ul, 'member of', (s) => svg('path', { class: 'edge membership', d: 'M1,7 H26' }, s));
    }

    const v = section(el, 'Violations');
    item(v, 'error', (s) => {
      const g = svg('g', { class: 'violation sev-error', transform: 'translate(14,7)' }, s);
      svg('circle', { r: 6 }, g);
      svg('text', { y: 3.5 }, g, '!');
    });
    item(v, 'warning', (s) => {
      const g = svg('g', { class: 'violation sev-warning', transform: 'translate(14,7)' }, s);
      svg('circle', { r: 6 }, g);
      svg('text', { y: 3.5 }, g, '!');
    });
  }
}
