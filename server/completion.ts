// textDocument/completion, answered on the LSP thread from the current text
// and the names of the last analysis (the worker sends them after each one):
// it never waits for an analysis, so it stays fast while one runs.

import type { CompletionItem, CompletionList, CompletionParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { complete, type CandidateKind } from '../grammar/services/completion';
import { emptyCompletionIndex, type CompletionIndex } from '../grammar/services/completion-index';
import { canonicalUri } from './project';

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

/**
 * Words after which a typed space opens completion (space is a trigger
 * character): what follows them is always a name to pick (`owner sales-data`,
 * `to analysts`, `member of`, `from crm.customers.email`, `tagged pii`...).
 * After any other space the server answers nothing, so typing stays quiet.
 */
export const SPACE_TRIGGERS = new Set(['owner', 'to', 'for', 'of', 'from', 'tagged', 'except', 'via', 'with', 'approved-by', 'expect', 'on']);

export class Completion {
  index: CompletionIndex = emptyCompletionIndex();

  constructor(private readonly opts: { snippets: () => boolean; retrigger: () => boolean }) {}

  run(doc: TextDocument | undefined, params: CompletionParams): CompletionList {
    if (!doc) return { isIncomplete: false, items: [] };
    const text = doc.getText();
    const pos = params.position ?? { line: 0, character: 0 };
    const offset = doc.offsetAt({ line: Math.max(0, pos.line | 0), character: Math.max(0, pos.character | 0) });
    if (params.context?.triggerKind === 2 && params.context.triggerCharacter === ' ') {
      const before = /([A-Za-z][\w-]*)[ \t]+$/.exec(text.slice(Math.max(0, offset - 40), offset));
      if (!before || !SPACE_TRIGGERS.has(before[1])) return { isIncomplete: false, items: [] };
    }
    const snippets = this.opts.snippets();
    const retrigger = this.opts.retrigger();
    const items: CompletionItem[] = complete(text, offset, this.index, { snippets, uri: canonicalUri(doc.uri) }).map((c) => {
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
