// charter/graph: the lineage and access graph as JSON (never HTML) for the
// previewer, in the simulation context, with the node at the cursor as focus.
// `focusOnly` answers just the focus (the previewer follows the cursor
// without receiving the whole graph again).

import { buildGraph, type GraphModel, type Model } from '../../grammar/index';
import { symbolAt } from '../../grammar/services/locate';
import { CharterMethods, type ContextValues } from '../protocol';
import { toOffset } from '../convert';
import { requestContext, type Feature, type FeatureContext } from './context';

export interface GraphParams {
  textDocument?: { uri: string };
  position?: { line: number; character: number };
  context?: ContextValues;
  focusOnly?: boolean;
}

export interface GraphResult {
  graph?: GraphModel;
  /** Node id of the declaration at the cursor (a field, contract, domain, group or principal). */
  focus?: string;
  contextErrors: string[];
}

const NODE_KINDS = new Set(['field', 'contract', 'domain', 'group', 'principal']);

function focusAt(ctx: FeatureContext, model: Model, params: GraphParams): string | undefined {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string' || !params.position) return undefined;
  const key = ctx.key(uri);
  if (!model.files.has(key)) return undefined;
  const offset = toOffset(ctx.lines(key), params.position);
  const hit = symbolAt(model, key, offset);
  if (hit && NODE_KINDS.has(hit.sym.kind)) {
    const s = hit.sym;
    return `${s.kind}:${s.kind === 'field' ? s.qname : s.name}`;
  }
  // Anywhere inside a contract: its field under the cursor, or the contract.
  for (const c of model.contracts.values()) {
    if (c.loc.file !== key || offset < c.decl.range.start || offset > c.decl.range.end) continue;
    for (const f of c.fields.values()) if (offset >= f.decl.range.start && offset <= f.decl.range.end) return `field:${f.qname}`;
    return `contract:${c.name}`;
  }
  return undefined;
}

const cache = new WeakMap<object, { key: string; graph: GraphModel }>();

export const graph: Feature<GraphParams, GraphResult> = {
  method: CharterMethods.graph,
  model: true,
  run(ctx, params) {
    const analysis = ctx.analysis();
    const model = analysis.model;
    const focus = focusAt(ctx, model, params ?? {});
    const { context, errors } = requestContext(ctx, model, params?.context);
    if (params?.focusOnly) return { focus, contextErrors: errors };
    const key = JSON.stringify([...context]);
    let hit = cache.get(analysis);
    if (!hit || hit.key !== key) {
      hit = { key, graph: buildGraph(model, { context, diagnostics: analysis.diagnostics }) };
      cache.set(analysis, hit);
    }
    return { graph: hit.graph, focus, contextErrors: errors };
  },
};
