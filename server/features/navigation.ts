// Go to definition, find references, document highlights: every name that
// resolves to a symbol, across files (the model's reference table).

import type { DefinitionParams, DocumentHighlight, DocumentHighlightParams, Location, ReferenceParams } from 'vscode-languageserver';
import { referencesTo, symbolAt } from '../../grammar/services/locate';
import { toOffset, toRange } from '../convert';
import { docUri, type Feature, type FeatureContext } from './context';

function hitAt(ctx: FeatureContext, params: { textDocument: { uri: string }; position: { line: number; character: number } }) {
  const uri = ctx.key(docUri(params));
  const model = ctx.analysis().model;
  if (!model.files.has(uri)) return undefined;
  const hit = symbolAt(model, uri, toOffset(ctx.lines(uri), params.position));
  return hit && { hit, model, uri };
}

export const definition: Feature<DefinitionParams, Location | null> = {
  method: 'textDocument/definition',
  model: true,
  run(ctx, params) {
    const h = hitAt(ctx, params);
    if (!h) return null;
    const loc = h.hit.sym.loc;
    return { uri: loc.file, range: toRange(ctx.lines(loc.file), loc.range) };
  },
};

export const references: Feature<ReferenceParams, Location[]> = {
  method: 'textDocument/references',
  model: true,
  run(ctx, params) {
    const h = hitAt(ctx, params);
    if (!h) return [];
    const locs = referencesTo(h.model, h.hit.sym);
    if (params.context?.includeDeclaration !== false) locs.unshift(h.hit.sym.loc);
    return locs.map((l) => ({ uri: l.file, range: toRange(ctx.lines(l.file), l.range) }));
  },
};

export const documentHighlight: Feature<DocumentHighlightParams, DocumentHighlight[]> = {
  method: 'textDocument/documentHighlight',
  model: true,
  run(ctx, params) {
    const h = hitAt(ctx, params);
    if (!h) return [];
    const li = ctx.lines(h.uri);
    const out: DocumentHighlight[] = [];
    const decl = h.hit.sym.loc;
    if (decl.file === h.uri) out.push({ range: toRange(li, decl.range), kind: 3 });
    for (const l of referencesTo(h.model, h.hit.sym)) if (l.file === h.uri) out.push({ range: toRange(li, l.range), kind: 2 });
    return out;
  },
};
