// The syntax tree of one Charter file. Every node keeps its source range as
// character offsets into the file text ([start, end), end exclusive), so the
// server and the CLI can convert to their own line/column conventions.

export interface Range {
  start: number;
  end: number;
}

export interface Node {
  range: Range;
}

export interface Name extends Node {
  text: string;
}

/** `sales.orders.customer_email`; `parts` keeps each segment's range. */
export interface QName extends Node {
  text: string;
  parts: Name[];
}

// ---------------------------------------------------------------- literals

export type Literal =
  | { kind: 'string'; value: string; range: Range }
  | { kind: 'number'; value: number; range: Range }
  | { kind: 'duration'; value: number /* seconds */; text: string; range: Range }
  | { kind: 'percent'; value: number; text: string; range: Range }
  | { kind: 'date'; value: string; range: Range }
  | { kind: 'version'; value: string; range: Range }
  /** `/source/flags`: `value` is the source between the slashes, `flags` the letters after the last one. */
  | { kind: 'regex'; value: string; flags: string; range: Range }
  | { kind: 'bool'; value: boolean; range: Range }
  | { kind: 'list'; items: Literal[]; range: Range };

// ------------------------------------------------------------- expressions

export type Expr =
  | { kind: 'literal'; value: Literal; range: Range }
  | { kind: 'ref'; path: QName; range: Range }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; range: Range }
  | { kind: 'not'; operand: Expr; range: Range }
  | { kind: 'has'; path: QName; range: Range }
  | { kind: 'list'; items: Expr[]; range: Range };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';
export type BinaryOp = CompareOp | 'and' | 'or';

// ------------------------------------------------------------ declarations

interface DeclBase extends Node {
  /** Text of the `##` lines directly above the declaration, without the markers. */
  doc?: string;
  /** Range of the declaration's name (for go-to-definition, outline). */
  name: Name | QName;
}

export interface GroupDecl extends DeclBase {
  kind: 'group';
  name: Name;
  description?: Literal & { kind: 'string' };
}

export type AttrType =
  | { kind: 'string' | 'number' | 'bool' | 'date'; range: Range }
  | { kind: 'enum'; values: (Literal & { kind: 'string' })[]; range: Range };

export interface AttributeDecl extends DeclBase {
  kind: 'attribute';
  name: Name;
  type: AttrType;
}

export interface AttributeSchemaDecl extends Node {
  kind: 'attributes';
  /** The `subject`/`context` keyword, so every declaration has a name range. */
  name: Name;
  doc?: string;
  scope: 'subject' | 'context';
  keyword: Range;
  attributes: AttributeDecl[];
}

export interface PrincipalAttr extends Node {
  name: Name;
  value: Literal;
}

export interface PrincipalDecl extends DeclBase {
  kind: 'principal';
  name: Name;
  /** `service` after the name; people otherwise. */
  service: boolean;
  memberOf: Name[];
  attributes: PrincipalAttr[];
}

export interface Property extends Node {
  key: Name;
  value?: Literal | Name;
}

export interface ClassificationDecl extends DeclBase {
  kind: 'classification';
  name: QName;
  description?: Literal & { kind: 'string' };
  properties: Property[];
  /** `detect /regex/flags, ...`: field-name patterns that suggest this classification (every `detect` entry, in order). */
  detect: (Literal & { kind: 'regex' })[];
  /** Ranges of the `detect ...` entries (statements, for the formatter and outline). */
  detectRanges: Range[];
}

export interface DomainDecl extends DeclBase {
  kind: 'domain';
  name: Name;
  description?: Literal & { kind: 'string' };
  properties: Property[];
}

export interface TypeRef extends Node {
  /** `string`, `int`, ... or `list`. */
  name: Name;
  element?: TypeRef;
}

export interface FieldDecl extends DeclBase {
  kind: 'field';
  name: Name;
  type?: TypeRef;
  key: boolean;
  required: boolean;
  unique: boolean;
  tags: QName[];
  /** `not tagged T, ...`: a reviewed decision that the field is not T (silences detection). */
  notTagged: QName[];
  from: QName[];
  via?: Name;
  /** Range of the `from ... via ...` clause (where flow violations are reported). */
  fromRange?: Range;
  description?: Literal & { kind: 'string' };
}

export interface SlaBlock extends Node {
  entries: Property[];
}

export interface ContractDecl extends DeclBase {
  kind: 'contract';
  name: QName;
  description?: Literal & { kind: 'string' };
  /** version, owner, status, source, description and unknown keys, in order. */
  properties: Property[];
  source?: { system: Name; location?: Literal; range: Range };
  sla?: SlaBlock;
  fields: FieldDecl[];
}

// ---------------------------------------------------------------- policies

export type AudienceItem =
  | { kind: 'everyone'; range: Range }
  | { kind: 'owner'; range: Range }
  | { kind: 'group'; name: Name; range: Range }
  | { kind: 'principal'; name: Name; range: Range };

export interface Audience extends Node {
  include: AudienceItem[];
  except: AudienceItem[];
}

