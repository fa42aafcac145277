// `charter export FORMAT [DIR] [--out FOLDER] ...`: one dispatcher for every
// export. Each format is a module of its own (`export-<format>.ts`) listed in
// EXPORTERS below; this file owns what they share: loading DIR and refusing a
// model whose meaning is uncertain.
//
// A model with errors (syntax, names, types, lineage) is not exported: the
// output would not say what Charter decides. Governance violations and
// failing test blocks do not change any decision; they are listed and the
// export goes ahead.

import { parse, registerCommand } from './main';
import { loadAndAnalyze, type Loaded } from './load';
import { UsageError } from './errors';
import { registerHelp } from './help';
import { formatText, toCliDiagnostics } from './output';
import { cedarExporter } from './export-cedar';
import { sqlExporter } from './export-sql';
import { odcsExporter } from './export-odcs';
import { openLineageExporter } from './export-openlineage';

/** One export format: its own options, and what it does with a loaded, error-free workspace. */
export interface Exporter {
  /** Usage line after `charter export`. */
  usage: string;
  /** Options beyond --out and --today (parseArgs shape). */
  options?: Record<string, { type: 'string' | 'boolean'; default?: string | boolean; multiple?: boolean }>;
  /** Checks the options before anything is loaded (throws UsageError). */
  checkOptions?(values: Record<string, unknown>): void;
  /** Exports; returns the exit code. `values` are the parsed options. */
  run(loaded: Loaded, values: Record<string, unknown>): number | Promise<number>;
}

/** Every export format, by name. Add a format: a module `export-<name>.ts` and one line here. */
export const EXPORTERS: Record<string, Exporter> = {
  cedar: cedarExporter,
  postgres: sqlExporter('postgres'),
  snowflake: sqlExporter('snowflake'),
  databricks: sqlExporter('databricks'),
  odcs: odcsExporter,
  openlineage: openLineageExporter,
};

/** Diagnostics that say nothing about what the policies decide. */
export function governanceOnly(code: string): boolean {
  return code.startsWith('rule:') || code === 'test-failed' || code.startsWith('waiver-');
}

/**
 * Loads DIR and checks that its meaning is certain: errors other than
 * governance and tests are printed and refuse the export (returns the exit
 * code); governance and test failures are printed as a note.
 */
export function loadForExport(dir: string, today: string | undefined): { loaded: Loaded } | { exit: number } {
  const loaded = loadAndAnalyze(dir, today);
  const { ws, analysis } = loaded;
  const diags = toCliDiagnostics(ws.root, analysis.model, analysis.diagnostics, ws.problems).filter((d) => d.severity === 'error');
  const blocking = diags.filter((d) => !governanceOnly(d.code));
  if (blocking.length) {
    process.stderr.write(formatText(blocking) + '\n');
    process.stderr.write(`charter export: ${blocking.length} error${blocking.length === 1 ? '' : 's'}: fix ${blocking.length === 1 ? 'it' : 'them'} first (charter check); nothing was written\n`);
    return { exit: ws.problems.some((p) => p.code === 'io') ? 2 : 1 };
  }
  const governance = diags.filter((d) => governanceOnly(d.code));
  if (governance.length) {
    process.stderr.write(formatText(governance) + '\n');
    process.stderr.write(`charter export: note: ${governance.length} governance or test failure${governance.length === 1 ? '' : 's'} above; they do not change any decision, so the export goes ahead\n`);
  }
  return { loaded };
}

export async function runExport(args: string[]): Promise<number> {
  const format = args.find((a) => !a.startsWith('-'));
  const names = Object.keys(EXPORTERS);
  if (!format) throw new UsageError(`export what? ${names.map((n) => `charter export ${EXPORTERS[n].usage}`).join('\n  ')}`);
  const ex = EXPORTERS[format];
  if (!ex) throw new UsageError(`unknown export format '${format}' (expected ${names.join(', ')})`);
  const { values, positionals } = parse(args, { out: { type: 'string' }, today: { type: 'string' }, ...(ex.options ?? {}) });
  const [, dir = '.', ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (values.out === '') throw new UsageError('--out needs a folder');
  ex.checkOptions?.(values as Record<string, unknown>);
  const r = loadForExport(dir, values.today as string | undefined);
  if ('exit' in r) return r.exit;
  return ex.run(r.loaded, values as Record<string, unknown>);
}

registerCommand('export', runExport);
registerHelp('export', () =>
  [
    `Usage:\n${Object.values(EXPORTERS).map((e) => `  charter export ${e.usage}`).join('\n')}`,
    '',
    'Writes the policies for an engine that enforces them. A workspace with errors (syntax, names,',
    'types, lineage) is not exported; governance violations and failing tests are listed, and the',
    'export goes ahead. See docs/ for each format.',
    '',
    '  DIR                  the workspace folder (default: the current folder)',
    '  --out FOLDER         where to write (each format has its default, e.g. DIR/cedar-export for cedar)',
    '',
    'Exit codes: 0 written, 1 the workspace has errors (nothing written), 2 usage or I/O error.',
  ].join('\n'),
);
