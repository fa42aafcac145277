// textDocument/formatting: the core formatter, as line edits. A file with
// syntax errors is left alone and the user is told why. Editor tab options
// are ignored on purpose (see below).

import type { DocumentFormattingParams, TextEdit } from 'vscode-languageserver';
import { formatCharter } from '../../grammar/services/format';
import { lineDiff } from '../../grammar/services/line-diff';
import { docUri, type Feature } from './context';

export const formatting: Feature<DocumentFormattingParams, TextEdit[]> = {
  method: 'textDocument/formatting',
  model: false,
  run(ctx, params) {
    const uri = ctx.key(docUri(params));
    const text = ctx.text(uri);
    if (text === undefined) return [];
    // Always the canonical style (two spaces), whatever the editor's tab
    // settings: `charter fmt --check` in CI must agree with the editor.
    const r = formatCharter(text);
    if (!r.ok) {
      ctx.notify('warning', `Charter: not formatted — ${r.reason}.`);
      return [];
    }
    if (!r.changed) return [];
    const lineEnd = (line: number) => ({ line, character: 0 });
    return lineDiff(text, r.text).map((h) => ({ range: { start: lineEnd(h.start), end: lineEnd(h.end) }, newText: h.lines.join('') }));
  },
};