export type PolicyTarget =
  | { kind: 'contract'; name: QName; range: Range }
  | { kind: 'wildcard'; prefix: QName; range: Range }
  | { kind: 'domain'; name: Name; range: Range }
  | { kind: 'tagged'; tags: QName[]; range: Range };

export type PolicyAction = 'read' | 'write' | 'discover';

interface RuleBase extends Node {
  doc?: string;
  /** Field names the rule is restricted to (`of a, b` / `mask a, b`); empty: every field. */
  fields: Name[];
  audience: Audience;
  condition?: Expr;
}

export interface AccessRule extends RuleBase {
  kind: 'allow' | 'deny';
  action: Name;
}

export interface MaskRule extends RuleBase {
  kind: 'mask';
  method: Name;
}

export interface RowsRule extends RuleBase {
  kind: 'rows';
  /** The row filter (`rows where COND`); `condition` stays undefined. */
  filter: Expr;
}

export type PolicyRule = AccessRule | MaskRule | RowsRule;

export interface PolicyDecl extends DeclBase {
  kind: 'policy';
  name: Name;
  target: PolicyTarget;
  rules: PolicyRule[];
}

// -------------------------------------------------------------- governance

export type SelectorKind = 'contract' | 'field' | 'policy' | 'domain';

export interface Selector extends Node {
  quantifier: 'every' | 'no';
  what: SelectorKind;
  whatRange: Range;
  /** `tagged T, U` (fields). */
  tagged: QName[];
  /** `with fields tagged T` (contracts). */
  withFieldsTagged: QName[];
  /** `tagged T unprotected`. */
  unprotected: boolean;
}

export type RuleBody =
  | { form: 'must-have'; selector: Selector; path: QName; op?: CompareOp; value?: Literal; range: Range }
  | { form: 'must-match'; selector: Selector; regex: Literal & { kind: 'regex' }; range: Range }
  | { form: 'must-be-masked'; selector: Selector; audience: Audience; range: Range }
  | { form: 'not-readable'; selector: Selector; audience: Audience; range: Range }
  | { form: 'not-flow'; selector: Selector; target: { kind: 'domain' | 'contract'; name: QName; range: Range }; range: Range };

export type Severity = 'error' | 'warning' | 'info';

export interface GovRule extends DeclBase {
  kind: 'rule';
  name: Name;
  severity: Severity;
  severityRange?: Range;
  message?: Literal & { kind: 'string' };
  body?: RuleBody;
}

export interface GovernanceDecl extends DeclBase {
  kind: 'governance';
  name: Name;
  rules: GovRule[];
}

export interface WaiverDecl extends DeclBase {
  kind: 'waiver';
  name: Name;
  rule?: Name;
  target?: QName;
  reason?: Literal & { kind: 'string' };
  expires?: Literal;
  approvedBy?: Name;
  properties: Property[];
}

// ------------------------------------------------------------------- tests

export interface GivenContext extends Node {
  kind: 'given';
  entries: PrincipalAttr[];
}

/**
 * - `can-read`, `cannot-read`, `sees-clear`, `sees-masked`: one principal's decision;
 * - `sees-rows`: `expect P sees F rows where COND` (P's row filter);
 * - `only`: `expect only A, B can read F [in clear]` and `expect nobody can read F [in clear]`
 *   (the whole audience of F).
 */
export type ExpectKind = 'can-read' | 'cannot-read' | 'sees-clear' | 'sees-masked' | 'sees-rows' | 'only';

export interface Expectation extends Node {
  kind: 'expect';
  /** The principal, for every kind but `only`. */
  principal?: Name;
  what: ExpectKind;
  field: QName;
  method?: Name;
  /** `only`: who is expected to read F (bare names are groups or principals); empty for `nobody`. */
  only?: AudienceItem[];
  /** `only`: written `nobody`. */
  nobody?: boolean;
  /** `only`: `... in clear` (compare the principals whose decision is clear). */
  inClear?: boolean;
  /** `sees-rows`: the expected row filter. */
  rows?: Expr;
}

export interface TestDecl extends DeclBase {
  kind: 'test';
  name: Name;
  steps: (GivenContext | Expectation)[];
}

export type Declaration =
  | GroupDecl
  | AttributeSchemaDecl
  | PrincipalDecl
  | ClassificationDecl
  | DomainDecl
  | ContractDecl
  | PolicyDecl
  | GovernanceDecl
  | WaiverDecl
  | TestDecl;

export interface Diagnostic {
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  /** Other places that explain the diagnostic (the rule that was broken, the first declaration...). */
  related?: { file: string; range: Range; message: string }[];
  /** Machine-readable data for quick fixes. */
  data?: Record<string, unknown>;
}

export interface FileAst {
  declarations: Declaration[];
  /** Lexer and parser errors; `code` is always `syntax`. */
  errors: Diagnostic[];
  /** `##` doc comment and `#` comment ranges (for the formatter and semantic tokens). */
  comments: { range: Range; doc: boolean; text: string }[];
}
