// `charter who-can-see FIELD [DIR] [--context k=v ...] [--format text|json]`

import { closest, decide } from '../grammar/index';
import { parse } from './main';
import { loadAndAnalyze } from './load';
import { UsageError } from './errors';
import { parseContext } from './context-args';
import { Positions } from './output';
import { jsonDecision, reasonCell, table } from './reasons';

export function runWhoCanSee(args: string[]): number {
  const { values, positionals } = parse(args, {
    context: { type: 'string', multiple: true },
    format: { type: 'string', default: 'text' },
    today: { type: 'string' },
  });
  const format = values.format as string;
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format is text or json, not '${format}'`);
  const [fieldName, dir = '.', ...extra] = positionals;
  if (!fieldName) throw new UsageError('which field? charter who-can-see domain.product.field [DIR]');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const { ws, analysis } = loadAndAnalyze(dir, values.today as string | undefined);
  const model = analysis.model;
  const field = model.fields.get(fieldName);
  if (!field) {
    const guess = closest(fieldName, model.fields.keys());
    throw new UsageError(`unknown field '${fieldName}'${guess ? `; did you mean '${guess}'?` : ''} (write domain.product.field)`);
  }
  const context = parseContext(model, values.context as string[] | undefined);
  const pos = new Positions(model);
  const results = [...model.principals.values()].map((p) => ({ p, d: decide(model, p, context, field) }));
  if (format === 'json') {
    const out = {
      field: field.qname,
      context: Object.fromEntries(context),
      results: results.map(({ p, d }) => ({ principal: p.name, ...jsonDecision(ws.root, pos, d) })),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const ctxText = context.size ? [...context].map(([k, v]) => `${k}=${v}`).join(' ') : 'no context attributes set';
  process.stdout.write(`${field.qname} (${ctxText})\n\n`);
  process.stdout.write(
    table(
      ['PRINCIPAL', 'DECISION', 'MASK', 'ROWS', 'REASON'],
      results.map(({ p, d }) => [p.name, d.decision, d.mask ?? '-', d.decision === 'denied' ? '-' : d.rows ?? 'all', reasonCell(ws.root, pos, d)]),
    ) + '\n',
  );
  const n = (k: string) => results.filter((r) => r.d.decision === k).length;
  process.stdout.write(`\n${n('clear')} clear · ${n('masked')} masked · ${n('denied')} denied\n`);
  return 0;
}
