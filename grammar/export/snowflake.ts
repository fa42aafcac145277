import type { EnforcementPlan } from './plan';
import type { SqlExport } from './sql-export';
export function printSnowflake(plan: EnforcementPlan): SqlExport {
  void plan;
  return { engine: 'snowflake', files: [], skipped: [], errors: ['not yet'], notes: [] };
}
