// Export of the current drawing as a standalone SVG (computed styles inlined as presentation
// attributes, so it renders the same without our stylesheet or the VS Code theme variables) and
// as PNG (the SVG drawn onto a canvas).

import { SVG_NS } from './dom';

const COMMON_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'opacity', 'marker-end'] as const;
const TEXT_PROPS = ['font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'paint-order'] as const;
const DROP_ATTRS = ['tabindex', 'role', 'aria-label', 'data-id', 'data-edge', 'style'];

function inlineStyles(src: Element, dst: Element): void {
  const cs = getComputedStyle(src);
  const props: readonly string[] = src instanceof SVGTextElement ? [...COMMON_PROPS, ...TEXT_PROPS] : COMMON_PROPS;
  for (const p of props) {
    let v = cs.getPropertyValue(p);
    if (!v || (p === 'stroke-dasharray' && v === 'none')) continue;
    if (p === 'opacity' && v === '1') continue;
    if ((p === 'marker-end' || p === 'paint-order') && (v === 'none' || v === 'normal') && !dst.hasAttribute(p)) continue;
    if (p === 'font-family') v = v.replace(/"/g, "'");
    dst.setAttribute(p, v);
  }
  for (const a of DROP_ATTRS) dst.removeAttribute(a);
}

/** Copies computed styles from `src` onto its clone `dst`, dropping what is not displayed. */
function walk(src: Element, dst: Element): void {
  inlineStyles(src, dst);
  const sKids = Array.from(src.children);
  const dKids = Array.from(dst.children);
  for (let i = 0; i < sKids.length; i++) {
    const s = sKids[i];
    const d = dKids[i];
    if (!d) continue;
    const inDefs = s.closest('defs') !== null;
    if (!inDefs && getComputedStyle(s).display === 'none') {
      d.remove();
      continue;
    }
    walk(s, d);
  }
}

export interface ExportedSvg {
  text: string;
  width: number;
  height: number;
}

/**
 * Serialises `scene` (drawn in scene coordinates) with the page's `defs` into a standalone SVG
 * covering `bounds`.
 */
export function exportSvg(defs: SVGDefsElement, scene: SVGGElement, bounds: { x: number; y: number; w: number; h: number }, title: string): ExportedSvg {
  const w = Math.ceil(bounds.w);
  const h = Math.ceil(bounds.h);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(w));
  out.setAttribute('height', String(h));
  out.setAttribute('viewBox', `${bounds.x.toFixed(1)} ${bounds.y.toFixed(1)} ${w} ${h}`);
  const t = document.createElementNS(SVG_NS, 'title');
  t.textContent = title;
  out.appendChild(t);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', bounds.x.toFixed(1));
  bg.setAttribute('y', bounds.y.toFixed(1));
  bg.setAttribute('width', String(w));
  bg.setAttribute('height', String(h));
  const bodyBg = getComputedStyle(document.body).backgroundColor;
  bg.setAttribute('fill', bodyBg && bodyBg !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(bodyBg) ? bodyBg : '#ffffff');
  out.appendChild(bg);
  const defsClone = defs.cloneNode(true) as SVGDefsElement;
  walk(defs, defsClone);
  out.appendChild(defsClone);
  const sceneClone = scene.cloneNode(true) as SVGGElement;
  walk(scene, sceneClone);
  sceneClone.removeAttribute('transform');
  out.appendChild(sceneClone);
  const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(out);
  return { text, width: w, height: h };
}

const MAX_SIDE = 16384;
const MAX_PIXELS = 40_000_000;

/** Rasterises an exported SVG; resolves to a `data:image/png;base64,...` URL. */
export async function svgToPng(svg: ExportedSvg, preferredScale = 2): Promise<string> {
  const scale = Math.max(
    0.05,
    Math.min(preferredScale, MAX_SIDE / svg.width, MAX_SIDE / svg.height, Math.sqrt(MAX_PIXELS / Math.max(1, svg.width * svg.height))),
  );
  const url = URL.createObjectURL(new Blob([svg.text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(svg.width * scale));
    canvas.height = Math.max(1, Math.round(svg.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('Canvas 2D context is not available');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
