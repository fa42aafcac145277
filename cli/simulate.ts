// `charter simulate --as PRINCIPAL [CONTRACT] [DIR] [--context k=v ...] [--format text|json]`

import { existsSync, statSync } from 'node:fs';
import { closest, decide } from '../grammar/index';
import { parse } from './main';
import { loadAndAnalyze } from './load';
import { UsageError } from './errors';
import { parseContext } from './context-args';
import { Positions } from './output';
import { jsonDecision, reasonCell, table } from './reasons';

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

export function runSimulate(args: string[]): number {
  const { values, positionals } = parse(args, {
    as: { type: 'string' },
    context: { type: 'string', multiple: true },
    format: { type: 'string', default: 'text' },
    today: { type: 'string' },
  });
  const format = values.format as string;
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format is text or json, not '${format}'`);
  const who = values.as as string | undefined;
  if (!who) throw new UsageError('who? charter simulate --as PRINCIPAL [CONTRACT] [DIR]');
  if (positionals.length > 2) throw new UsageError(`unexpected arguments: ${positionals.slice(2).join(' ')}`);
  // One positional: a folder if it is one, else a contract.
  let contractName: string | undefined;
  let dir = '.';
  if (positionals.length === 2) [contractName, dir] = positionals;
  else if (positionals.length === 1) {
    if (isDir(positionals[0])) dir = positionals[0];
    else contractName = positionals[0];
  }
  const { ws, analysis } = loadAndAnalyze(dir, values.today as string | undefined);
  const model = analysis.model;
  const principal = model.principals.get(who);
  if (!principal) {
    const guess = closest(who, model.principals.keys());
    throw new UsageError(`unknown principal '${who}'${guess ? `; did you mean '${guess}'?` : ''}`);
  }
  let contracts = [...model.contracts.values()];
  if (contractName) {
    const c = model.contracts.get(contractName);
    if (!c) {
      const guess = closest(contractName, model.contracts.keys());
      throw new UsageError(`unknown contract '${contractName}'${guess ? `; did you mean '${guess}'?` : ''}`);
    }
    contracts = [c];
  }
  const context = parseContext(model, values.context as string[] | undefined);
  const pos = new Positions(model);
  const rows = contracts.flatMap((c) => [...c.fields.values()].map((f) => ({ f, d: decide(model, principal, context, f) })));
  if (format === 'json') {
    const out = {
      principal: principal.name,
      context: Object.fromEntries(context),
      fields: rows.map(({ f, d }) => ({ field: f.qname, ...jsonDecision(ws.root, pos, d) })),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const ctxText = context.size ? [...context].map(([k, v]) => `${k}=${v}`).join(' ') : 'no context attributes set';
  process.stdout.write(`as ${principal.name} (${ctxText})\n\n`);
  process.stdout.write(
    table(
      ['FIELD', 'DECISION', 'MASK', 'ROWS', 'REASON'],
      rows.map(({ f, d }) => [f.qname, d.decision, d.mask ?? '-', d.decision === 'denied' ? '-' : d.rows ?? 'all', reasonCell(ws.root, pos, d)]),
    ) + '\n',
  );
  const n = (k: string) => rows.filter((r) => r.d.decision === k).length;
  process.stdout.write(`\n${n('clear')} clear · ${n('masked')} masked · ${n('denied')} denied\n`);
  return 0;
}
