// The names completion needs, as plain data: small enough to copy between
// threads after each analysis, so completion never waits for one.

import type { Model } from '../model/types';
import { attrTypeText } from './describe';

export interface NameInfo {
  name: string;
  detail?: string;
  /** The domains the name belongs to (a contract's, the domains a group owns): offered first there. */
  domains?: string[];
  /** Declared in a file with errors (a scratch or `mistakes/` file): offered last. */
  demoted?: boolean;
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
  /** Declared in a file with errors: offered last. */
  demoted?: boolean;
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
  /** The domain of each file's contracts (or domain declaration), by file URI: names of that domain come first there. */
  fileDomains?: Record<string, string>;
}

export function emptyCompletionIndex(): CompletionIndex {
  return { groups: [], principals: [], classifications: [], domains: [], contracts: [], subject: [], context: [], rules: [], policies: [], tests: [] };
}

export interface CompletionIndexOptions {
  /** Files with error diagnostics: the names they declare are offered last. */
  errorFiles?: ReadonlySet<string>;
}

export function completionIndex(model: Model, opts: CompletionIndexOptions = {}): CompletionIndex {
  const demoted = (file: string) => (opts.errorFiles?.has(file) ? true : undefined);
  // The domains each group owns, directly or through a contract.
  const owned = new Map<string, Set<string>>();
  const own = (g: string | undefined, d: string) => g && (owned.get(g) ?? owned.set(g, new Set()).get(g)!).add(d);
  for (const d of model.domains.values()) own(d.owner, d.name);
  for (const c of model.contracts.values()) if (!c.ownerInherited) own(c.owner, c.domain);
  const fileDomains: Record<string, string> = {};
  for (const d of model.domains.values()) fileDomains[d.loc.file] ??= d.name;
  for (const c of model.contracts.values()) fileDomains[c.loc.file] ??= c.domain;
  const attrs = (m: Model['subjectSchema']): AttributeInfo[] =>
    [...m.values()].map((a) => ({
      name: a.name,
      type: a.type.kind,
      values: a.type.kind === 'enum' ? a.type.values.map((v) => v.value) : undefined,
      detail: attrTypeText(a.type),
    }));
  return {
    groups: [...model.groups.values()].map((g) => ({ name: g.name, detail: g.description, domains: owned.has(g.name) ? [...owned.get(g.name)!] : undefined, demoted: demoted(g.loc.file) })),
    principals: [...model.principals.values()].map((p) => ({ name: p.name, detail: `${p.service ? 'service' : 'person'}${p.groups.size ? ' in ' + [...p.groups].join(', ') : ''}`, demoted: demoted(p.loc.file) })),
    classifications: [...model.classifications.values()].map((c) => ({ name: c.name, detail: c.description ?? (c.level !== undefined ? `level ${c.level}` : undefined), demoted: demoted(c.loc.file) })),
    domains: [...model.domains.values()].map((d) => ({ name: d.name, detail: d.owner ? `owned by ${d.owner}` : undefined, domains: [d.name], demoted: demoted(d.loc.file) })),
    contracts: [...model.contracts.values()].map((c) => ({
      name: c.name,
      detail: c.description,
      demoted: demoted(c.loc.file),
      fields: [...c.fields.values()].map((f) => ({ name: f.name, type: f.type, detail: [f.type, ...[...f.tags.keys()]].join(' ') })),
    })),
    subject: attrs(model.subjectSchema),
    context: attrs(model.contextSchema),
    rules: [...model.rules.values()].map((r) => ({ name: r.name, detail: `${r.decl.severity}${r.central ? ', central' : ''}` })),
    policies: [...model.policies.values()].map((p) => ({ name: p.name })),
    tests: [...model.tests.values()].map((t) => ({ name: t.name })),
    fileDomains,
  };
}
