// The names completion needs, as plain data: small enough to copy between
// threads after each analysis, so completion never waits for one.

import type { Model } from '../model/types';
import { attrTypeText } from './describe';

export interface NameInfo {
  name: string;
  detail?: string;
}

export interface FieldInfo {
  name: string;
  type: string;
  detail?: string;
}

export interface ContractInfo {
  name: string;
  detail?: string;
  fields: FieldInfo[];
}

export interface AttributeInfo {
  name: string;
  /** `string`, `number`, `bool`, `date` or `enum`. */
  type: string;
  /** Enum values. */
  values?: string[];
  detail: string;
}

export interface CompletionIndex {
  groups: NameInfo[];
  principals: NameInfo[];
  classifications: NameInfo[];
  domains: NameInfo[];
  contracts: ContractInfo[];
  subject: AttributeInfo[];
  context: AttributeInfo[];
  rules: NameInfo[];
  policies: NameInfo[];
  tests: NameInfo[];
}

export function emptyCompletionIndex(): CompletionIndex {
  return { groups: [], principals: [], classifications: [], domains: [], contracts: [], subject: [], context: [], rules: [], policies: [], tests: [] };
}

export function completionIndex(model: Model): CompletionIndex {
  const attrs = (m: Model['subjectSchema']): AttributeInfo[] =>
    [...m.values()].map((a) => ({
      name: a.name,
      type: a.type.kind,
      values: a.type.kind === 'enum' ? a.type.values.map((v) => v.value) : undefined,
      detail: attrTypeText(a.type),
    }));
  return {
    groups: [...model.groups.values()].map((g) => ({ name: g.name, detail: g.description })),
    principals: [...model.principals.values()].map((p) => ({ name: p.name, detail: `${p.service ? 'service' : 'person'}${p.groups.size ? ' in ' + [...p.groups].join(', ') : ''}` })),
    classifications: [...model.classifications.values()].map((c) => ({ name: c.name, detail: c.description ?? (c.level !== undefined ? `level ${c.level}` : undefined) })),
    domains: [...model.domains.values()].map((d) => ({ name: d.name, detail: d.owner ? `owned by ${d.owner}` : undefined })),
    contracts: [...model.contracts.values()].map((c) => ({
      name: c.name,
      detail: c.description,
      fields: [...c.fields.values()].map((f) => ({ name: f.name, type: f.type, detail: [f.type, ...[...f.tags.keys()]].join(' ') })),
    })),
    subject: attrs(model.subjectSchema),
    context: attrs(model.contextSchema),
    rules: [...model.rules.values()].map((r) => ({ name: r.name, detail: `${r.decl.severity}${r.central ? ', central' : ''}` })),
    policies: [...model.policies.values()].map((p) => ({ name: p.name })),
    tests: [...model.tests.values()].map((t) => ({ name: t.name })),
  };
}
