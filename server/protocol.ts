// Charter's custom LSP requests and notifications: names and shapes shared by
// the server, the VS Code client and the protocol tests. Types only, plus the
// method names: no runtime dependency.

export const CharterMethods = {
  /** Every principal's decision for one field (the who-can-see view). */
  whoCanSee: 'charter/whoCanSee',
  /** One principal's decision for every field of some files (Simulate As...). */
  simulate: 'charter/simulate',
  /** Runs test blocks. */
  runTest: 'charter/runTest',
  /** Lists the workspace's test blocks (Test Explorer discovery). */
  listTests: 'charter/tests',
  /** Principals and the context schema, to pick from in Simulate As... */
  simulationOptions: 'charter/simulationOptions',
  /** The lineage and access graph for the previewer (server/features/graph.ts, owned by the graph work). */
  graph: 'charter/graph',
  /** Notification, server -> client: the model's state (status bar). */
  status: 'charter/status',
  /** Notification, client -> server: the current simulation context (SetContextParams). */
  setContext: 'charter/setContext',
} as const;

export type ContextValues = Record<string, string | number | boolean>;

export interface LspPosition {
  line: number;
  character: number;
}
export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}
export interface LspLocation {
  uri: string;
  range: LspRange;
}

export interface WhoCanSeeParams {
  /** The field under the cursor... */
  textDocument?: { uri: string };
  position?: LspPosition;
  /** ...or a field by name (`sales.orders.customer_email`). */
  field?: string;
  /** Defaults to the current simulation context (see SimulationOptionsResult.defaultContext). */
  context?: ContextValues;
}

/**
 * The context every request without its own uses (code lenses, hovers, Who Can
 * See, Simulate As, the graph): `null` goes back to the workspace default
 * (the `charter.simulation.context` setting, else `simulation.context` of charter.json).
 */
export interface SetContextParams {
  context: ContextValues | null;
}

/** Where the current simulation context comes from. */
export type ContextSource = 'chosen' | 'setting' | 'charter.json' | 'none';

export type Decision = 'clear' | 'masked' | 'denied';

export interface ReasonItem {
  policy: string;
  effect: 'allow' | 'deny' | 'mask' | 'rows';
  /** The rule's text on one line. */
  text: string;
  location: LspLocation;
  /** The rule's condition lacked an attribute and failed closed. */
  failedClosed: boolean;
}

export interface WhoCanSeeRow {
  principal: string;
  service: boolean;
  groups: string[];
  decision: Decision;
  mask?: string;
  rows?: string;
  summary: string;
  reasons: ReasonItem[];
}

export interface WhoCanSeeResult {
  field: string;
  /** Where the field is declared. */
  location: LspLocation;
  context: ContextValues;
  /** Problems with the context (unknown attributes, bad values); those entries were ignored. */
  contextErrors: string[];
  counts: { clear: number; masked: number; denied: number };
  results: WhoCanSeeRow[];
}

export interface SimulateParams {
  principal: string;
  context?: ContextValues;
  /** Only fields declared in these documents (every field when absent). */
  uris?: string[];
}

export interface SimulatedFieldItem {
  uri: string;
  /** The field's name in its declaration. */
  range: LspRange;
  qname: string;
  decision: Decision;
  mask?: string;
  rows?: string;
  summary: string;
}

export interface SimulateResult {
  principal: string;
  context: ContextValues;
  contextErrors: string[];
  fields: SimulatedFieldItem[];
}

export interface RunTestParams {
  /** One test by name; every test of `uri`, or of the workspace, when absent. */
  name?: string;
  uri?: string;
}

export interface ExpectationResultItem {
  range: LspRange;
  passed: boolean;
  message: string;
  /** The decision behind a single-principal expectation, with the rules that made it. */
  decision?: { principal: string; field: string; decision: Decision; mask?: string; rows?: string; summary: string; reasons: ReasonItem[] };
  /** The context the expectation was decided in (`given context`). */
  context?: ContextValues;
}

export interface TestResultItem {
  name: string;
  uri: string;
  range: LspRange;
  passed: boolean;
  expectations: ExpectationResultItem[];
}

export interface RunTestResult {
  tests: TestResultItem[];
}

export interface ListTestsResult {
  tests: { name: string; uri: string; range: LspRange }[];
}

export interface SimulationOptionsResult {
  principals: { name: string; service: boolean; groups: string[] }[];
  context: { name: string; type: string; values?: string[] }[];
  /** The context the server uses when a request gives none (the current one, validated). */
  defaultContext: ContextValues;
  /** Where defaultContext comes from. */
  contextSource?: ContextSource;
  /** The workspace default (the setting, else charter.json), validated: what `null` in charter/setContext goes back to. */
  workspaceContext?: ContextValues;
  workspaceContextSource?: Exclude<ContextSource, 'chosen'>;
  /** Problems with the current context (unknown attributes, bad values); those entries are ignored. */
  contextErrors?: string[];
}

export interface StatusParams {
  state: 'loading' | 'analyzing' | 'ready' | 'error';
  files: number;
  contracts: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Duration of the last analysis. */
  analysisMs?: number;
  /** Increases with every analysis: clients refresh views when it changes. */
  generation: number;
  message?: string;
}

/** Settings under `charter.*` (VS Code configuration, or initializationOptions.settings for other editors). */
export interface CharterSettings {
  governance?: { paths?: string[] };
  simulation?: { context?: ContextValues };
  codeLens?: { enabled?: boolean };
  inlayHints?: { enabled?: boolean };
}
