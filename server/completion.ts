// textDocument/completion, answered on the LSP thread from the current text
// and the names of the last analysis (the worker sends them after each one):
// it never waits for an analysis, so it stays fast while one runs.

import type { CompletionItem, CompletionList, CompletionParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { complete, type CandidateKind } from '../grammar/services/completion';
import { emptyCompletionIndex, type CompletionIndex } from '../grammar/services/completion-index';

const KIND: Record<CandidateKind, number> = {
  keyword: 14,
  snippet: 15,
  group: 8,
  principal: 6,
  domain: 9,
  contract: 22,
  field: 5,
  classification: 13,
  attribute: 10,
  value: 20,
  transform: 3,
  'mask-method': 3,
  type: 25,
  rule: 2,
  policy: 3,
  property: 10,
  operator: 24,
};

export class Completion {
  index: CompletionIndex = emptyCompletionIndex();

  constructor(private readonly opts: { snippets: () => boolean; retrigger: () => boolean }) {}

  run(doc: TextDocument | undefined, params: CompletionParams): CompletionList {
    if (!doc) return { isIncomplete: false, items: [] };
    const text = doc.getText();
    const pos = params.position ?? { line: 0, character: 0 };
    const offset = doc.offsetAt({ line: Math.max(0, pos.line | 0), character: Math.max(0, pos.character | 0) });
    const snippets = this.opts.snippets();
    const retrigger = this.opts.retrigger();
    const items: CompletionItem[] = complete(text, offset, this.index, { snippets }).map((c) => {
      const range = { start: doc.positionAt(c.replace.start), end: doc.positionAt(c.replace.end) };
      const item: CompletionItem = {
        label: c.label,
        kind: KIND[c.kind] as CompletionItem['kind'],
        detail: c.detail,
        sortText: c.sortText,
        filterText: c.filterText,
        textEdit: { range, newText: c.insertText ?? c.label },
        insertTextFormat: c.snippet ? 2 : 1,
      };
      if (c.documentation) item.documentation = { kind: 'markdown', value: c.documentation };
      if (c.retrigger && retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
      return item;
    });
    return { isIncomplete: false, items };
  }
}
