// Charter's own answer for what a principal sees through an exported view:
// decide() per column, the row filters evaluated on each physical row with
// the evaluator (columns substituted as literals), and the documented masks.
// Independent of the export's plan and SQL: it reads only the model.

import { createHash } from 'node:crypto';
import type * as A from '../../grammar/ast';
import { applicableRules, decide, envFor, evaluate, inAudience, type AttrValue, type ContractSym, type Model, type PrincipalSym } from '../../grammar/index';

/** A physical row: each column's text form (NULL as null). */
export type Row = (string | null)[];

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
export function redact(v: string | null): string {
  return v === '[redacted]' ? '[REDACTED]' : '[redacted]';
}
export function partial(v: string | null): string {
  const chars = Array.from(v ?? '');
  const keep = Math.min(4, Math.floor(chars.length / 4));
  const p = '***' + (keep ? chars.slice(-keep).join('') : '');
  return p === v ? p + '*' : p;
}

/** A column's value as the evaluator would compare it (from its text form). */
function literalOf(type: string, text: string): A.Literal {
  const range = { start: 0, end: 0 };
  switch (type) {
    case 'int':
    case 'decimal':
      return { kind: 'number', value: Number(text), range };
    case 'bool':
      return { kind: 'bool', value: text === 'true', range };
    case 'date':
      return { kind: 'date', value: text, range };
    default:
      return { kind: 'string', value: text, range };
  }
}

function substitute(e: A.Expr, c: ContractSym, row: Map<string, string | null>): A.Expr {
  switch (e.kind) {
    case 'ref': {
      if (e.path.parts.length !== 1) return e;
      const f = c.fields.get(e.path.parts[0].text);
      const v = row.get(e.path.parts[0].text);
      if (!f || v === undefined || v === null) return e; // unknown or NULL: stays a name, which the evaluator errors on
      return { kind: 'literal', value: literalOf(f.type, v), range: e.range };
    }
    case 'binary':
      return { ...e, left: substitute(e.left, c, row), right: substitute(e.right, c, row) };
    case 'not':
      return { ...e, operand: substitute(e.operand, c, row) };
    case 'list':
      return { ...e, items: e.items.map((i) => substitute(i, c, row)) };
    default:
      return e;
  }
}

function readsTags(e: A.Expr): boolean {
  switch (e.kind) {
    case 'ref':
      return e.path.parts[0].text === 'resource' && e.path.parts[1]?.text === 'tags';
    case 'binary':
      return readsTags(e.left) || readsTags(e.right);
    case 'not':
      return readsTags(e.operand);
    case 'list':
      return e.items.some(readsTags);
    default:
      return false;
  }
}

/** Row filters of the table: those that apply to every column and read nothing column-specific (docs/enforcement.md). */
export function tableFilters(model: Model, c: ContractSym): A.RowsRule[] {
  const fields = [...c.fields.values()];
  const per = fields.map((f) => new Set(applicableRules(model, f).map((r) => r.rule)));
  const tags = fields.map((f) => [...f.tags.keys()].join('\n'));
  const same = tags.every((t) => t === tags[0]);
  const first = fields.length ? applicableRules(model, fields[0]).map((r) => r.rule) : [];
  return first.filter((r): r is A.RowsRule => r.kind === 'rows' && per.every((s) => s.has(r)) && (same || !readsTags(r.filter)));
}

export interface ViewAnswer {
  /** Expected rows, each the columns' text (null = NULL). */
  rows: Row[];
  /** Per column: the decision (for counting). */
  decisions: string[];
  /** No column is readable: a permission error is acceptable too. */
  nothingReadable: boolean;
}

export function expectedView(model: Model, p: PrincipalSym, ctx: ReadonlyMap<string, AttrValue>, c: ContractSym, physical: Row[]): ViewAnswer {
  const fields = [...c.fields.values()];
  const decisions = fields.map((f) => decide(model, p, ctx, f));
  const tableRules = tableFilters(model, c).filter((r) => inAudience(r.audience, p, c.owner));
  const tableSet = new Set<A.PolicyRule>(tableRules);
  const rows: Row[] = [];
  for (const raw of physical) {
    const byName = new Map(fields.map((f, i) => [f.name, raw[i]] as const));
    const keeps = (filter: A.Expr, fi: number) => evaluate(substitute(filter, c, byName), envFor(p, ctx, fields[fi] ?? fields[0])) === true;
    if (!tableRules.every((r) => keeps(r.filter, 0))) continue;
    rows.push(
      fields.map((f, i) => {
        const d = decisions[i];
        if (d.decision === 'denied') return null;
        const own = d.reasons.filter((r) => r.effect === 'rows' && !tableSet.has(r.rule));
        if (!own.every((r) => keeps((r.rule as A.RowsRule).filter, i))) return null;
        const v = raw[i];
        if (d.decision === 'clear') return v;
        switch (d.mask) {
          case 'null':
            return null;
          case 'hash':
            return v === null ? null : sha256Hex(v);
          case 'redact':
            return redact(v);
          default:
            return partial(v);
        }
      }),
    );
  }
  return {
    rows,
    decisions: decisions.map((d) => (d.decision === 'masked' ? `masked ${d.mask}` : d.decision)),
    nothingReadable: decisions.every((d) => d.decision === 'denied'),
  };
}

/** Rows as a sorted multiset, for comparison. */
export function canonical(rows: Row[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** PostgreSQL column types for Charter field types (the tests' physical tables). */
export function pgType(type: string): string {
  if (type.startsWith('list<')) return `${pgType(type.slice(5, -1))}[]`;
  return { string: 'text', int: 'bigint', decimal: 'numeric', bool: 'boolean', date: 'date', timestamp: 'timestamptz', uuid: 'uuid', json: 'jsonb' }[type] ?? 'text';
}
