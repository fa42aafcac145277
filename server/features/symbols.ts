// textDocument/documentSymbol (outline, from the syntax tree: works while
// typing) and workspace/symbol (every declaration of the model).

import type { DocumentSymbol, DocumentSymbolParams, SymbolInformation, WorkspaceSymbolParams } from 'vscode-languageserver';
import type { Sym } from '../../grammar/index';
import { documentSymbols as outline, workspaceSymbols as search, type OutlineKind, type OutlineSymbol } from '../../grammar/services/symbols';
import { toRange } from '../convert';
import { docUri, type Feature } from './context';

// LSP SymbolKind numbers.
const OUTLINE_KIND: Record<OutlineKind, number> = {
  group: 18, // Array... a set of principals
  attributes: 23, // Struct
  attribute: 8, // Field
  principal: 13, // Variable
  classification: 10, // Enum
  domain: 3, // Namespace
  contract: 5, // Class
  field: 8, // Field
  sla: 23, // Struct
  policy: 12, // Function
  'policy-rule': 24, // Event
  governance: 2, // Module
  rule: 6, // Method
  waiver: 24, // Event
  test: 12, // Function
};

const SYM_KIND: Record<Sym['kind'], number> = {
  group: 18,
  attribute: 8,
  principal: 13,
  classification: 10,
  domain: 3,
  contract: 5,
  field: 8,
  policy: 12,
  rule: 6,
  waiver: 24,
  test: 12,
};

export const documentSymbol: Feature<DocumentSymbolParams, DocumentSymbol[]> = {
  method: 'textDocument/documentSymbol',
  model: false,
  run(ctx, params) {
    const uri = ctx.key(docUri(params));
    const ast = ctx.ast(uri);
    if (!ast) return [];
    const li = ctx.lines(uri);
    const conv = (s: OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      detail: s.detail,
      kind: OUTLINE_KIND[s.kind] as DocumentSymbol['kind'],
      range: toRange(li, s.range),
      selectionRange: toRange(li, s.selectionRange.start >= s.range.start && s.selectionRange.end <= s.range.end ? s.selectionRange : s.range),
      children: s.children.map(conv),
    });
    return outline(ast, ctx.text(uri) ?? '').map(conv);
  },
};

export const workspaceSymbol: Feature<WorkspaceSymbolParams, SymbolInformation[]> = {
  method: 'workspace/symbol',
  model: true,
  run(ctx, params) {
    const model = ctx.analysis().model;
    return search(model, typeof params?.query === 'string' ? params.query : '').map((s) => ({
      name: s.name,
      kind: SYM_KIND[s.kind] as SymbolInformation['kind'],
      containerName: s.container,
      location: { uri: s.file, range: toRange(ctx.lines(s.file), s.range) },
    }));
  },
};
