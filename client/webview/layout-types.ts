// The (view-agnostic) layout problem the page sends to the layout worker, and its answer.
// Sizes are measured on the page; the worker only runs ELK and returns absolute coordinates.

export type LayoutMode =
  /** Field rows are ELK ports; ELK routes every field-level edge (orthogonal) and places labels. */
  | 'ports'
  /**
   * Large graphs: ELK lays out boxes with one aggregated edge per box pair (polyline); the page
   * draws every field-level edge as a curve along its pair's route ("bundle").
   */
  | 'bundled';

export interface LayoutPort {
  id: string;
  side: 'W' | 'E';
  /** Centre of the port, relative to the top of the box. */
  y: number;
}

export interface LayoutNode {
  id: string;
  w: number;
  h: number;
  /** Id of an enclosing compound (a domain), if any. */
  parent?: string;
  ports?: LayoutPort[];
  /** Pin the node to the first or last layer. */
  layer?: 'first' | 'last';
}

export interface LayoutCompound {
  id: string;
  /** Room kept above the children for the compound's label. */
  padTop: number;
  /** Minimum width (room for the label). */
  minW: number;
}

export interface LayoutEdge {
  id: string;
  /** Source and target node ids. */
  s: string;
  t: string;
  /** Source and target port ids (ports mode). */
  sp?: string;
  tp?: string;
  /** Size of a centre label, if any. */
  label?: { w: number; h: number };
}

export interface LayoutRequest {
  id: number;
  mode: LayoutMode;
  nodes: LayoutNode[];
  compounds: LayoutCompound[];
  edges: LayoutEdge[];
  /** Hint for the quality/speed trade-off (crossing minimisation effort). */
  thoroughness: number;
}

export interface LayoutBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LayoutEdgeRoute {
  /** Flat [x0, y0, x1, y1, ...] absolute coordinates, start to end. */
  points: number[];
  /** Top-left of the edge's label, when it had one. */
  label?: { x: number; y: number };
}

export interface LayoutResult {
  nodes: Record<string, LayoutBox>;
  edges: Record<string, LayoutEdgeRoute>;
  width: number;
  height: number;
  /** Time spent in ELK (worker side). */
  ms: number;
  /** 'elk' or 'fallback' (the page's own simple layered layout, used when no worker can start). */
  engine: 'elk' | 'fallback';
  /** Set when ELK failed and the fallback layout was used instead. */
  warning?: string;
}

export type WorkerRequest = { type: 'layout'; req: LayoutRequest } | { type: 'warmup'; rounds?: number };

export type WorkerResponse =
  | { type: 'result'; id: number; result: LayoutResult }
  | { type: 'error'; id: number; message: string }
  | { type: 'skipped'; id: number }
  | { type: 'warm'; ms: number };
