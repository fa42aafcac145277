// Words for symbols, shared by hover, symbols, completion and code lenses:
// what kind of thing a symbol is, its one-line signature, its qualified name.

import type * as A from '../ast';
import type { AttrValue, AttributeSym, FieldSym, Sym, TagOrigin } from '../model/types';

export function kindLabel(sym: Sym): string {
  switch (sym.kind) {
    case 'attribute':
      return `${sym.scope} attribute`;
    case 'rule':
      return 'governance rule';
    default:
      return sym.kind;
  }
}

/** The name a user writes to refer to the symbol elsewhere. */
export function qualifiedName(sym: Sym): string {
  if (sym.kind === 'field') return sym.qname;
  if (sym.kind === 'attribute') return `${sym.scope}.${sym.name}`;
  return sym.name;
}

export function attrTypeText(t: A.AttrType): string {
  return t.kind === 'enum' ? t.values.map((v) => JSON.stringify(v.value)).join(' | ') : t.kind;
}

export function attrValueText(v: AttrValue): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** `field sales.orders.customer_email: string`, `principal alice`, ... */
export function signature(sym: Sym): string {
  switch (sym.kind) {
    case 'field':
      return `field ${sym.qname}: ${sym.type}`;
    case 'attribute':
      return `${sym.scope}.${sym.name}: ${attrTypeText(sym.type)}`;
    case 'principal':
      return `principal ${sym.name}${sym.service ? ' service' : ''}`;
    case 'rule':
      return `rule ${sym.name} ${sym.decl.severity}`;
    case 'policy': {
      const t = sym.decl.target;
      return `policy ${sym.name} on ${t ? targetText(t) : '?'}`;
    }
    case 'waiver':
      return `waiver ${sym.name}${sym.decl.rule ? ` for rule ${sym.decl.rule.text}` : ''}${sym.decl.target ? ` on ${sym.decl.target.text}` : ''}`;
    default:
      return `${sym.kind} ${sym.name}`;
  }
}

export function targetText(t: A.PolicyTarget): string {
  switch (t.kind) {
    case 'contract':
      return t.name.text;
    case 'wildcard':
      return `${t.prefix.text}.*`;
    case 'domain':
      return `domain ${t.name.text}`;
    case 'tagged':
      return `fields tagged ${t.tags.map((x) => x.text).join(', ')}`;
  }
}

/** How a tag reached a field, in words: "declared", "from crm.customers.email (protected)". */
export function tagOriginText(o: TagOrigin): string {
  if (o.declared) return o.from.length ? `declared (also inherited from ${o.from.join(', ')})` : 'declared';
  return `inherited from ${o.from.join(', ')}${o.protected ? ' (protected by a hash/tokenize/encrypt/mask transform)' : ''}`;
}

/** Effective tags, declared first, then inherited (sorted by name). */
export function sortedTags(f: FieldSym): TagOrigin[] {
  return [...f.tags.values()].sort((a, b) => Number(b.declared) - Number(a.declared) || a.tag.localeCompare(b.tag));
}

export function attributeValues(a: AttributeSym): string[] | undefined {
  if (a.type.kind === 'enum') return a.type.values.map((v) => v.value);
  if (a.type.kind === 'bool') return ['true', 'false'];
  return undefined;
}

/** Words of a mask method, a transform, ... for hover and completion details. */
export const MASK_METHOD_DOCS: Record<string, string> = {
  null: 'replaces the value with null (strongest)',
  redact: 'replaces the value with a fixed placeholder',
  hash: 'replaces the value with a stable hash (joins still work)',
  partial: 'shows part of the value (weakest)',
};

export const TRANSFORM_DOCS: Record<string, string> = {
  copy: 'copies the value: tags pass on unchanged (the default)',
  derive: 'computes from the sources: tags pass on unchanged',
  hash: 'hashes the value: tags pass on as protected',
  tokenize: 'tokenizes the value: tags pass on as protected',
  encrypt: 'encrypts the value: tags pass on as protected',
  mask: 'masks the value: tags pass on as protected',
  aggregate: 'aggregates rows: no tag passes on',
};
