// textDocument/codeLens (field access counts, "Run test") and
// textDocument/inlayHint (inherited tags). Lens commands are the client's:
// `charter.whoCanSee` (uri, position) and `charter.runTest` (test name).

import type { CodeLens, CodeLensParams, InlayHint, InlayHintParams } from 'vscode-languageserver';
import { inheritedTagHints } from '../../grammar/services/inlay-hints';
import { codeLenses } from '../../grammar/services/lenses';
import { toOffsetRange, toRange } from '../convert';
import { docUri, requestContext, type Feature } from './context';

export const codeLens: Feature<CodeLensParams, CodeLens[]> = {
  method: 'textDocument/codeLens',
  model: true,
  run(ctx, params) {
    if (ctx.settings().codeLens?.enabled === false) return [];
    const uri = ctx.key(docUri(params));
    const model = ctx.analysis().model;
    if (!model.files.has(uri)) return [];
    const li = ctx.lines(uri);
    const { context } = requestContext(ctx, model, undefined);
    return codeLenses(model, uri, context).map((l) => {
      const range = toRange(li, l.range);
      return l.kind === 'field'
        ? { range, command: { title: l.title, command: 'charter.whoCanSee', arguments: [uri, range.start, l.qname] } }
        : { range, command: { title: l.title, command: 'charter.runTest', arguments: [l.test, uri] } };
    });
  },
};

export const inlayHint: Feature<InlayHintParams, InlayHint[]> = {
  method: 'textDocument/inlayHint',
  model: true,
  run(ctx, params) {
    if (ctx.settings().inlayHints?.enabled === false) return [];
    const uri = ctx.key(docUri(params));
    const model = ctx.analysis().model;
    if (!model.files.has(uri)) return [];
    const li = ctx.lines(uri);
    return inheritedTagHints(model, uri, toOffsetRange(li, params.range)).map((h) => ({
      position: li.position(h.offset),
      label: h.label,
      tooltip: h.tooltip,
      paddingLeft: true,
    }));
  },
};
