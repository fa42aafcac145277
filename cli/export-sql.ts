// `charter export postgres|snowflake|databricks [DIR] [--out FOLDER]`: SQL
// that enforces the model in the warehouse (grammar/export/sql.ts). With
// --out: one file per domain after NNN-roles.sql, numbered in apply order,
// and apply-order.txt listing them; without: the whole script on stdout.
// A construct the engine cannot express is an error naming the rule: nothing
// is written, exit 1. docs/enforcement.md has the details.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportSql, sqlScript, type SqlEngine } from '../grammar/export/sql';
import { UsageError } from './errors';
import { relativePath } from './output';
import type { Exporter } from './export';

const NUMBERED = /^\d{3,}-.*\.sql$/;

export function sqlExporter(engine: SqlEngine): Exporter {
  return {
    usage: `${engine} [DIR] [--out FOLDER]`,
    run({ ws, analysis }, values) {
      const ex = exportSql(analysis.model, engine, { fileName: (uri) => relativePath(ws.root, uri) });
      if (ex.errors.length) {
        for (const e of ex.errors) process.stderr.write(`charter export: ${e}\n`);
        process.stderr.write(`charter export: ${ex.errors.length} construct${ex.errors.length === 1 ? '' : 's'} the ${engine} export cannot express; nothing was written\n`);
        return 1;
      }
      if (ex.skipped.length) {
        const n = ex.skipped.length;
        process.stderr.write(`charter export: skipped ${n} contract${n === 1 ? '' : 's'} without a ${engine} source: ${ex.skipped.map((s) => `${s.contract} (${s.reason})`).join(', ')}\n`);
      }
      for (const note of ex.notes) process.stderr.write(`charter export: note: ${note}\n`);
      if (values.out === undefined) {
        process.stdout.write(sqlScript(ex));
        return 0;
      }
      const out = path.resolve(values.out as string);
      const names = new Set(ex.files.map((f) => f.name));
      try {
        mkdirSync(out, { recursive: true });
        for (const f of ex.files) writeFileSync(path.join(out, f.name), f.sql);
        writeFileSync(path.join(out, 'apply-order.txt'), ex.files.map((f) => f.name).join('\n') + '\n');
        // A domain that is gone must not leave its file behind to be applied by a glob.
        for (const old of readdirSync(out)) {
          if (NUMBERED.test(old) && !names.has(old)) {
            rmSync(path.join(out, old));
            process.stderr.write(`charter export: removed ${old} (no longer part of the export)\n`);
          }
        }
      } catch (e) {
        throw new UsageError(`cannot write to ${out}: ${(e as Error).message}`);
      }
      const shown = path.relative(process.cwd(), out) || '.';
      for (const f of ex.files) process.stdout.write(`wrote ${path.join(shown, f.name)} (${f.summary})\n`);
      process.stdout.write(`wrote ${path.join(shown, 'apply-order.txt')} (apply the ${ex.files.length} files in this order, in one transaction)\n`);
      return 0;
    },
  };
}
