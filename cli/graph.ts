// `charter graph [DIR] [--focus NAME] [--depth N] [--direction up|down|both] [--format json|dot|mermaid] [--context k=v ...]`

import { buildGraph, closest, findNode, focusGraph, toDot, toMermaid, type Direction } from '../grammar/index';
import { parse } from './main';
import { loadAndAnalyze } from './load';
import { UsageError } from './errors';
import { parseContext } from './context-args';
import { relativePath } from './output';

export function runGraph(args: string[]): number {
  const { values, positionals } = parse(args, {
    focus: { type: 'string' },
    depth: { type: 'string', default: '1' },
    direction: { type: 'string', default: 'both' },
    format: { type: 'string', default: 'json' },
    context: { type: 'string', multiple: true },
    today: { type: 'string' },
  });
  const format = values.format as string;
  if (!['json', 'dot', 'mermaid'].includes(format)) throw new UsageError(`--format is json, dot or mermaid, not '${format}'`);
  const direction = values.direction as Direction;
  if (!['up', 'down', 'both'].includes(direction)) throw new UsageError(`--direction is up, down or both, not '${direction}'`);
  const depth = Number(values.depth);
  if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--depth is a whole number, not '${values.depth}'`);
  if (positionals.length > 1) throw new UsageError(`takes one folder, got ${positionals.join(' ')}`);
  const { ws, analysis } = loadAndAnalyze(positionals[0] ?? '.', values.today as string | undefined);
  const context = parseContext(analysis.model, values.context as string[] | undefined);
  let graph = buildGraph(analysis.model, { context, diagnostics: analysis.diagnostics, fileName: (u) => relativePath(ws.root, u) });
  if (values.focus) {
    const node = findNode(graph, values.focus as string);
    if (!node) {
      const guess = closest(values.focus as string, graph.nodes.map((n) => n.name));
      throw new UsageError(`nothing named '${values.focus}' in the graph${guess ? `; did you mean '${guess}'?` : ''}`);
    }
    graph = focusGraph(graph, node.id, depth, direction);
  }
  const text = format === 'json' ? JSON.stringify(graph, null, 2) + '\n' : format === 'dot' ? toDot(graph) : toMermaid(graph);
  process.stdout.write(text);
  return 0;
}
