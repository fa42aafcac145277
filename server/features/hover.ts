// textDocument/hover: the core's hover text at the cursor.

import type { Hover, HoverParams } from 'vscode-languageserver';
import { hoverAt } from '../../grammar/services/hover';
import { toOffset, toRange } from '../convert';
import { docUri, requestContext, type Feature } from './context';

export const hover: Feature<HoverParams, Hover | null> = {
  method: 'textDocument/hover',
  model: true,
  run(ctx, params) {
    const uri = ctx.key(docUri(params));
    const model = ctx.analysis().model;
    if (!model.files.has(uri)) return null;
    const li = ctx.lines(uri);
    const { context } = requestContext(ctx, model, undefined);
    const h = hoverAt(model, uri, toOffset(li, params.position), { context });
    if (!h) return null;
    return { contents: { kind: 'markdown', value: h.markdown }, range: toRange(li, h.range) };
  },
};
