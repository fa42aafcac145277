// The graph model the server sends to the previewer and `charter graph --format json` prints.
// It is plain data (JSON): the webview builds every DOM node itself and never receives HTML.

export type GraphNodeKind = 'domain' | 'contract' | 'field' | 'group' | 'principal';

export interface GraphLocation {
  /** Workspace-relative (CLI) or absolute URI (server) of the declaring file. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface GraphTag {
  /** Classification name, e.g. "pii.email". */
  name: string;
  /** Reached the field only through hash/tokenize/encrypt/mask. */
  protected: boolean;
  /** Declared on the field itself (false: inherited through lineage). */
  declared: boolean;
  /** Qualified names of the source fields it came from (empty when declared). */
  from: string[];
  /** Classification level, when the classification declares one. */
  level?: number;
}

export interface GraphViolation {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface GraphNode {
  /** Stable id: "<kind>:<qualified name>", e.g. "field:sales.orders.customer_email". */
  id: string;
  kind: GraphNodeKind;
  /** Short display name ("customer_email"). */
  label: string;
  /** Qualified name ("sales.orders.customer_email"). */
  name: string;
  /** Id of the containing node: a contract for a field, a domain for a contract. */
  parent?: string;
  doc?: string;
  /** Field type ("string", "list<int>"), contract version, or principal kind. */
  type?: string;
  tags?: GraphTag[];
  owner?: string;
  location?: GraphLocation;
  violations?: GraphViolation[];
}

export type GraphEdgeKind = 'lineage' | 'access' | 'ownership' | 'membership';

export interface GraphEdge {
  id: string;
  kind: GraphEdgeKind;
  source: string;
  target: string;
  /** lineage: the transform (copy, derive, hash, tokenize, encrypt, mask, aggregate). */
  transform?: string;
  /** lineage: tags that flow along this edge, and whether they arrive protected. */
  tags?: { name: string; protected: boolean }[];
  /** access (group or principal -> field): decision in the current simulation context. */
  decision?: 'clear' | 'masked' | 'denied';
  mask?: string;
}

export interface GraphModel {
  version: 1;
  /** The simulation context the access edges were computed in. */
  context: Record<string, string | number | boolean>;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
