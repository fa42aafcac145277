// `charter check [DIR] [--format text|json|sarif]`

import { parse, VERSION } from './main';
import { loadAndAnalyze } from './load';
import { UsageError } from './errors';
import { formatText, summary, toCliDiagnostics, toJsonDiagnostic } from './output';
import { toSarif } from './sarif';

export function runCheck(args: string[]): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'text' },
    today: { type: 'string' },
  });
  const format = values.format as string;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format is text, json or sarif, not '${format}'`);
  if (positionals.length > 1) throw new UsageError(`takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const dir = positionals[0] ?? '.';
  const { ws, analysis } = loadAndAnalyze(dir, values.today as string | undefined);
  const diags = toCliDiagnostics(ws.root, analysis.model, analysis.diagnostics, ws.problems);
  if (format === 'json') {
    const waived = toCliDiagnostics(ws.root, analysis.model, analysis.waived, []);
    process.stdout.write(JSON.stringify({ diagnostics: diags.map(toJsonDiagnostic), waived: waived.map((d) => ({ ...toJsonDiagnostic(d), waiver: d.waiver })) }, null, 2) + '\n');
  } else if (format === 'sarif') {
    process.stdout.write(JSON.stringify(toSarif(ws.root, diags, VERSION), null, 2) + '\n');
  } else {
    const text = formatText(diags);
    if (text) process.stdout.write(text + '\n');
    process.stdout.write(`${summary(diags)} in ${ws.files.length} file${ws.files.length === 1 ? '' : 's'}\n`);
  }
  if (ws.problems.some((p) => p.code === 'io')) return 2;
  return diags.some((d) => d.severity === 'error') ? 1 : 0;
}
