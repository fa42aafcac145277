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
  /** SQL that enforces the model in PostgreSQL, Snowflake or Databricks (server/features/export-sql.ts). */
  exportSql: 'charter/exportSql',
  /** Notification, server -> client: the model's state (status bar). */
  status: 'charter/status',
  /** What the current text (saved or not) changes against a git revision (Compare with Base; server/features/diff.ts). */
  diff: 'charter/diff',
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

export type SqlEngineName = 'postgres' | 'snowflake' | 'databricks';

export interface ExportSqlParams {
  engine: SqlEngineName;
}

export interface ExportSqlResult {
  /** The whole script in apply order (PostgreSQL: one transaction); empty when refused. */
  script: string;
  /** The files `charter export ENGINE --out` writes, in apply order. */
  files: { name: string; sql: string }[];
  /** Why nothing was exported: errors in the model, or constructs the engine cannot express. */
  errors: string[];
  /** Contracts left out (no source of this engine), with why. */
  skipped: string[];
  notes: string[];
}

export interface DiffParams {
  /** A git revision of the repository holding the workspace folders; default HEAD. */
  base?: string;
}

/** One line of the Compare with Base view: principals collapsed by group. */
export interface DiffAccessLine {
  kind: 'exposure' | 'restriction' | 'rows';
  /** "analysts (12 principals)", "alice". */
  who: string;
  principals: string[];
  /** "masked hash", "clear (rows region == \"EU\")", "new field". */
  before: string;
  after: string;
  /** "" in every context, else "mfa=true, device=managed" and the like. */
  when: string;
  /** Rules that decide now and did not before (in the current text), and the other way round (at the base). */
  added: { text: string; location: LspLocation }[];
  removed: { text: string; file: string; line: number }[];
}

export interface DiffFieldBlock {
  /** A field, or fields of one contract that change alike ("sales.orders.{amount, country}"). */
  label: string;
  fields: { field: string; location?: LspLocation }[];
  lines: DiffAccessLine[];
}

export interface DiffSchemaItem {
  contract: string;
  field: string | null;
  change: string;
  breaking: boolean;
  message: string;
  /** In the current text; absent when only the base has it. */
  location?: LspLocation;
}

export interface DiffDiagnosticItem {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Introduced: in the current text. Resolved: the file, at the line it had at the base. */
  location: LspLocation;
}

/** A field whose access changed, for a decoration at the end of its line ("alice: masked → clear"). */
export interface DiffDecoration {
  uri: string;
  range: LspRange;
  kind: 'exposure' | 'restriction' | 'rows';
  text: string;
  hover: string;
}

export interface DiffResult {
  base: string;
  commit: string;
  headline: string;
  /** The same diff as `charter diff --format markdown` (a pull-request comment). */
  markdown: string;
  counts: { exposures: number; restrictions: number; rows: number; breaking: number; schema: number; introduced: number; resolved: number };
  fields: DiffFieldBlock[];
  schema: DiffSchemaItem[];
  governance: { introduced: DiffDiagnosticItem[]; resolved: DiffDiagnosticItem[] };
  decorations: DiffDecoration[];
  /** Notes: files read from disk because they lie outside the repository, problems reading the base. */
  notes: string[];
}
