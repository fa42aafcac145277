// textDocument/codeAction: quick fixes for the diagnostics in the range
// (taken from the server's own analysis, so fixes work in every client, even
// one that does not echo diagnostic data back).

import type { CodeAction, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import type { FileDiagnostic } from '../../grammar/index';
import { quickFixes } from '../../grammar/services/code-actions';
import { toLspDiagnostic, toOffsetRange, toRange, Lines } from '../convert';
import { docUri, type Feature } from './context';

export const codeAction: Feature<CodeActionParams, CodeAction[]> = {
  method: 'textDocument/codeAction',
  model: true,
  run(ctx, params) {
    const only = params.context?.only;
    if (only && !only.some((k) => k === 'quickfix' || 'quickfix'.startsWith(k + '.') || k === '')) return [];
    const uri = ctx.key(docUri(params));
    const analysis = ctx.analysis();
    const model = analysis.model;
    if (!model.files.has(uri)) return [];
    const li = ctx.lines(uri);
    const r = toOffsetRange(li, params.range) ?? { start: 0, end: 0 };
    const inRange = (d: FileDiagnostic) => d.file === uri && d.range.start <= r.end && d.range.end >= r.start;
    const diags = analysis.diagnostics.filter(inRange);
    const lines = new Lines((u) => ctx.text(u));
    return quickFixes(model, diags).map((f) => {
      const changes: Record<string, { range: ReturnType<typeof toRange>; newText: string }[]> = {};
      for (const e of f.edits) (changes[e.file] ??= []).push({ range: toRange(ctx.lines(e.file), e.range), newText: e.newText });
      const diagnostic: Diagnostic = toLspDiagnostic(f.diagnostic, lines);
      return { title: f.title, kind: 'quickfix', diagnostics: [diagnostic], isPreferred: f.preferred, edit: { changes } };
    });
  },
};
