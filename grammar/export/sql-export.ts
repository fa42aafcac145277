// What the three SQL printers (postgres.ts, snowflake.ts, databricks.ts)
// share: the result's shape, the decision of one column as SQL (from the
// plan's rules, through sql-condition.ts), and the choice of contracts.

import { MASK_METHODS, type MaskMethod } from '../model/types';
import type { EnforcementPlan, PlanColumn, PlanContract, PlanRule } from './plan';
import { SqlConditions, Unsupported, type Cond, type ConditionScope, type SqlDialect } from './sql-condition';

export interface SqlFile {
  /** File name, numbered in apply order (`000-roles.sql`, `001-sales.sql`...). */
  name: string;
  sql: string;
  /** One line: what the file holds. */
  summary: string;
}

export interface SqlExport {
  engine: 'postgres' | 'snowflake' | 'databricks';
  /** In apply order. */
  files: SqlFile[];
  /** Contracts left out, with why (no source of this engine...). */
  skipped: { contract: string; reason: string }[];
  /** Constructs the engine cannot express; when any, nothing may be written. */
  errors: string[];
  /** Things the person applying the output should know. */
  notes: string[];
}

/** The contracts an engine enforces (a `source` of its system) and the ones it skips. */
export function pickContracts(plan: EnforcementPlan, systems: string[], engine: string): { picked: PlanContract[]; skipped: SqlExport['skipped'] } {
  const picked: PlanContract[] = [];
  const skipped: SqlExport['skipped'] = [];
  for (const c of plan.contracts) {
    const sys = c.source?.system.toLowerCase();
    if (sys && systems.includes(sys)) picked.push(c);
    else skipped.push({ contract: c.name, reason: c.source ? `its source is ${c.source.system}, not ${engine}` : 'it has no source' });
  }
  return { picked, skipped };
}

export function scopeOf(plan: EnforcementPlan, c: PlanContract, col: PlanColumn | undefined, rowFilter: boolean): ConditionScope {
  const first = col ?? c.columns[0];
  return {
    subject: new Map(plan.subject.map((a) => [a.name, a])),
    context: new Map(plan.context.map((a) => [a.name, a])),
    resource: first?.resource ?? { domain: c.domain, owner: c.owner ?? '', name: c.name, tags: [] },
    columns: rowFilter ? new Map(c.columns.map((x) => [x.name, x.type])) : undefined,
  };
}

/** A column's decision as SQL pieces (each a Cond over the session: principal and context). */
export interface ColumnDecision {
  denied: Cond;
  allowed: Cond;
  /** Per mask method, strongest first: "a mask of this method matches". */
  masks: { method: MaskMethod; matches: Cond }[];
}

export function columnDecision(d: SqlDialect, plan: EnforcementPlan, c: PlanContract, col: PlanColumn): ColumnDecision {
  const scope = scopeOf(plan, c, col, false);
  let denied: Cond = false;
  let allowed: Cond = false;
  const masks = new Map<MaskMethod, Cond>();
  for (const r of col.rules) {
    const t = new SqlConditions(d, scope, r);
    const aud = t.audience(r.audience);
    const cond: Cond = r.condition ? t.cond(r.condition) : true;
    if (r.kind === 'allow') allowed = t.junction('or', allowed, t.junction('and', aud, t.isTrue(cond)));
    else if (r.kind === 'deny') denied = t.junction('or', denied, t.junction('and', aud, t.isNotFalse(cond)));
    else if (r.kind === 'mask' && r.method) masks.set(r.method, t.junction('or', masks.get(r.method) ?? false, t.junction('and', aud, t.isNotFalse(cond))));
  }
  return {
    denied,
    allowed,
    masks: MASK_METHODS.filter((m) => masks.has(m) && masks.get(m) !== false).map((m) => ({ method: m, matches: masks.get(m)! })),
  };
}

/**
 * "This row filter keeps the row": true when the session's principal is not
 * in its audience, else the filter IS TRUE. `audienceSql` may replace the
 * audience by a precomputed column.
 */
export function rowKept(d: SqlDialect, plan: EnforcementPlan, c: PlanContract, col: PlanColumn | undefined, r: PlanRule, audienceSql?: (aud: Cond) => Cond): Cond {
  const t = new SqlConditions(d, scopeOf(plan, c, col, true), r);
  let aud = t.audience(r.audience);
  if (aud === false) return true;
  if (audienceSql && typeof aud === 'object') aud = audienceSql(aud);
  const keep = t.isTrue(t.cond(r.filter!));
  return t.junction('or', t.not(aud), keep);
}

/** Runs a printer step; a construct the engine cannot express becomes an error of the export. */
export function collect<T>(errors: string[], f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof Unsupported) {
      if (!errors.includes(e.message)) errors.push(e.message);
      return undefined;
    }
    throw e;
  }
}

/** File names in apply order: `000-roles.sql`, then one per domain. */
export function numbered(i: number, count: number, stem: string, ext = 'sql'): string {
  const width = Math.max(3, String(count).length);
  return `${String(i).padStart(width, '0')}-${stem.replace(/[^A-Za-z0-9_.-]/g, '_')}.${ext}`;
}

export { Unsupported };
