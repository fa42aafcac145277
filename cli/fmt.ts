// `charter fmt [DIR] [--check]`: formats the workspace's .charter files in
// place (the files charter.json includes, inside DIR). `--check` changes
// nothing, lists the files that are not formatted and exits 1 if any. A file
// with syntax errors is never touched (the formatter refuses it and says so):
// exit 1.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatCharter } from '../grammar/services/format';
import { LineIndex } from '../grammar/index';
import { loadForCli } from './load';
import { parse, registerCommand } from './main';
import { UsageError } from './errors';
import { relativePath } from './output';

export function runFmt(args: string[]): number {
  const { values, positionals } = parse(args, { check: { type: 'boolean', default: false } });
  if (positionals.length > 1) throw new UsageError(`takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const dir = positionals[0] ?? '.';
  const check = values.check as boolean;
  const ws = loadForCli(dir);
  for (const p of ws.problems) process.stderr.write(`${relativePath(ws.root, p.file)}: ${p.message}\n`);
  // Only files inside DIR: central governance files elsewhere belong to another repository.
  const inside = ws.files.filter((f) => !path.relative(ws.root, f.path).startsWith('..'));
  if (!inside.length && !ws.problems.length) throw new UsageError(`no .charter files found in ${dir} (check the folder, or "include" in charter.json)`);
  let unformatted = 0;
  let refused = 0;
  let written = 0;
  for (const f of inside) {
    const rel = relativePath(ws.root, f.path);
    // The raw text (a byte-order mark is kept as it is).
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(readFileSync(f.path));
    const r = formatCharter(text);
    if (!r.ok) {
      refused++;
      const first = r.errors?.[0];
      const where = first ? `:${new LineIndex(text).position(first.range.start).line + 1}:${new LineIndex(text).position(first.range.start).character + 1}` : '';
      process.stderr.write(`${rel}${where}: not formatted: ${r.reason}${first ? ` (${first.message})` : ''}\n`);
      continue;
    }
    if (!r.changed) continue;
    unformatted++;
    if (check) process.stdout.write(`${rel}\n`);
    else {
      writeFileSync(f.path, r.text);
      written++;
      process.stdout.write(`formatted ${rel}\n`);
    }
  }
  const n = inside.length;
  const files = (k: number) => `${k} file${k === 1 ? '' : 's'}`;
  const ok = n - refused;
  if (check) process.stdout.write(unformatted ? `${files(unformatted)} of ${n} need formatting (run charter fmt)\n` : ok === 1 ? '1 file is formatted\n' : `all ${files(ok)} are formatted\n`);
  else process.stdout.write(`formatted ${files(written)} of ${n}\n`);
  if (refused) process.stdout.write(`${files(refused)} not formatted because of syntax errors (run charter check)\n`);
  if (ws.problems.some((p) => p.code === 'io')) return 2;
  return refused || (check && unformatted) ? 1 : 0;
}

registerCommand('fmt', runFmt);
