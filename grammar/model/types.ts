// The semantic model: every declaration of the workspace, resolved.
// Built by `buildModel` (model/build.ts) from parsed files; read by the
// evaluator, governance, the CLI and every LSP feature.

import type * as A from '../ast';

/** A place in the workspace: a file and a range in it. */
export interface Loc {
  file: string;
  range: A.Range;
}

export interface FileInfo {
  uri: string;
  text: string;
  ast: A.FileAst;
  /** Under a charter.json `governance` path: its rules are central. */
  central: boolean;
}

export interface GroupSym {
  kind: 'group';
  name: string;
  decl: A.GroupDecl;
  loc: Loc;
  description?: string;
}

export interface AttributeSym {
  kind: 'attribute';
  scope: 'subject' | 'context';
  name: string;
  decl: A.AttributeDecl;
  type: A.AttrType;
  loc: Loc;
}

export type AttrValue = string | number | boolean;

export interface PrincipalSym {
  kind: 'principal';
  name: string;
  decl: A.PrincipalDecl;
  loc: Loc;
  service: boolean;
  /** Resolved group names (unknown ones are dropped after their diagnostic). */
  groups: Set<string>;
  attributes: Map<string, AttrValue>;
}

export interface ClassificationSym {
  kind: 'classification';
  name: string;
  decl: A.ClassificationDecl;
  loc: Loc;
  level?: number;
  description?: string;
}

export interface DomainSym {
  kind: 'domain';
  name: string;
  decl: A.DomainDecl;
  loc: Loc;
  owner?: string;
  contracts: ContractSym[];
}

/** How a tag reached a field. */
export interface TagOrigin {
  /** The tag's classification name. */
  tag: string;
  /** Declared on this field. */
  declared: boolean;
  /** Reached the field only through protecting transforms (declared tags are unprotected). */
  protected: boolean;
  /** Source fields it came through (qualified names), for hover and the graph; also set for a declared tag that arrives through lineage too. */
  from: string[];
}

export interface LineageEdge {
  source: FieldSym;
  target: FieldSym;
  transform: Transform;
}

export type Transform = 'copy' | 'derive' | 'hash' | 'tokenize' | 'encrypt' | 'mask' | 'aggregate';

export interface FieldSym {
  kind: 'field';
  name: string;
  /** `domain.product.field`. */
  qname: string;
  decl: A.FieldDecl;
  loc: Loc;
  contract: ContractSym;
  type: string;
  declaredTags: string[];
  transform: Transform;
  /** Resolved lineage sources. */
  sources: FieldSym[];
  /** Fields that read from this one. */
  consumers: FieldSym[];
  /** Effective tags by classification name. */
  tags: Map<string, TagOrigin>;
  description?: string;
}

export interface ContractSym {
  kind: 'contract';
  name: string;
  domain: string;
  decl: A.ContractDecl;
  loc: Loc;
  /** Resolved owning group: declared, or inherited from the domain. */
  owner?: string;
  ownerInherited: boolean;
  fields: Map<string, FieldSym>;
  /** Properties by path: `version`, `status`, `description`, `sla.retention`, ... */
  properties: Map<string, A.Literal | A.Name>;
  description?: string;
}

export interface PolicySym {
  kind: 'policy';
  name: string;
  decl: A.PolicyDecl;
  loc: Loc;
}

export interface RuleSym {
  kind: 'rule';
  name: string;
  decl: A.GovRule;
  governance: string;
  loc: Loc;
  /** Declared in a file under a `governance` path. */
  central: boolean;
}

export interface WaiverSym {
  kind: 'waiver';
  name: string;
  decl: A.WaiverDecl;
  loc: Loc;
}

export interface TestSym {
  kind: 'test';
  name: string;
  decl: A.TestDecl;
  loc: Loc;
}

export type Sym = GroupSym | PrincipalSym | ClassificationSym | DomainSym | ContractSym | FieldSym | PolicySym | RuleSym | WaiverSym | TestSym | AttributeSym;

export interface FileDiagnostic extends A.Diagnostic {
  file: string;
}

export interface Model {
  files: Map<string, FileInfo>;
  groups: Map<string, GroupSym>;
  principals: Map<string, PrincipalSym>;
  classifications: Map<string, ClassificationSym>;
  domains: Map<string, DomainSym>;
  contracts: Map<string, ContractSym>;
  /** Every field by qualified name. */
  fields: Map<string, FieldSym>;
  policies: Map<string, PolicySym>;
  rules: Map<string, RuleSym>;
  waivers: Map<string, WaiverSym>;
  tests: Map<string, TestSym>;
  subjectSchema: Map<string, AttributeSym>;
  contextSchema: Map<string, AttributeSym>;
  lineage: LineageEdge[];
  /** Every reference from a name in the source to the symbol it resolves to (find references, rename, go to definition). */
  references: Reference[];
  diagnostics: FileDiagnostic[];
}

export interface Reference {
  file: string;
  range: A.Range;
  target: Sym;
}

export const FIELD_TYPES = ['string', 'int', 'decimal', 'bool', 'date', 'timestamp', 'uuid', 'json'] as const;
export const TRANSFORMS: Transform[] = ['copy', 'derive', 'hash', 'tokenize', 'encrypt', 'mask', 'aggregate'];
export const PROTECTING: ReadonlySet<Transform> = new Set(['hash', 'tokenize', 'encrypt', 'mask']);
/** Strongest first. */
export const MASK_METHODS = ['null', 'redact', 'hash', 'partial'] as const;
export type MaskMethod = (typeof MASK_METHODS)[number];
export const ACTIONS = ['read', 'write', 'discover'] as const;
export const CONTRACT_STATUSES = ['draft', 'active', 'deprecated'] as const;
export const RESOURCE_ATTRIBUTES = ['domain', 'owner', 'tags', 'name'] as const;

/** Is `tag` the classification `of` or one of its children (`pii.email` is a kind of `pii`)? */
export function tagMatches(tag: string, of: string): boolean {
  return tag === of || (tag.length > of.length && tag.startsWith(of) && tag[of.length] === '.');
}
