// textDocument/foldingRange and textDocument/selectionRange, from the syntax
// tree of the current text (no analysis needed).

import type { FoldingRange, FoldingRangeParams, SelectionRange, SelectionRangeParams } from 'vscode-languageserver';
import { foldingRanges } from '../../grammar/services/folding';
import { selectionRanges } from '../../grammar/services/selection';
import { toOffset, toRange } from '../convert';
import { docUri, type Feature } from './context';

export const foldingRange: Feature<FoldingRangeParams, FoldingRange[]> = {
  method: 'textDocument/foldingRange',
  model: false,
  run(ctx, params) {
    const uri = ctx.key(docUri(params));
    const ast = ctx.ast(uri);
    if (!ast) return [];
    return foldingRanges(ast, ctx.lines(uri)).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.kind }));
  },
};

export const selectionRange: Feature<SelectionRangeParams, SelectionRange[]> = {
  method: 'textDocument/selectionRange',
  model: false,
  run(ctx, params) {
    const uri = ctx.key(docUri(params));
    const ast = ctx.ast(uri);
    const text = ctx.text(uri) ?? '';
    const li = ctx.lines(uri);
    return (Array.isArray(params.positions) ? params.positions : []).map((p) => {
      const offset = toOffset(li, p);
      const chain = ast ? selectionRanges(ast, text, offset) : [{ start: 0, end: text.length }];
      let parent: SelectionRange | undefined;
      for (let i = chain.length - 1; i >= 0; i--) parent = { range: toRange(li, chain[i]), parent };
      return parent ?? { range: toRange(li, { start: offset, end: offset }) };
    });
  },
};
