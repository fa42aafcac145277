// `charter test [DIR]`: runs every test block; `N passed, N failed` last; exit 1 on any failure.

import { runTests } from '../grammar/index';
import { parse } from './main';
import { loadAndAnalyze } from './load';
import { UsageError } from './errors';
import { Positions, relativePath } from './output';

export function runTestCommand(args: string[]): number {
  const { values, positionals } = parse(args, { today: { type: 'string' } });
  if (positionals.length > 1) throw new UsageError(`takes one folder, got ${positionals.join(' ')}`);
  const { ws, analysis } = loadAndAnalyze(positionals[0] ?? '.', values.today as string | undefined);
  const model = analysis.model;
  const pos = new Positions(model);
  const results = runTests(model);
  const where = (file: string, offset: number) => `${relativePath(ws.root, file)}:${pos.lineCol(file, offset).line}`;
  for (const r of results) {
    process.stdout.write(`${r.passed ? 'ok  ' : 'FAIL'} ${r.test.name} (${where(r.test.loc.file, r.test.loc.range.start)})\n`);
    for (const e of r.expectations) {
      if (e.passed) continue;
      process.stdout.write(`     ${where(r.test.loc.file, e.expectation.range.start)}: ${e.message}\n`);
      const ctx = [...e.context].map(([k, v]) => `${k}=${v}`).join(' ');
      process.stdout.write(`       context: ${ctx || 'none'}\n`);
      for (const reason of e.decision?.reasons ?? []) {
        process.stdout.write(`       ${reason.effect.padEnd(5)} ${where(reason.file, reason.range.start)}: ${reason.text}\n`);
      }
    }
  }
  const failed = results.filter((r) => !r.passed).length;
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'test-failed').length;
  if (errors) process.stdout.write(`\nnote: the workspace has ${errors} other error${errors === 1 ? '' : 's'}; run charter check\n`);
  process.stdout.write(`\n${results.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}
