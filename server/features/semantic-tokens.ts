// textDocument/semanticTokens/full and /range: the core's classification,
// delta-encoded as LSP wants it.

import type { SemanticTokens, SemanticTokensParams, SemanticTokensRangeParams } from 'vscode-languageserver';
import { semanticTokens as classify, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../grammar/services/semantic-tokens';
import { toOffsetRange } from '../convert';
import { docUri, type Feature, type FeatureContext } from './context';

export const legend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

function encode(ctx: FeatureContext, uri: string, range?: { start: number; end: number }): SemanticTokens {
  const model = ctx.analysis().model;
  if (!model.files.has(uri)) return { data: [] };
  const li = ctx.lines(uri);
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of classify(model, uri, range)) {
    const p = li.position(t.start);
    const dl = p.line - line;
    data.push(dl, dl === 0 ? p.character - char : p.character, t.length, TOKEN_TYPES.indexOf(t.type), t.modifiers);
    line = p.line;
    char = p.character;
  }
  return { data };
}

export const semanticTokensFull: Feature<SemanticTokensParams, SemanticTokens> = {
  method: 'textDocument/semanticTokens/full',
  model: true,
  run(ctx, params) {
    return encode(ctx, ctx.key(docUri(params)));
  },
};

export const semanticTokensRange: Feature<SemanticTokensRangeParams, SemanticTokens> = {
  method: 'textDocument/semanticTokens/range',
  model: true,
  run(ctx, params) {
    const uri = ctx.key(docUri(params));
    return encode(ctx, uri, toOffsetRange(ctx.lines(uri), params.range));
  },
};
