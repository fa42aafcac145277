// `must have <path> [<op> <value>]`: reading a property of a declaration
// and comparing it with durations, percentages, numbers, dates, versions.

import type * as A from '../ast';
import type { Selected } from './select';

/** A property value as the rule sees it; `true` for a flag that is present. */
export type PropValue = A.Literal | A.Name | true;

export function property(x: Selected, path: string): PropValue | undefined {
  switch (x.kind) {
    case 'contract': {
      const c = x.sym;
      if (path === 'owner') return c.owner ? { text: c.owner, range: c.decl.name.range } : undefined;
      if (path === 'description') return c.properties.get('description') ?? (c.decl.doc ? true : undefined);
      if (path === 'sla.encryption') {
        const v = c.properties.get(path);
        return v && !('kind' in v) && (v.text === 'none' || v.text === 'optional') ? undefined : v;
      }
      return c.properties.get(path);
    }
    case 'field': {
      const f = x.sym;
      const d = f.decl;
      switch (path) {
        case 'description':
          return d.description ?? (d.doc ? true : undefined);
        case 'type':
          return d.type?.name;
        case 'key':
          return d.key || undefined;
        case 'required':
          return d.required || undefined;
        case 'unique':
          return d.unique || undefined;
        case 'tags':
          return f.tags.size ? true : undefined;
        case 'from':
          return d.from.length ? true : undefined;
      }
      return undefined;
    }
    case 'policy':
      return path === 'description' && x.sym.decl.doc ? true : undefined;
    case 'domain': {
      const d = x.sym;
      if (path === 'owner') return d.owner ? { text: d.owner, range: d.decl.name.range } : undefined;
      if (path === 'description') return d.decl.description ?? d.decl.properties.find((p) => p.key.text === 'description')?.value ?? (d.decl.doc ? true : undefined);
      return undefined;
    }
  }
}

function versionKey(v: string): number[] {
  return v.split('.').map(Number);
}

function cmp(a: number | string | number[], b: number | string | number[]): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d) return d;
    }
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares a property with the rule's value; undefined when the two cannot be compared (a mistake in the rule or the data). */
export function compareProperty(actual: PropValue, op: A.CompareOp, expected: A.Literal | A.Name): boolean | undefined {
  const key = (v: PropValue): { kind: string; k: number | string | number[] } | undefined => {
    if (v === true) return { kind: 'bool', k: 1 };
    if (!('kind' in v)) return { kind: 'name', k: v.text };
    switch (v.kind) {
      case 'duration':
      case 'percent':
      case 'number':
        return { kind: v.kind, k: v.value };
      case 'date':
        return { kind: 'date', k: v.value };
      case 'version':
        return { kind: 'version', k: versionKey(v.value) };
      case 'string':
        return { kind: 'name', k: v.value };
      case 'bool':
        return { kind: 'bool', k: v.value ? 1 : 0 };
    }
    return undefined;
  };
  const a = key(actual);
  const b = key(expected);
  if (!a || !b) return undefined;
  // A version like 2 and 2.0.0 compare; a number and a version too.
  if (a.kind === 'version' && b.kind === 'number') b.k = versionKey(String(b.k));
  if (b.kind === 'version' && a.kind === 'number') a.k = versionKey(String(a.k));
  const kindsMatch = a.kind === b.kind || (Array.isArray(a.k) && Array.isArray(b.k));
  if (!kindsMatch) return undefined;
  const c = cmp(a.k, b.k);
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return undefined;
  }
}

export function showValue(v: PropValue): string {
  if (v === true) return 'set';
  if (!('kind' in v)) return v.text;
  if ('text' in v) return v.text;
  if (v.kind === 'string') return JSON.stringify(v.value);
  if (v.kind === 'list') return '[...]';
  return String(v.value);
}
