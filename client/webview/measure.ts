// Text measurement for layout (node widths must be known before ELK runs).

export interface TextMeasurer {
  width(text: string, font: FontSpec): number;
}

export type FontSpec = 'title' | 'subtitle' | 'row' | 'type' | 'badge' | 'label' | 'domain';

const SIZES: Record<FontSpec, { size: number; weight: number }> = {
  title: { size: 13, weight: 600 },
  subtitle: { size: 11, weight: 400 },
  row: { size: 12, weight: 400 },
  type: { size: 11, weight: 400 },
  badge: { size: 10, weight: 500 },
  label: { size: 10, weight: 400 },
  domain: { size: 12, weight: 600 },
};

/** Fonts drawn with the editor (monospace) font family: see graph.css. */
const MONO_FONTS: ReadonlySet<FontSpec> = new Set<FontSpec>(['type', 'label']);

export function fontSize(f: FontSpec): number {
  return SIZES[f].size;
}

/** Measures with a canvas in the page's font; falls back to an average-width estimate. */
export class CanvasMeasurer implements TextMeasurer {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly cache = new Map<string, number>();
  private family: string;
  private mono: string;

  constructor(family: string, mono = 'monospace') {
    this.family = family || 'sans-serif';
    this.mono = mono || 'monospace';
    let ctx: CanvasRenderingContext2D | null = null;
    try {
      ctx = document.createElement('canvas').getContext('2d');
    } catch {
      ctx = null;
    }
    this.ctx = ctx;
  }

  /** Follow a font change (theme switch); drops cached widths when the family changed. */
  setFamily(family: string, mono?: string): boolean {
    let changed = false;
    if (family && family !== this.family) {
      this.family = family;
      changed = true;
    }
    if (mono && mono !== this.mono) {
      this.mono = mono;
      changed = true;
    }
    if (changed) this.cache.clear();
    return changed;
  }

  width(text: string, font: FontSpec): number {
    const key = font + '\u0000' + text;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const { size, weight } = SIZES[font];
    let w: number;
    if (this.ctx) {
      this.ctx.font = `${weight} ${size}px ${MONO_FONTS.has(font) ? this.mono : this.family}`;
      w = this.ctx.measureText(text).width;
    } else {
      w = estimateWidth(text, size, weight);
    }
    w = Math.ceil(w * 1.04 + 1); // small safety margin: SVG text and canvas can differ slightly
    this.cache.set(key, w);
    return w;
  }
}

export function estimateWidth(text: string, size: number, weight = 400): number {
  return text.length * size * (weight >= 600 ? 0.62 : 0.58);
}

export class EstimateMeasurer implements TextMeasurer {
  width(text: string, font: FontSpec): number {
    const { size, weight } = SIZES[font];
    return Math.ceil(estimateWidth(text, size, weight));
  }
}
