// What the Snowflake and Databricks printers share: both attach a mask to
// every column of the physical table (one function or policy per column, in
// which the strongest matching mask wins) and one row filter to the table,
// because both engines enforce on the table itself. Neither is executed by
// Charter's tests: their output is pinned by golden files (docs/enforcement.md).

import { ERROR } from '../evaluator/condition';
import type { EnforcementPlan, PlanColumn, PlanContract } from './plan';
import { SqlConditions, Unsupported, type Cond, type SqlDialect } from './sql-condition';
import { columnDecision, rowKept } from './sql-export';

export interface MaskSql {
  /** The value itself (the function's or policy's first argument). */
  value: string;
  hash(v: string): string;
  redact(v: string): string;
  partial(v: string): string;
  /** NULL of the column's type. */
  null: string;
}

/** Other columns a column's mask reads (its own row filters): the mask's extra arguments. */
export function maskColumns(c: PlanContract, col: PlanColumn): string[] {
  const names = new Set<string>();
  for (const r of col.rowFilters) collectColumns(r.filter!, c, names);
  names.delete(col.name);
  return [...names];
}

/** Columns a row filter reads. */
export function filterColumns(c: PlanContract, filters = c.rowFilters): string[] {
  const names = new Set<string>();
  for (const r of filters) collectColumns(r.filter!, c, names);
  return [...names];
}

function collectColumns(e: import('../ast').Expr, c: PlanContract, out: Set<string>): void {
  switch (e.kind) {
    case 'ref':
      if (e.path.parts.length === 1 && c.columns.some((x) => x.name === e.path.parts[0].text)) out.add(e.path.parts[0].text);
      break;
    case 'binary':
      collectColumns(e.left, c, out);
      collectColumns(e.right, c, out);
      break;
    case 'not':
      collectColumns(e.operand, c, out);
      break;
    case 'list':
      for (const i of e.items) collectColumns(i, c, out);
      break;
  }
}

/**
 * The body of a column's mask: NULL when denied (or when a row filter of this
 * column drops the row), else the strongest matching mask, else the value.
 * `textual`: the column's engine type is a string (hash, redact and partial
 * return text, and both engines make a mask return the column's own type).
 */
export function maskBody(d: SqlDialect, plan: EnforcementPlan, c: PlanContract, col: PlanColumn, m: MaskSql, textual: boolean): string {
  const t = new SqlConditions(d, { subject: new Map(), context: new Map(), resource: col.resource }, { id: `${c.name}.${col.name}`, source: '' });
  const dec = columnDecision(d, plan, c, col);
  let keep: Cond = true;
  for (const r of col.rowFilters) keep = t.junction('and', keep, rowKept(d, plan, c, col, r));
  const branches: [Cond, string][] = [
    [dec.denied, m.null],
    [t.not(dec.allowed), m.null],
    [t.not(keep), m.null], // never NULL: NOT audience OR filter IS TRUE
  ];
  for (const mk of dec.masks) {
    if (mk.method !== 'null' && !textual) {
      const rule = col.rules.find((r) => r.kind === 'mask' && r.method === mk.method)!;
      throw new Unsupported(
        `rule ${rule.id} (${rule.source}): mask ${col.name} with ${mk.method} on a ${col.type} column: a ${d.engine} mask returns the column's own type, and ${mk.method} gives text: the ${d.engine} export cannot express it (use null, or mask a string column)`,
      );
    }
    branches.push([mk.matches, mk.method === 'null' ? m.null : mk.method === 'hash' ? m.hash(m.value) : mk.method === 'redact' ? m.redact(m.value) : m.partial(m.value)]);
  }
  const kept = branches.filter(([cnd]) => cnd !== false && cnd !== ERROR);
  const cut = kept.findIndex(([cnd]) => cnd === true);
  const live = cut >= 0 ? kept.slice(0, cut) : kept;
  const otherwise = cut >= 0 ? kept[cut][1] : m.value;
  if (!live.length) return otherwise;
  return `CASE\n    ${live.map(([cnd, v]) => `WHEN ${t.sql(cnd)} THEN ${v}`).join('\n    ')}\n    ELSE ${otherwise}\n  END`;
}

/** The table's row filter: every filter that applies to every column keeps the row. */
export function rowFilterBody(d: SqlDialect, plan: EnforcementPlan, c: PlanContract): string | undefined {
  if (!c.rowFilters.length) return undefined;
  const t = new SqlConditions(d, { subject: new Map(), context: new Map(), resource: c.columns[0]?.resource ?? { domain: c.domain, owner: c.owner ?? '', name: c.name, tags: [] } }, { id: c.name, source: '' });
  let keep: Cond = true;
  for (const r of c.rowFilters) keep = t.junction('and', keep, rowKept(d, plan, c, undefined, r));
  return t.sql(keep);
}

/** `db.schema.table` of a `source` (at least three parts for these engines). */
export function threePart(location: string): [string, string, string] | undefined {
  const parts = location.split('.');
  if (parts.length < 3 || parts.some((p) => !p)) return undefined;
  return [parts[parts.length - 3], parts[parts.length - 2], parts[parts.length - 1]];
}

/** Principals, groups and `everyone` that appear in the allow rules of a contract: who is granted the table. */
export function grantees(c: PlanContract): { groups: string[]; principals: string[]; everyone: boolean } {
  const groups = new Set<string>();
  const principals = new Set<string>();
  let everyone = false;
  for (const col of c.columns) {
    for (const r of col.rules) {
      if (r.kind !== 'allow') continue;
      for (const i of r.audience.include) {
        if (i.kind === 'group') groups.add(i.name);
        else if (i.kind === 'principal') principals.add(i.name);
        else if (i.kind === 'everyone') everyone = true;
      }
    }
  }
  return { groups: [...groups].sort(), principals: [...principals].sort(), everyone };
}
