// Which contracts and fields a policy target (`on ...`) covers.

import type * as A from '../ast';
import { tagMatches, type ContractSym, type FieldSym, type Model } from './types';

export function targetMatchesContract(target: A.PolicyTarget, c: ContractSym): boolean {
  switch (target.kind) {
    case 'contract':
      return target.name.text === c.name;
    case 'wildcard':
      return c.name.startsWith(target.prefix.text + '.');
    case 'domain':
      return c.domain === target.name.text;
    case 'tagged':
      return false;
  }
}

/** Does the target cover this field (contract, wildcard and domain targets cover all its fields; tag targets match effective tags, children included)? */
export function targetMatchesField(target: A.PolicyTarget, f: FieldSym): boolean {
  if (target.kind === 'tagged') {
    for (const t of f.tags.keys()) if (target.tags.some((q) => tagMatches(t, q.text))) return true;
    return false;
  }
  return targetMatchesContract(target, f.contract);
}

export function targetContracts(model: Model, target: A.PolicyTarget): ContractSym[] {
  const out: ContractSym[] = [];
  for (const c of model.contracts.values()) {
    if (target.kind === 'tagged' ? [...c.fields.values()].some((f) => targetMatchesField(target, f)) : targetMatchesContract(target, c)) out.push(c);
  }
  return out;
}
