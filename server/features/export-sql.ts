// charter/exportSql: `charter export postgres|snowflake|databricks` for the
// editor's "Charter: Export Enforcement SQL…" command, over the current
// analysis. Like the CLI it refuses a model whose meaning is uncertain
// (errors other than governance and failing tests) and one the engine cannot
// express; the result says why instead of exporting.

import { exportSql, SQL_ENGINES, sqlScript, type SqlEngine } from '../../grammar/export/sql';
import { CharterMethods, type ExportSqlParams, type ExportSqlResult } from '../protocol';
import { invalidParams, type Feature } from './context';

/** Diagnostics that say nothing about what the policies decide (as cli/export.ts). */
const governanceOnly = (code: string) => code.startsWith('rule:') || code === 'test-failed' || code.startsWith('waiver-');

/** Rule sources are shown relative to the folder all model files share (the workspace root, as the CLI shows them). */
function relativeTo(files: Iterable<string>): (uri: string) => string {
  const dirs = [...files].map((u) => u.split('/').slice(0, -1));
  let common = dirs[0] ?? [];
  for (const d of dirs) {
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  const prefix = common.join('/') + '/';
  return (uri) => decodeURIComponent(uri.startsWith(prefix) ? uri.slice(prefix.length) : uri);
}

export const exportSqlFeature: Feature<ExportSqlParams, ExportSqlResult> = {
  method: CharterMethods.exportSql,
  model: true,
  run(ctx, params) {
    const engine = params?.engine as SqlEngine;
    if (!SQL_ENGINES.includes(engine)) throw invalidParams(`engine is one of ${SQL_ENGINES.join(', ')}`);
    const analysis = ctx.analysis();
    const fileName = relativeTo(analysis.model.files.keys());
    const blocking = analysis.diagnostics.filter((d) => d.severity === 'error' && !governanceOnly(d.code));
    if (blocking.length) {
      const errors = blocking.slice(0, 20).map((d) => `${fileName(d.file)}:${ctx.lines(d.file).position(d.range.start).line + 1}: ${d.message} [${d.code}]`);
      if (blocking.length > 20) errors.push(`... and ${blocking.length - 20} more (charter check)`);
      return { script: '', files: [], errors: [`the model has ${blocking.length} error${blocking.length === 1 ? '' : 's'}: fix them first`, ...errors], skipped: [], notes: [] };
    }
    const ex = exportSql(analysis.model, engine, { fileName });
    if (ex.errors.length) return { script: '', files: [], errors: ex.errors, skipped: [], notes: [] };
    return {
      script: sqlScript(ex),
      files: ex.files.map((f) => ({ name: f.name, sql: f.sql })),
      errors: [],
      skipped: ex.skipped.map((s) => `${s.contract} (${s.reason})`),
      notes: ex.notes,
    };
  },
};
