// Messages between the extension host and the graph previewer webview.
//
// The webview only ever receives plain data (a GraphModel); it builds every DOM node itself.
// This file has no runtime dependencies so both sides (extension and webview bundle) can import it.

import type { GraphLocation, GraphModel } from '../../grammar/graph-types';

export type GraphView = 'lineage' | 'access';
export type FocusDirection = 'upstream' | 'downstream' | 'both';
export type ExportFormat = 'svg' | 'png';

/** View options the host may set with a `graph` or `focus` message; every field is optional. */
export interface GraphViewOptions {
  view?: GraphView;
  /** Focus depth: levels of lineage/access edges followed from the focused node (>= 1). */
  depth?: number;
  direction?: FocusDirection;
  /** Access view: draw denied edges (hidden by default). */
  showDenied?: boolean;
  /** Highlight every lineage path this tag (or a child tag) flows along; null = off. */
  sensitiveTag?: string | null;
  /** Lineage view: draw domains as enclosing boxes (otherwise as colour bands on contracts). */
  domainBoxes?: boolean;
}

/** Everything the webview persists with `setState` and reports with a `state` message. */
export interface GraphViewState {
  version: 1;
  view: GraphView;
  /** Focused node id, or null for "show all". */
  focus: string | null;
  depth: number;
  direction: FocusDirection;
  showDenied: boolean;
  sensitiveTag: string | null;
  domainBoxes: boolean;
  search: string;
  /** Viewport: scale k and translation x/y (screen px); null until the first fit. */
  zoom: { k: number; x: number; y: number } | null;
  legend: boolean;
}

// ---- host -> webview -------------------------------------------------------------------------

/** A new or updated graph. Updates keep zoom/pan and only re-layout. */
export interface GraphMessage {
  type: 'graph';
  graph: GraphModel;
  /** Node id to focus (null leaves focus mode); absent keeps the current focus. */
  focus?: string | null;
  options?: GraphViewOptions;
}

/** Change focus (and optionally options) without resending the graph. */
export interface FocusMessage {
  type: 'focus';
  focus: string | null;
  options?: GraphViewOptions;
}

/** Ask the webview to export what it shows; it answers with an `export` message. */
export interface RequestExportMessage {
  type: 'requestExport';
  format: ExportFormat;
}

export type HostToWebviewMessage = GraphMessage | FocusMessage | RequestExportMessage;

// ---- webview -> host -------------------------------------------------------------------------

/** Sent once the webview listens for messages; the host then sends the graph. */
export interface ReadyMessage {
  type: 'ready';
}

/** A node was clicked (or Enter pressed on it): open its declaration. */
export interface RevealMessage {
  type: 'reveal';
  location: GraphLocation;
  nodeId: string;
}

/**
 * Export result. `svg`: the SVG document as text (styles inlined as presentation attributes).
 * `png`: a `data:image/png;base64,...` URL.
 */
export interface ExportMessage {
  type: 'export';
  format: ExportFormat;
  data: string;
}

/** The view state changed (also saved with setState). */
export interface StateMessage {
  type: 'state';
  state: GraphViewState;
}

/** Something went wrong in the webview (layout failed, export failed...). */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type WebviewToHostMessage = ReadyMessage | RevealMessage | ExportMessage | StateMessage | ErrorMessage;

// ---- helpers ---------------------------------------------------------------------------------

export const DEFAULT_STATE: GraphViewState = {
  version: 1,
  view: 'lineage',
  focus: null,
  depth: 1,
  direction: 'both',
  showDenied: false,
  sensitiveTag: null,
  domainBoxes: false,
  search: '',
  zoom: null,
  legend: false,
};

export const MAX_DEPTH = 20;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Structural check of a message received by the webview (anything can be posted to a window). */
export function isHostMessage(x: unknown): x is HostToWebviewMessage {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'graph':
      return isObject(x.graph) && Array.isArray(x.graph.nodes) && Array.isArray(x.graph.edges);
    case 'focus':
      return x.focus === null || typeof x.focus === 'string';
    case 'requestExport':
      return x.format === 'svg' || x.format === 'png';
    default:
      return false;
  }
}

/** Merge view options into a state, ignoring values of the wrong type. */
export function applyOptions(state: GraphViewState, options: unknown): GraphViewState {
  if (!isObject(options)) return state;
  const next = { ...state };
  if (options.view === 'lineage' || options.view === 'access') next.view = options.view;
  if (typeof options.depth === 'number' && Number.isFinite(options.depth)) {
    next.depth = Math.max(1, Math.min(MAX_DEPTH, Math.round(options.depth)));
  }
  if (options.direction === 'upstream' || options.direction === 'downstream' || options.direction === 'both') {
    next.direction = options.direction;
  }
  if (typeof options.showDenied === 'boolean') next.showDenied = options.showDenied;
  if (options.sensitiveTag === null || typeof options.sensitiveTag === 'string') next.sensitiveTag = options.sensitiveTag || null;
  if (typeof options.domainBoxes === 'boolean') next.domainBoxes = options.domainBoxes;
  return next;
}

/** Validate a state restored with getState (older or foreign shapes fall back to defaults). */
export function restoreState(raw: unknown): GraphViewState {
  if (!isObject(raw) || raw.version !== 1) return { ...DEFAULT_STATE };
  let s = applyOptions({ ...DEFAULT_STATE }, raw);
  if (typeof raw.focus === 'string') s = { ...s, focus: raw.focus };
  if (typeof raw.search === 'string') s = { ...s, search: raw.search };
  if (typeof raw.legend === 'boolean') s = { ...s, legend: raw.legend };
  const z = raw.zoom;
  if (isObject(z) && [z.k, z.x, z.y].every((v) => typeof v === 'number' && Number.isFinite(v)) && (z.k as number) > 0) {
    s = { ...s, zoom: { k: z.k as number, x: z.x as number, y: z.y as number } };
  }
  return s;
}
