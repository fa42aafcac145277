// Pan and zoom of the SVG scene: a translate+scale transform on one group.

export interface Transform {
  k: number;
  x: number;
  y: number;
}

export const MIN_ZOOM = 0.005;
export const MAX_ZOOM = 4;

export class Viewport {
  k = 1;
  x = 0;
  y = 0;
  private readonly target: SVGGElement;
  private readonly host: SVGSVGElement;
  private readonly onChange: (t: Transform) => void;

  constructor(host: SVGSVGElement, target: SVGGElement, onChange: (t: Transform) => void) {
    this.host = host;
    this.target = target;
    this.onChange = onChange;
  }

  get transform(): Transform {
    return { k: this.k, x: this.x, y: this.y };
  }

  set(t: Transform, notify = true): void {
    this.k = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, t.k));
    this.x = t.x;
    this.y = t.y;
    this.target.setAttribute('transform', `translate(${this.x.toFixed(2)},${this.y.toFixed(2)}) scale(${this.k.toFixed(5)})`);
    if (notify) this.onChange(this.transform);
  }

  size(): { w: number; h: number } {
    const r = this.host.getBoundingClientRect();
    return { w: Math.max(1, r.width), h: Math.max(1, r.height) };
  }

  /** Zoom by `factor` keeping the screen point (cx, cy) (relative to the svg) fixed. */
  zoomAt(factor: number, cx?: number, cy?: number): void {
    const { w, h } = this.size();
    const px = cx ?? w / 2;
    const py = cy ?? h / 2;
    const k = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, this.k * factor));
    const f = k / this.k;
    this.set({ k, x: px - (px - this.x) * f, y: py - (py - this.y) * f });
  }

  panBy(dx: number, dy: number): void {
    this.set({ k: this.k, x: this.x + dx, y: this.y + dy });
  }

  /** Fit a rectangle of scene coordinates into the view (never zooming in past 1:1). */
  fit(b: { x: number; y: number; w: number; h: number }, maxK = 1): void {
    const { w, h } = this.size();
    const margin = 24;
    const k = Math.max(MIN_ZOOM, Math.min(maxK, (w - 2 * margin) / Math.max(1, b.w), (h - 2 * margin) / Math.max(1, b.h)));
    this.set({ k, x: (w - b.w * k) / 2 - b.x * k, y: (h - b.h * k) / 2 - b.y * k });
  }

  /** Centre a scene point without changing the zoom. */
  centreOn(x: number, y: number): void {
    const { w, h } = this.size();
    this.set({ k: this.k, x: w / 2 - x * this.k, y: h / 2 - y * this.k });
  }

  /** Screen (client) coordinates to scene coordinates. */
  toScene(clientX: number, clientY: number): { x: number; y: number } {
    const r = this.host.getBoundingClientRect();
    return { x: (clientX - r.left - this.x) / this.k, y: (clientY - r.top - this.y) / this.k };
  }
}
