// `charter export postgres|snowflake|databricks`: one plan, three printers.

import type { Model } from '../model/types';
import { buildPlan, type PlanOptions } from './plan';
import { printPostgres, postgresScript } from './postgres';
import { printSnowflake } from './snowflake';
import { printDatabricks } from './databricks';
import type { SqlExport } from './sql-export';

export type SqlEngine = 'postgres' | 'snowflake' | 'databricks';
export const SQL_ENGINES: SqlEngine[] = ['postgres', 'snowflake', 'databricks'];

export function exportSql(model: Model, engine: SqlEngine, opts: PlanOptions = {}): SqlExport {
  const plan = buildPlan(model, opts);
  return engine === 'postgres' ? printPostgres(plan) : engine === 'snowflake' ? printSnowflake(plan) : printDatabricks(plan);
}

/** Every file in apply order as one script (PostgreSQL: in one transaction). */
export function sqlScript(ex: SqlExport): string {
  if (ex.engine === 'postgres') return postgresScript(ex);
  return ex.files.map((f) => `-- ==== ${f.name}\n${f.sql}`).join('\n');
}

export type { SqlExport, SqlFile } from './sql-export';
