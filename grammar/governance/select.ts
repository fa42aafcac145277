// What a rule's selector picks: `every contract with fields tagged pii`,
// `every field tagged pii unprotected`, `every policy`, `every domain`.

import type * as A from '../ast';
import { tagMatches, type ContractSym, type DomainSym, type FieldSym, type Model, type PolicySym } from '../model/types';

export type Selected =
  | { kind: 'contract'; sym: ContractSym }
  | { kind: 'field'; sym: FieldSym }
  | { kind: 'policy'; sym: PolicySym }
  | { kind: 'domain'; sym: DomainSym };

/** The field's effective tags that match one of `tags` (children included), honouring `unprotected`. */
export function matchingTags(f: FieldSym, tags: A.QName[], unprotected: boolean): string[] {
  const out: string[] = [];
  for (const o of f.tags.values()) {
    if (unprotected && o.protected) continue;
    if (tags.some((t) => tagMatches(o.tag, t.text))) out.push(o.tag);
  }
  return out;
}

export function fieldSelected(f: FieldSym, s: A.Selector): boolean {
  return !s.tagged.length || matchingTags(f, s.tagged, s.unprotected).length > 0;
}

/** What the selector picks, among `pool` when given. */
export function select(model: Model, s: A.Selector, pool?: { contracts: ContractSym[]; fields: FieldSym[]; policies: PolicySym[]; domains: DomainSym[] }): Selected[] {
  switch (s.what) {
    case 'contract':
      return [...(pool?.contracts ?? model.contracts.values())]
        .filter((c) => !s.withFieldsTagged.length || [...c.fields.values()].some((f) => matchingTags(f, s.withFieldsTagged, s.unprotected).length))
        .map((sym) => ({ kind: 'contract' as const, sym }));
    case 'field':
      return [...(pool?.fields ?? model.fields.values())].filter((f) => fieldSelected(f, s)).map((sym) => ({ kind: 'field' as const, sym }));
    case 'policy':
      return [...(pool?.policies ?? model.policies.values())].map((sym) => ({ kind: 'policy' as const, sym }));
    case 'domain':
      return [...(pool?.domains ?? model.domains.values())].map((sym) => ({ kind: 'domain' as const, sym }));
  }
}

export function selectedName(x: Selected): string {
  return x.kind === 'field' ? x.sym.qname : x.sym.name;
}
