// What `charter diff` finds between two analyses of a workspace (BASE and
// the working tree): access, schema and governance changes. Pure data with
// the symbols they concern, so the CLI and the server can place them.

import type { Reason, DecisionKind } from '../evaluator/decide';
import type { AttrValue, ContractSym, FieldSym, FileDiagnostic, MaskMethod, Model } from '../model/types';

/** A decision without its reasons: what `before`/`after` compare. */
export interface Outcome {
  decision: DecisionKind;
  mask?: MaskMethod;
  /** Row filter with the principal's and context's values substituted; undefined: all rows. */
  rows?: string;
}

export type AccessKind = 'exposure' | 'restriction' | 'rows';

/** One field × principal × (before, after) pair and the contexts where it holds. */
export interface AccessChange {
  /** Qualified field name. */
  field: string;
  principal: string;
  /** null: the field or the principal does not exist on that side. */
  before: Outcome | null;
  after: Outcome | null;
  kind: AccessKind;
  /** Every combination of finite context values where the pair holds (all finite attributes; `{}` when there are none). */
  contexts: Map<string, AttrValue>[];
  /** The reasons of each side's decision, in the first of `contexts`. */
  reasons: { before: Reason[]; after: Reason[] };
  /** The field at each side. */
  sides: { before?: FieldSym; after?: FieldSym };
}

export const SCHEMA_CHANGES = [
  'contract-removed',
  'contract-added',
  'field-removed',
  'field-added',
  'type-changed',
  'required-added',
  'key-changed',
  'tag-removed',
  'tag-added',
  'sla-weakened',
  'sla-strengthened',
  'source-changed',
  'lineage-changed',
  'status-changed',
  'version-changed',
] as const;
export type SchemaChangeKind = (typeof SCHEMA_CHANGES)[number];

/** Changes that break a consumer of the contract. */
export const BREAKING_CHANGES: ReadonlySet<SchemaChangeKind> = new Set(['contract-removed', 'field-removed', 'type-changed', 'required-added', 'key-changed']);

export interface SchemaChange {
  contract: string;
  /** Qualified field name; null for a change of the contract itself. */
  field: string | null;
  change: SchemaChangeKind;
  /** A breaking change that no major version bump announces. */
  breaking: boolean;
  message: string;
  /** Where to show it: the declaration in the working tree, or at BASE when it is gone. */
  at: { side: 'before' | 'after'; sym: ContractSym | FieldSym };
}

export interface GovernanceDelta {
  /** Governance diagnostics of the working tree that BASE does not have. */
  introduced: FileDiagnostic[];
  /** Governance diagnostics of BASE that the working tree no longer has. */
  resolved: FileDiagnostic[];
}

export interface ModelDiff {
  before: Model;
  after: Model;
  access: AccessChange[];
  schema: SchemaChange[];
  governance: GovernanceDelta;
  /**
   * Fields whose rules changed and read context attributes without a finite
   * set of values: those are left unset (conditions on them fail closed), so
   * the access delta there is exact only for requests without them.
   */
  unverified: { field: string; attributes: string[] }[];
}
