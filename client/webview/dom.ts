// Tiny DOM helpers. Every string from the model reaches the DOM through textContent or
// setAttribute here; the webview never parses HTML.

export const SVG_NS = 'http://www.w3.org/2000/svg';

type Attrs = Record<string, string | number | undefined | null>;

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs, parent?: Element | DocumentFragment | null, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  if (attrs) setAttrs(el, attrs);
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

export function html<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, parent?: Element | DocumentFragment | null, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) setAttrs(el, attrs);
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    el.setAttribute(k, typeof v === 'number' ? fmt(v) : v);
  }
}

/** Short number formatting for SVG attributes. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
