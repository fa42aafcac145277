import type { EnforcementPlan } from './plan';
import type { SqlExport } from './sql-export';
export function printDatabricks(plan: EnforcementPlan): SqlExport {
  void plan;
  return { engine: 'databricks', files: [], skipped: [], errors: ['not yet'], notes: [] };
}
